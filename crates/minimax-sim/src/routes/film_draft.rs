//! The film draft answer (issue 15 item 2c): when a chat's system message carries the marker
//! `tokenplan-film/1`, the simulator answers with a deterministic, valid JSON shot list built from the user
//! message's `Idea: <text>` line, `Shots: N` (default 6, at most 30) and `Aspect ratio: 16:9` lines, in
//! the format of shared/ARCHITECTURE.md "Films". Two spoilers, queued through
//! `POST /_sim/film-draft/faults`, make the next draft replies unusable so the app's repair path can be
//! tested: `malformed` wraps the JSON in prose with a trailing comma (repairable), `invalid` sends JSON
//! that is not a shot list (shots without descriptions, no cast).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::ids::fnv1a;
use crate::state::SimState;

/// The marker a system message carries to ask for a shot list.
pub const MARKER: &str = "tokenplan-film/1";
/// Shots when the request does not say.
pub const DEFAULT_SHOTS: usize = 6;
/// The most shots a draft has.
pub const MAX_SHOTS: usize = 30;

/// The Hailuo camera palette (written here from the docs, independently of the client's copy).
const CAMERA_MOVES: &[&str] = &[
    "Push in",
    "Pull out",
    "Pan left",
    "Pan right",
    "Truck left",
    "Truck right",
    "Tilt up",
    "Tilt down",
    "Pedestal up",
    "Pedestal down",
    "Zoom in",
    "Zoom out",
    "Tracking shot",
    "Static shot",
    "Shake",
];
const ASPECT_RATIOS: &[&str] = &["16:9", "9:16", "1:1", "4:3", "3:4", "21:9"];
const HEROINES: &[(&str, &str)] = &[
    ("Mara", "a wiry woman in her thirties with cropped dark hair and a weathered green coat"),
    ("Iris", "a tall woman with silver-streaked braids, a red scarf and paint-stained hands"),
    ("Nia", "a young woman with round glasses, a yellow raincoat and a canvas satchel"),
];
const HEROES: &[(&str, &str)] = &[
    ("Theo", "a broad-shouldered man with a grey beard, a navy knit cap and a patched wool sweater"),
    ("Jonah", "a lanky young man with curly hair, a denim jacket and a camera on a strap"),
    ("Felix", "a soft-spoken man in his sixties with a tweed jacket and wire-rimmed spectacles"),
];
/// System voices of the simulator: narrators for the heroine and the hero.
const FEMALE_VOICES: &[&str] = &["English_captivating_female1", "English_Graceful_Lady", "English_CalmWoman"];
const MALE_VOICES: &[&str] =
    &["English_Trustworth_Man", "English_Gentle-voiced_man", "English_ManWithDeepVoice"];
const BEATS: &[&str] = &[
    "Establishing shot that opens the story of",
    "Close-up as the first clue appears in",
    "Medium shot: the two meet and the stakes of",
    "A quiet pause that deepens the mystery of",
    "The turn: everything shifts in",
    "The confrontation at the heart of",
    "A long look back at what was lost in",
    "Final wide shot that closes",
];

/// A spoiler for the next draft reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DraftSpoiler {
    /// The JSON wrapped in prose, with a trailing comma (a repair can fix it).
    Malformed,
    /// Valid JSON that is not a shot list (a repair cannot fix it; re-asking may).
    Invalid,
}

/// What a draft request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftAsk {
    /// The film idea.
    pub idea: String,
    /// How many shots.
    pub shots: usize,
    /// The aspect ratio asked for, if any.
    pub aspect_ratio: Option<String>,
}

/// The value after `label:` on a line of `text` (case-insensitive label), trimmed.
fn line_value<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case(label).then(|| value.trim()).filter(|v| !v.is_empty())
    })
}

/// The draft request in a chat, when its system text carries [`MARKER`].
pub fn draft_ask(system: &str, user: &str) -> Option<DraftAsk> {
    if !system.contains(MARKER) {
        return None;
    }
    let idea = line_value(user, "Idea")
        .map(str::to_owned)
        .unwrap_or_else(|| user.trim().chars().take(200).collect::<String>());
    let idea = if idea.trim().is_empty() { "a short film".to_owned() } else { idea };
    let shots = line_value(user, "Shots")
        .and_then(|n| n.split_whitespace().next()?.parse::<usize>().ok())
        .unwrap_or(DEFAULT_SHOTS)
        .clamp(1, MAX_SHOTS);
    let aspect_ratio =
        line_value(user, "Aspect ratio").filter(|r| ASPECT_RATIOS.contains(r)).map(str::to_owned);
    Some(DraftAsk { idea, shots, aspect_ratio })
}

/// A title from the first words of the idea, in title case.
fn title_of(idea: &str) -> String {
    let words: Vec<String> = idea
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .take(6)
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        })
        .collect();
    if words.is_empty() { "Untitled".to_owned() } else { words.join(" ") }
}

/// The shot list for `ask`: the same idea always gives the same film.
pub fn draft_json(ask: &DraftAsk) -> Value {
    let seed = fnv1a(ask.idea.as_bytes()) as usize;
    let (heroine, heroine_look) = HEROINES[seed % HEROINES.len()];
    let (hero, hero_look) = HEROES[(seed / 7) % HEROES.len()];
    let cast = json!([
        { "name": heroine, "look": heroine_look, "voice": FEMALE_VOICES[seed % FEMALE_VOICES.len()] },
        { "name": hero, "look": hero_look, "voice": MALE_VOICES[(seed / 3) % MALE_VOICES.len()] },
    ]);
    let shots: Vec<Value> = (0..ask.shots)
        .map(|i| {
            let beat = if i + 1 == ask.shots && ask.shots > 1 {
                BEATS[BEATS.len() - 1]
            } else {
                BEATS[i % (BEATS.len() - 1)]
            };
            let characters: Vec<&str> = match i % 3 {
                0 => vec![heroine],
                1 => vec![hero],
                _ => vec![heroine, hero],
            };
            let speaker = if i == 0 { "Narrator" } else { characters[i % characters.len()] };
            let mut lines =
                vec![json!({ "speaker": speaker, "text": format!("Shot {}: {}.", i + 1, ask.idea) })];
            if i % 2 == 1 {
                let other = if speaker == heroine { hero } else { heroine };
                lines.push(
                    json!({ "speaker": other, "text": "We have to see this through.", "emotion": "calm" }),
                );
            }
            json!({
                "description": format!("{beat} {}", ask.idea),
                "camera": [CAMERA_MOVES[(seed + i) % CAMERA_MOVES.len()]],
                "durationS": 6,
                "characters": characters,
                "lines": lines,
            })
        })
        .collect();
    let mut film = json!({
        "format": MARKER,
        "title": title_of(&ask.idea),
        "style": "Naturalistic light, 35 mm film grain, muted colours",
        "cast": cast,
        "shots": shots,
        "music": { "prompt": format!("A cinematic score for {}: gentle piano, strings that swell at the end", ask.idea) },
    });
    if let Some(ratio) = &ask.aspect_ratio {
        film["aspectRatio"] = json!(ratio);
    }
    film
}

/// The reply text for a draft: the shot list as JSON, or spoiled by the next queued spoiler.
pub fn draft_reply(state: &SimState, ask: &DraftAsk) -> String {
    let film = draft_json(ask);
    let spoiler = state.lock().film_draft_spoilers.pop_front();
    match spoiler {
        None => film.to_string(),
        Some(DraftSpoiler::Malformed) => {
            let pretty = serde_json::to_string_pretty(&film).unwrap_or_default();
            let with_comma = match pretty.rfind('}') {
                Some(end) => format!("{},\n}}", pretty[..end].trim_end()),
                None => pretty,
            };
            format!(
                "Here is the shot list you asked for:\n\n```json\n{with_comma}\n```\n\nTell me what to change."
            )
        }
        Some(DraftSpoiler::Invalid) => json!({
            "format": MARKER,
            "title": film["title"],
            "cast": "two characters",
            "shots": [{ "camera": ["Push in"], "durationS": "six" }],
        })
        .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_idea_shots_and_ratio_lines() {
        let user = "Write a film.\nIdea: A lighthouse keeper finds a message in a bottle\nShots: 40\nAspect ratio: 9:16";
        let ask = draft_ask("You write films as tokenplan-film/1 JSON.", user).expect("a draft");
        assert_eq!(ask.idea, "A lighthouse keeper finds a message in a bottle");
        assert_eq!(ask.shots, MAX_SHOTS);
        assert_eq!(ask.aspect_ratio.as_deref(), Some("9:16"));
        assert!(draft_ask("You are helpful.", user).is_none());
        let plain = draft_ask(MARKER, "just a storm at sea").expect("a draft");
        assert_eq!(
            (plain.idea.as_str(), plain.shots, plain.aspect_ratio),
            ("just a storm at sea", DEFAULT_SHOTS, None)
        );
    }

    #[test]
    fn the_same_idea_gives_the_same_valid_film() {
        let ask =
            DraftAsk { idea: "A lighthouse keeper finds a message".into(), shots: 8, aspect_ratio: None };
        let film = draft_json(&ask);
        assert_eq!(film, draft_json(&ask));
        assert_eq!(film["format"], MARKER);
        assert_eq!(film["title"], "A Lighthouse Keeper Finds A Message");
        assert!(film.get("aspectRatio").is_none());
        let cast: Vec<&str> = film["cast"]
            .as_array()
            .expect("cast")
            .iter()
            .map(|c| c["name"].as_str().expect("name"))
            .collect();
        assert_eq!(cast.len(), 2);
        let shots = film["shots"].as_array().expect("shots");
        assert_eq!(shots.len(), 8);
        for shot in shots {
            assert!(shot["description"].as_str().expect("description").contains("lighthouse keeper"));
            assert!(CAMERA_MOVES.contains(&shot["camera"][0].as_str().expect("camera")));
            assert_eq!(shot["durationS"], 6);
            let lines = shot["lines"].as_array().expect("lines");
            assert!((1..=2).contains(&lines.len()));
            for line in lines {
                let speaker = line["speaker"].as_str().expect("speaker");
                assert!(speaker == "Narrator" || cast.contains(&speaker), "{speaker}");
            }
        }
        assert!(film["music"]["prompt"].as_str().expect("music").contains("lighthouse"));
        for voice in FEMALE_VOICES.iter().chain(MALE_VOICES) {
            assert!(crate::routes::voices::is_known(voice), "{voice}");
        }
    }
}

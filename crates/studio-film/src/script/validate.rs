//! The rules of a shot list, checked after any importer has built a [`Script`].
//!
//! [`validate`] lists every problem (not only the first) so a user fixes a file in one pass. Problems carry a
//! JSON-style path (`shots[3].lines[1].speaker`, 0-based like every JSON tool) for importers to turn into a
//! line and column, and speak to people in 1-based shot and line numbers.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::limits::*;
use super::{FORMAT_V1, NARRATOR, Script};

/// One rule a script breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptProblem {
    /// Where in the script, as a JSON path (`shots[3].lines[1].speaker`); empty for the whole script.
    pub path: String,
    /// The 1-based shot number the problem is in, for the storyboard to select.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub shot: Option<u32>,
    /// 1-based line in the source file, when the script came from a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub line: Option<u32>,
    /// 1-based column in the source file, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub column: Option<u32>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl ScriptProblem {
    /// A problem with no position yet.
    pub fn new(path: impl Into<String>, shot: Option<usize>, message: impl Into<String>) -> Self {
        ScriptProblem {
            path: path.into(),
            shot: shot.map(|i| super::saturating_u32(i + 1)),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ScriptProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: {}", self.message),
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Trims names and text, and spells every speaker and in-frame character exactly as the cast member it
/// matches case-insensitively (`"MARA"` → `"Mara"`), narration as [`NARRATOR`]. Names that match nobody
/// are left for [`validate`] to report.
pub fn normalise_names(script: &mut Script) {
    script.title = script.title.trim().to_owned();
    for member in &mut script.cast {
        member.name = member.name.trim().to_owned();
    }
    // A map, not a search per name: a screenplay may have thousands of lines and hundreds of names.
    let mut spelling: HashMap<String, &str> = HashMap::with_capacity(script.cast.len());
    for member in &script.cast {
        spelling.entry(member.name.to_lowercase()).or_insert(&member.name);
    }
    let canonical = |name: &str| -> String {
        let name = name.trim();
        if name.eq_ignore_ascii_case(NARRATOR) {
            return NARRATOR.to_owned();
        }
        spelling.get(&name.to_lowercase()).map_or_else(|| name.to_owned(), |s| (*s).to_owned())
    };
    let mut shots = std::mem::take(&mut script.shots);
    for shot in &mut shots {
        shot.description = shot.description.trim().to_owned();
        for character in &mut shot.characters {
            *character = canonical(character);
        }
        for line in &mut shot.lines {
            line.speaker = canonical(&line.speaker);
            line.text = line.text.trim().to_owned();
        }
    }
    script.shots = shots;
}

/// Every rule the script breaks, in document order; empty when it is valid.
pub fn validate(script: &Script) -> Vec<ScriptProblem> {
    let mut problems = Vec::new();
    let mut problem = |path: String, shot: Option<usize>, message: String| {
        problems.push(ScriptProblem::new(path, shot, message));
    };

    if script.format != FORMAT_V1 {
        let message = if script.format.is_empty() {
            format!("the \"format\" field is missing: a shot list starts with \"format\": \"{FORMAT_V1}\"")
        } else if script.format.starts_with("tokenplan-film/") {
            format!(
                "format \"{}\" is not supported: this version reads \"{FORMAT_V1}\" (was the file written by a newer version?)",
                script.format
            )
        } else {
            format!("format must be \"{FORMAT_V1}\", found \"{}\"", script.format)
        };
        problem("format".into(), None, message);
    }
    if script.title.trim().is_empty() {
        problem("title".into(), None, "the title is empty".into());
    }
    check_len(&mut problem, "title".into(), None, "the title", &script.title, TITLE_MAX_CHARS);
    if let Some(logline) = &script.logline {
        check_len(&mut problem, "logline".into(), None, "the logline", logline, LOGLINE_MAX_CHARS);
    }
    if let Some(style) = &script.style {
        check_len(&mut problem, "style".into(), None, "the style", style, STYLE_MAX_CHARS);
    }
    if let Some(length) = script.target_length_s
        && !(length.is_finite() && (SHOT_MIN_S..=FILM_MAX_S).contains(&length))
    {
        let message = format!("target length {length} s is outside {SHOT_MIN_S}–{FILM_MAX_S} s");
        problem("targetLengthS".into(), None, message);
    }

    let mut cast_names: HashSet<String> = HashSet::new();
    for (i, member) in script.cast.iter().enumerate() {
        let path = format!("cast[{i}]");
        let name = member.name.trim();
        if name.is_empty() {
            problem(format!("{path}.name"), None, format!("cast member {} has no name", i + 1));
        } else if name.eq_ignore_ascii_case(NARRATOR) {
            let message = format!(
                "\"{name}\" cannot be a cast member: narration needs no character, use the speaker \"{NARRATOR}\""
            );
            problem(format!("{path}.name"), None, message);
        } else if !cast_names.insert(name.to_lowercase()) {
            problem(format!("{path}.name"), None, format!("the cast has \"{name}\" twice"));
        }
        check_len(&mut problem, format!("{path}.name"), None, "a cast name", name, NAME_MAX_CHARS);
        if let Some(look) = &member.look {
            let what = format!("{name}'s look");
            check_len(&mut problem, format!("{path}.look"), None, &what, look, CAST_LOOK_MAX_CHARS);
        }
        if member.voice.as_deref().is_some_and(|v| v.trim().is_empty()) {
            problem(
                format!("{path}.voice"),
                None,
                format!("{name}'s voice is empty: give a voice id or leave it out"),
            );
        }
    }
    let cast_list = || {
        // Named in full up to a point: a message listing hundreds of names helps nobody.
        const NAMED: usize = 12;
        let names: Vec<&str> = script.cast.iter().take(NAMED).map(|m| m.name.as_str()).collect();
        match (names.is_empty(), script.cast.len().saturating_sub(NAMED)) {
            (true, _) => "the cast is empty".to_owned(),
            (false, 0) => format!("the cast is {}", names.join(", ")),
            (false, more) => format!("the cast is {} and {more} more", names.join(", ")),
        }
    };

    if script.shots.is_empty() {
        problem("shots".into(), None, "the script has no shots: add at least one".into());
    } else if script.shots.len() > SHOTS_MAX {
        let message = format!("the script has {} shots; at most {SHOTS_MAX} are allowed", script.shots.len());
        problem("shots".into(), None, message);
    }
    for (i, shot) in script.shots.iter().enumerate() {
        let n = i + 1;
        let path = format!("shots[{i}]");
        if shot.description.trim().is_empty() {
            problem(format!("{path}.description"), Some(i), format!("shot {n} has no description"));
        }
        let what = format!("shot {n}'s description");
        check_len(
            &mut problem,
            format!("{path}.description"),
            Some(i),
            &what,
            &shot.description,
            SHOT_DESCRIPTION_MAX_CHARS,
        );
        if let Some(duration) = shot.duration_s
            && !(duration.is_finite() && (SHOT_MIN_S..=SHOT_MAX_S).contains(&duration))
        {
            let message = format!(
                "shot {n}: duration {duration} s is outside {SHOT_MIN_S}–{SHOT_MAX_S} s (Hailuo makes 6 or 10 s clips; other lengths are planned durations the clip is trimmed or held to)"
            );
            problem(format!("{path}.durationS"), Some(i), message);
        }
        for (c, character) in shot.characters.iter().enumerate() {
            if !cast_names.contains(&character.trim().to_lowercase()) {
                let message =
                    format!("shot {n}: \"{character}\" is in frame but not in the cast ({})", cast_list());
                problem(format!("{path}.characters[{c}]"), Some(i), message);
            }
        }
        for (l, line) in shot.lines.iter().enumerate() {
            let line_path = format!("{path}.lines[{l}]");
            let speaker = line.speaker.trim();
            if speaker.is_empty() {
                problem(
                    format!("{line_path}.speaker"),
                    Some(i),
                    format!("shot {n}, line {}: no speaker", l + 1),
                );
            } else if !speaker.eq_ignore_ascii_case(NARRATOR) && !cast_names.contains(&speaker.to_lowercase())
            {
                let message = format!(
                    "shot {n}, line {}: unknown speaker \"{speaker}\": {} (or \"{NARRATOR}\")",
                    l + 1,
                    cast_list()
                );
                problem(format!("{line_path}.speaker"), Some(i), message);
            }
            if line.text.trim().is_empty() {
                problem(format!("{line_path}.text"), Some(i), format!("shot {n}, line {}: no text", l + 1));
            }
            let what = format!("shot {n}, line {}", l + 1);
            check_len(
                &mut problem,
                format!("{line_path}.text"),
                Some(i),
                &what,
                &line.text,
                LINE_TEXT_MAX_CHARS,
            );
        }
    }

    if let Some(music) = &script.music {
        if music.prompt.trim().is_empty() {
            problem("music.prompt".into(), None, "the music cue has no prompt".into());
        }
        check_len(
            &mut problem,
            "music.prompt".into(),
            None,
            "the music prompt",
            &music.prompt,
            MUSIC_PROMPT_MAX_CHARS,
        );
        if let Some(lyrics) = &music.lyrics {
            check_len(
                &mut problem,
                "music.lyrics".into(),
                None,
                "the lyrics",
                lyrics,
                MUSIC_LYRICS_MAX_CHARS,
            );
        }
    }
    problems
}

/// Reports `text` longer than `max` characters (the APIs count characters, not bytes).
fn check_len(
    problem: &mut impl FnMut(String, Option<usize>, String),
    path: String,
    shot: Option<usize>,
    what: &str,
    text: &str,
    max: usize,
) {
    let count = text.chars().count();
    if count > max {
        problem(path, shot, format!("{what} is {count} characters long; at most {max} are allowed"));
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;

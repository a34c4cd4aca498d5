//! Fountain elements → a [`Script`]: scene headings open shots, action describes them, cues and dialogue
//! become lines, speakers become the cast.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::elements::{Cue, Element, TitlePage};
use crate::script::limits::{LINE_TEXT_MAX_CHARS, MUSIC_LYRICS_MAX_CHARS, SHOT_DESCRIPTION_MAX_CHARS};
use crate::script::{
    EmotionWord, FORMAT_V1, ImportNote, ImportWarning, LineEmotion, NARRATOR, Script, ScriptCast, ScriptLine,
    ScriptMusic, ScriptShot,
};

/// Where each part of the assembled script came from, to place validation problems.
#[derive(Debug, Default)]
pub(super) struct Positions {
    /// The title's line.
    pub title: Option<u32>,
    /// Each shot's first line.
    pub shots: Vec<u32>,
    /// Each line's cue line, per shot.
    pub lines: Vec<Vec<u32>>,
}

/// A shot being built.
struct ShotDraft {
    line: u32,
    /// "Kitchen (interior, night)." from the scene heading.
    context: Option<String>,
    action: String,
    action_chars: usize,
    lines: Vec<(u32, ScriptLine)>,
    /// Speakers seen on screen (no V.O. / O.S.), in order.
    in_frame: Vec<String>,
    /// The same speakers as cast indices, for lookups.
    in_frame_ids: HashSet<usize>,
}

impl ShotDraft {
    fn new(line: u32, context: Option<String>) -> Self {
        ShotDraft {
            line,
            context,
            action: String::new(),
            action_chars: 0,
            lines: Vec::new(),
            in_frame: Vec::new(),
            in_frame_ids: HashSet::new(),
        }
    }

    /// Characters left for action once the heading's context is in the description.
    fn action_budget(&self) -> usize {
        let context = self.context.as_ref().map_or(0, |c| c.chars().count() + 1);
        SHOT_DESCRIPTION_MAX_CHARS.saturating_sub(context).max(1)
    }
}

/// A cue whose dialogue is being collected.
struct Speaking {
    line: u32,
    speaker: String,
    emotion: Option<LineEmotion>,
    text: String,
}

/// Turns the title page and body elements into a script.
pub(super) fn assemble(
    title_page: TitlePage,
    elements: Vec<Element>,
    warnings: &mut Vec<ImportWarning>,
) -> (Script, Positions) {
    let mut builder = Builder {
        shots: Vec::new(),
        cast: Vec::new(),
        cast_ids: HashMap::new(),
        speaking: None,
        lyrics: Vec::new(),
        warnings,
    };
    for element in elements {
        builder.take(element);
    }
    builder.finish_speaking();

    let field =
        |name: &str| title_page.iter().find(|(k, v, _)| k.eq_ignore_ascii_case(name) && !v.is_empty());
    let mut positions = Positions { title: field("title").map(|(_, _, line)| *line), ..Positions::default() };
    let title = match field("title") {
        Some((_, value, _)) => value.clone(),
        None => {
            builder.warnings.push(ImportWarning::general(ImportNote::NoTitle));
            "Untitled".to_owned()
        }
    };
    let music = builder.music(&title);
    let cast: Vec<ScriptCast> =
        builder.cast.iter().map(|name| ScriptCast { name: name.clone(), look: None, voice: None }).collect();
    let by_first_word = first_words(&builder.cast);
    let mut shots = Vec::with_capacity(builder.shots.len());
    for draft in builder.shots {
        positions.shots.push(draft.line);
        positions.lines.push(draft.lines.iter().map(|(line, _)| *line).collect());
        let description = describe(&draft);
        // Look names up by the description's words, so the work grows with the text, not text × cast.
        let mut ids: BTreeSet<usize> = draft.in_frame_ids.iter().copied().collect();
        for word in description.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            for &id in by_first_word.get(word).map_or(&[][..], Vec::as_slice) {
                if !ids.contains(&id) && mentions(&description, &builder.cast[id]) {
                    ids.insert(id);
                }
            }
        }
        let characters = ids.into_iter().map(|id| builder.cast[id].clone()).collect();
        shots.push(ScriptShot {
            description,
            camera: Vec::new(),
            duration_s: None,
            characters,
            lines: draft.lines.into_iter().map(|(_, line)| line).collect(),
        });
    }
    let script = Script {
        format: FORMAT_V1.to_owned(),
        title,
        logline: field("logline").map(|(_, v, _)| v.clone()),
        aspect_ratio: None,
        style: None,
        target_length_s: None,
        cast,
        shots,
        music,
    };
    (script, positions)
}

struct Builder<'w> {
    shots: Vec<ShotDraft>,
    /// Cast names in order of first appearance.
    cast: Vec<String>,
    /// Each cast name's index in `cast`.
    cast_ids: HashMap<String, usize>,
    speaking: Option<Speaking>,
    /// Lyrics outside dialogue, for the music cue.
    lyrics: Vec<(u32, String)>,
    warnings: &'w mut Vec<ImportWarning>,
}

impl Builder<'_> {
    fn take(&mut self, element: Element) {
        match element {
            Element::SceneHeading { line, heading } => {
                self.finish_speaking();
                self.shots.push(ShotDraft::new(line, Some(heading_context(&heading))));
            }
            Element::Action { line, text } => {
                self.finish_speaking();
                self.add_action(line, &text);
            }
            Element::Centered { line, text } => {
                // A title card is added in the edit; as a prompt it would ask the video model for lettering.
                if !text.is_empty() {
                    self.warnings.push(ImportWarning::at(line, ImportNote::CenteredLeftOut { text }));
                }
            }
            Element::Character { line, cue } => self.open_cue(line, &cue),
            Element::Parenthetical { line, text } => self.parenthetical(line, &text),
            Element::Dialogue { text, .. } => {
                if let Some(speaking) = &mut self.speaking {
                    if !speaking.text.is_empty() {
                        speaking.text.push(' ');
                    }
                    speaking.text.push_str(&text);
                }
            }
            Element::Lyric { line, text, in_dialogue } => match (&mut self.speaking, in_dialogue) {
                (Some(speaking), true) => {
                    if !speaking.text.is_empty() {
                        speaking.text.push('\n');
                    }
                    speaking.text.push_str(&text);
                }
                _ => self.lyrics.push((line, text)),
            },
        }
    }

    fn current_shot(&mut self, line: u32) -> &mut ShotDraft {
        if self.shots.is_empty() {
            // Dialogue or action before any scene heading: an implicit first shot.
            self.shots.push(ShotDraft::new(line, None));
        }
        let last = self.shots.len() - 1;
        &mut self.shots[last]
    }

    fn add_action(&mut self, line: u32, text: &str) {
        let chars = text.chars().count();
        let shot = self.current_shot(line);
        let budget = shot.action_budget();
        let separator = usize::from(shot.action_chars > 0);
        if shot.action_chars + separator + chars <= budget {
            if separator == 1 {
                shot.action.push(' ');
            }
            shot.action.push_str(text);
            shot.action_chars += separator + chars;
            return;
        }
        // Too long for this shot: continue in new shots of the same scene.
        let context = shot.context.clone();
        let pieces = split_text(text, budget);
        let mut opened = 0;
        for piece in pieces {
            let shot = self.current_shot(line);
            if shot.action_chars > 0 {
                self.shots.push(ShotDraft::new(line, context.clone()));
                opened += 1;
            }
            let shot = self.current_shot(line);
            shot.action_chars = piece.chars().count();
            shot.action = piece;
        }
        if opened > 0 {
            let note = ImportNote::ActionContinued {
                shots: u32::try_from(opened).unwrap_or(u32::MAX),
                max_chars: u32::try_from(SHOT_DESCRIPTION_MAX_CHARS).unwrap_or(u32::MAX),
            };
            self.warnings.push(ImportWarning::at(line, note));
        }
    }

    fn open_cue(&mut self, line: u32, cue: &Cue) {
        let previous = self.speaking.as_ref().map(|s| s.speaker.clone());
        self.finish_speaking();
        let speaker = speaker_name(cue);
        if cue.dual {
            let note = ImportNote::DualDialogue { speaker: speaker.clone(), other: previous };
            self.warnings.push(ImportWarning::at(line, note));
        }
        let off_screen = cue.extensions.iter().any(|e| {
            matches!(e.replace(['.', '/', ' '], "").as_str(), "VO" | "OS" | "OC" | "OFF" | "OFFSCREEN")
        });
        if speaker != NARRATOR {
            let next_id = self.cast.len();
            let id = *self.cast_ids.entry(speaker.clone()).or_insert(next_id);
            if id == next_id {
                self.cast.push(speaker.clone());
            }
            let shot = self.current_shot(line);
            if !off_screen && shot.in_frame_ids.insert(id) {
                shot.in_frame.push(speaker.clone());
            }
        }
        self.speaking = Some(Speaking { line, speaker, emotion: None, text: String::new() });
    }

    fn parenthetical(&mut self, line: u32, text: &str) {
        match LineEmotion::from_words(text) {
            EmotionWord::Known(emotion) => {
                let Some(speaking) = &mut self.speaking else { return };
                if speaking.text.is_empty() || speaking.emotion.is_none() {
                    speaking.emotion = Some(emotion);
                } else if speaking.emotion != Some(emotion) {
                    // A new emotion mid-speech: a new line, so each part is voiced as written.
                    let speaker = speaking.speaker.clone();
                    self.finish_speaking();
                    self.speaking =
                        Some(Speaking { line, speaker, emotion: Some(emotion), text: String::new() });
                }
            }
            EmotionWord::Unsupported => {
                self.warnings
                    .push(ImportWarning::at(line, ImportNote::CannotWhisper { text: text.to_owned() }));
            }
            // Stage directions ("beat", "to Theo") are not voiced.
            EmotionWord::NotAnEmotion => {}
        }
    }

    fn finish_speaking(&mut self) {
        let Some(speaking) = self.speaking.take() else { return };
        if speaking.text.trim().is_empty() {
            return;
        }
        let pieces = split_text(&speaking.text, LINE_TEXT_MAX_CHARS);
        if pieces.len() > 1 {
            let note = ImportNote::SpeechSplit {
                max_chars: u32::try_from(LINE_TEXT_MAX_CHARS).unwrap_or(u32::MAX),
                lines: u32::try_from(pieces.len()).unwrap_or(u32::MAX),
            };
            self.warnings.push(ImportWarning::at(speaking.line, note));
        }
        let shot = self.current_shot(speaking.line);
        for text in pieces {
            let line = ScriptLine { speaker: speaking.speaker.clone(), text, emotion: speaking.emotion };
            shot.lines.push((speaking.line, line));
        }
    }

    /// Lyrics written outside dialogue become the film's song.
    fn music(&mut self, title: &str) -> Option<ScriptMusic> {
        let (first_line, _) = *self.lyrics.first()?;
        let mut lyrics = String::new();
        for (line, text) in &self.lyrics {
            if lyrics.chars().count() + text.chars().count() + 1 > MUSIC_LYRICS_MAX_CHARS {
                let max_chars = u32::try_from(MUSIC_LYRICS_MAX_CHARS).unwrap_or(u32::MAX);
                self.warnings.push(ImportWarning::at(*line, ImportNote::LyricsCut { max_chars }));
                break;
            }
            if !lyrics.is_empty() {
                lyrics.push('\n');
            }
            lyrics.push_str(text);
        }
        self.warnings.push(ImportWarning::at(first_line, ImportNote::LyricsBecameMusic));
        Some(ScriptMusic { prompt: format!("A song for the short film \"{title}\""), lyrics: Some(lyrics) })
    }
}

/// The shot's description: the scene's context, then its action; a shot without action is described by
/// its heading or, without one, by who speaks.
fn describe(draft: &ShotDraft) -> String {
    match (&draft.context, draft.action.is_empty()) {
        (Some(context), false) => format!("{context} {}", draft.action),
        (None, false) => draft.action.clone(),
        (Some(context), true) => context.clone(),
        (None, true) => match draft.in_frame.as_slice() {
            [] => "An establishing image under the narration.".to_owned(),
            [one] => format!("{one} speaks."),
            [init @ .., last] => format!("{} and {last} in conversation.", init.join(", ")),
        },
    }
}

/// `INT. MARA'S KITCHEN - NIGHT` → `Mara's Kitchen (interior, night).`
fn heading_context(heading: &str) -> String {
    const KINDS: [(&str, &str); 6] = [
        ("INT./EXT", "interior/exterior"),
        ("INT/EXT", "interior/exterior"),
        ("I/E", "interior/exterior"),
        ("INT", "interior"),
        ("EXT", "exterior"),
        ("EST", "establishing"),
    ];
    let upper = heading.to_ascii_uppercase();
    let (kind, rest) = KINDS
        .iter()
        .find(|(prefix, _)| {
            upper.starts_with(prefix) && matches!(heading.as_bytes().get(prefix.len()), Some(b'.' | b' '))
        })
        .map_or((None, heading), |(prefix, kind)| {
            (Some(*kind), heading[prefix.len()..].trim_start_matches('.'))
        });
    let dashed = rest.replace(['\u{2013}', '\u{2014}'], "-");
    let parts: Vec<&str> =
        dashed.split(" - ").map(|p| p.trim().trim_matches('-').trim()).filter(|p| !p.is_empty()).collect();
    let location = parts.first().map(|l| title_case(l)).unwrap_or_default();
    let mut details: Vec<String> = kind.map(str::to_owned).into_iter().collect();
    details.extend(parts.iter().skip(1).map(|p| p.to_lowercase()));
    match (location.is_empty(), details.is_empty()) {
        (false, false) => format!("{location} ({}).", details.join(", ")),
        (false, true) => format!("{location}."),
        (true, _) => {
            let mut text = details.join(", ");
            if let Some(first) = text.get(..1) {
                text = first.to_uppercase() + &text[1..];
            }
            format!("{text}.")
        }
    }
}

/// The cast name of a cue: forced names as written, upper-case names title-cased, narration as Narrator.
fn speaker_name(cue: &Cue) -> String {
    let name = cue.name.trim();
    if name.eq_ignore_ascii_case(NARRATOR) {
        return NARRATOR.to_owned();
    }
    if cue.forced && name.chars().any(char::is_lowercase) { name.to_owned() } else { title_case(name) }
}

/// `MARA'S O'BRIEN-SMITH` → `Mara's O'Brien-Smith`; text with lower case is left alone.
pub(super) fn title_case(text: &str) -> String {
    if text.chars().any(char::is_lowercase) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut word_len = 0usize;
    let mut capitalise = true;
    for c in text.chars() {
        if c.is_alphabetic() {
            if capitalise {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            capitalise = false;
            word_len += 1;
        } else {
            out.push(c);
            // O'BRIEN and D'ARTAGNAN capitalise after the apostrophe; MARA'S does not.
            capitalise = match c {
                '\'' | '\u{2019}' => word_len == 1,
                _ => !c.is_alphanumeric(),
            };
            if !c.is_alphanumeric() {
                word_len = 0;
            }
        }
    }
    out
}

/// Cast indices by the first word of each name, as written and in capitals.
fn first_words(cast: &[String]) -> HashMap<String, Vec<usize>> {
    let mut map: HashMap<String, Vec<usize>> = HashMap::new();
    for (id, name) in cast.iter().enumerate() {
        let Some(first) = name.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()) else {
            continue;
        };
        let upper = first.to_uppercase();
        if upper != first {
            map.entry(upper).or_default().push(id);
        }
        map.entry(first.to_owned()).or_default().push(id);
    }
    map
}

/// Whether `text` names `name` as a whole word, as written or in capitals (how screenplays introduce
/// characters in action).
fn mentions(text: &str, name: &str) -> bool {
    let upper = name.to_uppercase();
    [name, upper.as_str()].iter().any(|needle| {
        text.match_indices(needle).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + needle.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// Splits `text` into pieces of at most `max` characters, at sentence ends when possible, else at spaces,
/// else anywhere.
pub(super) fn split_text(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    if text.chars().count() <= max {
        return vec![text.to_owned()];
    }
    let mut sentences: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?' | '\u{3002}' | '\u{ff01}' | '\u{ff1f}') {
            let end = i + c.len_utf8();
            if text[end..].chars().next().is_none_or(char::is_whitespace) {
                sentences.push(&text[start..end]);
                start = end;
            }
        }
    }
    sentences.push(&text[start..]);
    let mut packer = Packer { max, pieces: Vec::new(), current: String::new(), current_chars: 0 };
    for sentence in sentences {
        if sentence.chars().count() <= max {
            packer.add(sentence);
            continue;
        }
        for word in sentence.split_inclusive(' ') {
            if word.chars().count() <= max {
                packer.add(word);
            } else {
                let chars: Vec<char> = word.chars().collect();
                for chunk in chars.chunks(max) {
                    packer.add(&chunk.iter().collect::<String>());
                }
            }
        }
    }
    packer.finish()
}

/// Packs pieces of at most `max` characters greedily into strings of at most `max` characters.
struct Packer {
    max: usize,
    pieces: Vec<String>,
    current: String,
    current_chars: usize,
}

impl Packer {
    fn add(&mut self, piece: &str) {
        // The piece's own trailing space would be trimmed if it ended the text, so it does not count.
        let needed = self.current_chars + piece.trim_end().chars().count();
        if needed > self.max && !self.current.is_empty() {
            self.flush();
        }
        let piece = if self.current.is_empty() { piece.trim_start() } else { piece };
        self.current.push_str(piece);
        self.current_chars += piece.chars().count();
    }

    fn flush(&mut self) {
        let done = self.current.trim();
        if !done.is_empty() {
            self.pieces.push(done.to_owned());
        }
        self.current.clear();
        self.current_chars = 0;
    }

    fn finish(mut self) -> Vec<String> {
        self.flush();
        self.pieces
    }
}

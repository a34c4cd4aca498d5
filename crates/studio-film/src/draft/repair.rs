//! Turns a model's reply into a script, repairing the faults language models commonly make in JSON.
//!
//! Three layers: find the JSON in the reply (fences, prose around it); fix its syntax when it does not
//! parse (trailing commas, smart quotes, comments, raw newlines in strings); then fix its shape as a value
//! (aliases and snake_case keys, numbers as strings, camera moves in any spelling, unknown emotions,
//! speakers missing from the cast). Every change is a warning, so the user sees what was guessed.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::DraftProblem;
use crate::script::json::{decoder_path, describe_path, format_path, shot_of};
use crate::script::json_position::position_of;
use crate::script::limits::{SHOT_MAX_S, SHOT_MIN_S};
use crate::script::{
    AspectRatio, CameraMove, EmotionWord, FORMAT_V1, ImportNote, ImportWarning, LineEmotion, NARRATOR,
    Script, ScriptCast, ScriptProblem, normalise_names, validate,
};

/// Warnings without repeats (the same alias in every shot is said once).
#[derive(Default)]
struct Notes {
    warnings: Vec<ImportWarning>,
    seen: HashSet<String>,
}

impl Notes {
    fn add(&mut self, message: impl Into<String>) {
        let message = message.into();
        if self.seen.insert(message.clone()) {
            self.warnings.push(ImportWarning::general(ImportNote::Repaired { text: message }));
        }
    }
}

/// The whole reading of a reply.
pub(super) fn read_reply(text: &str) -> Result<(Script, Vec<ImportWarning>), DraftProblem> {
    let mut notes = Notes::default();
    let (offset, json) = extract_json(text).ok_or(DraftProblem::NoJson)?;
    let value = match serde_json::from_str::<Value>(json) {
        Ok(value) => value,
        Err(first_error) => {
            let (repaired, fixes) = repair_syntax(json);
            match serde_json::from_str::<Value>(&repaired) {
                Ok(value) => {
                    for fix in fixes {
                        notes.add(format!("the reply's JSON was repaired: {fix}"));
                    }
                    value
                }
                // Report the fault in the text as the model wrote it, not in our repaired copy.
                Err(_) => return Err(malformed(text, offset, json, &first_error)),
            }
        }
    };
    let value = repair_value(value, &mut notes)?;
    let mut script = decode(value)?;
    add_missing_cast(&mut script, &mut notes);
    normalise_names(&mut script);
    let problems = validate(&script);
    if !problems.is_empty() {
        return Err(DraftProblem::Invalid { problems });
    }
    Ok((script, notes.warnings))
}

/// The JSON object in a reply and its byte offset: the first fenced block holding an object, else the text
/// from the first `{` to its matching `}` (or to the end, when the reply was cut off).
fn extract_json(text: &str) -> Option<(usize, &str)> {
    let mut rest = text;
    let mut consumed = 0;
    while let Some(open) = rest.find("```") {
        let after_fence = &rest[open + 3..];
        // The fence's own line may name the language (```json).
        let body_start = after_fence.find('\n').map_or(after_fence.len(), |i| i + 1);
        let body = &after_fence[body_start..];
        let body_end = body.find("```").unwrap_or(body.len());
        let block = &body[..body_end];
        if let Some(start) = block.find('{') {
            let offset = consumed + open + 3 + body_start + start;
            return Some((offset, block[start..].trim_end()));
        }
        let skipped = open + 3 + body_start + (body_end + 3).min(body.len());
        consumed += skipped;
        rest = &rest[skipped..];
    }
    let start = text.find('{')?;
    let end = matching_brace(&text[start..]).map_or(text.len(), |end| start + end);
    Some((start, &text[start..end]))
}

/// The byte offset just past the `}` matching the `{` that opens `text`.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The position of a parse error of `json` (found at `offset` in `text`), in the reply's coordinates.
fn malformed(text: &str, offset: usize, json: &str, err: &serde_json::Error) -> DraftProblem {
    let line_start = if err.line() <= 1 {
        0
    } else {
        json.match_indices('\n').nth(err.line() - 2).map_or(json.len(), |(i, _)| i + 1)
    };
    let position = position_of(text, offset + line_start + err.column().saturating_sub(1));
    let raw = err.to_string();
    let message = raw.rsplit_once(" at line ").map_or(raw.as_str(), |(m, _)| m).to_owned();
    DraftProblem::Malformed { line: position.line, column: position.column, message }
}

/// Fixes syntax outside strings: trailing commas, `//` comments, smart double quotes used as quotes, and
/// raw line breaks inside strings. Returns the text and the kinds of fix made.
fn repair_syntax(json: &str) -> (String, Vec<&'static str>) {
    let mut out = String::with_capacity(json.len());
    let mut fixes: Vec<&'static str> = Vec::new();
    fn note(fix: &'static str, fixes: &mut Vec<&'static str>) {
        if !fixes.contains(&fix) {
            fixes.push(fix);
        }
    }
    // `Some(true)` inside a string opened with a smart quote, `Some(false)` with a straight one.
    let mut string: Option<bool> = None;
    let mut chars = json.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match string {
            Some(smart) => match c {
                '\\' => {
                    out.push(c);
                    if let Some((_, next)) = chars.next() {
                        out.push(next);
                    }
                }
                '"' if !smart => {
                    out.push('"');
                    string = None;
                }
                '"' => out.push_str("\\\""),
                '\u{201c}' | '\u{201d}' if smart => {
                    out.push('"');
                    string = None;
                }
                '\n' => {
                    out.push_str("\\n");
                    note("line breaks inside strings escaped", &mut fixes);
                }
                '\r' => {}
                _ => out.push(c),
            },
            None => match c {
                '"' => {
                    out.push('"');
                    string = Some(false);
                }
                '\u{201c}' | '\u{201d}' => {
                    out.push('"');
                    string = Some(true);
                    note("smart quotes replaced", &mut fixes);
                }
                ',' => {
                    let next = json[i + 1..].trim_start().chars().next();
                    if matches!(next, Some('}' | ']')) {
                        note("trailing commas removed", &mut fixes);
                    } else {
                        out.push(',');
                    }
                }
                '/' if json[i + 1..].starts_with('/') => {
                    while chars.peek().is_some_and(|(_, c)| *c != '\n') {
                        chars.next();
                    }
                    note("comments removed", &mut fixes);
                }
                _ => out.push(c),
            },
        }
    }
    (out, fixes)
}

/// Canonical keys of each object kind, and the other names models use for them (compared in lower case
/// after snake_case → camelCase).
const ROOT_KEYS: &[(&str, &[&str])] = &[
    ("format", &["version"]),
    ("title", &["name", "filmTitle"]),
    ("logline", &["summary", "synopsis"]),
    ("aspectRatio", &["ratio"]),
    ("style", &["visualStyle"]),
    ("targetLengthS", &["targetLength", "targetLengthSeconds", "durationS", "duration", "lengthS", "length"]),
    ("cast", &["characters"]),
    ("shots", &["scenes", "shotList", "storyboard"]),
    ("music", &["soundtrack", "score", "musicCue"]),
];
const SHOT_KEYS: &[(&str, &[&str])] = &[
    ("description", &["prompt", "visual", "action", "visualDescription"]),
    ("camera", &["cameraMove", "cameraMoves", "cameraMovement", "movement"]),
    ("durationS", &["duration", "durationSeconds", "seconds", "length", "lengthS"]),
    ("characters", &["cast", "charactersInFrame"]),
    ("lines", &["dialogue", "dialog", "dialogues"]),
];
const LINE_KEYS: &[(&str, &[&str])] = &[
    ("speaker", &["character", "name", "who"]),
    ("text", &["line", "dialogue", "content", "words"]),
    ("emotion", &["tone", "mood"]),
];
const CAST_KEYS: &[(&str, &[&str])] =
    &[("name", &[]), ("look", &["description", "appearance"]), ("voice", &["voiceId"])];
const MUSIC_KEYS: &[(&str, &[&str])] = &[("prompt", &["description", "style"]), ("lyrics", &[])];

/// Renames keys to their canonical spelling; a canonical key already present wins over an alias.
fn canonical_keys(object: &mut Map<String, Value>, keys: &[(&str, &[&str])], notes: &mut Notes) {
    let names: Vec<String> = object.keys().cloned().collect();
    for name in names {
        let lookup = camel_case(&name).to_lowercase();
        let Some((canonical, _)) = keys
            .iter()
            .find(|(canonical, aliases)| {
                canonical.to_lowercase() == lookup || aliases.iter().any(|a| a.to_lowercase() == lookup)
            })
            .copied()
        else {
            continue;
        };
        if name == canonical {
            continue;
        }
        if let Some(value) = object.remove(&name)
            && !object.contains_key(canonical)
        {
            object.insert(canonical.to_owned(), value);
            notes.add(format!("\"{name}\" read as \"{canonical}\""));
        }
    }
}

/// `aspect_ratio` → `aspectRatio`.
fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' || c == '-' || c == ' ' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A number, or a string holding one ("6", "6s", "6 seconds").
fn number_from(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let trimmed = s.trim().trim_end_matches(|c: char| c.is_alphabetic() || c == '.').trim();
            trimmed.parse().ok()
        }
        _ => None,
    }
}

fn repair_value(value: Value, notes: &mut Notes) -> Result<Value, DraftProblem> {
    let mut root = match value {
        Value::Object(object) => object,
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            notes.add("the reply was a list of shots; it became the film's shots");
            Map::from_iter([("shots".to_owned(), Value::Array(items))])
        }
        _ => {
            let problem = ScriptProblem::new("", None, "the reply's JSON is not a shot list object");
            return Err(DraftProblem::Invalid { problems: vec![problem] });
        }
    };
    canonical_keys(&mut root, ROOT_KEYS, notes);
    match root.get("format").and_then(Value::as_str) {
        Some(FORMAT_V1) => {}
        Some(other) => notes.add(format!("format \"{other}\" replaced with \"{FORMAT_V1}\"")),
        None => notes.add(format!("the missing \"format\" was set to \"{FORMAT_V1}\"")),
    }
    root.insert("format".to_owned(), Value::from(FORMAT_V1));
    if root.get("title").and_then(Value::as_str).is_none_or(|t| t.trim().is_empty()) {
        notes.add("the reply had no title; the film is called \"Untitled\"");
        root.insert("title".to_owned(), Value::from("Untitled"));
    }
    for key in ["logline", "style"] {
        if root.get(key).is_some_and(|v| !v.is_string()) {
            root.remove(key);
            notes.add(format!("\"{key}\" was not text; left out"));
        }
    }
    if let Some(ratio) = root.remove("aspectRatio") {
        match ratio.as_str().and_then(AspectRatio::parse) {
            Some(parsed) => {
                root.insert("aspectRatio".to_owned(), Value::from(parsed.name()));
            }
            None => notes
                .add(format!("aspect ratio {ratio} is not 16:9, 9:16 or 1:1; the film's default is used")),
        }
    }
    if let Some(length) = root.remove("targetLengthS") {
        match number_from(&length) {
            Some(seconds) => {
                root.insert("targetLengthS".to_owned(), Value::from(seconds));
            }
            None => notes.add(format!("target length {length} is not a number; left out")),
        }
    }
    if let Some(cast) = root.remove("cast") {
        root.insert("cast".to_owned(), Value::Array(repair_cast(cast, notes)));
    }
    if let Some(Value::Array(shots)) = root.remove("shots") {
        let shots =
            shots.into_iter().enumerate().filter_map(|(i, shot)| repair_shot(i, shot, notes)).collect();
        root.insert("shots".to_owned(), Value::Array(shots));
    } else {
        root.insert("shots".to_owned(), Value::Array(Vec::new()));
    }
    match root.remove("music") {
        Some(Value::String(prompt)) => {
            root.insert(
                "music".to_owned(),
                Value::Object(Map::from_iter([("prompt".to_owned(), Value::from(prompt))])),
            );
        }
        Some(Value::Object(mut music)) => {
            canonical_keys(&mut music, MUSIC_KEYS, notes);
            root.insert("music".to_owned(), Value::Object(music));
        }
        Some(Value::Null) | None => {}
        Some(_) => notes.add("the music cue was not understood; left out"),
    }
    Ok(Value::Object(root))
}

fn repair_cast(cast: Value, notes: &mut Notes) -> Vec<Value> {
    let Value::Array(members) = cast else {
        notes.add("the cast was not a list; it is rebuilt from the speakers");
        return Vec::new();
    };
    members
        .into_iter()
        .filter_map(|member| match member {
            Value::String(name) => {
                Some(Value::Object(Map::from_iter([("name".to_owned(), Value::from(name))])))
            }
            Value::Object(mut object) => {
                canonical_keys(&mut object, CAST_KEYS, notes);
                Some(Value::Object(object))
            }
            _ => None,
        })
        .collect()
}

fn repair_shot(index: usize, shot: Value, notes: &mut Notes) -> Option<Value> {
    let n = index + 1;
    let mut shot = match shot {
        Value::Object(object) => object,
        Value::String(description) => Map::from_iter([("description".to_owned(), Value::from(description))]),
        _ => return None,
    };
    canonical_keys(&mut shot, SHOT_KEYS, notes);
    if let Some(camera) = shot.remove("camera") {
        let written: Vec<String> = match camera {
            Value::String(s) => vec![s],
            Value::Array(items) => items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        };
        let mut moves = Vec::new();
        for text in &written {
            let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
            for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match CameraMove::parse(part) {
                    Some(m) => moves.push(Value::from(m.name())),
                    None => notes.add(format!(
                        "shot {n}: camera move \"{part}\" is not in the Hailuo palette; dropped"
                    )),
                }
            }
        }
        if !moves.is_empty() {
            shot.insert("camera".to_owned(), Value::Array(moves));
        }
    }
    if let Some(duration) = shot.remove("durationS") {
        match number_from(&duration) {
            Some(seconds) if seconds.is_finite() => {
                let clamped = seconds.clamp(SHOT_MIN_S, SHOT_MAX_S);
                if clamped != seconds {
                    notes.add(format!("shot {n}: duration {seconds} s set to {clamped} s"));
                }
                shot.insert("durationS".to_owned(), Value::from(clamped));
            }
            _ => notes.add(format!("shot {n}: duration {duration} is not a number; left out")),
        }
    }
    match shot.remove("characters") {
        Some(Value::String(name)) => {
            shot.insert("characters".to_owned(), Value::Array(vec![Value::from(name)]));
        }
        Some(Value::Array(names)) => {
            let names = names.into_iter().filter(Value::is_string).collect();
            shot.insert("characters".to_owned(), Value::Array(names));
        }
        _ => {}
    }
    if let Some(Value::Array(lines)) = shot.remove("lines") {
        let lines = lines.into_iter().filter_map(|line| repair_line(n, line, notes)).collect();
        shot.insert("lines".to_owned(), Value::Array(lines));
    }
    Some(Value::Object(shot))
}

fn repair_line(shot: usize, line: Value, notes: &mut Notes) -> Option<Value> {
    let mut line = match line {
        Value::Object(object) => object,
        // "MARA: It floats." or bare narration.
        Value::String(text) => {
            let (speaker, said) = match text.split_once(':') {
                Some((speaker, said)) if !speaker.trim().is_empty() && speaker.len() <= 40 => {
                    (speaker.trim().to_owned(), said.trim().to_owned())
                }
                _ => (NARRATOR.to_owned(), text.trim().to_owned()),
            };
            Map::from_iter([
                ("speaker".to_owned(), Value::from(speaker)),
                ("text".to_owned(), Value::from(said)),
            ])
        }
        _ => return None,
    };
    canonical_keys(&mut line, LINE_KEYS, notes);
    if let Some(emotion) = line.remove("emotion") {
        let word = emotion.as_str().unwrap_or_default();
        match LineEmotion::from_words(word) {
            EmotionWord::Known(e) => {
                line.insert("emotion".to_owned(), Value::from(e.name()));
            }
            _ if word.trim().is_empty() => {}
            _ => notes.add(format!("shot {shot}: emotion \"{word}\" is not one the voices have; left out")),
        }
    }
    Some(Value::Object(line))
}

/// Decodes the repaired value; a value still of the wrong shape is a problem at its path.
fn decode(value: Value) -> Result<Script, DraftProblem> {
    serde_path_to_error::deserialize::<_, Script>(value).map_err(|err| {
        let segments = decoder_path(err.path());
        let place = describe_path(&segments);
        let detail = err.inner().to_string();
        let message = if place.is_empty() { detail } else { format!("{place}: {detail}") };
        DraftProblem::Invalid {
            problems: vec![ScriptProblem::new(format_path(&segments), shot_of(&segments), message)],
        }
    })
}

/// Speakers and characters the model forgot to put in the cast join it, in order of first appearance.
fn add_missing_cast(script: &mut Script, notes: &mut Notes) {
    let mut known: HashSet<String> = script.cast.iter().map(|m| m.name.trim().to_lowercase()).collect();
    let mut added = Vec::new();
    for (i, shot) in script.shots.iter().enumerate() {
        let names = shot.lines.iter().map(|l| &l.speaker).chain(shot.characters.iter());
        for name in names {
            let name = name.trim();
            if name.is_empty() || name.eq_ignore_ascii_case(NARRATOR) || !known.insert(name.to_lowercase()) {
                continue;
            }
            notes.add(format!("\"{name}\" (shot {}) was not in the cast; added", i + 1));
            added.push(ScriptCast { name: name.to_owned(), look: None, voice: None });
        }
    }
    script.cast.extend(added);
}

//! Reads a `tokenplan-film/1` JSON shot list.
//!
//! Three kinds of fault, each with a line and column: malformed JSON (serde_json's position, with what it
//! expected), a value of the wrong shape (the decoder's path, placed by [`super::locate_json_path`]), and a broken
//! rule (every [`validate`] problem, placed the same way). Fields this version does not know are kept out
//! of the script and reported as warnings: a newer file stays readable, and a typo is not silently lost.

use serde::de::DeserializeOwned;

use super::json_position::{PathSegment, locate_segments, parse_path, position_of};
use super::{
    ImportNote, ImportWarning, ImportedScript, Script, ScriptProblem, ScriptSource, normalise_names, validate,
};
use crate::error::{FilmError, Result};

/// Reads a JSON shot list, checks every rule, and returns the valid script with warnings about ignored
/// fields. A leading byte-order mark is skipped.
pub fn import_json(text: &str) -> Result<ImportedScript> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    refuse_non_object(body)?;
    let (mut script, ignored) = decode::<Script>(body)?;
    let mut warnings: Vec<ImportWarning> = ignored
        .iter()
        .take(PLACED_MAX)
        .map(|path| {
            let segments = parse_path(path);
            let field = match segments.last() {
                Some(PathSegment::Key(key)) => key.clone(),
                _ => path.clone(),
            };
            let parent = describe_path(&segments[..segments.len().saturating_sub(1)]);
            let note = ImportNote::UnknownField { field, parent: Some(parent).filter(|p| !p.is_empty()) };
            match locate_segments(body, &segments) {
                Some(position) => ImportWarning::at(position.line, note),
                None => ImportWarning::general(note),
            }
        })
        .collect();
    if ignored.len() > PLACED_MAX {
        let more = ignored.len() - PLACED_MAX;
        let count = u32::try_from(more).unwrap_or(u32::MAX);
        warnings.push(ImportWarning::general(ImportNote::MoreUnknownFields { count }));
    }
    normalise_names(&mut script);
    let problems = validate(&script);
    if !problems.is_empty() {
        return Err(FilmError::InvalidScript { problems: place_problems(body, problems) });
    }
    Ok(ImportedScript { script, warnings, source: ScriptSource::Json })
}

/// A shot list is an object. serde would read an array as the struct's fields in order and complain about
/// the first element, which says nothing useful; say what was found instead.
fn refuse_non_object(text: &str) -> Result<()> {
    let Some((offset, first)) = text.char_indices().find(|(_, c)| !c.is_whitespace()) else {
        return Err(FilmError::MalformedJson { line: 1, column: 1, message: "the file is empty".to_owned() });
    };
    let found = match first {
        '{' => return Ok(()),
        '[' => "an array",
        '"' => "a string",
        '-' | '0'..='9' => "a number",
        't' | 'f' => "true or false",
        'n' => "null",
        _ => return Ok(()), // Not JSON at all: the parser says what it expected.
    };
    let position = position_of(text, offset);
    let mut problem = ScriptProblem::new(
        "",
        None,
        format!("a shot list is a JSON object ({{ \"format\": … }}), found {found}"),
    );
    problem.line = Some(position.line);
    problem.column = Some(position.column);
    Err(FilmError::InvalidScript { problems: vec![problem] })
}

/// How many problems or warnings are given a position: each costs a scan of the text, and a file with
/// thousands of the same mistake is fixed from the first ones.
const PLACED_MAX: usize = 100;

/// Gives each problem (the first [`PLACED_MAX`]) the line and column of its path in `text`.
pub(crate) fn place_problems(text: &str, problems: Vec<ScriptProblem>) -> Vec<ScriptProblem> {
    problems
        .into_iter()
        .enumerate()
        .map(|(index, mut problem)| {
            if index >= PLACED_MAX {
                return problem;
            }
            if let Some(position) = locate_segments(text, &parse_path(&problem.path)) {
                problem.line = Some(position.line);
                problem.column = Some(position.column);
            }
            problem
        })
        .collect()
}

/// Decodes `text` as `T`, collecting the paths of ignored fields. Malformed JSON becomes
/// [`FilmError::MalformedJson`]; a value of the wrong shape becomes one [`FilmError::InvalidScript`] problem.
pub(crate) fn decode<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<String>)> {
    let mut ignored = Vec::new();
    let mut record = |path: serde_ignored::Path<'_>| ignored.push(ignored_path(&path));
    let mut de = serde_json::Deserializer::from_str(text);
    let decoded = serde_path_to_error::deserialize(serde_ignored::Deserializer::new(&mut de, &mut record));
    let value = match decoded {
        Ok(value) => value,
        Err(err) => {
            let segments = decoder_path(err.path());
            return Err(json_error(text, err.into_inner(), &segments));
        }
    };
    de.end().map_err(|err| json_error(text, err, &[]))?;
    Ok((value, ignored))
}

/// Turns a serde_json error into ours: syntax and end-of-file faults are malformed JSON, data faults are a
/// problem at the path the decoder was in.
pub(crate) fn json_error(text: &str, err: serde_json::Error, segments: &[PathSegment]) -> FilmError {
    let raw = err.to_string();
    // serde_json appends " at line L column C"; we say where ourselves.
    let detail = raw.rsplit_once(" at line ").map_or(raw.as_str(), |(message, _)| message);
    let (line, column) = char_position(text, err.line(), err.column());
    match err.classify() {
        serde_json::error::Category::Data => {
            let place = describe_path(segments);
            let message =
                if place.is_empty() { friendly(detail) } else { format!("{place}: {}", friendly(detail)) };
            let mut problem = ScriptProblem::new(format_path(segments), shot_of(segments), message);
            let position = if segments.is_empty() { None } else { locate_segments(text, segments) };
            problem.line = Some(position.map_or(line, |p| p.line));
            problem.column = Some(position.map_or(column, |p| p.column));
            FilmError::InvalidScript { problems: vec![problem] }
        }
        serde_json::error::Category::Eof => FilmError::MalformedJson {
            line,
            column,
            message: format!(
                "{detail}: the text ends before the JSON does (a closing `}}`, `]` or `\"` is missing)"
            ),
        },
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            FilmError::MalformedJson { line, column, message: detail.to_owned() }
        }
    }
}

/// Speaks of our types as the format does rather than by their Rust names.
fn friendly(detail: &str) -> String {
    detail
        .replace("struct Script", "a shot list object")
        .replace("struct ScriptShot", "a shot object")
        .replace("struct ScriptCast", "a cast object")
        .replace("struct ScriptLine", "a line object")
        .replace("struct ScriptMusic", "a music object")
}

/// serde_json counts columns in bytes; people count characters. Line 0 (no position) becomes line 1.
fn char_position(text: &str, line: usize, byte_column: usize) -> (u32, u32) {
    let line = line.max(1);
    let line_start =
        if line == 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    let position = position_of(text, line_start + byte_column.saturating_sub(1));
    (position.line, position.column)
}

/// serde_ignored's path as our segments, rendered as `shots[3].durationSec`.
fn ignored_path(path: &serde_ignored::Path<'_>) -> String {
    fn collect(path: &serde_ignored::Path<'_>, out: &mut Vec<PathSegment>) {
        match path {
            serde_ignored::Path::Root => {}
            serde_ignored::Path::Seq { parent, index } => {
                collect(parent, out);
                out.push(PathSegment::Index(*index));
            }
            serde_ignored::Path::Map { parent, key } => {
                collect(parent, out);
                out.push(PathSegment::Key(key.clone()));
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => collect(parent, out),
        }
    }
    let mut segments = Vec::new();
    collect(path, &mut segments);
    format_path(&segments)
}

/// serde_path_to_error's path as our segments.
pub(crate) fn decoder_path(path: &serde_path_to_error::Path) -> Vec<PathSegment> {
    path.iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(PathSegment::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(PathSegment::Key(key.clone())),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => None,
        })
        .collect()
}

/// `shots[3].lines[1].speaker`.
pub(crate) fn format_path(segments: &[PathSegment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            PathSegment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathSegment::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// `shot 4, line 2, speaker`: the path in 1-based words.
pub(crate) fn describe_path(segments: &[PathSegment]) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut container: Option<&str> = None;
    for segment in segments {
        match segment {
            PathSegment::Key(key) => {
                container = Some(key);
                // A list's name is said with its element ("shot 4"), not on its own.
                if !matches!(key.as_str(), "shots" | "lines" | "cast" | "camera" | "characters") {
                    words.push(key.clone());
                }
            }
            PathSegment::Index(index) => {
                let noun = match container {
                    Some("shots") => "shot",
                    Some("lines") => "line",
                    Some("cast") => "cast member",
                    Some("camera") => "camera move",
                    Some("characters") => "character",
                    _ => "item",
                };
                words.push(format!("{noun} {}", index + 1));
            }
        }
    }
    words.join(", ")
}

/// The 0-based shot index a path is in.
pub(crate) fn shot_of(segments: &[PathSegment]) -> Option<usize> {
    match segments {
        [PathSegment::Key(key), PathSegment::Index(index), ..] if key == "shots" => Some(*index),
        _ => None,
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;

//! Finds where a JSON path (`shots[3].lines[1].speaker`) sits in the source text, so a rule broken by a
//! value is reported at its line and column.
//!
//! Why our own small scanner: serde_json keeps no spans once a value is decoded; `serde_spanned` only works
//! with deserializers that support it (toml), and the JSON span crates (`json-spanned-value`,
//! `spanned_json_parser`) are little used and would decode the whole file a second time into their own
//! tree. This walks the text once along the one path asked for, only when there is a problem to place, and
//! never allocates except for keys with escapes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TextPosition {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathSegment {
    /// An object member.
    Key(String),
    /// An array element (0-based).
    Index(usize),
}

/// Splits `shots[3].lines[1].speaker` into its steps. Keys cannot contain `.` or `[` in this notation,
/// which holds for every key of the format.
pub(crate) fn parse_path(path: &str) -> Vec<PathSegment> {
    let mut segments = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                segments.push(PathSegment::Key(rest[..open].to_owned()));
            }
            rest = &rest[open..];
            while let Some(inner) = rest.strip_prefix('[') {
                let Some(close) = inner.find(']') else { break };
                if let Ok(index) = inner[..close].parse() {
                    segments.push(PathSegment::Index(index));
                }
                rest = &inner[close + 1..];
            }
        } else {
            segments.push(PathSegment::Key(rest.to_owned()));
        }
    }
    segments
}

/// The position of the value at `path` in `text`, or of its nearest ancestor that exists (a missing field
/// is reported at the object that lacks it). `None` only when `text` is not JSON at all.
pub fn locate_json_path(text: &str, path: &str) -> Option<TextPosition> {
    locate_segments(text, &parse_path(path))
}

/// [`locate_json_path`] over parsed segments.
pub(crate) fn locate_segments(text: &str, segments: &[PathSegment]) -> Option<TextPosition> {
    let bytes = text.as_bytes();
    let start = skip_ws(bytes, 0);
    if start >= bytes.len() {
        return None;
    }
    let offset = descend(bytes, start, segments);
    Some(position_of(text, offset))
}

/// The 1-based line and character column of byte `offset`.
pub(crate) fn position_of(text: &str, offset: usize) -> TextPosition {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    TextPosition { line: super::saturating_u32(line), column: super::saturating_u32(column) }
}

/// Follows `segments` from the value starting at `at`; returns the offset of the deepest value reached.
fn descend(bytes: &[u8], at: usize, segments: &[PathSegment]) -> usize {
    let Some((segment, rest)) = segments.split_first() else { return at };
    let found = match (segment, bytes.get(at)) {
        (PathSegment::Key(key), Some(b'{')) => member(bytes, at, key),
        (PathSegment::Index(index), Some(b'[')) => element(bytes, at, *index),
        _ => None,
    };
    found.map_or(at, |child| descend(bytes, child, rest))
}

/// The offset of member `key`'s value in the object at `at`.
fn member(bytes: &[u8], at: usize, key: &str) -> Option<usize> {
    let mut i = skip_ws(bytes, at + 1);
    while bytes.get(i) == Some(&b'"') {
        let key_end = string_end(bytes, i)?;
        let matches = key_equals(&bytes[i + 1..key_end - 1], key);
        i = skip_ws(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let value = skip_ws(bytes, i + 1);
        if matches {
            return Some(value);
        }
        i = skip_ws(bytes, value_end(bytes, value)?);
        if bytes.get(i) != Some(&b',') {
            return None;
        }
        i = skip_ws(bytes, i + 1);
    }
    None
}

/// The offset of element `index` of the array at `at`.
fn element(bytes: &[u8], at: usize, index: usize) -> Option<usize> {
    let mut i = skip_ws(bytes, at + 1);
    if bytes.get(i) == Some(&b']') {
        return None;
    }
    for _ in 0..index {
        i = skip_ws(bytes, value_end(bytes, i)?);
        if bytes.get(i) != Some(&b',') {
            return None;
        }
        i = skip_ws(bytes, i + 1);
    }
    (i < bytes.len()).then_some(i)
}

/// Compares a raw (still escaped) key with `key`.
fn key_equals(raw: &[u8], key: &str) -> bool {
    if !raw.contains(&b'\\') {
        return raw == key.as_bytes();
    }
    let Ok(quoted) = std::str::from_utf8(raw) else { return false };
    serde_json::from_str::<String>(&format!("\"{quoted}\"")).is_ok_and(|decoded| decoded == key)
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The offset just past the string starting with the quote at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The offset just past the value starting at `at`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let mut i = at;
            while bytes
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                i += 1;
            }
            Some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
  "title": "T",
  "shots": [
    {"description": "one"},
    {
      "description": "two, with \"quotes\" and [brackets]",
      "lines": [
        {"speaker": "Mara", "text": "Hi"},
        {"speaker": "Bob",  "text": "Yo"}
      ]
    }
  ],
  "k\u0065y": 1,
  "émoji": "🎬", "after": true
}"#;

    #[test]
    fn paths_are_split_into_segments() {
        use PathSegment::*;
        assert_eq!(
            parse_path("shots[3].lines[1].speaker"),
            vec![Key("shots".into()), Index(3), Key("lines".into()), Index(1), Key("speaker".into())]
        );
        assert_eq!(parse_path(""), vec![]);
        assert_eq!(parse_path("a[1][2]"), vec![Key("a".into()), Index(1), Index(2)]);
    }

    #[test]
    fn values_are_found_at_their_line_and_column() {
        let table = [
            ("title", 2, 12),
            ("shots", 3, 12),
            ("shots[0]", 4, 5),
            ("shots[0].description", 4, 21),
            ("shots[1].lines[1].speaker", 9, 21),
            ("shots[1].lines[1].text", 9, 37),
            ("key", 13, 15),
            ("after", 14, 26),
            // Missing pieces fall back to the nearest ancestor that exists.
            ("shots[1].lines[5].speaker", 7, 16),
            ("shots[0].camera", 4, 5),
            ("music", 1, 1),
            ("", 1, 1),
        ];
        for (path, line, column) in table {
            assert_eq!(locate_json_path(DOC, path), Some(TextPosition { line, column }), "{path}");
        }
    }

    #[test]
    fn broken_text_never_panics() {
        for text in ["", "   ", "{", "{\"a\"", "{\"a\":", "[1,", "{\"shots\":[{\"x\":\"\\", "\"", "}"] {
            let _ = locate_json_path(text, "shots[2].lines[0].speaker");
        }
    }
}

//! The text before it is read as Fountain: byte-order mark, line endings, tabs, boneyard `/* … */` and
//! notes `[[ … ]]` removed, line numbers kept.

use crate::error::{FilmError, Result};
use crate::script::{ImportNote, ImportWarning, saturating_u32};

/// One line of the cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SourceLine {
    /// 1-based line number in the file.
    pub number: u32,
    /// The text, tabs expanded, no line ending.
    pub text: String,
}

/// Cleans `text` into lines. Lines that held only a note or boneyard vanish instead of turning blank, so
/// a note between two lines of action does not split the paragraph. An unclosed boneyard is an error (it
/// would swallow the rest of the script); an unclosed note is kept as text with a warning.
pub(super) fn clean_lines(text: &str, warnings: &mut Vec<ImportWarning>) -> Result<Vec<SourceLine>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text =
        if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_owned() };
    let without_boneyard = remove_spans(&text, "/*", "*/").map_err(|offset| {
        let (line, column) = line_column(&text, offset);
        FilmError::MalformedFountain {
            line,
            column: Some(column),
            message:
                "a boneyard opened with `/*` is never closed with `*/` (it would hide the rest of the script)"
                    .to_owned(),
        }
    })?;
    let cleaned = match remove_spans(&without_boneyard, "[[", "]]") {
        Ok(cleaned) => cleaned,
        Err(offset) => {
            let (line, _) = line_column(&without_boneyard, offset);
            warnings.push(ImportWarning::at(line, ImportNote::UnclosedNote));
            remove_spans_before(&without_boneyard, "[[", "]]", offset)
        }
    };
    let lines = text
        .split('\n')
        .zip(cleaned.split('\n'))
        .enumerate()
        .filter(|(_, (original, cleaned))| {
            // Drop lines that only held a note or boneyard; keep real blank lines.
            !cleaned.trim().is_empty() || original.trim().is_empty()
        })
        .map(|(index, (_, cleaned))| SourceLine {
            number: saturating_u32(index + 1),
            text: if cleaned.contains('\t') { cleaned.replace('\t', "    ") } else { cleaned.to_owned() },
        })
        .collect();
    Ok(lines)
}

/// Removes every `open … close` span but keeps the newlines inside it, so line numbers stay right.
/// `Err(offset)` names the first span that never closes.
fn remove_spans(text: &str, open: &str, close: &str) -> std::result::Result<String, usize> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed = 0;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let after_open = &rest[start + open.len()..];
        let Some(end) = after_open.find(close) else { return Err(consumed + start) };
        out.extend(after_open[..end].chars().filter(|&c| c == '\n'));
        let skipped = start + open.len() + end + close.len();
        consumed += skipped;
        rest = &rest[skipped..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Removes the closed spans before `unclosed` and keeps the rest as it is.
fn remove_spans_before(text: &str, open: &str, close: &str, unclosed: usize) -> String {
    let (head, tail) = text.split_at(unclosed);
    let mut out = remove_spans(head, open, close).unwrap_or_else(|_| head.to_owned());
    out.push_str(tail);
    out
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (saturating_u32(line), saturating_u32(column))
}

/// Removes Fountain emphasis (`*italic*`, `**bold**`, `_underline_`) and unescapes `\*` and `\_`.
pub(super) fn plain(text: &str) -> String {
    if !text.contains(['*', '_', '\\']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('*' | '_')) => {
                if let Some(escaped) = chars.next() {
                    out.push(escaped);
                }
            }
            '*' | '_' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[SourceLine]) -> Vec<(u32, &str)> {
        lines.iter().map(|l| (l.number, l.text.as_str())).collect()
    }

    #[test]
    fn boneyard_and_notes_vanish_and_line_numbers_stay() {
        let text = "\u{feff}One\r\n/* gone\r\n\r\nstill gone */\r\nTwo [[a note]] here\r\n[[only a note]]\r\n\r\n\tThree";
        let mut warnings = vec![];
        let lines = clean_lines(text, &mut warnings).unwrap();
        assert_eq!(texts(&lines), vec![(1, "One"), (3, ""), (5, "Two  here"), (7, ""), (8, "    Three")]);
        assert_eq!(warnings, vec![]);
    }

    #[test]
    fn an_unclosed_boneyard_is_an_error_at_its_start() {
        let err = clean_lines("One\nTwo /* open\nThree\n", &mut vec![]).unwrap_err();
        assert!(matches!(err, FilmError::MalformedFountain { line: 2, column: Some(5), .. }), "{err:?}");
    }

    #[test]
    fn an_unclosed_note_is_kept_as_text_with_a_warning() {
        let mut warnings = vec![];
        let lines = clean_lines("A [[closed]] b\nC [[open\nD", &mut warnings).unwrap();
        assert_eq!(texts(&lines), vec![(1, "A  b"), (2, "C [[open"), (3, "D")]);
        assert_eq!(warnings[0].line, Some(2));
    }

    #[test]
    fn emphasis_is_stripped_and_escapes_kept() {
        let table = [
            ("plain", "plain"),
            ("*italic* and **bold** and ***both***", "italic and bold and both"),
            ("_under_lined", "underlined"),
            ("2 \\* 3 \\_x", "2 * 3 _x"),
            ("trailing \\", "trailing \\"),
        ];
        for (text, expected) in table {
            assert_eq!(plain(text), expected);
        }
    }
}

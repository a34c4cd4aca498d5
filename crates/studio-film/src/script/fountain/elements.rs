//! Fountain's elements, recognised line by line from the rules of the syntax (fountain.io/syntax): the
//! title page, scene headings, action, character cues with dialogue and parentheticals, transitions,
//! centered text, lyrics, sections, synopses and page breaks.

use super::source::{SourceLine, plain};

/// One element of the screenplay body, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Element {
    /// A scene heading (`INT. KITCHEN - NIGHT`, forced `.FLASHBACK`), scene number removed.
    SceneHeading { line: u32, heading: String },
    /// An action paragraph (lines joined with spaces), forced `!` included.
    Action { line: u32, text: String },
    /// A character cue opening a dialogue block.
    Character { line: u32, cue: Cue },
    /// A parenthetical inside a dialogue block (without its parentheses).
    Parenthetical { line: u32, text: String },
    /// Dialogue text inside a dialogue block.
    Dialogue { line: u32, text: String },
    /// A lyric line (`~`); `in_dialogue` when it is sung inside a dialogue block.
    Lyric { line: u32, text: String, in_dialogue: bool },
    /// Centered text (`> THE END <`): a title card.
    Centered { line: u32, text: String },
}

/// A character cue taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cue {
    /// The name as written, without `@`, extensions or `^`.
    pub name: String,
    /// The name was forced with `@` (its case is kept as written).
    pub forced: bool,
    /// The extensions in parentheses (`V.O.`, `CONT'D`), upper-cased.
    pub extensions: Vec<String>,
    /// Marked `^`: spoken at the same time as the previous cue.
    pub dual: bool,
}

/// The title page's fields, in order, continuation lines joined with spaces.
pub(super) type TitlePage = Vec<(String, String, u32)>;

/// Reads the title page at the start of `lines`, if there is one, and returns it with the index of the
/// first body line.
pub(super) fn title_page(lines: &[SourceLine]) -> (TitlePage, usize) {
    let mut fields: TitlePage = Vec::new();
    let mut i = lines.iter().position(|l| !l.text.trim().is_empty()).unwrap_or(lines.len());
    if lines.get(i).and_then(|l| title_key(&l.text)).is_none() {
        return (fields, 0);
    }
    while let Some(line) = lines.get(i) {
        if line.text.trim().is_empty() {
            break;
        }
        let indented = line.text.starts_with("   ");
        match (title_key(&line.text), fields.last_mut()) {
            (Some((key, value)), _) if !indented => fields.push((key, value, line.number)),
            (_, Some((_, value, _))) => {
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(&plain(line.text.trim()));
            }
            (_, None) => break,
        }
        i += 1;
    }
    (fields, i)
}

/// `Key: value` with a key of letters, digits, spaces or dashes starting with a letter.
fn title_key(text: &str) -> Option<(String, String)> {
    let (key, value) = text.split_once(':')?;
    let key = key.trim();
    let valid = key.chars().next().is_some_and(|c| c.is_alphabetic())
        && key.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_')
        && key.len() <= 40;
    valid.then(|| (key.to_owned(), plain(value.trim())))
}

/// Splits the body into elements. Blank lines separate paragraphs; the "two spaces" line keeps a dialogue
/// block going.
pub(super) fn elements(lines: &[SourceLine]) -> Vec<Element> {
    let mut out = Vec::new();
    let is_blank = |i: usize| lines.get(i).is_none_or(|l| l.text.trim().is_empty());
    let mut i = 0;
    let mut after_blank = true;
    while let Some(line) = lines.get(i) {
        let text = line.text.trim();
        if text.is_empty() {
            after_blank = true;
            i += 1;
            continue;
        }
        let starts_paragraph = after_blank;
        after_blank = false;
        let number = line.number;

        if text.len() >= 3 && text.chars().all(|c| c == '=') {
            // Page break: layout only; it also ends a paragraph.
            after_blank = true;
        } else if text.starts_with('#') || (text.starts_with('=') && !text.starts_with("==")) {
            // Sections and synopses structure the writer's outline; they are not in the film.
            after_blank = true;
        } else if let Some(heading) = starts_paragraph.then(|| scene_heading(text)).flatten() {
            out.push(Element::SceneHeading { line: number, heading });
        } else if let Some(centered) = text.strip_prefix('>').and_then(|t| t.strip_suffix('<')) {
            out.push(Element::Centered { line: number, text: plain(centered.trim()) });
        } else if text.starts_with('>') {
            // A forced transition: editing, not picture.
        } else if starts_paragraph && is_blank(i + 1) && is_transition(text) {
            // CUT TO: and friends.
        } else if let Some(cue) =
            (starts_paragraph && !is_blank(i + 1)).then(|| character_cue(text)).flatten()
        {
            out.push(Element::Character { line: number, cue });
            i = dialogue_block(lines, i + 1, &mut out);
            after_blank = true;
            continue;
        } else if let Some(lyric) = text.strip_prefix('~') {
            out.push(Element::Lyric { line: number, text: plain(lyric.trim()), in_dialogue: false });
        } else {
            i = action_paragraph(lines, i, &mut out);
            continue;
        }
        i += 1;
    }
    out
}

/// Reads the dialogue block starting at `start`; returns the index after it.
fn dialogue_block(lines: &[SourceLine], start: usize, out: &mut Vec<Element>) -> usize {
    let mut i = start;
    while let Some(line) = lines.get(i) {
        let text = line.text.trim();
        if text.is_empty() {
            // Two spaces on an otherwise empty line continue the dialogue (a paragraph break in speech).
            if line.text.starts_with("  ") && lines.get(i + 1).is_some_and(|l| !l.text.trim().is_empty()) {
                i += 1;
                continue;
            }
            break;
        }
        let number = line.number;
        if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            out.push(Element::Parenthetical { line: number, text: plain(inner.trim()) });
        } else if let Some(lyric) = text.strip_prefix('~') {
            out.push(Element::Lyric { line: number, text: plain(lyric.trim()), in_dialogue: true });
        } else {
            let words: Vec<&str> = text.split_whitespace().collect();
            out.push(Element::Dialogue { line: number, text: plain(&words.join(" ")) });
        }
        i += 1;
    }
    i
}

/// Reads an action paragraph starting at `start` (until a blank line); returns the index after it.
fn action_paragraph(lines: &[SourceLine], start: usize, out: &mut Vec<Element>) -> usize {
    let mut text = String::new();
    let mut i = start;
    while let Some(line) = lines.get(i) {
        let raw = line.text.trim();
        if raw.is_empty() {
            break;
        }
        let piece = if let Some(forced) = raw.strip_prefix('!') {
            forced.trim()
        } else if let Some(centered) = raw.strip_prefix('>').and_then(|t| t.strip_suffix('<')) {
            centered.trim()
        } else {
            raw
        };
        // Runs of spaces (tab indents, removed notes) are layout, not meaning.
        for word in plain(piece).split_whitespace() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(word);
        }
        i += 1;
    }
    if !text.is_empty() {
        out.push(Element::Action { line: lines.get(start).map_or(0, |l| l.number), text });
    }
    i
}

/// The scene heading in `text` without its scene number, if `text` is one: a line starting with INT,
/// EXT, EST, INT./EXT, INT/EXT or I/E followed by a dot or a space, or forced with a leading `.`.
fn scene_heading(text: &str) -> Option<String> {
    let heading = if let Some(forced) = text.strip_prefix('.') {
        // "..." opens an action line with an ellipsis, not a heading.
        if forced.starts_with('.') || forced.trim().is_empty() {
            return None;
        }
        forced
    } else {
        const PREFIXES: [&str; 6] = ["INT./EXT", "INT/EXT", "I/E", "INT", "EXT", "EST"];
        // ASCII upper case only: a non-ASCII letter that upper-cases to ASCII (the dotless ı) must not match.
        let upper = text.chars().take(8).collect::<String>().to_ascii_uppercase();
        let prefix = PREFIXES.iter().find(|p| upper.starts_with(*p))?;
        if !matches!(text.as_bytes().get(prefix.len()), Some(b'.' | b' ')) {
            return None;
        }
        text
    };
    Some(strip_scene_number(heading.trim()).to_owned())
}

/// `INT. HOUSE - DAY #1A#` → `INT. HOUSE - DAY`.
fn strip_scene_number(heading: &str) -> &str {
    if let Some(body) = heading.strip_suffix('#')
        && let Some(open) = body.rfind('#')
    {
        return body[..open].trim_end();
    }
    heading
}

/// An upper-case line ending in `TO:` (CUT TO:, SMASH CUT TO:).
fn is_transition(text: &str) -> bool {
    text.ends_with("TO:") && !text.chars().any(char::is_lowercase)
}

/// The cue in `text` if it is one: upper case with at least one letter (before any extension), or forced
/// with `@`.
fn character_cue(text: &str) -> Option<Cue> {
    let (text, dual) = match text.strip_suffix('^') {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    };
    let (text, forced) = match text.strip_prefix('@') {
        Some(rest) => (rest.trim_start(), true),
        None => (text, false),
    };
    // Other forcing marks (`!`, `~`, `>`, `.`) and punctuation never open a cue.
    if !forced && !text.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let (name, extensions_text) = text.split_once('(').map_or((text, ""), |(n, e)| (n, e));
    let name = plain(name.trim());
    if name.is_empty() || !name.chars().any(char::is_alphabetic) {
        return None;
    }
    if !forced && (name.chars().any(char::is_lowercase) || text.ends_with(':')) {
        return None;
    }
    let extensions = extensions_text
        .split(['(', ')'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_uppercase)
        .collect();
    Some(Cue { name, forced, extensions, dual })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scene_headings_are_recognised() {
        let table = [
            ("INT. KITCHEN - NIGHT", Some("INT. KITCHEN - NIGHT")),
            ("EXT HARBOUR - DAY", Some("EXT HARBOUR - DAY")),
            ("est. city - dawn", Some("est. city - dawn")),
            ("INT./EXT. CAR - MOVING", Some("INT./EXT. CAR - MOVING")),
            ("INT/EXT CAR", Some("INT/EXT CAR")),
            ("I/E TRAIN", Some("I/E TRAIN")),
            ("INT. HOUSE - DAY #1A#", Some("INT. HOUSE - DAY")),
            (".FLASHBACK", Some("FLASHBACK")),
            ("...and then", None),
            ("INTERIOR DESIGN", None),
            ("Exterior walls crumble.", None),
            ("EXTRA", None),
            ("INT. ÉCOLE - JOUR", Some("INT. ÉCOLE - JOUR")),
            ("EXT.ÉÉÉÉ", Some("EXT.ÉÉÉÉ")),
            ("ınt. x", None),
        ];
        for (text, expected) in table {
            assert_eq!(scene_heading(text).as_deref(), expected, "{text:?}");
        }
    }

    #[test]
    fn character_cues_are_taken_apart() {
        let cue = character_cue("MARA (V.O.) (CONT'D) ^").unwrap();
        assert_eq!(cue.name, "MARA");
        assert_eq!(cue.extensions, ["V.O.", "CONT'D"]);
        assert!(cue.dual && !cue.forced);
        let forced = character_cue("@McCLANE").unwrap();
        assert_eq!((forced.name.as_str(), forced.forced), ("McCLANE", true));
        assert_eq!(character_cue("R2D2").map(|c| c.name), Some("R2D2".into()));
        for not_a_cue in ["Mara walks.", "1984", "CUT TO:", "(O.S.)", "", "> THE END <", "!BANG", "~LA LA"] {
            assert_eq!(character_cue(not_a_cue), None, "{not_a_cue:?}");
        }
    }

    #[test]
    fn a_title_page_ends_at_the_first_blank_line() {
        let lines: Vec<SourceLine> =
            ["Title:", "    _**PAPER**_", "    BOAT", "Credit: by", "Author: A", "", "EXT. X"]
                .iter()
                .enumerate()
                .map(|(i, t)| SourceLine { number: i as u32 + 1, text: (*t).into() })
                .collect();
        let (fields, body) = title_page(&lines);
        assert_eq!(fields[0], ("Title".into(), "PAPER BOAT".into(), 1));
        assert_eq!(fields.len(), 3);
        assert_eq!(body, 5);
        let no_title = [SourceLine { number: 1, text: "EXT. HARBOUR: DAY".into() }];
        assert_eq!(title_page(&no_title).1, 0);
    }
}

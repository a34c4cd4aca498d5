//! Sentences, speaking weight and line breaking for Latin, CJK and mixed text.

use crate::timeline::Ms;

use super::CueLayout;

/// Whether a character takes a full (double) cell: CJK ideographs, kana, Hangul, CJK punctuation and
/// full-width forms.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F        // Hangul Jamo leading consonants
        | 0x2E80..=0x303E      // CJK radicals, Kangxi, CJK symbols and punctuation
        | 0x3041..=0x33FF      // kana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xA960..=0xA97F      // Hangul Jamo extended A
        | 0xAC00..=0xD7A3      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFE30..=0xFE4F      // CJK compatibility forms
        | 0xFF01..=0xFF60      // full-width forms
        | 0xFFE0..=0xFFE6      // full-width signs
        | 0x20000..=0x3FFFD    // CJK extensions B and later
    )
}

/// Punctuation that may not start a line (it closes what comes before it).
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        ',' | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '%'
            | '…'
            | '，'
            | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '】'
            | '》'
            | '〉'
            | '”'
            | '’'
            | 'ー'
            | '・'
            | '～'
            | '〕'
            | '］'
            | '｝'
    )
}

/// Punctuation that may not end a line (it opens what comes after it).
pub fn is_opening(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '（' | '「' | '『' | '【' | '《' | '〈' | '“' | '‘' | '〔' | '［' | '｛')
}

/// Letters that are spoken slowly compared with Latin letters: a CJK character is about a syllable, a
/// Latin letter about a third of one.
fn is_cjk_letter(c: char) -> bool {
    is_wide(c) && c.is_alphanumeric()
}

/// How long a text takes to say, in arbitrary units: CJK characters weigh 3, other letters and digits 1,
/// spaces and punctuation nothing.
pub fn speaking_weight(text: &str) -> u64 {
    text.chars()
        .map(|c| {
            if is_cjk_letter(c) {
                3
            } else if c.is_alphanumeric() {
                1
            } else {
                0
            }
        })
        .sum()
}

/// Splits text into sentences, keeping each sentence's end punctuation: Latin `.!?…` end a sentence when
/// followed by a space or the end (so "3.14" stays whole), CJK `。！？` always; closing quotes and brackets
/// stay with the sentence they close.
pub fn split_sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        current.push(c);
        i += 1;
        let cjk_end = matches!(c, '。' | '！' | '？');
        let latin_end = matches!(c, '.' | '!' | '?' | '…');
        if !(cjk_end || latin_end) {
            continue;
        }
        while i < chars.len() && (is_closing(chars[i]) || matches!(chars[i], '"' | '\'')) {
            current.push(chars[i]);
            i += 1;
        }
        if cjk_end || i == chars.len() || chars[i].is_whitespace() {
            let sentence = current.trim();
            if !sentence.is_empty() {
                sentences.push(sentence.to_owned());
            }
            current.clear();
        }
    }
    let rest = current.trim();
    if !rest.is_empty() {
        sentences.push(rest.to_owned());
    }
    sentences
}

/// Shares `total` between parts in proportion to their weights (equally when every weight is 0), as
/// boundaries from 0 to `total` with no gap and no rounding drift.
pub fn share(total: Ms, weights: &[u64]) -> Vec<(Ms, Ms)> {
    let n = weights.len() as u64;
    let sum: u64 = weights.iter().sum();
    let mut bounds = Vec::with_capacity(weights.len());
    let mut acc = 0u64;
    let mut start = 0;
    for (i, &w) in weights.iter().enumerate() {
        acc += if sum == 0 { 1 } else { w };
        let end = if i as u64 + 1 == n {
            total
        } else {
            let denom = if sum == 0 { n } else { sum };
            (u128::from(total) * u128::from(acc) / u128::from(denom)) as Ms
        };
        bounds.push((start, end));
        start = end;
    }
    bounds
}

/// A piece of text that is never broken inside (a Latin word, or one CJK character with the punctuation
/// that must stay with it).
struct Atom {
    text: String,
    width: u32,
    space_before: bool,
}

/// Splits text into atoms; a line may break between any two atoms.
fn atoms(text: &str, layout: &CueLayout) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    let mut space_before = false;
    let mut glue_next = false;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space_before = !out.is_empty();
            in_word = false;
            continue;
        }
        let width = layout.char_width(c);
        let attach_to_previous = !space_before && (is_closing(c) || glue_next || (in_word && !is_wide(c)));
        match out.last_mut() {
            Some(last) if attach_to_previous => {
                last.text.push(c);
                last.width += width;
            }
            _ => out.push(Atom { text: c.to_string(), width, space_before }),
        }
        space_before = false;
        glue_next = is_opening(c);
        in_word = !is_wide(c);
    }
    out
}

/// Breaks text into lines no wider than the layout allows, breaking at spaces for Latin text and between
/// CJK characters (never before closing punctuation nor after opening punctuation). A word wider than a
/// whole line is cut.
pub fn wrap(text: &str, layout: &CueLayout) -> Vec<String> {
    let budget = layout.line_budget();
    let space = layout.char_width(' ');
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0u32;
    for atom in atoms(text, layout) {
        let gap = if atom.space_before && !line.is_empty() { space } else { 0 };
        if !line.is_empty() && width + gap + atom.width > budget {
            lines.push(std::mem::take(&mut line));
            width = 0;
        }
        if !line.is_empty() && atom.space_before {
            line.push(' ');
            width += space;
        }
        if atom.width <= budget {
            line.push_str(&atom.text);
            width += atom.width;
            continue;
        }
        // A single word wider than a line: cut it where it overflows.
        for c in atom.text.chars() {
            let w = layout.char_width(c);
            if !line.is_empty() && width + w > budget {
                lines.push(std::mem::take(&mut line));
                width = 0;
            }
            line.push(c);
            width += w;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

//! Prompt search in Chinese, Japanese and Korean: FTS5's `unicode61` tokenizer keeps a run of CJK characters
//! as one token (a whole sentence has no spaces), so "城市" was never found inside "一只猫在城市里散步".
//!
//! The index therefore stores each prompt with every CJK character made a token of its own
//! ([`split_cjk`], registered as the SQL function `tokenplan_cjk_split` that the index's triggers call), and
//! the query builder splits what is typed the same way: a CJK word becomes a phrase of consecutive characters,
//! which matches exactly where the word appears in the text. Latin words are tokenized as before (whole words,
//! `word*` prefixes, the same prefix index), so their results and speed do not change.
//!
//! Why not the `trigram` tokenizer: it cannot use its index for queries shorter than three characters, and
//! most Chinese words are two (城市, 小猫) — those would scan the whole table (far over 10 ms at 1M rows).

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

/// The SQL name of [`split_cjk`], used by the index's triggers (migration 6).
pub const SPLIT_FUNCTION: &str = "tokenplan_cjk_split";

/// Han ideographs (with extensions and compatibility forms), hiragana, katakana (full and half width) and
/// Hangul syllables: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x31F0..=0x31FF    // katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width katakana
        | 0x20000..=0x3134F  // CJK extensions B–H
    )
}

/// `text` with a space on each side of every CJK character, so the tokenizer makes each one a token; other
/// text is unchanged. Text without CJK is returned as it is (no allocation beyond the copy).
pub fn split_cjk(text: &str) -> String {
    if !text.chars().any(is_cjk) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Registers [`SPLIT_FUNCTION`] on a connection: every connection that writes jobs needs it (the index's
/// triggers call it).
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        SPLIT_FUNCTION,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let text = ctx.get_raw(0);
            Ok(text.as_str_or_null()?.map(split_cjk))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_become_tokens_and_latin_text_stays() {
        assert_eq!(split_cjk("a neon cat"), "a neon cat");
        assert_eq!(split_cjk("猫在城市"), " 猫  在  城  市 ");
        assert_eq!(split_cjk("neon猫 rain"), "neon 猫  rain");
        assert_eq!(split_cjk("ネコが歩く"), " ネ  コ  が  歩  く ");
        assert!(!is_cjk('a') && !is_cjk('é') && !is_cjk('。') && is_cjk('한'));
    }
}

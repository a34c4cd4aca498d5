//! What each speech model accepts beyond the shared enumerations: emotions (`fluent` / `whisper` only on
//! speech-2.6) and interjection tags (only speech-2.8), minimax-api.md §3.1 and minimax-api-2026.md §4.2.

use super::EMOTIONS;
use crate::validation::{Checked, ValidationError};

/// Interjection tags, read aloud as sounds by `speech-2.8-*` only (minimax-api.md §3.1, plus the three the
/// voice-clone page adds).
pub const INTERJECTION_TAGS: &[&str] = &[
    "(laughs)",
    "(chuckle)",
    "(coughs)",
    "(clear-throat)",
    "(groans)",
    "(breath)",
    "(pant)",
    "(inhale)",
    "(exhale)",
    "(gasps)",
    "(sniffs)",
    "(sighs)",
    "(snorts)",
    "(burps)",
    "(lip-smacking)",
    "(humming)",
    "(hissing)",
    "(emm)",
    "(sneezes)",
    "(whistles)",
    "(crying)",
    "(applause)",
];

/// The emotions `model` accepts: `fluent` and `whisper` only on speech-2.6-* (minimax-api.md §3.1; 2.8
/// explicitly refuses `whisper`, and users saw emotion errors on 2.8, minimax-api-2026.md §4.2).
pub fn emotions_for(model: &str) -> Vec<&'static str> {
    EMOTIONS.iter().copied().filter(|emotion| emotion_allowed(model, emotion)).collect()
}

pub(crate) fn emotion_allowed(model: &str, emotion: &str) -> bool {
    !matches!(emotion, "fluent" | "whisper") || model.starts_with("speech-2.6")
}

/// Whether `model` reads interjection tags such as `(laughs)` as sounds (speech-2.8-* only).
pub fn supports_interjections(model: &str) -> bool {
    model.starts_with("speech-2.8")
}

/// The first interjection tag in `text`, if any.
pub fn find_interjection(text: &str) -> Option<&'static str> {
    if !text.contains('(') {
        return None;
    }
    INTERJECTION_TAGS.iter().copied().find(|tag| text.contains(tag))
}

/// Refuses interjection tags on models that would read them out as words.
pub(crate) fn check_interjections(model: &str, text: &str) -> Checked {
    match find_interjection(text) {
        Some(tag) if !supports_interjections(model) => Err(ValidationError::new(
            "text",
            format!("interjection tag {tag} with {model}"),
            "interjection tags only with speech-2.8-*",
        )),
        _ => Ok(()),
    }
}

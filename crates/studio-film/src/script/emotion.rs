//! The speech emotions a line can ask for, and the words that mean them.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The emotion a line is spoken with: the T2A `voice_setting.emotion` values every speech model accepts
/// (`minimax-api.md` §3). `fluent` and `whisper` are left out: they work on speech-2.6 only, and speech-2.8
/// refuses `whisper`, so a script that asked for them would fail on the default model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum LineEmotion {
    /// Happy.
    Happy,
    /// Sad.
    Sad,
    /// Angry.
    Angry,
    /// Fearful.
    Fearful,
    /// Disgusted.
    Disgusted,
    /// Surprised.
    Surprised,
    /// Calm.
    Calm,
}

/// What a free word (a Fountain parenthetical, a draft's emotion) says about the emotion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmotionWord {
    /// The word names (or is a synonym of) an API emotion.
    Known(LineEmotion),
    /// The word asks for a delivery the speech models cannot give (whispering on speech-2.8).
    Unsupported,
    /// The word is not about emotion ("beat", "to Theo").
    NotAnEmotion,
}

/// Synonyms mapped to each emotion, matched as whole words, lower case. Adverbs and adjectives appear in
/// screenplay parentheticals ("angrily", "furious"); the list is short on purpose: a wrong guess would spend
/// quota on the wrong delivery, a missing one only leaves the model's default.
const SYNONYMS: [(LineEmotion, &[&str]); 7] = [
    (
        LineEmotion::Happy,
        &[
            "happy",
            "happily",
            "joyful",
            "joyfully",
            "cheerful",
            "cheerfully",
            "delighted",
            "glad",
            "gleeful",
            "laughing",
            "excited",
            "excitedly",
            "elated",
            "beaming",
            "smiling",
        ],
    ),
    (
        LineEmotion::Sad,
        &[
            "sad",
            "sadly",
            "sorrowful",
            "mournful",
            "tearful",
            "tearfully",
            "crying",
            "weeping",
            "sobbing",
            "melancholy",
            "grieving",
            "heartbroken",
            "glum",
            "wistful",
            "wistfully",
        ],
    ),
    (
        LineEmotion::Angry,
        &[
            "angry",
            "angrily",
            "furious",
            "furiously",
            "mad",
            "enraged",
            "irate",
            "livid",
            "shouting",
            "yelling",
            "seething",
            "annoyed",
            "irritated",
            "snapping",
            "fuming",
        ],
    ),
    (
        LineEmotion::Fearful,
        &[
            "fearful",
            "fearfully",
            "afraid",
            "scared",
            "frightened",
            "terrified",
            "nervous",
            "nervously",
            "anxious",
            "anxiously",
            "panicked",
            "panicking",
            "trembling",
        ],
    ),
    (LineEmotion::Disgusted, &["disgusted", "disgust", "revolted", "repulsed", "grossed", "sickened"]),
    (
        LineEmotion::Surprised,
        &["surprised", "surprise", "astonished", "amazed", "shocked", "stunned", "startled", "incredulous"],
    ),
    (
        LineEmotion::Calm,
        &[
            "calm", "calmly", "gently", "gentle", "soothing", "softly", "serene", "relaxed", "evenly",
            "quietly", "peaceful",
        ],
    ),
];

/// Deliveries no speech-2.8 voice can give.
const UNSUPPORTED: [&str; 4] = ["whisper", "whispering", "whispers", "whispered"];

impl LineEmotion {
    /// All emotions, in the API's order.
    pub const ALL: [LineEmotion; 7] = [
        LineEmotion::Happy,
        LineEmotion::Sad,
        LineEmotion::Angry,
        LineEmotion::Fearful,
        LineEmotion::Disgusted,
        LineEmotion::Surprised,
        LineEmotion::Calm,
    ];

    /// The API value (`"happy"`).
    pub fn name(self) -> &'static str {
        match self {
            LineEmotion::Happy => "happy",
            LineEmotion::Sad => "sad",
            LineEmotion::Angry => "angry",
            LineEmotion::Fearful => "fearful",
            LineEmotion::Disgusted => "disgusted",
            LineEmotion::Surprised => "surprised",
            LineEmotion::Calm => "calm",
        }
    }

    /// Reads free text such as a parenthetical ("quietly, angrily") word by word: the first word that names
    /// an emotion wins; a whisper with no emotion word is reported as unsupported.
    pub fn from_words(text: &str) -> EmotionWord {
        let mut unsupported = false;
        for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
            let word = word.to_lowercase();
            if let Some((emotion, _)) = SYNONYMS.iter().find(|(_, words)| words.contains(&word.as_str())) {
                return EmotionWord::Known(*emotion);
            }
            unsupported |= UNSUPPORTED.contains(&word.as_str());
        }
        if unsupported { EmotionWord::Unsupported } else { EmotionWord::NotAnEmotion }
    }
}

impl fmt::Display for LineEmotion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_emotions() {
        let table = [
            ("happy", EmotionWord::Known(LineEmotion::Happy)),
            ("angrily", EmotionWord::Known(LineEmotion::Angry)),
            ("Furious", EmotionWord::Known(LineEmotion::Angry)),
            ("quietly, near tears", EmotionWord::Known(LineEmotion::Calm)),
            ("to Theo, sadly", EmotionWord::Known(LineEmotion::Sad)),
            ("whispering", EmotionWord::Unsupported),
            ("whispering, terrified", EmotionWord::Known(LineEmotion::Fearful)),
            ("beat", EmotionWord::NotAnEmotion),
            ("into phone", EmotionWord::NotAnEmotion),
            ("", EmotionWord::NotAnEmotion),
        ];
        for (text, expected) in table {
            assert_eq!(LineEmotion::from_words(text), expected, "{text:?}");
        }
    }

    #[test]
    fn every_emotion_is_its_own_synonym_and_serialises_as_the_api_value() {
        for e in LineEmotion::ALL {
            assert_eq!(LineEmotion::from_words(e.name()), EmotionWord::Known(e));
            assert_eq!(serde_json::to_string(&e).unwrap(), format!("\"{}\"", e.name()));
        }
    }
}

//! What kind of generation a job, a price rule or a ledger entry is about.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A kind of generation. Synchronous and asynchronous speech are separate because they are priced
/// differently (PRODUCT.md, the Token Plan table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Modality {
    /// Chat with a text model (M2.7, M2.7-highspeed…).
    Text,
    /// Synchronous or streamed text to speech (`/v1/t2a_v2`).
    Speech,
    /// Asynchronous long-text speech (`/v1/t2a_async_v2`).
    SpeechAsync,
    /// Image generation.
    Image,
    /// Hailuo video generation.
    Video,
    /// A song.
    Music,
    /// Song lyrics.
    Lyrics,
    /// A finished film exported from the storyboard (made locally with ffmpeg; nothing billed).
    Film,
}

impl Modality {
    /// Every modality, in the order the UI lists them.
    pub const ALL: [Modality; 8] = [
        Modality::Text,
        Modality::Speech,
        Modality::SpeechAsync,
        Modality::Image,
        Modality::Video,
        Modality::Music,
        Modality::Lyrics,
        Modality::Film,
    ];

    /// The name stored in the database (the same as the JSON name).
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Text => "text",
            Modality::Speech => "speech",
            Modality::SpeechAsync => "speechAsync",
            Modality::Image => "image",
            Modality::Video => "video",
            Modality::Music => "music",
            Modality::Lyrics => "lyrics",
            Modality::Film => "film",
        }
    }

    /// The modality stored as `name`, if it is one.
    pub fn parse(name: &str) -> Option<Modality> {
        Modality::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_match_json() {
        for modality in Modality::ALL {
            assert_eq!(Modality::parse(modality.as_str()), Some(modality));
            assert_eq!(serde_json::to_value(modality).unwrap(), modality.as_str());
        }
        assert_eq!(Modality::parse("Video"), None, "stored names are exact");
    }
}

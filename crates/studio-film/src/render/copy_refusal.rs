//! Why an export re-encoded its video instead of joining the clips as they are (stream copy), as data: the
//! app words it in the user's language, the command line prints the English of [`fmt::Display`].

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why stream copy was not used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum CopyRefusal {
    /// The user turned it off.
    TurnedOff,
    /// Burned-in subtitles change every frame.
    SubtitlesBurned,
    /// A shot shows a keyframe or a placeholder, not a clip.
    NoClip {
        /// The shot, from 1.
        shot: u32,
    },
    /// A shot's clip has no video stream.
    NoVideo {
        /// The shot, from 1.
        shot: u32,
    },
    /// A shot's clip has another picture size than the export.
    SizeDiffers {
        /// The shot, from 1.
        shot: u32,
        /// The clip's width.
        width: u32,
        /// The clip's height.
        height: u32,
        /// The export's width.
        want_width: u32,
        /// The export's height.
        want_height: u32,
    },
    /// A shot's clip is encoded differently from the first (codec, profile, pixels, frame rate, time base).
    EncodedDifferently {
        /// The shot, from 1.
        shot: u32,
    },
    /// A shot's trim does not fall on its clip's keyframes.
    TrimOffKeyframe {
        /// The shot, from 1.
        shot: u32,
    },
    /// A shot's keyframes could not be read.
    KeyframesUnknown {
        /// The shot, from 1.
        shot: u32,
    },
}

impl fmt::Display for CopyRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CopyRefusal::TurnedOff => f.write_str("stream copy is turned off"),
            CopyRefusal::SubtitlesBurned => f.write_str("subtitles are burned in"),
            CopyRefusal::NoClip { shot } => write!(f, "shot {shot} has no clip yet"),
            CopyRefusal::NoVideo { shot } => write!(f, "shot {shot}'s clip has no video"),
            CopyRefusal::SizeDiffers { shot, width, height, want_width, want_height } => {
                write!(f, "shot {shot}'s clip is {width}×{height}, not {want_width}×{want_height}")
            }
            CopyRefusal::EncodedDifferently { shot } => {
                write!(f, "shot {shot}'s clip is encoded differently")
            }
            CopyRefusal::TrimOffKeyframe { shot } => {
                write!(f, "shot {shot}'s trim does not fall on keyframes")
            }
            CopyRefusal::KeyframesUnknown { shot } => write!(f, "shot {shot}'s keyframes could not be read"),
        }
    }
}

//! The film as time: where each shot, line and the music sit, computed from the film's shots, chosen takes
//! and pacing by [`build`]. Pure: no files are read, so the same input always gives the same timeline and
//! the rules are tested as tables.
//!
//! The rules:
//! - a shot lasts its trimmed clip when it has one; else the longer of its planned length and its voiced
//!   lines (lead-in, lines with gaps, a tail) — a keyframe-only shot grows to fit its lines; else its
//!   planned length. A clip shot never grows: lines that run past its end are reported
//!   ([`TimelineWarning::LineOverflowsClip`]) and keep their full length;
//! - lines without a manual offset follow one another after a short lead-in, with a longer gap when the
//!   speaker changes;
//! - the music bed runs from 0 to the film's end (or its own end), with fades; it is ducked under speech
//!   over [`Timeline::ducking`], the union of the line intervals widened by an attack and a release.

mod build;
pub mod camera;
pub mod edit;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use build::build;
pub use camera::{CameraMove, Motion};
pub use edit::TimelineEdit;

use crate::subtitles::{CueOverride, SubtitleTiming};

/// Milliseconds (film time or media time).
pub type Ms = u64;

/// The film's frame shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum AspectRatio {
    /// 16:9 landscape.
    #[default]
    #[serde(rename = "16:9")]
    Landscape,
    /// 9:16 portrait (phones).
    #[serde(rename = "9:16")]
    Portrait,
    /// 1:1 square.
    #[serde(rename = "1:1")]
    Square,
}

impl AspectRatio {
    /// The frame size whose short side is `short_side` (480 → 854x480, 480x854 or 480x480). The long side is
    /// rounded to an even number, which H.264 in 4:2:0 needs (768 → 1366).
    pub fn frame_size(self, short_side: u32) -> (u32, u32) {
        let long = ((u64::from(short_side) * 16 + 9) / 18 * 2) as u32;
        match self {
            AspectRatio::Landscape => (long, short_side),
            AspectRatio::Portrait => (short_side, long),
            AspectRatio::Square => (short_side, short_side),
        }
    }

    /// The ratio as MiniMax and the UI write it ("16:9").
    pub fn as_str(self) -> &'static str {
        match self {
            AspectRatio::Landscape => "16:9",
            AspectRatio::Portrait => "9:16",
            AspectRatio::Square => "1:1",
        }
    }
}

/// What to do with a clip's own sound (MiniMax-H3 clips may carry audio; Hailuo clips have none). Read
/// leniently: a word this version does not know reads as muted, so a film stored by a newer one still opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ClipAudio {
    /// Play it at full level throughout.
    Keep,
    /// Drop it.
    Mute,
    /// Play it, ducked under the lines like the music.
    #[default]
    UnderLines,
}

impl ClipAudio {
    /// The word the command line and `film show --json` use: `muted`, `kept` or `mixed`.
    pub fn word(self) -> &'static str {
        match self {
            ClipAudio::Mute => "muted",
            ClipAudio::Keep => "kept",
            ClipAudio::UnderLines => "mixed",
        }
    }

    /// Reads a command-line word (`muted`, `kept`, `mixed`) or a stored name (`mute`, `keep`, `underLines`).
    pub fn parse(text: &str) -> Option<ClipAudio> {
        match text.trim() {
            "muted" | "mute" => Some(ClipAudio::Mute),
            "kept" | "keep" => Some(ClipAudio::Keep),
            "mixed" | "underLines" => Some(ClipAudio::UnderLines),
            _ => None,
        }
    }

    /// Whether the clips' own sound is heard at all (MiniMax-H3 is asked for a soundtrack only then).
    pub fn heard(self) -> bool {
        self != ClipAudio::Mute
    }
}

impl<'de> Deserialize<'de> for ClipAudio {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let word = String::deserialize(deserializer)?;
        Ok(ClipAudio::parse(&word).unwrap_or(ClipAudio::Mute))
    }
}

/// Spacing rules for lines and ducking; the defaults suit dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct Pacing {
    /// Silence before a shot's first line.
    #[ts(type = "number")]
    pub lead_in_ms: Ms,
    /// Gap between lines of different speakers.
    #[ts(type = "number")]
    pub speaker_gap_ms: Ms,
    /// Gap between consecutive lines of the same speaker.
    #[ts(type = "number")]
    pub same_speaker_gap_ms: Ms,
    /// Silence kept after the last line when a keyframe shot grows to fit its lines.
    #[ts(type = "number")]
    pub tail_ms: Ms,
    /// How long before a line the music starts to duck.
    #[ts(type = "number")]
    pub duck_attack_ms: Ms,
    /// How long after a line the music takes to come back.
    #[ts(type = "number")]
    pub duck_release_ms: Ms,
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing {
            lead_in_ms: 300,
            speaker_gap_ms: 300,
            same_speaker_gap_ms: 150,
            tail_ms: 400,
            duck_attack_ms: 150,
            duck_release_ms: 350,
        }
    }
}

/// Everything the timeline is computed from (the lead maps the film's rows to this).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmInput {
    /// Frame shape of the film.
    #[serde(default)]
    pub aspect_ratio: AspectRatio,
    /// Shots in order.
    pub shots: Vec<ShotInput>,
    /// The music bed, if chosen.
    #[serde(default)]
    pub music: Option<MusicBed>,
    /// What clips' own sound does.
    #[serde(default)]
    pub clip_audio: ClipAudio,
    /// Line spacing and ducking times.
    #[serde(default)]
    pub pacing: Pacing,
    /// Subtitle text typed over the generated cues.
    #[serde(default)]
    pub cue_overrides: Vec<CueOverride>,
}

/// One shot as the timeline needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShotInput {
    /// The shot's id.
    #[ts(type = "number")]
    pub id: i64,
    /// The length planned in the storyboard.
    #[ts(type = "number")]
    pub planned_ms: Ms,
    /// The chosen clip, once there is one.
    #[serde(default)]
    pub clip: Option<ClipInput>,
    /// The chosen keyframe, standing in for the clip in the animatic.
    #[serde(default)]
    pub keyframe: Option<KeyframeInput>,
    /// The shot's lines in order.
    #[serde(default)]
    pub lines: Vec<LineInput>,
}

/// A chosen clip and its trim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClipInput {
    /// The video file.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Its length (from ffprobe or the generation).
    #[ts(type = "number")]
    pub media_ms: Ms,
    /// Where the shot starts in the clip.
    #[serde(default)]
    #[ts(type = "number")]
    pub trim_in_ms: Ms,
    /// Where the shot ends in the clip (`None`: the clip's end).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub trim_out_ms: Option<Ms>,
    /// Whether the file has an audio stream.
    #[serde(default)]
    pub has_audio: bool,
}

impl ClipInput {
    /// The trimmed range, clamped into the media; `None` when it is empty.
    pub fn range(&self) -> Option<(Ms, Ms)> {
        let out = self.trim_out_ms.unwrap_or(self.media_ms).min(self.media_ms);
        (self.trim_in_ms < out).then_some((self.trim_in_ms, out))
    }
}

/// A chosen keyframe and the shot's camera move(s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyframeInput {
    /// The image file.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Hailuo camera commands ("Push in", "Pan left", "Static shot"…), applied together.
    #[serde(default)]
    pub camera: Vec<String>,
}

/// One line of dialogue or narration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LineInput {
    /// The line's id.
    #[ts(type = "number")]
    pub id: i64,
    /// Who speaks (a cast member's name or "Narrator").
    pub speaker: String,
    /// What is said.
    pub text: String,
    /// The chosen voiced take, once there is one.
    #[serde(default)]
    pub audio: Option<LineAudio>,
    /// Start within the shot set by hand (`None`: placed after the previous line).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub offset_ms: Option<Ms>,
}

/// A voiced take of a line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LineAudio {
    /// The audio file.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Its decoded length.
    #[ts(type = "number")]
    pub duration_ms: Ms,
    /// MiniMax's sentence timings (`subtitle_file`), when the request asked for them.
    #[serde(default)]
    pub subtitles: Option<Vec<SubtitleTiming>>,
}

/// The music bed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MusicBed {
    /// The audio file.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Its length.
    #[ts(type = "number")]
    pub media_ms: Ms,
    /// Linear gain (1 = as generated).
    pub volume: f32,
    /// Fade in from the start.
    #[ts(type = "number")]
    pub fade_in_ms: Ms,
    /// Fade out to the end.
    #[ts(type = "number")]
    pub fade_out_ms: Ms,
    /// Ducking under speech (`None`: off).
    #[serde(default)]
    pub ducking: Option<Ducking>,
}

/// How far the music (and clip sound) drops under speech.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Ducking {
    /// Gain change in dB while a line plays (negative, e.g. -12).
    pub amount_db: f32,
}

impl Ducking {
    /// The linear gain while ducked.
    pub fn gain(self) -> f32 {
        10f32.powf(self.amount_db.min(0.0) / 20.0)
    }
}

/// A stretch of film time, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Span {
    /// Start.
    #[ts(type = "number")]
    pub start_ms: Ms,
    /// End (exclusive).
    #[ts(type = "number")]
    pub end_ms: Ms,
}

/// The film as time: the output of [`build`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Timeline {
    /// Frame shape.
    pub aspect_ratio: AspectRatio,
    /// Shots with their absolute times, in film order.
    pub shots: Vec<TimedShot>,
    /// Voiced lines with their absolute times, in film order.
    pub lines: Vec<TimedLine>,
    /// The music bed, placed.
    pub music: Option<TimedMusic>,
    /// Where speech plays, widened by attack and release and merged: the music ducks here.
    pub ducking: Vec<Span>,
    /// What clips' own sound does.
    pub clip_audio: ClipAudio,
    /// The spacing and ducking times the timeline was built with (the ducking ramps use them).
    pub pacing: Pacing,
    /// Subtitle text typed over the generated cues.
    pub cue_overrides: Vec<CueOverride>,
    /// Total length.
    #[ts(type = "number")]
    pub duration_ms: Ms,
    /// What the rules had to bend; the UI lists these.
    pub warnings: Vec<TimelineWarning>,
}

/// A shot, placed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimedShot {
    /// The shot's id.
    #[ts(type = "number")]
    pub id: i64,
    /// Position in the film (0-based).
    pub index: u32,
    /// Absolute start.
    #[ts(type = "number")]
    pub start_ms: Ms,
    /// Absolute end (exclusive).
    #[ts(type = "number")]
    pub end_ms: Ms,
    /// What is seen.
    pub picture: Picture,
    /// How much the shot grew past its planned length to fit its lines.
    #[ts(type = "number")]
    pub extended_ms: Ms,
}

impl TimedShot {
    /// The shot's length.
    pub fn duration_ms(&self) -> Ms {
        self.end_ms - self.start_ms
    }
}

/// What a shot shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Picture {
    /// The chosen clip, trimmed.
    #[serde(rename_all = "camelCase")]
    Clip {
        /// The video file.
        #[ts(type = "string")]
        path: PathBuf,
        /// First media time used.
        #[ts(type = "number")]
        in_ms: Ms,
        /// Media time where the shot ends (exclusive).
        #[ts(type = "number")]
        out_ms: Ms,
        /// The clip's full length.
        #[ts(type = "number")]
        media_ms: Ms,
        /// Whether the file has an audio stream.
        has_audio: bool,
    },
    /// The chosen keyframe held with a slow move (animatic).
    #[serde(rename_all = "camelCase")]
    Still {
        /// The image file.
        #[ts(type = "string")]
        path: PathBuf,
        /// The move that follows the shot's camera commands.
        motion: Motion,
    },
    /// Nothing chosen yet: black.
    Blank,
}

/// A voiced line, placed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimedLine {
    /// The line's id.
    #[ts(type = "number")]
    pub id: i64,
    /// The shot it belongs to.
    #[ts(type = "number")]
    pub shot_id: i64,
    /// Absolute start.
    #[ts(type = "number")]
    pub start_ms: Ms,
    /// Absolute end (exclusive).
    #[ts(type = "number")]
    pub end_ms: Ms,
    /// The audio file.
    #[ts(type = "string")]
    pub audio_path: PathBuf,
    /// Who speaks.
    pub speaker: String,
    /// What is said.
    pub text: String,
    /// MiniMax's sentence timings, relative to the line's start.
    pub subtitles: Option<Vec<SubtitleTiming>>,
    /// How far it runs past the end of its clip shot (0 when it fits).
    #[ts(type = "number")]
    pub overflow_ms: Ms,
}

/// The music bed, placed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimedMusic {
    /// The audio file.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Where it stops: the film's end, or the music's own end when it is shorter.
    #[ts(type = "number")]
    pub end_ms: Ms,
    /// Linear gain.
    pub volume: f32,
    /// Fade in (clamped to fit).
    #[ts(type = "number")]
    pub fade_in_ms: Ms,
    /// Fade out ending at `end_ms` (clamped to fit).
    #[ts(type = "number")]
    pub fade_out_ms: Ms,
    /// Ducking under [`Timeline::ducking`].
    pub ducking: Option<Ducking>,
}

/// Something the rules had to bend, for the UI to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum TimelineWarning {
    /// A line runs past the end of its shot's clip (clip shots are not extended).
    #[serde(rename_all = "camelCase")]
    LineOverflowsClip {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
        /// The line.
        #[ts(type = "number")]
        line_id: i64,
        /// By how much.
        #[ts(type = "number")]
        overflow_ms: Ms,
    },
    /// A line's audio has no length; it is left out.
    #[serde(rename_all = "camelCase")]
    ZeroLengthLine {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
        /// The line.
        #[ts(type = "number")]
        line_id: i64,
    },
    /// A clip's trim is empty or outside the clip; the whole clip is used.
    #[serde(rename_all = "camelCase")]
    TrimOutOfRange {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
    },
    /// A shot has neither clip nor keyframe: it shows black.
    #[serde(rename_all = "camelCase")]
    NoPicture {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
    },
    /// A shot has no length; it is left out.
    #[serde(rename_all = "camelCase")]
    EmptyShot {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
    },
    /// The music is shorter than the film: it ends (with its fade) before the film does.
    #[serde(rename_all = "camelCase")]
    MusicEndsEarly {
        /// Where it ends.
        #[ts(type = "number")]
        end_ms: Ms,
    },
}

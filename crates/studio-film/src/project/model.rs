//! The film as the app, the command line and the UI see it: a film with its cast, its shots in order, their
//! lines, and the takes made for every slot. These are read from the library's film tables
//! (`store`) and cross the IPC edge as they are (camelCase, TypeScript bindings).

use serde::{Deserialize, Serialize};
use studio_core::storage::JobState;
use studio_core::voices::VoiceStatus;
use ts_rs::TS;

use crate::script::AspectRatio;
use crate::timeline::ClipAudio;

/// The video model a film's clips use unless a shot says otherwise.
pub const DEFAULT_VIDEO_MODEL: &str = "MiniMax-Hailuo-2.3";
/// The clips' resolution unless a shot says otherwise.
pub const DEFAULT_VIDEO_RESOLUTION: &str = "768P";
/// The keyframes' model.
pub const DEFAULT_IMAGE_MODEL: &str = "image-01";
/// The lines' speech model when a character's voice names none.
pub const DEFAULT_SPEECH_MODEL: &str = "speech-2.8-hd";
/// The narrator's voice when the film names none.
pub const DEFAULT_NARRATOR_VOICE: &str = "English_expressive_narrator";
/// The music bed's model.
pub const DEFAULT_MUSIC_MODEL: &str = "music-2.5+";

/// A film in the list: enough to find it and open it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmSummary {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its aspect ratio.
    pub aspect_ratio: AspectRatio,
    /// How many shots it has.
    pub shot_count: u32,
    /// Its planned length, seconds (the shots' durations).
    pub planned_s: f64,
    /// The first shot's chosen keyframe, as a library path (the list's poster).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poster: Option<String>,
    /// Epoch ms of the last edit.
    #[ts(type = "number")]
    pub updated_at_ms: i64,
}

/// The settings that apply to every shot unless the shot says otherwise, and the music bed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct FilmSettings {
    /// The clips' model.
    pub video_model: String,
    /// The clips' resolution (`512P`, `768P`, `1080P`…).
    pub video_resolution: String,
    /// The keyframes' model.
    pub image_model: String,
    /// The model of lines whose speaker's voice names none.
    pub speech_model: String,
    /// The narrator's voice id.
    pub narrator_voice: String,
    /// What happens to a clip's own sound: Hailuo clips have none; MiniMax-H3 makes a soundtrack only when
    /// it will be heard (kept, or mixed under the lines), so muted films ask it for silent clips.
    pub clip_audio: ClipAudio,
    /// The music cue, if the film has one.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub music: Option<MusicCue>,
}

impl Default for FilmSettings {
    fn default() -> Self {
        FilmSettings {
            video_model: DEFAULT_VIDEO_MODEL.into(),
            video_resolution: DEFAULT_VIDEO_RESOLUTION.into(),
            image_model: DEFAULT_IMAGE_MODEL.into(),
            speech_model: DEFAULT_SPEECH_MODEL.into(),
            narrator_voice: DEFAULT_NARRATOR_VOICE.into(),
            clip_audio: ClipAudio::Mute,
            music: None,
        }
    }
}

/// The film's music: what to ask for, and how the bed sits under the film.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MusicCue {
    /// Style, mood, instruments.
    pub prompt: String,
    /// Lyrics; none ⇒ instrumental.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics: Option<String>,
    /// The music model.
    #[serde(default = "default_music_model")]
    pub model: String,
    /// The bed's volume, 0–1.
    #[serde(default = "default_volume")]
    pub volume: f32,
    /// Fade in, ms.
    #[serde(default = "default_fade")]
    pub fade_in_ms: u32,
    /// Fade out, ms.
    #[serde(default = "default_fade")]
    pub fade_out_ms: u32,
    /// How far the bed ducks under speech, dB (none ⇒ no ducking).
    #[ts(optional)]
    #[serde(default = "default_ducking")]
    pub ducking_db: Option<f32>,
}

fn default_music_model() -> String {
    DEFAULT_MUSIC_MODEL.into()
}
fn default_volume() -> f32 {
    0.6
}
fn default_fade() -> u32 {
    1_500
}
#[expect(clippy::unnecessary_wraps, reason = "serde's default must return the field's type")]
fn default_ducking() -> Option<f32> {
    Some(12.0)
}

/// A character's voice: a system (or designed, cloned) voice with its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Voice {
    /// The voice id.
    pub voice_id: String,
    /// The speech model (the film's when absent).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// `[0.5, 2]`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// `[-12, 12]`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitch: Option<i32>,
    /// The default emotion of their lines.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<String>,
}

/// A member of the film's cast (a character can appear in several films).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CastMember {
    /// The character's id.
    #[ts(type = "number")]
    pub id: i64,
    /// Their name.
    pub name: String,
    /// How they look (added to every keyframe prompt they are in).
    pub look: String,
    /// Notes.
    pub notes: String,
    /// Their voice.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<Voice>,
    /// Reference images (library paths), used as image-01's subject reference for their keyframes.
    pub references: Vec<ReferenceImage>,
    /// Where their voice stands when the film was read: a designed or cloned voice can expire (unused for 7
    /// days) or be deleted, and their lines are then refused before any spend. Absent without a voice.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_status: Option<VoiceStatus>,
}

/// A character's reference image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReferenceImage {
    /// The library path (`media/…` or `inputs/…`).
    pub rel_path: String,
    /// Whether the file is still there (a deleted reference is said before any spend).
    pub present: bool,
}

/// How a shot's clip starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ClipStart {
    /// Text to video, from the description alone.
    Text,
    /// Image to video from the shot's chosen keyframe.
    Keyframe,
    /// First and last frame: this shot's keyframe into the next shot's.
    FirstLast,
    /// The previous shot's last frame (taken from its chosen clip), for continuity.
    PreviousLastFrame,
}

impl ClipStart {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClipStart::Text => "text",
            ClipStart::Keyframe => "keyframe",
            ClipStart::FirstLast => "firstLast",
            ClipStart::PreviousLastFrame => "previousLastFrame",
        }
    }

    /// The start stored as `name` (keyframe for anything unknown).
    pub fn parse(name: &str) -> ClipStart {
        match name {
            "text" => ClipStart::Text,
            "firstLast" => ClipStart::FirstLast,
            "previousLastFrame" => ClipStart::PreviousLastFrame,
            _ => ClipStart::Keyframe,
        }
    }
}

/// A slot a take fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Slot {
    /// A shot's keyframe (image-01).
    Keyframe,
    /// A shot's clip (video).
    Clip,
    /// A line's voice (speech).
    Line,
    /// The film's music bed.
    Music,
}

impl Slot {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Keyframe => "keyframe",
            Slot::Clip => "clip",
            Slot::Line => "line",
            Slot::Music => "music",
        }
    }

    /// The slot stored as `name`.
    pub fn parse(name: &str) -> Option<Slot> {
        [Slot::Keyframe, Slot::Clip, Slot::Line, Slot::Music].into_iter().find(|s| s.as_str() == name)
    }
}

/// One take: a job made for a slot (one file of it: an image job makes several).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Take {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// The job that makes it (an ordinary job of the Library).
    #[ts(type = "number")]
    pub job_id: i64,
    /// Which of the job's files.
    pub ordinal: u32,
    /// The job's state.
    pub state: JobState,
    /// The take the film uses for its slot.
    pub chosen: bool,
    /// The file, once made (library path).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel_path: Option<String>,
    /// Its media row id (to play or open it).
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<i64>,
    /// Its MIME type.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime: Option<String>,
    /// Its length, when known.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u32>,
    /// Requests it cost (or is estimated to).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<u32>,
    /// Made with something that has changed since (the speaker's voice): shown, never re-made by itself.
    pub stale: bool,
    /// The original file's name, for a take brought in from outside (an imported music bed).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<String>,
}

/// A spoken line of a shot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Line {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// The speaking character (none ⇒ the narrator).
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_id: Option<i64>,
    /// The speaker's name as shown (`Narrator` for the narrator).
    pub speaker: String,
    /// What is said.
    pub text: String,
    /// How it is said.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<String>,
    /// Where it starts in its shot, ms (none ⇒ placed after the one before).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_ms: Option<u32>,
    /// The subtitle text when edited (none ⇒ the line's text).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle_text: Option<String>,
    /// Its takes, newest first.
    pub takes: Vec<Take>,
}

/// A shot of the storyboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Shot {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its place in the film, from 0.
    pub index: u32,
    /// What is seen (the visual prompt).
    pub description: String,
    /// Camera moves from the Hailuo palette (`Push in`, `Pan left`…).
    pub camera: Vec<String>,
    /// Planned length, seconds.
    pub duration_s: f64,
    /// Characters in frame (cast ids).
    #[ts(type = "Array<number>")]
    pub characters: Vec<i64>,
    /// How the clip starts.
    pub clip_start: ClipStart,
    /// A video model other than the film's.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_model: Option<String>,
    /// A resolution other than the film's.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_resolution: Option<String>,
    /// Trim of the chosen clip, ms from its start.
    pub trim_in_ms: u32,
    /// End of the chosen clip's trim, ms (none ⇒ its end).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trim_out_ms: Option<u32>,
    /// Its lines, in order.
    pub lines: Vec<Line>,
    /// Keyframe takes, newest first.
    pub keyframes: Vec<Take>,
    /// Clip takes, newest first.
    pub clips: Vec<Take>,
}

/// A whole film.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Film {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its title.
    pub title: String,
    /// One sentence of what it is about.
    pub logline: String,
    /// Its frame.
    pub aspect_ratio: AspectRatio,
    /// Visual style notes added to every shot's prompt.
    pub style: String,
    /// The length aimed at, seconds.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_length_s: Option<u32>,
    /// Models, music and sound.
    pub settings: FilmSettings,
    /// The cast, in order.
    pub cast: Vec<CastMember>,
    /// The shots, in order.
    pub shots: Vec<Shot>,
    /// Music takes, newest first.
    pub music: Vec<Take>,
    /// Whether an edit can be undone.
    pub can_undo: bool,
    /// Epoch ms.
    #[ts(type = "number")]
    pub created_at_ms: i64,
    /// Epoch ms of the last edit.
    #[ts(type = "number")]
    pub updated_at_ms: i64,
}

impl Film {
    /// The cast member with id `id`.
    pub fn member(&self, id: i64) -> Option<&CastMember> {
        self.cast.iter().find(|c| c.id == id)
    }

    /// The shot with id `id`.
    pub fn shot(&self, id: i64) -> Option<&Shot> {
        self.shots.iter().find(|s| s.id == id)
    }
}

/// The chosen take of `takes`, if one is chosen.
pub fn chosen(takes: &[Take]) -> Option<&Take> {
    takes.iter().find(|t| t.chosen)
}

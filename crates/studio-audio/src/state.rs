//! What the player plays and what it reports: tracks, formats, the state snapshot and the events.
//! The IPC-facing types derive `Serialize` + `TS` so the app can forward them to the UI unchanged.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AudioError, AudioErrorKind};

/// An audio encoding. Files are recognised by extension when no format is given; raw PCM never is
/// (it has no header), so it always needs its sample rate and channel count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum AudioFormat {
    /// MPEG-1/2 Layer III.
    Mp3,
    /// RIFF WAVE (PCM inside).
    Wav,
    /// FLAC.
    Flac,
    /// Ogg Vorbis. Ogg Opus is not supported: no maintained pure-Rust Opus decoder fits (symphonia has
    /// none; the `opus` crates bind libopus, a C dependency every platform build would then need).
    Ogg,
    /// Raw interleaved little-endian signed 16-bit samples, as MiniMax returns for `format: "pcm"`.
    Pcm {
        /// Frames per second.
        sample_rate: u32,
        /// Interleaved channels.
        channels: u16,
    },
}

impl AudioFormat {
    /// The format a file extension names (`mp3`, `wav`, `flac`, `ogg`/`oga`), case-insensitively.
    pub fn from_extension(path: &Path) -> Option<AudioFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "mp3" => Some(AudioFormat::Mp3),
            "wav" | "wave" => Some(AudioFormat::Wav),
            "flac" => Some(AudioFormat::Flac),
            "ogg" | "oga" => Some(AudioFormat::Ogg),
            _ => None,
        }
    }

    /// The format of a MiniMax `audio_setting` (`format`, `sample_rate`, `channel`); `None` for what
    /// this player cannot decode (`opus`, `pcmu_raw`, `pcmu_wav`). The API's defaults are 32 kHz mono.
    pub fn from_api(format: &str, sample_rate: Option<u32>, channels: Option<u8>) -> Option<AudioFormat> {
        match format {
            "mp3" => Some(AudioFormat::Mp3),
            "wav" => Some(AudioFormat::Wav),
            "flac" => Some(AudioFormat::Flac),
            "pcm" => Some(AudioFormat::Pcm {
                sample_rate: sample_rate.unwrap_or(32_000),
                channels: u16::from(channels.unwrap_or(1)),
            }),
            _ => None,
        }
    }

    /// Whether it decodes chunk by chunk, so it can play while it arrives (MP3 and raw PCM).
    pub fn streams(self) -> bool {
        matches!(self, AudioFormat::Mp3 | AudioFormat::Pcm { .. })
    }

    /// The extension symphonia probes with.
    pub(crate) fn hint(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Wav => "wav",
            AudioFormat::Flac => "flac",
            AudioFormat::Ogg => "ogg",
            AudioFormat::Pcm { .. } => "pcm",
        }
    }
}

/// What the UI shows about a track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrackInfo {
    /// The caller's id (e.g. the media row id), echoed in events.
    pub id: String,
    /// Display title.
    pub title: String,
}

/// Where a track's bytes are.
#[derive(Debug, Clone)]
pub enum Media {
    /// A file, decoded while it plays (never read whole).
    File(PathBuf),
    /// Bytes in memory (shared, so a queue can replay them without copying).
    Bytes(Arc<[u8]>),
}

/// A track to play: what to show, where the audio is, and its format when the file name does not say.
#[derive(Debug, Clone)]
pub struct Track {
    /// Id and title.
    pub info: TrackInfo,
    /// The audio.
    pub media: Media,
    /// The format; `None` means "from the file extension, else probe the content".
    pub format: Option<AudioFormat>,
}

impl Track {
    /// A file; the format comes from its extension unless set with [`Track::with_format`].
    pub fn file(id: impl Into<String>, title: impl Into<String>, path: impl Into<PathBuf>) -> Track {
        let info = TrackInfo { id: id.into(), title: title.into() };
        Track { info, media: Media::File(path.into()), format: None }
    }

    /// Bytes in memory in a known format.
    pub fn bytes(
        id: impl Into<String>,
        title: impl Into<String>,
        bytes: impl Into<Arc<[u8]>>,
        format: AudioFormat,
    ) -> Track {
        let info = TrackInfo { id: id.into(), title: title.into() };
        Track { info, media: Media::Bytes(bytes.into()), format: Some(format) }
    }

    /// Sets the format explicitly (needed for raw PCM files).
    pub fn with_format(mut self, format: AudioFormat) -> Track {
        self.format = Some(format);
        self
    }
}

/// Where the player is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PlaybackStatus {
    /// Nothing loaded, or stopped. The output device is closed.
    Idle,
    /// Sound is flowing (or, for streamed speech, about to as soon as the first chunk decodes).
    Playing,
    /// Loaded and holding its position; the device stays open so resuming is instant.
    Paused,
    /// The last track of the queue finished. The output device is closed.
    Ended,
}

/// A whole snapshot of the player: what the `player-changed` event carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlayerState {
    /// Idle, playing, paused or ended.
    pub status: PlaybackStatus,
    /// The current track, if any (kept after it ends so the UI can offer to replay it).
    pub track: Option<TrackInfo>,
    /// Position in the current track.
    #[ts(type = "number")]
    pub position_ms: u64,
    /// Length of the current track when known; for streamed speech, what has arrived so far.
    #[ts(type = "number | null")]
    pub duration_ms: Option<u64>,
    /// Output volume, 0.0 (silent) to 1.0 (as recorded).
    pub volume: f32,
    /// Index of the current track in the queue.
    pub queue_index: Option<u32>,
    /// Tracks in the queue.
    pub queue_length: u32,
    /// Streamed speech whose chunks are still arriving (seeking is not possible until it is saved).
    pub streaming: bool,
    /// Takes being compared A/B: they play in step and one is heard.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<CompareState>,
}

/// An A/B comparison: two to four takes of one line play in step; switching crossfades to another at the
/// same position. Each take's gain matches its loudness to the others, so the louder one does not win.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CompareState {
    /// The takes, in order (A, B, …).
    pub tracks: Vec<TrackInfo>,
    /// The one heard.
    pub active: u32,
    /// Each take's loudness-matching gain, in dB (0 = as recorded).
    pub gains_db: Vec<f32>,
}

impl Default for PlayerState {
    fn default() -> Self {
        PlayerState {
            status: PlaybackStatus::Idle,
            track: None,
            position_ms: 0,
            duration_ms: None,
            volume: 1.0,
            queue_index: None,
            queue_length: 0,
            streaming: false,
            compare: None,
        }
    }
}

/// An error the UI shows: its kind, a message, and the track it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlayerError {
    /// What kind of failure.
    pub kind: AudioErrorKind,
    /// A human-readable explanation.
    pub message: String,
    /// The track concerned, if any.
    pub track_id: Option<String>,
}

impl PlayerError {
    /// The report of `error` about `track_id`.
    pub fn new(error: &AudioError, track_id: Option<String>) -> Self {
        PlayerError { kind: error.kind(), message: error.to_string(), track_id }
    }
}

/// When the sound of a track began: the moment its first samples were decoded and the moment the
/// device callback took the first of them. For diagnostics and benchmarks, never sent to the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoundTiming {
    /// First decoded samples ready (for streamed speech: the first chunk decoded).
    pub decoded_at: Option<Instant>,
    /// First samples handed to the output device.
    pub first_sample_at: Instant,
}

/// What the player reports on its event channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum PlayerEvent {
    /// Anything in [`PlayerState`] other than the position changed; carries the whole snapshot.
    StateChanged {
        /// The new state.
        state: PlayerState,
    },
    /// The position moved (at most ten times a second, only while playing).
    Position {
        /// The track playing.
        track_id: String,
        /// Position in it.
        #[ts(type = "number")]
        position_ms: u64,
        /// Its length when known.
        #[ts(type = "number | null")]
        duration_ms: Option<u64>,
    },
    /// The first samples of a track reached the output device.
    SoundStarted {
        /// The track now audible.
        track_id: String,
        /// Exact instants, for benchmarks (not serialized).
        #[serde(skip)]
        #[ts(skip)]
        timing: Option<SoundTiming>,
    },
    /// A track played to its end (not sent when it was stopped or skipped).
    TrackEnded {
        /// The track that ended.
        track_id: String,
    },
    /// Something failed outside any command's reply: a broken track in the queue, a seek the decoder
    /// refused, the device lost mid-play.
    Error {
        /// What failed.
        error: PlayerError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_and_formats_have_the_ipc_shape() {
        let event = PlayerEvent::Position { track_id: "7".into(), position_ms: 1500, duration_ms: None };
        let expected = json!({"type": "position", "trackId": "7", "positionMs": 1500, "durationMs": null});
        assert_eq!(serde_json::to_value(&event).unwrap(), expected);
        let timing = SoundTiming { decoded_at: None, first_sample_at: Instant::now() };
        let started = PlayerEvent::SoundStarted { track_id: "7".into(), timing: Some(timing) };
        let value = serde_json::to_value(&started).unwrap();
        assert_eq!(value, json!({"type": "soundStarted", "trackId": "7"}), "timings stay in Rust");
        let pcm = AudioFormat::Pcm { sample_rate: 24_000, channels: 1 };
        assert_eq!(
            serde_json::to_value(pcm).unwrap(),
            json!({"type": "pcm", "sampleRate": 24000, "channels": 1})
        );
        let state = serde_json::to_value(PlayerState::default()).unwrap();
        assert_eq!(state["status"], "idle");
        assert_eq!(state["queueIndex"], serde_json::Value::Null);
    }

    #[test]
    fn api_formats_map_to_what_we_decode() {
        assert_eq!(
            AudioFormat::from_api("pcm", None, None),
            Some(AudioFormat::Pcm { sample_rate: 32_000, channels: 1 })
        );
        assert_eq!(AudioFormat::from_api("mp3", Some(44_100), Some(2)), Some(AudioFormat::Mp3));
        assert_eq!(AudioFormat::from_api("opus", None, None), None);
        assert_eq!(AudioFormat::from_extension(Path::new("/m/a.FLAC")), Some(AudioFormat::Flac));
        assert_eq!(AudioFormat::from_extension(Path::new("/m/a.pcm")), None);
    }
}

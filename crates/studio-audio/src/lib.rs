//! The native audio player of Token Plan Studio: rodio behind a handle, one thread owns the device.
//!
//! # Wiring it into the app
//!
//! At start-up, spawn the player once, keep the handle in Tauri state and forward its events:
//!
//! ```no_run
//! # fn wire() -> studio_audio::Result<()> {
//! use studio_audio::{Player, PlayerEvent};
//! let (player, events) = Player::spawn()?;
//! let for_events = player.clone();
//! std::thread::spawn(move || {
//!     for event in events {
//!         match event {
//!             // Both become `player-changed` carrying `for_events.state()` (a whole `PlayerState`).
//!             PlayerEvent::StateChanged { .. } | PlayerEvent::Position { .. } => { /* emit */ }
//!             // Shown as a toast; `error.kind` is `noDevice` when there is no audio device.
//!             PlayerEvent::Error { error } => { let _ = error; }
//!             PlayerEvent::SoundStarted { .. } | PlayerEvent::TrackEnded { .. } => {}
//!         }
//!     }
//! });
//! # Ok(()) }
//! ```
//!
//! Commands, each one call returning `Result<PlayerState, IpcError>` (map [`AudioError::kind`]:
//! `noDevice`/`decode`/`io`… onto the IPC kinds):
//! - `play_media(media_id)`: resolve the media row to its file, then
//!   `player.play(Track::file(media_id, title, path))` (add `.with_format(AudioFormat::Pcm { .. })` for
//!   raw PCM, from the job's request); a list view can pass its items to `play_queue`.
//! - `pause`, `resume`, `stop`: the handle methods of the same names.
//! - `seek(position_ms)`: `player.seek(Duration::from_millis(position_ms))`.
//! - `set_volume(volume)`: `player.set_volume(volume)` (0.0–1.0).
//! - A/B compare of 2–4 takes: `player.compare(tracks, matching_gains(&loudness), 0)` with each take's
//!   [`analyze`] (run on a blocking thread), then `player.switch_to(i)`: the takes play in step, so a switch
//!   keeps the position and crossfades in a few milliseconds.
//! - The mini-player's waveform: `peaks(path, width)` (decodes once, then reads the cache beside the
//!   file); run it on a blocking thread.
//!
//! The handle's control methods block for the thread's answer (microseconds; opening a file and
//! probing its format for `play`), which is fine from an async command. Streamed speech: a
//! [`StreamedAudio`] takes the chunks as they arrive (from the job runner's tap, which also saves them)
//! and plays them; `abandon` it when the stream breaks off.
//!
//! # Design
//! - One thread (`studio-audio`) owns the rodio output; the handle sends private commands and the
//!   thread answers with the new [`PlayerState`] and reports [`PlayerEvent`]s. The device is opened
//!   only while something is loaded, so an idle app holds no device and a machine without one only
//!   sees [`AudioError::NoDevice`] when it tries to play.
//! - Formats: MP3, WAV, FLAC and Ogg Vorbis through symphonia; raw 16-bit PCM with its rate and
//!   channels. Ogg Opus is not supported (no maintained pure-Rust decoder; see [`AudioFormat::Ogg`]).
//! - Streamed MP3 is cut into frames and decoded as each completes; the sound starts with the first
//!   decoded frame and plays silence while waiting for more.

mod command;
mod controlled;
mod decode;
mod device;
mod error;
mod handle;
mod live;
mod loudness;
mod machine;
mod mp3;
mod pcm;
mod peaks;
mod state;
mod streamed;

pub use error::{AudioError, AudioErrorKind, Result};

/// How long an A/B switch crossfades from one take to the other (the benches print it beside the gap).
pub const SWITCH_FADE: std::time::Duration = controlled::GAIN_RAMP;
pub use handle::{Player, PlayerHandle, StreamFeed};
pub use loudness::{Loudness, analyze, analyze_file, matching_gains};
pub use peaks::{
    MAX_WIDTH, Waveform, cache_path as peaks_cache_path, peaks, peaks_cached_in, peaks_with_format,
};
pub use state::{
    AudioFormat, CompareState, Media, PlaybackStatus, PlayerError, PlayerEvent, PlayerState, SoundTiming,
    Track, TrackInfo,
};
pub use streamed::StreamedAudio;

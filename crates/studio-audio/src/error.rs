//! The crate's one error type. Each variant maps to an [`AudioErrorKind`] the app's IPC edge can switch on.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Everything that can go wrong while playing, decoding or saving audio.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// No output device could be opened (none present, or it refused every configuration).
    #[error("no audio device: {0}")]
    NoDevice(String),
    /// Reading or writing a file failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, e.g. `open /path/a.mp3`.
        context: String,
        /// The underlying failure.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not audio we can decode.
    #[error("cannot decode {what}: {reason}")]
    Decode {
        /// The file or stream being decoded.
        what: String,
        /// The decoder's explanation.
        reason: String,
    },
    /// A format or an operation this player does not support (e.g. Opus, seeking a live stream).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// A seek failed inside the decoder.
    #[error("cannot seek: {0}")]
    Seek(String),
    /// The command needs a track and none is loaded.
    #[error("nothing to play")]
    NothingLoaded,
    /// An argument is out of range (an empty queue, a start index past its end, a zero width…).
    #[error("invalid argument: {0}")]
    Invalid(String),
    /// Cancelled by the caller.
    #[error("cancelled")]
    Cancelled,
    /// The player thread is gone (it panicked or the handle was shut down).
    #[error("the audio player has stopped")]
    PlayerGone,
}

/// The crate's result type.
pub type Result<T, E = AudioError> = std::result::Result<T, E>;

/// A closed set of error kinds for the UI (the IPC edge maps them onto its own `IpcErrorKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AudioErrorKind {
    /// See [`AudioError::NoDevice`].
    NoDevice,
    /// See [`AudioError::Io`].
    Io,
    /// See [`AudioError::Decode`].
    Decode,
    /// See [`AudioError::Unsupported`].
    Unsupported,
    /// See [`AudioError::Seek`].
    Seek,
    /// See [`AudioError::NothingLoaded`].
    NothingLoaded,
    /// See [`AudioError::Invalid`].
    Invalid,
    /// See [`AudioError::Cancelled`].
    Cancelled,
    /// See [`AudioError::PlayerGone`].
    PlayerGone,
}

impl AudioError {
    /// The kind, for the UI.
    pub fn kind(&self) -> AudioErrorKind {
        match self {
            AudioError::NoDevice(_) => AudioErrorKind::NoDevice,
            AudioError::Io { .. } => AudioErrorKind::Io,
            AudioError::Decode { .. } => AudioErrorKind::Decode,
            AudioError::Unsupported(_) => AudioErrorKind::Unsupported,
            AudioError::Seek(_) => AudioErrorKind::Seek,
            AudioError::NothingLoaded => AudioErrorKind::NothingLoaded,
            AudioError::Invalid(_) => AudioErrorKind::Invalid,
            AudioError::Cancelled => AudioErrorKind::Cancelled,
            AudioError::PlayerGone => AudioErrorKind::PlayerGone,
        }
    }

    /// An I/O error with what was being done.
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        AudioError::Io { context: context.into(), source }
    }

    /// A decode error about `what`.
    pub(crate) fn decode(what: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        AudioError::Decode { what: what.into(), reason: reason.to_string() }
    }
}

//! Errors of the media crate.

use std::path::PathBuf;

/// What can go wrong serving or thumbnailing media.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The server could not bind its loopback port.
    #[error("cannot start the media server: {0}")]
    Bind(std::io::Error),
    /// No random token could be drawn from the OS.
    #[error("no randomness for the media token: {0}")]
    Random(String),
    /// An image could not be decoded or encoded.
    #[error("image {path}: {source}")]
    Image {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        #[source]
        source: image::ImageError,
    },
    /// A video could not be read or its first frame decoded.
    #[error("video {path}: {reason}")]
    Video {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The file type has no thumbnail (audio, text).
    #[error("no thumbnail for {0}")]
    Unsupported(PathBuf),
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, MediaError>;

pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> MediaError + '_ {
    move |source| MediaError::Io { path: path.to_path_buf(), source }
}

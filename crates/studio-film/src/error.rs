//! Errors of the film crate (media half: timeline, subtitles, ffmpeg, render, edit lists).

use std::path::PathBuf;

/// Where to get ffmpeg, said in every "missing" or "too old" message.
pub const FFMPEG_INSTALL_HINT: &str = "install ffmpeg 4.4 or newer — Debian/Ubuntu: `sudo apt install ffmpeg`; \
macOS: `brew install ffmpeg`; Windows: `winget install Gyan.FFmpeg` — or set its path in Settings \
(downloads: https://ffmpeg.org/download.html)";

/// Everything that can go wrong in the media half of `studio-film`.
#[derive(Debug, thiserror::Error)]
pub enum FilmError {
    /// ffmpeg or ffprobe is not on PATH nor at the configured path.
    #[error("{tool} was not found ({searched}): {FFMPEG_INSTALL_HINT}")]
    FfmpegMissing {
        /// `ffmpeg` or `ffprobe`.
        tool: &'static str,
        /// Where we looked.
        searched: String,
    },
    /// ffmpeg answered `-version` with a release older than we need.
    #[error("{tool} {found} is too old (4.4 or newer is needed): {FFMPEG_INSTALL_HINT}")]
    FfmpegTooOld {
        /// `ffmpeg` or `ffprobe`.
        tool: &'static str,
        /// The version it reported.
        found: String,
    },
    /// The program at the path does not answer `-version` like ffmpeg.
    #[error("{path} does not look like {tool}: {detail}")]
    NotFfmpeg {
        /// `ffmpeg` or `ffprobe`.
        tool: &'static str,
        /// The program we ran.
        path: PathBuf,
        /// What it printed or why it could not start.
        detail: String,
    },
    /// ffmpeg or ffprobe ran and failed; `stderr` holds the end of what it said.
    #[error("{tool} failed ({status}): {stderr}")]
    FfmpegFailed {
        /// `ffmpeg` or `ffprobe`.
        tool: &'static str,
        /// The exit status as text (a code or a signal).
        status: String,
        /// The last lines ffmpeg wrote to stderr.
        stderr: String,
    },
    /// The disk filled while writing; nothing partial was kept.
    #[error("the disk is full while writing {path}: free some space and try again (nothing was kept)")]
    DiskFull {
        /// The file being written.
        path: PathBuf,
    },
    /// The user cancelled; nothing partial was kept.
    #[error("cancelled")]
    Cancelled,
    /// A media file the film uses is missing or unreadable.
    #[error("cannot read {path}: {source}")]
    MediaUnreadable {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A media file is readable but ffprobe found no usable stream in it.
    #[error("{path} is not usable media: {reason}")]
    MediaInvalid {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A file or folder could not be written, renamed or removed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A child process could not be started or waited for.
    #[error("cannot run {tool}: {source}")]
    Spawn {
        /// The program.
        tool: &'static str,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// ffprobe's JSON (or MiniMax subtitle JSON) could not be decoded.
    #[error("cannot decode {what}: {source}")]
    Decode {
        /// What was being decoded.
        what: String,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
    /// A timeline edit names something that does not exist or breaks a rule; the film is unchanged.
    #[error("invalid edit: {0}")]
    InvalidEdit(String),
    /// The film cannot be rendered as asked (e.g. it has no shot with a length).
    #[error("cannot render: {0}")]
    InvalidFilm(String),
    /// An SRT or WebVTT file could not be parsed.
    #[error("subtitle line {line}: {reason}")]
    SubtitleParse {
        /// 1-based line number.
        line: usize,
        /// What was expected.
        reason: String,
    },
}

impl FilmError {
    /// A write error, recognising a full disk (ENOSPC) so it is said plainly.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::StorageFull {
            FilmError::DiskFull { path }
        } else {
            FilmError::Write { path, source }
        }
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, FilmError>;

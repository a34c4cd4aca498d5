//! Errors of the film crate: reading shot lists and drafts, scheduling, and the media half (timeline,
//! subtitles, ffmpeg, render, edit lists).

use std::path::PathBuf;

use crate::draft::DraftProblem;
use crate::script::ScriptProblem;

/// Where to get ffmpeg, said in every "missing" or "too old" message.
pub const FFMPEG_INSTALL_HINT: &str = "install ffmpeg 4.4 or newer — Debian/Ubuntu: `sudo apt install ffmpeg`; \
macOS: `brew install ffmpeg`; Windows: `winget install Gyan.FFmpeg` — or set its path in Settings \
(downloads: https://ffmpeg.org/download.html)";

/// Everything that can go wrong inside `studio-film`.
#[derive(Debug, thiserror::Error)]
pub enum FilmError {
    /// The M2.7 request for a draft did not succeed (quota, network, a refusal); nothing was made.
    #[error("the draft request did not succeed: {0}")]
    DraftFailed(String),
    /// No film has this id (or it was deleted).
    #[error("no film {0}")]
    FilmNotFound(i64),
    /// The library's film tables could not be read or written.
    #[error("the film library: {0}")]
    Store(String),
    /// The studio core refused (the library, the runner).
    #[error(transparent)]
    Core(#[from] studio_core::CoreError),
    /// A JSON shot list is not well-formed JSON (a missing comma, an unclosed brace…).
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    MalformedJson {
        /// 1-based line of the fault.
        line: u32,
        /// 1-based column (in characters) of the fault.
        column: u32,
        /// What the parser found and what it expected.
        message: String,
    },
    /// A Fountain screenplay cannot be read (an unclosed boneyard, an empty file…).
    #[error("malformed Fountain at line {line}{}: {message}", column.map(|c| format!(", column {c}")).unwrap_or_default())]
    MalformedFountain {
        /// 1-based line of the fault.
        line: u32,
        /// 1-based column, when known.
        column: Option<u32>,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The file is not text: it is not valid UTF-8.
    #[error("the file is not UTF-8 text (invalid bytes at line {line}, column {column})")]
    NotText {
        /// 1-based line of the first invalid byte.
        line: u32,
        /// 1-based column of the first invalid byte.
        column: u32,
    },
    /// The shot list was read but breaks the rules of the format (unknown speaker, duration out of range…).
    /// Every problem found is listed, first one in the message.
    #[error("{}", describe_problems(problems))]
    InvalidScript {
        /// Each rule broken, in document order, with its position when known.
        problems: Vec<ScriptProblem>,
    },
    /// An M2.7 draft reply could not be turned into a valid shot list.
    #[error("the drafted shot list is not usable: {0}")]
    Draft(DraftProblem),
    /// A schedule was asked for with inputs that cannot describe a plan (a window of zero length…).
    #[error("cannot schedule: {0}")]
    ScheduleInput(String),
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

impl From<DraftProblem> for FilmError {
    fn from(problem: DraftProblem) -> Self {
        FilmError::Draft(problem)
    }
}

/// "the first problem (and 3 more)": the whole list stays in the value for the UI.
fn describe_problems(problems: &[ScriptProblem]) -> String {
    match problems {
        [] => "invalid shot list".to_owned(),
        [only] => only.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
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

impl FilmError {
    /// The UI's kind: what the user can fix (a file, an edit) is `invalidInput`, a missing film `notFound`.
    pub fn kind(&self) -> studio_core::ipc::IpcErrorKind {
        use studio_core::ipc::{IpcError, IpcErrorKind};
        match self {
            FilmError::Core(core) => IpcError::from(clone_core(core)).kind,
            FilmError::FilmNotFound(_) => IpcErrorKind::NotFound,
            FilmError::Cancelled => IpcErrorKind::Cancelled,
            FilmError::DraftFailed(_) => IpcErrorKind::Api,
            FilmError::MalformedJson { .. }
            | FilmError::MalformedFountain { .. }
            | FilmError::NotText { .. }
            | FilmError::InvalidScript { .. }
            | FilmError::Draft(_)
            | FilmError::InvalidEdit(_)
            | FilmError::InvalidFilm(_)
            | FilmError::SubtitleParse { .. }
            | FilmError::MediaUnreadable { .. }
            | FilmError::MediaInvalid { .. } => IpcErrorKind::InvalidInput,
            _ => IpcErrorKind::Internal,
        }
    }
}

impl From<FilmError> for studio_core::ipc::IpcError {
    fn from(error: FilmError) -> Self {
        studio_core::ipc::IpcError::new(error.kind(), error.to_string())
    }
}

/// The core error again (it is not `Clone`), keeping what decides its kind.
fn clone_core(error: &studio_core::CoreError) -> studio_core::CoreError {
    use studio_core::CoreError;
    match error {
        CoreError::InvalidRequest(m) => CoreError::InvalidRequest(m.clone()),
        CoreError::JobNotFound(id) => CoreError::JobNotFound(*id),
        CoreError::RunElsewhere { job_id, label, pid } => {
            CoreError::RunElsewhere { job_id: *job_id, label: label.clone(), pid: *pid }
        }
        other => CoreError::Logging(other.to_string()),
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, FilmError>;

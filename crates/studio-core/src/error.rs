//! Errors of the core crate.

use std::path::PathBuf;

/// Everything that can go wrong inside `studio-core`.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The data folder could not be found or created.
    #[error("cannot use the data folder {path}: {source}")]
    DataDir {
        /// The folder we tried to use.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// No data folder could be derived: no `TOKENPLAN_HOME` and no OS data directory.
    #[error("no data folder: set TOKENPLAN_HOME to a writable folder")]
    NoDataDir,
    /// A settings value breaks a rule (e.g. a custom host that is not an http(s) URL).
    #[error("invalid setting {field}: {reason}")]
    InvalidSetting {
        /// The camelCase name of the field, as the UI knows it.
        field: &'static str,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// Stored settings could not be read back.
    #[error("stored settings are unreadable: {0}")]
    SettingsDecode(#[from] serde_json::Error),
    /// Logging could not be set up (a subscriber was already installed, or the log folder is unusable).
    #[error("cannot set up logging: {0}")]
    Logging(String),
    /// The library database failed (I/O, corruption, a constraint).
    #[error("library database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// The library schema could not be brought up to date.
    #[error("cannot migrate the library database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// A media file could not be written, renamed, read or listed.
    #[error("media file {path}: {source}")]
    MediaFile {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The fallback key file could not be read or written.
    #[error("key file {path}: {source}")]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The OS keychain is there but locked, its unlock prompt was dismissed, or it refused access. Nothing was
    /// saved: the user unlocks it and retries, or chooses the 0600 key file.
    #[error(
        "the system keychain is locked or refused access ({reason}); unlock it and try again, or keep the key \
         in a file only you can read"
    )]
    KeychainLocked {
        /// What the keychain said.
        reason: String,
    },
    /// The library database is damaged or cannot be opened; the app offers recovery instead of starting.
    #[error("the library database {path} cannot be used: {detail}")]
    LibraryDamaged {
        /// The database file.
        path: PathBuf,
        /// What SQLite said (the first problems `quick_check` found, or the open error).
        detail: String,
    },
    /// No job has this id.
    #[error("no job {0}")]
    JobNotFound(i64),
    /// Another live process (the app, a `tokenplan` command) runs the job: only it may start, stop or retry
    /// it; once it exits, the job is free.
    #[error(
        "job {job_id} is being run by {label} (process {pid}); stop or retry it there, or wait until it ends"
    )]
    RunElsewhere {
        /// The job.
        job_id: i64,
        /// What the user knows the other process as.
        label: String,
        /// Its process id.
        pid: i64,
    },
    /// The job is not in a state the requested transition may leave from.
    #[error("job {job_id} cannot go from {from} to {to}")]
    InvalidTransition {
        /// The job.
        job_id: i64,
        /// Its current state.
        from: String,
        /// The state asked for.
        to: String,
    },
    /// A generation request breaks a documented limit or names an input that cannot be read; nothing was
    /// saved or sent.
    #[error("{0}")]
    InvalidRequest(String),
    /// A call to MiniMax outside a job failed (listing or recovering video tasks).
    #[error("{0}")]
    Api(#[from] minimax_api::Error),
    /// The plan (or this key) does not include the model: refused before anything is sent.
    #[error("{model} is not in your plan: {reason}")]
    NotInPlan {
        /// The model.
        model: String,
        /// Why, as the quota view says it.
        reason: String,
    },
    /// An export (CSV, sidecar) could not be written.
    #[error("cannot export: {0}")]
    Export(String),
    /// A stored value does not decode (an unknown state name, bad JSON): the database was edited by hand
    /// or by a newer version.
    #[error("stored value of {column} is unreadable: {value}")]
    StoredValue {
        /// The column.
        column: &'static str,
        /// The value found.
        value: String,
    },
}

/// Why an input image named by a path (a video's first or last frame, an image's subject reference) is not
/// read. Every refusal is decided from the path and its metadata before a byte of the file is read, so a
/// request can never carry a file from outside the library to MiniMax.
#[derive(Debug, thiserror::Error)]
pub enum InputImageError {
    /// The path (after following links and `..`) is not under the library's `media/` or `inputs/` folder.
    #[error(
        "{path} is outside the library's folders (media/, inputs/); choose the image again so the app copies it \
         into the library first"
    )]
    OutsideLibrary {
        /// The path as given.
        path: String,
    },
    /// A directory, a device, a pipe or a socket.
    #[error("{path} is not a regular file")]
    NotAFile {
        /// The path as given.
        path: String,
    },
    /// Larger than the API accepts.
    #[error("{path} is {:.1} MB; this input may be at most {} MB", *.bytes as f64 / 1_048_576.0, .limit / 1_048_576)]
    TooLarge {
        /// The path as given.
        path: String,
        /// Its size.
        bytes: u64,
        /// The largest size accepted.
        limit: u64,
    },
    /// The file is missing or unreadable.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, CoreError>;

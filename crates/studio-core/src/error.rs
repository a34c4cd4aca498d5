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
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, CoreError>;

//! Errors of the command line, each with the kind scripts switch on (the IPC kinds of the app).

use studio_core::CoreError;
use studio_core::ipc::{IpcError, IpcErrorKind};

/// Everything that ends a command unsuccessfully.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// No key from `--api-key`, `MINIMAX_API_KEY` or the app.
    #[error("no API key: pass --api-key, set MINIMAX_API_KEY, or save one in the app's Settings")]
    NoApiKey,
    /// The arguments make no request (e.g. music without a prompt or lyrics).
    #[error("{0}")]
    Usage(String),
    /// The library, settings or data folder failed.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// MiniMax refused or could not be reached (calls made directly, e.g. `voices`, `quota`).
    #[error(transparent)]
    Api(#[from] minimax_api::Error),
    /// A job ended without success.
    #[error("job {id} {state}: {message}")]
    JobFailed {
        /// The job.
        id: i64,
        /// `failed`, `cancelled` or `interrupted`.
        state: String,
        /// Its error kind (`contentFlagged`, `quotaExhausted`, …).
        kind: String,
        /// What happened and what to do.
        message: String,
        /// MiniMax's trace id.
        trace_id: Option<String>,
    },
    /// The job must wait for quota and `--wait` was not given: it stays queued.
    #[error("job {id} waits for quota: {message}")]
    QuotaWait {
        /// The job.
        id: i64,
        /// Why, until when, what remains, and what to do.
        message: String,
    },
    /// A film command failed (a file, an edit, ffmpeg, the film tables).
    #[error(transparent)]
    Film(#[from] studio_film::FilmError),
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
    /// An error already printed on stdout inside the command's own document (`{"results": …, "error": …}`),
    /// so that `--json` still prints exactly one document.
    #[error(transparent)]
    Printed(Box<CliError>),
}

impl CliError {
    /// The `{"error": {...}}` document of `--json`.
    pub fn to_json(&self) -> serde_json::Value {
        let (kind, message, code, trace_id) = match self {
            CliError::Printed(inner) => return inner.to_json(),
            CliError::JobFailed { kind, trace_id, .. } => {
                (kind.clone(), self.to_string(), None, trace_id.clone())
            }
            CliError::Api(api) => {
                let ipc = IpcError::from_api(api);
                (kind_name(ipc.kind), api.to_string(), api.code(), ipc.trace_id)
            }
            CliError::Core(core) => {
                let ipc = IpcError::from(clone_core(core));
                (kind_name(ipc.kind), core.to_string(), None, None)
            }
            CliError::Film(film) => (kind_name(film.kind()), film.to_string(), None, None),
            CliError::NoApiKey => (kind_name(IpcErrorKind::InvalidApiKey), self.to_string(), None, None),
            CliError::QuotaWait { .. } => {
                (kind_name(IpcErrorKind::QuotaExhausted), self.to_string(), None, None)
            }
            CliError::Usage(_) => (kind_name(IpcErrorKind::InvalidInput), self.to_string(), None, None),
            CliError::Io(_) => (kind_name(IpcErrorKind::Internal), self.to_string(), None, None),
        };
        serde_json::json!({ "error": { "kind": kind, "message": message, "code": code, "traceId": trace_id } })
    }
}

fn kind_name(kind: IpcErrorKind) -> String {
    kind.as_str().to_owned()
}

/// The IPC kind of a core error, without consuming it.
fn clone_core(error: &CoreError) -> CoreError {
    match error {
        CoreError::InvalidRequest(m) => CoreError::InvalidRequest(m.clone()),
        CoreError::JobNotFound(id) => CoreError::JobNotFound(*id),
        CoreError::RunElsewhere { job_id, label, pid } => {
            CoreError::RunElsewhere { job_id: *job_id, label: label.clone(), pid: *pid }
        }
        CoreError::InvalidSetting { field, reason } => {
            CoreError::InvalidSetting { field, reason: reason.clone() }
        }
        other => CoreError::Logging(other.to_string()),
    }
}

/// Prints `document` with `error` in it (`--json`: one document for both), and returns the error marked
/// as printed; without `--json` only the error is returned (stderr says it).
pub fn with_document(json: bool, mut document: serde_json::Value, error: CliError) -> CliError {
    if !json {
        return error;
    }
    if let Some(fields) = document.as_object_mut() {
        fields.insert("error".into(), error.to_json()["error"].clone());
    }
    println!("{document}");
    CliError::Printed(Box::new(error))
}

/// The result type of the command line.
pub type Result<T> = std::result::Result<T, CliError>;

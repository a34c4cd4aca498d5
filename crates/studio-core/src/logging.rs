//! Logging: human-readable lines on stderr and in a daily log file under the data folder.

use std::io::IsTerminal;
use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{EnvFilter, Registry, fmt, layer::SubscriberExt};

use crate::error::{CoreError, Result};

/// The environment variable with a `tracing` filter (`debug`, `studio_core=trace,info`, …).
pub const LOG_ENV: &str = "TOKENPLAN_LOG";

/// Log files kept before the oldest is deleted.
const KEPT_LOG_FILES: usize = 7;

/// Lines the file writer's queue holds while the disk catches up. The queue is allocated and initialised
/// whole at start: tracing-appender's default (128,000 lines) kept 4 MiB resident for the life of the app
/// (issue 6, idle memory). At the default `info` level a session writes a few hundred lines.
const QUEUED_LOG_LINES: usize = 4_096;

/// Keeps the log file writer alive; logs written after it is dropped may be lost, so hold it in `main`.
#[must_use = "dropping the guard stops writing the log file"]
pub struct LogGuard {
    _file_writer: WorkerGuard,
}

/// Installs the global subscriber: stderr plus `<log_dir>/studio.YYYY-MM-DD.log`, filtered by
/// `TOKENPLAN_LOG` (default `info`). Call once per process.
pub fn init(log_dir: &Path) -> Result<LogGuard> {
    let (subscriber, guard) = subscriber(log_dir, std::env::var(LOG_ENV).ok().as_deref())?;
    tracing::subscriber::set_global_default(subscriber).map_err(|e| CoreError::Logging(e.to_string()))?;
    Ok(guard)
}

/// Builds the subscriber without installing it, so tests can scope it.
pub fn subscriber(
    log_dir: &Path,
    filter: Option<&str>,
) -> Result<(impl tracing::Subscriber + Send + Sync + use<>, LogGuard)> {
    // The appender prunes old files by listing the folder, which must exist first.
    std::fs::create_dir_all(log_dir)
        .map_err(|e| CoreError::Logging(format!("{}: {e}", log_dir.display())))?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("studio")
        .filename_suffix("log")
        .max_log_files(KEPT_LOG_FILES)
        .build(log_dir)
        .map_err(|e| CoreError::Logging(format!("{}: {e}", log_dir.display())))?;
    let (file_writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(QUEUED_LOG_LINES)
        .finish(appender);
    let filter = EnvFilter::try_new(filter.unwrap_or("info"))
        .map_err(|e| CoreError::Logging(format!("bad {LOG_ENV} filter: {e}")))?;
    let subscriber = Registry::default()
        .with(filter)
        .with(fmt::layer().with_ansi(std::io::stderr().is_terminal()).with_writer(std::io::stderr))
        .with(fmt::layer().with_ansi(false).with_writer(file_writer));
    Ok((subscriber, LogGuard { _file_writer: guard }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_reach_the_log_file_and_respect_the_filter() {
        let tmp = tempfile::tempdir().unwrap();
        let (subscriber, guard) = subscriber(tmp.path(), Some("warn")).unwrap();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("quiet line");
            tracing::warn!("loud line");
        });
        drop(guard); // flushes the non-blocking writer
        let files: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(files.len(), 1, "{files:?}");
        let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("studio.") && name.ends_with(".log"), "{name}");
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.contains("loud line"), "{text}");
        assert!(!text.contains("quiet line"), "{text}");
    }

    #[test]
    fn a_bad_filter_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let err = subscriber(tmp.path(), Some("=[")).err().unwrap();
        assert!(err.to_string().contains(LOG_ENV), "{err}");
    }
}

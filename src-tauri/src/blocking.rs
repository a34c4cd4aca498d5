//! Work that must not hold an async worker or the main thread: library, file and device calls, and the
//! native pickers.

use studio_core::Library;
use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::storage::SharedLibrary;
use tauri_plugin_dialog::FilePath;

/// Runs `work` on the blocking pool; `what` names it in the error when the task itself dies.
pub async fn run<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::new(IpcErrorKind::Internal, format!("the {what} task stopped: {e}")))?
}

/// Runs `work` with the library on the blocking pool: every query and write, however quick, stays off the
/// async workers (they also drive IPC and the job runner) and off the main thread.
pub async fn with_library<T: Send + 'static>(
    library: &SharedLibrary,
    work: impl FnOnce(&mut Library) -> studio_core::Result<T> + Send + 'static,
) -> Result<T, IpcError> {
    let library = library.clone();
    run("library", move || Ok(library.with(work)?)).await
}

/// Shows a native picker (`pick` calls one of the dialog plugin's `blocking_pick_*`) and returns the chosen
/// path, or `None` when it was dismissed. The blocking picker waits for the main thread to run the dialog,
/// so it runs here and never on the main thread itself.
pub async fn pick_path(
    pick: impl FnOnce() -> Option<FilePath> + Send + 'static,
) -> Result<Option<String>, IpcError> {
    run("file picker", move || Ok(pick().and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())))
        .await
}

//! Saves the window's size and position shortly after it stops moving, not only on a clean close, so a
//! crash or a killed process keeps the geometry too. Restoring is the window-state plugin's job.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::{Manager, Runtime, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// Quiet time after the last move or resize before the geometry is written.
const SETTLE: Duration = Duration::from_millis(400);

static LAST_CHANGE: AtomicU64 = AtomicU64::new(0);

/// Called by Tauri for every window event.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
        return;
    }
    let this_change = LAST_CHANGE.fetch_add(1, Ordering::SeqCst) + 1;
    let app = window.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        // Only the last change of a burst (a drag sends hundreds) writes the file.
        if LAST_CHANGE.load(Ordering::SeqCst) == this_change
            && let Err(err) = app.save_window_state(StateFlags::all())
        {
            tracing::warn!("could not save the window geometry: {err}");
        }
    });
}

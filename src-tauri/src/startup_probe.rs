//! Hooks for the start-up benchmark (`make bench`), inert unless their environment variable is set.
//!
//! `TOKENPLAN_EXIT_ON_LOAD=1` exits as soon as the first page has loaded (launch → load → exit timing);
//! `TOKENPLAN_REPORT_LOAD=1` prints one line on stdout at that moment (idle memory is measured after it).

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::webview::{PageLoadEvent, PageLoadPayload};
use tauri::{Manager, Runtime, Webview};

static FIRST_LOAD_SEEN: AtomicBool = AtomicBool::new(false);

/// Line printed on stdout when `TOKENPLAN_REPORT_LOAD` is set.
pub const LOADED_LINE: &str = "token-plan-studio: page loaded";

/// Called by Tauri for every page load of every webview.
pub fn on_page_load<R: Runtime>(webview: &Webview<R>, payload: &PageLoadPayload<'_>) {
    if payload.event() != PageLoadEvent::Finished || FIRST_LOAD_SEEN.swap(true, Ordering::SeqCst) {
        return;
    }
    tracing::debug!(url = %payload.url(), "first page loaded");
    if flag("TOKENPLAN_REPORT_LOAD") {
        println!("{LOADED_LINE}");
    }
    if flag("TOKENPLAN_EXIT_ON_LOAD") {
        webview.app_handle().exit(0);
    }
}

fn flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| v == "1")
}

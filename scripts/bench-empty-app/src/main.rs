//! An empty Tauri app with the same start-up probe as Token Plan Studio (TOKENPLAN_EXIT_ON_LOAD,
//! TOKENPLAN_REPORT_LOAD), so both are timed the same way.
use std::sync::atomic::{AtomicBool, Ordering};

use tauri::Manager;
use tauri::webview::PageLoadEvent;

static SEEN: AtomicBool = AtomicBool::new(false);

fn main() {
    tauri::Builder::default()
        .on_page_load(|webview, payload| {
            if payload.event() != PageLoadEvent::Finished || SEEN.swap(true, Ordering::SeqCst) {
                return;
            }
            if std::env::var_os("TOKENPLAN_REPORT_LOAD").is_some_and(|v| v == "1") {
                println!("token-plan-studio: page loaded");
            }
            if std::env::var_os("TOKENPLAN_EXIT_ON_LOAD").is_some_and(|v| v == "1") {
                webview.app_handle().exit(0);
            }
        })
        .run(tauri::generate_context!())
        .expect("empty app failed");
}

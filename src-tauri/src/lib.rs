//! The Tauri shell: plugins, state, commands and events over `studio-core`. Keep logic out of here.

mod commands;
mod startup_probe;
mod window_geometry;

use std::process::ExitCode;

use studio_core::{DataDir, logging};
use tauri::Manager;

/// State shared by every command.
pub struct Shell {
    /// The data folder shared with the command line.
    pub data_dir: DataDir,
}

/// Builds and runs the app until its last window closes.
pub fn run() -> ExitCode {
    let data_dir = match DataDir::resolve() {
        Ok(dir) => dir,
        Err(err) => {
            eprintln!("Token Plan Studio cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let _log_guard = match logging::init(&data_dir.log_dir()) {
        Ok(guard) => Some(guard),
        Err(err) => {
            // The app is still usable without a log file; say so once on stderr.
            eprintln!("Token Plan Studio: logging disabled: {err}");
            None
        }
    };
    tracing::info!(data_dir = %data_dir.root().display(), version = env!("CARGO_PKG_VERSION"), "starting");

    let window_state_file = data_dir.window_state_file();
    let result = tauri::Builder::default()
        // Must be the first plugin: a second launch hands over to the running window and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            // This runs on the D-Bus thread. Window calls from another thread wait for the main thread
            // to answer; queueing one closure on it instead cannot block the bus or the event loop.
            let handle = app.clone();
            let raised = app.run_on_main_thread(move || {
                if let Some(window) = handle.get_webview_window("main") {
                    let _ = window.unminimize();
                    let _ = window.show();
                    let _ = window.set_focus();
                }
            });
            if let Err(err) = raised {
                tracing::warn!("could not bring the window forward for a second launch: {err}");
            }
        }))
        .plugin(
            tauri_plugin_window_state::Builder::new()
                // An absolute path replaces the plugin's config-dir default, so window geometry lives
                // in the data folder beside the settings and tests get a fresh one per TOKENPLAN_HOME.
                .with_filename(window_state_file.to_string_lossy())
                .build(),
        )
        .plugin(tauri_plugin_store::Builder::new().build())
        .manage(Shell { data_dir })
        .setup(|app| {
            commands::apply_native_theme(app.handle(), true);
            Ok(())
        })
        .on_page_load(startup_probe::on_page_load)
        .on_window_event(window_geometry::on_window_event)
        .invoke_handler(tauri::generate_handler![
            commands::get_settings,
            commands::update_settings,
            commands::list_plan_tiers,
            commands::get_app_info,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("the app stopped with an error: {err}");
            eprintln!("Token Plan Studio stopped with an error: {err}");
            ExitCode::FAILURE
        }
    }
}

//! The Tauri shell: plugins, state, commands and events over `studio-core`. Keep logic out of here.

mod commands;
mod jobs;
mod keys;
mod spend;
mod startup_probe;
mod studio;
mod tray;
mod window_geometry;

use std::process::ExitCode;

use studio_core::{DataDir, logging};
use studio_media::MediaServer;
use tauri::{AppHandle, Manager};

use crate::studio::Studio;

/// State shared by every command.
pub struct Shell {
    /// The data folder shared with the command line.
    pub data_dir: DataDir,
    /// The loopback URL media files are served from (the `studio-media` crate).
    pub media_base_url: String,
}

/// Opens the library, starts the runner and the media server, and resumes unfinished jobs in the
/// background.
fn start_studio(app: &AppHandle, data_dir: &DataDir) -> Result<(), Box<dyn std::error::Error>> {
    let media = tauri::async_runtime::block_on(MediaServer::start(data_dir.root()))?;
    app.manage(Shell { data_dir: data_dir.clone(), media_base_url: media.base_url() });
    app.manage(media);
    let settings = commands::load_settings(app).unwrap_or_else(|e| {
        // The UI shows the unreadable settings; the runner meanwhile budgets with the defaults.
        tracing::warn!("settings unreadable, the runner starts with defaults: {}", e.message);
        studio_core::Settings::default()
    });
    let studio = Studio::open(data_dir, &settings)?;
    let runner = studio.runner.clone();
    tray::install(app, runner.clone(), settings.language);
    app.manage(studio);
    tauri::async_runtime::spawn(studio::forward_events(app.clone(), runner));
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { handle.state::<Studio>().resume(settings).await });
    Ok(())
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
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            start_studio(app.handle(), &data_dir)?;
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
            jobs::estimate_cost,
            jobs::submit_job,
            jobs::list_jobs,
            jobs::get_job,
            jobs::cancel_job,
            jobs::retry_job,
            jobs::run_job_on_pay_as_you_go,
            jobs::get_quota_window,
            jobs::read_text_media,
            keys::get_key_status,
            keys::save_api_keys,
            keys::check_api_key,
            keys::start_demo,
            keys::list_voices,
            spend::get_spend_report,
            spend::list_spend,
            spend::export_spend_csv,
            spend::compare_with_server,
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

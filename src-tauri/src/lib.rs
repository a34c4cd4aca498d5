//! The Tauri shell: plugins, state, commands and events over `studio-core`. Keep logic out of here.

mod blocking;
mod commands;
mod demo;
mod desktop;
mod film;
mod inputs;
mod jobs;
mod keys;
mod library;
mod plans;
mod player;
mod recovery;
mod settings_store;
mod spend;
mod startup_probe;
mod studio;
mod tray;
mod updates;
mod voices;
mod window_geometry;

use std::process::ExitCode;

use studio_core::storage::recovery::LibraryMode;
use studio_core::{DataDir, Library, logging};
use tauri::{AppHandle, Manager};

use crate::studio::Studio;

/// State shared by every command.
pub struct Shell {
    /// The data folder shared with the command line.
    pub data_dir: DataDir,
}

/// Starts the runner over the opened library, the media server and the audio player, lets the webview load
/// media from the media folder only, and resumes unfinished jobs in the background (not when the library was
/// opened read-only from the recovery screen: nothing may be written then).
fn start_studio(app: &AppHandle, data_dir: &DataDir, library: Library, mode: LibraryMode) {
    let settings = settings_store::load_settings(app).unwrap_or_else(|e| {
        // The UI shows the unreadable settings; the runner meanwhile budgets with the defaults.
        tracing::warn!("settings unreadable, the runner starts with defaults: {}", e.message);
        studio_core::Settings::default()
    });
    let studio = Studio::open(data_dir, &settings, library);
    let runner = studio.runner.clone();
    let shared_library = studio.library.clone();
    // One media server for the whole UI: the Library's (thumbnails too) and the composers' results.
    let library_media = library::LibraryMedia::start(app, &shared_library);
    app.manage(library_media);
    app.manage(player::Audio::start(app));
    app.manage(tray::PendingTray::new(runner.clone()));
    app.manage(studio);
    app.manage(film::FilmRenders::default());
    app.manage(shared_library.clone());
    tauri::async_runtime::spawn(plans::forward_quota_view(app.clone(), runner.clone()));
    tauri::async_runtime::spawn(studio::forward_events(app.clone(), runner, shared_library));
    if mode == LibraryMode::Normal {
        let handle = app.clone();
        tauri::async_runtime::spawn(async move { handle.state::<Studio>().resume(settings).await });
    }
}

/// Gives the webview the cache model of an app that shows local content (WebKitGTK's "document viewer")
/// instead of a web browser's: scrolling through thousands of Library thumbnails otherwise keeps every decoded
/// image in WebKit's memory cache (+370 MiB after 10,000 items). Thumbnails come back from the loopback media
/// server's disk cache when scrolled to again.
fn lean_webview_caches(app: &AppHandle) {
    #[cfg(target_os = "linux")]
    if let Some(window) = app.get_webview_window("main") {
        let applied = window.with_webview(|webview| {
            use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = applied {
            tracing::warn!("cannot set the webview's cache model: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
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
    let mut context = tauri::generate_context!();
    updates::configure(&mut context);
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
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(updates::plugin())
        .manage(Shell { data_dir: data_dir.clone() })
        .manage(tray::ShellText::default())
        .manage(updates::PendingUpdate::default())
        .setup(move |app| {
            lean_webview_caches(app.handle());
            settings_store::apply_native_theme(app.handle(), true);
            // A library that cannot be opened starts the recovery screen, never an exit.
            recovery::start(app.handle(), &data_dir);
            Ok(())
        })
        .on_page_load(startup_probe::on_page_load)
        .on_window_event(|window, event| {
            window_geometry::on_window_event(window, event);
            desktop::on_window_event(window, event);
        })
        .invoke_handler(tauri::generate_handler![
            commands::get_settings,
            commands::update_settings,
            commands::list_plan_tiers,
            commands::get_app_info,
            commands::choose_storage_folder,
            commands::restart_app,
            inputs::choose_image_file,
            inputs::import_input_image_file,
            inputs::choose_reference_file,
            inputs::import_reference_file,
            inputs::clear_demo_generations,
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
            spend::apply_server_correction,
            player::play_media,
            player::pause,
            player::resume,
            player::seek,
            player::stop,
            player::set_volume,
            player::get_player_state,
            player::get_waveform,
            player::compare_takes,
            player::switch_compared_take,
            library::get_library_info,
            library::list_library,
            library::get_generation,
            library::trash_generations,
            library::restore_generations,
            library::export_generations,
            library::choose_folder,
            library::reveal_in_file_manager,
            film::list_films,
            film::choose_script_file,
            film::get_film,
            film::create_film,
            film::import_film,
            film::create_demo_film,
            film::draft_film,
            film::edit_film,
            film::undo_film_edit,
            film::delete_film,
            film::restore_film,
            film::get_film_budget,
            film::plan_film_stage,
            film::render_film_stage,
            film::render_film_animatic,
            film::get_film_timeline,
            film::export_film,
            film::cancel_film_render,
            film::get_ffmpeg_status,
            film::choose_film_music_file,
            film::import_film_music,
            recovery::get_recovery_state,
            recovery::recover_library,
            desktop::close_main_window,
            desktop::set_shell_words,
            desktop::copy_text,
            desktop::get_media_support,
            updates::check_for_update,
            updates::download_update,
            updates::install_update,
            voices::list_starred_voices,
            voices::set_voice_starred,
            voices::set_take_starred,
            voices::list_voice_presets,
            voices::save_voice_preset,
            voices::delete_voice_preset,
            voices::quote_audition,
            voices::run_audition,
            voices::get_audition,
            voices::get_latest_audition,
            voices::quote_voice_design,
            voices::design_voice,
            voices::list_custom_voices,
            voices::choose_voice_sample,
            voices::check_voice_sample,
            voices::upload_voice_sample,
            voices::quote_voice_clone,
            voices::clone_voice,
            voices::keep_voice_alive,
            voices::delete_custom_voice,
            plans::get_quota_view,
            plans::refresh_quota_view,
            plans::list_models,
            plans::get_music_access,
            plans::probe_music_access,
            plans::list_unknown_video_tasks,
            plans::recover_video_task,
        ])
        .build(context)
        .map(|app| {
            app.run(|app, event| {
                // Jobs left waiting for quota are free for `tokenplan resume` at once, not after the heartbeat.
                if let tauri::RunEvent::Exit = event
                    && let Some(studio) = app.try_state::<Studio>()
                {
                    studio.runner.retire();
                }
            });
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("the app stopped with an error: {err}");
            eprintln!("Token Plan Studio stopped with an error: {err}");
            ExitCode::FAILURE
        }
    }
}

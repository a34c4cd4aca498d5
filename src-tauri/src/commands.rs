//! The commands the UI invokes. Each is async, takes owned arguments, makes one call into the core and
//! returns `Result<T, IpcError>`.

use studio_core::Settings;
use studio_core::events::SETTINGS_CHANGED;
use studio_core::ipc::{AppInfo, IpcError, IpcErrorKind};
use studio_core::plan::{PlanTierInfo, tier_table};
use studio_core::settings::Region;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::Shell;
use crate::settings_store::{apply_native_theme, load_settings, save_settings};
use crate::studio::Studio;

/// The current settings.
#[tauri::command]
pub async fn get_settings(app: AppHandle) -> Result<Settings, IpcError> {
    load_settings(&app)
}

/// Validates, saves to disk at once (a crash right after loses nothing), applies the native theme and
/// announces the change. Returns the settings as stored (normalised). A new custom host is refused unless
/// `custom_host_confirmed`: the Settings screen sets it once the user has agreed that the API keys will be
/// sent there (an injected call without it changes nothing).
#[tauri::command]
pub async fn update_settings(
    app: AppHandle,
    settings: Settings,
    custom_host_confirmed: Option<bool>,
) -> Result<Settings, IpcError> {
    let settings = settings.validated()?;
    let previous = load_settings(&app).unwrap_or_default();
    settings.check_host_confirmed(&previous, custom_host_confirmed == Some(true))?;
    let settings = save_settings(&app, settings)?;
    tracing::info!(?settings, "settings saved");
    // The plan and quota change what fits the window; the region changes which host the keys call. (No
    // studio while the recovery screen is up: the settings are saved for when it starts.)
    if let Some(studio) = app.try_state::<Studio>() {
        studio.runner.set_settings(settings.clone());
        studio.reload_clients(&settings).await?;
        // The plan choice changes the profile, so the gauge's unit and windows.
        crate::plans::announce_current(&app, &studio.runner);
    }
    apply_native_theme(&app, false);
    if let Err(err) = app.emit(SETTINGS_CHANGED, &settings) {
        tracing::warn!("could not announce the settings change: {err}");
    }
    Ok(settings)
}

/// The plan tiers with their published quotas for `region`.
#[tauri::command]
pub async fn list_plan_tiers(region: Region) -> Result<Vec<PlanTierInfo>, IpcError> {
    Ok(tier_table(&region))
}

/// Version and folders of this installation.
#[tauri::command]
pub async fn get_app_info(shell: State<'_, Shell>) -> Result<AppInfo, IpcError> {
    Ok(app_info(&shell))
}

fn app_info(shell: &Shell) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: shell.data_dir.root().display().to_string(),
        home_dir: shell.data_dir.home().display().to_string(),
        pending_storage_dir: shell.data_dir.pending_storage().map(|p| p.display().to_string()),
        log_dir: shell.data_dir.log_dir().display().to_string(),
    }
}

/// Chooses where the library lives from the next start (`None`: the home folder again), moving the current
/// library there at that start when `move_library` is set. The database is open now, so nothing moves
/// while the app runs; the UI offers a restart.
#[tauri::command]
pub async fn choose_storage_folder(
    shell: State<'_, Shell>,
    folder: Option<String>,
    move_library: bool,
) -> Result<AppInfo, IpcError> {
    let folder = folder.map(|f| std::path::PathBuf::from(f.trim())).filter(|f| !f.as_os_str().is_empty());
    if let Some(folder) = folder.as_deref()
        && !folder.is_absolute()
    {
        return Err(IpcError::new(
            IpcErrorKind::InvalidInput,
            format!("“{}” is not a full path: choose a folder, or type its full path", folder.display()),
        ));
    }
    shell.data_dir.choose_storage(folder.as_deref(), move_library)?;
    tracing::info!(?folder, move_library, "storage folder chosen for the next start");
    Ok(app_info(&shell))
}

/// Starts the app again (a new storage folder takes over); unfinished jobs resume in the new process.
#[tauri::command]
pub async fn restart_app(app: AppHandle) -> Result<(), IpcError> {
    tracing::info!("restarting at the user's request");
    app.restart()
}

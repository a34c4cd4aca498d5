//! The settings file (the store plugin's JSON in the home folder): read and written here for every part of
//! the shell that needs the settings, and the native theme that follows them.

use studio_core::Settings;
use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::settings::{SETTINGS_KEY, Theme};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_store::StoreExt;

use crate::Shell;

fn store_error(err: impl std::fmt::Display) -> IpcError {
    IpcError::new(IpcErrorKind::Internal, format!("cannot use the settings file: {err}"))
}

/// Reads the settings; missing means defaults.
pub fn load_settings<R: Runtime>(app: &AppHandle<R>) -> Result<Settings, IpcError> {
    let shell = app.state::<Shell>();
    let store = app.store(shell.data_dir.settings_file()).map_err(store_error)?;
    Ok(Settings::from_stored(store.get(SETTINGS_KEY))?)
}

/// Validates and saves the settings to disk at once (a crash right after loses nothing); returns them as
/// stored (normalised).
pub fn save_settings<R: Runtime>(app: &AppHandle<R>, settings: Settings) -> Result<Settings, IpcError> {
    let settings = settings.validated()?;
    let shell = app.state::<Shell>();
    let store = app.store(shell.data_dir.settings_file()).map_err(store_error)?;
    let value = serde_json::to_value(&settings).map_err(store_error)?;
    store.set(SETTINGS_KEY, value);
    store.save().map_err(store_error)?;
    Ok(settings)
}

/// Makes the window decorations follow the theme override (the web content follows it through CSS).
/// At start-up, `only_override` skips the call for "system": the window already follows the OS, and
/// resetting GTK's theme makes it restyle every widget, which costs start-up time.
pub fn apply_native_theme<R: Runtime>(app: &AppHandle<R>, only_override: bool) {
    let theme = match load_settings(app) {
        Ok(settings) => settings.theme,
        Err(err) => {
            tracing::warn!("settings unreadable, keeping the OS theme: {}", err.message);
            Theme::System
        }
    };
    let native = match theme {
        Theme::System if only_override => return,
        Theme::System => None,
        Theme::Light => Some(tauri::Theme::Light),
        Theme::Dark => Some(tauri::Theme::Dark),
    };
    if let Some(window) = app.get_webview_window("main")
        && let Err(err) = window.set_theme(native)
    {
        tracing::warn!("could not set the window theme: {err}");
    }
}

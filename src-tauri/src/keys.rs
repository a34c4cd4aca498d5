//! Commands of the keys and the account: save and describe the keys (never return them), check a key's
//! region and kind without spending, demo mode, and the voice list.

use minimax_api::ApiKey;
use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::key_check::{KeyCheck, check_key};
use studio_core::keys::{KeyStatus, KeysUpdate};
use studio_core::storage::KeyKind;
use studio_core::voices::VoiceInfo;
use tauri::{AppHandle, State};

use crate::blocking;
use crate::settings_store::load_settings;
use crate::studio::Studio;

/// Where each key is kept and what kind it is, and whether demo mode is on.
#[tauri::command]
pub async fn get_key_status(studio: State<'_, Studio>) -> Result<KeyStatus, IpcError> {
    let keys = studio.keys.clone();
    let demo = studio.demo_on();
    blocking::run("keychain", move || Ok(keys.status(demo)?)).await
}

/// Saves or removes the keys, rebuilds the API clients (leaving demo mode once a plan key is set) and
/// returns the new status.
#[tauri::command]
pub async fn save_api_keys(
    app: AppHandle,
    studio: State<'_, Studio>,
    update: KeysUpdate,
) -> Result<KeyStatus, IpcError> {
    let keys = studio.keys.clone();
    blocking::run("keychain", move || Ok(keys.apply(&update)?)).await?;
    tracing::info!("API keys saved");
    studio.reload_clients(&load_settings(&app)?).await?;
    get_key_status(studio).await
}

/// Detects which region accepts a key and what kind it is, without spending. `key` absent ⇒ the saved key
/// of `kind`.
#[tauri::command]
pub async fn check_api_key(
    app: AppHandle,
    studio: State<'_, Studio>,
    kind: KeyKind,
    key: Option<String>,
) -> Result<KeyCheck, IpcError> {
    let key = match key.filter(|k| !k.trim().is_empty()) {
        Some(key) => ApiKey::new(key),
        None => {
            let keys = studio.keys.clone();
            let saved = blocking::run("keychain", move || Ok(keys.load(kind)?)).await?;
            saved.map(|(key, _)| key).ok_or_else(|| {
                IpcError::new(IpcErrorKind::InvalidApiKey, "No key to check: paste one first.")
            })?
        }
    };
    let settings = load_settings(&app)?;
    check_key(kind, key, &settings.region).await
}

/// Starts the built-in simulator and runs every job against it: nothing is billed.
#[tauri::command]
pub async fn start_demo(studio: State<'_, Studio>) -> Result<KeyStatus, IpcError> {
    studio.enter_demo().await?;
    tracing::info!("demo mode on");
    get_key_status(studio).await
}

/// Every voice the plan key (or the demo) may use, with the voices designed or cloned here that MiniMax does
/// not list until their first use.
#[tauri::command]
pub async fn list_voices(studio: State<'_, Studio>) -> Result<Vec<VoiceInfo>, IpcError> {
    let client = studio.runner.plan_client().ok_or_else(|| {
        IpcError::new(
            IpcErrorKind::InvalidApiKey,
            "No Token Plan key is set: add it in Settings, or try the demo.",
        )
    })?;
    let listed = studio_core::voices::list_voices(&client).await?;
    let library = studio.library.clone();
    let demo = studio.runner.is_demo();
    let custom =
        blocking::run("voices", move || Ok(studio_core::voices::custom_voices(&library, demo)?)).await?;
    Ok(studio_core::voices::with_custom_voices(listed, &custom))
}

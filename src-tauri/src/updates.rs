//! In-app updates through Tauri's updater plugin: a manifest fetched from the configured endpoint, the
//! package downloaded and its minisign signature checked against the key built into the app before anything
//! is installed. An update whose signature does not verify is refused with `updateRefused`.
//!
//! Configuration: `plugins.updater` in tauri.conf.json (the release workflow puts the release key there;
//! builds from source have none and say so). `TOKENPLAN_UPDATE_ENDPOINT` replaces the endpoint (https). In
//! debug builds only, for tests, `TOKENPLAN_UPDATE_PUBKEY` replaces the key and a loopback `http://` endpoint
//! is allowed.

use studio_core::desktop::{UpdateCheck, UpdateInfo};
use studio_core::ipc::{IpcError, IpcErrorKind};
use tauri::{AppHandle, State};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};

/// The update found by the last check, and its verified bytes once downloaded.
#[derive(Default)]
pub struct PendingUpdate(tokio::sync::Mutex<Option<(Update, Option<Vec<u8>>)>>);

/// Applies the environment overrides to the updater's configuration before the app is built.
pub fn configure<R: tauri::Runtime>(context: &mut tauri::Context<R>) {
    let plugins = &mut context.config_mut().plugins.0;
    let updater = plugins.entry("updater".to_owned()).or_insert_with(|| serde_json::json!({ "pubkey": "" }));
    let Some(updater) = updater.as_object_mut() else { return };
    if let Ok(endpoint) = std::env::var("TOKENPLAN_UPDATE_ENDPOINT") {
        let loopback = endpoint.starts_with("http://127.0.0.1:") || endpoint.starts_with("http://localhost:");
        if cfg!(debug_assertions) && loopback {
            updater.insert("dangerousInsecureTransportProtocol".into(), true.into());
        }
        updater.insert("endpoints".into(), serde_json::json!([endpoint]));
    }
    if cfg!(debug_assertions)
        && let Ok(key) = std::env::var("TOKENPLAN_UPDATE_PUBKEY")
    {
        updater.insert("pubkey".into(), key.into());
    }
}

fn configured(app: &AppHandle) -> bool {
    let config = app.config();
    let updater = config.plugins.0.get("updater");
    let key = updater.and_then(|u| u.get("pubkey")).and_then(|k| k.as_str()).unwrap_or_default();
    let endpoints = updater.and_then(|u| u.get("endpoints")).and_then(|e| e.as_array()).map_or(0, Vec::len);
    !key.trim().is_empty() && endpoints > 0
}

fn ipc_error(e: UpdaterError) -> IpcError {
    let kind = match &e {
        UpdaterError::Minisign(_)
        | UpdaterError::Base64(_)
        | UpdaterError::SignatureUtf8(_)
        | UpdaterError::SignedVersionMismatch { .. }
        | UpdaterError::MissingSignedVersion => IpcErrorKind::UpdateRefused,
        UpdaterError::Reqwest(_) | UpdaterError::Network(_) => IpcErrorKind::Network,
        UpdaterError::ReleaseNotFound
        | UpdaterError::TargetNotFound(_)
        | UpdaterError::TargetsNotFound(_) => IpcErrorKind::NotFound,
        _ => IpcErrorKind::Internal,
    };
    tracing::warn!(?kind, "update: {e}");
    IpcError::new(kind, e.to_string())
}

fn info(update: &Update) -> UpdateInfo {
    UpdateInfo {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        date_ms: update.date.map(|d| d.unix_timestamp() * 1000),
        notes: update.body.clone().unwrap_or_default(),
    }
}

/// Asks the endpoint whether a newer version exists.
#[tauri::command]
pub async fn check_for_update(
    app: AppHandle,
    pending: State<'_, PendingUpdate>,
) -> Result<UpdateCheck, IpcError> {
    if !configured(&app) {
        return Ok(UpdateCheck { configured: false, update: None });
    }
    let found = app.updater().map_err(ipc_error)?.check().await.map_err(ipc_error)?;
    let update = found.as_ref().map(info);
    *pending.0.lock().await = found.map(|u| (u, None));
    Ok(UpdateCheck { configured: true, update })
}

/// Downloads the update found by the last check and verifies its signature; nothing is installed yet.
#[tauri::command]
pub async fn download_update(pending: State<'_, PendingUpdate>) -> Result<UpdateInfo, IpcError> {
    let mut pending = pending.0.lock().await;
    let Some((update, bytes)) = pending.as_mut() else {
        return Err(IpcError::new(IpcErrorKind::NotFound, "no update to download: check for updates first"));
    };
    // `download` checks the signature of what it fetched and fails rather than return unverified bytes.
    let verified = update.download(|_, _| {}, || {}).await.map_err(ipc_error)?;
    tracing::info!(version = %update.version, bytes = verified.len(), "update downloaded and verified");
    *bytes = Some(verified);
    Ok(info(update))
}

/// Installs the downloaded, verified update and starts the new version.
#[tauri::command]
pub async fn install_update(app: AppHandle, pending: State<'_, PendingUpdate>) -> Result<(), IpcError> {
    let pending = pending.0.lock().await;
    let Some((update, Some(bytes))) = pending.as_ref() else {
        return Err(IpcError::new(IpcErrorKind::NotFound, "no downloaded update to install"));
    };
    update.install(bytes).map_err(ipc_error)?;
    tracing::info!(version = %update.version, "update installed; restarting");
    app.restart()
}

/// Registers the plugin and the state the commands share.
pub fn plugin<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

//! Plans and models (issue 17): the blended quota view (every window of the active profile, the stricter of
//! the ledger and MiniMax's own count), the model table from `minimax-api`, whether the key has music and the
//! probe that tells, and the paid MiniMax-H3 tasks the library does not know (the list and recover by id).

use studio_core::events::QUOTA_VIEW_CHANGED;
use studio_core::ipc::IpcError;
use studio_core::model_catalog::{ModelCatalog, model_catalog};
use studio_core::quota_view::QuotaView;
use studio_core::runner::{MusicAccess, RemoteTask, Runner};
use studio_core::storage::Job;
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::studio::Studio;

/// The quota view now: each window in the profile's unit, spend from elsewhere, the models not in the plan.
#[tauri::command]
pub async fn get_quota_view(studio: State<'_, Studio>) -> Result<QuotaView, IpcError> {
    Ok(studio.runner.quota_view()?)
}

/// Reads MiniMax's count now (it costs nothing) and returns the view. A failed read is not an error here:
/// the view then follows the ledger and says why in `server.error`.
#[tauri::command]
pub async fn refresh_quota_view(app: AppHandle, studio: State<'_, Studio>) -> Result<QuotaView, IpcError> {
    if let Err(reason) = studio.runner.refresh_server().await {
        tracing::debug!("the server's quota could not be read: {reason}");
    }
    let view = studio.runner.quota_view()?;
    announce(&app, &view);
    Ok(view)
}

/// The model table the composers offer, from `minimax-api` (no copy in the UI).
#[tauri::command]
pub async fn list_models() -> Result<ModelCatalog, IpcError> {
    Ok(model_catalog())
}

/// Whether the music and lyrics APIs work with the plan key, as far as MiniMax has said.
#[tauri::command]
pub async fn get_music_access(studio: State<'_, Studio>) -> Result<MusicAccess, IpcError> {
    Ok(studio.runner.music_access())
}

/// Checks whether the key has music: one lyrics job (≈ 75 requests, its lyrics kept in the Library) whose
/// end makes music available, or explains why not.
#[tauri::command]
pub async fn probe_music_access(studio: State<'_, Studio>) -> Result<Job, IpcError> {
    Ok(studio.runner.probe_music()?)
}

/// The paid MiniMax-H3 tasks of the last 7 days that no job of the library knows, to offer for import.
#[tauri::command]
pub async fn list_unknown_video_tasks(studio: State<'_, Studio>) -> Result<Vec<RemoteTask>, IpcError> {
    Ok(studio.runner.unknown_video_tasks().await?)
}

/// Files MiniMax's V2 task `task_id` as a job that polls it and downloads its video (never a second paid
/// task); a task the library knows is resumed.
#[tauri::command]
pub async fn recover_video_task(studio: State<'_, Studio>, task_id: String) -> Result<Job, IpcError> {
    Ok(studio.runner.recover_video_task(&task_id).await?)
}

/// Sends the quota view to the UI as `quota-view-changed`, and to the tray, which speaks like the gauge.
pub fn announce<R: Runtime>(app: &AppHandle<R>, view: &QuotaView) {
    crate::tray::show_view(app, view);
    if let Err(e) = app.emit(QUOTA_VIEW_CHANGED, view) {
        tracing::warn!("cannot announce the quota view: {e}");
    }
}

/// Sends the view now, read from the runner (after a job or settings change).
pub fn announce_current<R: Runtime>(app: &AppHandle<R>, runner: &Runner) {
    match runner.quota_view() {
        Ok(view) => announce(app, &view),
        Err(e) => tracing::warn!("cannot read the quota view: {e}"),
    }
}

/// Announces the view whenever it may have changed outside a job change: a server read, a model learnt to be
/// out of the plan or music found available. Ends with the runner.
pub async fn forward_quota_view<R: Runtime>(app: AppHandle<R>, runner: Runner) {
    let mut ticks = runner.subscribe_quota();
    while ticks.changed().await.is_ok() {
        announce_current(&app, &runner);
    }
}

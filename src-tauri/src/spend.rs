//! The Spend screen's commands: the dashboard figures, the ledger table, the CSV export and the comparison
//! with the server's own count (`/v1/token_plan/remains`).

use studio_core::events::QUOTA_CHANGED;
use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::quota::WINDOW_MS;
use studio_core::runner::{Clock, SystemClock};
use studio_core::storage::ledger::ServerCorrection;
use studio_core::storage::spend_report::{
    ServerComparison, SpendFilter, SpendGrouping, SpendPage, SpendReport,
};
use studio_core::storage::{QuotaSnapshot, SharedLibrary};
use tauri::{AppHandle, Emitter, State};

use crate::blocking;
use crate::settings_store::load_settings;
use crate::studio::Studio;

/// The dashboard's figures for `[from_ms, before_ms)`.
#[tauri::command]
pub async fn get_spend_report(
    app: AppHandle,
    library: State<'_, SharedLibrary>,
    from_ms: i64,
    before_ms: i64,
    utc_offset_ms: i64,
    grouping: SpendGrouping,
) -> Result<SpendReport, IpcError> {
    let quota = u64::from(load_settings(&app)?.quota_per_window());
    let now = SystemClock.now_ms();
    blocking::with_library(&library, move |lib| {
        lib.spend_report(from_ms, before_ms, utc_offset_ms, grouping, quota, now)
    })
    .await
}

/// One page of the ledger, newest first.
#[tauri::command]
pub async fn list_spend(
    library: State<'_, SharedLibrary>,
    filter: SpendFilter,
    before_id: Option<i64>,
    limit: u32,
) -> Result<SpendPage, IpcError> {
    blocking::with_library(&library, move |lib| lib.spend_page(&filter, before_id, limit)).await
}

/// Writes the filtered ledger as CSV under the data folder's `exports/` and returns the file's path.
#[tauri::command]
pub async fn export_spend_csv(
    library: State<'_, SharedLibrary>,
    filter: SpendFilter,
) -> Result<String, IpcError> {
    let dir = library.root().join("exports");
    let now = SystemClock.now_ms();
    let path = blocking::with_library(&library, move |lib| lib.export_spend_csv(&filter, &dir, now)).await?;
    Ok(path.display().to_string())
}

/// Asks the server for its count (plan key only; it costs nothing), stores the snapshot and compares it
/// with the ledger. Without a plan key, or offline, the last stored comparison is returned with the reason.
#[tauri::command]
pub async fn compare_with_server(
    studio: State<'_, Studio>,
    library: State<'_, SharedLibrary>,
) -> Result<ServerComparison, IpcError> {
    let fetched = match studio.runner.plan_client() {
        None => Err("no Token Plan key: add one in Settings to compare with MiniMax's own count".to_owned()),
        Some(client) => client.plan().remains().await.map_err(|e| IpcError::from_api(&e).message),
    };
    let now = SystemClock.now_ms();
    let (rows, fetch_error) = blocking::with_library(&library, move |lib| {
        let fetch_error = match fetched {
            Ok(remains) => {
                lib.record_quota_snapshot(&QuotaSnapshot::from_remains(&remains, now))?;
                None
            }
            Err(reason) => Some(reason),
        };
        Ok((lib.reconcile_latest_snapshot(WINDOW_MS)?, fetch_error))
    })
    .await?;
    Ok(ServerComparison { rows, fetch_error })
}

/// Asks the server for its count and, when it counts more requests used in the window than the ledger,
/// adds the difference as one logged adjustment (never removes a charge; says why when the server's figures
/// cannot be followed). The new window goes to the UI as `quota-changed`.
#[tauri::command]
pub async fn apply_server_correction(
    app: AppHandle,
    studio: State<'_, Studio>,
    library: State<'_, SharedLibrary>,
) -> Result<ServerCorrection, IpcError> {
    let client = studio.runner.plan_client().ok_or_else(|| {
        IpcError::new(
            IpcErrorKind::InvalidApiKey,
            "no Token Plan key: add one in Settings to correct the window from MiniMax's own count",
        )
    })?;
    let remains = client.plan().remains().await.map_err(|e| IpcError::from_api(&e))?;
    let now = SystemClock.now_ms();
    let correction = blocking::with_library(&library, move |lib| {
        lib.record_quota_snapshot(&QuotaSnapshot::from_remains(&remains, now))?;
        lib.record_adjustment(&remains, now, WINDOW_MS)
    })
    .await?;
    match studio.runner.window() {
        Ok(window) => {
            if let Err(e) = app.emit(QUOTA_CHANGED, &window) {
                tracing::warn!("cannot announce the quota: {e}");
            }
        }
        Err(e) => tracing::warn!("cannot read the quota window: {e}"),
    }
    Ok(correction)
}

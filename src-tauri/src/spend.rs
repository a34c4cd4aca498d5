//! The Spend screen's commands: the dashboard figures, the ledger table, the CSV export and the comparison
//! with the server's own count (`/v1/token_plan/remains`).

use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::quota::WINDOW_MS;
use studio_core::runner::{Clock, SystemClock};
use studio_core::storage::QuotaSnapshot;
use studio_core::storage::spend_report::{
    ServerComparison, SpendFilter, SpendGrouping, SpendPage, SpendReport,
};
use tauri::{AppHandle, State};

use crate::Shell;
use crate::studio::Studio;

/// The dashboard's figures for `[from_ms, before_ms)`.
#[tauri::command]
pub async fn get_spend_report(
    app: AppHandle,
    studio: State<'_, Studio>,
    from_ms: i64,
    before_ms: i64,
    utc_offset_ms: i64,
    grouping: SpendGrouping,
) -> Result<SpendReport, IpcError> {
    let settings = crate::commands::load_settings(&app)?;
    let quota = u64::from(settings.quota_per_window());
    let now = SystemClock.now_ms();
    Ok(studio
        .runner
        .with_library(|lib| lib.spend_report(from_ms, before_ms, utc_offset_ms, grouping, quota, now))?)
}

/// One page of the ledger, newest first.
#[tauri::command]
pub async fn list_spend(
    studio: State<'_, Studio>,
    filter: SpendFilter,
    before_id: Option<i64>,
    limit: u32,
) -> Result<SpendPage, IpcError> {
    Ok(studio.runner.with_library(|lib| lib.spend_page(&filter, before_id, limit))?)
}

/// Writes the filtered ledger as CSV under the data folder's `exports/` and returns the file's path.
#[tauri::command]
pub async fn export_spend_csv(
    shell: State<'_, Shell>,
    studio: State<'_, Studio>,
    filter: SpendFilter,
) -> Result<String, IpcError> {
    let dir = shell.data_dir.root().join("exports");
    std::fs::create_dir_all(&dir).map_err(|e| IpcError::new(IpcErrorKind::Internal, e.to_string()))?;
    let stamp = studio_core::storage::spend_report::iso8601_utc(SystemClock.now_ms())
        .replace([':', '.'], "-")
        .trim_end_matches('Z')
        .to_owned();
    let path = dir.join(format!("spend-{stamp}.csv"));
    let file =
        std::fs::File::create(&path).map_err(|e| IpcError::new(IpcErrorKind::Internal, e.to_string()))?;
    studio.runner.with_library(|lib| lib.write_spend_csv(&filter, std::io::BufWriter::new(file)))?;
    Ok(path.display().to_string())
}

/// Asks the server for its count (plan key only; it costs nothing), stores the snapshot and compares it
/// with the ledger. Without a plan key, or offline, the last stored comparison is returned with the reason.
#[tauri::command]
pub async fn compare_with_server(studio: State<'_, Studio>) -> Result<ServerComparison, IpcError> {
    let fetch_error = match studio.runner.plan_client() {
        None => Some("no Token Plan key: add one in Settings to compare with MiniMax's own count".to_owned()),
        Some(client) => match client.plan().remains().await {
            Ok(remains) => {
                let body = serde_json::json!({ "model_remains": remains.model_remains });
                let rows = QuotaSnapshot::from_remains_response(&body, SystemClock.now_ms());
                studio.runner.with_library(|lib| lib.record_quota_snapshot(&rows))?;
                None
            }
            Err(e) => Some(IpcError::from_api(&e).message),
        },
    };
    let rows = studio.runner.with_library(|lib| lib.reconcile_latest_snapshot(WINDOW_MS))?;
    Ok(ServerComparison { rows, fetch_error })
}

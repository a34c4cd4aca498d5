//! Token Plan quota: `GET /v1/token_plan/remains` and the legacy `/v1/api/openplatform/coding_plan/remains`,
//! reporting the simulator's own rolling window with the §9.1 fields. Quirk reproduced: the legacy path puts
//! the **remaining** count in the `*_usage_count` fields, the current path the **used** count (§11.3).

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use serde_json::{Value, json};

use crate::envelope::{ApiError, ApiResult, base_ok, ok_json};
use crate::quota::WEEK_MS;
use crate::state::{KeyKind, SimState};

fn percent_remaining(used: u64, total: u64) -> u64 {
    (total.saturating_sub(used) * 100).checked_div(total).unwrap_or(100)
}

fn report(state: &SimState, key: KeyKind, legacy: bool) -> ApiResult {
    if key == KeyKind::PayAsYouGo {
        return Err(ApiError::Auth {
            code: 1004,
            message: "no active token plan for this api key".to_owned(),
        });
    }
    let now = state.clock.now_ms();
    let mut inner = state.lock();
    inner.ledger.fixed = inner.config.fixed_window;
    let config = &inner.config;
    let window = inner.ledger.report(now, config.quota_window_ms);
    let week = inner.ledger.report(now, WEEK_MS);
    let count = |used: u64, total: u64| if legacy { total.saturating_sub(used) } else { used };
    let status = |used: u64, total: u64| if total > 0 && used >= total { 2 } else { 1 };
    let bucket: Value = json!({
        "model_name": "MiniMax-M*",
        "start_time": window.start_ms,
        "end_time": window.end_ms,
        "remains_time": window.end_ms.saturating_sub(now),
        "current_interval_total_count": config.quota,
        "current_interval_usage_count": count(window.used, config.quota),
        "current_interval_status": status(window.used, config.quota),
        "current_interval_remaining_percent": percent_remaining(window.used, config.quota),
        "weekly_start_time": week.start_ms,
        "weekly_end_time": week.end_ms,
        "weekly_remains_time": week.end_ms.saturating_sub(now),
        "current_weekly_total_count": config.weekly_quota,
        "current_weekly_usage_count": count(week.used, config.weekly_quota),
        "current_weekly_status": if config.weekly_quota == 0 { 3 } else { status(week.used, config.weekly_quota) },
        "current_weekly_remaining_percent": percent_remaining(week.used, config.weekly_quota),
    });
    Ok(ok_json(json!({ "model_remains": [bucket], "base_resp": base_ok() })))
}

/// `GET /v1/token_plan/remains`.
pub async fn remains(State(state): State<Arc<SimState>>, Extension(key): Extension<KeyKind>) -> ApiResult {
    report(&state, key, false)
}

/// `GET /v1/api/openplatform/coding_plan/remains` (legacy: usage counts hold the remaining count).
pub async fn legacy_remains(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
) -> ApiResult {
    report(&state, key, true)
}

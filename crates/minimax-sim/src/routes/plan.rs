//! Token Plan quota: `GET /v1/token_plan/remains` and the legacy `/v1/api/openplatform/coding_plan/remains`,
//! reporting the simulator's own quota windows in one of three payloads (minimax-api-2026.md §2.5), chosen
//! with [`SimConfig::plan_payload`](crate::SimConfig):
//! - legacy request counts: one `MiniMax-M*` row with counts (and the percentages derived from them); the
//!   legacy path puts the **remaining** count in `*_usage_count`, the current path the **used** count (§11.3);
//! - usage-based percent: a `general` row (5-hour share of non-video usage, weekly share of all usage,
//!   statuses, the configured boosts) and a `video` row (a 24 h window whose shares are the weekly share,
//!   since video draws only on the weekly window);
//! - M Plan: the `general` row only.
//!
//! The percentages are the simulator's ledger, so they move when anything is spent, including spend from
//! "another tool on the same key" (`/_sim/quota/elsewhere`). [`RemainsQuirk`]s send odd shapes.

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use serde_json::{Map, Value, json};

use crate::config::{PlanPayload, RemainsQuirk, SimConfig};
use crate::envelope::{ApiError, ApiResult, base_ok, ok_json};
use crate::quota::{QuotaLedger, WEEK_MS};
use crate::state::{KeyKind, SimState};

const DAY_MS: u64 = 24 * 3_600_000;

fn percent_remaining(used: u64, total: u64) -> u64 {
    (total.saturating_sub(used) * 100).checked_div(total).unwrap_or(100)
}

fn status(used: u64, total: u64) -> u64 {
    if total > 0 && used >= total { 2 } else { 1 }
}

/// The remains body as the simulator would send it now (also answered by the admin calls).
pub fn remains_body(state: &SimState, legacy_path: bool) -> Value {
    let now = state.clock.now_ms();
    let mut inner = state.lock();
    inner.ledger.fixed = inner.config.fixed_window;
    let config = &inner.config;
    let mut rows = match config.plan_payload {
        PlanPayload::Legacy => vec![legacy_row(&inner.ledger, config, now, legacy_path)],
        PlanPayload::UsagePercent => {
            vec![general_row(&inner.ledger, config, now), video_row(&inner.ledger, config, now)]
        }
        PlanPayload::MPlan => vec![general_row(&inner.ledger, config, now)],
    };
    // A fixed order, so string percentages also cover a row another quirk added.
    let order = [
        RemainsQuirk::NotInPlan,
        RemainsQuirk::CountsRemaining,
        RemainsQuirk::MissingFields,
        RemainsQuirk::PercentStrings,
    ];
    for quirk in order.into_iter().filter(|q| config.remains_quirks.contains(q)) {
        apply_quirk(quirk, &mut rows, &inner.ledger, config, now);
    }
    json!({ "model_remains": rows, "base_resp": base_ok() })
}

fn legacy_row(ledger: &QuotaLedger, config: &SimConfig, now: u64, legacy_path: bool) -> Value {
    let window = ledger.interval_report(now, config.quota_window_ms);
    let week = ledger.report(now, WEEK_MS);
    let count = |used: u64, total: u64| if legacy_path { total.saturating_sub(used) } else { used };
    json!({
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
    })
}

/// The weekly share of all usage, its status (3 without a weekly cap) and the window.
fn weekly_fields(ledger: &QuotaLedger, config: &SimConfig, now: u64, row: &mut Map<String, Value>) {
    let week = ledger.report(now, WEEK_MS);
    let weekly_status = if config.weekly_quota == 0 { 3 } else { status(week.used, config.weekly_quota) };
    row.insert("weekly_start_time".into(), json!(week.start_ms));
    row.insert("weekly_end_time".into(), json!(week.end_ms));
    row.insert("weekly_remains_time".into(), json!(week.end_ms.saturating_sub(now)));
    row.insert("current_weekly_total_count".into(), json!(0));
    row.insert("current_weekly_usage_count".into(), json!(0));
    row.insert("current_weekly_status".into(), json!(weekly_status));
    row.insert(
        "current_weekly_remaining_percent".into(),
        json!(percent_remaining(week.used, config.weekly_quota)),
    );
}

fn general_row(ledger: &QuotaLedger, config: &SimConfig, now: u64) -> Value {
    let window = ledger.interval_report(now, config.quota_window_ms);
    let mut row = Map::new();
    row.insert("model_name".into(), json!("general"));
    row.insert("start_time".into(), json!(window.start_ms));
    row.insert("end_time".into(), json!(window.end_ms));
    row.insert("remains_time".into(), json!(window.end_ms.saturating_sub(now)));
    row.insert("current_interval_total_count".into(), json!(0));
    row.insert("current_interval_usage_count".into(), json!(0));
    row.insert("current_interval_status".into(), json!(status(window.used, config.quota)));
    row.insert(
        "current_interval_remaining_percent".into(),
        json!(percent_remaining(window.used, config.quota)),
    );
    weekly_fields(ledger, config, now, &mut row);
    if let Some(boost) = config.interval_boost_permille {
        row.insert("interval_boost_permille".into(), json!(boost));
    }
    if let Some(boost) = config.weekly_boost_permille {
        row.insert("weekly_boost_permille".into(), json!(boost));
    }
    Value::Object(row)
}

/// The Token Plan era `video` row: a 24 h interval window, but both shares are the weekly share because
/// video draws only on the weekly window.
fn video_row(ledger: &QuotaLedger, config: &SimConfig, now: u64) -> Value {
    let day = ledger.report(now, DAY_MS);
    let mut row = Map::new();
    row.insert("model_name".into(), json!("video"));
    row.insert("start_time".into(), json!(day.start_ms));
    row.insert("end_time".into(), json!(day.end_ms));
    row.insert("remains_time".into(), json!(day.end_ms.saturating_sub(now)));
    row.insert("current_interval_total_count".into(), json!(0));
    row.insert("current_interval_usage_count".into(), json!(0));
    weekly_fields(ledger, config, now, &mut row);
    row.insert("current_interval_status".into(), row["current_weekly_status"].clone());
    row.insert("current_interval_remaining_percent".into(), row["current_weekly_remaining_percent"].clone());
    Value::Object(row)
}

fn apply_quirk(
    quirk: RemainsQuirk,
    rows: &mut Vec<Value>,
    ledger: &QuotaLedger,
    config: &SimConfig,
    now: u64,
) {
    match quirk {
        RemainsQuirk::MissingFields => {
            for row in rows.iter_mut().filter_map(Value::as_object_mut) {
                for field in [
                    "start_time",
                    "remains_time",
                    "weekly_start_time",
                    "weekly_remains_time",
                    "current_weekly_status",
                ] {
                    row.remove(field);
                }
            }
        }
        RemainsQuirk::PercentStrings => {
            for row in rows.iter_mut().filter_map(Value::as_object_mut) {
                for (name, value) in row.iter_mut() {
                    if (name.ends_with("_percent") || name.ends_with("_status")) && value.is_number() {
                        *value = Value::String(value.to_string());
                    }
                }
            }
        }
        RemainsQuirk::NotInPlan => {
            rows.retain(|row| row["model_name"] != "video");
            rows.push(json!({
                "model_name": "video", "current_interval_total_count": 0, "current_interval_usage_count": 0,
                "current_interval_remaining_percent": 100, "current_interval_status": 3,
                "current_weekly_total_count": 0, "current_weekly_usage_count": 0,
                "current_weekly_remaining_percent": 100, "current_weekly_status": 3,
            }));
        }
        RemainsQuirk::CountsRemaining => {
            let interval = ledger.interval_report(now, config.quota_window_ms);
            let week = ledger.report(now, WEEK_MS);
            for row in rows.iter_mut().filter_map(Value::as_object_mut) {
                row.insert("current_interval_total_count".into(), json!(config.quota));
                row.insert(
                    "current_interval_usage_count".into(),
                    json!(config.quota.saturating_sub(interval.used)),
                );
                row.insert("current_weekly_total_count".into(), json!(config.weekly_quota));
                row.insert(
                    "current_weekly_usage_count".into(),
                    json!(config.weekly_quota.saturating_sub(week.used)),
                );
            }
        }
    }
}

fn report(state: &SimState, key: KeyKind, legacy_path: bool) -> ApiResult {
    if key == KeyKind::PayAsYouGo {
        return Err(ApiError::Auth {
            code: 1004,
            message: "no active token plan for this api key".to_owned(),
        });
    }
    Ok(ok_json(remains_body(state, legacy_path)))
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

//! The `/_sim` admin API (no auth, never logged, never faulted):
//!
//! | Route | Body / answer |
//! |---|---|
//! | `POST /_sim/faults` | a [`Fault`] or an array of them: `{"endpoint":"/v1/t2a_v2" \| "*", "kind":"http500", "times":1}`; kinds `http500`, `http429`, `http529`, `malformedJson`, `truncatedHex`, `slow` (+`ms`), `cutMidBody`, `stallMidBody` (+`ms`), `noFileId`, `expiredUrl`, `quotaExhausted` (+`resetsInMs`?), `contentFlagged`, `rateLimit`, `taskFail`, `baseResp` (+`code`, `msg`) → `{"armed":[…]}` |
//! | `GET /_sim/faults`, `DELETE /_sim/faults` | the armed faults / disarm all |
//! | `GET /_sim/requests[?endpoint=/v1/…][&since=SEQ]` | `{"requests":[…], "validationFailures": N}` (see [`crate::request_log::LoggedRequest`]; filters keep entries for that endpoint / with `seq > SEQ`) |
//! | `DELETE /_sim/requests` | clears the log |
//! | `POST /_sim/quota/charge` | `{"cost": N}`: charges N requests now (pre-fills the window) → the remains report |
//! | `POST /_sim/reset` | clears faults, log, quota ledger, tasks and files (config and clock stay) |
//! | `POST /_sim/clock/advance` | `{"ms": N}` → `{"nowMs", "offsetMs", "now"}` |
//! | `GET /_sim/clock` | `{"nowMs", "offsetMs", "now"}` |
//! | `GET /_sim/config`, `POST /_sim/config` | the [`SimConfig`] (camelCase); POST merges the given fields |
//! | `POST /_sim/plan` | `{"payload"?: "legacy" \| "usagePercent" \| "mPlan", "quirks"?: ["missingFields", "percentStrings", "notInPlan", "countsRemaining"], "intervalBoostPermille"?, "weeklyBoostPermille"?}` → the remains body now |
//! | `GET /_sim/plan` | the remains body now (as the current path sends it) |
//! | `POST /_sim/quota/elsewhere` | spend by another tool on the same key: `{"cost": N}` requests or `{"percent": P, "window"?: "interval" \| "weekly"}`, `"video"?: bool` → `{"charged", "spentElsewhere", "remains"}`; 409 when the plan refuses it |
//! | `POST /_sim/entitlements` | `{"h3"?: bool, "music"?: bool, "realNameVerified"?: bool}` → the three flags |
//! | `POST /_sim/film-draft/faults` | `{"kind": "malformed" \| "invalid", "times"?: N}`: the next N film draft replies are spoiled → `{"pending": […]}`; `DELETE` clears |
//! | `GET /_sim/health` | `{"ok": true}` |

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::clock::iso8601;
use crate::config::{PlanPayload, RemainsQuirk, SimConfig};
use crate::faults::Fault;
use crate::quota::QuotaLedger;
use crate::request_log::LoggedRequest;
use crate::routes::film_draft::DraftSpoiler;
use crate::routes::plan::remains_body;
use crate::state::{KeyKind, SimState};

/// The admin routes.
pub fn router() -> Router<Arc<SimState>> {
    Router::new()
        .route("/_sim/faults", post(arm_faults).get(list_faults).delete(clear_faults))
        .route("/_sim/requests", get(requests).delete(clear_requests))
        .route("/_sim/reset", post(reset))
        .route("/_sim/quota/charge", post(charge_quota))
        .route("/_sim/clock/advance", post(advance_clock))
        .route("/_sim/clock", get(clock))
        .route("/_sim/config", get(config).post(update_config))
        .route("/_sim/plan", post(set_plan).get(plan))
        .route("/_sim/quota/elsewhere", post(spend_elsewhere))
        .route("/_sim/entitlements", post(entitlements))
        .route("/_sim/film-draft/faults", post(spoil_drafts).delete(clear_draft_spoilers))
        .route("/_sim/health", get(|| async { Json(json!({ "ok": true })) }))
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

async fn arm_faults(State(state): State<Arc<SimState>>, Json(body): Json<Value>) -> Response {
    let faults: Result<Vec<Fault>, _> = match body {
        Value::Array(_) => serde_json::from_value(body),
        other => serde_json::from_value(other).map(|f| vec![f]),
    };
    match faults {
        Ok(faults) => {
            let mut inner = state.lock();
            for fault in faults {
                inner.faults.arm(fault);
            }
            Json(json!({ "armed": inner.faults.armed() })).into_response()
        }
        Err(e) => bad_request(format!("not a fault: {e}")),
    }
}

async fn list_faults(State(state): State<Arc<SimState>>) -> Json<Value> {
    Json(json!({ "armed": state.lock().faults.armed() }))
}

async fn clear_faults(State(state): State<Arc<SimState>>) -> Json<Value> {
    state.lock().faults.clear();
    Json(json!({ "armed": [] }))
}

async fn requests(
    State(state): State<Arc<SimState>>,
    Query(filter): Query<HashMap<String, String>>,
) -> Json<Value> {
    let inner = state.lock();
    let since: u64 = filter.get("since").and_then(|s| s.parse().ok()).unwrap_or(0);
    let entries: Vec<&LoggedRequest> = inner
        .log
        .entries()
        .iter()
        .filter(|e| e.seq > since && filter.get("endpoint").is_none_or(|wanted| *wanted == e.endpoint))
        .collect();
    Json(json!({ "requests": entries, "validationFailures": inner.log.validation_failures() }))
}

async fn charge_quota(State(state): State<Arc<SimState>>, Json(body): Json<Value>) -> Response {
    let Some(cost) = body.get("cost").and_then(Value::as_u64) else {
        return bad_request("expected {\"cost\": <non-negative integer>}".to_owned());
    };
    match state.charge(KeyKind::TokenPlan, cost, false) {
        Ok(()) => {
            let now = state.clock.now_ms();
            let inner = state.lock();
            let window = inner.ledger.report(now, inner.config.quota_window_ms);
            Json(json!({ "used": window.used, "total": inner.config.quota, "endMs": window.end_ms }))
                .into_response()
        }
        Err(refused) => (StatusCode::CONFLICT, refused.into_response()).into_response(),
    }
}

async fn clear_requests(State(state): State<Arc<SimState>>) -> Json<Value> {
    state.lock().log.clear();
    Json(json!({ "requests": [] }))
}

async fn reset(State(state): State<Arc<SimState>>) -> Json<Value> {
    let mut inner = state.lock();
    inner.faults.clear();
    inner.log.clear();
    inner.ledger = QuotaLedger::default();
    inner.tasks.clear();
    inner.files.clear();
    inner.arrivals.clear();
    inner.v2_tasks.clear();
    inner.custom_voices.clear();
    inner.retired_voice_ids.clear();
    inner.spent_elsewhere = 0;
    inner.film_draft_spoilers.clear();
    Json(json!({ "ok": true }))
}

fn clock_body(state: &SimState) -> Json<Value> {
    let now = state.clock.now_ms();
    Json(json!({ "nowMs": now, "offsetMs": state.clock.offset_ms(), "now": iso8601(now) }))
}

async fn advance_clock(State(state): State<Arc<SimState>>, Json(body): Json<Value>) -> Response {
    match body.get("ms").and_then(Value::as_u64) {
        Some(ms) => {
            state.clock.advance(ms);
            clock_body(&state).into_response()
        }
        None => bad_request("expected {\"ms\": <non-negative integer>}".to_owned()),
    }
}

async fn clock(State(state): State<Arc<SimState>>) -> Json<Value> {
    clock_body(&state)
}

async fn config(State(state): State<Arc<SimState>>) -> Json<SimConfig> {
    Json(state.config())
}

async fn update_config(State(state): State<Arc<SimState>>, Json(patch): Json<Value>) -> Response {
    let mut inner = state.lock();
    let mut merged = serde_json::to_value(&inner.config).unwrap_or(Value::Null);
    if let (Value::Object(target), Value::Object(patch)) = (&mut merged, patch) {
        target.extend(patch);
    }
    match serde_json::from_value::<SimConfig>(merged) {
        Ok(config) => {
            inner.config = config.clone();
            Json(config).into_response()
        }
        Err(e) => bad_request(format!("bad config: {e}")),
    }
}

async fn plan(State(state): State<Arc<SimState>>) -> Json<Value> {
    Json(remains_body(&state, false))
}

async fn set_plan(State(state): State<Arc<SimState>>, Json(body): Json<Value>) -> Response {
    let read = |name: &str| body.get(name).filter(|v| !v.is_null()).cloned();
    let payload = read("payload").map(serde_json::from_value::<PlanPayload>).transpose();
    let quirks = read("quirks").map(serde_json::from_value::<Vec<RemainsQuirk>>).transpose();
    let (Ok(payload), Ok(quirks)) = (payload, quirks) else {
        return bad_request(
            "expected {\"payload\": \"legacy\"|\"usagePercent\"|\"mPlan\", \"quirks\": [...]}".to_owned(),
        );
    };
    {
        let mut inner = state.lock();
        if let Some(payload) = payload {
            inner.config.plan_payload = payload;
        }
        if let Some(quirks) = quirks {
            inner.config.remains_quirks = quirks;
        }
        if body.get("intervalBoostPermille").is_some() {
            inner.config.interval_boost_permille = body["intervalBoostPermille"].as_u64();
        }
        if body.get("weeklyBoostPermille").is_some() {
            inner.config.weekly_boost_permille = body["weeklyBoostPermille"].as_u64();
        }
    }
    Json(remains_body(&state, false)).into_response()
}

/// Charges the plan as another tool on the same key would (a coding agent the app never sees).
async fn spend_elsewhere(State(state): State<Arc<SimState>>, Json(body): Json<Value>) -> Response {
    let video = body.get("video").and_then(Value::as_bool).unwrap_or(false);
    let cost = match (body.get("cost").and_then(Value::as_u64), body.get("percent").and_then(Value::as_f64)) {
        (Some(cost), _) => cost,
        (None, Some(percent)) if percent >= 0.0 => {
            let config = state.config();
            let weekly = body.get("window").and_then(Value::as_str) == Some("weekly");
            let total = if weekly { config.weekly_quota } else { config.quota };
            (total as f64 * percent / 100.0).ceil() as u64
        }
        _ => return bad_request("expected {\"cost\": N} or {\"percent\": P}".to_owned()),
    };
    let charged = if video {
        state.charge_video(KeyKind::TokenPlan, cost, false).map(drop)
    } else {
        state.charge(KeyKind::TokenPlan, cost, false)
    };
    if let Err(refused) = charged {
        return (StatusCode::CONFLICT, refused.into_response()).into_response();
    }
    let spent = {
        let mut inner = state.lock();
        inner.spent_elsewhere += cost;
        inner.spent_elsewhere
    };
    Json(json!({ "charged": cost, "spentElsewhere": spent, "remains": remains_body(&state, false) }))
        .into_response()
}

async fn entitlements(State(state): State<Arc<SimState>>, Json(body): Json<Value>) -> Json<Value> {
    let mut inner = state.lock();
    if let Some(h3) = body.get("h3").and_then(Value::as_bool) {
        inner.config.h3_access = h3;
    }
    if let Some(music) = body.get("music").and_then(Value::as_bool) {
        inner.config.music_access = music;
    }
    if let Some(verified) = body.get("realNameVerified").and_then(Value::as_bool) {
        inner.config.real_name_verified = verified;
    }
    let config = &inner.config;
    Json(
        json!({ "h3": config.h3_access, "music": config.music_access, "realNameVerified": config.real_name_verified }),
    )
}

async fn spoil_drafts(State(state): State<Arc<SimState>>, Json(body): Json<Value>) -> Response {
    let kind = body.get("kind").cloned().map(serde_json::from_value::<DraftSpoiler>);
    let Some(Ok(kind)) = kind else {
        return bad_request("expected {\"kind\": \"malformed\"|\"invalid\", \"times\": N}".to_owned());
    };
    let times = body.get("times").and_then(Value::as_u64).unwrap_or(1);
    let mut inner = state.lock();
    for _ in 0..times {
        inner.film_draft_spoilers.push_back(kind);
    }
    Json(json!({ "pending": inner.film_draft_spoilers })).into_response()
}

async fn clear_draft_spoilers(State(state): State<Arc<SimState>>) -> Json<Value> {
    state.lock().film_draft_spoilers.clear();
    Json(json!({ "pending": [] }))
}

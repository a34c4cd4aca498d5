//! The quota ledger's arithmetic: what the window holds, when requests come back, what a failure costs,
//! and how the local ledger compares with the server's own count.
//!
//! Everything here is a pure function with the time passed in (`now_ms`, epoch milliseconds), so tests need
//! no clock. The storage layer feeds it ledger points (see `storage::ledger`).
//!
//! **Window rule.** The Token Plan window is rolling (PRODUCT.md): a request billed at `t` counts while
//! `now - window < t`, and is released at exactly `t + window`. An entry exactly 5 hours old is therefore
//! already released. Entries stamped in the future (clock skew) still count: we would rather under-promise.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::plan::WINDOW_HOURS;

/// The length of the rolling window in milliseconds (5 hours).
pub const WINDOW_MS: i64 = WINDOW_HOURS as i64 * 60 * 60 * 1000;

/// The weekly cap MiniMax added on 2026-03-21: about 10 × the 5-hour quota (`minimax-api.md` §9.2,
/// third-party changelog). The server's own weekly window (`weekly_start_time`…`weekly_end_time`) is fixed,
/// not rolling; use `Library::used_between` over it.
pub const WEEKLY_CAP_MULTIPLIER: u64 = 10;

/// The weekly cap for a 5-hour `quota`.
pub fn weekly_cap(quota: u64) -> u64 {
    quota.saturating_mul(WEEKLY_CAP_MULTIPLIER)
}

/// Requests billed at one instant (several ledger rows with the same `at_ms` may be merged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpendPoint {
    /// When the requests were billed, epoch ms.
    #[ts(type = "number")]
    pub at_ms: i64,
    /// How many requests.
    #[ts(type = "number")]
    pub requests: u64,
}

/// What the rolling window holds at one instant — the gauge the UI always shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WindowSummary {
    /// The instant summarised, epoch ms.
    #[ts(type = "number")]
    pub now_ms: i64,
    /// Window length in ms.
    #[ts(type = "number")]
    pub window_ms: i64,
    /// Requests per window (the plan's published figure or the user's override).
    #[ts(type = "number")]
    pub quota: u64,
    /// Requests billed inside the window.
    #[ts(type = "number")]
    pub used: u64,
    /// `quota - used`, never below zero.
    #[ts(type = "number")]
    pub remaining: u64,
    /// When the oldest requests in the window are released, if any are in it.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_release_at_ms: Option<i64>,
    /// How many requests are released then.
    #[ts(type = "number")]
    pub next_release_requests: u64,
}

/// Sums `points` inside the window ending at `now_ms`. `points` may be in any order.
pub fn window_summary(points: &[SpendPoint], quota: u64, now_ms: i64, window_ms: i64) -> WindowSummary {
    let start = now_ms.saturating_sub(window_ms);
    let mut used: u64 = 0;
    let mut oldest: Option<i64> = None;
    for p in points.iter().filter(|p| p.at_ms > start) {
        used = used.saturating_add(p.requests);
        if p.requests > 0 {
            oldest = Some(oldest.map_or(p.at_ms, |o| o.min(p.at_ms)));
        }
    }
    let next_release_requests = oldest.map_or(0, |oldest| {
        points.iter().filter(|p| p.at_ms == oldest).map(|p| p.requests).fold(0, u64::saturating_add)
    });
    WindowSummary {
        now_ms,
        window_ms,
        quota,
        used,
        remaining: quota.saturating_sub(used),
        next_release_at_ms: oldest.map(|t| t.saturating_add(window_ms)),
        next_release_requests,
    }
}

/// When at least `needed` requests will be free, assuming nothing else is spent meanwhile: `Some(now_ms)`
/// if they are free now, the release instant that frees enough otherwise, and `None` if `needed` exceeds
/// the whole quota (it never fits: the user must lower the cost or use the pay-as-you-go key).
/// This is the "queue until 14:35" figure for `waiting_for_quota`.
pub fn available_at(
    points: &[SpendPoint],
    quota: u64,
    needed: u64,
    now_ms: i64,
    window_ms: i64,
) -> Option<i64> {
    if needed > quota {
        return None;
    }
    let start = now_ms.saturating_sub(window_ms);
    let mut inside: Vec<SpendPoint> = points.iter().copied().filter(|p| p.at_ms > start).collect();
    let used: u64 = inside.iter().map(|p| p.requests).fold(0, u64::saturating_add);
    let mut free = quota.saturating_sub(used);
    if free >= needed {
        return Some(now_ms);
    }
    inside.sort_unstable_by_key(|p| p.at_ms);
    // Requests over the quota must be released before any of them counts as free.
    let mut over = used.saturating_sub(quota);
    for p in inside {
        let released = p.requests;
        let absorbed = released.min(over);
        over -= absorbed;
        free = free.saturating_add(released - absorbed);
        if free >= needed {
            return Some(p.at_ms.saturating_add(window_ms));
        }
    }
    // Unreachable when needed <= quota: releasing everything frees the whole quota.
    Some(now_ms.saturating_add(window_ms))
}

/// What a daily bucket counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum BucketUnit {
    /// Token Plan requests.
    Requests,
    /// Generation units: images, songs, clips, characters — what the ledger row's `units` holds.
    Units,
}

/// A per-model daily quota, as some Token Plan docs describe for non-text models (`minimax-api.md` §9.2:
/// e.g. `image-01` 100 images a day). Data, not code: the app loads these from the server's
/// `model_remains` rows or from the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DailyBucketRule {
    /// The bucket's name (the server's `model_name`, e.g. `image-01`).
    pub name: String,
    /// Models whose spend counts in the bucket (exact, case-insensitive).
    pub models: Vec<String>,
    /// The allowance per day.
    #[ts(type = "number")]
    pub limit_per_day: u64,
    /// What the allowance counts.
    pub unit: BucketUnit,
}

/// One ledger row as the daily buckets see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSpend<'a> {
    /// When it was billed, epoch ms.
    pub at_ms: i64,
    /// The model.
    pub model: &'a str,
    /// Requests billed.
    pub requests: u64,
    /// Units produced (images, characters…).
    pub units: u64,
}

/// One daily bucket's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DailyBucketSummary {
    /// The bucket's name.
    pub name: String,
    /// Counted today.
    #[ts(type = "number")]
    pub used: u64,
    /// The allowance.
    #[ts(type = "number")]
    pub limit: u64,
    /// `limit - used`, never below zero.
    #[ts(type = "number")]
    pub remaining: u64,
    /// When the day ends and the bucket refills, epoch ms.
    #[ts(type = "number")]
    pub resets_at_ms: i64,
}

/// The fixed day containing `now_ms` for a time zone `utc_offset_ms` east of UTC: `[start, end)`.
pub fn day_bounds(now_ms: i64, utc_offset_ms: i64) -> (i64, i64) {
    const DAY_MS: i64 = 24 * 60 * 60 * 1000;
    let local = now_ms.saturating_add(utc_offset_ms);
    let start = local.div_euclid(DAY_MS) * DAY_MS - utc_offset_ms;
    (start, start + DAY_MS)
}

/// The daily buckets at `now_ms`. The day boundary is midnight in the zone `utc_offset_ms` east of UTC
/// (the docs do not say which zone MiniMax uses; mainland plans likely use UTC+8).
pub fn daily_buckets(
    rules: &[DailyBucketRule],
    spend: &[ModelSpend<'_>],
    now_ms: i64,
    utc_offset_ms: i64,
) -> Vec<DailyBucketSummary> {
    let (start, end) = day_bounds(now_ms, utc_offset_ms);
    rules
        .iter()
        .map(|rule| {
            let used = spend
                .iter()
                .filter(|s| s.at_ms >= start && s.at_ms < end)
                .filter(|s| rule.models.iter().any(|m| m.eq_ignore_ascii_case(s.model)))
                .map(|s| match rule.unit {
                    BucketUnit::Requests => s.requests,
                    BucketUnit::Units => s.units,
                })
                .fold(0, u64::saturating_add);
            DailyBucketSummary {
                name: rule.name.clone(),
                used,
                limit: rule.limit_per_day,
                remaining: rule.limit_per_day.saturating_sub(used),
                resets_at_ms: end,
            }
        })
        .collect()
}

/// How a generation ended without success, as far as billing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FailureKind {
    /// Never sent: cancelled, or failed locally before the request left.
    NotSent,
    /// Key unknown, revoked or from the other region (1004, 2049, HTTP 401).
    Auth,
    /// Parameters refused (2013, 1042, 20132…, HTTP 400).
    InvalidParams,
    /// The prompt or an input image was flagged (1026, HTTP 422).
    InputFlagged,
    /// The plan's quota is exhausted (2056, 1028, 1030) or the plan does not include the model (2061).
    QuotaExhausted,
    /// Rate, token, concurrency or ramp limits (1002, 1039, 1041, 2045, HTTP 429 without 2056).
    RateLimited,
    /// The pay-as-you-go balance is too low (1008, HTTP 402).
    InsufficientBalance,
    /// The create call got a server error body (1000, 1001, 1013, 1024, 1033, HTTP 5xx with a body).
    ServerErrorOnCreate,
    /// The request was sent but no answer came (cut connection, timeout): the server may have run it.
    OutcomeUnknown,
    /// An async task was accepted (we hold a `task_id`) and the server later reported it failed.
    TaskFailed,
    /// The generation ran and its output was flagged (1027).
    OutputFlagged,
    /// The user cancelled after the server accepted the task (there is no remote cancel).
    CancelledAfterAccept,
    /// The server succeeded but we could not download or store the result.
    DownloadFailed,
}

/// What a failure costs against the quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FailureCharge {
    /// Nothing is written to the ledger.
    Nothing,
    /// The estimate is written to the ledger (it may be corrected by reconciliation with the server).
    Estimate,
}

/// The failure cost policy.
///
/// * **A rejected request costs nothing**: whenever the server answers the create call with a non-zero
///   `base_resp` (auth, validation, input flagged, quota 2056, rate limit, balance, server error) no
///   generation exists, so nothing is billed. The docs describe these codes as request errors and none
///   mentions a charge.
/// * **Work the server did costs the estimate**: an accepted async task that later fails, output flagged
///   after generation (1027), a cancel after acceptance (the API has no remote cancel, the task runs on),
///   and a download that failed after success. The docs do not say whether the plan refunds failed tasks,
///   so we charge conservatively — the estimate must never promise more than the quota holds — and
///   reconciliation against `/v1/token_plan/remains` shows the difference if the server refunded.
/// * **Unknown outcome costs the estimate**: a request that was sent but never answered may have run.
pub fn failure_charge(kind: FailureKind) -> FailureCharge {
    match kind {
        FailureKind::NotSent
        | FailureKind::Auth
        | FailureKind::InvalidParams
        | FailureKind::InputFlagged
        | FailureKind::QuotaExhausted
        | FailureKind::RateLimited
        | FailureKind::InsufficientBalance
        | FailureKind::ServerErrorOnCreate => FailureCharge::Nothing,
        FailureKind::OutcomeUnknown
        | FailureKind::TaskFailed
        | FailureKind::OutputFlagged
        | FailureKind::CancelledAfterAccept
        | FailureKind::DownloadFailed => FailureCharge::Estimate,
    }
}

/// The failure kind of a non-zero `base_resp.status_code` on a **create** call (`minimax-api.md` §8).
/// Codes the table does not list are treated as server errors (nothing billed).
pub fn failure_kind_of_create_code(status_code: i64) -> FailureKind {
    match status_code {
        1004 | 2049 => FailureKind::Auth,
        1026 => FailureKind::InputFlagged,
        1027 => FailureKind::OutputFlagged,
        2056 | 1028 | 1030 | 2061 => FailureKind::QuotaExhausted,
        1002 | 1039 | 1041 | 2045 => FailureKind::RateLimited,
        1008 => FailureKind::InsufficientBalance,
        2013 | 1042 | 1043 | 1044 | 20132 | 2037 | 2038 | 2039 | 2042 | 2048 => FailureKind::InvalidParams,
        _ => FailureKind::ServerErrorOnCreate,
    }
}

/// One `model_remains` row of `/v1/token_plan/remains`, with the fields we reason about. The storage layer
/// keeps every raw field; this is the subset the comparison needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServerWindow {
    /// When we fetched it, epoch ms.
    #[ts(type = "number")]
    pub fetched_at_ms: i64,
    /// `model_name`.
    pub model_name: String,
    /// `current_interval_total_count` (0 means "do not trust the counts").
    #[ts(type = "number")]
    pub total_count: u64,
    /// `current_interval_usage_count`, read as **used** (`token_plan/remains` semantics, §9.1).
    #[ts(type = "number")]
    pub usage_count: u64,
    /// `current_interval_remaining_percent`, if present.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_percent: Option<u8>,
    /// `current_interval_status`: 1 limited, 2 exhausted, 3 unlimited (unconfirmed meaning).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u8>,
    /// `end_time`: when the server's window resets, epoch ms.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time_ms: Option<i64>,
}

/// How the server's "used" figure was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ServerUsedBasis {
    /// From `current_interval_remaining_percent` × total (preferred, §9.1).
    Percent,
    /// From `current_interval_usage_count`.
    Count,
    /// The server reports the window as unlimited (status 3).
    Unlimited,
    /// The snapshot carries no usable figure (total 0, no percent).
    Unavailable,
}

/// The local ledger beside the server's count, with the difference spelled out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reconciliation {
    /// The server bucket compared.
    pub model_name: String,
    /// When the server figure was fetched.
    #[ts(type = "number")]
    pub at_ms: i64,
    /// Our ledger's used requests in the window ending at `at_ms`.
    #[ts(type = "number")]
    pub local_used: u64,
    /// The server's used requests, when it gives one.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_used: Option<u64>,
    /// `server_used - local_used`: positive means the server counted more than we did (spend from another
    /// device, or a failure the server billed), negative means it counted less (a refund, a fixed window).
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference: Option<i64>,
    /// Where the server figure came from.
    pub basis: ServerUsedBasis,
    /// The server's quota for the window, when it gives one (compare with the settings' quota).
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_quota: Option<u64>,
}

/// Compares `local_used` (our window sum at `server.fetched_at_ms`) with the server's snapshot. Percent
/// figures are rounded to the nearest request, so a difference within `total / 200` may be rounding.
pub fn reconcile(server: &ServerWindow, local_used: u64) -> Reconciliation {
    let (server_used, basis) = if server.status == Some(3) {
        (None, ServerUsedBasis::Unlimited)
    } else if server.total_count == 0 {
        (None, ServerUsedBasis::Unavailable)
    } else if let Some(pct) = server.remaining_percent {
        let used_pct = u64::from(100u8.saturating_sub(pct.min(100)));
        (Some((server.total_count.saturating_mul(used_pct) + 50) / 100), ServerUsedBasis::Percent)
    } else {
        (Some(server.usage_count), ServerUsedBasis::Count)
    };
    let difference = server_used
        .map(|s| i64::try_from(s).unwrap_or(i64::MAX) - i64::try_from(local_used).unwrap_or(i64::MAX));
    Reconciliation {
        model_name: server.model_name.clone(),
        at_ms: server.fetched_at_ms,
        local_used,
        server_used,
        difference,
        basis,
        server_quota: (server.total_count > 0).then_some(server.total_count),
    }
}

#[cfg(test)]
#[path = "quota_tests.rs"]
mod tests;

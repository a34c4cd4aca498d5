//! What a remains answer means, as a pure function of the answer and the time (no clock inside):
//! which plan generation sent it, and per bucket and window the used and remaining share (boost
//! applied), when it resets, how long the window is, and whether the model is unlimited or not in the
//! plan at all. The rules follow minimax-api-2026.md §2.3–2.6 and §8.3–8.5 (the official CLI's
//! `quota-table.ts`): percentages win over counts, counts are shown only when they agree, the boost is
//! `remaining × permille / 1000` clamped at 200 %, status 3 in both windows with zero totals is
//! "not in plan", never "unlimited".

use serde::Serialize;

use super::{LEGACY_REMAINS_PATH, ModelRemain, PlanRemains};

/// The largest share shown after a boost (the CLI's `MAX_DISPLAY_PCT`).
pub const MAX_DISPLAY_PERCENT: f64 = 200.0;
/// How far counts may disagree with the percentage (in points) and still be shown: the server rounds.
const COUNT_AGREEMENT_POINTS: f64 = 1.0;
/// Slack when comparing a window length with 5 h / 1 d / 1 w, and `remains_time` with the window.
const LENGTH_SLACK_MS: i64 = 60_000;

const HOUR_MS: i64 = 3_600_000;

/// How the plan meters usage, read from the payload (the key's prefix does not tell, §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PlanGeneration {
    /// The legacy Token Plan: per-model buckets with request counts (§2.5a). Use the request table.
    RequestCounts,
    /// The usage-based Token Plan or the M Plan: `general` / `video` buckets in percent (§2.5b, c).
    Percent,
    /// Buckets without counts or percentages: nothing to go on (fall back to the local ledger).
    Unknown,
    /// No bucket at all.
    NoBuckets,
}

/// Whether a bucket's model can be used on this plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Availability {
    /// Metered by its windows.
    InPlan,
    /// Status 3 in both windows (with non-zero totals): no cap.
    Unlimited,
    /// Status 3 in both windows and both totals 0: the plan does not include it (CLI issue #173).
    NotInPlan,
}

/// The 5-hour (interval) or the weekly window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum WindowName {
    /// `start_time` … `end_time` (5 h for `general`, 24 h for the Token Plan era `video` row).
    Interval,
    /// `weekly_start_time` … `weekly_end_time`.
    Weekly,
}

/// The window length named the way the CLI tags it, from `end − start` (never a constant, §8.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum WindowLength {
    /// 5 hours.
    FiveHours,
    /// 1 day.
    OneDay,
    /// 1 week.
    OneWeek,
    /// Any other length (see `length_ms`).
    Other,
}

/// The state of one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum WindowState {
    /// There is room left.
    Available,
    /// Status 2, or nothing left.
    Exhausted,
    /// Status 3 (or a legacy weekly window with no cap): not limited.
    Unlimited,
    /// Neither a status nor a usable share was sent.
    Unknown,
}

/// Where the shares of a window come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ShareSource {
    /// `*_remaining_percent`.
    Percent,
    /// `*_total_count` and `*_usage_count` (only when no percentage was sent).
    Counts,
    /// Neither.
    None,
}

/// Request counts that agree with the window's share (or that are its only source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowCounts {
    /// Requests used.
    pub used: i64,
    /// Requests allowed.
    pub total: i64,
    /// `*_usage_count` held the remaining amount (the legacy path, or a payload that only agrees with
    /// the percentage read that way).
    pub inverted: bool,
}

/// One window of one bucket, interpreted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowView {
    /// Which window.
    pub window: WindowName,
    /// Room, exhausted, unlimited or unknown.
    pub state: WindowState,
    /// Remaining share in percent of a normal window, boost applied, 0–200 (`None` when unlimited or
    /// unknown).
    pub remaining_percent: Option<f64>,
    /// Used share in percent of a normal window, boost applied, 0–200; `used + remaining` is the boosted
    /// capacity (100 without a boost).
    pub used_percent: Option<f64>,
    /// The remaining share is over 100 % thanks to a boost (extra headroom, not an error).
    pub boosted: bool,
    /// The permille multiplier that was applied, if the server sent one.
    pub boost_permille: Option<i64>,
    /// Where the shares come from.
    pub source: ShareSource,
    /// Counts, when they are trustworthy (agree with the percentage, or are the only source).
    pub counts: Option<WindowCounts>,
    /// Window start (epoch ms).
    pub start_ms: Option<i64>,
    /// Window end (epoch ms).
    pub end_ms: Option<i64>,
    /// When the window resets: now + `remains_time` when plausible, else `end_time`.
    pub resets_at_ms: Option<i64>,
    /// Milliseconds until the reset (never negative).
    pub resets_in_ms: Option<i64>,
    /// `end − start`.
    pub length_ms: Option<i64>,
    /// `length_ms` as the CLI tags it.
    pub length: Option<WindowLength>,
}

/// One bucket (`general`, `video`, `MiniMax-M*`, `speech-hd`, …), interpreted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BucketView {
    /// `model_name` (empty when missing).
    pub name: String,
    /// The bucket meters video (named `video`, or a Hailuo / H3 model).
    pub video: bool,
    /// In plan, unlimited, or not in plan.
    pub availability: Availability,
    /// The 5-hour (or daily) window.
    pub interval: WindowView,
    /// The weekly window.
    pub weekly: WindowView,
}

/// A whole remains answer, interpreted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanView {
    /// How the plan meters usage.
    pub generation: PlanGeneration,
    /// One entry per bucket, in the server's order.
    pub buckets: Vec<BucketView>,
}

/// Whether a submit fits, by the window that gates it (§8.4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Gate {
    /// The windows that gate this kind of request have room.
    Room,
    /// A window is exhausted; for a non-video request the weekly window is named first ("blocked by
    /// weekly limit").
    Blocked {
        /// The exhausted window.
        window: WindowName,
        /// When it resets.
        resets_at_ms: Option<i64>,
    },
    /// The plan does not include the model.
    NotInPlan,
    /// The payload does not say (fall back to the local ledger).
    Unknown,
}

impl PlanView {
    /// The bucket called `name`.
    pub fn bucket(&self, name: &str) -> Option<&BucketView> {
        self.buckets.iter().find(|b| b.name == name)
    }

    /// The bucket that meters a video (`video: true`) or a non-video request: `video` or `general` by
    /// name, else the first bucket of the right kind. An M Plan without a `video` row meters video on
    /// the `general` row's weekly window.
    pub fn bucket_for(&self, video: bool) -> Option<&BucketView> {
        let by_name = if video { self.bucket("video").or_else(|| self.bucket("general")) } else { None };
        by_name
            .or_else(|| self.bucket("general"))
            .or_else(|| self.buckets.iter().find(|b| b.video == video))
            .or_else(|| self.buckets.first())
    }

    /// Whether a request fits: video needs room in the weekly window only, anything else in both (the
    /// weekly window is checked first so the 5-hour row can say "blocked by weekly limit").
    pub fn gate(&self, video: bool) -> Gate {
        let Some(bucket) = self.bucket_for(video) else { return Gate::Unknown };
        if bucket.availability == Availability::NotInPlan {
            return Gate::NotInPlan;
        }
        let windows: &[&WindowView] =
            if video { &[&bucket.weekly] } else { &[&bucket.weekly, &bucket.interval] };
        let mut known = false;
        for window in windows {
            match window.state {
                WindowState::Exhausted => {
                    return Gate::Blocked { window: window.window, resets_at_ms: window.resets_at_ms };
                }
                WindowState::Available | WindowState::Unlimited => known = true,
                WindowState::Unknown => {}
            }
        }
        if known { Gate::Room } else { Gate::Unknown }
    }
}

/// Interprets a remains answer at `now_ms` (epoch ms; a parameter so tests need no clock).
pub fn interpret(remains: &PlanRemains, now_ms: i64) -> PlanView {
    let generation = generation_of(&remains.model_remains);
    let counts_hold_remaining = remains.source_path == LEGACY_REMAINS_PATH;
    let buckets = remains
        .model_remains
        .iter()
        .map(|row| bucket_view(row, generation, counts_hold_remaining, now_ms))
        .collect();
    PlanView { generation, buckets }
}

/// The M3-era bucket names mean the percent model; otherwise real request totals mean the legacy one.
fn generation_of(rows: &[ModelRemain]) -> PlanGeneration {
    if rows.is_empty() {
        return PlanGeneration::NoBuckets;
    }
    let named_percent = rows.iter().any(|r| matches!(r.model_name.as_deref(), Some("general" | "video")));
    let has_percent = rows.iter().any(|r| {
        r.current_interval_remaining_percent.is_some() || r.current_weekly_remaining_percent.is_some()
    });
    let has_totals = rows.iter().any(|r| r.current_interval_total_count.is_some_and(|t| t > 0));
    if named_percent || (has_percent && !has_totals) {
        PlanGeneration::Percent
    } else if has_totals {
        PlanGeneration::RequestCounts
    } else {
        PlanGeneration::Unknown
    }
}

fn is_video_bucket(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("video") || lower.contains("hailuo") || lower.starts_with("minimax-h3")
}

/// The raw fields of one window.
struct WindowFields {
    window: WindowName,
    start: Option<i64>,
    end: Option<i64>,
    remains: Option<i64>,
    total: Option<i64>,
    usage: Option<i64>,
    status: Option<i64>,
    percent: Option<f64>,
    boost: Option<i64>,
}

fn bucket_view(
    row: &ModelRemain,
    generation: PlanGeneration,
    counts_hold_remaining: bool,
    now_ms: i64,
) -> BucketView {
    let name = row.model_name.clone().unwrap_or_default();
    let interval = WindowFields {
        window: WindowName::Interval,
        start: row.start_time,
        end: row.end_time,
        remains: row.remains_time,
        total: row.current_interval_total_count,
        usage: row.current_interval_usage_count,
        status: row.current_interval_status,
        percent: row.current_interval_remaining_percent,
        boost: row.interval_boost_permille,
    };
    let weekly = WindowFields {
        window: WindowName::Weekly,
        start: row.weekly_start_time,
        end: row.weekly_end_time,
        remains: row.weekly_remains_time,
        total: row.current_weekly_total_count,
        usage: row.current_weekly_usage_count,
        status: row.current_weekly_status,
        percent: row.current_weekly_remaining_percent,
        boost: row.weekly_boost_permille,
    };
    let both_status_3 = interval.status == Some(3) && weekly.status == Some(3);
    let zero_totals = interval.total.unwrap_or(0) == 0 && weekly.total.unwrap_or(0) == 0;
    let availability = match (both_status_3, zero_totals) {
        (true, true) => Availability::NotInPlan,
        (true, false) => Availability::Unlimited,
        _ => Availability::InPlan,
    };
    let not_in_plan = availability == Availability::NotInPlan;
    BucketView {
        video: is_video_bucket(&name),
        name,
        availability,
        interval: window_view(&interval, generation, counts_hold_remaining, not_in_plan, now_ms),
        weekly: window_view(&weekly, generation, counts_hold_remaining, not_in_plan, now_ms),
    }
}

/// The shares of a window: remaining and used percent before the boost, and the trusted counts.
fn shares(
    fields: &WindowFields,
    counts_hold_remaining: bool,
) -> (Option<(f64, f64)>, ShareSource, Option<WindowCounts>) {
    let counts = match (fields.total, fields.usage) {
        (Some(total), Some(usage)) if total > 0 => Some((total, usage.clamp(0, total))),
        _ => None,
    };
    let share_of = |used: i64, total: i64| {
        #[allow(clippy::cast_precision_loss)]
        let remaining = (total - used) as f64 * 100.0 / total as f64;
        remaining
    };
    if let Some(percent) = fields.percent {
        let remaining = percent.clamp(0.0, 100.0);
        // Counts are shown only when they agree with the percentage, read either way (CLI rule 3).
        let agreeing = counts.and_then(|(total, usage)| {
            let as_used = WindowCounts { used: usage, total, inverted: false };
            let as_remaining = WindowCounts { used: total - usage, total, inverted: true };
            let order = if counts_hold_remaining { [as_remaining, as_used] } else { [as_used, as_remaining] };
            order
                .into_iter()
                .find(|c| (share_of(c.used, c.total) - remaining).abs() <= COUNT_AGREEMENT_POINTS)
        });
        return (Some((remaining, 100.0 - remaining)), ShareSource::Percent, agreeing);
    }
    match counts {
        Some((total, usage)) => {
            let used = if counts_hold_remaining { total - usage } else { usage };
            let remaining = share_of(used, total);
            let counts = WindowCounts { used, total, inverted: counts_hold_remaining };
            (Some((remaining, 100.0 - remaining)), ShareSource::Counts, Some(counts))
        }
        None => (None, ShareSource::None, None),
    }
}

fn window_view(
    fields: &WindowFields,
    generation: PlanGeneration,
    counts_hold_remaining: bool,
    not_in_plan: bool,
    now_ms: i64,
) -> WindowView {
    let length_ms = match (fields.start, fields.end) {
        (Some(start), Some(end)) if end > start => Some(end - start),
        _ => None,
    };
    let resets_at_ms = if not_in_plan { None } else { reset_time(fields, length_ms, now_ms) };
    let mut view = WindowView {
        window: fields.window,
        state: WindowState::Unknown,
        remaining_percent: None,
        used_percent: None,
        boosted: false,
        boost_permille: fields.boost,
        source: ShareSource::None,
        counts: None,
        start_ms: fields.start,
        end_ms: fields.end,
        resets_at_ms,
        resets_in_ms: resets_at_ms.map(|at| at.saturating_sub(now_ms).max(0)),
        length_ms,
        length: length_ms.map(length_tag),
    };
    if not_in_plan {
        // Nothing to show but "not in plan": no share, no countdown.
        view.state = WindowState::Exhausted;
        return view;
    }
    if fields.status == Some(3) {
        view.state = WindowState::Unlimited;
        return view;
    }
    let (share, source, counts) = shares(fields, counts_hold_remaining);
    view.source = source;
    view.counts = counts;
    match share {
        Some((remaining, used)) => {
            #[allow(clippy::cast_precision_loss)]
            let factor = fields.boost.filter(|b| *b > 0).map_or(1.0, |b| b as f64 / 1000.0);
            let shown = (remaining * factor).clamp(0.0, MAX_DISPLAY_PERCENT);
            view.remaining_percent = Some(shown);
            view.used_percent = Some((used * factor).clamp(0.0, MAX_DISPLAY_PERCENT));
            view.boosted = shown > 100.0;
            let exhausted = fields.status == Some(2) || remaining <= 0.0;
            view.state = if exhausted { WindowState::Exhausted } else { WindowState::Available };
        }
        None => {
            view.state = match fields.status {
                Some(2) => WindowState::Exhausted,
                Some(1) => WindowState::Available,
                // A legacy weekly window with a zero total had no weekly cap (§9.1).
                _ if generation == PlanGeneration::RequestCounts
                    && fields.window == WindowName::Weekly
                    && fields.total == Some(0) =>
                {
                    WindowState::Unlimited
                }
                _ => WindowState::Unknown,
            };
        }
    }
    view
}

/// `now + remains_time` when it is plausible (not negative, not longer than the window), else
/// `end_time` (CodexBar's fallback for an implausible `remains_time`).
fn reset_time(fields: &WindowFields, length_ms: Option<i64>, now_ms: i64) -> Option<i64> {
    let plausible = fields
        .remains
        .filter(|r| *r >= 0 && length_ms.is_none_or(|length| *r <= length.saturating_add(LENGTH_SLACK_MS)));
    match (plausible, fields.end) {
        (Some(remains), _) => Some(now_ms.saturating_add(remains)),
        (None, Some(end)) => Some(end),
        (None, None) => None,
    }
}

fn length_tag(length_ms: i64) -> WindowLength {
    let near = |target: i64| (length_ms - target).abs() <= LENGTH_SLACK_MS;
    if near(5 * HOUR_MS) {
        WindowLength::FiveHours
    } else if near(24 * HOUR_MS) {
        WindowLength::OneDay
    } else if near(7 * 24 * HOUR_MS) {
        WindowLength::OneWeek
    } else {
        WindowLength::Other
    }
}

#[cfg(test)]
#[path = "interpret_tests.rs"]
mod tests;

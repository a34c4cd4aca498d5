//! The quota the app shows and gates with: the active profile's windows, each the **stricter** of the local
//! ledger and the server's own figure (`/v1/token_plan/remains`), in the profile's unit.
//!
//! Pure over its inputs ([`blend`]): the profile, what the ledger counts in each window, the last server
//! reading and the time. The server's figure is taken as it was when fetched plus what the ledger spent since
//! (so a job finished a second ago is never forgotten), and it is dropped for a window that has reset since.
//! When the server counts more than the ledger, the difference is spend from elsewhere — coding tools on the
//! same key — and the view says so.

use minimax_api::plan::{PlanView, WindowState, WindowView};
use serde::Serialize;
use ts_rs::TS;

use minimax_api::models::{Modality as ModelModality, list_models};
use minimax_api::plan::Availability;

use crate::profile::{Detection, Meters, PlanProfile, QuotaUnit, WindowKind, WindowRule};
use crate::quota::WindowSummary;
use crate::storage::{Entitlement, MUSIC_SUBJECT};

/// The last answer of `/v1/token_plan/remains`, interpreted.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerReading {
    /// The interpretation ([`minimax_api::plan::interpret`]).
    pub view: PlanView,
    /// What it says about the plan.
    pub detection: Detection,
    /// When it was fetched, epoch ms.
    pub fetched_at_ms: i64,
}

/// Where a row's figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RowSource {
    /// MiniMax's own count (plus what the ledger spent since it was read).
    Server,
    /// The local ledger (the server said less, or nothing usable).
    Ledger,
}

/// Whether a window has room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RowState {
    /// Room left.
    Available,
    /// Nothing left (or the server says exhausted).
    Exhausted,
    /// The server says this window is not limited.
    Unlimited,
}

/// One window as the gauge shows it. Amounts are request-equivalents; the percentages are of the window's
/// normal size (a boost makes the remaining share exceed 100).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuotaRow {
    /// Which window.
    pub window: WindowKind,
    /// Its length, ms.
    #[ts(type = "number")]
    pub length_ms: i64,
    /// What it counts.
    pub meters: Meters,
    /// Rolling or fixed.
    pub rolling: bool,
    /// Its normal size.
    #[ts(type = "number")]
    pub capacity: u64,
    /// Used (the stricter figure), reservations of running jobs included.
    #[ts(type = "number")]
    pub used: u64,
    /// Left (the stricter figure); `capacity × boost − used`.
    #[ts(type = "number")]
    pub remaining: u64,
    /// `used` in percent of the normal size.
    pub used_percent: f64,
    /// `remaining` in percent of the normal size (over 100 with a boost).
    pub remaining_percent: f64,
    /// Where the figure comes from.
    pub source: RowSource,
    /// The percentages are a conversion of request-equivalents (no server figure behind them).
    pub estimate: bool,
    /// What the local ledger counts.
    #[ts(type = "number")]
    pub ledger_used: u64,
    /// What the server counts now (its figure plus the ledger's spend since), when it gave one.
    #[ts(optional, type = "number")]
    pub server_used: Option<u64>,
    /// When the window resets (fixed windows, or the server's word), epoch ms.
    #[ts(optional, type = "number")]
    pub resets_at_ms: Option<i64>,
    /// When the oldest spend in a rolling window is released, epoch ms.
    #[ts(optional, type = "number")]
    pub next_release_at_ms: Option<i64>,
    /// How much is released then.
    #[ts(type = "number")]
    pub next_release_units: u64,
    /// The server's boost multiplier, permille.
    #[ts(optional, type = "number")]
    pub boost_permille: Option<i64>,
    /// The remaining share is over 100 thanks to a boost.
    pub boosted: bool,
    /// Room, exhausted or unlimited.
    pub state: RowState,
}

/// Spend the server counts that the ledger does not: another tool on the same key.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Elsewhere {
    /// In which window it shows most.
    pub window: WindowKind,
    /// How much, request-equivalents.
    #[ts(type = "number")]
    pub units: u64,
    /// How much, percent of the window.
    pub percent: f64,
}

/// How the server's view stands.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServerStatus {
    /// When it was last read, epoch ms.
    #[ts(optional, type = "number")]
    pub fetched_at_ms: Option<i64>,
    /// Why the last read failed (the gauge falls back to the ledger).
    #[ts(optional)]
    pub error: Option<String>,
    /// The answer was understood (shares or counts for the main windows); otherwise the ledger rules.
    pub understood: bool,
}

/// A model the plan or the key cannot use, with why: composers disable it before the click.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ModelBlock {
    /// The model id.
    pub model: String,
    /// Why, for the user.
    pub reason: String,
}

/// Everything the gauge, the tray and the composers show about the quota.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuotaView {
    /// The instant, epoch ms.
    #[ts(type = "number")]
    pub now_ms: i64,
    /// The active profile.
    pub profile: PlanProfile,
    /// The unit the profile speaks in.
    pub unit: QuotaUnit,
    /// The windows, 5-hour first.
    pub rows: Vec<QuotaRow>,
    /// Spend from elsewhere, when detected.
    #[ts(optional)]
    pub elsewhere: Option<Elsewhere>,
    /// The server's side.
    pub server: ServerStatus,
    /// Models not in the plan or refused for this key.
    pub not_in_plan: Vec<ModelBlock>,
}

/// What the ledger counts in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LedgerWindow {
    /// Spend in the window (reservations of running jobs included).
    pub used: u64,
    /// Spend in the window since the server reading was fetched.
    pub since_fetch: u64,
    /// The oldest release of a rolling window.
    pub next_release_at_ms: Option<i64>,
    /// How much it releases.
    pub next_release_units: u64,
}

/// How far the computer's clock may be behind MiniMax's when the ledger counts a fixed window from the
/// server's start: a charge stamped a little before it still counts (over-counting by a minute of spend is
/// the safe side; missing the job that opened the window is not).
pub const CLOCK_SKEW_MS: i64 = 120_000;

/// Where the ledger should count a window: spend stamped after the returned instant. A fixed window the
/// server described starts where it said, less [`CLOCK_SKEW_MS`] (or at its end, when it has reset since);
/// otherwise the window's length back from now.
pub fn ledger_range(rule: &WindowRule, server: Option<&ServerReading>, now_ms: i64) -> i64 {
    let rolling_start = now_ms.saturating_sub(rule.length_ms);
    if rule.rolling {
        return rolling_start;
    }
    let described =
        server.and_then(|s| server_window(&s.view, rule.kind)).and_then(|w| match (w.start_ms, w.end_ms) {
            (_, Some(end)) if end <= now_ms => Some(end),
            (Some(start), _) => Some(start.saturating_sub(CLOCK_SKEW_MS)),
            _ => None,
        });
    described.unwrap_or(rolling_start)
}

fn server_window(view: &PlanView, kind: WindowKind) -> Option<&WindowView> {
    let bucket = view.bucket_for(false)?;
    Some(match kind {
        WindowKind::FiveHour => &bucket.interval,
        WindowKind::Weekly => &bucket.weekly,
    })
}

#[allow(clippy::cast_precision_loss)]
fn percent(units: u64, capacity: u64) -> f64 {
    if capacity == 0 { 0.0 } else { units as f64 * 100.0 / capacity as f64 }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn units_of(percent: f64, capacity: u64) -> u64 {
    #[allow(clippy::cast_precision_loss)]
    let units = (percent.max(0.0) * capacity as f64 / 100.0).round();
    units as u64
}

/// What the server says is left in `kind` at its reading, in units, with the effective (boosted) size and
/// the state; `None` when it says nothing usable or the window has reset since.
fn server_remaining<'a>(
    reading: &'a ServerReading,
    rule: &WindowRule,
    now_ms: i64,
) -> Option<(Option<u64>, u64, RowState, &'a WindowView)> {
    let window = server_window(&reading.view, rule.kind)?;
    if window.resets_at_ms.is_some_and(|at| at <= now_ms) {
        return None;
    }
    let boosted_capacity = match window.boost_permille.filter(|b| *b > 0) {
        Some(permille) => rule.capacity.saturating_mul(u64::try_from(permille).unwrap_or(1000)) / 1000,
        None => rule.capacity,
    };
    match window.state {
        WindowState::Unlimited => Some((None, boosted_capacity, RowState::Unlimited, window)),
        WindowState::Unknown => None,
        WindowState::Exhausted => Some((Some(0), boosted_capacity, RowState::Exhausted, window)),
        WindowState::Available => {
            // Counts are exact requests (legacy Token Plan); percentages are shares of the window.
            let remaining = match window.counts {
                Some(c)
                    if c.total > 0
                        && reading.view.generation == minimax_api::plan::PlanGeneration::RequestCounts =>
                {
                    u64::try_from(c.total - c.used).unwrap_or(0).min(boosted_capacity)
                }
                _ => units_of(window.remaining_percent?, rule.capacity),
            };
            Some((Some(remaining), boosted_capacity.max(remaining), RowState::Available, window))
        }
    }
}

/// The view of `profile` now: each window the stricter of `ledger` (one entry per profile window, in order)
/// and the server `reading`.
pub fn blend(
    profile: &PlanProfile,
    ledger: &[LedgerWindow],
    reading: Option<&ServerReading>,
    now_ms: i64,
) -> (Vec<QuotaRow>, Option<Elsewhere>) {
    let mut rows = Vec::with_capacity(profile.windows.len());
    let mut elsewhere: Option<Elsewhere> = None;
    for (rule, local) in
        profile.windows.iter().zip(ledger.iter().copied().chain(std::iter::repeat(LedgerWindow::default())))
    {
        let server = reading.and_then(|r| server_remaining(r, rule, now_ms));
        let capacity_eff = server.as_ref().map_or(rule.capacity, |s| s.1);
        let ledger_remaining = capacity_eff.saturating_sub(local.used);
        let server_now = server.as_ref().and_then(|s| s.0).map(|r| r.saturating_sub(local.since_fetch));
        let (remaining, source) = match server_now {
            Some(server_left) if server_left <= ledger_remaining => (server_left, RowSource::Server),
            _ => (ledger_remaining, RowSource::Ledger),
        };
        let server_used = server_now.map(|left| capacity_eff.saturating_sub(left));
        if let Some(server_used) = server_used {
            let extra = server_used.saturating_sub(local.used);
            let tolerance = (rule.capacity / 50).max(1);
            let counts = server.as_ref().is_some_and(|s| s.3.counts.is_some());
            if (extra > tolerance || (counts && extra > 0))
                && elsewhere.as_ref().is_none_or(|e| e.units < extra)
            {
                elsewhere = Some(Elsewhere {
                    window: rule.kind,
                    units: extra,
                    percent: percent(extra, rule.capacity),
                });
            }
        }
        let server_state = server.as_ref().map(|s| s.2);
        let state = match server_state {
            Some(RowState::Unlimited) => RowState::Unlimited,
            Some(RowState::Exhausted) => RowState::Exhausted,
            _ if remaining == 0 => RowState::Exhausted,
            _ => RowState::Available,
        };
        let window = server.as_ref().map(|s| s.3);
        let used = capacity_eff.saturating_sub(remaining);
        rows.push(QuotaRow {
            window: rule.kind,
            length_ms: rule.length_ms,
            meters: rule.meters,
            rolling: rule.rolling,
            capacity: rule.capacity,
            used,
            remaining,
            used_percent: percent(used, rule.capacity),
            remaining_percent: percent(remaining, rule.capacity),
            source,
            estimate: profile.unit == QuotaUnit::Percent
                && (source == RowSource::Ledger || local.since_fetch > 0),
            ledger_used: local.used,
            server_used,
            resets_at_ms: window.and_then(|w| w.resets_at_ms),
            next_release_at_ms: local.next_release_at_ms.filter(|_| rule.rolling),
            next_release_units: if rule.rolling { local.next_release_units } else { 0 },
            boost_permille: window.and_then(|w| w.boost_permille),
            boosted: remaining > rule.capacity,
            state,
        });
    }
    (rows, elsewhere)
}

/// Whether a cost fits, and if not which window blocks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GateOutcome {
    /// It fits every window it draws on.
    pub fits: bool,
    /// The first window that blocks it (the weekly one first: "blocked by the weekly limit").
    #[ts(optional)]
    pub blocked_by: Option<WindowKind>,
    /// It is larger than the whole window: it never fits on this plan.
    pub never: bool,
    /// When the blocking window resets, if known (fixed windows).
    #[ts(optional, type = "number")]
    pub resets_at_ms: Option<i64>,
}

impl QuotaView {
    /// The rows a request draws on: every window for non-video, the ones that meter video for video.
    pub fn rows_for(&self, video: bool) -> impl Iterator<Item = &QuotaRow> {
        self.rows.iter().filter(move |r| !video || r.meters == Meters::All)
    }

    /// Whether `cost` fits now; the weekly window is checked first.
    pub fn gate(&self, cost: u64, video: bool) -> GateOutcome {
        let mut rows: Vec<&QuotaRow> = self.rows_for(video).collect();
        rows.sort_by_key(|r| r.window != WindowKind::Weekly);
        for row in rows {
            if row.state == RowState::Unlimited {
                continue;
            }
            let exhausted = row.state == RowState::Exhausted && cost > 0;
            if exhausted || cost > row.remaining {
                let capacity = row.capacity.max(row.used.saturating_add(row.remaining));
                return GateOutcome {
                    fits: false,
                    blocked_by: Some(row.window),
                    never: cost > capacity,
                    resets_at_ms: if row.rolling { None } else { row.resets_at_ms },
                };
            }
        }
        GateOutcome { fits: true, blocked_by: None, never: false, resets_at_ms: None }
    }

    /// Takes `cost` off the rows it draws on (several waiting jobs released in one pass).
    pub fn spend(&mut self, cost: u64, video: bool) {
        for row in self.rows.iter_mut().filter(|r| !video || r.meters == Meters::All) {
            row.remaining = row.remaining.saturating_sub(cost);
            row.used = row.used.saturating_add(cost);
        }
    }

    /// The row of `kind`.
    pub fn row(&self, kind: WindowKind) -> Option<&QuotaRow> {
        self.rows.iter().find(|r| r.window == kind)
    }

    /// The row that binds a request: the one that blocks it, else the tightest it draws on.
    pub fn binding_row(&self, cost: u64, video: bool) -> Option<&QuotaRow> {
        if let Some(kind) = self.gate(cost, video).blocked_by {
            return self.row(kind);
        }
        self.rows_for(video)
            .filter(|r| r.state != RowState::Unlimited)
            .min_by(|a, b| a.remaining_percent.total_cmp(&b.remaining_percent))
            .or_else(|| self.rows_for(video).next())
    }

    /// The reason a model cannot be used, if the plan or the key says so.
    pub fn blocked(&self, model: &str) -> Option<&str> {
        self.not_in_plan.iter().find(|b| b.model.eq_ignore_ascii_case(model)).map(|b| b.reason.as_str())
    }
}

impl QuotaRow {
    /// The row as the older one-window summary (the tray, the command line's `quota`, the over-budget
    /// dialog's figures).
    pub fn summary(&self, now_ms: i64) -> WindowSummary {
        WindowSummary {
            now_ms,
            window_ms: self.length_ms,
            quota: self.capacity,
            used: self.used,
            remaining: self.remaining,
            next_release_at_ms: self.next_release_at_ms.or(self.resets_at_ms),
            next_release_requests: if self.next_release_at_ms.is_some() {
                self.next_release_units
            } else if self.resets_at_ms.is_some() {
                self.used
            } else {
                0
            },
        }
    }
}

/// The models the plan or the key cannot use, with why: video when the server lists it as not in the plan
/// (or the profile has none), a model the server listed so, and what the key was refused (music and lyrics as
/// one).
pub fn models_not_in_plan(
    profile: &PlanProfile,
    reading: Option<&ServerReading>,
    entitlements: &[Entitlement],
) -> Vec<ModelBlock> {
    let models = list_models();
    let mut out: Vec<ModelBlock> = Vec::new();
    let mut block = |model: &str, reason: &str| {
        if !out.iter().any(|b| b.model == model) {
            out.push(ModelBlock { model: model.to_owned(), reason: reason.to_owned() });
        }
    };
    let video_models: Vec<&str> =
        models.iter().filter(|m| m.modality == ModelModality::Video).map(|m| m.id).collect();
    if let Some(reading) = reading {
        for bucket in reading.view.buckets.iter().filter(|b| b.availability == Availability::NotInPlan) {
            if bucket.video && !models.iter().any(|m| m.id.eq_ignore_ascii_case(&bucket.name)) {
                for id in &video_models {
                    block(id, "MiniMax lists video as not in your plan");
                }
            } else {
                block(&bucket.name, "MiniMax lists this model as not in your plan");
            }
        }
    }
    if !profile.video {
        for id in &video_models {
            block(id, "M Plan Go has no video model; Explore and Build include MiniMax-H3");
        }
    }
    for e in entitlements.iter().filter(|e| !e.available) {
        let reason = e.reason.clone().unwrap_or_else(|| "MiniMax refused it for this key".into());
        if e.subject == MUSIC_SUBJECT {
            for m in
                models.iter().filter(|m| matches!(m.modality, ModelModality::Music | ModelModality::Lyrics))
            {
                block(m.id, &format!("Music and lyrics are not available with this key: {reason}"));
            }
        } else {
            block(&e.subject, &reason);
        }
    }
    out
}

impl QuotaView {
    /// The view of `profile` from what the ledger counts and the server's reading.
    pub fn build(
        profile: PlanProfile,
        ledger: &[LedgerWindow],
        reading: Option<&ServerReading>,
        server: ServerStatus,
        not_in_plan: Vec<ModelBlock>,
        now_ms: i64,
    ) -> QuotaView {
        let (rows, elsewhere) = blend(&profile, ledger, reading, now_ms);
        QuotaView { now_ms, unit: profile.unit, profile, rows, elsewhere, server, not_in_plan }
    }
}

#[cfg(test)]
#[path = "quota_view_tests.rs"]
mod tests;

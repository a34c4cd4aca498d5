//! The server's view of the quota, always: `/v1/token_plan/remains` read on start (once the keys are known),
//! after each job, every few minutes while the runner lives, backing off on errors; the active profile it
//! selects; the blended [`QuotaView`] every gate and estimate goes by; and what the key may use.

use std::sync::Weak;
use std::sync::atomic::Ordering;
use std::time::Duration;

use minimax_api::plan::{PlanGeneration, PlanRemains, WindowState, interpret};
use serde::Serialize;
use ts_rs::TS;

use super::{Shared, lock};
use crate::modality::Modality;
use crate::pricing::Cost;
use crate::profile::{self, PlanProfile, QuotaUnit, WindowKind};
use crate::quota::WindowSummary;
use crate::quota_view::{QuotaRow, QuotaView, ServerReading, ServerStatus, blend, models_not_in_plan};
use crate::request::GenerationRequest;
use crate::storage::{Entitlement, KeyKind, MUSIC_SUBJECT, QuotaSnapshot};

/// The shortest gap between two reads of `/remains` asked for by job ends (a batch of fifty lines ending
/// together asks once).
const MIN_GAP: Duration = Duration::from_secs(5);
/// The longest wait after failures in a row (1, 2, 4 … minutes).
const MAX_BACKOFF: Duration = Duration::from_secs(30 * 60);

/// The server's side as the runner keeps it.
#[derive(Debug, Default)]
pub(crate) struct ServerState {
    /// The last answer, interpreted.
    pub reading: Option<ServerReading>,
    /// Why the last read failed.
    pub error: Option<String>,
    /// The last answer was understood.
    pub understood: bool,
    /// Failed reads in a row.
    pub failures: u32,
    /// An answer in a shape not understood was logged (once per runner).
    pub logged_raw: bool,
    /// What the plan key may use (learnt from the server), by subject.
    pub entitlements: Vec<Entitlement>,
    /// The plan key the entitlements belong to.
    pub fingerprint: Option<String>,
}

/// Whether the music and lyrics APIs work with the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum MusicAccess {
    /// Not known yet: MiniMax closed music to new accounts on 2026-08-20; a probe tells.
    Unknown,
    /// A music or lyrics request succeeded with this key.
    Available,
    /// MiniMax refused it for this key.
    Unavailable {
        /// The server's words.
        reason: String,
    },
}

/// The cost of a request before the click, beside what the windows hold, in the profile's unit.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Estimate {
    /// Request-equivalents, or unknown (needs an explicit confirmation).
    pub cost: Cost,
    /// The window that binds this request now (running jobs' reservations counted as used).
    pub window: WindowSummary,
    /// Which window that is.
    pub window_name: WindowKind,
    /// The unit the profile speaks in.
    pub unit: QuotaUnit,
    /// The cost as a share of that window (percent profiles), from the best known conversion.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_percent: Option<f64>,
    /// What is left of the window, in percent (percent profiles).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_percent: Option<f64>,
    /// The percentages are an estimate (a conversion, not MiniMax's own figure).
    pub estimated: bool,
    /// Whether the cost fits every window it draws on now (an unknown price at its placeholder).
    pub fits_now: bool,
    /// The window that does not have room.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<WindowKind>,
    /// For a price the table does not know: what the job is held and charged at until MiniMax says.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder_requests: Option<u32>,
    /// When enough will be free (`None`: never — larger than the whole window — or unknown).
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enough_at_ms: Option<i64>,
    /// The plan or the key does not include the model: why.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_in_plan: Option<String>,
    /// After the plan's quota the key spends credits at pay-as-you-go prices.
    pub credits_after: bool,
}

impl Shared {
    /// The active profile: the settings and the server's last word.
    pub(crate) fn profile(&self) -> PlanProfile {
        let settings = self.settings();
        let server = self.server.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        profile::resolve(&settings, server.reading.as_ref().map(|r| &r.detection))
    }

    /// Plan requests reserved by running jobs, split into video and the rest.
    fn reserved_split(&self) -> (u64, u64) {
        lock(&self.active).values().fold((0, 0), |(video, other), a| {
            let n = u64::from(a.reserved);
            if a.video { (video + n, other) } else { (video, other + n) }
        })
    }

    /// The blended view now.
    pub(crate) fn quota_view(&self) -> crate::Result<QuotaView> {
        let profile = self.profile();
        let now = self.clock.now_ms();
        let (reserved_video, reserved_other) = self.reserved_split();
        let (reading, status, entitlements) = {
            let server = self.server.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            let status = ServerStatus {
                fetched_at_ms: server.reading.as_ref().map(|r| r.fetched_at_ms),
                error: server.error.clone(),
                understood: server.understood,
            };
            (server.reading.clone(), status, server.entitlements.clone())
        };
        let ledger = self.with_library(|lib| {
            lib.ledger_windows(&profile, reading.as_ref(), (reserved_video, reserved_other), now)
        })?;
        let (rows, elsewhere) = blend(&profile, &ledger, reading.as_ref(), now);
        let not_in_plan = models_not_in_plan(&profile, reading.as_ref(), &entitlements);
        Ok(QuotaView {
            now_ms: now,
            unit: profile.unit,
            profile,
            rows,
            elsewhere,
            server: status,
            not_in_plan,
        })
    }

    /// The 5-hour window as the one-window summary (the tray, `tokenplan quota`, older callers).
    pub(crate) fn window(&self) -> crate::Result<WindowSummary> {
        let view = self.quota_view()?;
        let now = view.now_ms;
        Ok(view.row(WindowKind::FiveHour).or_else(|| view.rows.first()).map_or_else(
            || crate::quota::window_summary(&[], 0, now, profile::FIVE_HOURS_MS),
            |row| row.summary(now),
        ))
    }

    /// Whether the music and lyrics APIs work with the plan key, as far as the server said.
    pub(crate) fn music_access(&self) -> MusicAccess {
        let server = self.server.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        match server.entitlements.iter().find(|e| e.subject == MUSIC_SUBJECT) {
            Some(e) if e.available => MusicAccess::Available,
            Some(e) => MusicAccess::Unavailable {
                reason: e.reason.clone().unwrap_or_else(|| "MiniMax refused music for this key".into()),
            },
            None => MusicAccess::Unknown,
        }
    }

    /// The estimate of `request` on the active profile.
    pub(crate) fn estimate(&self, request: &GenerationRequest) -> crate::Result<Estimate> {
        let view = self.quota_view()?;
        let profile = &view.profile;
        let input = request.cost_input(None);
        let cost = profile.estimate(&input);
        let placeholder_requests = match cost {
            Cost::Requests(_) => None,
            Cost::Unknown { .. } => profile.placeholder(&input),
        };
        let video = request.modality() == Modality::Video;
        let needed = cost.requests().or(placeholder_requests).map(u64::from);
        let units = needed.unwrap_or(0);
        let gate = view.gate(units, video);
        let row = view.binding_row(units, video).cloned();
        let now = view.now_ms;
        let (fits_now, enough_at_ms) = match (needed, &row) {
            (None, _) | (_, None) => (true, None),
            (Some(_), Some(_)) if gate.fits => (true, Some(now)),
            (Some(_), Some(_)) if gate.never => (false, None),
            (Some(n), Some(row)) => (false, self.enough_at(row, n, gate.resets_at_ms, now)?),
        };
        let percent_unit = view.unit == QuotaUnit::Percent;
        let window_name = row.as_ref().map_or(WindowKind::FiveHour, |r| r.window);
        let window =
            row.as_ref().map_or_else(|| crate::quota::window_summary(&[], 0, now, 0), |r| r.summary(now));
        Ok(Estimate {
            cost_percent: needed.filter(|_| percent_unit).and_then(|n| profile.percent_of(window_name, n)),
            remaining_percent: row.as_ref().filter(|_| percent_unit).map(|r| r.remaining_percent),
            estimated: percent_unit,
            blocked_by: gate.blocked_by,
            not_in_plan: view.blocked(request.model()).map(str::to_owned),
            credits_after: profile.credits_after,
            unit: view.unit,
            cost,
            window,
            window_name,
            fits_now,
            placeholder_requests,
            enough_at_ms,
        })
    }

    /// When `needed` fits `row` again: a fixed window's reset, or a rolling window's releases (the server's
    /// extra count and running jobs' reservations counted as still there).
    fn enough_at(
        &self,
        row: &QuotaRow,
        needed: u64,
        resets_at: Option<i64>,
        now: i64,
    ) -> crate::Result<Option<i64>> {
        if !row.rolling
            && let Some(at) = resets_at.or(row.resets_at_ms)
        {
            return Ok(Some(at));
        }
        let extra = row.used.saturating_sub(row.ledger_used);
        let (reserved_video, reserved_other) = self.reserved_split();
        let want = needed.saturating_add(extra).saturating_add(reserved_video + reserved_other);
        self.with_library(|lib| lib.plan_requests_available_at(row.capacity, want, now, row.length_ms))
    }

    /// Reads `/remains` with the plan key now and keeps the answer; says why when it cannot.
    pub(crate) async fn refresh_server(&self) -> Result<(), String> {
        let Some(client) = self.client(KeyKind::Plan) else {
            return Err("no Token Plan key".into());
        };
        let answer = client.plan().remains().await;
        self.accept_remains(answer.as_ref().map_err(ToString::to_string))
    }

    /// Keeps a `/remains` answer read by the caller (or why it could not be read) as the server's view, and
    /// stores its snapshot, as [`Shared::refresh_server`] does with its own read.
    pub(crate) fn accept_remains(
        &self,
        answer: std::result::Result<&minimax_api::plan::PlanRemains, String>,
    ) -> Result<(), String> {
        let now = self.clock.now_ms();
        let outcome = match answer {
            Ok(remains) => {
                let view = interpret(remains, now);
                let understood = understood(&view);
                {
                    let mut server = self.server.write().unwrap_or_else(std::sync::PoisonError::into_inner);
                    if !understood && !server.logged_raw {
                        server.logged_raw = true;
                        tracing::warn!(payload = %raw(remains), "a /remains answer in a shape not seen before; the gauge follows the ledger");
                    }
                    server.understood = understood;
                    server.error = None;
                    server.failures = 0;
                    server.reading =
                        Some(ServerReading { detection: profile::detect(&view), view, fetched_at_ms: now });
                }
                if !self.demo.load(Ordering::SeqCst) {
                    let rows = QuotaSnapshot::from_remains(remains, now);
                    if let Err(e) = self.with_library(|lib| lib.record_quota_snapshot(&rows)) {
                        tracing::warn!(error = %e, "cannot store the quota snapshot");
                    }
                }
                Ok(())
            }
            Err(e) => {
                let mut server = self.server.write().unwrap_or_else(std::sync::PoisonError::into_inner);
                server.failures = server.failures.saturating_add(1);
                server.error = Some(e.clone());
                tracing::debug!(error = %e, "cannot read the server's quota");
                Err(e)
            }
        };
        // Waiting jobs may fit now (or no longer), and the gauge changed.
        self.quota_changed.notify_one();
        self.quota_tick.send_modify(|n| *n = n.wrapping_add(1));
        outcome
    }

    /// Loads what was learnt about the plan key (a new key starts from what the library remembers).
    pub(crate) fn load_entitlements(&self) {
        let Some(fingerprint) = self.client(KeyKind::Plan).map(|c| c.key_fingerprint()) else {
            return;
        };
        let known = self.with_library(|lib| lib.entitlements(&fingerprint)).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read what the key may use");
            Vec::new()
        });
        let mut server = self.server.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if server.fingerprint.as_deref() != Some(fingerprint.as_str()) {
            // Another key: the last key's reading and word no longer hold.
            server.reading = None;
            server.understood = false;
        }
        server.fingerprint = Some(fingerprint);
        server.entitlements = known;
    }

    /// Remembers what the server said about `subject` for the plan key (`available: false` with the reason).
    pub(crate) fn learn(&self, subject: &str, available: bool, reason: Option<String>) {
        let Some(fingerprint) = self.client(KeyKind::Plan).map(|c| c.key_fingerprint()) else { return };
        let entitlement = Entitlement {
            subject: subject.to_owned(),
            available,
            reason,
            checked_at_ms: self.clock.now_ms(),
        };
        if let Err(e) = self.with_library(|lib| lib.record_entitlement(&fingerprint, &entitlement)) {
            tracing::warn!(error = %e, "cannot remember what the key may use");
        }
        {
            let mut server = self.server.write().unwrap_or_else(std::sync::PoisonError::into_inner);
            server.entitlements.retain(|e| e.subject != subject);
            server.entitlements.push(entitlement);
        }
        self.quota_tick.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// Whether an answer tells anything: a known generation and a usable main window.
fn understood(view: &minimax_api::plan::PlanView) -> bool {
    matches!(view.generation, PlanGeneration::RequestCounts | PlanGeneration::Percent)
        && view.bucket_for(false).is_some_and(|b| {
            b.interval.state != WindowState::Unknown || b.weekly.state != WindowState::Unknown
        })
}

fn raw(remains: &PlanRemains) -> String {
    serde_json::json!({ "model_remains": remains.model_remains, "other": remains.other }).to_string()
}

/// Reads `/remains` on start, after job ends (at most every [`MIN_GAP`]), every `every` while the runner
/// lives, and backs off on errors. Ends when the runner is dropped.
pub(crate) async fn watch_server(shared: Weak<Shared>, every: Duration) {
    let mut last = tokio::time::Instant::now().checked_sub(MIN_GAP).unwrap_or_else(tokio::time::Instant::now);
    loop {
        let Some(strong) = shared.upgrade() else { return };
        let failures = strong.server.read().map(|s| s.failures).unwrap_or(0);
        let wait = match failures {
            0 => every,
            n => (Duration::from_secs(60) * 2u32.saturating_pow(n.saturating_sub(1).min(5))).min(MAX_BACKOFF),
        };
        let poke = std::sync::Arc::clone(&strong.server_poke);
        let notified = poke.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        drop(strong);
        if failures > 0 {
            // During a backoff pokes are not answered: an unreachable server is not asked after every job.
            tokio::time::sleep(wait).await;
        } else {
            tokio::select! {
                () = &mut notified => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
        let since = last.elapsed();
        if since < MIN_GAP {
            tokio::time::sleep(MIN_GAP - since).await;
        }
        let Some(strong) = shared.upgrade() else { return };
        if strong.clients_loaded() && strong.client(KeyKind::Plan).is_some() {
            let _ = strong.refresh_server().await;
            last = tokio::time::Instant::now();
        }
    }
}

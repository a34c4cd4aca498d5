//! The durable job runner: a job is a row before it is a task.
//!
//! [`Runner::submit`] writes the `jobs` row (state `queued`, or `waitingForQuota` when the plan's window is
//! already too short) **before** any network call, then a task runs it: one slot of the modality's lane
//! ([`Concurrency`]: concurrent jobs and the documented requests per minute), the call, the remote task id
//! written **before the first poll**, polling with backoff and a deadline ([`PollPolicy`]), the download into
//! the media folder, then media rows, the spend entry and `succeeded` in one transaction. Every state change is
//! one database write followed by one event carrying the whole [`Job`] ([`Runner::subscribe`]).
//!
//! * **Quota**: plan-key jobs whose estimate does not fit what the window has left (minus what running jobs
//!   have reserved) wait in `waitingForQuota`; a watcher starts them, oldest first, when the window frees
//!   enough. A 2056 from the server sends the job back to waiting as well (it cost nothing) until the reset
//!   the server named. [`Runner::use_pay_as_you_go`] moves one job to the pay-as-you-go key instead.
//! * **Failures** are billed by [`crate::quota::failure_charge`]: a rejected request costs nothing; work the
//!   server did (an accepted task that failed, a cancel after acceptance, a lost answer) costs the estimate.
//! * **Resume** ([`Runner::resume_unfinished`]): at launch, jobs with a task id resume polling (never a
//!   second create), queued ones run, and the ones cut mid-call without a task id become `interrupted` with
//!   a retry.
//!
//! Only one process should run a library's jobs at a time (the app, or one `tokenplan` command).

mod execute;
mod failure;
mod limits;
mod watch;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use minimax_api::MiniMaxClient;
use serde::Serialize;
use tokio::sync::{Notify, broadcast, mpsc};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

pub use crate::request::{
    ApiCall, ChatParams, ChatRole, ChatTurn, GenerationRequest, ImageInput, ImageParams, LyricsParams,
    MusicParams, RequestProblem, SpeechDelivery, SpeechParams, VideoParams,
};
pub use execute::TapItem;
pub use limits::{Concurrency, LaneLimit};

use crate::clients::ApiClients;
use crate::error::{CoreError, Result};
use crate::ipc::IpcErrorKind;
use crate::pricing::{self, Cost};
use crate::quota::{self, WindowSummary};
use crate::request::JobParams;
use crate::settings::Settings;
use crate::storage::{Job, JobState, KeyKind, Library, NewJob, SharedLibrary, Transition};

/// Where the runner reads the time. Pricing and quota are pure functions of it; tests move it by hand.
pub trait Clock: Send + Sync + 'static {
    /// Now, epoch ms.
    fn now_ms(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

/// A clock that only moves when told to (tests, simulations).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock standing at `now_ms`.
    pub fn at(now_ms: i64) -> Self {
        ManualClock(AtomicI64::new(now_ms))
    }

    /// Moves it forward.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// How an accepted task is polled: delays growing like 2, 3, 5, 8, 13 s (times `first / 2 s`) capped at `max`,
/// until `deadline` after the first poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollPolicy {
    /// The first delay.
    pub first: Duration,
    /// The longest delay.
    pub max: Duration,
    /// Give up (keeping the task id, so a retry resumes) after this long.
    pub deadline: Duration,
}

impl Default for PollPolicy {
    /// 2 s growing to 10 s (at most 6 queries a minute per task: gentle on the low video RPM, while a
    /// finished clip waits at most 10 s); 40 minutes (Hailuo-02 may take 20).
    fn default() -> Self {
        PollPolicy {
            first: Duration::from_secs(2),
            max: Duration::from_secs(10),
            deadline: Duration::from_secs(40 * 60),
        }
    }
}

impl PollPolicy {
    /// The delay before poll number `attempt` (0-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        const STEPS: [u32; 5] = [2, 3, 5, 8, 13];
        let step = STEPS.get(attempt as usize).copied().unwrap_or(u32::MAX);
        if step == u32::MAX {
            return self.max;
        }
        (self.first * step / 2).min(self.max)
    }
}

/// Tunables of the runner.
#[derive(Debug, Clone)]
pub struct RunnerPolicy {
    /// Polling of async tasks.
    pub poll: PollPolicy,
    /// How often waiting jobs re-check the window when nothing else wakes them (a reset the ledger cannot
    /// see, a clock that moved).
    pub quota_recheck: Duration,
    /// Lanes per modality.
    pub concurrency: Concurrency,
}

impl RunnerPolicy {
    /// The defaults for a region.
    pub fn for_region(region: &crate::settings::Region) -> Self {
        RunnerPolicy {
            poll: PollPolicy::default(),
            quota_recheck: Duration::from_secs(30),
            concurrency: Concurrency::documented(region),
        }
    }

    /// The defaults for the settings' region, with the user's concurrency cap applied to every lane.
    pub fn for_settings(settings: &Settings) -> Self {
        let mut policy = Self::for_region(&settings.region);
        if let Some(cap) = settings.concurrency {
            let cap = usize::try_from(cap).unwrap_or(usize::MAX).max(1);
            for modality in crate::modality::Modality::ALL {
                let limit = policy.concurrency.limit(modality);
                let capped = LaneLimit { concurrent: limit.concurrent.min(cap), ..limit };
                policy.concurrency = policy.concurrency.with(modality, capped);
            }
        }
        policy
    }
}

/// Receives what a streamed job produces while it runs (audio chunks, chat tokens).
pub type Tap = mpsc::UnboundedSender<TapItem>;

/// Everything the runner needs.
pub struct RunnerConfig {
    /// The library, shared with whoever else reads it (the app's commands, the command line).
    pub library: SharedLibrary,
    /// The user's settings (plan tier, quota override).
    pub settings: Settings,
    /// The API clients.
    pub clients: ApiClients,
    /// Jobs are demo jobs (made against the built-in simulator).
    pub demo: bool,
    /// Tunables.
    pub policy: RunnerPolicy,
    /// The time source.
    pub clock: Arc<dyn Clock>,
}

/// The cost of a request before the click, beside what the window holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Estimate {
    /// Requests, or unknown (needs an explicit confirmation).
    pub cost: Cost,
    /// The plan window now (running jobs' reservations counted as used).
    pub window: WindowSummary,
    /// Whether the cost fits what remains now.
    pub fits_now: bool,
    /// When enough requests will be free (`None`: never — the cost exceeds the whole quota — or unknown).
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enough_at_ms: Option<i64>,
}

/// How to submit a job.
#[derive(Debug, Clone)]
pub struct SubmitOptions {
    /// The key that pays.
    pub key_kind: KeyKind,
    /// Live output of a streamed job.
    pub tap: Option<Tap>,
}

impl Default for SubmitOptions {
    fn default() -> Self {
        SubmitOptions { key_kind: KeyKind::Plan, tap: None }
    }
}

/// A job being run by this process.
struct Active {
    cancel: CancellationToken,
    /// Plan requests reserved while it runs (not yet in the ledger).
    reserved: u32,
}

/// State shared by the runner's handle and its tasks.
pub(crate) struct Shared {
    library: SharedLibrary,
    pub(crate) root: PathBuf,
    clients: RwLock<ApiClients>,
    settings: RwLock<Settings>,
    demo: AtomicBool,
    policy: RunnerPolicy,
    lanes: limits::Lanes,
    pub(crate) clock: Arc<dyn Clock>,
    events: broadcast::Sender<Job>,
    active: Mutex<HashMap<i64, Active>>,
    taps: Mutex<HashMap<i64, Tap>>,
    quota_changed: Arc<Notify>,
    /// The server said the window is used up until this instant (epoch ms; 0 = no such word).
    server_blocked_until_ms: AtomicI64,
    /// The queue is paused (tray, settings): queued jobs wait; running ones finish.
    paused: AtomicBool,
    /// Wakes jobs waiting for the queue to resume.
    unpaused: Notify,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; keep going rather than cascade the panic.
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn with_library<T>(&self, f: impl FnOnce(&mut Library) -> T) -> T {
        self.library.with(f)
    }

    /// Sends the whole job to every subscriber (none listening is fine).
    pub(crate) fn emit(&self, job: Job) {
        let _ = self.events.send(job);
    }

    fn settings(&self) -> Settings {
        self.settings.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    fn client(&self, key: KeyKind) -> Option<MiniMaxClient> {
        self.clients.read().unwrap_or_else(std::sync::PoisonError::into_inner).for_key(key).cloned()
    }

    fn reserved(&self) -> u64 {
        lock(&self.active).values().map(|a| u64::from(a.reserved)).sum()
    }

    /// The plan window with running jobs' reservations counted as used.
    fn window(&self) -> Result<WindowSummary> {
        let settings = self.settings();
        let now = self.clock.now_ms();
        let mut window = self.with_library(|lib| lib.plan_window(&settings, now))?;
        window.used = window.used.saturating_add(self.reserved());
        window.remaining = window.quota.saturating_sub(window.used);
        Ok(window)
    }

    fn estimate(&self, request: &GenerationRequest) -> Result<Estimate> {
        let cost = pricing::estimate(&request.cost_input(None));
        let window = self.window()?;
        let (fits_now, enough_at_ms) = match cost.requests() {
            Some(n) if u64::from(n) <= window.remaining => (true, Some(window.now_ms)),
            Some(n) => {
                let settings = self.settings();
                let needed = u64::from(n).saturating_add(self.reserved());
                // `reserved` is read before the library lock: never hold both (lock order).
                let at = self.with_library(|lib| {
                    lib.plan_requests_available_at(
                        u64::from(settings.quota_per_window()),
                        needed,
                        window.now_ms,
                        quota::WINDOW_MS,
                    )
                })?;
                (false, at)
            }
            None => (true, None),
        };
        Ok(Estimate { cost, window, fits_now, enough_at_ms })
    }

    fn transition(&self, id: i64, change: &Transition) -> Result<Job> {
        let job = self.with_library(|lib| lib.transition(id, change))?;
        self.emit(job.clone());
        Ok(job)
    }
}

/// The runner's handle; cheap to clone.
#[derive(Clone)]
pub struct Runner {
    shared: Arc<Shared>,
}

impl Runner {
    /// Starts the runner (and its quota watcher) on the current tokio runtime. Call
    /// [`Runner::resume_unfinished`] next to pick up what a previous run left.
    pub fn start(config: RunnerConfig) -> Runner {
        let (events, _) = broadcast::channel(1024);
        let root = config.library.root().to_path_buf();
        config.library.with(|lib| lib.set_demo_ledger(config.demo));
        let shared = Arc::new(Shared {
            lanes: limits::Lanes::new(&config.policy.concurrency),
            library: config.library,
            root,
            clients: RwLock::new(config.clients),
            settings: RwLock::new(config.settings),
            demo: AtomicBool::new(config.demo),
            policy: config.policy,
            clock: config.clock,
            events,
            active: Mutex::new(HashMap::new()),
            taps: Mutex::new(HashMap::new()),
            quota_changed: Arc::new(Notify::new()),
            server_blocked_until_ms: AtomicI64::new(0),
            paused: AtomicBool::new(false),
            unpaused: Notify::new(),
        });
        tokio::spawn(watch::watch_quota(Arc::downgrade(&shared)));
        Runner { shared }
    }

    /// Every job change from now on, each carrying the whole job.
    pub fn subscribe(&self) -> broadcast::Receiver<Job> {
        self.shared.events.subscribe()
    }

    /// Replaces the settings (plan tier, quota override); waiting jobs re-check the window.
    pub fn set_settings(&self, settings: Settings) {
        *self.shared.settings.write().unwrap_or_else(std::sync::PoisonError::into_inner) = settings;
        self.shared.quota_changed.notify_one();
    }

    /// Replaces the API clients (a key was saved or removed).
    pub fn set_clients(&self, clients: ApiClients) {
        *self.shared.clients.write().unwrap_or_else(std::sync::PoisonError::into_inner) = clients;
        self.shared.quota_changed.notify_one();
    }

    /// Pauses or resumes the queue: while paused, no job starts (running ones go on; an accepted task keeps
    /// being polled so nothing paid for is lost).
    pub fn set_paused(&self, paused: bool) {
        self.shared.paused.store(paused, Ordering::SeqCst);
        if !paused {
            self.shared.unpaused.notify_waiters();
            self.shared.quota_changed.notify_one();
        }
    }

    /// Whether the queue is paused.
    pub fn is_paused(&self) -> bool {
        self.shared.paused.load(Ordering::SeqCst)
    }

    /// Switches demo mode (the built-in simulator) on or off; jobs submitted from now on are tagged so.
    /// Call [`Runner::set_clients`] with the matching clients.
    /// The quota window follows: the demo's own spend in demo mode, the real spend only outside it.
    pub fn set_demo(&self, demo: bool) {
        self.shared.demo.store(demo, Ordering::SeqCst);
        self.shared.with_library(|lib| lib.set_demo_ledger(demo));
        self.shared.quota_changed.notify_one();
    }

    /// The client of the Token Plan key (or the demo's), for calls outside jobs such as the voice list.
    pub fn plan_client(&self) -> Option<MiniMaxClient> {
        self.shared.client(KeyKind::Plan)
    }

    /// Whether jobs are demo jobs.
    pub fn is_demo(&self) -> bool {
        self.shared.demo.load(Ordering::SeqCst)
    }

    /// The plan window now, running jobs' reservations counted as used.
    pub fn window(&self) -> Result<WindowSummary> {
        self.shared.window()
    }

    /// The cost before the click, and whether and when it fits.
    pub fn estimate(&self, request: &GenerationRequest) -> Result<Estimate> {
        self.shared.estimate(request)
    }

    /// Saves the job and starts it (or parks it in `waitingForQuota`). The request is checked first: an
    /// invalid one is refused with [`CoreError::InvalidRequest`] and nothing is saved.
    pub fn submit(&self, request: &GenerationRequest, options: SubmitOptions) -> Result<Job> {
        request.to_call(&self.shared.root).map_err(|e| CoreError::InvalidRequest(e.to_string()))?;
        if options.key_kind == KeyKind::PayAsYouGo && self.shared.client(KeyKind::PayAsYouGo).is_none() {
            return Err(CoreError::InvalidRequest("no pay-as-you-go key is set (Settings → Keys)".into()));
        }
        let estimate = self.shared.estimate(request)?;
        let state = if options.key_kind == KeyKind::Plan && !estimate.fits_now {
            JobState::WaitingForQuota
        } else {
            JobState::Queued
        };
        let new = NewJob {
            modality: request.modality(),
            model: request.model().to_owned(),
            params: JobParams::Request(request.clone()),
            prompt: request.prompt(),
            estimate: estimate.cost,
            key_kind: options.key_kind,
            demo: self.shared.demo.load(Ordering::SeqCst),
            state,
            created_at_ms: self.shared.clock.now_ms(),
        };
        let job = self.shared.with_library(|lib| lib.insert_job(&new))?;
        if let Some(tap) = options.tap {
            lock(&self.shared.taps).insert(job.id, tap);
        }
        self.shared.emit(job.clone());
        match state {
            JobState::Queued => watch::spawn_job(&self.shared, job.id),
            _ => self.shared.quota_changed.notify_one(),
        }
        Ok(job)
    }

    /// Cancels a job. Queued and waiting jobs stop at once; a running one stops at its next await (an
    /// accepted task runs on at MiniMax and is billed — the API has no remote cancel).
    pub fn cancel(&self, id: i64) -> Result<Job> {
        let running = lock(&self.shared.active).get(&id).map(|a| a.cancel.clone());
        if let Some(token) = running {
            token.cancel();
            return self.shared.with_library(|lib| lib.job(id));
        }
        let job = self.shared.with_library(|lib| lib.job(id))?;
        if job.state.is_finished() {
            return Ok(job);
        }
        self.shared.transition(id, &Transition::to(JobState::Cancelled, self.shared.clock.now_ms()))
    }

    /// Runs a failed, cancelled or interrupted job again. A job whose task was accepted and not known dead
    /// (a lost connection, a polling deadline) resumes polling that task instead of paying again.
    pub fn retry(&self, id: i64) -> Result<Job> {
        let job = self.shared.with_library(|lib| lib.job(id))?;
        if job.remote_task_id.is_some() && !task_may_still_deliver(&job) {
            self.shared.with_library(|lib| lib.forget_remote_task_id(id, self.shared.clock.now_ms()))?;
        }
        let job =
            self.shared.transition(id, &Transition::to(JobState::Queued, self.shared.clock.now_ms()))?;
        watch::spawn_job(&self.shared, id);
        Ok(job)
    }

    /// Moves a job that is waiting for quota (or not started yet) to the pay-as-you-go key and starts it.
    pub fn use_pay_as_you_go(&self, id: i64) -> Result<Job> {
        if self.shared.client(KeyKind::PayAsYouGo).is_none() {
            return Err(CoreError::InvalidRequest("no pay-as-you-go key is set (Settings → Keys)".into()));
        }
        let change = Transition {
            key_kind: Some(KeyKind::PayAsYouGo),
            ..Transition::to(JobState::Queued, self.shared.clock.now_ms())
        };
        let job = self.shared.transition(id, &change)?;
        watch::spawn_job(&self.shared, id);
        Ok(job)
    }

    /// Picks up what a previous run left: jobs with a task id resume polling, queued ones run, waiting ones
    /// wait, and those cut mid-call without a task id become `interrupted` (offer a retry). Returns the jobs
    /// after reconciliation.
    pub fn resume_unfinished(&self) -> Result<Vec<Job>> {
        let now = self.shared.clock.now_ms();
        let jobs = self.shared.with_library(|lib| lib.unfinished_jobs())?;
        let mut out = Vec::with_capacity(jobs.len());
        for job in jobs {
            if lock(&self.shared.active).contains_key(&job.id) {
                out.push(job);
                continue;
            }
            let job = match job.state {
                JobState::Queued => {
                    watch::spawn_job(&self.shared, job.id);
                    job
                }
                JobState::Running | JobState::Downloading if job.remote_task_id.is_some() => {
                    let job = self.shared.transition(job.id, &Transition::to(JobState::Interrupted, now))?;
                    let job = self.shared.transition(job.id, &Transition::to(JobState::Queued, now))?;
                    watch::spawn_job(&self.shared, job.id);
                    job
                }
                JobState::Running | JobState::Downloading => {
                    let change = Transition {
                        error: Some(crate::storage::JobError {
                            kind: IpcErrorKind::Network,
                            message: "The app stopped while this job was being sent or saved. Retry sends it again."
                                .into(),
                            trace_id: None,
                        }),
                        ..Transition::to(JobState::Interrupted, now)
                    };
                    self.shared.transition(job.id, &change)?
                }
                _ => job,
            };
            out.push(job);
        }
        self.shared.quota_changed.notify_one();
        Ok(out)
    }

    /// Waits until the job is finished (`succeeded`, `failed`, `cancelled`) or `interrupted`, calling
    /// `progress` with every change on the way.
    pub async fn wait_finished(&self, id: i64, mut progress: impl FnMut(&Job)) -> Result<Job> {
        let mut events = self.subscribe();
        let mut job = self.shared.with_library(|lib| lib.job(id))?;
        progress(&job);
        loop {
            if job.state.is_finished() || job.state == JobState::Interrupted {
                return Ok(job);
            }
            match events.recv().await {
                Ok(changed) if changed.id == id => {
                    job = changed;
                    progress(&job);
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    job = self.shared.with_library(|lib| lib.job(id))?;
                    progress(&job);
                }
                Err(broadcast::error::RecvError::Closed) => {
                    return self.shared.with_library(|lib| lib.job(id));
                }
            }
        }
    }
}

/// Whether a job's stored task can still deliver: it failed for a reason on our side of the wire (network,
/// deadline, storage), not because MiniMax reported the task failed or flagged.
fn task_may_still_deliver(job: &Job) -> bool {
    match &job.error {
        None => true,
        Some(error) => matches!(error.kind, IpcErrorKind::Network | IpcErrorKind::Internal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_delays_grow_then_cap() {
        let policy = PollPolicy::default();
        let secs: Vec<u64> = (0..7).map(|a| policy.delay(a).as_secs()).collect();
        assert_eq!(secs, [2, 3, 5, 8, 10, 10, 10]);
        let quick = PollPolicy {
            first: Duration::from_millis(20),
            max: Duration::from_millis(50),
            deadline: Duration::ZERO,
        };
        assert_eq!(quick.delay(0), Duration::from_millis(20));
        assert_eq!(quick.delay(2), Duration::from_millis(50));
    }

    #[test]
    fn the_concurrency_setting_caps_every_lane() {
        let capped = RunnerPolicy::for_settings(&Settings { concurrency: Some(2), ..Settings::default() });
        for modality in crate::modality::Modality::ALL {
            assert!(capped.concurrency.limit(modality).concurrent <= 2, "{modality:?}");
        }
        let documented = RunnerPolicy::for_settings(&Settings::default());
        assert_eq!(documented.concurrency, Concurrency::documented(&crate::settings::Region::Global));
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::at(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance(Duration::from_secs(2));
        assert_eq!(clock.now_ms(), 3_000);
    }
}

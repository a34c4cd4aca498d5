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
mod lifecycle;
mod limits;
mod plan_view;
mod recover;
mod settle;
mod voice_calls;
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
pub use plan_view::{Estimate, MusicAccess};
pub use recover::RemoteTask;

use crate::clients::ApiClients;
use crate::error::{CoreError, Result};
use crate::profile::PlanProfile;
use crate::quota::WindowSummary;
use crate::quota_view::QuotaView;
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
    /// How often the server's quota (`/v1/token_plan/remains`) is read while nothing else asks for it.
    pub server_poll: Duration,
    /// Read the server's quota in the background as soon as the runner starts (the app). A caller that reads
    /// it itself before deciding anything (the command line) turns this off, or it is read twice.
    pub read_server_on_start: bool,
}

impl RunnerPolicy {
    /// The defaults for a region.
    pub fn for_region(region: &crate::settings::Region) -> Self {
        RunnerPolicy {
            poll: PollPolicy::default(),
            quota_recheck: Duration::from_secs(30),
            concurrency: Concurrency::documented(region),
            server_poll: Duration::from_secs(180),
            read_server_on_start: true,
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
    /// The API clients; `None` while the keys are still being read (a slow keychain at start): jobs then
    /// wait for [`Runner::set_clients`] instead of failing.
    pub clients: Option<ApiClients>,
    /// What the user knows this process as, shown when another process finds its jobs (`the app`,
    /// `tokenplan video`).
    pub label: String,
    /// Jobs are demo jobs (made against the built-in simulator).
    pub demo: bool,
    /// Tunables.
    pub policy: RunnerPolicy,
    /// The time source.
    pub clock: Arc<dyn Clock>,
}

/// Why a job waits for quota ([`Runner::quota_wait`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuotaWait {
    /// Requests the job needs (its estimate, or a placeholder); `None` for a job without a request.
    #[ts(optional)]
    pub needed: Option<u32>,
    /// Requests the window holds now.
    #[ts(type = "number")]
    pub remaining: u64,
    /// Requests per window.
    #[ts(type = "number")]
    pub quota: u64,
    /// MiniMax refused the job for quota (2056), so it waits for the server's reset, not only the ledger.
    pub server_refused: bool,
    /// When it can start (epoch ms): the server's reset, or when the window frees enough.
    #[ts(optional, type = "number")]
    pub until_ms: Option<i64>,
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
    /// It is a video job (the M Plan meters video on the weekly window only).
    video: bool,
    /// The job was queued again (a retry) while this run was finishing: run it again once this run ends.
    rerun: bool,
}

/// State shared by the runner's handle and its tasks.
pub(crate) struct Shared {
    library: SharedLibrary,
    pub(crate) root: PathBuf,
    /// This runner's row in `runners`: the owner of the jobs it runs.
    pub(crate) runner_id: String,
    clients: RwLock<Option<ApiClients>>,
    /// Wakes jobs waiting for the keys to be read.
    clients_ready: Notify,
    /// Quota refusals (2056) in a row; the backoff after one without a reset time grows with it.
    quota_refusals: std::sync::atomic::AtomicU32,
    /// The current block comes from a refusal that named no reset time (the watcher asks `/remains`).
    blocked_without_reset: AtomicBool,
    /// The last block was lifted because `/remains` showed room. If the next send is refused again, the
    /// server's count is not to be trusted for this refusal (a limit it does not show): the backoff decides.
    probe_lifted: AtomicBool,
    /// When the last quota refusal came: a fresh refusal outranks a `/remains` that shows room.
    refused_at_ms: std::sync::atomic::AtomicI64,
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
    /// The server's view of the quota and what the key may use.
    server: RwLock<plan_view::ServerState>,
    /// Asks for a fresh read of the server's quota (a job ended, the keys changed).
    server_poke: Arc<Notify>,
    /// Bumped whenever the quota view may have changed for a reason other than a job (a server read, a model
    /// learnt to be out of the plan).
    quota_tick: tokio::sync::watch::Sender<u64>,
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
        self.clients.read().unwrap_or_else(std::sync::PoisonError::into_inner).as_ref()?.for_key(key).cloned()
    }

    /// Whether the keys have been read (the clients are known, even if there are none).
    fn clients_loaded(&self) -> bool {
        self.clients.read().unwrap_or_else(std::sync::PoisonError::into_inner).is_some()
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
        let runner_id = new_runner_id();
        config.library.with(|lib| {
            lib.set_demo_ledger(config.demo);
            if let Err(e) =
                lib.register_runner(&runner_id, std::process::id(), &config.label, lifecycle::wall_now())
            {
                tracing::error!(error = %e, "cannot register the runner; another process may adopt its jobs");
            }
        });
        let shared = Arc::new(Shared {
            lanes: limits::Lanes::new(&config.policy.concurrency),
            library: config.library,
            root,
            runner_id,
            clients: RwLock::new(config.clients),
            clients_ready: Notify::new(),
            quota_refusals: std::sync::atomic::AtomicU32::new(0),
            blocked_without_reset: AtomicBool::new(false),
            probe_lifted: AtomicBool::new(false),
            refused_at_ms: std::sync::atomic::AtomicI64::new(0),
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
            server: RwLock::new(plan_view::ServerState::default()),
            server_poke: Arc::new(Notify::new()),
            quota_tick: tokio::sync::watch::channel(0).0,
        });
        if shared.clients_loaded() {
            shared.load_entitlements();
            if shared.policy.read_server_on_start {
                shared.server_poke.notify_one();
            }
        }
        tokio::spawn(watch::watch_quota(Arc::downgrade(&shared)));
        tokio::spawn(plan_view::watch_server(Arc::downgrade(&shared), shared.policy.server_poll));
        tokio::spawn(lifecycle::beat(Arc::downgrade(&shared)));
        Runner { shared }
    }

    /// Ends this runner before its process exits: its unfinished jobs (a job left waiting for quota) are free
    /// for the app or the next `tokenplan resume` at once instead of after its heartbeat lapses.
    pub fn retire(&self) {
        if let Err(e) = self.shared.with_library(|lib| lib.retire_runner(&self.shared.runner_id)) {
            tracing::warn!(error = %e, "cannot retire the runner; its jobs are adopted once its heartbeat lapses");
        }
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

    /// Replaces the API clients (the keys were read, a key was saved or removed); jobs waiting for the keys go
    /// on.
    pub fn set_clients(&self, clients: ApiClients) {
        *self.shared.clients.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(clients);
        self.shared.load_entitlements();
        self.shared.clients_ready.notify_waiters();
        self.shared.quota_changed.notify_one();
        self.shared.server_poke.notify_one();
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

    /// The plan's 5-hour window now (the stricter of the ledger and the server), running jobs' reservations
    /// counted as used.
    pub fn window(&self) -> Result<WindowSummary> {
        self.shared.window()
    }

    /// Every window of the active profile, the stricter of the ledger and the server, in the profile's unit,
    /// with spend from elsewhere and the models the plan or the key lacks.
    pub fn quota_view(&self) -> Result<QuotaView> {
        self.shared.quota_view()
    }

    /// The active profile (the settings and the server's last word).
    pub fn profile(&self) -> PlanProfile {
        self.shared.profile()
    }

    /// Reads the server's quota now (the command line does before it decides whether a job fits); the error
    /// says why it could not (the view then follows the ledger).
    pub async fn refresh_server(&self) -> std::result::Result<(), String> {
        self.shared.refresh_server().await
    }

    /// Keeps a `/remains` answer the caller read itself (`tokenplan quota` needs the raw answer too) as the
    /// server's view, without reading it a second time; an `Err` is why it could not be read.
    pub fn accept_remains(
        &self,
        answer: std::result::Result<&minimax_api::plan::PlanRemains, String>,
    ) -> std::result::Result<(), String> {
        self.shared.accept_remains(answer)
    }

    /// Changes whenever the quota view may have changed outside a job change (a server read, a model learnt
    /// to be out of the plan).
    pub fn subscribe_quota(&self) -> tokio::sync::watch::Receiver<u64> {
        self.shared.quota_tick.subscribe()
    }

    /// Whether the music and lyrics APIs work with the plan key, as far as the server said.
    pub fn music_access(&self) -> MusicAccess {
        self.shared.music_access()
    }

    /// The cost before the click, and whether and when it fits.
    pub fn estimate(&self, request: &GenerationRequest) -> Result<Estimate> {
        self.shared.estimate(request)
    }

    /// Why a job waits for quota and until when: what it needs, what the window holds, and when the server's
    /// refusal lifts or enough requests are released (`None`: never on this plan — the cost is over the
    /// whole quota).
    pub fn quota_wait(&self, job: &Job) -> Result<QuotaWait> {
        let estimate = match job.params.request() {
            Some(request) => Some(self.shared.estimate(request)?),
            None => None,
        };
        let window = self.shared.window()?;
        let now = self.shared.clock.now_ms();
        let blocked = self.shared.server_blocked_until_ms.load(Ordering::SeqCst);
        let server_until = (blocked > now).then_some(blocked);
        let needed = estimate.as_ref().and_then(|e| e.cost.requests().or(e.placeholder_requests));
        Ok(QuotaWait {
            needed,
            remaining: window.remaining,
            quota: window.quota,
            server_refused: server_until.is_some(),
            until_ms: server_until.or_else(|| estimate.and_then(|e| e.enough_at_ms)),
        })
    }

    /// Saves the job and starts it (or parks it in `waitingForQuota`). The request is checked first: an
    /// invalid one is refused with [`CoreError::InvalidRequest`] and nothing is saved.
    pub fn submit(&self, request: &GenerationRequest, options: SubmitOptions) -> Result<Job> {
        request.to_call(&self.shared.root).map_err(|e| CoreError::InvalidRequest(e.to_string()))?;
        self.check_voice(request)?;
        if options.key_kind == KeyKind::PayAsYouGo && self.shared.client(KeyKind::PayAsYouGo).is_none() {
            return Err(CoreError::InvalidRequest("no pay-as-you-go key is set (Settings → Keys)".into()));
        }
        let estimate = self.shared.estimate(request)?;
        if options.key_kind == KeyKind::Plan
            && let Some(reason) = estimate.not_in_plan.clone()
        {
            return Err(CoreError::NotInPlan { model: request.model().to_owned(), reason });
        }
        self.insert_and_start(request, options, estimate)
    }

    /// Checks whether the plan key has music: one lyrics job (billed like any, ≈ 75 requests, and its lyrics
    /// kept in the Library), sent even when music was refused before (access may have been granted since).
    /// Its end says: a success makes music and lyrics available, a "not in plan" answer explains why not.
    pub fn probe_music(&self) -> Result<Job> {
        let request = GenerationRequest::Lyrics(LyricsParams {
            prompt: "A short four-line song about a music studio opening its doors".into(),
            lyrics: None,
            title: Some("Music access check".into()),
        });
        request.to_call(&self.shared.root).map_err(|e| CoreError::InvalidRequest(e.to_string()))?;
        let estimate = self.shared.estimate(&request)?;
        self.insert_and_start(&request, SubmitOptions::default(), estimate)
    }

    fn insert_and_start(
        &self,
        request: &GenerationRequest,
        options: SubmitOptions,
        estimate: Estimate,
    ) -> Result<Job> {
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
        let job = self.shared.with_library(|lib| lib.insert_job_for(&new, Some(&self.shared.runner_id)))?;
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
        let running = lock(&self.shared.active).get_mut(&id).and_then(|a| {
            // A rerun waiting for its finishing run has not started: it is cancelled like a queued job.
            let waiting_rerun = std::mem::take(&mut a.rerun);
            (!waiting_rerun).then(|| a.cancel.clone())
        });
        if let Some(token) = running {
            token.cancel();
            return self.shared.with_library(|lib| lib.job(id));
        }
        let job = self.shared.with_library(|lib| lib.job(id))?;
        if job.state.is_finished() {
            return Ok(job);
        }
        self.claim(id)?;
        self.shared.transition(id, &Transition::to(JobState::Cancelled, self.shared.clock.now_ms()))
    }

    /// Runs a failed, cancelled or interrupted job again. A job holding a task resumes polling that task
    /// whatever stopped it (a lost connection, a download, a full disk, a refused key, the polling deadline, a
    /// cancel): MiniMax has it and billed it, so it is never created twice. Only a task MiniMax reported
    /// failed or expired — or a job that never got one — is sent again.
    pub fn retry(&self, id: i64) -> Result<Job> {
        self.claim(id)?;
        let job = self.shared.with_library(|lib| lib.job(id))?;
        // A job a stopped process left unfinished (`tokenplan retry` right after a kill): pick it up the way
        // resume does — a stored task is polled again, a call cut in flight is charged as an unknown outcome
        // and interrupted, which the retry below then sends again. It used to be refused (`running` cannot
        // go back to `queued`), so the task was stuck until a `tokenplan resume`.
        let unfinished = !job.state.is_finished() && job.state != JobState::Interrupted;
        if unfinished && !lock(&self.shared.active).contains_key(&id) {
            let job = lifecycle::resume(&self.shared, vec![job])?.pop().ok_or(CoreError::JobNotFound(id))?;
            if job.state != JobState::Interrupted {
                return Ok(job);
            }
        }
        let job = self.shared.with_library(|lib| lib.job(id))?;
        let dead = self.shared.with_library(|lib| lib.job_run_state(id))?.remote_task_dead;
        if job.remote_task_id.is_some() && dead {
            self.shared.with_library(|lib| lib.forget_remote_task_id(id, self.shared.clock.now_ms()))?;
        }
        let job =
            self.shared.transition(id, &Transition::to(JobState::Queued, self.shared.clock.now_ms()))?;
        watch::spawn_job(&self.shared, id);
        Ok(job)
    }

    /// Refuses a synthesis with a designed or cloned voice that MiniMax no longer has (unused for 7 days,
    /// deleted) or that was never made (its design or clone failed): flagged before anything is spent.
    fn check_voice(&self, request: &GenerationRequest) -> Result<()> {
        let GenerationRequest::Speech(p) = request else { return Ok(()) };
        let now = self.shared.clock.now_ms();
        let status = self.shared.with_library(|lib| crate::voices::voice_status(lib, &p.voice_id, now))?;
        if status.usable() {
            return Ok(());
        }
        let why = match status {
            crate::voices::VoiceStatus::Expired { .. } => {
                "expired: MiniMax deletes a voice unused for 7 days"
            }
            crate::voices::VoiceStatus::Deleted { .. } => "was deleted",
            crate::voices::VoiceStatus::Failed => "was never made (its design or clone failed; retry it)",
            _ => "is still being made",
        };
        Err(CoreError::InvalidRequest(format!("the voice {} {why}; choose another voice", p.voice_id)))
    }

    /// Now, by the runner's clock (the one pricing and the window use).
    pub fn now_ms(&self) -> i64 {
        self.shared.clock.now_ms()
    }

    /// Makes this runner the job's owner, unless another live process runs it.
    fn claim(&self, id: i64) -> Result<()> {
        // A killed process's heartbeat stays fresh for a while: without this its jobs were refused as "run
        // by tokenplan video (process …)" for 30 s after the kill.
        lifecycle::retire_dead_runners(&self.shared)?;
        let claimed = self
            .shared
            .with_library(|lib| lib.claim_job(id, &self.shared.runner_id, lifecycle::wall_now()))?;
        claimed.map_err(|other| CoreError::RunElsewhere { job_id: id, label: other.label, pid: other.pid })
    }

    /// Moves a job that is waiting for quota (or not started yet) to the pay-as-you-go key and starts it.
    pub fn use_pay_as_you_go(&self, id: i64) -> Result<Job> {
        if self.shared.client(KeyKind::PayAsYouGo).is_none() {
            return Err(CoreError::InvalidRequest("no pay-as-you-go key is set (Settings → Keys)".into()));
        }
        self.claim(id)?;
        let change = Transition {
            key_kind: Some(KeyKind::PayAsYouGo),
            ..Transition::to(JobState::Queued, self.shared.clock.now_ms())
        };
        let job = self.shared.transition(id, &change)?;
        watch::spawn_job(&self.shared, id);
        Ok(job)
    }

    /// Picks up what a previous run left (and what any process that stopped left: its jobs are adopted once
    /// its heartbeat lapsed; a live process's jobs are never touched): jobs with a task id resume polling,
    /// queued ones run, waiting ones wait, and those cut mid-call without a task id become `interrupted` (offer
    /// a retry). Returns the jobs adopted, after reconciliation.
    pub fn resume_unfinished(&self) -> Result<Vec<Job>> {
        lifecycle::adopt_and_resume(&self.shared)
    }

    /// Waits until the job is finished (`succeeded`, `failed`, `cancelled`) or `interrupted`, calling
    /// `progress` with every change on the way.
    pub async fn wait_finished(&self, id: i64, progress: impl FnMut(&Job)) -> Result<Job> {
        self.wait_for(id, |job| job.state.is_finished() || job.state == JobState::Interrupted, progress).await
    }

    /// Waits until `done` holds for the job, calling `progress` with every change on the way (and the job as
    /// it is when called).
    pub async fn wait_for(
        &self,
        id: i64,
        done: impl Fn(&Job) -> bool,
        mut progress: impl FnMut(&Job),
    ) -> Result<Job> {
        let mut events = self.subscribe();
        let mut job = self.shared.with_library(|lib| lib.job(id))?;
        progress(&job);
        loop {
            if done(&job) {
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

/// A runner id unique across processes and restarts: the process id, the time and a random part from the
/// standard library's per-process hash keys (no RNG crate needed for an id).
fn new_runner_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    format!("{:x}-{:x}-{:016x}", std::process::id(), lifecycle::wall_now(), hasher.finish())
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

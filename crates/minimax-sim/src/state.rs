//! Everything the simulator remembers, in memory: configuration, quota ledger, armed faults, the request
//! log, async tasks and stored files. One mutex, never held across an `.await`.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::clock::{SimClock, iso8601};
use crate::config::SimConfig;
use crate::envelope::ApiError;
use crate::faults::FaultBoard;
use crate::ids::{fnv1a, numeric_id};
use crate::media::FileContent;
use crate::quota::QuotaLedger;
use crate::request_log::RequestLog;

/// Which of the configured keys authenticated a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// The Token Plan key: charged against the quota window.
    TokenPlan,
    /// The pay-as-you-go key: never charged, refused by the remains endpoint.
    PayAsYouGo,
}

/// A file the files API can retrieve.
#[derive(Debug, Clone)]
pub struct StoredFile {
    /// Numeric id.
    pub file_id: u64,
    /// File name offered for download.
    pub filename: String,
    /// The `purpose` reported by retrieve (`video_generation`, `t2a_async`, …).
    pub purpose: String,
    /// Creation time, Unix seconds.
    pub created_at: u64,
    /// Lifetime of the download URLs handed out for it, in milliseconds.
    pub url_ttl_ms: u64,
    /// The bytes.
    pub content: FileContent,
}

/// Whether an async task makes a video or speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// `/v1/video_generation`.
    Video,
    /// `/v1/t2a_async_v2`.
    Speech,
}

/// An async task; its status is a function of the simulated time since creation.
#[derive(Debug, Clone)]
pub struct Task {
    /// Video or speech.
    pub kind: TaskKind,
    /// Simulated epoch ms at creation.
    pub created_ms: u64,
    /// How long it takes to finish.
    pub duration_ms: u64,
    /// Whether it ends in failure (fault `taskFail`).
    pub fail: bool,
    /// Output width and height (video).
    pub size: (u32, u32),
    /// The file it produces on success (registered with the files API only then).
    pub output: StoredFile,
}

/// The mutable part of the state.
#[derive(Debug, Default)]
pub struct Inner {
    /// Current configuration (run-time knobs may change).
    pub config: SimConfig,
    /// Charged requests.
    pub ledger: QuotaLedger,
    /// Armed faults.
    pub faults: FaultBoard,
    /// Every request received.
    pub log: RequestLog,
    /// Async tasks by id.
    pub tasks: HashMap<u64, Task>,
    /// Files by id.
    pub files: HashMap<u64, StoredFile>,
    /// Arrival times (simulated ms) of recent admitted requests per endpoint, for the RPM limit.
    pub arrivals: HashMap<String, Vec<u64>>,
    /// Video V2 (H3) tasks by id.
    pub v2_tasks: HashMap<String, crate::routes::video_v2::V2Task>,
    /// Designed and cloned voices by id.
    pub custom_voices: HashMap<String, crate::routes::custom_voices::CustomVoice>,
    /// Voice ids that were deleted or expired: they cannot be used again (§3.3 "deleted ids cannot be reused").
    pub retired_voice_ids: std::collections::HashSet<String>,
    /// Spoilers waiting for the next film draft replies (`/_sim/film-draft/faults`), first first.
    pub film_draft_spoilers: std::collections::VecDeque<crate::routes::film_draft::DraftSpoiler>,
    /// Requests charged by "another tool on the same key" through `/_sim/quota/elsewhere`.
    pub spent_elsewhere: u64,
}

/// The shared state of one simulator.
#[derive(Debug, Default)]
pub struct SimState {
    /// Simulated time.
    pub clock: SimClock,
    inner: Mutex<Inner>,
    base_url: OnceLock<String>,
    salt: u64,
}

impl SimState {
    /// A fresh state with `config`.
    pub fn new(config: SimConfig) -> Self {
        let salt = fnv1a(format!("{:?}", std::time::SystemTime::now()).as_bytes());
        Self {
            clock: SimClock::default(),
            inner: Mutex::new(Inner { config, ..Inner::default() }),
            base_url: OnceLock::new(),
            salt,
        }
    }

    /// Locks the mutable state (a poisoned lock is recovered: the data stays usable for a test server).
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records the address the server is reachable at, e.g. `http://127.0.0.1:41234`.
    pub fn set_base_url(&self, url: String) {
        let _ = self.base_url.set(url);
    }

    /// The address the server is reachable at.
    pub fn base_url(&self) -> &str {
        self.base_url.get().map_or("http://127.0.0.1", String::as_str)
    }

    /// A snapshot of the configuration.
    pub fn config(&self) -> SimConfig {
        self.lock().config.clone()
    }

    /// Charges `cost` requests to the Token Plan window (pay-as-you-go requests are free), or refuses with
    /// `2056` and the reset time. `http` picks the HTTP 429 error shape of the OpenAI-compatible endpoint.
    pub fn charge(&self, key: KeyKind, cost: u64, http: bool) -> Result<(), ApiError> {
        self.charge_metered(key, cost, http, false).map(drop)
    }

    /// Like [`SimState::charge`] for a video: under the percent plans (usage-based Token Plan, M Plan) it
    /// counts only against the weekly window (minimax-api-2026.md §1.2); under the legacy plan it counts
    /// like any request. Returns the time the charge was booked at (for [`QuotaLedger::refund`]).
    ///
    /// [`QuotaLedger::refund`]: crate::quota::QuotaLedger::refund
    pub fn charge_video(&self, key: KeyKind, cost: u64, http: bool) -> Result<u64, ApiError> {
        self.charge_metered(key, cost, http, true)
    }

    fn charge_metered(&self, key: KeyKind, cost: u64, http: bool, video: bool) -> Result<u64, ApiError> {
        if key == KeyKind::PayAsYouGo {
            return Ok(self.clock.now_ms());
        }
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        let window = (inner.config.quota_window_ms, inner.config.quota);
        let weekly = inner.config.weekly_quota;
        let plan = inner.config.plan_name.clone();
        let weekly_only = video && inner.config.plan_payload != crate::config::PlanPayload::Legacy;
        inner.ledger.fixed = inner.config.fixed_window;
        inner.ledger.charge_as(now, cost, window, weekly, weekly_only).map_err(|refused| {
            let which = if refused.weekly { "weekly" } else { "5-hour" };
            ApiError::Quota {
                message: format!(
                    "usage limit exceeded, {which} usage limit reached for Token Plan {plan} ({}/{} used), resets at {}",
                    refused.used,
                    refused.total,
                    iso8601(refused.reset_at_ms)
                ),
                http,
            }
        })?;
        Ok(now)
    }

    /// Admits a request to `endpoint` under the per-endpoint requests-per-minute limit (`rpm`, 0 = none),
    /// recording it; `false` means it must be refused with `1002`.
    pub fn admit_rpm(&self, endpoint: &str) -> bool {
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        let rpm = inner.config.rpm;
        if rpm == 0 {
            return true;
        }
        let arrivals = inner.arrivals.entry(endpoint.to_owned()).or_default();
        arrivals.retain(|at| at + 60_000 > now);
        if arrivals.len() >= rpm as usize {
            return false;
        }
        arrivals.push(now);
        true
    }

    /// Stores a finished file and returns its id.
    pub fn store_file(&self, file: StoredFile) -> u64 {
        let id = file.file_id;
        self.lock().files.insert(id, file);
        id
    }

    /// A new file record with a fresh id, created now.
    pub fn new_file(
        &self,
        filename: String,
        purpose: &str,
        url_ttl_ms: u64,
        content: FileContent,
    ) -> StoredFile {
        StoredFile {
            file_id: numeric_id(),
            filename,
            purpose: purpose.to_owned(),
            created_at: self.clock.now_ms() / 1000,
            url_ttl_ms,
            content,
        }
    }

    /// Registers the outputs of tasks that have finished successfully by now.
    pub fn settle_tasks(&self) {
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        let done: Vec<StoredFile> = inner
            .tasks
            .values()
            .filter(|t| !t.fail && now >= t.created_ms + t.duration_ms)
            .filter(|t| !inner.files.contains_key(&t.output.file_id))
            .map(|t| {
                let mut file = t.output.clone();
                file.created_at = (t.created_ms + t.duration_ms) / 1000;
                file
            })
            .collect();
        for file in done {
            inner.files.insert(file.file_id, file);
        }
    }

    /// A pre-signed, expiring download URL for a stored file (shaped like an object-storage link).
    pub fn signed_url(&self, file: &StoredFile) -> String {
        let expires = (self.clock.now_ms() + file.url_ttl_ms) / 1000;
        format!(
            "{}/_sim/files/{}/{}?Expires={expires}&Signature={:016x}",
            self.base_url(),
            file.file_id,
            file.filename,
            self.signature(file.file_id, expires)
        )
    }

    /// The signature of a download link.
    pub fn signature(&self, file_id: u64, expires: u64) -> u64 {
        fnv1a(&[self.salt.to_le_bytes(), file_id.to_le_bytes(), expires.to_le_bytes()].concat())
    }
}

//! The world of one fault-matrix row: a simulator, a library in a temporary folder, a runner over both, and
//! the checks every row makes (creates at the fake, what the fake charged, the spend rows and their total,
//! the files in the library).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use minimax_api::{ApiKey, Config, MiniMaxClient, Region, RetryPolicy};
use minimax_sim::{Fault, FaultKind, SimConfig, Simulator};
use studio_core::Library;
use studio_core::clients::ApiClients;
use studio_core::pricing;
use studio_core::quota::WINDOW_MS;
use studio_core::runner::{
    Clock, GenerationRequest, ImageParams, ManualClock, MusicParams, PollPolicy, Runner, RunnerConfig,
    RunnerPolicy, SpeechDelivery, SpeechParams, SystemClock, VideoParams,
};
use studio_core::settings::Settings;
use studio_core::storage::{Job, JobState, KeyKind, SharedLibrary, SpendBasis};

/// The client's retries of a retryable failure (HTTP 5xx, 529): a persistent one reaches the fake 1 + this.
pub const CLIENT_RETRIES: u32 = 2;

/// The five modalities of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Hailuo video: an async task, polled, downloaded by file id.
    Video,
    /// Async (long-text) speech: an async task, polled, downloaded by file id.
    AsyncSpeech,
    /// Music: one synchronous call answering hex audio.
    Music,
    /// Speech: one synchronous call answering hex audio.
    SyncSpeech,
    /// Image: one synchronous call answering pre-signed URLs, then downloaded.
    Image,
}

/// Text long enough that its audio outgrows the disk-full row's 4 KiB folder.
const SPEECH_TEXT: &str = "The lighthouse keeper counted the ships as they passed, one by one, until the fog \
                           rolled in from the sea and hid them all.";

impl Kind {
    /// The request the row submits.
    pub fn request(self) -> GenerationRequest {
        let speech = |model: &str, delivery| {
            GenerationRequest::Speech(SpeechParams {
                model: model.into(),
                text: SPEECH_TEXT.into(),
                voice_id: "English_Graceful_Lady".into(),
                delivery,
                speed: None,
                volume: None,
                pitch: None,
                emotion: None,
                format: None,
                sample_rate: None,
                subtitles: false,
                language_boost: None,
                preview: false,
            })
        };
        match self {
            Kind::Video => GenerationRequest::Video(VideoParams {
                model: "MiniMax-Hailuo-2.3".into(),
                prompt: "A paper boat in the rain".into(),
                resolution: Some("768P".into()),
                duration_s: Some(6),
                prompt_optimizer: None,
                first_frame: None,
                last_frame: None,
                ..VideoParams::default()
            }),
            Kind::AsyncSpeech => speech("speech-2.6-hd", SpeechDelivery::Async),
            Kind::SyncSpeech => speech("speech-2.8-hd", SpeechDelivery::Sync),
            Kind::Music => GenerationRequest::Music(MusicParams {
                model: "music-2.5".into(),
                prompt: Some("warm lo-fi, rain".into()),
                lyrics: Some("[Verse]\nRain on the glass\n[Chorus]\nStay a while".into()),
                instrumental: false,
                format: None,
            }),
            Kind::Image => GenerationRequest::Image(ImageParams {
                model: "image-01".into(),
                prompt: "a red fox in snow, film still".into(),
                aspect_ratio: Some("16:9".into()),
                count: Some(1),
                seed: Some(7),
                prompt_optimizer: false,
                subject_reference: None,
            }),
        }
    }

    /// The endpoint that creates the work (and bills it).
    pub fn create_endpoint(self) -> &'static str {
        match self {
            Kind::Video => "/v1/video_generation",
            Kind::AsyncSpeech => "/v1/t2a_async_v2",
            Kind::Music => "/v1/music_generation",
            Kind::SyncSpeech => "/v1/t2a_v2",
            Kind::Image => "/v1/image_generation",
        }
    }

    /// The endpoint that polls an accepted task (async kinds only).
    pub fn poll_endpoint(self) -> Option<&'static str> {
        match self {
            Kind::Video => Some("/v1/query/video_generation"),
            Kind::AsyncSpeech => Some("/v1/query/t2a_async_query_v2"),
            _ => None,
        }
    }

    /// Whether MiniMax keeps a task for it (so a retry resumes instead of paying again).
    pub fn has_task(self) -> bool {
        self.poll_endpoint().is_some()
    }

    /// Requests the job is estimated at.
    pub fn estimate(self) -> u64 {
        let request = self.request();
        u64::from(pricing::estimate(&request.cost_input(None)).requests().expect("priced"))
    }
}

/// What a row expects at one point: the job's state, the calls at the fake, the ledger and the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// The job's state.
    pub state: JobState,
    /// Requests that reached the create endpoint (refused, failed and retried ones included).
    pub creates: usize,
    /// What the fake charged, in estimates (`None`: not known exactly — a call cut while in flight; then it
    /// must not exceed what the ledger holds).
    pub server: Option<u64>,
    /// The job's spend rows.
    pub spend_rows: usize,
    /// Their total, in estimates.
    pub charged: u64,
    /// Media rows (each with its file on disk).
    pub files: usize,
}

/// One row's world.
pub struct World {
    /// The fake MiniMax.
    pub sim: Simulator,
    /// The runner under test.
    pub runner: Runner,
    /// The library it shares.
    pub library: SharedLibrary,
    /// The runner's clock (waits for quota move only when told).
    pub clock: Arc<ManualClock>,
    /// The data folder.
    pub home: tempfile::TempDir,
}

/// The simulator of the matrix: a quota no row reaches, quick tasks, no weekly cap.
pub fn sim_config() -> SimConfig {
    SimConfig {
        quota: 1_000_000,
        weekly_quota: 0,
        video_task_ms: 300,
        speech_task_ms: 300,
        ..SimConfig::default()
    }
}

fn client(sim: &Simulator) -> MiniMaxClient {
    let key = sim.state().config().key.clone();
    let mut config = Config::new(Region::Custom(sim.base_url()), ApiKey::new(key));
    config.retry = RetryPolicy {
        max_retries: CLIENT_RETRIES,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
    };
    config.request_timeout = Duration::from_secs(20);
    config.read_timeout = Duration::from_secs(5);
    MiniMaxClient::new(config).expect("client")
}

impl World {
    /// A world over a simulator configured as `config`.
    pub async fn start(config: SimConfig) -> World {
        let sim = Simulator::start(config).await.expect("simulator");
        let home = tempfile::tempdir().expect("home");
        let (library, _) = Library::open_at(home.path()).expect("library");
        let library = SharedLibrary::new(library);
        let clock = Arc::new(ManualClock::at(SystemClock.now_ms()));
        let runner = Runner::start(RunnerConfig {
            library: library.clone(),
            settings: Settings { quota_override: Some(1_000_000), ..Settings::default() },
            clients: Some(ApiClients { plan: Some(client(&sim)), pay_as_you_go: None }),
            label: "the fault matrix".into(),
            demo: false,
            policy: RunnerPolicy {
                poll: PollPolicy {
                    first: Duration::from_millis(40),
                    max: Duration::from_millis(100),
                    deadline: Duration::from_secs(20),
                },
                quota_recheck: Duration::from_millis(50),
                ..RunnerPolicy::for_region(&studio_core::settings::Region::Global)
            },
            clock: Arc::clone(&clock) as Arc<dyn Clock>,
        });
        World { sim, runner, library, clock, home }
    }

    /// Arms `kind` on `endpoint` for the next `times` requests.
    pub fn arm(&self, endpoint: &str, kind: FaultKind, times: u32) {
        self.sim.arm(Fault { endpoint: endpoint.into(), kind, times });
    }

    /// Disarms every fault (the server is well again).
    pub fn heal(&self) {
        self.sim.state().lock().faults.clear();
    }

    /// Submits the row's request on the plan key.
    pub fn submit(&self, kind: Kind) -> Job {
        self.runner.submit(&kind.request(), Default::default()).expect("submitted")
    }

    /// The job's row now.
    pub fn job(&self, id: i64) -> Job {
        self.library.with(|lib| lib.job(id)).expect("job")
    }

    /// Waits (at most 30 s) until the job is finished or interrupted.
    pub async fn finish(&self, id: i64) -> Job {
        match tokio::time::timeout(Duration::from_secs(30), self.runner.wait_finished(id, |_| {})).await {
            Ok(job) => job.expect("the job is readable"),
            Err(_) => panic!(
                "job {id} did not end in 30 s: {:?}\nhistory {:?}\nrequests {:#?}",
                self.job(id),
                self.library.with(|lib| lib.job_history(id)),
                self.sim
                    .requests()
                    .iter()
                    .map(|r| (&r.endpoint, r.http_status, &r.fault))
                    .collect::<Vec<_>>()
            ),
        }
    }

    /// Waits (at most 20 s) until `done` holds for the job's row.
    pub async fn until(&self, id: i64, what: &str, done: impl Fn(&Job) -> bool) -> Job {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let job = self.job(id);
            if done(&job) {
                return job;
            }
            assert!(tokio::time::Instant::now() < deadline, "job {id} never {what}: {job:?}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Requests that reached `kind`'s create endpoint.
    pub fn creates(&self, kind: Kind) -> usize {
        self.sim.requests().iter().filter(|r| r.endpoint == kind.create_endpoint()).count()
    }

    /// What the fake charged the plan, in requests (all of it: the row's job is the only spender).
    pub fn server_charged(&self) -> u64 {
        let now = self.sim.state().clock.now_ms();
        self.sim.state().lock().ledger.used(now, 30 * 86_400_000)
    }

    /// The media folder.
    pub fn media_dir(&self) -> PathBuf {
        self.home.path().join("media")
    }

    /// Checks the row's state against `expect`, and the invariants every row keeps.
    pub fn check(&self, kind: Kind, id: i64, expect: Expect, when: &str) {
        let at = format!("{kind:?}, {when}");
        let job = self.job(id);
        assert_eq!(job.state, expect.state, "{at}: state of {job:?}");
        assert_eq!(self.creates(kind), expect.creates, "{at}: creates at the fake");
        assert_eq!(self.sim.validation_failures(), 0, "{at}: only documented requests");

        let estimate = kind.estimate();
        let spend = self.library.with(|lib| lib.spend_of_job(id)).expect("spend");
        assert_eq!(spend.len(), expect.spend_rows, "{at}: spend rows {spend:#?}");
        assert!(spend.iter().all(|s| s.requests > 0), "{at}: no charge at zero {spend:#?}");
        assert!(spend.iter().all(|s| s.key_kind == KeyKind::Plan), "{at}: {spend:#?}");
        assert!(spend.iter().all(|s| s.basis != SpendBasis::Adjustment), "{at}: {spend:#?}");
        let total: u64 = spend.iter().map(|s| s.requests).sum();
        assert_eq!(total, expect.charged * estimate, "{at}: spend total {spend:#?}");
        let now = self.clock.now_ms();
        let window =
            self.library.with(|lib| lib.used_in_window(KeyKind::Plan, now, WINDOW_MS)).expect("window");
        assert_eq!(window, total, "{at}: the window holds the job's charges");
        let server = self.server_charged();
        match expect.server {
            Some(n) => assert_eq!(server, n * estimate, "{at}: what the fake charged"),
            None => assert!(server <= total, "{at}: the fake charged {server}, the ledger only {total}"),
        }
        assert!(server <= total, "{at}: every request the fake charged is in the ledger");

        let media = self.library.with(|lib| lib.job_with_media(id)).expect("media").media;
        assert_eq!(media.len(), expect.files, "{at}: media rows {media:?}");
        for m in &media {
            let size = std::fs::metadata(self.home.path().join(&m.rel_path)).map(|f| f.len());
            assert_eq!(size.ok(), Some(m.size_bytes), "{at}: {} on disk", m.rel_path);
        }
        let (_, report) = Library::open_at(self.home.path()).expect("reopen");
        assert!(report.is_clean(), "{at}: no missing, unowned or leftover files: {report:?}");
    }
}

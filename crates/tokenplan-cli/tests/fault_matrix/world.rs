//! The world of a command-line fault-matrix row: a simulator, a data folder, `tokenplan` processes over both
//! (spawned, waited for, killed with SIGKILL), and the checks every row makes.

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use minimax_sim::{Fault, FaultKind, SimConfig, Simulator};
use studio_core::Library;
use studio_core::quota::WINDOW_MS;
use studio_core::runner::{
    Clock, GenerationRequest, ImageParams, MusicParams, SpeechDelivery, SpeechParams, SystemClock,
    VideoParams,
};
use studio_core::storage::{Job, JobFilter, JobState, KeyKind};

const BIN: &str = env!("CARGO_BIN_EXE_tokenplan");

/// Long enough for the speech audio to be a real file.
const SPEECH_TEXT: &str = "The lighthouse keeper counted the ships as they passed, one by one, until the fog \
                           rolled in from the sea and hid them all.";

/// The five modalities of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `tokenplan video`: an async task.
    Video,
    /// `tokenplan speak --async`: an async task.
    AsyncSpeech,
    /// `tokenplan music`: one synchronous call (hex audio).
    Music,
    /// `tokenplan speak`: one synchronous call (hex audio).
    SyncSpeech,
    /// `tokenplan image`: one synchronous call, then a download.
    Image,
}

impl Kind {
    /// The command's arguments.
    pub fn args(self) -> Vec<&'static str> {
        match self {
            Kind::Video => {
                vec!["video", "A paper boat in the rain", "--resolution", "768P", "--duration", "6"]
            }
            Kind::AsyncSpeech => vec!["speak", SPEECH_TEXT, "--async", "--model", "speech-2.6-hd"],
            Kind::Music => vec![
                "music",
                "--prompt",
                "warm lo-fi, rain",
                "--lyrics",
                "[Verse]\\nRain on the glass\\n[Chorus]\\nStay a while",
                "--model",
                "music-2.5",
            ],
            Kind::SyncSpeech => vec!["speak", SPEECH_TEXT],
            Kind::Image => vec!["image", "a red fox in snow, film still", "--aspect-ratio", "16:9"],
        }
    }

    /// The same request as the command's, for the app to submit.
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
                count: None,
                seed: None,
                prompt_optimizer: false,
                subject_reference: None,
            }),
        }
    }

    /// The endpoint that creates (and bills) the work.
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

    /// Whether MiniMax keeps a task for it.
    pub fn has_task(self) -> bool {
        self.poll_endpoint().is_some()
    }
}

/// What a row expects: the job's state, the calls at the fake, the ledger and the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// The job's state.
    pub state: JobState,
    /// Requests that reached the create endpoint (refused and cut ones included).
    pub creates: usize,
    /// What the fake charged, in estimates (`None`: a call cut in flight, which the fake may or may not
    /// have run; it must not exceed the ledger).
    pub server: Option<u64>,
    /// The job's spend rows.
    pub spend_rows: usize,
    /// Their total, in estimates.
    pub charged: u64,
    /// Media rows, each with its file.
    pub files: usize,
}

/// One row's world.
pub struct World {
    /// The fake MiniMax.
    pub sim: Simulator,
    /// The data folder the processes share.
    pub home: tempfile::TempDir,
}

/// Tasks take long enough to kill a process while they are polled.
pub fn sim_config() -> SimConfig {
    SimConfig {
        quota: 1_000_000,
        weekly_quota: 0,
        video_task_ms: 6_000,
        speech_task_ms: 6_000,
        ..SimConfig::default()
    }
}

/// The settings of the app and of `tokenplan` in every row.
pub fn settings() -> studio_core::settings::Settings {
    studio_core::settings::Settings { quota_override: Some(300_000), ..Default::default() }
}

impl World {
    /// A world over a simulator configured as `config`.
    pub async fn start(config: SimConfig) -> World {
        let sim = Simulator::start(config).await.expect("simulator");
        let home = tempfile::tempdir().expect("home");
        // The settings the app saved: a quota no row reaches (the window is not what these rows test).
        let stored = serde_json::json!({ studio_core::settings::SETTINGS_KEY: settings() });
        std::fs::write(home.path().join("settings.json"), stored.to_string()).expect("settings");
        // Created here, before any process: two processes migrating a new library at once can collide.
        drop(Library::open_at(home.path()).expect("library"));
        World { sim, home }
    }

    /// `tokenplan --json ARGS` over this world.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .env_remove("TOKENPLAN_HOME")
            .env_remove("MINIMAX_API_HOST")
            .env_remove("MINIMAX_API_KEY")
            .env("TOKENPLAN_LOG", "warn")
            .arg("--home")
            .arg(self.home.path())
            .arg("--api-host")
            .arg(self.sim.base_url())
            .arg("--api-key")
            .arg(self.sim.state().config().key)
            .arg("--json")
            .args(args)
            .stdin(Stdio::null());
        command
    }

    /// Runs `tokenplan --json ARGS` to its end: the output, and stdout's one JSON document.
    pub async fn run(&self, args: &[&str]) -> (Output, serde_json::Value) {
        let mut command = self.command(args);
        let output = tokio::task::spawn_blocking(move || command.output().expect("tokenplan runs"))
            .await
            .expect("join");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let json = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "{args:?}: stdout is one JSON document ({e}): {stdout}\nstderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output, json)
    }

    /// Starts `tokenplan --json ARGS` in the background.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("tokenplan starts")
    }

    /// Arms `kind` on `endpoint` for the next `times` requests.
    pub fn arm(&self, endpoint: &str, kind: FaultKind, times: u32) {
        self.sim.arm(Fault { endpoint: endpoint.into(), kind, times });
    }

    /// The library, opened afresh (as another process would).
    pub fn library(&self) -> Library {
        Library::open_at(self.home.path()).expect("library").0
    }

    /// The jobs of the library, oldest first.
    pub fn jobs(&self) -> Vec<Job> {
        let mut jobs = self.library().list_jobs(&JobFilter::default(), None, 100).expect("jobs").jobs;
        jobs.sort_by_key(|j| j.id);
        jobs
    }

    /// The only job of the library.
    pub fn the_job(&self) -> Job {
        let jobs = self.jobs();
        assert_eq!(jobs.len(), 1, "one job row: {jobs:?}");
        jobs.into_iter().next().expect("one job")
    }

    /// Waits (at most 20 s) until the library's only job satisfies `done`.
    pub async fn until(&self, what: &str, done: impl Fn(&Job) -> bool) -> Job {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(job) = self.jobs().into_iter().next().filter(|j| done(j)) {
                return job;
            }
            assert!(Instant::now() < deadline, "the job never {what}: {:?}", self.jobs());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits (at most 20 s) until `endpoint` was asked at least `n` times.
    pub async fn until_asked(&self, endpoint: &str, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.asked(endpoint) < n {
            assert!(Instant::now() < deadline, "{endpoint} was never asked {n} times");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Requests `endpoint` received.
    pub fn asked(&self, endpoint: &str) -> usize {
        self.sim.requests().iter().filter(|r| r.endpoint == endpoint).count()
    }

    /// Kills the process with SIGKILL (no handler runs, nothing is retired) and reaps it.
    pub fn kill(mut child: Child) {
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("reaped");
        assert!(!status.success(), "the process died");
    }

    /// What the fake charged the plan, in requests.
    pub fn server_charged(&self) -> u64 {
        let now = self.sim.state().clock.now_ms();
        self.sim.state().lock().ledger.used(now, 30 * 86_400_000)
    }

    /// Checks job `id` against `expect`, and the invariants every row keeps.
    pub fn check(&self, kind: Kind, id: i64, expect: Expect, when: &str) {
        let at = format!("{kind:?}, {when}");
        let library = self.library();
        let job = library.job(id).expect("job");
        assert_eq!(job.state, expect.state, "{at}: {job:?}");
        assert_eq!(self.asked(kind.create_endpoint()), expect.creates, "{at}: creates at the fake");
        assert_eq!(self.sim.validation_failures(), 0, "{at}: only documented requests");

        let estimate = job.estimate_requests.map(u64::from).expect("priced");
        let spend = library.spend_of_job(id).expect("spend");
        assert_eq!(spend.len(), expect.spend_rows, "{at}: spend rows {spend:#?}");
        assert!(spend.iter().all(|s| s.requests > 0), "{at}: no charge at zero {spend:#?}");
        let total: u64 = spend.iter().map(|s| s.requests).sum();
        assert_eq!(total, expect.charged * estimate, "{at}: spend total {spend:#?}");
        let window = library.used_in_window(KeyKind::Plan, SystemClock.now_ms(), WINDOW_MS).expect("window");
        let all: u64 = self
            .jobs()
            .iter()
            .flat_map(|j| library.spend_of_job(j.id).expect("spend"))
            .map(|s| s.requests)
            .sum();
        assert_eq!(window, all, "{at}: the window holds every job's charges");
        let server = self.server_charged();
        if let Some(n) = expect.server {
            assert_eq!(server, n * estimate, "{at}: what the fake charged");
        }
        assert!(server <= all, "{at}: the fake charged {server}, the ledger holds {all}");

        let media = library.job_with_media(id).expect("media").media;
        assert_eq!(media.len(), expect.files, "{at}: media rows {media:?}");
        for m in &media {
            let size = std::fs::metadata(self.home.path().join(&m.rel_path)).map(|f| f.len());
            assert_eq!(size.ok(), Some(m.size_bytes), "{at}: {} on disk", m.rel_path);
        }
        let (_, report) = Library::open_at(self.home.path()).expect("reopen");
        assert!(report.is_clean(), "{at}: no missing, unowned or leftover files: {report:?}");
    }
}

/// The process exited with success.
pub fn succeeded(output: &Output, json: &serde_json::Value) {
    assert!(output.status.success(), "{json}\nstderr: {}", String::from_utf8_lossy(&output.stderr));
}

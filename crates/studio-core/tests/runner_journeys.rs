//! The job runner against the local MiniMax simulator: every modality from submit to files on disk, rows in
//! SQLite and the spend ledger; faults; quota waits; cancel, retry, resume and the pay-as-you-go key.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use minimax_api::{ApiKey, Config, MiniMaxClient, Region, RetryPolicy};
use minimax_sim::{Fault, FaultKind, SimConfig, Simulator};
use studio_core::Library;
use studio_core::clients::ApiClients;
use studio_core::ipc::IpcErrorKind;
use studio_core::runner::{
    ChatParams, ChatRole, ChatTurn, Clock, GenerationRequest, ImageParams, LyricsParams, ManualClock,
    MusicParams, PollPolicy, Runner, RunnerConfig, RunnerPolicy, SpeechDelivery, SpeechParams, SubmitOptions,
    SystemClock, TapItem, VideoParams,
};
use studio_core::settings::Settings;
use studio_core::storage::{Job, JobState, KeyKind, SharedLibrary};

const PAYG_KEY: &str = "sk-payg-simulator";

struct World {
    sim: Simulator,
    runner: Runner,
    library: SharedLibrary,
    clock: Arc<ManualClock>,
    _home: tempfile::TempDir,
}

fn sim_config() -> SimConfig {
    SimConfig {
        quota: 1_000_000,
        weekly_quota: 0,
        video_task_ms: 300,
        speech_task_ms: 300,
        pay_as_you_go_key: Some(PAYG_KEY.into()),
        ..SimConfig::default()
    }
}

fn client(sim: &Simulator, key: &str) -> MiniMaxClient {
    let mut config = Config::new(Region::Custom(sim.base_url()), ApiKey::new(key));
    config.retry = RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
    };
    config.request_timeout = Duration::from_secs(20);
    config.read_timeout = Duration::from_secs(5);
    MiniMaxClient::new(config).expect("client")
}

fn policy() -> RunnerPolicy {
    RunnerPolicy {
        poll: PollPolicy {
            first: Duration::from_millis(40),
            max: Duration::from_millis(100),
            deadline: Duration::from_secs(20),
        },
        quota_recheck: Duration::from_millis(50),
        ..RunnerPolicy::for_region(&studio_core::settings::Region::Global)
    }
}

async fn world_with(sim_config: SimConfig, settings: Settings) -> World {
    let sim = Simulator::start(sim_config).await.expect("simulator");
    let home = tempfile::tempdir().unwrap();
    let (library, _) = Library::open_at(home.path()).unwrap();
    let library = SharedLibrary::new(library);
    let clock = Arc::new(ManualClock::at(SystemClock.now_ms()));
    let key = sim.state().config().key.clone();
    let runner = Runner::start(RunnerConfig {
        library: library.clone(),
        settings,
        clients: Some(ApiClients {
            plan: Some(client(&sim, &key)),
            pay_as_you_go: Some(client(&sim, PAYG_KEY)),
        }),
        label: "journeys".into(),
        demo: true,
        policy: policy(),
        clock: Arc::clone(&clock) as Arc<dyn Clock>,
    });
    World { sim, runner, library, clock, _home: home }
}

async fn world() -> World {
    world_with(sim_config(), Settings { quota_override: Some(300_000), ..Settings::default() }).await
}

async fn finish(runner: &Runner, job: &Job) -> Job {
    tokio::time::timeout(Duration::from_secs(30), runner.wait_finished(job.id, |_| {}))
        .await
        .expect("the job ends in time")
        .expect("the job is readable")
}

async fn wait_for_state(library: &SharedLibrary, id: i64, state: JobState) -> Job {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let job = library.with(|lib| lib.job(id)).unwrap();
        if job.state == state {
            return job;
        }
        assert!(tokio::time::Instant::now() < deadline, "job {id} never reached {state:?}; it is {job:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn speech(delivery: SpeechDelivery, text: &str) -> GenerationRequest {
    GenerationRequest::Speech(speech_params(delivery, text))
}

fn speech_params(delivery: SpeechDelivery, text: &str) -> SpeechParams {
    SpeechParams {
        model: "speech-2.8-hd".into(),
        text: text.into(),
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
    }
}

fn video(prompt: &str) -> GenerationRequest {
    GenerationRequest::Video(VideoParams {
        model: "MiniMax-Hailuo-2.3".into(),
        prompt: prompt.into(),
        resolution: Some("768P".into()),
        duration_s: Some(6),
        prompt_optimizer: None,
        first_frame: None,
        last_frame: None,
        ..VideoParams::default()
    })
}

fn image(count: u32) -> GenerationRequest {
    GenerationRequest::Image(ImageParams {
        model: "image-01".into(),
        prompt: "a red fox in snow, film still".into(),
        aspect_ratio: Some("16:9".into()),
        count: Some(count),
        seed: Some(7),
        prompt_optimizer: false,
        subject_reference: None,
    })
}

/// Checks the job succeeded with `files` files on disk matching their rows, and returns the media.
fn assert_stored(world: &World, job: &Job, files: usize) -> Vec<studio_core::storage::Media> {
    assert_eq!(job.state, JobState::Succeeded, "{job:?}");
    let with_media = world.library.with(|lib| lib.job_with_media(job.id)).unwrap();
    assert_eq!(with_media.media.len(), files, "{:?}", with_media.media);
    let root = world.library.with(|lib| lib.root().to_path_buf());
    for media in &with_media.media {
        let path = root.join(&media.rel_path);
        let size = std::fs::metadata(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).len();
        assert_eq!(size, media.size_bytes);
        assert!(size > 0, "{} is empty", media.rel_path);
    }
    assert_eq!(world.sim.validation_failures(), 0, "the runner sent only documented requests");
    with_media.media
}

fn spend_of(world: &World, job_id: i64) -> Vec<(KeyKind, u64)> {
    world.library.with(|lib| {
        lib.spend_between(0, i64::MAX)
            .unwrap()
            .into_iter()
            .filter(|s| s.job_id == Some(job_id))
            .map(|s| (s.key_kind, s.requests))
            .collect()
    })
}

fn creates(sim: &Simulator, endpoint: &str) -> usize {
    sim.requests().into_iter().filter(|r| r.endpoint == endpoint).count()
}

#[tokio::test]
async fn every_modality_goes_from_submit_to_files_rows_and_spend() {
    let world = world().await;
    let runner = &world.runner;
    let library = &world.library;
    let requests = [
        (
            GenerationRequest::Chat(ChatParams {
                model: "MiniMax-M2.7".into(),
                system: Some("Answer in one line.".into()),
                messages: vec![ChatTurn { role: ChatRole::User, content: "Name a colour.".into() }],
                max_tokens: None,
                temperature: None,
            }),
            "text/markdown",
        ),
        (speech(SpeechDelivery::Sync, "Hello from the studio."), "audio/mpeg"),
        (
            GenerationRequest::Speech(SpeechParams {
                model: "speech-2.6-hd".into(),
                ..speech_params(SpeechDelivery::Async, "A long story, told slowly.")
            }),
            "",
        ),
        (image(2), "image/"),
        (video("A lighthouse at dawn [Pan left]"), "video/mp4"),
        (
            GenerationRequest::Music(MusicParams {
                model: "music-2.5".into(),
                prompt: Some("warm lo-fi, rain".into()),
                lyrics: Some("[Verse]\nRain on the glass\n[Chorus]\nStay a while".into()),
                instrumental: false,
                format: None,
            }),
            "audio/mpeg",
        ),
        (
            GenerationRequest::Lyrics(LyricsParams {
                prompt: "a song about trains".into(),
                lyrics: None,
                title: None,
            }),
            "text/plain",
        ),
    ];
    let mut jobs = Vec::new();
    for (request, _) in &requests {
        let job = runner.submit(request, SubmitOptions::default()).unwrap();
        assert!(matches!(job.state, JobState::Queued), "a job is a row before it is a task: {job:?}");
        jobs.push(job);
    }
    for ((request, mime), job) in requests.iter().zip(&jobs) {
        let done = finish(runner, job).await;
        // Chat keeps the answer and its reasoning; lyrics keep the sheet and the style tags.
        let expected_files = match request {
            GenerationRequest::Image(_) | GenerationRequest::Chat(_) | GenerationRequest::Lyrics(_) => 2,
            _ => 1,
        };
        let media = assert_stored(&world, &done, expected_files.max(1));
        assert!(media[0].mime.starts_with(mime), "{:?}: {}", request.modality(), media[0].mime);
        if let GenerationRequest::Speech(p) = request
            && p.delivery == SpeechDelivery::Sync
        {
            // The length MiniMax states is kept: the audition grid and the Library show it.
            assert!(media[0].duration_ms.is_some_and(|ms| ms > 0), "speech length: {:?}", media[0]);
        }
        let spend = spend_of(&world, done.id);
        if let Some(actual) = done.actual_requests {
            assert_eq!(spend, vec![(KeyKind::Plan, u64::from(actual))], "{:?}", request.modality());
        } else {
            assert!(spend.is_empty(), "an unpriced job writes no made-up spend");
        }
        assert!(done.demo);
    }
    let video_job = &jobs[4];
    let video_done = library.with(|lib| lib.job(video_job.id)).unwrap();
    assert!(video_done.remote_task_id.is_some(), "the task id is kept");
    let history = library.with(|lib| lib.job_history(video_job.id)).unwrap();
    let states: Vec<JobState> = history.iter().map(|h| h.to).collect();
    assert_eq!(
        states,
        [JobState::Queued, JobState::Running, JobState::Downloading, JobState::Succeeded],
        "one write per transition"
    );
}

#[tokio::test]
async fn streamed_speech_feeds_the_tap_before_the_job_ends_and_saves_everything() {
    let mut config = sim_config();
    config.stream_chunks = 6;
    config.chunk_interval_ms = 40;
    let world = world_with(config, Settings::default()).await;
    let (tap, mut chunks) = tokio::sync::mpsc::unbounded_channel();
    let job = world
        .runner
        .submit(
            &speech(SpeechDelivery::Stream, "Streaming voices start at once."),
            SubmitOptions { key_kind: KeyKind::Plan, tap: Some(tap) },
        )
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(10), chunks.recv()).await.unwrap().unwrap();
    let TapItem::Audio(first) = first else { panic!("audio first, got {first:?}") };
    assert!(!first.is_empty());
    let running = world.library.with(|lib| lib.job(job.id)).unwrap();
    assert_eq!(running.state, JobState::Running, "audio arrives while the job still runs");
    let mut total = first.len();
    while let Some(item) = chunks.recv().await {
        match item {
            TapItem::Audio(bytes) => total += bytes.len(),
            TapItem::End => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    let done = finish(&world.runner, &job).await;
    let media = assert_stored(&world, &done, 1);
    assert_eq!(
        media[0].size_bytes as usize, total,
        "the file holds exactly the streamed audio, not the aggregate twice"
    );
    assert!(
        media[0].duration_ms.is_some_and(|ms| ms > 0),
        "the final event's length is kept: {:?}",
        media[0]
    );
}

#[tokio::test]
async fn a_rejected_request_fails_clearly_and_costs_nothing() {
    let world = world().await;
    world.sim.arm(Fault { endpoint: "/v1/t2a_v2".into(), kind: FaultKind::ContentFlagged, times: 1 });
    let job =
        world.runner.submit(&speech(SpeechDelivery::Sync, "flag me"), SubmitOptions::default()).unwrap();
    let done = finish(&world.runner, &job).await;
    assert_eq!(done.state, JobState::Failed);
    let error = done.error.clone().unwrap();
    assert_eq!(error.kind, IpcErrorKind::ContentFlagged);
    assert!(error.message.contains("change the prompt"), "{}", error.message);
    assert!(spend_of(&world, job.id).is_empty(), "a rejected request costs nothing");

    // Retry after the fault: the same row runs again and succeeds.
    world.runner.retry(job.id).unwrap();
    let again = finish(&world.runner, &job).await;
    assert_stored(&world, &again, 1);
}

#[tokio::test]
async fn transient_server_errors_are_retried_and_persistent_ones_fail() {
    let world = world().await;
    world.sim.arm(Fault { endpoint: "/v1/image_generation".into(), kind: FaultKind::Http500, times: 1 });
    let job = world.runner.submit(&image(1), SubmitOptions::default()).unwrap();
    assert_stored(&world, &finish(&world.runner, &job).await, 1);

    world.sim.arm(Fault { endpoint: "/v1/image_generation".into(), kind: FaultKind::Http429, times: 1 });
    let job = world.runner.submit(&image(1), SubmitOptions::default()).unwrap();
    assert_stored(&world, &finish(&world.runner, &job).await, 1);

    world.sim.arm(Fault { endpoint: "/v1/image_generation".into(), kind: FaultKind::Http500, times: 10 });
    let job = world.runner.submit(&image(1), SubmitOptions::default()).unwrap();
    let done = finish(&world.runner, &job).await;
    assert_eq!(done.state, JobState::Failed);
    assert_eq!(done.error.as_ref().unwrap().kind, IpcErrorKind::Network);
    assert!(spend_of(&world, job.id).is_empty(), "a server error on create is not billed");
}

#[tokio::test]
async fn malformed_or_cut_answers_fail_without_losing_the_row() {
    let world = world().await;
    world.sim.arm(Fault { endpoint: "/v1/t2a_v2".into(), kind: FaultKind::MalformedJson, times: 1 });
    let job =
        world.runner.submit(&speech(SpeechDelivery::Sync, "garbled"), SubmitOptions::default()).unwrap();
    let done = finish(&world.runner, &job).await;
    assert_eq!(done.state, JobState::Failed);
    assert!(done.error.as_ref().unwrap().message.contains("may have been billed"), "{:?}", done.error);
    assert_eq!(spend_of(&world, job.id).len(), 1, "a lost answer may have run: the estimate is charged");

    world.sim.arm(Fault { endpoint: "/v1/music_generation".into(), kind: FaultKind::CutMidBody, times: 1 });
    let music = GenerationRequest::Music(MusicParams {
        model: "music-2.5".into(),
        prompt: Some("drums".into()),
        lyrics: Some("[Verse]\nla la".into()),
        instrumental: false,
        format: None,
    });
    let job = world.runner.submit(&music, SubmitOptions::default()).unwrap();
    let done = finish(&world.runner, &job).await;
    assert_eq!(done.state, JobState::Failed, "{done:?}");
    assert_eq!(done.error.as_ref().unwrap().kind, IpcErrorKind::Network);
    let reloaded = world.library.with(|lib| lib.job(job.id)).unwrap();
    assert_eq!(reloaded.params, job.params, "the request is kept for a retry");
}

#[tokio::test]
async fn a_failed_video_task_is_charged_and_a_retry_creates_a_new_one() {
    let world = world().await;
    world.sim.arm(Fault { endpoint: "/v1/video_generation".into(), kind: FaultKind::TaskFail, times: 1 });
    let job = world.runner.submit(&video("a storm"), SubmitOptions::default()).unwrap();
    let done = finish(&world.runner, &job).await;
    assert_eq!(done.state, JobState::Failed, "{done:?}");
    assert_eq!(spend_of(&world, job.id).len(), 1, "the server did the work: the estimate is charged");
    world.runner.retry(job.id).unwrap();
    let again = finish(&world.runner, &job).await;
    assert_stored(&world, &again, 1);
    assert_eq!(creates(&world.sim, "/v1/video_generation"), 2, "a dead task is created again");
}

#[tokio::test]
async fn quota_exhausted_on_the_server_waits_then_runs_after_the_window() {
    let mut config = sim_config();
    config.quota = 6_000; // one 768P 6 s Hailuo-2.3 clip costs 4,500
    let world = world_with(config, Settings { quota_override: Some(300_000), ..Settings::default() }).await;
    let first = world.runner.submit(&video("first"), SubmitOptions::default()).unwrap();
    assert_stored(&world, &finish(&world.runner, &first).await, 1);

    // The local ledger thinks there is room (override), the server does not: 2056 → waiting, not failed.
    let second = world.runner.submit(&video("second"), SubmitOptions::default()).unwrap();
    let waiting = wait_for_state(&world.library, second.id, JobState::WaitingForQuota).await;
    // The server's view is read after each job: the runner may know the window is exhausted before it sends
    // (no error then), or learn it from a 2056.
    assert!(
        waiting.error.as_ref().is_none_or(|e| e.kind == IpcErrorKind::QuotaExhausted),
        "{:?}",
        waiting.error
    );
    assert!(spend_of(&world, second.id).is_empty(), "a 2056 costs nothing");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(world.library.with(|lib| lib.job(second.id)).unwrap().state, JobState::WaitingForQuota);

    // Five hours later (on both clocks) the window has freed: the job runs by itself.
    world.sim.advance(Duration::from_secs(5 * 3600 + 60));
    world.clock.advance(Duration::from_secs(5 * 3600 + 60));
    let done = finish(&world.runner, &second).await;
    assert_stored(&world, &done, 1);
}

#[tokio::test]
async fn a_short_local_window_parks_the_job_and_pay_as_you_go_runs_it_now() {
    let settings = Settings { quota_override: Some(4_000), ..Settings::default() };
    let world = world_with(sim_config(), settings).await;
    let estimate = world.runner.estimate(&video("too big")).unwrap();
    assert!(!estimate.fits_now);
    assert_eq!(estimate.enough_at_ms, None, "4,500 never fits a 4,000 window");
    let job = world.runner.submit(&video("too big"), SubmitOptions::default()).unwrap();
    assert_eq!(job.state, JobState::WaitingForQuota, "parked at submit, nothing sent");
    assert_eq!(creates(&world.sim, "/v1/video_generation"), 0);

    world.runner.use_pay_as_you_go(job.id).unwrap();
    let done = finish(&world.runner, &job).await;
    assert_stored(&world, &done, 1);
    assert_eq!(done.key_kind, KeyKind::PayAsYouGo);
    assert_eq!(spend_of(&world, job.id), vec![(KeyKind::PayAsYouGo, 4_500)]);
    assert_eq!(world.runner.window().unwrap().used, 0, "pay-as-you-go does not count against the window");
}

#[tokio::test]
async fn a_waiting_job_starts_when_the_rolling_window_releases_requests() {
    let settings = Settings { quota_override: Some(6_000), ..Settings::default() };
    let world = world_with(sim_config(), settings).await;
    let first = world.runner.submit(&video("one"), SubmitOptions::default()).unwrap();
    assert_stored(&world, &finish(&world.runner, &first).await, 1);
    let second = world.runner.submit(&video("two"), SubmitOptions::default()).unwrap();
    assert_eq!(second.state, JobState::WaitingForQuota);
    let estimate = world.runner.estimate(&video("two")).unwrap();
    let release = estimate.enough_at_ms.expect("fits once the first clip leaves the window");
    assert!(release > world.clock.now_ms());
    world.clock.advance(Duration::from_millis(u64::try_from(release - world.clock.now_ms()).unwrap() + 1));
    let done = finish(&world.runner, &second).await;
    assert_stored(&world, &done, 1);
}

#[tokio::test]
async fn cancelling_an_accepted_video_stops_polling_and_charges_the_estimate() {
    let mut config = sim_config();
    config.video_task_ms = 60_000;
    let world = world_with(config, Settings { quota_override: Some(300_000), ..Settings::default() }).await;
    let job = world.runner.submit(&video("long"), SubmitOptions::default()).unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while world.library.with(|lib| lib.job(job.id)).unwrap().remote_task_id.is_none() {
        assert!(tokio::time::Instant::now() < deadline, "the task id is stored");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    world.runner.cancel(job.id).unwrap();
    let done = finish(&world.runner, &job).await;
    assert_eq!(done.state, JobState::Cancelled);
    assert_eq!(spend_of(&world, job.id), vec![(KeyKind::Plan, 4_500)], "MiniMax runs it on: charged");

    let queued = world.runner.submit(&video("never"), SubmitOptions::default()).unwrap();
    let cancelled = world.runner.cancel(queued.id).unwrap();
    let cancelled =
        if cancelled.state.is_finished() { cancelled } else { finish(&world.runner, &queued).await };
    assert_eq!(cancelled.state, JobState::Cancelled);
}

#[tokio::test]
async fn resume_polls_a_stored_task_without_a_second_create() {
    let sim = Simulator::start(sim_config()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let key = sim.state().config().key.clone();
    // A previous run created the task and stored its id, then died.
    let (library, _) = Library::open_at(home.path()).unwrap();
    let request = video("resumed");
    let new = studio_core::storage::NewJob {
        modality: request.modality(),
        model: request.model().into(),
        params: request.clone().into(),
        prompt: request.prompt(),
        estimate: studio_core::pricing::Cost::Requests(4_500),
        key_kind: KeyKind::Plan,
        demo: false,
        state: JobState::Queued,
        created_at_ms: SystemClock.now_ms(),
    };
    let job = library.insert_job(&new).unwrap();
    library
        .transition(job.id, &studio_core::storage::Transition::to(JobState::Running, SystemClock.now_ms()))
        .unwrap();
    let ApiCallVideo(wire) = wire_video(&request, home.path());
    let task = client(&sim, &key).video().create(&wire).await.unwrap();
    library.set_remote_task_id(job.id, &task.task_id, SystemClock.now_ms()).unwrap();
    // And one that was cut mid-call, with no task id.
    let orphan = library.insert_job(&new).unwrap();
    library
        .transition(orphan.id, &studio_core::storage::Transition::to(JobState::Running, SystemClock.now_ms()))
        .unwrap();
    drop(library);

    let (library, _) = Library::open_at(home.path()).unwrap();
    let library = SharedLibrary::new(library);
    let runner = Runner::start(RunnerConfig {
        library: library.clone(),
        settings: Settings::default(),
        clients: Some(ApiClients { plan: Some(client(&sim, &key)), pay_as_you_go: None }),
        label: "journeys after a restart".into(),
        demo: false,
        policy: policy(),
        clock: Arc::new(SystemClock),
    });
    runner.resume_unfinished().unwrap();
    let done = tokio::time::timeout(Duration::from_secs(20), runner.wait_finished(job.id, |_| {}))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.state, JobState::Succeeded, "{done:?}");
    assert_eq!(done.remote_task_id.as_deref(), Some(task.task_id.as_str()));
    assert_eq!(creates(&sim, "/v1/video_generation"), 1, "no second create");
    let orphan = library.with(|lib| lib.job(orphan.id)).unwrap();
    assert_eq!(orphan.state, JobState::Interrupted, "cut without a task id: offer a retry");
    assert_eq!(library.with(|lib| lib.job_with_media(job.id)).unwrap().media.len(), 1);
}

struct ApiCallVideo(minimax_api::video::VideoRequest);

fn wire_video(request: &GenerationRequest, root: &Path) -> ApiCallVideo {
    match request.to_call(root).unwrap() {
        studio_core::runner::ApiCall::Video(wire) => ApiCallVideo(wire),
        other => panic!("not a video: {other:?}"),
    }
}

#[tokio::test]
async fn a_paused_queue_holds_new_jobs_until_resumed() {
    let world = world().await;
    world.runner.set_paused(true);
    assert!(world.runner.is_paused());
    let job = world.runner.submit(&image(1), SubmitOptions::default()).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(world.library.with(|lib| lib.job(job.id)).unwrap().state, JobState::Queued);
    assert_eq!(creates(&world.sim, "/v1/image_generation"), 0, "nothing sent while paused");
    world.runner.set_paused(false);
    assert_stored(&world, &finish(&world.runner, &job).await, 1);

    world.runner.set_paused(true);
    let held = world.runner.submit(&image(1), SubmitOptions::default()).unwrap();
    world.runner.cancel(held.id).unwrap();
    assert_eq!(finish(&world.runner, &held).await.state, JobState::Cancelled, "a held job can be cancelled");
}

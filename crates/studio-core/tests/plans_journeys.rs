//! Issue 17 against the simulator: the plan profile read from the server, the gauge that takes the stricter
//! of the ledger and the server (spend by another tool on the same key included), MiniMax-H3 jobs from
//! submit to file, expired and cancelled V2 tasks, paid tasks the library does not know (listed, recovered by
//! id), and a key without music access.

use std::sync::Arc;
use std::time::Duration;

use minimax_api::video_v2::VideoV2Request;
use minimax_api::{ApiKey, Config, MiniMaxClient, Region, RetryPolicy};
use minimax_sim::state::KeyKind as SimKey;
use minimax_sim::{Fault, FaultKind, PlanPayload, SimConfig, Simulator};
use studio_core::Library;
use studio_core::clients::ApiClients;
use studio_core::plan::PlanFamily;
use studio_core::profile::{QuotaUnit, WindowKind};
use studio_core::quota_view::RowSource;
use studio_core::runner::{
    Clock, GenerationRequest, ImageParams, MusicAccess, MusicParams, PollPolicy, Runner, RunnerConfig,
    RunnerPolicy, SubmitOptions, SystemClock, VideoParams,
};
use studio_core::settings::Settings;
use studio_core::storage::{Job, JobState, SharedLibrary};

struct World {
    sim: Simulator,
    runner: Runner,
    library: SharedLibrary,
    _home: tempfile::TempDir,
}

fn client(sim: &Simulator) -> MiniMaxClient {
    let key = sim.state().config().key;
    let mut config = Config::new(Region::Custom(sim.base_url()), ApiKey::new(key));
    config.retry = RetryPolicy {
        max_retries: 1,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
    };
    MiniMaxClient::new(config).expect("client")
}

async fn world(config: SimConfig) -> World {
    let sim = Simulator::start(SimConfig { video_v2_task_ms: 400, video_task_ms: 300, ..config })
        .await
        .expect("sim");
    let home = tempfile::tempdir().expect("home");
    let (library, _) = Library::open_at(home.path()).expect("library");
    let library = SharedLibrary::new(library);
    let runner = Runner::start(RunnerConfig {
        library: library.clone(),
        settings: Settings::default(),
        clients: Some(ApiClients { plan: Some(client(&sim)), pay_as_you_go: None }),
        label: "plans".into(),
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
        // Real time on both sides: the server's windows and the ledger's stamps are compared.
        clock: Arc::new(SystemClock) as Arc<dyn Clock>,
    });
    runner.refresh_server().await.expect("the server answers");
    World { sim, runner, library, _home: home }
}

async fn finish(runner: &Runner, job: &Job) -> Job {
    tokio::time::timeout(Duration::from_secs(30), runner.wait_finished(job.id, |_| {}))
        .await
        .expect("the job ends in time")
        .expect("the job is readable")
}

fn h3(resolution: &str, duration_s: u32) -> GenerationRequest {
    GenerationRequest::Video(VideoParams {
        model: "MiniMax-H3".into(),
        prompt: "A paper boat sails down a rainy street".into(),
        resolution: Some(resolution.into()),
        duration_s: Some(duration_s),
        ratio: Some("16:9".into()),
        ..VideoParams::default()
    })
}

fn image() -> GenerationRequest {
    GenerationRequest::Image(ImageParams {
        model: "image-01".into(),
        prompt: "a lighthouse".into(),
        aspect_ratio: None,
        count: None,
        seed: None,
        prompt_optimizer: false,
        subject_reference: None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_settings_follow_the_larger_plan_the_server_reports() {
    // A Max subscriber with the app's default settings (Plus, 4,500): a 7,500-request clip must not wait.
    let w = world(SimConfig { quota: 15_000, weekly_quota: 150_000, ..SimConfig::default() }).await;
    let profile = w.runner.profile();
    assert_eq!(
        (profile.family, profile.tier.as_str(), profile.detected),
        (PlanFamily::TokenPlan, "max", true)
    );
    assert_eq!(profile.window(WindowKind::FiveHour).expect("5h").capacity, 15_000);
    let clip = GenerationRequest::Video(VideoParams {
        model: "MiniMax-Hailuo-2.3".into(),
        prompt: "rain".into(),
        duration_s: Some(10),
        ..VideoParams::default()
    });
    let estimate = w.runner.estimate(&clip).expect("estimate");
    assert!(estimate.fits_now, "{estimate:?}");
    let job = w.runner.submit(&clip, SubmitOptions::default()).expect("submit");
    assert_eq!(job.state, JobState::Queued, "not waiting for quota the server has");
    assert_eq!(finish(&w.runner, &job).await.state, JobState::Succeeded);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gauge_takes_the_stricter_count_and_names_spend_from_elsewhere() {
    let w = world(SimConfig::default()).await;
    let five =
        |w: &World| w.runner.quota_view().expect("view").row(WindowKind::FiveHour).cloned().expect("5h");
    assert_eq!((five(&w).remaining, w.runner.quota_view().expect("view").elsewhere), (4_500, None));
    // A coding tool on the same key spends 1,200 requests the app never sees.
    w.sim.state().charge(SimKey::TokenPlan, 1_200, false).expect("elsewhere");
    w.runner.refresh_server().await.expect("refresh");
    let view = w.runner.quota_view().expect("view");
    let row = view.row(WindowKind::FiveHour).expect("5h");
    assert_eq!((row.remaining, row.source, row.ledger_used), (3_300, RowSource::Server, 0));
    let elsewhere = view.elsewhere.clone().expect("spend from elsewhere is named");
    assert_eq!((elsewhere.window, elsewhere.units), (WindowKind::FiveHour, 1_200));
    // The app's own job is counted once: the ledger and the server agree on it.
    let job = w.runner.submit(&image(), SubmitOptions::default()).expect("submit");
    assert_eq!(finish(&w.runner, &job).await.state, JobState::Succeeded);
    assert_eq!(five(&w).remaining, 3_225, "the job is added to the server's figure, not forgotten");
    w.runner.refresh_server().await.expect("refresh");
    assert_eq!((five(&w).remaining, five(&w).ledger_used), (3_225, 75));
    // An answer the app cannot read leaves the ledger in charge, and says why.
    for endpoint in ["/v1/token_plan/remains", "/v1/api/openplatform/coding_plan/remains"] {
        w.sim.arm(Fault { endpoint: endpoint.into(), kind: FaultKind::MalformedJson, times: 10 });
    }
    assert!(w.runner.refresh_server().await.is_err());
    let view = w.runner.quota_view().expect("view");
    assert!(view.server.error.is_some());
    assert_eq!(view.row(WindowKind::FiveHour).expect("5h").remaining, 3_225, "the last good reading holds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_m_plan_an_h3_clip_is_made_and_costed_in_weekly_points() {
    let w = world(SimConfig { plan_payload: PlanPayload::MPlan, ..SimConfig::default() }).await;
    let profile = w.runner.profile();
    assert_eq!((profile.family, profile.unit), (PlanFamily::MPlan, QuotaUnit::Percent));
    let clip = h3("768P", 4);
    let estimate = w.runner.estimate(&clip).expect("estimate");
    assert_eq!(estimate.window_name, WindowKind::Weekly, "video draws on the weekly window only");
    let points = estimate.cost_percent.expect("a share of the week");
    assert!((points - 7.0).abs() < 0.1 && estimate.estimated, "{estimate:?}");
    let job = w.runner.submit(&clip, SubmitOptions::default()).expect("submit");
    let done = finish(&w.runner, &job).await;
    assert_eq!(done.state, JobState::Succeeded, "{:?}", done.error);
    assert!(done.remote_task_id.is_some());
    assert_eq!(done.actual_requests, Some(3_000));
    let media = w.library.with(|lib| lib.job_with_media(job.id)).expect("media").media;
    assert_eq!((media.len(), media[0].mime.as_str()), (1, "video/mp4"));
    w.runner.refresh_server().await.expect("refresh");
    let view = w.runner.quota_view().expect("view");
    let weekly = view.row(WindowKind::Weekly).expect("weekly");
    assert!((weekly.used_percent - 7.0).abs() < 1.0, "{weekly:?}");
    let five = view.row(WindowKind::FiveHour).expect("5h");
    assert_eq!(five.used, 0, "the 5-hour window does not meter video");
    assert_eq!(view.elsewhere, None, "the server's count is the app's own clip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paid_task_the_library_does_not_know_is_listed_and_recovered_by_id() {
    let w = world(SimConfig { plan_payload: PlanPayload::MPlan, ..SimConfig::default() }).await;
    // Another tool on the same key made this clip.
    let other = client(&w.sim);
    let request = VideoV2Request::text_to_video("MiniMax-H3", "a kite over the sea", "768P", 6, "9:16");
    let task = other.video_v2().create(&request).await.expect("create").task_id;
    let unknown = w.runner.unknown_video_tasks().await.expect("list");
    assert_eq!(unknown.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), [task.as_str()]);
    assert_eq!((unknown[0].model.as_str(), unknown[0].duration_s), ("MiniMax-H3", Some(6)));
    let job = w.runner.recover_video_task(&task).await.expect("recover");
    assert_eq!(job.remote_task_id.as_deref(), Some(task.as_str()));
    let done = finish(&w.runner, &job).await;
    assert_eq!(done.state, JobState::Succeeded, "{:?}", done.error);
    assert_eq!(done.actual_requests, Some(4_500), "charged once, as what it made");
    let creates = w
        .sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.endpoint == "/v2/video_generation")
        .count();
    assert_eq!(creates, 1, "recovering never pays for a second task");
    assert!(w.runner.unknown_video_tasks().await.expect("list").is_empty());
    assert_eq!(w.runner.recover_video_task(&task).await.expect("again").id, job.id, "known: the same job");
    let error = w.runner.recover_video_task("999999999999").await.expect_err("unknown task");
    assert!(!error.to_string().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_task_is_marked_with_what_was_paid_and_a_cancelled_one_costs_nothing() {
    let w = world(SimConfig {
        plan_payload: PlanPayload::MPlan,
        video_v2_task_ms: 600_000,
        ..SimConfig::default()
    })
    .await;
    let job = w.runner.submit(&h3("768P", 4), SubmitOptions::default()).expect("submit");
    w.runner.wait_for(job.id, |j| j.remote_task_id.is_some(), |_| {}).await.expect("accepted");
    w.sim.advance(Duration::from_secs(8 * 86_400));
    let done = finish(&w.runner, &job).await;
    assert_eq!(done.state, JobState::Failed);
    let message = done.error.expect("why").message;
    assert!(message.contains("expired") && message.contains("paid"), "{message}");
    assert_eq!(done.actual_requests, Some(3_000), "what was paid stays on the job");
    // Cancelled while still queued at MiniMax: cancelled there too, and nothing is charged.
    let queued = w.runner.submit(&h3("768P", 4), SubmitOptions::default()).expect("submit");
    w.runner.wait_for(queued.id, |j| j.remote_task_id.is_some(), |_| {}).await.expect("accepted");
    w.runner.cancel(queued.id).expect("cancel");
    let done = finish(&w.runner, &queued).await;
    assert_eq!(done.state, JobState::Cancelled);
    let charged: u64 =
        w.library.with(|lib| lib.spend_of_job(queued.id)).expect("spend").iter().map(|s| s.requests).sum();
    assert_eq!(charged, 0, "a task cancelled while queued is free");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_without_music_is_told_so_before_the_click() {
    let w = world(SimConfig { music_access: false, ..SimConfig::default() }).await;
    assert_eq!(w.runner.music_access(), MusicAccess::Unknown);
    let probe = w.runner.probe_music().expect("probe");
    assert_eq!(finish(&w.runner, &probe).await.state, JobState::Failed);
    let MusicAccess::Unavailable { reason } = w.runner.music_access() else { panic!("learnt") };
    assert!(reason.contains("2061"), "{reason}");
    let view = w.runner.quota_view().expect("view");
    assert!(view.blocked("music-2.6").is_some() && view.blocked("lyrics").is_some());
    let song = GenerationRequest::Music(MusicParams {
        model: "music-2.6".into(),
        prompt: Some("lo-fi".into()),
        lyrics: None,
        instrumental: true,
        format: None,
    });
    let refused = w.runner.submit(&song, SubmitOptions::default()).expect_err("not in plan");
    assert!(refused.to_string().contains("not in your plan"), "{refused}");
    // Granted since: a new probe finds out.
    w.sim.state().lock().config.music_access = true;
    let probe = w.runner.probe_music().expect("probe");
    assert_eq!(finish(&w.runner, &probe).await.state, JobState::Succeeded);
    assert_eq!(w.runner.music_access(), MusicAccess::Available);
    assert!(w.runner.quota_view().expect("view").blocked("music-2.6").is_none());
}

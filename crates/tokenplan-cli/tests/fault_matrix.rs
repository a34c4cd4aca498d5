//! The fault matrix of issue 14, the rows that need real processes: `tokenplan` killed with SIGKILL after
//! create, mid-poll and mid-download, then `tokenplan resume` or `tokenplan retry`; a job that must wait for
//! quota (2056 with and without a reset time, `--wait`), then two `tokenplan resume` at once; and the app (a
//! runner in this test process) and `tokenplan` on one data folder at once. The in-process rows are in
//! `studio-core/tests/fault_matrix.rs`.
//!
//! Every row checks the job's state, the requests at the fake's create endpoint, what the fake charged, the
//! job's spend rows and their total (and that the window holds every charge), and the files (media rows
//! with their files; nothing missing, unowned or left over — a killed process's partial file included).
//!
//! Rows that do not apply:
//!
//! | fault | modalities | why |
//! |---|---|---|
//! | kill −9 mid-poll | music, sync speech, image | synchronous calls: nothing is polled |
//! | kill −9 mid-download | music, sync speech | the audio is hex in the answer: nothing is downloaded |

#[path = "fault_matrix/world.rs"]
mod world;

use std::sync::Arc;
use std::time::Duration;

use minimax_sim::FaultKind;
use studio_core::runner::{Clock, Runner, RunnerConfig, RunnerPolicy, SystemClock};
use studio_core::storage::{JobState, SharedLibrary};
use world::{Expect, Kind, World, sim_config, succeeded};

/// One test per modality of a row: `rows!(row_fn: video, async_speech, …)`.
macro_rules! rows {
    ($row:ident: $($kind:ident),+ $(,)?) => {
        mod $row {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $kind() {
                    super::$row(super::kind(stringify!($kind))).await;
                }
            )+
        }
    };
}

fn kind(name: &str) -> Kind {
    match name {
        "video" => Kind::Video,
        "async_speech" => Kind::AsyncSpeech,
        "music" => Kind::Music,
        "sync_speech" => Kind::SyncSpeech,
        "image" => Kind::Image,
        other => panic!("no modality {other}"),
    }
}

fn done(creates: usize, server: Option<u64>, charged: u64) -> Expect {
    let rows = usize::try_from(charged).unwrap_or(0);
    Expect { state: JobState::Succeeded, creates, server, spend_rows: rows, charged, files: 1 }
}

/// A synchronous call cut by the kill was charged as an unknown outcome by `resume`; `tokenplan retry`
/// sends it again (a second request) and stores its result.
async fn retry_a_cut_call(world: &World, kind: Kind, id: i64, creates: usize) {
    let (output, json) = world.run(&["retry", &id.to_string()]).await;
    succeeded(&output, &json);
    world.check(kind, id, done(creates + 1, None, 2), "after tokenplan retry");
}

/// Killed once the work was created: a task kind holds its task id (`resume` polls it, no second create);
/// a synchronous kind is killed while its call is in flight (`resume` charges it as an unknown outcome and
/// offers a retry).
async fn kill_after_create(kind: Kind) {
    let world = World::start(sim_config()).await;
    if !kind.has_task() {
        world.arm(kind.create_endpoint(), FaultKind::Slow { ms: 2_000 }, 1);
    }
    let child = world.spawn(&kind.args());
    let job = if kind.has_task() {
        world.until("stored its task", |j| j.remote_task_id.is_some()).await
    } else {
        let job = world.until("ran", |j| j.state == JobState::Running).await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        job
    };
    World::kill(child);
    assert!(world.library().job_with_media(job.id).expect("media").media.is_empty());
    world.sim.advance(Duration::from_secs(10));

    let (output, json) = world.run(&["resume"]).await;
    if kind.has_task() {
        succeeded(&output, &json);
        world.check(kind, job.id, done(1, Some(1), 1), "after tokenplan resume");
    } else {
        assert!(!output.status.success(), "a cut call is reported: {json}");
        let cut = Expect {
            state: JobState::Interrupted,
            creates: 1,
            server: None,
            spend_rows: 1,
            charged: 1,
            files: 0,
        };
        world.check(kind, job.id, cut, "after tokenplan resume");
        retry_a_cut_call(&world, kind, job.id, 1).await;
    }
}

rows!(kill_after_create: video, async_speech, music, sync_speech, image);

/// Killed while polling; `tokenplan retry` at once (the dead process's heartbeat is still fresh) polls the
/// same task again.
async fn kill_mid_poll(kind: Kind) {
    let world = World::start(sim_config()).await;
    let child = world.spawn(&kind.args());
    world.until_asked(kind.poll_endpoint().expect("a task kind"), 1).await;
    World::kill(child);
    let job = world.the_job();
    assert_eq!(job.state, JobState::Running, "killed while polling");
    world.sim.advance(Duration::from_secs(10));

    let (output, json) = world.run(&["retry", &job.id.to_string()]).await;
    succeeded(&output, &json);
    world.check(kind, job.id, done(1, Some(1), 1), "after tokenplan retry");
}

rows!(kill_mid_poll: video, async_speech);

/// Killed in the middle of the download (half the body written to a temporary file): `resume` downloads a
/// task again without a second create, or charges the synchronous call's work and offers a retry; the dead
/// process's partial file is removed.
async fn kill_mid_download(kind: Kind) {
    let world = World::start(sim_config()).await;
    world.arm("/_sim/files", FaultKind::StallMidBody { ms: 10_000 }, 1);
    let child = world.spawn(&kind.args());
    world.sim.advance(Duration::from_secs(10));
    world.until("downloaded", |j| j.state == JobState::Downloading).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    World::kill(child);

    let (output, json) = world.run(&["resume"]).await;
    let job = world.the_job();
    if kind.has_task() {
        succeeded(&output, &json);
        world.check(kind, job.id, done(1, Some(1), 1), "after tokenplan resume");
    } else {
        assert!(!output.status.success(), "a cut download is reported: {json}");
        let cut = Expect {
            state: JobState::Interrupted,
            creates: 1,
            server: Some(1),
            spend_rows: 1,
            charged: 1,
            files: 0,
        };
        world.check(kind, job.id, cut, "after tokenplan resume");
        let (output, json) = world.run(&["retry", &job.id.to_string()]).await;
        succeeded(&output, &json);
        world.check(kind, job.id, done(2, Some(2), 2), "after tokenplan retry");
    }
}

rows!(kill_mid_download: video, async_speech, image);

/// `14:35 UTC`, as the command line prints times.
fn utc_clock(epoch_ms: u64) -> String {
    let minutes = epoch_ms / 60_000;
    format!("{:02}:{:02} UTC", (minutes / 60) % 24, minutes % 60)
}

/// A 2056 on the command line: it says at once why and until when, exits with `quotaExhausted` and leaves
/// the job queued, sending nothing more; then two `tokenplan resume` at once: exactly one runs it.
async fn quota_exit(kind: Kind, resets_in_ms: Option<u64>) {
    let world = World::start(sim_config()).await;
    world.arm(kind.create_endpoint(), FaultKind::QuotaExhausted { resets_in_ms }, 1);
    let now = world.sim.state().clock.now_ms();
    let (output, json) = world.run(&kind.args()).await;
    assert!(!output.status.success(), "{json}");
    assert_eq!(json["error"]["kind"], "quotaExhausted", "{json}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("waits for quota"), "{stderr}");
    assert!(stderr.contains("MiniMax refused it for quota"), "{stderr}");
    if let Some(ms) = resets_in_ms {
        let reset = utc_clock(now + ms);
        assert!(stderr.contains(&reset), "the reset {reset} on stderr: {stderr}");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let job = world.the_job();
    let parked = Expect {
        state: JobState::WaitingForQuota,
        creates: 1,
        server: Some(0),
        spend_rows: 0,
        charged: 0,
        files: 0,
    };
    world.check(kind, job.id, parked, "after the quota exit");
    assert_eq!(world.library().job_run_state(job.id).expect("run state").owner, None, "free for resume");

    let (first, second) = tokio::join!(world.run(&["resume"]), world.run(&["resume"]));
    succeeded(&first.0, &first.1);
    succeeded(&second.0, &second.1);
    let results = |json: &serde_json::Value| json["results"].as_array().map_or(0, Vec::len);
    assert_eq!(results(&first.1) + results(&second.1), 1, "one process runs it: {} / {}", first.1, second.1);
    world.check(kind, job.id, done(2, Some(1), 1), "after two resumes at once");
}

async fn quota_with_reset(kind: Kind) {
    quota_exit(kind, Some(2 * 3_600_000)).await;
}

async fn quota_without_reset(kind: Kind) {
    quota_exit(kind, None).await;
}

rows!(quota_with_reset: video, async_speech, music, sync_speech, image);
rows!(quota_without_reset: video, async_speech, music, sync_speech, image);

/// `--wait`: the command says why it waits, waits for the reset and ends with the result.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_wait_flag_waits_for_the_reset() {
    let kind = Kind::Image;
    let world = World::start(sim_config()).await;
    world.arm(kind.create_endpoint(), FaultKind::QuotaExhausted { resets_in_ms: Some(3_000) }, 1);
    let mut args = kind.args();
    args.push("--wait");
    let (output, json) = world.run(&args).await;
    succeeded(&output, &json);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("waits for quota"), "{stderr}");
    world.check(kind, world.the_job().id, done(2, Some(1), 1), "after --wait");
}

/// The app: a runner in this process on the same folder, as the app starts one.
fn the_app(world: &World) -> (Runner, SharedLibrary) {
    let library = SharedLibrary::new(world.library());
    let key = world.sim.state().config().key;
    let client = minimax_api::MiniMaxClient::new(minimax_api::Config::new(
        minimax_api::Region::Custom(world.sim.base_url()),
        minimax_api::ApiKey::new(key),
    ))
    .expect("client");
    let runner = Runner::start(RunnerConfig {
        library: library.clone(),
        settings: world::settings(),
        clients: Some(studio_core::clients::ApiClients { plan: Some(client), pay_as_you_go: None }),
        label: "the app".into(),
        demo: false,
        policy: RunnerPolicy::for_region(&studio_core::settings::Region::Global),
        clock: Arc::new(SystemClock) as Arc<dyn Clock>,
    });
    (runner, library)
}

/// The app and `tokenplan` on one folder: while the app runs a job, `tokenplan resume` leaves it alone and
/// `tokenplan retry` refuses it; while `tokenplan` runs its own job, the app's resume does not adopt it.
/// Each job is created once, charged once and stored once.
async fn app_and_cli(kind: Kind) {
    let world = World::start(sim_config()).await;
    if !kind.has_task() {
        // Keeps each synchronous call in flight long enough to be seen running.
        world.arm(kind.create_endpoint(), FaultKind::Slow { ms: 2_500 }, 2);
    }
    let (app, _library) = the_app(&world);
    let ours = app.submit(&kind.request(), Default::default()).expect("the app submits");
    world.until("ran in the app", |j| j.state == JobState::Running).await;

    let (output, json) = world.run(&["resume"]).await;
    succeeded(&output, &json);
    assert_eq!(json["results"].as_array().map(Vec::len), Some(0), "the app's job is left alone: {json}");
    let (output, json) = world.run(&["retry", &ours.id.to_string()]).await;
    assert!(!output.status.success(), "{json}");
    assert!(json["error"]["message"].as_str().is_some_and(|m| m.contains("the app")), "{json}");

    let child = world.spawn(&kind.args());
    let theirs = loop {
        let running = world.jobs().into_iter().find(|j| j.id != ours.id && j.state == JobState::Running);
        if let Some(job) = running {
            break job;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let adopted = app.resume_unfinished().expect("the app resumes");
    assert!(adopted.iter().all(|j| j.id != theirs.id), "the app never adopts a live process's job");
    let status = tokio::task::spawn_blocking(move || {
        let mut child = child;
        child.wait()
    })
    .await
    .expect("join")
    .expect("tokenplan ends");
    assert!(status.success(), "tokenplan's own job succeeded");
    let finished = tokio::time::timeout(Duration::from_secs(60), app.wait_finished(ours.id, |_| {}))
        .await
        .expect("the app's job ends")
        .expect("readable");
    assert_eq!(finished.state, JobState::Succeeded, "{finished:?}");
    for id in [ours.id, theirs.id] {
        world.check(kind, id, done(2, Some(2), 1), "both runners done");
    }
}

rows!(app_and_cli: video, async_speech, music, sync_speech, image);

/// Two processes opening a new data folder at once (the app's first start while a script runs `tokenplan`)
/// both get the library: neither fails on the other's migration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_open_a_new_folder_at_once() {
    let sim = minimax_sim::Simulator::start(sim_config()).await.expect("simulator");
    for _ in 0..10 {
        let home = tempfile::tempdir().expect("home");
        let jobs = |home: std::path::PathBuf| {
            let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tokenplan"));
            command.arg("--home").arg(home).args(["--api-host", &sim.base_url(), "--json", "jobs"]);
            tokio::task::spawn_blocking(move || command.output().expect("tokenplan runs"))
        };
        let (first, second) = tokio::join!(jobs(home.path().into()), jobs(home.path().into()));
        for output in [first.expect("join"), second.expect("join")] {
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
        }
    }
}

//! The `tokenplan` binary against minimax-sim: the JSON contract, errors, and a real crash — SIGKILL after
//! the video's create call, then `tokenplan resume` downloads the clip without a second create.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use minimax_sim::{Fault, FaultKind, SimConfig, Simulator};
use studio_core::Library;
use studio_core::storage::{JobFilter, JobState};

const BIN: &str = env!("CARGO_BIN_EXE_tokenplan");

fn tokenplan(home: &Path, sim: &Simulator, key: &str) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_remove("TOKENPLAN_HOME")
        .env_remove("MINIMAX_API_HOST")
        .env_remove("MINIMAX_API_KEY")
        .env("TOKENPLAN_LOG", "warn")
        .arg("--home")
        .arg(home)
        .arg("--api-host")
        .arg(sim.base_url())
        .arg("--api-key")
        .arg(key)
        .stdin(Stdio::null());
    command
}

fn key(sim: &Simulator) -> String {
    sim.state().config().key.clone()
}

async fn run(mut command: Command) -> (Output, serde_json::Value) {
    let output =
        tokio::task::spawn_blocking(move || command.output().expect("tokenplan runs")).await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON document ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output, json)
}

fn creates(sim: &Simulator) -> usize {
    sim.requests().into_iter().filter(|r| r.endpoint == "/v1/video_generation").count()
}

#[tokio::test]
async fn speak_prints_the_contract_document_and_writes_the_file() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = tokenplan(home.path(), &sim, &key(&sim));
    command.args(["--json", "speak", "Hello from a script."]);
    let (output, json) = run(command).await;
    assert!(output.status.success(), "{json}");
    let job = &json["job"];
    assert_eq!(job["kind"], "speech");
    assert_eq!(job["status"], "succeeded");
    assert_eq!(job["model"], "speech-2.8-hd");
    assert!(job["costRequests"].as_u64().unwrap() > 0);
    assert!(job["remoteTaskId"].is_null());
    let asset = &json["assets"][0];
    assert_eq!(asset["mime"], "audio/mpeg");
    let path = Path::new(asset["path"].as_str().unwrap());
    assert_eq!(std::fs::metadata(path).unwrap().len(), asset["bytes"].as_u64().unwrap());
    assert!(path.starts_with(home.path()), "files live in the shared data folder");
    // Before the job the server's quota is read once (the runner's background read at start is off for the
    // command line); the read after a job is the runner's usual one.
    let log = sim.requests();
    let job_at = log.iter().find(|r| r.endpoint == "/v1/t2a_v2").map(|r| r.seq).expect("the speech call");
    let before = log.iter().filter(|r| r.endpoint == "/v1/token_plan/remains" && r.seq < job_at).count();
    assert_eq!(
        before,
        1,
        "the server's quota is read once before the job: {:?}",
        log.iter().map(|r| &r.endpoint).collect::<Vec<_>>()
    );
    // The only line allowed: the warning about the key given with --api-key (this test's way of passing it).
    let stderr = String::from_utf8_lossy(&output.stderr);
    let progress: Vec<&str> =
        stderr.lines().filter(|l| !l.trim().is_empty() && !l.contains("--api-key")).collect();
    assert!(progress.is_empty(), "no progress with --json or when stderr is not a terminal: {stderr}");
}

#[tokio::test]
async fn dry_run_prints_the_cost_and_calls_nothing() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = tokenplan(home.path(), &sim, &key(&sim));
    command.args(["--json", "video", "A lighthouse", "--resolution", "768P", "--duration", "6", "--dry-run"]);
    let (output, json) = run(command).await;
    assert!(output.status.success());
    assert_eq!(json["costRequests"], 4_500);
    assert_eq!(json["window"]["quota"], 4_500, "the Plus tier by default");
    // It reads the plan's quota (free), as a real run does first; nothing is generated or paid.
    let endpoints: Vec<String> = sim.requests().into_iter().map(|r| r.endpoint).collect();
    assert!(endpoints.iter().all(|e| e == "/v1/token_plan/remains"), "a dry run sends no job: {endpoints:?}");
}

#[tokio::test]
async fn errors_are_one_json_document_and_a_non_zero_exit() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = tokenplan(home.path(), &sim, "sk-cp-wrong");
    command.args(["--json", "image", "a fox"]);
    let (output, json) = run(command).await;
    assert!(!output.status.success());
    let kind = json["error"]["kind"].as_str().unwrap();
    assert!(kind == "invalidApiKey" || kind == "wrongRegion", "{json}");
    assert!(json["error"]["message"].as_str().unwrap().contains("Settings"), "{json}");

    sim.arm(Fault { endpoint: "/v1/image_generation".into(), kind: FaultKind::ContentFlagged, times: 1 });
    let mut command = tokenplan(home.path(), &sim, &key(&sim));
    command.args(["--json", "image", "flag me"]);
    let (output, json) = run(command).await;
    assert!(!output.status.success());
    assert_eq!(json["error"]["kind"], "contentFlagged", "{json}");
    assert!(json["error"]["traceId"].is_string(), "the trace id reaches scripts: {json}");
}

#[tokio::test]
async fn a_killed_video_command_resumes_without_a_second_create() {
    let config =
        SimConfig { quota: 1_000_000, weekly_quota: 0, video_task_ms: 2_500, ..SimConfig::default() };
    let sim = Simulator::start(config).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = tokenplan(home.path(), &sim, &key(&sim));
    command.args(["--json", "video", "A paper boat in the rain"]).stdout(Stdio::null()).stderr(Stdio::null());
    let mut child = command.spawn().unwrap();

    // Wait for the create call and the stored task id, then kill the process without warning.
    let deadline = Instant::now() + Duration::from_secs(20);
    let task_id = loop {
        assert!(Instant::now() < deadline, "the create call never happened");
        if creates(&sim) == 1 {
            let (library, _) = Library::open_at(home.path()).unwrap();
            let jobs = library.list_jobs(&JobFilter::default(), None, 10).unwrap().jobs;
            if let Some(task) = jobs.first().and_then(|j| j.remote_task_id.clone()) {
                break task;
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success(), "the process died");
    {
        let (library, _) = Library::open_at(home.path()).unwrap();
        let jobs = library.list_jobs(&JobFilter::default(), None, 10).unwrap().jobs;
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].state, JobState::Running, "killed while polling");
        assert!(library.job_with_media(jobs[0].id).unwrap().media.is_empty());
    }

    let mut command = tokenplan(home.path(), &sim, &key(&sim));
    command.args(["--json", "resume"]);
    let (output, json) = run(command).await;
    assert!(output.status.success(), "{json}\n{}", String::from_utf8_lossy(&output.stderr));
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{json}");
    assert_eq!(results[0]["job"]["status"], "succeeded");
    assert_eq!(results[0]["job"]["remoteTaskId"], task_id.as_str(), "the same task");
    let asset = &results[0]["assets"][0];
    assert_eq!(asset["mime"], "video/mp4");
    let clip = std::fs::read(asset["path"].as_str().unwrap()).unwrap();
    assert_eq!(&clip[4..8], b"ftyp", "a real MP4");

    assert_eq!(creates(&sim), 1, "no second create call");
    let (library, _) = Library::open_at(home.path()).unwrap();
    let jobs = library.list_jobs(&JobFilter::default(), None, 10).unwrap().jobs;
    assert_eq!(jobs.len(), 1, "no duplicate job rows");
    assert_eq!(library.job_with_media(jobs[0].id).unwrap().media.len(), 1, "no duplicate media rows");
    let spend = library.spend_between(0, i64::MAX).unwrap();
    assert_eq!(spend.len(), 1, "billed once: {spend:?}");
    assert_eq!(spend[0].requests, 4_500);
}

#[tokio::test]
async fn seed_fills_the_library_with_playable_demo_generations() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = tokenplan(home.path(), &sim, &key(&sim));
    command.args(["--json", "seed", "300"]);
    let (output, json) = run(command).await;
    assert!(output.status.success(), "{json}");
    assert_eq!(json["seeded"], 300);
    let (library, report) = Library::open_at(home.path()).unwrap();
    assert!(report.is_clean(), "every row has its file and every file its row: {report:?}");
    let page = library.list_jobs(&JobFilter { demo: Some(true), ..JobFilter::default() }, None, 500).unwrap();
    assert_eq!(page.jobs.len(), 300);
    assert!(page.jobs.iter().all(|j| j.state == JobState::Succeeded));
    let video =
        page.jobs.iter().find(|j| j.modality == studio_core::modality::Modality::Video).expect("a video");
    let media = library.job_with_media(video.id).unwrap().media;
    let clip = std::fs::read(home.path().join(&media[0].rel_path)).unwrap();
    assert_eq!(&clip[4..8], b"ftyp");
    assert!(sim.requests().is_empty(), "seeding calls nothing");
}

/// Routes the child's ALSA output into `dir/out.raw` (the e2e tests' file device) and returns that path.
fn route_alsa(command: &mut Command, dir: &Path) -> std::path::PathBuf {
    let capture = dir.join("out.raw");
    let config =
        include_str!("../../../tests/alsa/asoundrc.in").replace("@CAPTURE_FILE@", capture.to_str().unwrap());
    std::fs::create_dir_all(dir.join("alsa")).unwrap();
    std::fs::write(dir.join("alsa/asoundrc"), config).unwrap();
    command.env("XDG_CONFIG_HOME", dir);
    capture
}

/// Seconds of sound (16-bit stereo 44.1 kHz frames louder than the noise floor) in a capture.
fn sounded_seconds(capture: &Path) -> f64 {
    let bytes = std::fs::read(capture).unwrap_or_default();
    let loud = bytes
        .chunks_exact(4)
        .filter(|f| {
            i16::from_le_bytes([f[0], f[1]]).unsigned_abs() > 32
                || i16::from_le_bytes([f[2], f[3]]).unsigned_abs() > 32
        })
        .count();
    loud as f64 / 44_100.0
}

#[tokio::test]
async fn speak_play_sounds_through_the_native_player_saved_or_streamed() {
    let sim = Simulator::start(SimConfig { chunk_interval_ms: 30, ..SimConfig::default() }).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    // 45 characters at the simulator's 15 per second: 3 s of speech.
    let text = "Every word of this sentence should be heard.";
    for streamed in [false, true] {
        let audio = tempfile::tempdir().unwrap();
        let mut command = tokenplan(home.path(), &sim, &key(&sim));
        command.args(["--json", "speak", text, "--play"]);
        if streamed {
            command.arg("--stream");
        }
        let capture = route_alsa(&mut command, audio.path());
        let (output, json) = run(command).await;
        assert!(output.status.success(), "{json}");
        assert_eq!(json["played"], true, "streamed {streamed}: {json}");
        let seconds = sounded_seconds(&capture);
        assert!((2.5..3.6).contains(&seconds), "streamed {streamed}: {seconds:.2} s of sound");
    }
}

/// `tokenplan image` with a host but no key flag or environment: only the app's saved key can serve.
fn keyless_image(home: &Path, sim: &Simulator) -> Command {
    let mut command = Command::new(BIN);
    command.env_remove("TOKENPLAN_HOME").env_remove("MINIMAX_API_KEY").args([
        "--home",
        home.to_str().unwrap(),
        "--api-host",
        &sim.base_url(),
        "--json",
        "image",
        "a fox",
    ]);
    command
}

#[tokio::test]
async fn without_a_key_flag_the_key_saved_by_the_app_is_used() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let (output, json) = run(keyless_image(home.path(), &sim)).await;
    assert!(!output.status.success(), "no key anywhere yet");
    assert_eq!(json["error"]["kind"], "invalidApiKey");
    assert!(json["error"]["message"].as_str().unwrap().contains("--api-key"), "{json}");

    studio_core::keys::KeyStore::file_only(home.path())
        .save(studio_core::storage::KeyKind::Plan, Some(&key(&sim)))
        .unwrap();
    let (output, json) = run(keyless_image(home.path(), &sim)).await;
    assert!(output.status.success(), "{json}");
    assert_eq!(json["job"]["keyKind"], "plan");
}

#[tokio::test]
async fn quota_correct_brings_the_window_to_the_servers_count_once() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    // Another tool on the same key spent 900 requests the ledger never saw.
    sim.state().charge(minimax_sim::state::KeyKind::TokenPlan, 900, false).unwrap();
    let quota = |correct: bool| {
        let mut command = tokenplan(home.path(), &sim, &key(&sim));
        command.args(["--json", "quota"]);
        if correct {
            command.arg("--correct");
        }
        run(command)
    };
    let (output, json) = quota(false).await;
    assert!(output.status.success(), "{json}");
    assert_eq!(json["used"], 0, "without --correct the ledger is only compared: {json}");
    assert_eq!(json["server"]["reconciliation"][0]["difference"], 900, "{json}");

    let (output, json) = quota(true).await;
    assert!(output.status.success(), "{json}");
    let correction = &json["server"]["correction"];
    assert_eq!(correction["outcome"], "corrected", "{json}");
    assert_eq!(correction["addedRequests"], 900, "{json}");
    assert_eq!(json["used"], 900, "the window holds what the server holds: {json}");
    let (output, json) = quota(true).await;
    assert!(output.status.success(), "{json}");
    assert_eq!(json["server"]["correction"]["outcome"], "agrees", "applied once: {json}");
    assert_eq!(json["used"], 900);
    let (library, _) = Library::open_at(home.path()).unwrap();
    let rows = library.spend_between(0, i64::MAX).unwrap();
    assert_eq!(rows.len(), 1, "one adjustment row: {rows:?}");
    assert_eq!((rows[0].job_id, rows[0].basis), (None, studio_core::storage::SpendBasis::Adjustment));

    // A plan that reports shares only cannot be corrected, and says so.
    sim.state().lock().config.plan_payload = minimax_sim::PlanPayload::UsagePercent;
    sim.state().charge(minimax_sim::state::KeyKind::TokenPlan, 450, false).unwrap();
    let (output, json) = quota(true).await;
    assert!(output.status.success(), "{json}");
    assert_eq!(json["server"]["correction"]["outcome"], "cannotTell", "{json}");
    assert!(json["server"]["correction"]["reason"].as_str().unwrap().contains("share"), "{json}");
    assert_eq!(json["used"], 900, "nothing written");
}

/// Makes a media file with ffmpeg (the test's own tool, never our code).
fn ffmpeg_make(args: &[&str], out: &Path) {
    let status = Command::new("ffmpeg")
        .args(["-loglevel", "error", "-y"])
        .args(args)
        .arg(out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg made {}", out.display());
}

#[tokio::test]
async fn h3_reference_videos_and_audios_are_measured_priced_checked_and_sent() {
    let sim = Simulator::start(SimConfig {
        plan_payload: minimax_sim::PlanPayload::MPlan,
        video_v2_task_ms: 300,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let media = tempfile::tempdir().unwrap();
    let (walk, voice, long) =
        (media.path().join("walk.mp4"), media.path().join("voice.mp3"), media.path().join("long.mp4"));
    let picture =
        ["-f", "lavfi", "-i", "color=c=teal:size=256x256:rate=24", "-pix_fmt", "yuv420p", "-b:v", "20k"];
    ffmpeg_make(&[&picture[..], &["-t", "4.2"]].concat(), &walk);
    ffmpeg_make(&[&picture[..], &["-t", "12"]].concat(), &long);
    ffmpeg_make(&["-f", "lavfi", "-i", "sine=frequency=300", "-t", "3", "-b:a", "16k"], &voice);
    let video = |extra: &[&Path], dry_run: bool| {
        let mut command = tokenplan(home.path(), &sim, &key(&sim));
        command.args([
            "--json",
            "video",
            "The hero walks as in video 1",
            "--model",
            "MiniMax-H3",
            "--duration",
            "4",
        ]);
        for path in extra {
            let flag = if path.extension().is_some_and(|e| e == "mp3") {
                "--reference-audio"
            } else {
                "--reference-video"
            };
            command.arg(flag).arg(path);
        }
        if dry_run {
            command.arg("--dry-run");
        }
        command
    };
    let v2_creates =
        |sim: &Simulator| sim.requests().into_iter().filter(|r| r.endpoint == "/v2/video_generation").count();

    // The dry run measures the files (ffprobe) and checks MiniMax's limits, sending nothing.
    let (output, json) = run(video(&[&walk, &voice], true)).await;
    assert!(output.status.success(), "{json}");
    // An audio alone, or more than 15 s of video, is refused before anything is sent.
    let (output, json) = run(video(&[&voice], true)).await;
    assert!(!output.status.success());
    assert!(
        json["error"]["message"].as_str().unwrap().contains("needs a reference image or video"),
        "{json}"
    );
    let (output, json) = run(video(&[&walk, &long], false)).await;
    assert!(!output.status.success());
    assert!(json["error"]["message"].as_str().unwrap().contains("16.2 s in all"), "{json}");
    assert_eq!(v2_creates(&sim), 0, "nothing refused is sent");

    let (output, json) = run(video(&[&walk, &voice], false)).await;
    assert!(output.status.success(), "{json}");
    assert_eq!(json["job"]["status"], "succeeded");
    assert_eq!(v2_creates(&sim), 1);
    let create = sim.requests().into_iter().find(|r| r.endpoint == "/v2/video_generation").unwrap();
    let body = create.body.expect("the create body is logged (small media)");
    let roles: Vec<&str> =
        body["content"].as_array().unwrap().iter().filter_map(|i| i["role"].as_str()).collect();
    assert_eq!(roles, ["reference_video", "reference_audio"]);
    assert!(body["content"][1]["video_url"]["url"].as_str().unwrap().starts_with("data:video/mp4;base64,"));
    assert!(body["content"][2]["audio_url"]["url"].as_str().unwrap().starts_with("data:audio/mpeg;base64,"));
    // The job names the library's copies, with their measured lengths, so a retry works when the originals move.
    let (library, _) = Library::open_at(home.path()).unwrap();
    let job = library.job_with_media(json["job"]["id"].as_i64().unwrap()).unwrap().job;
    let studio_core::request::JobParams::Request(studio_core::runner::GenerationRequest::Video(params)) =
        job.params
    else {
        panic!("a video request: {:?}", job.params)
    };
    let clip = &params.reference_videos.as_ref().expect("a reference video")[0];
    assert!(clip.path.contains("/inputs/") && Path::new(&clip.path).is_file(), "{clip:?}");
    assert!((4_150..=4_250).contains(&clip.duration_ms), "ffprobe's length: {clip:?}");
    assert_eq!(params.billed_duration_s(), 9, "4 s out + 4.2 s in, rounded up");
}

#[tokio::test]
async fn quota_speaks_the_detected_plans_unit() {
    let sim =
        Simulator::start(SimConfig { plan_payload: minimax_sim::PlanPayload::MPlan, ..SimConfig::default() })
            .await
            .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = tokenplan(home.path(), &sim, &key(&sim));
    command.args(["--json", "quota"]);
    let (output, json) = run(command).await;
    assert!(output.status.success(), "{json}");
    assert_eq!(json["unit"], "percent", "{json}");
    assert_eq!(json["plan"], "M Plan Explore", "{json}");
    let reads = sim.requests().iter().filter(|r| r.endpoint == "/v1/token_plan/remains").count();
    assert_eq!(reads, 1, "one read of the server's quota serves the view and the reconciliation");
    let windows: Vec<&str> =
        json["windows"].as_array().unwrap().iter().filter_map(|w| w["window"].as_str()).collect();
    assert_eq!(windows, ["5h", "weekly"]);

    // A dry run on the same key prices in the plan's unit: an H3 clip is a share of the weekly window.
    let mut command = tokenplan(home.path(), &sim, &key(&sim));
    command.args(["--json", "video", "A lighthouse", "--model", "MiniMax-H3", "--dry-run"]);
    let (output, json) = run(command).await;
    assert!(output.status.success(), "{json}");
    assert_eq!(
        (json["unit"].as_str(), json["windowName"].as_str()),
        (Some("percent"), Some("weekly")),
        "{json}"
    );
    assert!(json["costPercent"].as_f64().is_some_and(|p| p > 0.0), "{json}");

    let mut command = tokenplan(home.path(), &sim, &key(&sim));
    command.arg("quota");
    let output = tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("5-hour window: ") && text.contains("% left") && !text.contains("requests"),
        "{text}"
    );
}

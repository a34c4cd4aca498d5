//! The studio in the real app against minimax-sim: every composer from the form to a result on screen,
//! the over-budget dialog's three paths, a job that survives a restart, settings and keys that persist,
//! demo mode from a fresh data folder, and the error banners for a wrong key and a flagged prompt.

use std::time::Duration;

use minimax_sim::{Fault, FaultKind, Simulator};
use serde_json::{Value, json};
use studio_e2e::studio::{SIM_KEY, configure, sim_config};
use studio_e2e::{Result, TestEnv};

/// Jobs against the simulator finish in seconds; polling starts at 2 s and backs off.
const JOB_TIMEOUT: Duration = Duration::from_secs(40);

fn count(script_selector: &str) -> String {
    format!("return document.querySelectorAll('{script_selector}').length")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn speech_image_and_chat_from_form_to_result() -> Result<()> {
    let sim = Simulator::start(sim_config()).await?;
    let env = TestEnv::new("studio-compose-a")?;
    configure(&env, &sim.base_url(), json!({ "quotaOverride": 300_000 }), false)?;
    let app = env.launch().await?;

    // Speech: the cost follows the text, the take plays in the results.
    app.wait_for("speech-text").await?;
    app.type_into("speech-text", "Hello from the studio.").await?;
    // 22 characters of HD speech at 600 per 1,000, rounded up.
    app.wait_text_eq("generate-cost", "14 requests").await?;
    assert!(app.text("generate-line").await?.contains("Leaves"), "what remains is shown");
    app.screenshot("speech-costed").await?;
    app.click("generate").await?;
    app.wait_newest_job("succeeded", JOB_TIMEOUT).await?;
    app.wait_eq_for(&count("[data-testid=result-audio]"), json!(1), Duration::from_secs(10)).await?;
    // The result plays in the native mini-player (tests/tests/player.rs plays it through ALSA).
    let playable = "const a = document.querySelector('[data-testid=result-audio]'); \
                    return !!a.dataset.mediaId && !!a.querySelector('[data-testid=result-play]')";
    app.wait_eq_for(playable, json!(true), Duration::from_secs(10)).await?;
    app.screenshot("speech-done").await?;

    // Image: two images arrive as a grid.
    app.click("nav-image").await?;
    app.type_into("image-prompt", "A lighthouse at dawn").await?;
    app.select("image-count", "2").await?;
    app.wait_eq_for(
        "return document.querySelector('[data-testid=generate-cost]').textContent.trim()",
        json!("150 requests"),
        Duration::from_secs(5),
    )
    .await?;
    app.click("generate").await?;
    app.wait_newest_job("succeeded", JOB_TIMEOUT).await?;
    app.wait_eq_for(&count("[data-testid=result-images] img"), json!(2), Duration::from_secs(10)).await?;
    let loaded = "return Array.from(document.querySelectorAll('[data-testid=result-images] img')).every(i => i.complete && i.naturalWidth > 0)";
    app.wait_eq_for(loaded, json!(true), Duration::from_secs(10)).await?;
    app.screenshot("image-done").await?;

    // Chat: tokens stream into the reply, which can be sent on to Speech.
    app.click("nav-chat").await?;
    app.type_into("chat-message", "Write a one-line scene.").await?;
    app.wait_text_eq("chat-send-cost", "1 request").await?;
    app.click("chat-send").await?;
    let done = "const t = document.querySelector('[data-testid=chat-turn-assistant]'); return t ? t.dataset.state : null";
    app.wait_eq_for(done, json!("done"), JOB_TIMEOUT).await?;
    let reply = app.text("chat-turn-assistant").await?;
    assert!(reply.len() > 5, "the reply has text: {reply:?}");
    app.screenshot("chat-done").await?;
    app.click("send-to-speech").await?;
    let speech_text = app.eval("return document.querySelector('[data-testid=speech-text]').value").await?;
    assert!(!speech_text.as_str().unwrap_or_default().is_empty(), "the reply became speech text");

    app.quit().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn video_and_music_from_form_to_result() -> Result<()> {
    let sim = Simulator::start(sim_config()).await?;
    // A large window: a video (4,500) and a song (3,000) exceed the Plus quota together.
    let env = TestEnv::new("studio-compose-b")?;
    configure(&env, &sim.base_url(), json!({ "quotaOverride": 300_000 }), false)?;
    let app = env.launch().await?;
    app.wait_for("speech-text").await?;

    app.click("nav-video").await?;
    // MiniMax-H3 is the default (issue 17); Hailuo is one of the older models, with its camera moves.
    app.wait_eq_for(
        "return document.querySelector('[data-testid=video-model]')?.value ?? null",
        json!("MiniMax-H3"),
        Duration::from_secs(10),
    )
    .await?;
    app.select("video-model", "MiniMax-Hailuo-2.3").await?;
    app.wait_for("video-older").await?;
    app.type_into("video-prompt", "A paper boat drifts down a street ").await?;
    app.click("video-mode-text").await?;
    app.eval("document.querySelector('[aria-label=\"Camera moves\"] button').click(); return 1").await?;
    let prompt = app.eval("return document.querySelector('[data-testid=video-prompt]').value").await?;
    assert!(
        prompt.as_str().unwrap_or_default().contains("[Truck left]"),
        "the camera move was inserted: {prompt}"
    );
    app.wait_text_eq("generate-cost", "4,500 requests").await?;
    // Only documented pairs: 1080P is 6 s only.
    app.select("video-resolution", "1080P").await?;
    let durations = app.eval("return Array.from(document.querySelectorAll('[data-testid=video-duration] option')).map(o => o.value)").await?;
    assert_eq!(durations, json!(["6"]));
    app.select("video-resolution", "768P").await?;
    app.screenshot("video-form").await?;
    app.click("generate").await?;
    app.wait_newest_job("succeeded", JOB_TIMEOUT).await?;
    app.wait_eq_for(&count("[data-testid=result-video]"), json!(1), Duration::from_secs(10)).await?;
    let video_ready = "const v = document.querySelector('[data-testid=result-video]'); return v.readyState >= 1 || v.error !== null";
    app.wait_eq_for(video_ready, json!(true), Duration::from_secs(15)).await?;
    let video_error =
        app.eval("return document.querySelector('[data-testid=result-video]').error?.code ?? 0").await?;
    eprintln!("video element error code (0 = none): {video_error}");
    let frame = app.screenshot("video-done").await?;

    // Image→video with a first frame from a file outside the library: a pasted path is copied into the
    // library first (the file picker ends in the same import), so the job keeps working if the original goes.
    app.click("video-mode-image").await?;
    app.type_into("video-first-frame-url", &format!("{}\u{E007}", frame.display())).await?;
    app.wait_for("video-first-frame-imported").await?;
    let imported: Vec<_> = std::fs::read_dir(env.home().join("inputs"))?.collect::<std::io::Result<_>>()?;
    assert_eq!(imported.len(), 1, "one copy in the library's inputs folder");
    assert_eq!(std::fs::read(imported[0].path())?, std::fs::read(&frame)?);
    app.type_into("video-first-frame-url", "/nowhere/frame.txt\u{E007}").await?;
    let refused = app.wait_text("video-first-frame-error").await?;
    assert!(refused.contains("not a PNG, JPEG or WebP"), "{refused}");
    app.wait_for("video-first-frame-imported").await?;
    app.screenshot("video-frame-from-file").await?;
    app.click("generate").await?;
    let two_done = "return Array.from(document.querySelectorAll('[data-testid=job-card]')).filter(c => c.dataset.state === 'succeeded').length";
    app.wait_eq_for(two_done, json!(2), JOB_TIMEOUT).await?;
    let creates: Vec<_> =
        sim.requests().into_iter().filter(|r| r.endpoint == "/v1/video_generation").collect();
    assert_eq!(creates.len(), 2);
    assert_eq!(creates[1].validation_field, None, "the frame went out as a data URL the server accepted");

    app.click("nav-music").await?;
    // Music is live only once the key is known to have it: the probe (one lyrics job) tells (issue 17).
    app.wait_for("music-access").await?;
    app.click("music-access-check").await?;
    app.wait_eq_for(&count("[data-testid=music-prompt]"), json!(1), JOB_TIMEOUT).await?;
    app.type_into("music-prompt", "Warm indie folk, acoustic guitar").await?;
    // "Write lyrics for me" is a costed job whose text lands in the editor.
    app.wait_text_eq("write-lyrics-cost", "75 requests").await?;
    app.click("write-lyrics").await?;
    let has_lyrics = "return document.querySelector('[data-testid=music-lyrics]').value.length > 10";
    app.wait_eq_for(has_lyrics, json!(true), JOB_TIMEOUT).await?;
    app.wait_text_eq("generate-cost", "3,000 requests").await?;
    app.click("generate").await?;
    let song_done = "const c = Array.from(document.querySelectorAll('[data-testid=job-card]')).find(c => c.querySelector('[data-testid=result-audio]')); return !!c";
    app.wait_eq_for(song_done, json!(true), JOB_TIMEOUT).await?;
    app.screenshot("music-done").await?;

    app.quit().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_budget_offers_queue_pay_as_you_go_or_cancel() -> Result<()> {
    let sim = Simulator::start(sim_config()).await?;
    let env = TestEnv::new("studio-over-budget")?;
    // A 100-request window: one image (75) fits, a second does not until the first is released.
    configure(&env, &sim.base_url(), json!({ "quotaOverride": 100 }), true)?;
    let app = env.launch().await?;
    app.wait_for("speech-text").await?;
    app.click("nav-image").await?;
    app.type_into("image-prompt", "A red kite over the dunes").await?;
    app.wait_text_eq("generate-cost", "75 requests").await?;
    app.click("generate").await?;
    app.wait_newest_job("succeeded", JOB_TIMEOUT).await?;
    app.wait_eq_for(
        "return document.querySelector('[data-testid=quota-numbers]').textContent.trim()",
        json!("25 / 100 left"),
        Duration::from_secs(10),
    )
    .await?;

    // Over budget, the button offers to queue; the dialog has the three paths.
    let label = "return document.querySelector('[data-testid=generate]').textContent";
    app.wait_eq_for(&format!("{label}.includes('Queue until')"), json!(true), Duration::from_secs(10))
        .await?;
    app.click("generate").await?;
    app.wait_for("over-budget-dialog").await?;
    app.screenshot("over-budget-dialog").await?;
    app.click("over-budget-cancel").await?;
    app.wait_eq_for(&count("[data-testid=over-budget-dialog]"), json!(0), Duration::from_secs(5)).await?;
    app.wait_eq_for(&count("[data-testid=job-card]"), json!(1), Duration::from_secs(5)).await?;

    app.click("generate").await?;
    app.click("over-budget-queue").await?;
    app.wait_newest_job("waitingForQuota", Duration::from_secs(10)).await?;
    app.screenshot("queued").await?;

    app.click("generate").await?;
    app.click("over-budget-payg").await?;
    app.wait_eq_for(&count("[data-testid=job-card]"), json!(3), Duration::from_secs(10)).await?;
    app.wait_newest_job("succeeded", JOB_TIMEOUT).await?;
    let payg_tag =
        "return document.querySelector('[data-testid=job-card]').textContent.includes('pay-as-you-go')";
    assert_eq!(app.eval(payg_tag).await?, json!(true));
    // The queued job still waits for the window; the plan was not charged for the pay-as-you-go one.
    let states =
        "return Array.from(document.querySelectorAll('[data-testid=job-card]')).map(c => c.dataset.state)";
    assert_eq!(app.eval(states).await?, json!(["succeeded", "waitingForQuota", "succeeded"]));
    assert_eq!(app.text("quota-numbers").await?, "25 / 100 left");
    app.screenshot("three-paths").await?;
    app.quit().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_job_survives_an_app_restart() -> Result<()> {
    let sim = Simulator::start(minimax_sim::SimConfig { video_task_ms: 12_000, ..sim_config() }).await?;
    let env = TestEnv::new("studio-restart")?;
    configure(&env, &sim.base_url(), json!({}), false)?;
    let app = env.launch().await?;
    app.wait_for("speech-text").await?;
    app.click("nav-video").await?;
    // The V1 (Hailuo) task resumes here; MiniMax-H3's V2 resume is studio-core's runner journey.
    app.select("video-model", "MiniMax-Hailuo-2.3").await?;
    app.wait_for("video-older").await?;
    app.type_into("video-prompt", "Slow clouds over a mountain lake").await?;
    app.wait_text("generate-cost").await?;
    app.click("generate").await?;
    app.wait_newest_job("running", Duration::from_secs(10)).await?;
    // The task id is stored before the first poll; give the create call time to answer.
    tokio::time::sleep(Duration::from_secs(2)).await;
    app.screenshot("running-before-quit").await?;
    app.quit().await?;

    let app = env.launch().await?;
    app.wait_for("speech-text").await?;
    app.click("nav-jobs").await?;
    app.wait_for("jobs-screen").await?;
    app.wait_newest_job("succeeded", JOB_TIMEOUT).await?;
    let creates = sim.requests().iter().filter(|r| r.endpoint == "/v1/video_generation").count();
    assert_eq!(creates, 1, "the restart resumed polling the stored task instead of paying again");
    app.click("job-open").await?;
    app.wait_for("result-video").await?;
    app.screenshot("resumed-and-done").await?;
    app.quit().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_and_job_settings_persist_and_a_wrong_key_says_so() -> Result<()> {
    let sim = Simulator::start(sim_config()).await?;
    let env = TestEnv::new("studio-keys")?;
    configure(&env, &sim.base_url(), json!({}), false)?;
    std::fs::remove_file(env.home().join("keys.json"))?;
    let app = env.launch().await?;
    app.wait_for("welcome-screen").await?;
    app.screenshot("welcome-no-key").await?;
    app.click("add-key").await?;
    app.wait_for("settings-screen").await?;

    // A wrong key: checked without spending, refused with a banner that names the problem.
    app.type_into("key-plan-input", "sk-cp-not-a-real-key").await?;
    app.click("key-plan-check").await?;
    let banner = app.text("key-plan-error").await?;
    assert!(banner.contains("The key was refused"), "{banner}");
    app.screenshot("wrong-key").await?;

    app.type_into("key-plan-input", SIM_KEY).await?;
    app.click("key-plan-save").await?;
    let result = app.wait_text("key-plan-check-result").await?;
    assert!(result.contains("works"), "{result}");
    assert_eq!(app.text("key-plan-status").await?, "Saved in a private file (no keychain)");
    app.select("setting-concurrency", "2").await?;
    app.click("setting-notifications").await?;
    app.screenshot("keys-saved").await?;
    let keys_file = env.home().join("keys.json");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&keys_file)?.permissions());
    assert_eq!(mode & 0o777, 0o600, "the key file is private");
    app.quit().await?;

    let app = env.launch().await?;
    // With a key the app opens on a composer, not Welcome.
    app.wait_for("speech-text").await?;
    app.click("nav-settings").await?;
    assert_eq!(app.text("key-plan-status").await?, "Saved in a private file (no keychain)");
    let value = |id: &str| format!("return document.querySelector('[data-testid=\"{id}\"]').value");
    assert_eq!(app.eval(&value("setting-concurrency")).await?, "2");
    let checked = "return document.querySelector('[data-testid=setting-notifications]').checked";
    assert_eq!(app.eval(checked).await?, Value::Bool(true), "notifications were off and turned on");
    app.quit().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flagged_prompt_fails_with_a_content_banner() -> Result<()> {
    let sim = Simulator::start(sim_config()).await?;
    sim.arm(Fault { endpoint: "/v1/image_generation".into(), kind: FaultKind::ContentFlagged, times: 1 });
    let env = TestEnv::new("studio-flagged")?;
    configure(&env, &sim.base_url(), json!({}), false)?;
    let app = env.launch().await?;
    app.wait_for("speech-text").await?;
    app.click("nav-image").await?;
    app.type_into("image-prompt", "Something the moderation refuses").await?;
    app.wait_text("generate-cost").await?;
    app.click("generate").await?;
    app.wait_newest_job("failed", JOB_TIMEOUT).await?;
    let banner = app.text("job-error").await?;
    assert!(banner.contains("Content flagged"), "{banner}");
    app.wait_for("job-retry").await?;
    app.screenshot("flagged").await?;
    app.quit().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_from_a_fresh_data_folder() -> Result<()> {
    let env = TestEnv::new("studio-demo")?;
    let app = env.launch().await?;
    app.wait_for("welcome-screen").await?;
    app.click("try-demo").await?;
    app.wait_for("speech-text").await?;
    assert_eq!(app.text("demo-badge").await?, "Demo — nothing is billed");
    app.type_into("speech-text", "Trying the demo.").await?;
    app.wait_text_eq("generate-cost", "10 requests").await?;
    app.click("generate").await?;
    app.wait_newest_job("succeeded", JOB_TIMEOUT).await?;
    app.wait_for("result-audio").await?;
    let tagged = "return document.querySelector('[data-testid=job-card]').textContent.includes('demo')";
    assert_eq!(app.eval(tagged).await?, json!(true), "demo jobs are tagged");
    app.click("nav-jobs").await?;
    app.wait_for("jobs-screen").await?;
    assert_eq!(app.text("demo-badge").await?, "Demo — nothing is billed", "the badge stays on every screen");
    app.screenshot("demo").await?;
    app.quit().await?;

    // Demo mode is remembered: the next launch goes straight back to it, not to the welcome screen.
    let app = env.launch().await?;
    app.wait_for("speech-text").await?;
    assert_eq!(app.text("demo-badge").await?, "Demo — nothing is billed");
    assert_eq!(
        app.eval("return document.querySelector('[data-testid=welcome-screen]') === null").await?,
        json!(true)
    );
    // Its generations can be cleared (with an undo) from Settings.
    app.click("nav-settings").await?;
    app.click("demo-clear").await?;
    app.click("demo-clear-confirm").await?;
    let cleared = app.wait_text("demo-cleared").await?;
    assert!(cleared.starts_with("Moved 1 demo generation to the trash."), "{cleared}");
    app.screenshot("demo-cleared").await?;
    let media = std::fs::read_dir(env.home().join("media"))?.count();
    assert_eq!(media, 0, "the demo's files left the library");
    app.click("nav-library").await?;
    app.wait_for("library-empty").await?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_library_moves_to_a_chosen_storage_folder_at_the_next_start() -> Result<()> {
    let env = TestEnv::new("studio-storage")?;
    env.seed(3)?;
    // Inside the test's own temporary XDG folder, so it goes away with the test.
    let target = env.config_home().parent().expect("a parent").join("studio-storage-elsewhere");
    let app = env.launch().await?;
    app.click("nav-settings").await?;
    app.wait_text_eq("storage-current", &env.home().display().to_string()).await?;
    app.type_into("storage-folder", &target.display().to_string()).await?;
    app.click("storage-apply").await?;
    app.click("storage-move").await?;
    let pending = app.wait_text("storage-pending").await?;
    assert!(pending.contains("studio-storage-elsewhere"), "{pending}");
    app.screenshot("storage-pending").await?;
    app.quit().await?;

    let app = env.launch().await?;
    app.click("nav-settings").await?;
    app.wait_text_eq("storage-current", &target.display().to_string()).await?;
    assert!(target.join("library.sqlite3").exists() && target.join("media").read_dir()?.count() >= 3);
    assert!(!env.home().join("library.sqlite3").exists(), "moved, not copied");
    assert!(
        env.home().join("logs").is_dir() && !target.join("logs").exists(),
        "logs (like settings) stay home"
    );
    app.click("nav-library").await?;
    let cards = "return document.querySelectorAll('[data-testid=library-item]').length";
    app.wait_eq_for(cards, json!(3), Duration::from_secs(10)).await?;
    app.quit().await
}

/// Makes a media file with ffmpeg (the test's tool, not our code).
fn ffmpeg_make(args: &[&str], out: &std::path::Path) -> Result<()> {
    let status = std::process::Command::new("ffmpeg")
        .args(["-loglevel", "error", "-y"])
        .args(args)
        .arg(out)
        .status()?;
    assert!(status.success(), "ffmpeg made {}", out.display());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h3_reference_video_and_audio_from_form_to_result() -> Result<()> {
    let sim = Simulator::start(minimax_sim::SimConfig {
        plan_payload: minimax_sim::PlanPayload::MPlan,
        video_v2_task_ms: 2_000,
        ..sim_config()
    })
    .await?;
    let env = TestEnv::new("studio-h3-references")?;
    configure(&env, &sim.base_url(), json!({}), false)?;
    let media = tempfile::tempdir()?;
    let (walk, voice) = (media.path().join("Walk cycle.mp4"), media.path().join("voice.mp3"));
    ffmpeg_make(
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=320x256:rate=24",
            "-t",
            "4.2",
            "-pix_fmt",
            "yuv420p",
            "-b:v",
            "20k",
        ],
        &walk,
    )?;
    ffmpeg_make(&["-f", "lavfi", "-i", "sine=frequency=300", "-t", "3", "-b:a", "16k"], &voice)?;
    let app = env.launch().await?;
    app.wait_for("speech-text").await?;
    app.click("nav-video").await?;
    app.click("video-mode-reference").await?;
    app.type_into(
        "video-prompt",
        "The hero walks as in reference video 1, in the voice of reference audio 1",
    )
    .await?;

    // A pasted path is measured (ffprobe in the app) and copied into the library; the length shows.
    app.type_into("video-reference-videos-path", &format!("{}\u{E007}", walk.display())).await?;
    let clip_reads = |id: &str, name: &str, length: &str| {
        format!(
            "const c = document.querySelector('[data-testid={id}-clip]'); \
             return !!c && c.textContent.includes('{name}') && c.textContent.includes('{length}')"
        )
    };
    let shown = clip_reads("video-reference-videos", "Walk-cycle.mp4", "4.2 s");
    app.wait_true("the reference video with its length", &shown, Duration::from_secs(15)).await?;
    app.type_into("video-reference-audios-path", &format!("{}\u{E007}", voice.display())).await?;
    let shown = clip_reads("video-reference-audios", "voice.mp3", "3 s");
    app.wait_true("the reference audio with its length", &shown, Duration::from_secs(15)).await?;
    // A file MiniMax would refuse is refused with the reason, and nothing is added.
    app.type_into("video-reference-audios-path", &format!("{}\u{E007}", walk.display())).await?;
    let refused = app.wait_text("video-reference-audios-error").await?;
    assert!(refused.contains("is not WAV or MP3"), "{refused}");
    let inputs = std::fs::read_dir(env.home().join("inputs"))?.count();
    assert_eq!(inputs, 2, "the two clips were copied into the library, the refused one was not");
    app.screenshot("video-reference-clips").await?;

    app.click("generate").await?;
    app.wait_newest_job("succeeded", JOB_TIMEOUT).await?;
    let create = sim
        .requests()
        .into_iter()
        .find(|r| r.endpoint == "/v2/video_generation")
        .ok_or("the H3 create call was made")?;
    let body = create.body.ok_or("the create body is logged (small media)")?;
    let roles: Vec<&str> =
        body["content"].as_array().ok_or("content")?.iter().filter_map(|i| i["role"].as_str()).collect();
    assert_eq!(roles, ["reference_video", "reference_audio"]);
    app.quit().await?;
    sim.shutdown().await;
    Ok(())
}

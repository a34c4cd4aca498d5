//! The voice workspace in the real window against minimax-sim (issue 18): one line auditioned in three
//! voices lands in the grid with durations, two takes are compared A/B through the native player (the ALSA
//! capture holds what was played, and a switch changes the heard take), one take is starred (kept in the
//! library), a voice is designed from a description and given to a film's character, which the library keeps;
//! once that voice is deleted, the character and her line are flagged and nothing is sent for them.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use minimax_sim::Simulator;
use serde_json::{Value, json};
use studio_core::Library;
use studio_e2e::audio::{capture_stats, route_alsa_to_file};
use studio_e2e::studio::{configure, sim_config};
use studio_e2e::{App, Result, TestEnv, tokenplan_binary};

/// Previews and designs against the simulator finish in seconds; polling starts at 2 s.
const JOB_TIMEOUT: Duration = Duration::from_secs(40);

const LINE: &str = "The tide turns at midnight, and so do we.";

/// A film with one character and one line of theirs, as the JSON shot list `tokenplan film import` reads.
const FILM: &str = r#"{
  "format": "tokenplan-film/1",
  "title": "Tide",
  "cast": [{ "name": "Mara", "voice": "English_Graceful_Lady" }],
  "shots": [{ "description": "A harbour at night", "characters": ["Mara"],
              "lines": [{ "speaker": "Mara", "text": "The tide turns at midnight." }] }]
}"#;

fn count(selector: &str) -> String {
    format!("return document.querySelectorAll('{selector}').length")
}

/// Runs `tokenplan --home HOME --json ARGS…` and returns its JSON document.
fn tokenplan(home: &Path, args: &[&str]) -> Result<Value> {
    let out = Command::new(tokenplan_binary()?)
        .arg("--home")
        .arg(home)
        .arg("--json")
        .args(args)
        .stdin(Stdio::null())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "tokenplan {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

fn written_at(capture: &Path) -> SystemTime {
    std::fs::metadata(capture).and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The mini-player's status and track id.
const PLAYER: &str = "const p = document.querySelector('[data-testid=\"mini-player\"]');
    return p ? {status: p.dataset.status, track: p.dataset.trackId} : null";

/// The mini-player's track id.
const PLAYER_TRACK: &str =
    "return document.querySelector('[data-testid=\"mini-player\"]')?.dataset.trackId ?? null";

/// Waits until the player plays (or played) `track` and the capture, rewritten after `since`, holds sound.
async fn wait_heard(app: &App<'_>, capture: &Path, since: SystemTime, track: &str) -> Result<usize> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let player = app.eval(PLAYER).await?;
        let status = player["status"].as_str().unwrap_or_default();
        let played = capture_stats(capture)?.non_silent_frames;
        if (status == "playing" || status == "ended")
            && player["track"] == json!(track)
            && played > 5_000
            && written_at(capture) > since
        {
            return Ok(played);
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("player {player}, {played} non-silent frames, wanted {track}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audition_compare_star_design_and_cast_a_voice() -> Result<()> {
    let sim = Simulator::start(sim_config()).await?;
    let env = TestEnv::new("voices")?;
    configure(&env, &sim.base_url(), json!({ "quotaOverride": 300_000 }), false)?;
    let capture = env.home().join("played.raw");
    route_alsa_to_file(&env.config_home(), &capture)?;
    let film_file = env.home().join("tide.json");
    std::fs::write(&film_file, FILM)?;
    let imported = tokenplan(env.home(), &["film", "import", &film_file.display().to_string()])?;
    let film_id = imported["id"].as_i64().ok_or_else(|| format!("no film id in {imported}"))?;
    let app = env.launch().await?;

    // Audition: one line in three voices, costed before the click, lands in the grid as three takes.
    app.click("nav-voices").await?;
    app.wait_for("voices-screen").await?;
    app.wait_true("the voice list", &format!("{} >= 3", count("[data-testid=voice-row]")), JOB_TIMEOUT)
        .await?;
    let picked = app
        .eval(
            "const rows = [...document.querySelectorAll('[data-testid=\"voice-row\"]')].slice(0, 3);
             rows.forEach((r) => r.querySelector('[data-testid=\"voice-pick\"]').click());
             return rows.map((r) => r.dataset.voice)",
        )
        .await?;
    let voices: Vec<String> =
        picked.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect();
    assert_eq!(voices.len(), 3, "three voices picked: {picked}");
    app.type_into("audition-line", LINE).await?;
    let cost = app.wait_text("audition-cost").await?;
    assert!(cost.contains("request"), "the audition's cost is shown before the click: {cost:?}");
    app.screenshot("audition-costed").await?;
    app.click("audition-run").await?;
    let all_done = "const rows = [...document.querySelectorAll('[data-testid=\"audition-take\"]')];
         return rows.length === 3 && rows.every((r) => !!r.dataset.mediaId)";
    app.wait_true("three takes with their audio", all_done, JOB_TIMEOUT).await?;
    let rows = app
        .eval(
            "return [...document.querySelectorAll('[data-testid=\"audition-take\"]')].map((r) => ({
               voice: r.querySelector('.id').textContent.trim(),
               job: Number(r.dataset.jobId), media: r.dataset.mediaId,
               duration: r.querySelector('[data-testid=\"take-duration\"]').textContent.trim() }))",
        )
        .await?;
    let rows = rows.as_array().cloned().unwrap_or_default();
    let mut seen: Vec<String> = rows.iter().filter_map(|r| r["voice"].as_str().map(str::to_owned)).collect();
    seen.sort();
    let mut wanted = voices.clone();
    wanted.sort();
    assert_eq!(seen, wanted, "one take per picked voice: {rows:?}");
    for row in &rows {
        let duration = row["duration"].as_str().unwrap_or_default();
        assert!(duration.contains(':') && duration != "0:00", "each take shows its length: {row}");
    }
    app.screenshot("audition-grid").await?;

    // Star one take: the grid shows it and the library keeps it.
    let starred_job = rows[0]["job"].as_i64().ok_or("a take's job id")?;
    app.eval("document.querySelector('[data-testid=\"take-star\"]').click(); return 1").await?;
    app.wait_true("the first take starred",
        "return document.querySelector('[data-testid=\"take-star\"]').getAttribute('aria-pressed') === 'true'",
        Duration::from_secs(10),
    )
    .await?;
    let library = Library::open_read_only_at(env.home())?;
    assert!(library.take_starred(starred_job)?, "take {starred_job} is starred in the library");
    let second_job = rows[1]["job"].as_i64().ok_or("a take's job id")?;
    assert!(!library.take_starred(second_job)?, "only the starred take is");

    // A/B: the first two takes compared through the native player, then switched at the same position.
    let (a, b) =
        (rows[0]["media"].as_str().unwrap_or_default(), rows[1]["media"].as_str().unwrap_or_default());
    app.eval(
        "const boxes = document.querySelectorAll('[data-testid=\"take-compare\"]');
         boxes[0].click(); boxes[1].click(); return 1",
    )
    .await?;
    let before = written_at(&capture);
    tokio::time::sleep(Duration::from_millis(20)).await;
    app.click("compare-start").await?;
    app.wait_for("compare-bar").await?;
    let heard_a = wait_heard(&app, &capture, before, a).await?;
    let pressed = "return [...document.querySelectorAll('[data-testid=\"compare-take\"]')].map((b) => b.getAttribute('aria-pressed'))";
    assert_eq!(app.eval(pressed).await?, json!(["true", "false"]), "take A is heard first");
    app.screenshot("compare-a").await?;
    let before = written_at(&capture);
    tokio::time::sleep(Duration::from_millis(20)).await;
    app.eval("document.querySelectorAll('[data-testid=\"compare-take\"]')[1].click(); return 1").await?;
    app.wait_true("take B marked as heard",
        "const b = document.querySelectorAll('[data-testid=\"compare-take\"]'); return b[1].getAttribute('aria-pressed') === 'true'",
        Duration::from_secs(10),
    )
    .await?;
    // The capture device is not paced in real time, so A had already ended: the switch marks B as the take
    // heard, and Space (outside a field) plays the comparison again from there — now B.
    app.wait_until_eq(PLAYER_TRACK, json!(b)).await?;
    app.eval(
        "document.activeElement && document.activeElement.blur();
         document.body.dispatchEvent(new KeyboardEvent('keydown', {key: ' ', bubbles: true})); return 1",
    )
    .await?;
    let heard_b = wait_heard(&app, &capture, before, b).await?;
    eprintln!("compare: {heard_a} non-silent frames for A, {heard_b} after switching to B");
    app.screenshot("compare-b").await?;

    // Design: a description, the cost first, then the voice, kept in the library under its name.
    app.click("voices-tab-design").await?;
    app.type_into("design-description", "A warm, low female narrator with a slight rasp, late-night radio")
        .await?;
    app.type_into("design-name", "Night Radio").await?;
    app.wait_for("design-cost").await?;
    app.screenshot("design-costed").await?;
    app.click("design-run").await?;
    app.wait_for("design-made").await?;
    let library = Library::open_read_only_at(env.home())?;
    let designed = library
        .custom_voices(false)?
        .into_iter()
        .find(|v| v.name == "Night Radio")
        .ok_or("the designed voice is in the library")?;
    let voice_id = designed.voice_id.clone();
    app.click("voices-tab-mine").await?;
    let ready = format!(
        "const v = document.querySelector('[data-testid=\"custom-voice\"][data-voice=\"{voice_id}\"]');
         return !!v && v.textContent.includes('Night Radio') && !!v.querySelector('[data-testid=\"custom-expires\"]')"
    );
    app.wait_true("the designed voice under My voices, ready, with its expiry", &ready, JOB_TIMEOUT).await?;
    app.screenshot("designed").await?;

    // Cast it: the film's character takes the designed voice; the panel tells when it expires if unused.
    app.click("nav-film").await?;
    app.click("film-item").await?;
    app.wait_for("film-workspace").await?;
    app.click("cast-member").await?;
    app.wait_for("cast-panel").await?;
    app.wait_true("the designed voice offered to the character",
        &format!("return [...document.querySelectorAll('[data-testid=\"cast-voice\"] option')].some((o) => o.value === '{voice_id}')"),
        JOB_TIMEOUT,
    )
    .await?;
    app.select("cast-voice", &voice_id).await?;
    app.wait_true(
        "the cast panel shows the voice and its expiry",
        &format!(
            "const s = document.querySelector('[data-testid=\"cast-voice\"]');
             const note = document.querySelector('[data-testid=\"cast-voice-status\"]');
             return s.value === '{voice_id}' && !!note && note.dataset.status === 'available'"
        ),
        Duration::from_secs(10),
    )
    .await?;
    assert_eq!(
        app.eval(&count("[data-testid=cast-voice-flag]")).await?,
        json!(0),
        "a live voice is not flagged"
    );
    app.screenshot("cast-designed-voice").await?;
    let shown = tokenplan(env.home(), &["film", "show", &film_id.to_string()])?;
    assert_eq!(
        shown["cast"][0]["voice"],
        json!(voice_id),
        "the library keeps the character's voice: {shown}"
    );
    assert_eq!(shown["cast"][0]["name"], json!("Mara"));

    // The voice deleted in the workspace: back in the film, the character and her line say so, and "Voice
    // all lines" has nothing it may send — before anything is spent.
    app.click("nav-voices").await?;
    app.click("voices-tab-mine").await?;
    app.eval(&format!(
        "document.querySelector('[data-testid=\"custom-voice\"][data-voice=\"{voice_id}\"] .actions button[aria-label^=\"Delete\"]').click(); return 1"
    ))
    .await?;
    let deleted = format!(
        "const v = document.querySelector('[data-testid=\"custom-voice\"][data-voice=\"{voice_id}\"]');
         return !!v && !v.querySelector('[data-testid=\"custom-expires\"]')"
    );
    app.wait_true("the voice deleted", &deleted, JOB_TIMEOUT).await?;
    let library = Library::open_read_only_at(env.home())?;
    let gone = library.custom_voice(&voice_id)?.ok_or("the voice's record stays")?;
    assert!(gone.deleted_at_ms.is_some(), "the library marks it deleted: {gone:?}");
    app.click("nav-film").await?;
    app.wait_for("film-workspace").await?;
    app.wait_for("cast-voice-flag").await?;
    app.wait_text_eq("stage-lines-cost", "1 not ready").await?;
    if app.eval(&count("[data-testid=cast-panel]")).await? == json!(0) {
        app.click("cast-member").await?;
    }
    let status = app.wait_text("cast-voice-status").await?;
    assert!(status.starts_with("This voice was deleted on"), "the character says why: {status}");
    app.eval("document.querySelector('[data-testid=\"shot-card\"] button').click(); return 1").await?;
    let problem = app.wait_text("line-voice-problem").await?;
    assert_eq!(problem, format!("Mara's voice {voice_id} was deleted: choose another in the cast panel"));
    assert_eq!(
        app.eval("return document.querySelector('[data-testid=\"stage-lines\"]').disabled").await?,
        json!(true),
        "nothing to send"
    );
    let queued = Library::open_read_only_at(env.home())?.unfinished_jobs()?;
    assert!(queued.is_empty(), "nothing was queued for her line: {queued:?}");
    app.screenshot("cast-voice-deleted").await?;

    app.quit().await?;
    sim.shutdown().await;
    Ok(())
}

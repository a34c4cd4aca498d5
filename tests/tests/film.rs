//! Films in the real window (issues 15 and 16), in demo mode (the app's built-in minimax-sim): Welcome's
//! "Start a film" drafts a film from an idea (the simulator answers drafts deterministically), "Make keyframes"
//! fills the storyboard and the budget follows, another take is made and chosen; the animatic renders and its
//! `<video>` reaches `playing` with its time advancing; the film is exported and the MP4 checked with ffprobe.
//! A second journey opens the demo film "Paper Boat" and looks at every new screen in dark and 简体中文.

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};
use studio_e2e::{App, Result, TestEnv};

/// Demo jobs finish in seconds (images at once, speech in ~2 s); polling backs off from 2 s.
const JOB_TIMEOUT: Duration = Duration::from_secs(60);
/// ffmpeg under a loaded 2-core machine.
const RENDER_TIMEOUT: Duration = Duration::from_secs(180);

fn count(selector: &str) -> String {
    format!("return document.querySelectorAll('{selector}').length")
}

/// Every storyboard card's keyframe slot state.
const KEYFRAME_STATES: &str =
    "return [...document.querySelectorAll('[data-testid=\"shot-card\"]')].map(c => c.dataset.keyframe)";

/// A budget row's remaining and paid requests.
async fn budget_row(app: &App<'_>, stage: &str) -> Result<(u64, u64)> {
    let row = app
        .eval(&format!(
            "const r = document.querySelector('[data-testid=\"budget-{stage}\"]');
             return r ? [Number(r.dataset.requests), Number(r.dataset.paid)] : null"
        ))
        .await?;
    let pair = row.as_array().ok_or_else(|| format!("no budget row for {stage}"))?;
    Ok((pair[0].as_u64().unwrap_or(u64::MAX), pair[1].as_u64().unwrap_or(u64::MAX)))
}

/// Changes settings the way the Settings screen does (the frame follows `settings-changed`).
async fn set_appearance(app: &App<'_>, theme: &str, language: &str) -> Result<()> {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const invoke = window.__TAURI_INTERNALS__.invoke;
         invoke('get_settings').then((s) => invoke('update_settings', {{ settings: {{ ...s, theme: '{theme}', language: '{language}' }} }}))
           .then(() => done(true), (e) => done(String(e)));"
    );
    let done = app.eval_async(&script).await?;
    assert_eq!(done, json!(true), "settings saved: {done}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    Ok(())
}

fn ffprobe(path: &std::path::Path) -> Result<Value> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_streams", "-show_format", "-of", "json"])
        .arg(path)
        .output()?;
    if !out.status.success() {
        return Err(format!("ffprobe {}: {}", path.display(), String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft_make_keyframes_choose_play_the_animatic_and_export() -> Result<()> {
    let env = TestEnv::new("film-journey")?;
    let app = env.launch().await?;

    // Welcome offers "Start a film" beside the demo and the key; "From an idea" starts demo mode first.
    app.wait_for("welcome-film").await?;
    app.screenshot("welcome").await?;
    app.click("welcome-film-idea").await?;
    app.wait_for("film-draft-dialog").await?;
    assert_eq!(app.text("demo-badge").await?, "Demo — nothing is billed");
    app.type_into("film-draft-idea", "A paper boat races the rain down a city street to the sea").await?;
    app.wait_text_eq("film-draft-cost", "1 request").await?;
    app.screenshot("draft-dialog").await?;
    app.click("film-draft-go").await?;

    // The simulator's shot list becomes a storyboard with nothing made yet, costed before any spend.
    app.wait_for("film-workspace").await?;
    app.wait_eq_for(&count("[data-testid=shot-card]"), json!(6), JOB_TIMEOUT).await?;
    let states = app.eval(KEYFRAME_STATES).await?;
    assert!(states.as_array().is_some_and(|s| s.iter().all(|x| x == "empty")), "{states}");
    app.wait_true(
        "budget shown",
        "return !!document.querySelector('[data-testid=\"budget-keyframes\"]')",
        Duration::from_secs(10),
    )
    .await?;
    let (keyframes_left, keyframes_paid) = budget_row(&app, "keyframes").await?;
    assert_eq!((keyframes_left, keyframes_paid), (6 * 75, 0), "six keyframes of image-01 to make, none paid");
    let total_before = app.text("budget-total").await?;
    app.wait_text_eq("stage-keyframes-cost", "450 requests").await?;
    app.screenshot("storyboard-drafted").await?;

    // Make keyframes: six ordinary jobs; the cards fill in, the stage is paid and its chip says so.
    app.click("stage-keyframes").await?;
    let all_chosen = "const s = [...document.querySelectorAll('[data-testid=\"shot-card\"]')].map(c => c.dataset.keyframe);
         return s.length === 6 && s.every(x => x === 'chosen')";
    app.wait_true("every keyframe chosen", all_chosen, JOB_TIMEOUT).await?;
    app.wait_true(
        "thumbnails painted",
        "const imgs = [...document.querySelectorAll('[data-testid=\"shot-card\"] img')];
         return imgs.length === 6 && imgs.every(i => i.complete && i.naturalWidth > 0)",
        Duration::from_secs(20),
    )
    .await?;
    app.wait_true(
        "the budget follows",
        "const r = document.querySelector('[data-testid=\"budget-keyframes\"]');
         return r.dataset.requests === '0' && r.dataset.paid === '450'",
        Duration::from_secs(15),
    )
    .await?;
    assert_ne!(app.text("budget-total").await?, total_before, "what is left to spend went down");
    assert!(app.text("budget-keyframes").await?.contains('✓'), "keyframes marked paid");
    app.wait_text_eq("stage-keyframes-cost", "all made").await?;
    app.screenshot("keyframes-made").await?;

    // Choose a take: make another keyframe for shot 1 (its cost on the button), then choose it.
    app.eval("document.querySelector('[data-testid=\"shot-card\"] button').click(); return 1").await?;
    app.wait_for("shot-panel").await?;
    app.wait_text_eq("shot-make-keyframe-cost", "75 requests").await?;
    app.click("shot-make-keyframe").await?;
    let takes = "[data-testid=keyframe-takes] [data-testid=take][data-state=succeeded]";
    app.wait_eq_for(&count(takes), json!(2), JOB_TIMEOUT).await?;
    let chosen =
        "return document.querySelector('[data-testid=keyframe-takes] [data-chosen=true]').dataset.takeId";
    let before = app.eval(chosen).await?;
    app.click("take-choose").await?;
    app.wait_true(
        "the other take chosen",
        &format!(
            "const c = document.querySelector('[data-testid=keyframe-takes] [data-chosen=true]');
             return !!c && c.dataset.takeId !== {before}"
        ),
        Duration::from_secs(10),
    )
    .await?;
    let (_, paid) = budget_row(&app, "keyframes").await?;
    assert_eq!(paid, 525, "the second take is paid too");
    app.screenshot("take-chosen").await?;

    // The animatic: rendered with progress, then a <video> from the media server that plays.
    app.click("film-animatic").await?;
    app.wait_for("animatic-player").await?;
    app.wait_for("animatic-video").await?;
    let played = app
        .eval_async_within(
            RENDER_TIMEOUT,
            "const done = arguments[arguments.length - 1];
             const v = document.querySelector('[data-testid=\"animatic-video\"]');
             v.muted = true;
             let playing = false;
             v.addEventListener('playing', () => { playing = true; });
             v.play().catch((e) => done({error: String(e)}));
             const start = Date.now();
             (function poll() {
               if (playing && v.currentTime > 0.5) return done({playing, time: v.currentTime, duration: v.duration});
               if (Date.now() - start > 15000) return done({playing, time: v.currentTime, error: v.error && v.error.message, state: v.readyState});
               setTimeout(poll, 100);
             })();",
        )
        .await?;
    assert_eq!(played["playing"], true, "the animatic reached playing: {played}");
    assert!(played["time"].as_f64().unwrap_or(0.0) > 0.5, "its time advanced: {played}");
    assert_eq!(
        app.eval(&count("[data-testid=timeline-shot]")).await?,
        json!(6),
        "the timeline shows the shots"
    );
    app.screenshot("animatic-playing").await?;
    // Scrubbing the timeline selects the shot under the playhead.
    app.eval(
        "const v = document.querySelector('[data-testid=\"animatic-video\"]'); v.pause();
         const t = document.querySelector('[data-testid=\"film-timeline\"]');
         const r = t.getBoundingClientRect();
         t.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: r.left + r.width * 0.99, clientY: r.top + 5}));
         return 1",
    )
    .await?;
    app.wait_true(
        "the last shot selected",
        "const cards = document.querySelectorAll('[data-testid=\"shot-card\"]');
         return cards[cards.length - 1].classList.contains('selected')",
        Duration::from_secs(5),
    )
    .await?;

    // Export: options, a folder for a copy, progress, then where the files are.
    let out = env.home().join("exports-e2e");
    std::fs::create_dir_all(&out)?;
    app.click("film-export").await?;
    app.wait_for("film-export-dialog").await?;
    app.type_into("film-export-dest", &out.display().to_string()).await?;
    app.screenshot("export-dialog").await?;
    app.click("film-export-start").await?;
    let deadline = tokio::time::Instant::now() + RENDER_TIMEOUT;
    loop {
        if app.eval(&count("[data-testid=film-export-done]")).await? == json!(1) {
            break;
        }
        let failed = app
            .eval("const e = document.querySelector('[data-testid=\"film-export-error\"]'); return e ? e.textContent : null")
            .await?;
        assert!(failed.is_null(), "export failed: {failed}");
        assert!(tokio::time::Instant::now() < deadline, "export did not finish");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    app.screenshot("export-done").await?;
    let copied = app.text("film-export-path").await?;
    let mp4 = std::path::PathBuf::from(copied.trim());
    assert!(mp4.starts_with(&out) && mp4.is_file(), "the copy is where asked: {}", mp4.display());
    let library_copy = env.home().join(app.text("film-export-library-path").await?.trim());
    assert!(library_copy.is_file(), "the Library keeps its own copy: {}", library_copy.display());
    let probe = ffprobe(&mp4)?;
    let streams: Vec<&str> = probe["streams"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["codec_type"].as_str()).collect())
        .unwrap_or_default();
    assert!(streams.contains(&"video"), "a video stream: {streams:?}");
    let duration: f64 = probe["format"]["duration"].as_str().and_then(|d| d.parse().ok()).unwrap_or(0.0);
    assert!(duration > 10.0, "the film's length: {duration} s");
    eprintln!("exported {} ({duration:.2} s, streams {streams:?})", mp4.display());
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_film_in_dark_and_chinese() -> Result<()> {
    let env = TestEnv::new("film-screens")?;
    let app = env.launch().await?;
    app.wait_for("welcome-film").await?;
    set_appearance(&app, "dark", "zh-CN").await?;
    app.screenshot("welcome-dark-zh").await?;
    app.click("welcome-film-demo").await?;
    app.wait_for("film-workspace").await?;
    let title = app.eval("return document.querySelector('[data-testid=\"film-title\"]').value").await?;
    assert_eq!(title, json!("Paper Boat"));
    app.wait_for("budget-total").await?;
    app.wait_text("stage-keyframes-cost").await?;
    let nav =
        app.eval("return document.querySelector('[data-testid=\"nav-film\"]').textContent.trim()").await?;
    assert_eq!(nav, json!("短片"), "the sidebar speaks Chinese");
    app.screenshot("storyboard-dark-zh").await?;

    // Keyboard: arrows move the selection, Enter opens the shot.
    app.eval("document.querySelector('[data-testid=\"shot-card\"] button').focus(); return 1").await?;
    app.eval(
        "const b = document.querySelector('[data-testid=\"storyboard\"]');
         b.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
         return 1",
    )
    .await?;
    app.wait_true(
        "second shot selected",
        "return document.querySelectorAll('[data-testid=\"shot-card\"]')[1].classList.contains('selected')",
        Duration::from_secs(5),
    )
    .await?;
    app.eval(
        "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); return 1",
    )
    .await?;
    app.wait_for("shot-panel").await?;
    app.screenshot("shot-panel-dark-zh").await?;

    app.click("cast-member").await?;
    app.wait_for("cast-panel").await?;
    app.screenshot("cast-panel-dark-zh").await?;

    app.click("film-delete").await?;
    app.wait_for("film-delete-dialog").await?;
    app.screenshot("delete-dialog-dark-zh").await?;
    app.eval("document.querySelector('[data-testid=\"film-delete-dialog\"] .btn-ghost').click(); return 1")
        .await?;

    // Light and English again: the list with its poster-less film, and the shot panel in light.
    set_appearance(&app, "light", "en").await?;
    app.screenshot("cast-panel-light").await?;
    app.click("film-back").await?;
    app.wait_for("film-item").await?;
    app.screenshot("film-list-light").await?;
    app.quit().await?;
    Ok(())
}

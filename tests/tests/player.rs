//! Speech made in the app (demo mode: the built-in minimax-sim) plays in the native player: the mini-player
//! shows its state and the ALSA capture holds the sound. Streamed speech plays as it arrives.

use std::path::Path;
use std::time::{Duration, SystemTime};

use studio_e2e::audio::{capture_stats, route_alsa_to_file};
use studio_e2e::{App, Result, TestEnv, UI_TIMEOUT};

const PLAYER: &str = "const p = document.querySelector('[data-testid=\"mini-player\"]');
    return p ? {status: p.dataset.status, track: p.dataset.trackId} : null";

/// When the capture file was last written (ALSA's file device rewrites it from the start each time the
/// player opens the device, so a replay shows as a newer file, not as more frames).
fn written_at(capture: &Path) -> SystemTime {
    std::fs::metadata(capture).and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Waits until the mini-player shows a track accepted by `track` that is playing or played, and the capture,
/// written after `since`, holds more than `frames` non-silent frames. Returns the track id.
async fn wait_played(
    app: &App<'_>,
    capture: &Path,
    since: SystemTime,
    frames: usize,
    track: impl Fn(&str) -> bool,
) -> Result<String> {
    let deadline = tokio::time::Instant::now() + UI_TIMEOUT * 2;
    loop {
        let player = app.eval(PLAYER).await?;
        let status = player["status"].as_str().unwrap_or_default().to_owned();
        let id = player["track"].as_str().unwrap_or_default().to_owned();
        let played = capture_stats(capture)?.non_silent_frames;
        if (status == "playing" || status == "ended")
            && track(&id)
            && played > frames
            && written_at(capture) > since
        {
            return Ok(id);
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("player {player}, {played} non-silent frames (wanted > {frames})").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn speech_generated_in_the_app_plays_in_the_mini_player() -> Result<()> {
    let env = TestEnv::new("player-speech")?;
    let capture = env.home().join("played.raw");
    route_alsa_to_file(&env.config_home(), &capture)?;
    let app = env.launch().await?;
    app.click("try-demo").await?;
    app.type_text("speech-text", "The lighthouse keeper counts the ships at dawn.").await?;
    app.click("generate").await?;
    app.click("result-play").await?;
    let id =
        wait_played(&app, &capture, SystemTime::UNIX_EPOCH, 5_000, |id| id.parse::<u64>().is_ok()).await?;
    app.wait_until_eq(
        "return document.querySelector('[data-testid=\"player-scrubber\"] svg') !== null",
        serde_json::json!(true),
    )
    .await?;
    app.screenshot("played").await?;
    let title =
        app.eval("return document.querySelector('[data-testid=\"player-title\"]').textContent").await?;
    assert_eq!(title, "The lighthouse keeper counts the ships at dawn.");

    // Space toggles from anywhere but a text field; the state comes back from Rust. Pressed once the take has
    // ended, it plays it again (pressed in its last milliseconds it would race the end: a pause of nothing).
    app.wait_until_eq(
        "return document.querySelector('[data-testid=\"mini-player\"]')?.dataset.status ?? null",
        serde_json::json!("ended"),
    )
    .await?;
    app.eval("document.activeElement && document.activeElement.blur()").await?;
    let before = written_at(&capture);
    tokio::time::sleep(Duration::from_millis(20)).await;
    app.eval("document.body.dispatchEvent(new KeyboardEvent('keydown', {key: ' ', bubbles: true}))").await?;
    wait_played(&app, &capture, before, 5_000, |t| t == id).await?;

    // Streamed: the chunks play as they arrive, before the file exists.
    app.click("speech-delivery-stream").await?;
    let before = written_at(&capture);
    app.click("generate").await?;
    wait_played(&app, &capture, before, 5_000, |t| t.starts_with("stream-")).await?;
    app.screenshot("streamed").await?;
    app.quit().await
}

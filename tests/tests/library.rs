//! The Library in the real app over a seeded library (`tokenplan seed`): search, every filter, the windowed
//! grid and list, the detail panel; audio in the native player (ALSA capture), video from the media server
//! reaching `playing`, image zoom; delete with undo; export with sidecars.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use studio_e2e::audio::{capture_stats, route_alsa_to_file};
use studio_e2e::{App, Result, TestEnv, UI_TIMEOUT};

/// The rendered items: id, modality, prompt, created, cost.
const ITEMS: &str = "return [...document.querySelectorAll('[data-testid=\"library-item\"]')].map(e => ({
    id: Number(e.dataset.id), modality: e.dataset.modality, label: e.getAttribute('aria-label'),
    created: Number(e.dataset.created), cost: Number(e.dataset.cost) }))";

/// How many items the list has loaded (not only those in the DOM).
const LOADED: &str = "return Number(document.querySelector('[data-testid=\"library-grid\"]').dataset.loaded)";

async fn items(app: &App<'_>) -> Result<Vec<Value>> {
    Ok(app.eval(ITEMS).await?.as_array().cloned().unwrap_or_default())
}

/// Waits until the rendered items are not empty and all pass `check`; returns them.
async fn wait_items(app: &App<'_>, what: &str, check: impl Fn(&Value) -> bool) -> Result<Vec<Value>> {
    let deadline = tokio::time::Instant::now() + UI_TIMEOUT;
    loop {
        let now = items(app).await?;
        if !now.is_empty() && now.iter().all(&check) {
            return Ok(now);
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("{what}: items never matched: {now:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn open_library(app: &App<'_>) -> Result<()> {
    app.click("nav-library").await?;
    app.wait_for("library-grid").await?;
    Ok(())
}

/// Sets a `<select>` or `<input>` by test id the way a user's change arrives (input + change events).
async fn set_value(app: &App<'_>, id: &str, value: &str) -> Result<()> {
    let script = format!(
        "const e = document.querySelector('[data-testid=\"{id}\"]'); e.value = {value:?};
         e.dispatchEvent(new Event('input', {{bubbles: true}})); e.dispatchEvent(new Event('change', {{bubbles: true}}));"
    );
    app.eval(&script).await?;
    Ok(())
}

fn media_files(home: &Path, id: u64) -> Vec<std::path::PathBuf> {
    let prefix = format!("{id}-");
    std::fs::read_dir(home.join("media"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                    name.starts_with(&prefix) && !name.contains(".peaks-")
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn search_and_every_filter_narrow_the_library() -> Result<()> {
    let env = TestEnv::new("library-filters")?;
    env.seed(300)?;
    let app = env.launch().await?;
    open_library(&app).await?;
    let all = wait_items(&app, "first screen", |_| true).await?;
    let rendered: u64 = app
        .eval("return Number(document.querySelector('[data-testid=\"library-grid\"]').dataset.rendered)")
        .await?
        .as_u64()
        .unwrap_or(0);
    assert!(rendered < 100, "only the rows in view are in the DOM, not all 300: {rendered}");
    assert!(all.len() as u64 == rendered);
    app.screenshot("grid").await?;

    // Search: the word being typed is a prefix ("lighth" finds "lighthouse").
    app.type_text("library-search", "lighth").await?;
    let found =
        wait_items(&app, "search", |i| i["label"].as_str().unwrap_or_default().contains("lighthouse"))
            .await?;
    assert!(found.len() < all.len() || found.len() < 300);
    app.screenshot("search").await?;
    app.click("filter-clear").await?;

    for modality in ["image", "video", "speech", "music"] {
        app.click(&format!("filter-modality-{modality}")).await?;
        wait_items(&app, modality, |i| i["modality"] == modality).await?;
    }
    app.click("filter-modality-all").await?;
    set_value(&app, "filter-model", "image-01").await?;
    wait_items(&app, "model", |i| i["modality"] == "image").await?;
    set_value(&app, "filter-model", "").await?;

    // Every seeded item succeeded and is a demo: the other values leave nothing, with a teaching empty state.
    set_value(&app, "filter-status", "failed").await?;
    app.wait_for("library-empty").await?;
    set_value(&app, "filter-status", "succeeded").await?;
    wait_items(&app, "status", |_| true).await?;
    set_value(&app, "filter-demo", "real").await?;
    app.wait_for("library-empty").await?;
    // WebKitWebDriver's snapshot hangs in this state (see App::screenshot); the X server's picture does not.
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.x_screenshot("no-match")?;
    set_value(&app, "filter-demo", "demo").await?;
    wait_items(&app, "demo", |_| true).await?;

    // Dates: from ten days ago (seeds spread over 90 days).
    let from = app.eval("const d = new Date(Date.now() - 10 * 86400000); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0')").await?;
    let from = from.as_str().unwrap_or_default().to_owned();
    set_value(&app, "filter-from", &from).await?;
    let cutoff = app
        .eval(&format!(
            "return new Date({}, {}, {}).getTime()",
            &from[0..4],
            from[5..7].parse::<u32>()? - 1,
            &from[8..10]
        ))
        .await?
        .as_f64()
        .unwrap_or(0.0);
    wait_items(&app, "from date", |i| i["created"].as_f64().unwrap_or(0.0) >= cutoff).await?;
    let loaded = app.eval(LOADED).await?.as_u64().unwrap_or(0);
    assert!((10..100).contains(&loaded), "about ten days of ninety (~33 of 300): {loaded}");
    app.click("filter-clear").await?;

    set_value(&app, "library-sort", "cost").await?;
    let deadline = tokio::time::Instant::now() + UI_TIMEOUT;
    loop {
        let costs: Vec<i64> = items(&app).await?.iter().map(|i| i["cost"].as_i64().unwrap_or(-1)).collect();
        // Video (4,500 requests) is the dearest seeded kind.
        if costs.first() == Some(&4_500) && costs.windows(2).all(|w| w[0] >= w[1]) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "most requests first: {costs:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    app.click("view-list").await?;
    app.wait_until_eq(
        "return document.querySelector('[data-testid=\"library-grid\"]').dataset.mode",
        json!("list"),
    )
    .await?;
    app.screenshot("list").await?;
    app.quit().await
}

#[tokio::test]
async fn audio_video_and_images_play_from_the_library() -> Result<()> {
    let env = TestEnv::new("library-media")?;
    let capture = env.home().join("played.raw");
    route_alsa_to_file(&env.config_home(), &capture)?;
    env.seed(60)?;
    let app = env.launch().await?;
    open_library(&app).await?;

    // Audio: the native player plays it; the UI shows its state; the device received sound.
    app.click("filter-modality-speech").await?;
    wait_items(&app, "speech", |i| i["modality"] == "speech").await?;
    app.click("library-item").await?;
    app.click("detail-play").await?;
    app.wait_for("mini-player").await?;
    let status = "return document.querySelector('[data-testid=\"mini-player\"]').dataset.status";
    let deadline = tokio::time::Instant::now() + UI_TIMEOUT;
    loop {
        let now = app.eval(status).await?;
        let played = capture_stats(&capture)?.non_silent_frames;
        if (now == "playing" || now == "ended") && played > 10_000 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "player {now}, {played} non-silent frames");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.wait_for("detail-waveform").await?;
    app.screenshot("audio").await?;

    // Video: served over loopback HTTP, it reaches `playing` and its time advances.
    app.click("filter-modality-video").await?;
    wait_items(&app, "video", |i| i["modality"] == "video").await?;
    app.click("library-item").await?;
    app.wait_for("detail-video").await?;
    let played = app
        .eval_async(
            "const done = arguments[arguments.length - 1];
             const v = document.querySelector('[data-testid=\"detail-video\"]');
             v.muted = true; v.loop = true;
             let playing = false;
             v.addEventListener('playing', () => { playing = true; });
             v.play().catch((e) => done({error: String(e)}));
             const start = Date.now();
             (function poll() {
               if (playing && v.currentTime > 0.2) return done({playing, time: v.currentTime});
               if (Date.now() - start > 12000) return done({playing, time: v.currentTime, error: v.error && v.error.message, state: v.readyState});
               setTimeout(poll, 100);
             })();",
        )
        .await?;
    assert_eq!(played["playing"], true, "the video reached playing: {played}");
    assert!(played["time"].as_f64().unwrap_or(0.0) > 0.2, "its time advanced: {played}");
    app.screenshot("video").await?;

    // Images: thumbnails from Rust in the grid, full size with zoom in the viewer.
    app.click("filter-modality-image").await?;
    wait_items(&app, "image", |i| i["modality"] == "image").await?;
    app.wait_until_eq(
        "const i = document.querySelector('[data-testid=\"library-thumb\"]'); return !!i && i.complete && i.naturalWidth > 0",
        json!(true),
    )
    .await?;
    app.click("library-item").await?;
    app.wait_until_eq(
        "const i = document.querySelector('[data-testid=\"detail-image\"] img'); return !!i && i.complete && i.naturalWidth > 0",
        json!(true),
    )
    .await?;
    app.click("detail-image").await?;
    app.wait_for("image-viewer").await?;
    app.click("zoom-in").await?;
    assert_eq!(app.text("zoom-level").await?, "150%");
    app.screenshot("zoom").await?;
    app.quit().await
}

#[tokio::test]
async fn delete_with_undo_and_export_with_sidecars() -> Result<()> {
    let env = TestEnv::new("library-delete-export")?;
    env.seed(30)?;
    let app = env.launch().await?;
    open_library(&app).await?;
    let shown = wait_items(&app, "first screen", |_| true).await?;
    let ids: Vec<u64> = shown.iter().take(2).map(|i| i["id"].as_u64().unwrap_or(0)).collect();
    let select = |n: usize| {
        format!(
            "document.querySelectorAll('[data-testid=\"library-item\"] [data-testid=\"library-select\"]')[{n}].click()"
        )
    };
    app.eval(&select(0)).await?;
    app.eval(&select(1)).await?;
    app.wait_for("library-selection").await?;
    let files: Vec<_> = ids.iter().flat_map(|id| media_files(env.home(), *id)).collect();
    assert_eq!(files.len(), 2, "each seeded item has one file: {files:?}");

    app.click("selection-delete").await?;
    app.wait_for("undo-toast").await?;
    assert!(files.iter().all(|f| !f.exists()), "the files left the media folder");
    let after = items(&app).await?;
    assert!(after.iter().all(|i| !ids.contains(&i["id"].as_u64().unwrap_or(0))), "the rows are gone");
    app.screenshot("deleted").await?;

    app.click("undo-button").await?;
    let deadline = tokio::time::Instant::now() + UI_TIMEOUT;
    while !files.iter().all(|f| f.exists()) {
        assert!(tokio::time::Instant::now() < deadline, "undo put the files back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let deadline = tokio::time::Instant::now() + UI_TIMEOUT;
    loop {
        let restored = items(&app).await?;
        if ids.iter().all(|id| restored.iter().any(|i| i["id"].as_u64() == Some(*id))) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{ids:?} are back in the list: {restored:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Export the same two: files plus a JSON sidecar each.
    let dest = env.home().join("exported");
    app.eval(&select(0)).await?;
    app.eval(&select(1)).await?;
    app.click("selection-export").await?;
    app.wait_for("export-dialog").await?;
    set_value(&app, "export-folder", &dest.display().to_string()).await?;
    app.screenshot("export").await?;
    app.click("export-run").await?;
    app.wait_for("export-done").await?;
    for id in &ids {
        let sidecar: Value = serde_json::from_slice(&std::fs::read(dest.join(format!("{id}.json")))?)?;
        assert_eq!(sidecar["job"]["id"].as_u64(), Some(*id));
        let name = sidecar["files"][0]["name"].as_str().unwrap_or_default().to_owned();
        assert!(dest.join(&name).is_file(), "{name} was exported");
    }
    app.quit().await
}

#[tokio::test]
async fn an_empty_library_teaches_in_both_languages() -> Result<()> {
    let env = TestEnv::new("library-empty")?;
    let app = env.launch().await?;
    open_library(&app).await?;
    let empty = app.wait_for("library-empty").await?;
    let text = studio_e2e::bounded("empty text", || empty.text()).await?;
    assert!(text.contains("Everything you make lands here"), "{text}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.x_screenshot("empty")?;

    app.click("nav-settings").await?;
    app.click("language-option-zh-CN").await?;
    app.click("nav-library").await?;
    app.wait_until_eq(
        "return document.querySelector('[data-testid=\"screen-title\"]').textContent",
        json!("资料库"),
    )
    .await?;
    app.wait_until_eq(
        "return document.querySelector('[data-testid=\"library-empty\"] h2').textContent",
        json!("你生成的一切都会出现在这里"),
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.x_screenshot("empty-zh-CN")?;
    // Back to English so the last screenshot (taken through WebDriver) is of a screen it can take.
    app.click("nav-settings").await?;
    app.click("language-option-en").await?;
    app.wait_for("settings-screen").await?;
    app.quit().await
}

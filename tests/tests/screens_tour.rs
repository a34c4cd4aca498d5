//! A tour of the main screens in demo mode over a seeded library, in English and in Chinese — a smoke test of
//! each screen, and the source of the README's and the guide's screenshots: with
//! `TOKENPLAN_DOCS_SCREENSHOTS=1` (`make screenshots`) they are written to `docs/screenshots/` as well.

use std::path::Path;

use serde_json::json;
use studio_e2e::{App, Result, TestEnv, workspace_root};

/// Copies a screenshot into docs/screenshots/ when asked to.
fn publish(shot: &Path, name: &str) -> Result<()> {
    if std::env::var_os("TOKENPLAN_DOCS_SCREENSHOTS").is_some_and(|v| v == "1") {
        let dir = workspace_root().join("docs/screenshots");
        std::fs::create_dir_all(&dir)?;
        std::fs::copy(shot, dir.join(format!("{name}.png")))?;
    }
    Ok(())
}

async fn visit(app: &App<'_>, screen: &str, ready: &str, name: &str) -> Result<()> {
    app.click(&format!("nav-{screen}")).await?;
    app.wait_for(ready).await?;
    // Thumbnails and charts arrive just after the screen: a moment for them to draw.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let shot = app.screenshot(name).await?;
    publish(&shot, name)
}

#[tokio::test]
async fn the_main_screens_in_demo_mode() -> Result<()> {
    let env = TestEnv::new("tour")?;
    env.seed(40)?;
    let app = env.launch().await?;
    app.wait_for("welcome-screen").await?;
    let shot = app.screenshot("welcome").await?;
    publish(&shot, "welcome")?;
    app.click("try-demo").await?;
    app.type_text("speech-text", "The lighthouse keeper counts the ships at dawn.").await?;
    app.click("generate").await?;
    app.wait_for("result-play").await?;
    let shot = app.screenshot("speech").await?;
    publish(&shot, "speech")?;
    visit(&app, "video", "video-prompt", "video").await?;
    visit(&app, "library", "library-screen", "library").await?;
    visit(&app, "spend", "spend-screen", "spend").await?;
    visit(&app, "jobs", "jobs-screen", "jobs").await?;
    visit(&app, "voices", "voices-screen", "voices").await?;

    // A film: the short demo film, its keyframes made (demo mode), the storyboard with its pictures.
    app.click("nav-film").await?;
    app.click("film-demo").await?;
    app.wait_for("film-workspace").await?;
    app.wait_for("budget-total").await?;
    app.click("stage-keyframes").await?;
    app.wait_eq_for(
        "const cards = [...document.querySelectorAll('[data-testid=\"shot-card\"]')];
         return cards.length > 0 && cards.every(c => c.dataset.keyframe === 'chosen'
           && c.querySelector('img') && c.querySelector('img').complete && c.querySelector('img').naturalWidth > 0)",
        json!(true),
        std::time::Duration::from_secs(90),
    )
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let shot = app.screenshot("film").await?;
    publish(&shot, "film")?;

    // The same frame in Chinese: the palette's words too.
    app.click("nav-settings").await?;
    app.click("language-option-zh-CN").await?;
    app.wait_until_eq("return document.documentElement.lang", json!("zh-CN")).await?;
    app.eval(
        "window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }))",
    )
    .await?;
    app.wait_for("command-palette").await?;
    let shot = app.screenshot("palette-zh").await?;
    publish(&shot, "palette-zh-CN")?;
    app.quit().await
}

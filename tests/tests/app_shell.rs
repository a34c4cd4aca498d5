//! The app window: the frame, theme and language, settings that survive a restart, one instance,
//! remembered geometry, and a locked-down webview.

use std::time::Duration;

use serde_json::{Value, json};
use studio_e2e::{Result, TestEnv};

const HTML_THEME: &str = "return document.documentElement.dataset.theme";
const HTML_LANG: &str = "return document.documentElement.lang";

#[tokio::test]
async fn the_window_opens_with_the_frame() -> Result<()> {
    let env = TestEnv::new("frame")?;
    let app = env.launch().await?;
    assert_eq!(app.client().title().await?, "Token Plan Studio");
    // With no key the app opens on Welcome ("Try the demo"); Settings is one click away.
    for part in ["sidebar", "topbar", "nav-settings", "welcome-screen"] {
        app.wait_for(part).await?;
    }
    assert_eq!(app.text("screen-title").await?, "Welcome");
    app.click("nav-settings").await?;
    app.wait_for("settings-screen").await?;
    assert_eq!(app.text("screen-title").await?, "Settings");
    let data_dir = app.text("about-data-dir").await?;
    assert_eq!(data_dir, env.home().display().to_string(), "the app uses TOKENPLAN_HOME");
    // The system theme is used until the user overrides it.
    let theme = app.eval(HTML_THEME).await?;
    assert!(theme == "light" || theme == "dark", "effective theme on <html>: {theme}");
    app.screenshot("frame").await?;
    app.quit().await
}

#[tokio::test]
async fn theme_and_language_switch_live() -> Result<()> {
    let env = TestEnv::new("theme-language")?;
    let app = env.launch().await?;
    app.click("nav-settings").await?;
    app.wait_for("settings-screen").await?;

    app.click("theme-option-dark").await?;
    app.wait_until_eq(HTML_THEME, json!("dark")).await?;
    let background = "return getComputedStyle(document.body).backgroundColor";
    let dark_bg = app.eval(background).await?;
    app.screenshot("dark").await?;

    app.click("theme-option-light").await?;
    app.wait_until_eq(HTML_THEME, json!("light")).await?;
    assert_ne!(app.eval(background).await?, dark_bg, "the page really changes colour");

    app.click("language-option-zh-CN").await?;
    app.wait_until_eq(HTML_LANG, json!("zh-CN")).await?;
    assert_eq!(app.text("screen-title").await?, "设置");
    app.screenshot("zh-CN").await?;

    app.click("language-option-en").await?;
    app.wait_until_eq(HTML_LANG, json!("en")).await?;
    assert_eq!(app.text("screen-title").await?, "Settings");
    app.quit().await
}

#[tokio::test]
async fn settings_survive_a_restart() -> Result<()> {
    let env = TestEnv::new("restart")?;
    let app = env.launch().await?;
    app.click("nav-settings").await?;
    app.wait_for("settings-screen").await?;
    app.click("theme-option-dark").await?;
    app.click("language-option-zh-CN").await?;
    app.select("setting-region", "mainland").await?;
    app.select("setting-plan", "maxHighspeed").await?;
    // Each change is saved by Rust before the UI hears back; wait for the file to say so.
    let settings_file = env.home().join("settings.json");
    let saved = wait_for_file_json(&settings_file, |v| {
        v["settings"]["plan"] == "maxHighspeed" && v["settings"]["region"]["kind"] == "mainland"
    })
    .await?;
    assert_eq!(saved["settings"]["theme"], "dark");
    assert_eq!(saved["settings"]["language"], "zh-CN");
    app.quit().await?;

    let app = env.launch().await?;
    app.click("nav-settings").await?;
    app.wait_for("settings-screen").await?;
    app.wait_until_eq(HTML_THEME, json!("dark")).await?;
    app.wait_until_eq(HTML_LANG, json!("zh-CN")).await?;
    let selected = |id: &str| format!("return document.querySelector('[data-testid=\"{id}\"]').value");
    assert_eq!(app.eval(&selected("setting-region")).await?, "mainland");
    assert_eq!(app.eval(&selected("setting-plan")).await?, "maxHighspeed");
    app.screenshot("after-restart").await?;
    app.quit().await
}

#[tokio::test]
async fn a_second_launch_hands_over_to_the_running_window() -> Result<()> {
    let env = TestEnv::new("single-instance")?;
    let app = env.launch().await?;
    let mut second = env.app_command()?.spawn()?;
    let status = wait_exit(&mut second, Duration::from_secs(15)).await?;
    assert!(status.success(), "the second instance exits cleanly: {status}");
    // The first instance is untouched and still answers.
    assert_eq!(app.text("screen-title").await?, "Welcome");
    app.quit().await
}

#[tokio::test]
async fn window_size_is_remembered() -> Result<()> {
    let env = TestEnv::new("window-state")?;
    let app = env.launch().await?;
    // Resize at the X level, as a user dragging the border (through the window manager) would; again
    // until it sticks, because GTK may still apply its own first size just after the window appears.
    let deadline = tokio::time::Instant::now() + studio_e2e::UI_TIMEOUT;
    while window_size(&env)? != (1100, 720) {
        let resized = std::process::Command::new("xdotool")
            .env("DISPLAY", env.display())
            .args(["search", "--sync", "--name", "^Token Plan Studio$", "windowsize", "1100", "720"])
            .status()?;
        assert!(resized.success(), "xdotool could not resize the window");
        assert!(tokio::time::Instant::now() < deadline, "the window never took the new size");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // Saved shortly after the window settles, so even a killed app keeps it. Wait for the size we set: the
    // file may already hold the first size (saved when the window appeared), and quitting before the new
    // one is written would make the next start open at the old size.
    let saved = wait_for_file_json(&env.home().join("window-state.json"), |v| {
        v["main"]["width"].as_u64() == Some(1100) && v["main"]["height"].as_u64() == Some(720)
    })
    .await?;
    assert_eq!(saved["main"]["width"].as_u64(), Some(1100), "geometry in the data folder: {saved}");
    app.quit().await?;

    let app = env.launch().await?;
    wait_for_size(&env, (1100, 720)).await?;
    app.quit().await
}

/// The app window's size as the X server sees it (through xdotool).
fn window_size(env: &TestEnv) -> Result<(u64, u64)> {
    let out = std::process::Command::new("xdotool")
        .env("DISPLAY", env.display())
        .args(["search", "--name", "^Token Plan Studio$", "getwindowgeometry", "--shell"])
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| -> u64 {
        text.lines().find_map(|l| l.strip_prefix(name)?.parse().ok()).unwrap_or_default()
    };
    Ok((field("WIDTH="), field("HEIGHT=")))
}

/// Polls the window size until it is `expected`; fails with the last size seen.
async fn wait_for_size(env: &TestEnv, expected: (u64, u64)) -> Result<()> {
    let deadline = tokio::time::Instant::now() + studio_e2e::UI_TIMEOUT;
    loop {
        let (width, height) = window_size(env)?;
        if (width, height) == expected {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("window is {width}x{height}, expected {expected:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_webview_only_reaches_granted_commands() -> Result<()> {
    let env = TestEnv::new("capabilities")?;
    let app = env.launch().await?;
    let call = |cmd: &str, args: Value| {
        format!(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke({cmd:?}, {args})
               .then(() => done('allowed'), (e) => done('refused: ' + String(e)));"
        )
    };
    let granted = app.eval_async(&call("get_app_info", json!({}))).await?;
    assert_eq!(granted, "allowed");
    for (cmd, args) in [
        ("plugin:store|load", json!({"path": "/tmp/x.json"})),
        ("plugin:window|close", json!({"label": "main"})),
        ("plugin:window-state|save_window_state", json!({"flags": 63})),
    ] {
        let outcome = app.eval_async(&call(cmd, args)).await?;
        let outcome = outcome.as_str().unwrap_or_default().to_owned();
        assert!(outcome.starts_with("refused"), "{cmd} must not be callable from the UI: {outcome}");
    }
    // The CSP forbids evaluating strings as code.
    let eval = app.eval("try { return String(eval('1 + 1')); } catch (e) { return 'blocked'; }").await?;
    assert_eq!(eval, "blocked");
    app.quit().await
}

/// What the webview may ask for is checked in Rust, not trusted to the UI: an image input outside the
/// library and a plain-http host to another computer are refused, whoever sends them.
#[tokio::test]
async fn injected_calls_cannot_send_a_file_or_the_key_elsewhere() -> Result<()> {
    let env = TestEnv::new("injected-calls")?;
    let app = env.launch().await?;
    let call = |cmd: &str, args: String| {
        format!(
            "const done = arguments[arguments.length - 1];
             const internals = window.__TAURI_INTERNALS__;
             const channel = '__CHANNEL__:' + internals.transformCallback(() => {{}});
             const args = {args};
             internals.invoke({cmd:?}, args)
               .then((v) => done('allowed: ' + JSON.stringify(v)), (e) => done('refused: ' + JSON.stringify(e)));"
        )
    };
    let video = json!({
        "kind": "video", "model": "MiniMax-Hailuo-2.3", "prompt": "a lighthouse",
        "firstFrame": {"source": "file", "path": "/etc/passwd"}
    });
    let submit = format!("{{ request: {video}, keyKind: 'plan', play: false, onOutput: channel }}");
    let outcome = app.eval_async(&call("submit_job", submit)).await?;
    let outcome = outcome.as_str().unwrap_or_default().to_owned();
    assert!(outcome.starts_with("refused"), "/etc/passwd as a first frame: {outcome}");
    assert!(outcome.contains("invalidInput") && outcome.contains("outside the library"), "{outcome}");
    let jobs = app.eval_async(&call("list_jobs", "{ filter: {}, after: null, limit: 10 }".into())).await?;
    assert!(jobs.as_str().unwrap_or_default().contains("\"jobs\":[]"), "nothing was saved: {jobs}");

    let settings = |host: &str, confirmed: bool| {
        format!(
            "{{ settings: {{ region: {{ kind: 'custom', host: {host:?} }}, plan: 'plus', quotaOverride: null, \
               language: 'system', theme: 'system', notifications: false, concurrency: null }}{} }}",
            if confirmed { ", customHostConfirmed: true" } else { "" }
        )
    };
    for (host, confirmed, why) in [
        ("http://192.0.2.7:8080", true, "unencrypted"),
        ("http://example.com", true, "unencrypted"),
        ("https://proxy.example.com", false, "confirm this host"),
    ] {
        let outcome = app.eval_async(&call("update_settings", settings(host, confirmed))).await?;
        let outcome = outcome.as_str().unwrap_or_default().to_owned();
        assert!(outcome.starts_with("refused") && outcome.contains(why), "{host}: {outcome}");
    }
    let saved = std::fs::read_to_string(env.home().join("settings.json")).unwrap_or_default();
    assert!(!saved.contains("192.0.2.7") && !saved.contains("example.com"), "nothing was saved: {saved}");
    app.quit().await
}

/// A library whose database is not a database opens on the recovery screen (not an exit); starting a new
/// library keeps the old file, renamed aside, and the app goes on to its frame.
#[tokio::test]
async fn a_damaged_library_opens_the_recovery_screen() -> Result<()> {
    let env = TestEnv::new("recovery")?;
    std::fs::write(env.home().join("library.sqlite3"), vec![0x5A_u8; 16 * 1024])?;
    let app = env.launch_showing("recovery-screen").await?;
    let problem = app.text("recovery-problem").await?;
    assert!(problem.contains("not a database"), "{problem}");
    app.x_screenshot("recovery-screen")?;
    app.click("recovery-start-new").await?;
    app.wait_for("welcome-screen").await?;
    let kept: Vec<String> = std::fs::read_dir(env.home())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("library-damaged-") && name.ends_with(".sqlite3"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept aside");
    assert_eq!(std::fs::read(env.home().join(&kept[0]))?, vec![0x5A_u8; 16 * 1024]);
    app.quit().await
}

async fn wait_for_file_json(path: &std::path::Path, done: impl Fn(&Value) -> bool) -> Result<Value> {
    let deadline = tokio::time::Instant::now() + studio_e2e::UI_TIMEOUT;
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && let Ok(value) = serde_json::from_str::<Value>(&text)
            && done(&value)
        {
            return Ok(value);
        }
        if tokio::time::Instant::now() > deadline {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            return Err(format!("{} never reached the expected state: {text}", path.display()).into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_exit(child: &mut std::process::Child, timeout: Duration) -> Result<std::process::ExitStatus> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if tokio::time::Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!("the second instance was still running after {timeout:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

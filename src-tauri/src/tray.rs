//! The system-tray icon: what remains in the window and when the next requests are released, with open,
//! pause queue and quit. Refreshed after every job change and every half minute (the release countdown).

use std::time::Duration;

use studio_core::quota::WindowSummary;
use studio_core::runner::{Clock, Runner, SystemClock};
use studio_core::settings::Language;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

/// The tray's menu lines that change.
struct TrayLines {
    remaining: MenuItem<Wry>,
    release: MenuItem<Wry>,
}

/// Words of the tray in the UI's language.
struct Words {
    open: &'static str,
    pause: &'static str,
    quit: &'static str,
}

fn chinese(language: Language) -> bool {
    match language {
        Language::SimplifiedChinese => true,
        Language::English => false,
        Language::System => std::env::var("LANG").is_ok_and(|l| l.starts_with("zh")),
    }
}

fn words(language: Language) -> Words {
    if chinese(language) {
        Words { open: "打开 Token Plan Studio", pause: "暂停队列", quit: "退出" }
    } else {
        Words { open: "Open Token Plan Studio", pause: "Pause queue", quit: "Quit" }
    }
}

/// `1,234`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `2 h 05 min`, `12 min`, `<1 min`.
fn span(ms: i64, zh: bool) -> String {
    let minutes = ms.max(0) / 60_000;
    match (minutes / 60, minutes % 60, zh) {
        (0, 0, false) => "<1 min".into(),
        (0, 0, true) => "不到 1 分钟".into(),
        (0, m, false) => format!("{m} min"),
        (0, m, true) => format!("{m} 分钟"),
        (h, m, false) => format!("{h} h {m:02} min"),
        (h, m, true) => format!("{h} 小时 {m:02} 分钟"),
    }
}

/// The two changing lines: what remains, and the next release.
fn lines(window: &WindowSummary, now_ms: i64, language: Language) -> (String, String) {
    let zh = chinese(language);
    let remaining = if zh {
        format!("剩余 {} / {} 次请求", thousands(window.remaining), thousands(window.quota))
    } else {
        format!("{} of {} requests left", thousands(window.remaining), thousands(window.quota))
    };
    let release = match window.next_release_at_ms {
        Some(at) if zh => {
            format!("{} 后释放 +{}", span(at - now_ms, true), thousands(window.next_release_requests))
        }
        Some(at) => format!("+{} in {}", thousands(window.next_release_requests), span(at - now_ms, false)),
        None if zh => "窗口内没有已用请求".into(),
        None => "Nothing used in the window".into(),
    };
    (remaining, release)
}

/// The tray icon waiting for the first page to load: building it (menu, icon file, D-Bus registration)
/// takes 5–10 ms of the main thread, which the window's first frame should not wait for.
pub struct PendingTray(std::sync::Mutex<Option<(Runner, Language)>>);

impl PendingTray {
    /// A tray for this runner, in this language, to be added by [`install_pending`].
    pub fn new(runner: Runner, language: Language) -> Self {
        Self(std::sync::Mutex::new(Some((runner, language))))
    }
}

/// Adds the pending tray icon, once (later calls do nothing). Failing to create it (no tray on this
/// desktop) is logged, never fatal.
pub fn install_pending(app: &AppHandle) {
    let Some(pending) = app.try_state::<PendingTray>() else { return };
    let Some((runner, language)) = pending.0.lock().ok().and_then(|mut p| p.take()) else { return };
    if let Err(e) = build(app, runner, language) {
        tracing::warn!("no tray icon: {e}");
    }
}

fn build(app: &AppHandle, runner: Runner, language: Language) -> tauri::Result<()> {
    let w = words(language);
    let (remaining_text, release_text) = match runner.window() {
        Ok(window) => lines(&window, SystemClock.now_ms(), language),
        Err(_) => (String::new(), String::new()),
    };
    let remaining = MenuItem::with_id(app, "quota-remaining", remaining_text, false, None::<&str>)?;
    let release = MenuItem::with_id(app, "quota-release", release_text, false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", w.open, true, None::<&str>)?;
    let pause = CheckMenuItem::with_id(app, "pause-queue", w.pause, true, runner.is_paused(), None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", w.quit, true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&remaining, &release, &separator, &open, &pause, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main").menu(&menu).tooltip("Token Plan Studio");
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let pause_runner = runner.clone();
    builder
        .on_menu_event(move |app, event| match event.id.as_ref() {
            "open" => {
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.unminimize();
                    let _ = window.show();
                    let _ = window.set_focus();
                }
            }
            "pause-queue" => pause_runner.set_paused(!pause_runner.is_paused()),
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    let lines_state = TrayLines { remaining, release };
    tauri::async_runtime::spawn(refresh(lines_state, runner, language));
    Ok(())
}

/// Rewrites the two lines after each job change and every 30 s.
async fn refresh(tray: TrayLines, runner: Runner, language: Language) {
    let mut events = runner.subscribe();
    loop {
        tokio::select! {
            changed = events.recv() => {
                if matches!(changed, Err(tokio::sync::broadcast::error::RecvError::Closed)) {
                    return;
                }
            }
            () = tokio::time::sleep(Duration::from_secs(30)) => {}
        }
        if let Ok(window) = runner.window() {
            let (remaining, release) = lines(&window, SystemClock.now_ms(), language);
            let _ = tray.remaining.set_text(remaining);
            let _ = tray.release.set_text(release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(remaining: u64, release: Option<i64>) -> WindowSummary {
        WindowSummary {
            now_ms: 0,
            window_ms: 5 * 3_600_000,
            quota: 4_500,
            used: 4_500 - remaining,
            remaining,
            next_release_at_ms: release,
            next_release_requests: 600,
        }
    }

    #[test]
    fn the_lines_say_what_remains_and_when_more_comes() {
        let (remaining, release) = lines(&window(3_240, Some(8_100_000)), 0, Language::English);
        assert_eq!(remaining, "3,240 of 4,500 requests left");
        assert_eq!(release, "+600 in 2 h 15 min");
        let (_, soon) = lines(&window(0, Some(30_000)), 0, Language::English);
        assert_eq!(soon, "+600 in <1 min");
        let (_, none) = lines(&window(4_500, None), 0, Language::English);
        assert_eq!(none, "Nothing used in the window");
        let (zh, zh_release) = lines(&window(3_240, Some(720_000)), 0, Language::SimplifiedChinese);
        assert_eq!(zh, "剩余 3,240 / 4,500 次请求");
        assert_eq!(zh_release, "12 分钟 后释放 +600");
    }
}

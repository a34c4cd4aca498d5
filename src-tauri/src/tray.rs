//! The system-tray icon: what remains in the window and when the next requests are released, with open,
//! pause queue and quit. Refreshed after every job change and every half minute (the release countdown).
//!
//! Its words are the UI's ([`ShellWords`], sent by `set_shell_words` on start and on every language change):
//! the tray is built when they first arrive and relabelled live when they change.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use studio_core::desktop::{ShellWords, fill, thousands};
use studio_core::quota::WindowSummary;
use studio_core::runner::{Clock, Runner, SystemClock};
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

/// The tray's menu items, kept to relabel them.
struct TrayItems {
    remaining: MenuItem<Wry>,
    release: MenuItem<Wry>,
    open: MenuItem<Wry>,
    pause: CheckMenuItem<Wry>,
    quit: MenuItem<Wry>,
}

/// The words in force (shared with notifications) and the tray once it exists.
#[derive(Default)]
pub struct ShellText {
    words: Mutex<Option<ShellWords>>,
    tray: Mutex<Option<Arc<TrayItems>>>,
}

impl ShellText {
    /// The words the UI sent last, if any yet.
    pub fn words(&self) -> Option<ShellWords> {
        self.words.lock().ok().and_then(|w| w.clone())
    }
}

/// `2 h 05 min`, `12 min`, `<1 min` in the words' language.
fn span(ms: i64, words: &ShellWords) -> String {
    let minutes = ms.max(0) / 60_000;
    match (minutes / 60, minutes % 60) {
        (0, 0) => words.span_under_minute.clone(),
        (0, m) => fill(&words.span_minutes, &[("minutes", &m.to_string())]),
        (h, m) => fill(&words.span_hours, &[("hours", &h.to_string()), ("minutes", &format!("{m:02}"))]),
    }
}

/// The two changing lines: what remains, and the next release.
fn lines(window: &WindowSummary, now_ms: i64, words: &ShellWords) -> (String, String) {
    let remaining = fill(
        &words.tray_remaining,
        &[("remaining", &thousands(window.remaining)), ("quota", &thousands(window.quota))],
    );
    let release = match window.next_release_at_ms {
        Some(at) => fill(
            &words.tray_release,
            &[("requests", &thousands(window.next_release_requests)), ("span", &span(at - now_ms, words))],
        ),
        None => words.tray_nothing_used.clone(),
    };
    (remaining, release)
}

/// The runner the tray shows, waiting for the UI's words: building the tray (menu, icon file, D-Bus
/// registration) also takes 5–10 ms of the main thread, which the window's first frame should not wait for.
pub struct PendingTray(Mutex<Option<Runner>>);

impl PendingTray {
    /// A tray for this runner, to be added when the words arrive.
    pub fn new(runner: Runner) -> Self {
        Self(Mutex::new(Some(runner)))
    }
}

/// Takes the UI's words: relabels the tray, or builds it the first time (when the studio runs). Failing to
/// create it (no tray on this desktop) is logged, never fatal.
pub fn apply_words(app: &AppHandle, words: ShellWords) {
    let text = app.state::<ShellText>();
    if let Ok(mut current) = text.words.lock() {
        *current = Some(words.clone());
    }
    let existing = text.tray.lock().ok().and_then(|t| t.clone());
    if let Some(items) = existing {
        relabel(&items, &words);
        if let Some(pending) = app.try_state::<PendingTray>()
            && let Some(runner) = pending.0.lock().ok().and_then(|p| p.as_ref().cloned())
        {
            refresh_lines(&items, &runner, &words);
        }
        return;
    }
    let Some(pending) = app.try_state::<PendingTray>() else { return };
    let Some(runner) = pending.0.lock().ok().and_then(|p| p.as_ref().cloned()) else { return };
    match build(app, runner, &words) {
        Ok(items) => {
            if let Ok(mut tray) = text.tray.lock() {
                *tray = Some(items);
            }
        }
        Err(e) => tracing::warn!("no tray icon: {e}"),
    }
}

/// Builds the tray for a studio started after the words arrived (a library opened from the recovery screen);
/// nothing when no words came yet (the tray comes with them).
pub fn install_pending(app: &AppHandle) {
    if let Some(words) = app.state::<ShellText>().words() {
        apply_words(app, words);
    }
}

fn relabel(items: &TrayItems, words: &ShellWords) {
    let _ = items.open.set_text(&words.tray_open);
    let _ = items.pause.set_text(&words.tray_pause);
    let _ = items.quit.set_text(&words.tray_quit);
}

fn refresh_lines(items: &TrayItems, runner: &Runner, words: &ShellWords) {
    if let Ok(window) = runner.window() {
        let (remaining, release) = lines(&window, SystemClock.now_ms(), words);
        let _ = items.remaining.set_text(remaining);
        let _ = items.release.set_text(release);
    }
}

fn build(app: &AppHandle, runner: Runner, words: &ShellWords) -> tauri::Result<Arc<TrayItems>> {
    let remaining = MenuItem::with_id(app, "quota-remaining", "", false, None::<&str>)?;
    let release = MenuItem::with_id(app, "quota-release", "", false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", &words.tray_open, true, None::<&str>)?;
    let pause = CheckMenuItem::with_id(
        app,
        "pause-queue",
        &words.tray_pause,
        true,
        runner.is_paused(),
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, "quit", &words.tray_quit, true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&remaining, &release, &separator, &open, &pause, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main").menu(&menu).tooltip("Token Plan Studio");
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let pause_runner = runner.clone();
    builder
        .on_menu_event(move |app, event| match event.id.as_ref() {
            "open" => crate::desktop::show_main_window(app),
            "pause-queue" => pause_runner.set_paused(!pause_runner.is_paused()),
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    let items = Arc::new(TrayItems { remaining, release, open, pause, quit });
    refresh_lines(&items, &runner, words);
    tauri::async_runtime::spawn(refresh(app.clone(), items.clone(), runner));
    Ok(items)
}

/// Rewrites the two lines after each job change and every 30 s, in the words in force then.
async fn refresh(app: AppHandle, items: Arc<TrayItems>, runner: Runner) {
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
        if let Some(words) = app.state::<ShellText>().words() {
            refresh_lines(&items, &runner, &words);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;

    pub(crate) fn english() -> ShellWords {
        ShellWords {
            tray_open: "Open Token Plan Studio".into(),
            tray_pause: "Pause queue".into(),
            tray_quit: "Quit".into(),
            tray_remaining: "{remaining} of {quota} requests left".into(),
            tray_release: "+{requests} in {span}".into(),
            tray_nothing_used: "Nothing used in the window".into(),
            span_hours: "{hours} h {minutes} min".into(),
            span_minutes: "{minutes} min".into(),
            span_under_minute: "<1 min".into(),
            notify_done_title: "{kind} finished".into(),
            notify_failed_title: "{kind} failed".into(),
            notify_failed_body: "{prompt}\n{reason}".into(),
            notify_open: "Open".into(),
            kinds: BTreeMap::from([("video".into(), "Video".into())]),
            error_titles: BTreeMap::from([("quotaExhausted".into(), "Quota used up".into())]),
        }
    }

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
    fn the_lines_say_what_remains_and_when_more_comes_in_the_uis_words() {
        let words = english();
        let (remaining, release) = lines(&window(3_240, Some(8_100_000)), 0, &words);
        assert_eq!(remaining, "3,240 of 4,500 requests left");
        assert_eq!(release, "+600 in 2 h 15 min");
        let (_, soon) = lines(&window(0, Some(30_000)), 0, &words);
        assert_eq!(soon, "+600 in <1 min");
        let (_, none) = lines(&window(4_500, None), 0, &words);
        assert_eq!(none, "Nothing used in the window");
        let zh = ShellWords {
            tray_remaining: "剩余 {remaining} / {quota} 次请求".into(),
            tray_release: "{span} 后释放 +{requests}".into(),
            span_minutes: "{minutes} 分钟".into(),
            ..english()
        };
        let (remaining, release) = lines(&window(3_240, Some(720_000)), 0, &zh);
        assert_eq!(remaining, "剩余 3,240 / 4,500 次请求");
        assert_eq!(release, "12 分钟 后释放 +600");
    }
}

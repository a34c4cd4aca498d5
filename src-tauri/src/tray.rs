//! The system-tray icon: what remains in the 5-hour window and when more comes (a release, or a fixed
//! window's reset), the weekly window when the plan has one, with open, pause queue and quit. The figures
//! are the quota view's, in the profile's unit (requests, or percent of each window marked when the app
//! converted it), like the gauge. Refreshed with every quota view the UI is sent, after every job change and
//! every half minute (the countdowns).
//!
//! Its words are the UI's ([`ShellWords`], sent by `set_shell_words` on start and on every language change):
//! the tray is built when they first arrive and relabelled live when they change.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use studio_core::desktop::{ShellWords, fill, thousands};
use studio_core::profile::{QuotaUnit, WindowKind};
use studio_core::quota_view::{QuotaRow, QuotaView, RowState};
use studio_core::runner::Runner;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime, Wry};

/// Where the weekly line sits in the menu: after the 5-hour line and its countdown.
const WEEKLY_POSITION: usize = 2;

/// The tray's menu items, kept to relabel them.
struct TrayItems {
    menu: Menu<Wry>,
    remaining: MenuItem<Wry>,
    release: MenuItem<Wry>,
    /// In the menu only while the profile has a weekly window.
    weekly: MenuItem<Wry>,
    weekly_shown: Mutex<bool>,
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

/// `3 d 4 h`, `2 h 05 min`, `12 min`, `<1 min` in the words' language.
fn span(ms: i64, words: &ShellWords) -> String {
    let minutes = ms.max(0) / 60_000;
    let hours = minutes / 60;
    if hours >= 24 {
        return fill(
            &words.span_days,
            &[("days", &(hours / 24).to_string()), ("hours", &(hours % 24).to_string())],
        );
    }
    match (hours, minutes % 60) {
        (0, 0) => words.span_under_minute.clone(),
        (0, m) => fill(&words.span_minutes, &[("minutes", &m.to_string())]),
        (h, m) => fill(&words.span_hours, &[("hours", &h.to_string()), ("minutes", &format!("{m:02}"))]),
    }
}

/// The changing lines of the menu.
#[derive(Debug, PartialEq, Eq)]
struct TrayLines {
    /// What remains of the 5-hour window.
    remaining: String,
    /// When more comes: the next release of a rolling window, or a fixed window's reset.
    next: String,
    /// What remains of the weekly window, when the profile has one.
    weekly: Option<String>,
}

/// Whole percent, never rounding a sliver of room up (as the gauge does).
fn whole_percent(value: f64) -> String {
    (value.max(0.0).floor() as i64).to_string()
}

/// What remains of `row`, in `unit`.
fn left(row: &QuotaRow, unit: QuotaUnit, words: &ShellWords) -> String {
    match (row.state, unit) {
        (RowState::Unlimited, _) => words.tray_unlimited.clone(),
        (_, QuotaUnit::Percent) => {
            let template =
                if row.estimate { &words.tray_percent_left_estimate } else { &words.tray_percent_left };
            fill(template, &[("percent", &whole_percent(row.remaining_percent))])
        }
        (_, QuotaUnit::Requests) => fill(
            &words.tray_remaining,
            &[("remaining", &thousands(row.remaining)), ("quota", &thousands(row.capacity))],
        ),
    }
}

/// When more of `row` comes: the next release of a rolling window, else a fixed window's reset.
fn next(row: &QuotaRow, unit: QuotaUnit, now_ms: i64, words: &ShellWords) -> String {
    if row.rolling
        && row.next_release_units > 0
        && let Some(at) = row.next_release_at_ms
    {
        let amount = match unit {
            QuotaUnit::Requests => thousands(row.next_release_units),
            QuotaUnit::Percent => {
                let percent =
                    if row.capacity == 0 { 0 } else { (row.next_release_units * 100).div_ceil(row.capacity) };
                fill(&words.tray_percent_amount, &[("percent", &percent.max(1).to_string())])
            }
        };
        return fill(&words.tray_release, &[("requests", &amount), ("span", &span(at - now_ms, words))]);
    }
    match row.resets_at_ms {
        Some(at) if row.used > 0 => fill(&words.tray_resets, &[("span", &span(at - now_ms, words))]),
        _ => words.tray_nothing_used.clone(),
    }
}

/// The changing lines for `view`, in its unit.
fn lines(view: &QuotaView, words: &ShellWords) -> TrayLines {
    let now = view.now_ms;
    let five_hour = view.row(WindowKind::FiveHour);
    let weekly = view.row(WindowKind::Weekly);
    let (remaining, next) = match five_hour.or(weekly) {
        Some(row) => (left(row, view.unit, words), next(row, view.unit, now, words)),
        None => (words.tray_unlimited.clone(), words.tray_nothing_used.clone()),
    };
    let weekly = weekly.filter(|_| five_hour.is_some()).map(|row| {
        let left = left(row, view.unit, words);
        match row.resets_at_ms.filter(|_| row.state != RowState::Unlimited) {
            Some(at) => fill(&words.tray_weekly_resets, &[("left", &left), ("span", &span(at - now, words))]),
            None => fill(&words.tray_weekly, &[("left", &left)]),
        }
    });
    let remaining =
        if weekly.is_some() { fill(&words.tray_five_hour, &[("left", &remaining)]) } else { remaining };
    TrayLines { remaining, next, weekly }
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
    match runner.quota_view() {
        Ok(view) => show_lines(items, &lines(&view, words)),
        Err(e) => tracing::debug!("the tray cannot read the quota view: {e}"),
    }
}

fn show_lines(items: &TrayItems, lines: &TrayLines) {
    let _ = items.remaining.set_text(&lines.remaining);
    let _ = items.release.set_text(&lines.next);
    if let Some(weekly) = &lines.weekly {
        let _ = items.weekly.set_text(weekly);
    }
    let Ok(mut shown) = items.weekly_shown.lock() else { return };
    let outcome = match (lines.weekly.is_some(), *shown) {
        (true, false) => items.menu.insert(&items.weekly, WEEKLY_POSITION),
        (false, true) => items.menu.remove(&items.weekly),
        _ => return,
    };
    match outcome {
        Ok(()) => *shown = lines.weekly.is_some(),
        Err(e) => tracing::debug!("the tray's weekly line cannot be shown or hidden: {e}"),
    }
}

/// Shows a quota view the UI is being sent (a job's end, a server read, a plan switch), so the tray
/// follows the gauge; nothing before the tray exists.
pub fn show_view<R: Runtime>(app: &AppHandle<R>, view: &QuotaView) {
    let Some(text) = app.try_state::<ShellText>() else { return };
    let Some(words) = text.words() else { return };
    let Some(items) = text.tray.lock().ok().and_then(|t| t.clone()) else { return };
    show_lines(&items, &lines(view, &words));
}

fn build(app: &AppHandle, runner: Runner, words: &ShellWords) -> tauri::Result<Arc<TrayItems>> {
    let remaining = MenuItem::with_id(app, "quota-remaining", "", false, None::<&str>)?;
    let release = MenuItem::with_id(app, "quota-release", "", false, None::<&str>)?;
    let weekly = MenuItem::with_id(app, "quota-weekly", "", false, None::<&str>)?;
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
    let items = Arc::new(TrayItems {
        menu,
        remaining,
        release,
        weekly,
        weekly_shown: Mutex::new(false),
        open,
        pause,
        quit,
    });
    refresh_lines(&items, &runner, words);
    tauri::async_runtime::spawn(refresh(app.clone(), items.clone(), runner));
    Ok(items)
}

/// Rewrites the changing lines after each job change and every 30 s (the countdowns), in the words in force
/// then.
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

    use studio_core::profile::{self, Meters};
    use studio_core::quota_view::{RowSource, ServerStatus};
    use studio_core::settings::Settings;

    use super::*;

    pub(crate) fn english() -> ShellWords {
        ShellWords {
            tray_open: "Open Token Plan Studio".into(),
            tray_pause: "Pause queue".into(),
            tray_quit: "Quit".into(),
            tray_remaining: "{remaining} of {quota} requests left".into(),
            tray_release: "+{requests} in {span}".into(),
            tray_nothing_used: "Nothing used in the window".into(),
            tray_percent_left: "{percent}% left".into(),
            tray_percent_left_estimate: "≈{percent}% left (estimate)".into(),
            tray_percent_amount: "≈{percent}%".into(),
            tray_unlimited: "no limit".into(),
            tray_five_hour: "5-hour: {left}".into(),
            tray_weekly: "Week: {left}".into(),
            tray_weekly_resets: "Week: {left} · resets in {span}".into(),
            tray_resets: "Resets in {span}".into(),
            span_days: "{days} d {hours} h".into(),
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

    /// A window of `capacity` with `used` spent, in the shape the blended view gives.
    fn row(window: WindowKind, capacity: u64, used: u64) -> QuotaRow {
        let remaining = capacity - used;
        let percent = |units: u64| units as f64 * 100.0 / capacity as f64;
        QuotaRow {
            window,
            length_ms: if window == WindowKind::Weekly { profile::WEEK_MS } else { profile::FIVE_HOURS_MS },
            meters: if window == WindowKind::Weekly { Meters::All } else { Meters::NonVideo },
            rolling: false,
            capacity,
            used,
            remaining,
            used_percent: percent(used),
            remaining_percent: percent(remaining),
            source: RowSource::Ledger,
            estimate: false,
            ledger_used: used,
            server_used: None,
            resets_at_ms: None,
            next_release_at_ms: None,
            next_release_units: 0,
            boost_permille: None,
            boosted: false,
            state: if remaining > 0 { RowState::Available } else { RowState::Exhausted },
        }
    }

    fn view(unit: QuotaUnit, rows: Vec<QuotaRow>) -> QuotaView {
        QuotaView {
            now_ms: 0,
            profile: profile::resolve(&Settings::default(), None),
            unit,
            rows,
            elsewhere: None,
            server: ServerStatus { fetched_at_ms: None, error: None, understood: false },
            not_in_plan: Vec::new(),
        }
    }

    /// The Token Plan's rolling 5-hour window with `remaining` of 4,500 left, 600 released at `release`.
    fn token_plan(remaining: u64, release: Option<i64>) -> QuotaView {
        let five = QuotaRow {
            rolling: true,
            next_release_at_ms: release,
            next_release_units: 600,
            ..row(WindowKind::FiveHour, 4_500, 4_500 - remaining)
        };
        view(QuotaUnit::Requests, vec![five])
    }

    #[test]
    fn the_token_plan_lines_say_what_remains_and_when_more_comes_in_the_uis_words() {
        let words = english();
        let lines_now = lines(&token_plan(3_240, Some(8_100_000)), &words);
        assert_eq!(lines_now.remaining, "3,240 of 4,500 requests left");
        assert_eq!(lines_now.next, "+600 in 2 h 15 min");
        assert_eq!(lines_now.weekly, None);
        assert_eq!(lines(&token_plan(0, Some(30_000)), &words).next, "+600 in <1 min");
        assert_eq!(lines(&token_plan(4_500, None), &words).next, "Nothing used in the window");
        let zh = ShellWords {
            tray_remaining: "剩余 {remaining} / {quota} 次请求".into(),
            tray_release: "{span} 后释放 +{requests}".into(),
            span_minutes: "{minutes} 分钟".into(),
            ..english()
        };
        let lines_zh = lines(&token_plan(3_240, Some(720_000)), &zh);
        assert_eq!(lines_zh.remaining, "剩余 3,240 / 4,500 次请求");
        assert_eq!(lines_zh.next, "12 分钟 后释放 +600");
    }

    #[test]
    fn the_m_plan_lines_speak_percent_with_a_weekly_line_and_mark_the_apps_conversions() {
        let words = english();
        let five = QuotaRow {
            estimate: true,
            resets_at_ms: Some(2 * 3_600_000 + 5 * 60_000),
            ..row(WindowKind::FiveHour, 10_000, 2_500)
        };
        let weekly = QuotaRow {
            source: RowSource::Server,
            resets_at_ms: Some(3 * 86_400_000 + 4 * 3_600_000),
            ..row(WindowKind::Weekly, 100_000, 60_500)
        };
        let lines_now = lines(&view(QuotaUnit::Percent, vec![five.clone(), weekly.clone()]), &words);
        assert_eq!(lines_now.remaining, "5-hour: ≈75% left (estimate)");
        assert_eq!(lines_now.next, "Resets in 2 h 05 min");
        // 39.5 % left reads 39: never a promise of more room than there is.
        assert_eq!(lines_now.weekly.as_deref(), Some("Week: 39% left · resets in 3 d 4 h"));
        assert!(!format!("{lines_now:?}").contains("request"));

        let unknown_reset = QuotaRow { resets_at_ms: None, ..weekly };
        let zh = ShellWords {
            tray_percent_left_estimate: "剩余约 {percent}%（估算）".into(),
            tray_five_hour: "5 小时：{left}".into(),
            tray_weekly: "本周：{left}".into(),
            tray_percent_left: "剩余 {percent}%".into(),
            ..english()
        };
        let lines_zh = lines(&view(QuotaUnit::Percent, vec![five, unknown_reset]), &zh);
        assert_eq!(lines_zh.remaining, "5 小时：剩余约 75%（估算）");
        assert_eq!(lines_zh.weekly.as_deref(), Some("本周：剩余 39%"));
    }
}

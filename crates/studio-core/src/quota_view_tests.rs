use minimax_api::plan::{REMAINS_PATH, interpret, parse_remains};
use serde_json::json;

use super::*;
use crate::plan::PlanFamilyChoice;
use crate::profile::{FIVE_HOURS_MS, WEEK_MS, detect, resolve};
use crate::settings::Settings;

const NOW: i64 = 1_780_350_000_000;
const HOUR: i64 = 3_600_000;

fn reading(rows: serde_json::Value) -> ServerReading {
    let body = json!({ "model_remains": rows, "base_resp": { "status_code": 0, "status_msg": "success" } });
    let remains = parse_remains(REMAINS_PATH, body.to_string().as_bytes(), None).expect("remains");
    let view = interpret(&remains, NOW);
    ServerReading { detection: detect(&view), view, fetched_at_ms: NOW }
}

fn general(interval_left: u64, weekly_left: u64, extra: serde_json::Value) -> serde_json::Value {
    let mut row = json!({ "model_name": "general",
        "start_time": NOW - HOUR, "end_time": NOW + 4 * HOUR, "remains_time": 4 * HOUR,
        "current_interval_total_count": 0, "current_interval_usage_count": 0,
        "current_interval_status": 1, "current_interval_remaining_percent": interval_left,
        "weekly_start_time": NOW - 24 * HOUR, "weekly_end_time": NOW + 6 * 24 * HOUR,
        "weekly_remains_time": 6 * 24 * HOUR,
        "current_weekly_total_count": 0, "current_weekly_usage_count": 0,
        "current_weekly_status": 1, "current_weekly_remaining_percent": weekly_left });
    if let (Some(row), Some(extra)) = (row.as_object_mut(), extra.as_object()) {
        row.extend(extra.clone());
    }
    row
}

fn legacy(total: u64, used: u64) -> serde_json::Value {
    json!([{ "model_name": "MiniMax-M*",
        "start_time": NOW - HOUR, "end_time": NOW + 4 * HOUR, "remains_time": 4 * HOUR,
        "current_interval_total_count": total, "current_interval_usage_count": used,
        "current_weekly_total_count": 0, "current_weekly_usage_count": 0,
        "weekly_start_time": NOW - 24 * HOUR, "weekly_end_time": NOW + 6 * 24 * HOUR }])
}

fn ledger(five: u64, weekly: u64) -> [LedgerWindow; 2] {
    [
        LedgerWindow {
            used: five,
            since_fetch: 0,
            next_release_at_ms: Some(NOW + HOUR),
            next_release_units: 75,
        },
        LedgerWindow { used: weekly, ..LedgerWindow::default() },
    ]
}

fn view_of(profile: &PlanProfile, ledger: &[LedgerWindow], server: Option<&ServerReading>) -> QuotaView {
    let (rows, elsewhere) = blend(profile, ledger, server, NOW);
    QuotaView {
        now_ms: NOW,
        profile: profile.clone(),
        unit: profile.unit,
        rows,
        elsewhere,
        server: ServerStatus {
            fetched_at_ms: server.map(|s| s.fetched_at_ms),
            error: None,
            understood: true,
        },
        not_in_plan: Vec::new(),
    }
}

#[test]
fn without_the_server_the_ledger_is_the_gauge() {
    let profile = resolve(&Settings::default(), None);
    let view = view_of(&profile, &ledger(1_200, 3_000), None);
    let five = view.row(WindowKind::FiveHour).expect("5h");
    assert_eq!(
        (five.capacity, five.used, five.remaining, five.source),
        (4_500, 1_200, 3_300, RowSource::Ledger)
    );
    assert_eq!(
        (five.next_release_at_ms, five.next_release_units, five.estimate),
        (Some(NOW + HOUR), 75, false)
    );
    let weekly = view.row(WindowKind::Weekly).expect("weekly");
    assert_eq!((weekly.remaining, weekly.next_release_at_ms), (42_000, None), "the weekly window is fixed");
    assert_eq!(view.elsewhere, None);
    assert!(view.gate(3_300, false).fits);
    let over = view.gate(3_301, true);
    assert_eq!((over.fits, over.blocked_by, over.never), (false, Some(WindowKind::FiveHour), false));
    assert!(view.gate(4_501, false).never, "more than the whole window never fits");
}

#[test]
fn the_stricter_figure_wins_and_spend_from_elsewhere_is_named() {
    let settings = Settings::default();
    // The server counts 3,000 used of 4,500; the ledger knows of 1,000: 2,000 came from another tool.
    let server = reading(legacy(4_500, 3_000));
    let profile = resolve(&settings, Some(&server.detection));
    let view = view_of(&profile, &ledger(1_000, 1_000), Some(&server));
    let five = view.row(WindowKind::FiveHour).expect("5h");
    assert_eq!(
        (five.remaining, five.used, five.source, five.server_used),
        (1_500, 3_000, RowSource::Server, Some(3_000))
    );
    let elsewhere = view.elsewhere.clone().expect("elsewhere");
    assert_eq!((elsewhere.window, elsewhere.units), (WindowKind::FiveHour, 2_000));
    // The ledger counts more than the server (a charge the server has not booked yet): the ledger wins.
    let view = view_of(&profile, &ledger(4_000, 4_000), Some(&server));
    let five = view.row(WindowKind::FiveHour).expect("5h");
    assert_eq!((five.remaining, five.source), (500, RowSource::Ledger));
    assert_eq!(view.elsewhere, None);
    // Spend after the reading is added to the server's figure, never forgotten.
    let mut since = ledger(1_000, 1_000);
    since[0].since_fetch = 400;
    since[0].used = 1_400;
    let five = view_of(&profile, &since, Some(&server)).rows[0].clone();
    assert_eq!((five.remaining, five.source), (1_100, RowSource::Server));
}

#[test]
fn m_plan_rows_are_percent_and_video_draws_on_the_weekly_window_only() {
    let server = reading(json!([general(99, 65, json!({}))]));
    let profile = resolve(&Settings::default(), Some(&server.detection));
    assert_eq!(profile.unit, QuotaUnit::Percent);
    let weekly_capacity = profile.window(WindowKind::Weekly).expect("w").capacity;
    let view = view_of(&profile, &ledger(0, 0), Some(&server));
    let weekly = view.row(WindowKind::Weekly).expect("weekly");
    assert!((weekly.remaining_percent - 65.0).abs() < 0.01, "{}", weekly.remaining_percent);
    assert_eq!((weekly.source, weekly.estimate), (RowSource::Server, false));
    assert_eq!(weekly.resets_at_ms, Some(NOW + 6 * 24 * HOUR));
    assert!(view.elsewhere.is_some(), "35 weekly points the ledger never spent: another tool");
    // A clip larger than the 5-hour window still fits: video is metered weekly.
    let clip = profile.window(WindowKind::FiveHour).expect("5h").capacity + 1;
    assert!(view.gate(clip, true).fits);
    let gate = view.gate(clip, false);
    assert_eq!((gate.fits, gate.blocked_by), (false, Some(WindowKind::FiveHour)));
    assert_eq!(gate.resets_at_ms, Some(NOW + 4 * HOUR), "a fixed window: wait until it resets");
    let too_much = weekly_capacity * 65 / 100 + 10;
    assert_eq!(view.gate(too_much, true).blocked_by, Some(WindowKind::Weekly));
    assert_eq!(view.binding_row(10, true).expect("row").window, WindowKind::Weekly);
}

#[test]
fn a_weekly_limit_blocks_the_five_hour_row_too_and_is_named_first() {
    let server = reading(json!([general(80, 0, json!({"current_weekly_status": 2}))]));
    let profile = resolve(&Settings::default(), Some(&server.detection));
    let view = view_of(&profile, &ledger(0, 0), Some(&server));
    let gate = view.gate(1, false);
    assert_eq!((gate.fits, gate.blocked_by), (false, Some(WindowKind::Weekly)));
    assert_eq!(view.row(WindowKind::Weekly).expect("w").state, RowState::Exhausted);
}

#[test]
fn boosts_add_headroom_and_unlimited_windows_never_block() {
    let boosted = reading(json!([general(89, 91, json!({"weekly_boost_permille": 1500}))]));
    let profile = resolve(&Settings::default(), Some(&boosted.detection));
    let view = view_of(&profile, &ledger(0, 0), Some(&boosted));
    let weekly = view.row(WindowKind::Weekly).expect("weekly");
    assert!((weekly.remaining_percent - 136.5).abs() < 0.05, "{}", weekly.remaining_percent);
    assert!(weekly.boosted && weekly.boost_permille == Some(1500));
    let unlimited = reading(json!([general(50, 100, json!({"current_weekly_status": 3}))]));
    let view = view_of(&profile, &ledger(0, 10_000_000), Some(&unlimited));
    assert_eq!(view.row(WindowKind::Weekly).expect("w").state, RowState::Unlimited);
    assert!(view.gate(10, true).fits);
}

#[test]
fn a_reading_of_a_window_that_has_reset_since_is_dropped() {
    let server = reading(legacy(4_500, 4_500));
    let profile = resolve(
        &Settings { plan_family: PlanFamilyChoice::Auto, ..Settings::default() },
        Some(&server.detection),
    );
    let (rows, _) = blend(&profile, &ledger(0, 0), Some(&server), NOW + 5 * HOUR);
    assert_eq!((rows[0].remaining, rows[0].source), (4_500, RowSource::Ledger));
    // While it holds, it is exhausted.
    let (rows, _) = blend(&profile, &ledger(0, 0), Some(&server), NOW);
    assert_eq!((rows[0].remaining, rows[0].state), (0, RowState::Exhausted));
}

#[test]
fn fixed_windows_are_counted_from_the_servers_start() {
    let server = reading(json!([general(99, 65, json!({}))]));
    let profile = resolve(&Settings::default(), Some(&server.detection));
    let five = profile.window(WindowKind::FiveHour).expect("5h");
    assert_eq!(ledger_range(five, Some(&server), NOW), NOW - HOUR - CLOCK_SKEW_MS);
    assert_eq!(
        ledger_range(five, Some(&server), NOW + 5 * HOUR),
        NOW + 4 * HOUR,
        "reset since: count from its end"
    );
    assert_eq!(ledger_range(five, None, NOW), NOW - FIVE_HOURS_MS);
    let token = resolve(&Settings::default(), None);
    assert_eq!(ledger_range(&token.windows[0], Some(&server), NOW), NOW - FIVE_HOURS_MS, "rolling");
    assert_eq!(ledger_range(&token.windows[1], None, NOW), NOW - WEEK_MS);
}

#[test]
fn the_view_serialises_for_the_ui() {
    let profile = resolve(&Settings::default(), None);
    let json = serde_json::to_value(view_of(&profile, &ledger(10, 10), None)).expect("json");
    assert_eq!(json["unit"], "requests");
    assert_eq!(json["rows"][0]["window"], "5h");
    assert_eq!(json["rows"][1]["window"], "weekly");
    assert_eq!(json["rows"][0]["source"], "ledger");
    let summary = view_of(&profile, &ledger(10, 10), None).rows[0].summary(NOW);
    assert_eq!((summary.quota, summary.remaining, summary.next_release_requests), (4_500, 4_490, 75));
}

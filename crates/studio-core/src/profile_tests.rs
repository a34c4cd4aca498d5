use minimax_api::plan::{LEGACY_REMAINS_PATH, REMAINS_PATH, interpret, parse_remains};
use serde_json::json;

use super::*;
use crate::settings::Region;

fn view(body: serde_json::Value) -> PlanView {
    let remains = parse_remains(REMAINS_PATH, body.to_string().as_bytes(), None).expect("remains");
    interpret(&remains, 1_776_360_000_000)
}

/// The CLI fixture of the M2.7-era Token Plan (minimax-api-2026.md §2.5a), with a Max-sized total.
fn legacy_max() -> serde_json::Value {
    json!({ "base_resp": { "status_code": 0, "status_msg": "success" },
      "model_remains": [
        { "model_name": "MiniMax-M*",
          "start_time": 1_776_355_200_000_i64, "end_time": 1_776_373_200_000_i64, "remains_time": 7_151_954,
          "current_interval_total_count": 15_000, "current_interval_usage_count": 228,
          "current_weekly_total_count": 150_000, "current_weekly_usage_count": 228,
          "weekly_start_time": 1_776_009_600_000_i64, "weekly_end_time": 1_776_614_400_000_i64,
          "weekly_remains_time": 248_351_954 } ] })
}

fn m_plan_payload() -> serde_json::Value {
    json!({ "model_remains": [
        { "model_name": "general",
          "start_time": 1_776_355_200_000_i64, "end_time": 1_776_373_200_000_i64, "remains_time": 7_151_954,
          "current_interval_total_count": 0, "current_interval_usage_count": 0,
          "current_interval_status": 1, "current_interval_remaining_percent": 99,
          "weekly_start_time": 1_776_009_600_000_i64, "weekly_end_time": 1_776_614_400_000_i64,
          "weekly_remains_time": 248_351_954,
          "current_weekly_total_count": 0, "current_weekly_usage_count": 0,
          "current_weekly_status": 1, "current_weekly_remaining_percent": 65 } ],
      "base_resp": { "status_code": 0, "status_msg": "success" } })
}

#[test]
fn the_token_plan_tiers_are_the_published_table_until_the_server_says_more() {
    let settings = Settings::default();
    let plus = resolve(&settings, None);
    assert_eq!(
        (plus.family, plus.unit, plus.tier.as_str()),
        (PlanFamily::TokenPlan, QuotaUnit::Requests, "plus")
    );
    let five = plus.window(WindowKind::FiveHour).expect("5h");
    assert_eq!((five.capacity, five.rolling, five.meters), (4_500, true, Meters::All));
    assert_eq!(plus.window(WindowKind::Weekly).expect("weekly").capacity, 45_000, "10 × (REPORTED)");
    // The reported bug: default settings assumed Plus while the server holds a Max plan.
    let detected = detect(&view(legacy_max()));
    assert_eq!(detected.family, Some(PlanFamily::TokenPlan));
    assert_eq!((detected.five_hour_total, detected.weekly_total), (Some(15_000), Some(150_000)));
    let max = resolve(&settings, Some(&detected));
    assert_eq!((max.tier.as_str(), max.label.as_str(), max.detected), ("max", "Token Plan Max", true));
    assert_eq!(max.window(WindowKind::FiveHour).expect("5h").evidence, Evidence::Detected);
    assert_eq!(max.window(WindowKind::Weekly).expect("weekly").capacity, 150_000);
    // An explicit choice overrides the server; an override sets the 5-hour size.
    let chosen = Settings { plan_family: PlanFamilyChoice::TokenPlan, ..Settings::default() };
    assert_eq!(resolve(&chosen, Some(&detected)).window(WindowKind::FiveHour).expect("5h").capacity, 4_500);
    let overridden = Settings { quota_override: Some(2_000), ..Settings::default() };
    let five = resolve(&overridden, Some(&detected)).windows[0].clone();
    assert_eq!((five.capacity, five.evidence), (2_000, Evidence::UserSet));
    // Mainland's table differs; a total no tier has is still used.
    let mainland = Settings { region: Region::Mainland, ..Settings::default() };
    assert_eq!(resolve(&mainland, None).windows[0].capacity, 1_500);
    let odd = Detection { five_hour_total: Some(7_777), ..detected.clone() };
    let odd = resolve(&settings, Some(&odd));
    assert_eq!((odd.tier.as_str(), odd.windows[0].capacity), ("detected", 7_777));
}

#[test]
fn the_m_plan_is_detected_from_percentages_and_sized_by_the_reported_conversion() {
    let detected = detect(&view(m_plan_payload()));
    assert_eq!(detected.family, Some(PlanFamily::MPlan));
    assert_eq!(detected.five_hour_total, None, "no counts in percent payloads");
    assert_eq!(
        (detected.five_hour_length_ms, detected.weekly_length_ms),
        (Some(FIVE_HOURS_MS), Some(WEEK_MS))
    );
    let explore = resolve(&Settings::default(), Some(&detected));
    assert_eq!(
        (explore.family, explore.unit, explore.label.as_str()),
        (PlanFamily::MPlan, QuotaUnit::Percent, "M Plan Explore")
    );
    let weekly = explore.window(WindowKind::Weekly).expect("weekly");
    let five = explore.window(WindowKind::FiveHour).expect("5h");
    assert_eq!(
        (weekly.meters, five.meters),
        (Meters::All, Meters::NonVideo),
        "video draws on the weekly window only"
    );
    assert!(!weekly.rolling && !five.rolling, "M Plan windows are fixed, anchored at first use");
    // The REPORTED data point holds: a 4 s 768P H3 clip is 7 points of Explore's week.
    let clip = CostInput::Video { model: "MiniMax-H3".into(), resolution: "768P".into(), duration_s: 4 };
    let units = u64::from(explore.estimate(&clip).requests().expect("priced"));
    let points = explore.percent_of(WindowKind::Weekly, units).expect("weekly");
    assert!((points - 7.0).abs() < 0.01, "{points}");
    // Tiers scale by the CONFIRMED ratios; Go has no video.
    let go = resolve(&Settings { m_plan_tier: MPlanTier::Go, ..Settings::default() }, Some(&detected));
    let build = resolve(&Settings { m_plan_tier: MPlanTier::Build, ..Settings::default() }, Some(&detected));
    assert_eq!(go.window(WindowKind::Weekly).expect("w").capacity * 3, weekly.capacity + 1, "rounding");
    assert!(!go.video && explore.video && build.video);
    assert!(build.window(WindowKind::Weekly).expect("w").capacity > weekly.capacity * 2);
    // Chosen by hand without any server answer.
    let chosen = resolve(&Settings { plan_family: PlanFamilyChoice::MPlan, ..Settings::default() }, None);
    assert_eq!((chosen.family, chosen.detected), (PlanFamily::MPlan, false));
}

#[test]
fn a_payload_that_says_nothing_leaves_the_token_plan_defaults() {
    for body in [json!({"model_remains": null}), json!({"model_remains": [{"model_name": "x"}]}), json!({})] {
        let detected = detect(&view(body.clone()));
        assert_eq!(detected.family, None, "{body}");
        assert_eq!(resolve(&Settings::default(), Some(&detected)), resolve(&Settings::default(), None));
    }
    // Status 3 with zero totals on the video row: video is not in the plan.
    let mut body = m_plan_payload();
    body["model_remains"].as_array_mut().expect("rows").push(json!({
        "model_name": "video", "current_interval_total_count": 0, "current_interval_usage_count": 0,
        "current_interval_remaining_percent": 100, "current_interval_status": 3,
        "current_weekly_total_count": 0, "current_weekly_usage_count": 0,
        "current_weekly_remaining_percent": 100, "current_weekly_status": 3 }));
    let detected = detect(&view(body));
    assert_eq!(detected.video_in_plan, Some(false));
    assert!(!resolve(&Settings::default(), Some(&detected)).video);
}

#[test]
fn legacy_path_counts_are_read_as_remaining() {
    let remains =
        parse_remains(LEGACY_REMAINS_PATH, legacy_max().to_string().as_bytes(), None).expect("remains");
    let detected = detect(&interpret(&remains, 1_776_360_000_000));
    assert_eq!(detected.five_hour_total, Some(15_000), "the total does not depend on the reading");
}

#[test]
fn profiles_serialise_for_the_ui_and_the_command_line() {
    let json = serde_json::to_value(resolve(&Settings::default(), None)).expect("json");
    assert_eq!(json["family"], "tokenPlan");
    assert_eq!(json["unit"], "requests");
    assert_eq!(json["windows"][0]["kind"], "5h");
    assert_eq!(json["windows"][1]["kind"], "weekly");
    assert_eq!(json["windows"][0]["meters"], "all");
}

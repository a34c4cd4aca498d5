//! The four example payloads of minimax-api-2026.md §2.5, odd shapes, and the gate.

use super::*;
use crate::plan::{REMAINS_PATH, parse_remains};

fn load(body: &str, path: &'static str) -> PlanRemains {
    parse_remains(path, body.as_bytes(), None).expect("parses")
}

const LEGACY: &str = include_str!("../../tests/fixtures/remains_legacy_m27.json");
const USAGE_BOOST: &str = include_str!("../../tests/fixtures/remains_usage_boost.json");
const M_PLAN: &str = include_str!("../../tests/fixtures/remains_m_plan.json");
const NOT_IN_PLAN: &str = include_str!("../../tests/fixtures/remains_not_in_plan.json");
const ODD: &str = include_str!("../../tests/fixtures/remains_odd.json");

fn close(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() < 1e-9)
}

#[test]
fn legacy_request_counts_m27_era() {
    // Read at the moment the fixture was captured: remains_time before the 5-hour end.
    let now = 1_776_373_200_000 - 7_151_954;
    let view = interpret(&load(LEGACY, REMAINS_PATH), now);
    assert_eq!(view.generation, PlanGeneration::RequestCounts);
    let text = view.bucket("MiniMax-M*").expect("text bucket");
    assert!(!text.video);
    assert_eq!(text.availability, Availability::InPlan);
    assert_eq!(text.interval.source, ShareSource::Counts);
    assert_eq!(text.interval.counts, Some(WindowCounts { used: 228, total: 1500, inverted: false }));
    assert!(close(text.interval.remaining_percent, 84.8), "{:?}", text.interval.remaining_percent);
    assert!(close(text.interval.used_percent, 15.2));
    assert_eq!(text.interval.state, WindowState::Available);
    assert_eq!(text.interval.length, Some(WindowLength::FiveHours));
    assert_eq!(text.interval.resets_at_ms, Some(1_776_373_200_000));
    assert_eq!(text.interval.resets_in_ms, Some(7_151_954));
    assert_eq!(text.weekly.state, WindowState::Unlimited, "a zero weekly total had no weekly cap");
    assert_eq!(text.weekly.length, Some(WindowLength::OneWeek));
    let speech = view.bucket("speech-hd").expect("speech bucket");
    assert_eq!(speech.interval.length, Some(WindowLength::OneDay));
    assert!(close(speech.interval.remaining_percent, 100.0));
    assert!(close(speech.weekly.remaining_percent, 100.0));
    assert_eq!(view.gate(false), Gate::Room);
}

#[test]
fn usage_based_token_plan_with_boosts_and_a_video_row() {
    let now = 1_780_365_600_000 - 3_213_960;
    let view = interpret(&load(USAGE_BOOST, REMAINS_PATH), now);
    assert_eq!(view.generation, PlanGeneration::Percent);
    let general = view.bucket("general").expect("general");
    assert!(close(general.interval.remaining_percent, 178.0), "89 % × 2000 ‰");
    assert!(close(general.interval.used_percent, 22.0));
    assert!(general.interval.boosted);
    assert_eq!(general.interval.boost_permille, Some(2000));
    assert!(close(general.weekly.remaining_percent, 200.0), "91 % × 3000 ‰ is clamped at 200");
    assert!(close(general.weekly.used_percent, 27.0));
    assert_eq!(general.interval.counts, None, "zero totals are not counts");
    let video = view.bucket("video").expect("video");
    assert!(video.video);
    assert_eq!(video.interval.length, Some(WindowLength::OneDay));
    assert!(close(video.interval.remaining_percent, 100.0));
    assert!(!video.interval.boosted);
    // 3/3 only agrees with 100 % when the usage count holds the remaining amount.
    assert_eq!(video.interval.counts, Some(WindowCounts { used: 0, total: 3, inverted: true }));
    assert_eq!(video.weekly.counts, Some(WindowCounts { used: 0, total: 21, inverted: true }));
    assert_eq!(view.gate(true), Gate::Room);
    assert_eq!(view.gate(false), Gate::Room);
}

#[test]
fn m_plan_has_only_a_general_row_and_video_uses_its_weekly_window() {
    let now = 1_791_115_200_000 - 16_800_000;
    let view = interpret(&load(M_PLAN, REMAINS_PATH), now);
    assert_eq!(view.generation, PlanGeneration::Percent);
    assert_eq!(view.buckets.len(), 1);
    let general = &view.buckets[0];
    assert!(close(general.interval.remaining_percent, 99.0));
    assert!(close(general.weekly.remaining_percent, 65.0));
    assert!(close(general.weekly.used_percent, 35.0));
    assert_eq!(general.interval.length, Some(WindowLength::FiveHours));
    assert_eq!(general.weekly.length, Some(WindowLength::OneWeek));
    assert_eq!(general.weekly.resets_at_ms, Some(now + 344_400_000));
    assert_eq!(view.bucket_for(true).map(|b| b.name.as_str()), Some("general"));
    assert_eq!(view.gate(true), Gate::Room);
}

#[test]
fn status_3_with_zero_totals_is_not_in_plan_never_unlimited() {
    let view = interpret(&load(NOT_IN_PLAN, REMAINS_PATH), 0);
    let video = view.bucket("video").expect("video");
    assert_eq!(video.availability, Availability::NotInPlan);
    assert_eq!(video.interval.remaining_percent, None);
    assert_eq!(video.interval.resets_at_ms, None);
    assert_eq!(view.gate(true), Gate::NotInPlan);
    // The same statuses with real totals are unlimited.
    let unlimited =
        NOT_IN_PLAN.replace("\"current_weekly_total_count\": 0", "\"current_weekly_total_count\": 50");
    let view = interpret(&load(&unlimited, REMAINS_PATH), 0);
    assert_eq!(view.buckets[0].availability, Availability::Unlimited);
    assert_eq!(view.buckets[0].weekly.state, WindowState::Unlimited);
    assert_eq!(view.gate(true), Gate::Room);
}

#[test]
fn odd_fields_never_fail_the_answer() {
    let now = 1_791_100_000_000;
    let remains = load(ODD, REMAINS_PATH);
    assert_eq!(remains.model_remains.len(), 1, "null and string rows are dropped, the data wrapper is read");
    let row = &remains.model_remains[0];
    assert_eq!(row.start_time, Some(1_791_097_200_000));
    assert_eq!(row.current_interval_usage_count, None);
    assert_eq!(row.interval_boost_permille, None);
    assert!(row.other.contains_key("current_subscribe_title"));
    let view = interpret(&remains, now);
    let general = &view.buckets[0];
    assert!(close(general.interval.remaining_percent, 42.5));
    assert_eq!(general.interval.resets_at_ms, Some(1_791_115_200_000), "a negative remains_time falls back");
    assert_eq!(general.weekly.state, WindowState::Exhausted);
    assert!(close(general.weekly.remaining_percent, 0.0), "0 % × 1500 ‰ stays 0");
    assert_eq!(view.gate(false), Gate::Blocked { window: WindowName::Weekly, resets_at_ms: None });
    for body in [r#"{"model_remains":{"x":1}}"#, r#"{"model_remains":null}"#, r#"{"data":7}"#, "{}"] {
        let remains = load(body, REMAINS_PATH);
        assert!(remains.model_remains.is_empty(), "{body}");
        assert_eq!(interpret(&remains, now).generation, PlanGeneration::NoBuckets);
        assert_eq!(interpret(&remains, now).gate(false), Gate::Unknown);
    }
}

#[test]
fn the_legacy_path_counts_the_remaining_amount() {
    let body = r#"{"model_remains":[{"model_name":"MiniMax-M*","current_interval_total_count":1500,
        "current_interval_usage_count":1200,"start_time":0,"end_time":18000000,"remains_time":99999999}]}"#;
    let view = interpret(&load(body, LEGACY_REMAINS_PATH), 1_000);
    let text = &view.buckets[0];
    assert_eq!(text.interval.counts, Some(WindowCounts { used: 300, total: 1500, inverted: true }));
    assert!(close(text.interval.remaining_percent, 80.0));
    assert_eq!(
        text.interval.resets_at_ms,
        Some(18_000_000),
        "remains_time longer than the window is ignored"
    );
    // Contradicting counts are hidden and the percentage wins (CLI rule 3).
    let both = r#"{"model_remains":[{"model_name":"general","current_interval_total_count":100,
        "current_interval_usage_count":50,"current_interval_remaining_percent":10}]}"#;
    let view = interpret(&load(both, REMAINS_PATH), 0);
    assert_eq!(view.buckets[0].interval.counts, None);
    assert!(close(view.buckets[0].interval.remaining_percent, 10.0));
}

#[test]
fn an_exhausted_five_hour_window_blocks_text_but_not_video() {
    let body = r#"{"model_remains":[{"model_name":"general","current_interval_status":2,
        "current_interval_remaining_percent":0,"end_time":5000,"current_weekly_status":1,
        "current_weekly_remaining_percent":40}]}"#;
    let view = interpret(&load(body, REMAINS_PATH), 0);
    assert_eq!(view.gate(false), Gate::Blocked { window: WindowName::Interval, resets_at_ms: Some(5000) });
    assert_eq!(view.gate(true), Gate::Room, "video counts only against the weekly window");
}

mod properties {
    use super::*;
    use crate::json_strategies::{json_scalar, json_value};
    use proptest::prelude::*;

    const FIELDS: &[&str] = &[
        "model_name",
        "start_time",
        "end_time",
        "remains_time",
        "current_interval_total_count",
        "current_interval_usage_count",
        "current_interval_status",
        "current_interval_remaining_percent",
        "weekly_start_time",
        "weekly_end_time",
        "weekly_remains_time",
        "current_weekly_total_count",
        "current_weekly_usage_count",
        "current_weekly_status",
        "current_weekly_remaining_percent",
        "weekly_boost_permille",
        "interval_boost_permille",
    ];

    /// A plausible value for a remains field: numbers in the ranges seen (and beyond), names, or anything.
    fn field_value() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            (-5i64..5).prop_map(serde_json::Value::from),
            (-10.0f64..300.0).prop_map(serde_json::Value::from),
            (0i64..4_000_000_000_000).prop_map(serde_json::Value::from),
            (0i64..5000).prop_map(|n| serde_json::Value::from(n.to_string())),
            proptest::sample::select(vec!["general", "video", "MiniMax-M*", "speech-hd"])
                .prop_map(serde_json::Value::from),
            json_scalar(),
            json_value(),
        ]
    }

    fn row() -> impl Strategy<Value = serde_json::Value> {
        let bucket =
            proptest::collection::btree_map(proptest::sample::select(FIELDS), field_value(), 0..FIELDS.len())
                .prop_map(|map| {
                    serde_json::Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                });
        prop_oneof![4 => bucket, 1 => json_value()]
    }

    proptest! {
        #[test]
        fn no_payload_fails_the_answer_or_panics_the_interpretation(
            rows in proptest::collection::vec(row(), 0..5),
            wrapped in any::<bool>(),
            legacy in any::<bool>(),
            now in 0i64..4_000_000_000_000,
        ) {
            let rows = serde_json::Value::from(rows);
            let body = if wrapped {
                serde_json::json!({ "data": { "model_remains": rows } })
            } else {
                serde_json::json!({ "model_remains": rows, "base_resp": { "status_code": 0, "status_msg": "success" } })
            };
            let path = if legacy { LEGACY_REMAINS_PATH } else { REMAINS_PATH };
            let remains = parse_remains(path, body.to_string().as_bytes(), None).expect("odd rows never fail the answer");
            let view = interpret(&remains, now);
            prop_assert_eq!(view.buckets.len(), remains.model_remains.len());
            for bucket in &view.buckets {
                for window in [&bucket.interval, &bucket.weekly] {
                    for share in [window.remaining_percent, window.used_percent].into_iter().flatten() {
                        prop_assert!((0.0..=MAX_DISPLAY_PERCENT).contains(&share), "{share}");
                    }
                    prop_assert!(window.resets_in_ms.is_none_or(|ms| ms >= 0));
                    prop_assert_eq!(window.boosted, window.remaining_percent.is_some_and(|r| r > 100.0));
                }
            }
            let _ = view.gate(true);
            let _ = view.gate(false);
            prop_assert!(serde_json::to_string(&view).is_ok());
        }
    }
}

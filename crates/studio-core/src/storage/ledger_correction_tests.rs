//! The correction from the server's count: only upward, only from counts that agree, once per answer.

use minimax_api::plan::{LEGACY_REMAINS_PATH, PlanRemains, REMAINS_PATH, parse_remains};
use serde_json::json;

use super::*;
use crate::quota::WINDOW_MS;

const NOW: i64 = 1_776_355_200_000;
const H: i64 = 3_600_000;

fn library_with_spend(requests: u32) -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open_in_memory(dir.path()).unwrap();
    lib.record_spend(&NewSpend {
        charge_key: None,
        basis: SpendBasis::Billed,
        job_id: None,
        modality: Modality::Image,
        model: "image-01".into(),
        key_kind: KeyKind::Plan,
        demo: false,
        requests,
        units: 1,
        at_ms: NOW - H,
    })
    .unwrap();
    (dir, lib)
}

/// A legacy Token Plan answer: one bucket with counts (used, on the current path) and the share.
fn legacy(path: &'static str, total: i64, usage: i64, percent: i64) -> PlanRemains {
    let body = json!({ "model_remains": [{
        "model_name": "MiniMax-M*", "start_time": NOW - 2 * H, "end_time": NOW + 3 * H,
        "current_interval_total_count": total, "current_interval_usage_count": usage,
        "current_interval_status": 1, "current_interval_remaining_percent": percent,
    }], "base_resp": { "status_code": 0, "status_msg": "success" } });
    parse_remains(path, body.to_string().as_bytes(), None).unwrap()
}

#[test]
fn the_server_counting_more_adds_one_logged_adjustment_once() {
    let (_dir, mut lib) = library_with_spend(300);
    let remains = legacy(REMAINS_PATH, 4_500, 900, 80);
    let correction = lib.record_adjustment(&remains, NOW, WINDOW_MS).unwrap();
    assert_eq!(correction.outcome, CorrectionOutcome::Corrected, "{correction:?}");
    assert_eq!((correction.added_requests, correction.local_used), (600, 300));
    assert_eq!((correction.bucket.as_deref(), correction.server_used), (Some("MiniMax-M*"), Some(900)));
    assert_eq!(correction.rows[0].difference, Some(0), "the window now holds what the server holds");
    assert_eq!(lib.used_in_window(KeyKind::Plan, NOW, WINDOW_MS).unwrap(), 900);
    let rows = lib.spend_between(0, i64::MAX).unwrap();
    let adjustment = rows.iter().find(|r| r.basis == SpendBasis::Adjustment).expect("an adjustment row");
    assert_eq!((adjustment.job_id, adjustment.requests, adjustment.at_ms), (None, 600, NOW));

    let again = lib.record_adjustment(&remains, NOW, WINDOW_MS).unwrap();
    assert_eq!((again.outcome, again.added_requests), (CorrectionOutcome::Agrees, 0));
    assert_eq!(lib.used_in_window(KeyKind::Plan, NOW, WINDOW_MS).unwrap(), 900, "applied once");
}

#[test]
fn an_adjustment_moved_later_by_the_clock_rule_still_counts_as_applied() {
    let (_dir, mut lib) = library_with_spend(300);
    let remains = legacy(REMAINS_PATH, 4_500, 900, 80);
    // A snapshot older than the newest row: the adjustment is stamped at the newest row's time.
    let correction = lib.record_adjustment(&remains, NOW - 2 * H, WINDOW_MS).unwrap();
    assert_eq!((correction.outcome, correction.added_requests), (CorrectionOutcome::Corrected, 900));
    let again = lib.record_adjustment(&remains, NOW - 2 * H, WINDOW_MS).unwrap();
    assert_eq!((again.outcome, again.added_requests), (CorrectionOutcome::Agrees, 0));
}

#[test]
fn the_server_counting_less_leaves_the_ledger_conservative() {
    let (_dir, mut lib) = library_with_spend(1_200);
    let correction = lib.record_adjustment(&legacy(REMAINS_PATH, 4_500, 900, 80), NOW, WINDOW_MS).unwrap();
    assert_eq!((correction.outcome, correction.added_requests), (CorrectionOutcome::ServerCountsLess, 0));
    assert_eq!(lib.used_in_window(KeyKind::Plan, NOW, WINDOW_MS).unwrap(), 1_200, "never a negative row");
    assert_eq!(lib.spend_between(0, i64::MAX).unwrap().len(), 1);
}

#[test]
fn counts_that_cannot_be_followed_are_refused_with_the_reason() {
    let (_dir, mut lib) = library_with_spend(300);
    // The counts disagree with the share (900 used is 20 %, the share says 50 %).
    let disagree = lib.record_adjustment(&legacy(REMAINS_PATH, 4_500, 900, 50), NOW, WINDOW_MS).unwrap();
    assert_eq!(disagree.outcome, CorrectionOutcome::CannotTell);
    assert!(disagree.reason.as_deref().is_some_and(|r| r.contains("disagree")), "{disagree:?}");
    // The legacy endpoint's counts hold what remains.
    let legacy_path =
        lib.record_adjustment(&legacy(LEGACY_REMAINS_PATH, 4_500, 3_600, 80), NOW, WINDOW_MS).unwrap();
    assert_eq!(legacy_path.outcome, CorrectionOutcome::CannotTell);
    assert!(legacy_path.reason.as_deref().is_some_and(|r| r.contains("remains")), "{legacy_path:?}");
    // The usage-based plan: shares without counts.
    let body = json!({ "model_remains": [
        { "model_name": "general", "current_interval_total_count": 0, "current_interval_usage_count": 0,
          "current_interval_status": 1, "current_interval_remaining_percent": 40 },
        { "model_name": "video", "current_interval_total_count": 0, "current_interval_usage_count": 0,
          "current_interval_status": 1, "current_interval_remaining_percent": 90 }
    ] });
    let percent = parse_remains(REMAINS_PATH, body.to_string().as_bytes(), None).unwrap();
    let shares = lib.record_adjustment(&percent, NOW, WINDOW_MS).unwrap();
    assert_eq!(shares.outcome, CorrectionOutcome::CannotTell);
    assert!(shares.reason.as_deref().is_some_and(|r| r.contains("share")), "{shares:?}");
    assert_eq!(shares.rows.len(), 2, "the comparison is still shown");
    assert_eq!(lib.used_in_window(KeyKind::Plan, NOW, WINDOW_MS).unwrap(), 300, "nothing written");
}

//! The ledger's running totals against the pure window functions.

use super::*;
use crate::quota::WINDOW_MS;

const H: i64 = 60 * 60 * 1000;
const NOW: i64 = 1_776_355_200_000;

fn library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open_in_memory(dir.path()).unwrap();
    (dir, library)
}

fn spend(key_kind: KeyKind, requests: u32, at_ms: i64) -> NewSpend {
    NewSpend {
        charge_key: None,
        basis: crate::storage::SpendBasis::Billed,
        job_id: None,
        modality: Modality::Text,
        model: "MiniMax-M2.7".into(),
        key_kind,
        demo: false,
        requests,
        units: 1,
        at_ms,
    }
}

#[test]
fn running_totals_are_per_key_kind_and_monotonic_in_time() {
    let (_dir, mut lib) = library();
    assert_eq!(lib.record_spend(&spend(KeyKind::Plan, 10, NOW)).unwrap().cumulative_requests, 10);
    assert_eq!(lib.record_spend(&spend(KeyKind::PayAsYouGo, 7, NOW)).unwrap().cumulative_requests, 7);
    assert_eq!(lib.record_spend(&spend(KeyKind::Plan, 5, NOW + 1)).unwrap().cumulative_requests, 15);
    // The clock went backwards: the entry is kept at the newest time, so totals stay ordered.
    let late = lib.record_spend(&spend(KeyKind::Plan, 1, NOW - H)).unwrap();
    assert_eq!((late.at_ms, late.cumulative_requests), (NOW + 1, 16));
    assert_eq!(lib.cumulative_requests_at(KeyKind::Plan, NOW).unwrap(), 10);
    assert_eq!(lib.cumulative_requests_at(KeyKind::Plan, NOW - 1).unwrap(), 0);
}

#[test]
fn window_from_running_totals_equals_the_pure_function() {
    let (_dir, mut lib) = library();
    let entries: &[(u32, i64)] =
        &[(100, -6 * H), (40, -5 * H), (3, -5 * H + 1), (3, -5 * H + 1), (0, -4 * H), (500, -2 * H), (1, -1)];
    let mut points = Vec::new();
    for &(requests, offset) in entries {
        lib.record_spend(&spend(KeyKind::Plan, requests, NOW + offset)).unwrap();
        points.push(SpendPoint { at_ms: NOW + offset, requests: u64::from(requests) });
    }
    lib.record_spend(&spend(KeyKind::PayAsYouGo, 9_999, NOW - H)).unwrap();

    for now in [NOW, NOW + 1, NOW + 2 * H, NOW + 5 * H, NOW - 3 * H] {
        for quota in [0, 100, 4_500] {
            let from_db = lib.window_summary(quota, now, WINDOW_MS).unwrap();
            let pure = quota::window_summary(
                &points.iter().copied().filter(|p| p.at_ms <= NOW).collect::<Vec<_>>(),
                quota,
                now,
                WINDOW_MS,
            );
            assert_eq!(from_db, pure, "now {now}, quota {quota}");
        }
    }
    let s = lib.window_summary(4_500, NOW, WINDOW_MS).unwrap();
    assert_eq!(
        (s.used, s.remaining),
        (507, 3_993),
        "the exactly-5-h entry is released; pay-as-you-go is not counted"
    );
    assert_eq!((s.next_release_at_ms, s.next_release_requests), (Some(NOW + 1), 6));
    assert_eq!(lib.window_points(NOW, WINDOW_MS).unwrap().len(), 4, "merged per millisecond");
    assert_eq!(lib.plan_requests_available_at(510, 9, NOW, WINDOW_MS).unwrap(), Some(NOW + 1));
    assert_eq!(lib.plan_requests_available_at(510, 10, NOW, WINDOW_MS).unwrap(), Some(NOW + 3 * H));
    assert_eq!(lib.plan_requests_available_at(510, 511, NOW, WINDOW_MS).unwrap(), None);
}

#[test]
fn snapshots_round_trip_and_reconcile_against_the_ledger() {
    let (_dir, mut lib) = library();
    assert!(lib.latest_quota_snapshot().unwrap().is_empty());
    let body = serde_json::json!({
        "model_remains": [{
            "model_name": "general", "start_time": NOW - H, "end_time": NOW + 4 * H, "remains_time": 4 * H,
            "current_interval_total_count": 1500, "current_interval_usage_count": "228",
            "current_interval_status": 1, "current_interval_remaining_percent": 85,
            "weekly_start_time": NOW - 24 * H, "weekly_end_time": NOW + 6 * 24 * H, "weekly_remains_time": 1,
            "current_weekly_total_count": 15000, "current_weekly_usage_count": 2280,
            "current_weekly_status": 1, "current_weekly_remaining_percent": 85, "extra": true
        }, {"model_name": "video", "current_interval_total_count": 0}],
        "base_resp": {"status_code": 0, "status_msg": "success"}
    });
    let rows = QuotaSnapshot::from_remains_response(&body, NOW);
    assert_eq!(rows[0].interval_usage_count, Some(228), "numbers as strings are read");
    assert_eq!(rows[0].raw["extra"], true, "raw fields are kept");
    lib.record_quota_snapshot(&rows).unwrap();
    let older = QuotaSnapshot::from_remains_response(&body, NOW - H);
    lib.record_quota_snapshot(&older).unwrap();
    assert_eq!(lib.latest_quota_snapshot().unwrap(), rows);

    lib.record_spend(&spend(KeyKind::Plan, 200, NOW - 2 * H)).unwrap();
    lib.record_spend(&spend(KeyKind::Plan, 50, NOW + 1)).unwrap(); // after the snapshot: not compared
    let report = lib.reconcile_latest_snapshot(WINDOW_MS).unwrap();
    assert_eq!(report.len(), 2);
    assert_eq!(
        (report[0].local_used, report[0].server_used, report[0].difference),
        (200, Some(225), Some(25))
    );
    assert_eq!(report[1].basis, quota::ServerUsedBasis::Unavailable);
}

#[test]
fn spend_between_lists_both_keys_in_time_order() {
    let (_dir, mut lib) = library();
    lib.record_spend(&spend(KeyKind::Plan, 1, 10)).unwrap();
    lib.record_spend(&spend(KeyKind::PayAsYouGo, 2, 5)).unwrap();
    lib.record_spend(&spend(KeyKind::Plan, 3, 20)).unwrap();
    let got: Vec<_> = lib.spend_between(5, 20).unwrap().into_iter().map(|e| (e.at_ms, e.requests)).collect();
    assert_eq!(got, [(5, 2), (10, 1)]);
}

#[test]
fn batch_spend_keeps_the_running_total() {
    let (_dir, mut lib) = library();
    let entries: Vec<_> = (0..5).map(|i| spend(KeyKind::Plan, 10, NOW + i)).collect();
    assert_eq!(lib.record_spends(&entries).unwrap(), 5);
    assert_eq!(lib.cumulative_requests_at(KeyKind::Plan, NOW + 4).unwrap(), 50);
    assert_eq!(lib.used_in_window(KeyKind::Plan, NOW + 2, WINDOW_MS).unwrap(), 50, "later entries count too");
}

#[test]
fn plan_window_uses_the_settings_quota_and_override() {
    let (_dir, mut lib) = library();
    lib.record_spend(&spend(KeyKind::Plan, 1_000, NOW - H)).unwrap();
    let settings = Settings::default();
    assert_eq!(lib.plan_window(&settings, NOW).unwrap().remaining, 3_500, "Plus, global: 4500");
    let overridden = Settings { quota_override: Some(1_200), ..Settings::default() };
    assert_eq!(lib.plan_window(&overridden, NOW).unwrap().remaining, 200);
    assert_eq!(lib.used_between(KeyKind::Plan, NOW - 2 * H, NOW).unwrap(), 1_000);
    assert_eq!(lib.used_between(KeyKind::Plan, NOW - H, NOW).unwrap(), 0, "the start is exclusive");
    assert_eq!(quota::weekly_cap(4_500), 45_000);
}

#[test]
fn the_demo_has_its_own_window_and_leaves_the_real_one_alone() {
    let (_dir, mut lib) = library();
    lib.record_spend(&spend(KeyKind::Plan, 100, NOW - H)).unwrap();
    lib.record_spend(&NewSpend { demo: true, ..spend(KeyKind::Plan, 4_000, NOW - H / 2) }).unwrap();
    lib.record_spend(&spend(KeyKind::Plan, 50, NOW - H / 4)).unwrap();
    let settings = Settings::default();
    assert_eq!(lib.plan_window(&settings, NOW).unwrap().used, 150, "real mode: the demo's spend is not real");
    assert_eq!(lib.window_points(NOW, WINDOW_MS).unwrap().len(), 2);

    lib.set_demo_ledger(true);
    let demo = lib.plan_window(&settings, NOW).unwrap();
    assert_eq!((demo.used, demo.next_release_requests), (4_000, 4_000), "demo mode: only the demo's");
    lib.set_demo_ledger(false);
    // The charts and the CSV still show every row.
    assert_eq!(lib.spend_between(0, i64::MAX).unwrap().len(), 3);
}

#[test]
fn a_second_charge_for_the_same_request_replaces_the_first_and_moves_later_totals() {
    let (_dir, mut lib) = library();
    let job = lib
        .insert_job(&crate::storage::jobs::tests::new_job(Modality::Video, "v", "p", NOW - 2 * H))
        .unwrap();
    let provisional = NewSpend {
        charge_key: Some("task:42".into()),
        basis: SpendBasis::Estimate,
        job_id: Some(job.id),
        modality: Modality::Video,
        ..spend(KeyKind::Plan, 4_500, NOW - H)
    };
    lib.record_spend(&provisional).unwrap();
    lib.record_spend(&spend(KeyKind::Plan, 10, NOW - H / 2)).unwrap();
    assert_eq!(lib.used_in_window(KeyKind::Plan, NOW, WINDOW_MS).unwrap(), 4_510);

    // The retry resumed task 42 and it succeeded: billed 3,000, not 4,500 + 3,000.
    let billed = NewSpend { requests: 3_000, basis: SpendBasis::Billed, at_ms: NOW, ..provisional.clone() };
    let entry = lib.record_spend(&billed).unwrap();
    assert_eq!(
        (entry.requests, entry.at_ms, entry.basis),
        (3_000, NOW - H, SpendBasis::Billed),
        "billed when made"
    );
    assert_eq!(lib.spend_of_job(job.id).unwrap().len(), 1, "one row per request");
    assert_eq!(lib.used_in_window(KeyKind::Plan, NOW, WINDOW_MS).unwrap(), 3_010, "later totals moved too");
    assert_eq!(lib.cumulative_requests_at(KeyKind::Plan, i64::MAX).unwrap(), 3_010);

    // Another request of the same job (a second call) is a second row.
    lib.record_spend(&NewSpend { charge_key: Some("call:2".into()), ..billed }).unwrap();
    assert_eq!(lib.spend_of_job(job.id).unwrap().len(), 2);
    assert_eq!(lib.used_in_window(KeyKind::Plan, NOW, WINDOW_MS).unwrap(), 6_010);
}

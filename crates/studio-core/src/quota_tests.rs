//! Window arithmetic with injected time.

use super::*;

const H: i64 = 60 * 60 * 1000;
const NOW: i64 = 1_776_355_200_000;

fn at(offset_ms: i64, requests: u64) -> SpendPoint {
    SpendPoint { at_ms: NOW + offset_ms, requests }
}

#[test]
fn empty_window_has_the_whole_quota() {
    let s = window_summary(&[], 4_500, NOW, WINDOW_MS);
    assert_eq!((s.used, s.remaining, s.next_release_at_ms, s.next_release_requests), (0, 4_500, None, 0));
    assert_eq!(available_at(&[], 4_500, 4_500, NOW, WINDOW_MS), Some(NOW));
}

#[test]
fn an_entry_exactly_five_hours_old_is_released() {
    let points = [at(-5 * H, 100), at(-5 * H + 1, 10), at(-H, 1)];
    let s = window_summary(&points, 4_500, NOW, WINDOW_MS);
    assert_eq!(s.used, 11, "the exactly-5-h entry no longer counts, the one 1 ms younger does");
    assert_eq!(s.next_release_at_ms, Some(NOW + 1));
    assert_eq!(s.next_release_requests, 10);
}

#[test]
fn many_entries_at_one_millisecond_release_together() {
    let points: Vec<_> = (0..1_000).map(|_| at(-2 * H, 3)).chain([at(-H, 7)]).collect();
    let s = window_summary(&points, 4_500, NOW, WINDOW_MS);
    assert_eq!(s.used, 3_007);
    assert_eq!(s.remaining, 1_493);
    assert_eq!(s.next_release_at_ms, Some(NOW + 3 * H));
    assert_eq!(s.next_release_requests, 3_000);
}

#[test]
fn quota_override_changes_remaining_and_over_use_clamps_at_zero() {
    let points = [at(-H, 1_500)];
    assert_eq!(window_summary(&points, 1_234, NOW, WINDOW_MS).remaining, 0);
    assert_eq!(window_summary(&points, 1_500, NOW, WINDOW_MS).remaining, 0);
    assert_eq!(window_summary(&points, 30_000, NOW, WINDOW_MS).remaining, 28_500);
}

#[test]
fn zero_request_entries_do_not_announce_a_release() {
    let points = [at(-4 * H, 0), at(-H, 5)];
    let s = window_summary(&points, 10, NOW, WINDOW_MS);
    assert_eq!((s.used, s.next_release_at_ms, s.next_release_requests), (5, Some(NOW + 4 * H), 5));
}

#[test]
fn future_entries_count() {
    let s = window_summary(&[at(10_000, 4)], 10, NOW, WINDOW_MS);
    assert_eq!(s.used, 4);
}

#[test]
fn when_n_requests_will_be_available() {
    // Quota 4500: 3000 spent 4 h ago (released in 1 h), 1000 spent 1 h ago (released in 4 h).
    let points = [at(-4 * H, 3_000), at(-H, 1_000)];
    let rows: &[(u64, Option<i64>)] = &[
        (0, Some(NOW)),
        (500, Some(NOW)),
        (501, Some(NOW + H)),
        (3_500, Some(NOW + H)),
        (3_501, Some(NOW + 4 * H)),
        (4_500, Some(NOW + 4 * H)),
        (4_501, None),
    ];
    for &(needed, want) in rows {
        assert_eq!(available_at(&points, 4_500, needed, NOW, WINDOW_MS), want, "needed {needed}");
    }
}

#[test]
fn over_quota_spend_must_be_released_first() {
    // 120 used against a quota of 100 (the quota was lowered): the first release of 30 frees only 10.
    let points = [at(-3 * H, 30), at(-2 * H, 90)];
    assert_eq!(available_at(&points, 100, 10, NOW, WINDOW_MS), Some(NOW + 2 * H));
    assert_eq!(available_at(&points, 100, 11, NOW, WINDOW_MS), Some(NOW + 3 * H));
}

#[test]
fn days_follow_the_time_zone() {
    let utc8 = 8 * H;
    // 2026-04-16T16:00Z is midnight in UTC+8.
    let (start, end) = day_bounds(NOW, utc8);
    assert_eq!((start, end), (NOW, NOW + 24 * H));
    let (start, _) = day_bounds(NOW - 1, utc8);
    assert_eq!(start, NOW - 24 * H);
    let (start, end) = day_bounds(NOW, 0);
    assert_eq!((start, end), (NOW - 16 * H, NOW + 8 * H));
}

#[test]
fn daily_buckets_count_their_models_only() {
    let rules = vec![
        DailyBucketRule {
            name: "image-01".into(),
            models: vec!["image-01".into()],
            limit_per_day: 100,
            unit: BucketUnit::Units,
        },
        DailyBucketRule {
            name: "speech-hd".into(),
            models: vec!["speech-2.8-hd".into(), "speech-2.6-hd".into()],
            limit_per_day: 9_000,
            unit: BucketUnit::Requests,
        },
    ];
    let spend = [
        ModelSpend { at_ms: NOW + H, model: "image-01", requests: 300, units: 4 },
        ModelSpend { at_ms: NOW - 1, model: "image-01", requests: 75, units: 1 }, // yesterday in UTC+8
        ModelSpend { at_ms: NOW + 2 * H, model: "Speech-2.8-HD", requests: 55, units: 91 },
        ModelSpend { at_ms: NOW + 2 * H, model: "MiniMax-M2.7", requests: 1, units: 1 },
    ];
    let got = daily_buckets(&rules, &spend, NOW + 3 * H, 8 * H);
    assert_eq!((got[0].used, got[0].remaining, got[0].resets_at_ms), (4, 96, NOW + 24 * H));
    assert_eq!((got[1].used, got[1].remaining), (55, 8_945));
}

#[test]
fn failure_policy_table() {
    let rows: &[(i64, FailureKind, FailureCharge)] = &[
        (1004, FailureKind::Auth, FailureCharge::Nothing),
        (2049, FailureKind::Auth, FailureCharge::Nothing),
        (2013, FailureKind::InvalidParams, FailureCharge::Nothing),
        (1026, FailureKind::InputFlagged, FailureCharge::Nothing),
        (2056, FailureKind::QuotaExhausted, FailureCharge::Nothing),
        (1002, FailureKind::RateLimited, FailureCharge::Nothing),
        (1008, FailureKind::InsufficientBalance, FailureCharge::Nothing),
        (1000, FailureKind::ServerErrorOnCreate, FailureCharge::Nothing),
        (1027, FailureKind::OutputFlagged, FailureCharge::Estimate),
    ];
    for &(code, kind, charge) in rows {
        assert_eq!(failure_kind_of_create_code(code), kind, "code {code}");
        assert_eq!(failure_charge(kind), charge, "{kind:?}");
    }
    for kind in [
        FailureKind::TaskFailed,
        FailureKind::OutcomeUnknown,
        FailureKind::CancelledAfterAccept,
        FailureKind::DownloadFailed,
    ] {
        assert_eq!(failure_charge(kind), FailureCharge::Estimate, "{kind:?}");
    }
    assert_eq!(failure_charge(FailureKind::NotSent), FailureCharge::Nothing);
}

fn server(total: u64, usage: u64, pct: Option<u8>, status: Option<u8>) -> ServerWindow {
    ServerWindow {
        fetched_at_ms: NOW,
        model_name: "MiniMax-M*".into(),
        total_count: total,
        usage_count: usage,
        remaining_percent: pct,
        status,
        end_time_ms: Some(NOW + H),
    }
}

#[test]
fn reconciliation_reports_the_difference() {
    let r = reconcile(&server(1_500, 228, Some(85), Some(1)), 200);
    assert_eq!((r.server_used, r.difference, r.basis), (Some(225), Some(25), ServerUsedBasis::Percent));
    assert_eq!(r.server_quota, Some(1_500));

    let r = reconcile(&server(1_500, 228, None, None), 300);
    assert_eq!((r.server_used, r.difference, r.basis), (Some(228), Some(-72), ServerUsedBasis::Count));

    let r = reconcile(&server(0, 0, Some(100), Some(1)), 300);
    assert_eq!((r.server_used, r.difference, r.basis), (None, None, ServerUsedBasis::Unavailable));

    let r = reconcile(&server(1_500, 0, Some(100), Some(3)), 300);
    assert_eq!(r.basis, ServerUsedBasis::Unlimited);
}

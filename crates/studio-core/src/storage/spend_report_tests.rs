//! Spend per day, the window over time, the ledger pages and the CSV.

use super::*;
use crate::quota::WINDOW_MS;
use crate::storage::NewSpend;

const H: i64 = 3_600_000;
/// 2026-04-16T16:00:00Z.
const NOW: i64 = 1_776_355_200_000;

fn library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open_in_memory(dir.path()).unwrap();
    (dir, library)
}

fn spend(modality: Modality, model: &str, key_kind: KeyKind, requests: u32, at_ms: i64) -> NewSpend {
    NewSpend {
        charge_key: None,
        basis: crate::storage::SpendBasis::Billed,
        job_id: None,
        modality,
        model: model.into(),
        key_kind,
        demo: false,
        requests,
        units: 1,
        at_ms,
    }
}

fn seeded() -> (tempfile::TempDir, Library) {
    let (dir, mut lib) = library();
    lib.record_spend(&spend(Modality::Speech, "speech-2.8-hd", KeyKind::Plan, 30, NOW - 30 * H)).unwrap();
    lib.record_spend(&spend(Modality::Video, "MiniMax-Hailuo-2.3", KeyKind::Plan, 4_500, NOW - 26 * H))
        .unwrap();
    lib.record_spend(&spend(Modality::Speech, "speech-2.8-turbo", KeyKind::PayAsYouGo, 12, NOW - 2 * H))
        .unwrap();
    lib.record_spend(&spend(Modality::Image, "image-01", KeyKind::Plan, 150, NOW - H)).unwrap();
    (dir, lib)
}

#[test]
fn requests_are_summed_per_local_day_and_group() {
    let (_dir, lib) = seeded();
    let days = lib.spend_per_day(NOW - 48 * H, NOW + 1, 0, SpendGrouping::Modality).unwrap();
    let rows: Vec<(i64, &str, u64, u64)> = days
        .iter()
        .map(|d| ((d.day_start_ms - NOW) / H, d.group.as_str(), d.requests, d.plan_requests))
        .collect();
    // NOW is 16:00 UTC: the day started 16 h before it.
    assert_eq!(
        rows,
        [
            (-40, "speech", 30, 30),
            (-40, "video", 4_500, 4_500),
            (-16, "image", 150, 150),
            (-16, "speech", 12, 0)
        ]
    );
    // At UTC+10 the speech at NOW-30h (10:00 local... next day) moves: days start at local midnight.
    let tokyo = lib.spend_per_day(NOW - 48 * H, NOW + 1, 10 * H, SpendGrouping::Model).unwrap();
    assert!(tokyo.iter().all(|d| (d.day_start_ms + 10 * H) % (24 * H) == 0), "local midnights");
    assert_eq!(tokyo.iter().map(|d| d.requests).sum::<u64>(), 4_692);
}

#[test]
fn the_window_series_matches_the_window_at_each_instant() {
    let (_dir, lib) = seeded();
    let series = lib.window_series(NOW - 6 * H, NOW, H, WINDOW_MS).unwrap();
    assert_eq!(series.len(), 7);
    assert_eq!(series.last().unwrap().requests, 150, "pay-as-you-go is not in the plan window");
    assert_eq!(series.first().unwrap().requests, 0);
}

#[test]
fn the_ledger_pages_newest_first_with_filters() {
    let (_dir, lib) = seeded();
    let first = lib.spend_page(&SpendFilter::default(), None, 3).unwrap();
    assert_eq!(first.entries.len(), 3);
    assert_eq!(first.entries[0].model, "image-01");
    let rest = lib.spend_page(&SpendFilter::default(), first.next_before_id, 3).unwrap();
    assert_eq!(rest.entries.len(), 1);
    assert_eq!(rest.next_before_id, None);
    let speech = SpendFilter {
        modality: Some(Modality::Speech),
        key_kind: Some(KeyKind::Plan),
        ..SpendFilter::default()
    };
    let only = lib.spend_page(&speech, None, 10).unwrap();
    assert_eq!(only.entries.iter().map(|e| e.requests).collect::<Vec<_>>(), [30]);
}

#[test]
fn the_csv_is_the_ledger() {
    let (_dir, lib) = seeded();
    let mut out = Vec::new();
    let written = lib.write_spend_csv(&SpendFilter::default(), &mut out).unwrap();
    assert_eq!(written, 4);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,at_utc,at_ms,job_id,modality,model,key,requests,units,cumulative_requests");
    assert_eq!(lines.len(), 5);
    assert!(lines[1].starts_with("1,2026-04-15T10:00:00.000Z,"), "{}", lines[1]);
    assert!(lines[2].contains(",video,MiniMax-Hailuo-2.3,plan,4500,1,4530"), "{}", lines[2]);
    let ledger = lib.spend_between(0, i64::MAX).unwrap();
    let csv_requests: u64 =
        lines[1..].iter().map(|l| l.split(',').nth(7).unwrap().parse::<u64>().unwrap()).sum();
    assert_eq!(csv_requests, ledger.iter().map(|e| e.requests).sum::<u64>());
}

#[test]
fn iso_dates_are_utc() {
    assert_eq!(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso8601_utc(NOW), "2026-04-16T16:00:00.000Z");
    assert_eq!(iso8601_utc(951_782_400_123), "2000-02-29T00:00:00.123Z");
}

#[test]
fn the_report_bundles_days_the_window_line_and_the_gauge() {
    let (_dir, lib) = seeded();
    let report = lib.spend_report(NOW - 48 * H, NOW + 1, 0, SpendGrouping::Modality, 4_500, NOW).unwrap();
    assert_eq!(report.days.len(), 4);
    assert!(
        report.window_series.len() <= 501 && report.window_series.len() > 100,
        "{}",
        report.window_series.len()
    );
    assert_eq!(report.window.used, 150);
    assert_eq!(report.window.remaining, 4_350);
    let peak = report.window_series.iter().map(|p| p.requests).max().unwrap();
    assert_eq!(peak, 4_530, "the day with the clip filled the window");
}

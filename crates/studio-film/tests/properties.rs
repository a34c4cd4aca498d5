//! No input makes an importer panic (issue 14, item 9), whatever the bytes, and whatever is done to a
//! valid file; what an importer accepts is valid and reads back the same; the schedule never overfills a
//! window.

mod support;

use proptest::prelude::*;
use studio_film::demo_film::DEMO_SCRIPT_JSON;
use studio_film::draft::parse_draft_reply;
use studio_film::schedule::{LedgerPoint, RenderStage, ScheduleInput, ScheduleJob, schedule};
use studio_film::script::fountain::import_fountain;
use studio_film::script::json::import_json;
use studio_film::script::{import_bytes, validate};

const FOUNTAIN: &str = include_str!("fixtures/the_lighthouse.fountain");

/// Characters that mean something to one of the parsers, so mutations hit the interesting paths.
const SIGNIFICANT: &[char] = &[
    '{', '}', '[', ']', ',', ':', '"', '\\', '/', '*', '\n', '\r', '\t', ' ', '(', ')', '^', '@', '!', '~',
    '>', '<', '.', '#', '=', '_', '\u{201c}', '\u{201d}', '\u{feff}', 'é', '🎬', '0', '-', 'e',
];

/// One edit of a text: delete a range, insert significant characters, or duplicate a range.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let insert = proptest::collection::vec(proptest::sample::select(SIGNIFICANT), 1..6)
        .prop_map(|chars| chars.into_iter().collect::<String>());
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Edit::Delete(at, len)),
        (any::<usize>(), insert).prop_map(|(at, text)| Edit::Insert(at, text)),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Edit::Duplicate(at, len)),
    ]
}

/// Applies edits at char boundaries (positions wrap around the text's length).
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let len = chars.len().max(1);
        match edit {
            Edit::Delete(at, n) => {
                let start = at % len;
                let end = (start + n).min(chars.len());
                if start < end {
                    chars.drain(start..end);
                }
            }
            Edit::Insert(at, text) => {
                let at = at % (chars.len() + 1);
                chars.splice(at..at, text.chars());
            }
            Edit::Duplicate(at, n) => {
                let start = at % len;
                let end = (start + n).min(chars.len());
                let copy: Vec<char> = chars.get(start..end).map(<[char]>::to_vec).unwrap_or_default();
                chars.splice(end..end, copy);
            }
        }
    }
    chars.into_iter().collect()
}

/// Whatever an importer accepts must be valid and survive a JSON round trip unchanged.
fn accepted_is_valid(script: &studio_film::Script) -> Result<(), TestCaseError> {
    prop_assert_eq!(validate(script), vec![]);
    let written = serde_json::to_string(script).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back = import_json(&written).map_err(|e| TestCaseError::fail(format!("{e}: {written}")))?;
    prop_assert_eq!(&back.script, script);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics_an_importer(text in "\\PC{0,400}") {
        if let Ok(imported) = import_json(&text) {
            accepted_is_valid(&imported.script)?;
        }
        if let Ok(imported) = import_fountain(&text) {
            accepted_is_valid(&imported.script)?;
        }
        if let Ok(imported) = parse_draft_reply(&text) {
            accepted_is_valid(&imported.script)?;
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = import_bytes(&bytes);
    }

    #[test]
    fn mutated_json_never_panics(edits in proptest::collection::vec(edit(), 1..8)) {
        let text = mutate(DEMO_SCRIPT_JSON, &edits);
        if let Ok(imported) = import_json(&text) {
            accepted_is_valid(&imported.script)?;
        }
        if let Ok(imported) = parse_draft_reply(&format!("Here you go:\n```json\n{text}\n```")) {
            accepted_is_valid(&imported.script)?;
        }
    }

    #[test]
    fn mutated_fountain_never_panics(edits in proptest::collection::vec(edit(), 1..8)) {
        let text = mutate(FOUNTAIN, &edits);
        if let Ok(imported) = import_fountain(&text) {
            accepted_is_valid(&imported.script)?;
        }
    }

    #[test]
    fn the_schedule_never_overfills_a_window(
        costs in proptest::collection::vec((0u8..4, proptest::option::weighted(0.9, 0u64..5000)), 0..40),
        points in proptest::collection::vec((0i64..20_000, 0u64..3000), 0..40),
        quota in 1u64..6000,
    ) {
        const WINDOW: i64 = 18_000;
        const NOW: i64 = 100_000;
        let stages = [RenderStage::Keyframes, RenderStage::Lines, RenderStage::Clips, RenderStage::Music];
        let jobs: Vec<ScheduleJob> = costs
            .iter()
            .enumerate()
            .map(|(i, (stage, requests))| ScheduleJob { stage: stages[*stage as usize], requests: *requests, label: format!("job {i}") })
            .collect();
        // Points from a little before the window to a little after now (clock skew).
        let points: Vec<LedgerPoint> =
            points.iter().map(|(offset, requests)| LedgerPoint { at_ms: NOW - WINDOW + offset, requests: *requests }).collect();
        let input = ScheduleInput { jobs: &jobs, window_points: &points, quota, window_ms: WINDOW, now_ms: NOW, paid_requests: 0 };
        let result = schedule(&input).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let placed = result.placements.len() + result.needs_pay_as_you_go.len() + result.unknown_cost.len();
        prop_assert_eq!(placed, jobs.len());
        let mut billed: Vec<(i64, u64)> = points.iter().map(|p| (p.at_ms, p.requests)).collect();
        let mut previous = NOW;
        for placement in &result.placements {
            prop_assert!(placement.start_ms >= previous);
            previous = placement.start_ms;
            let cost = jobs[placement.job as usize].requests.unwrap_or(0);
            let used: u64 = billed.iter().filter(|(at, _)| *at > placement.start_ms - WINDOW).map(|(_, r)| r).sum();
            // A job may only start early while the ledger itself is over the quota if it costs nothing.
            prop_assert!(used + cost <= quota || cost == 0, "job {} at {}: {} + {} > {}", placement.job, placement.start_ms, used, cost, quota);
            billed.push((placement.start_ms, cost));
        }
    }
}

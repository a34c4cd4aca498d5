use super::*;
use RenderStage::{Clips, Keyframes, Lines, Music};

const H: i64 = 3_600_000;
const W: i64 = 5 * H;
const NOW: i64 = 1_000 * H;

fn job(stage: RenderStage, requests: Option<u64>) -> ScheduleJob {
    ScheduleJob { stage, requests, label: format!("{stage:?} {requests:?}") }
}

fn point(at_ms: i64, requests: u64) -> LedgerPoint {
    LedgerPoint { at_ms, requests }
}

fn run(jobs: &[ScheduleJob], points: &[LedgerPoint], quota: u64) -> FilmSchedule {
    let input =
        ScheduleInput { jobs, window_points: points, quota, window_ms: W, now_ms: NOW, paid_requests: 7 };
    schedule(&input).unwrap()
}

/// (job index, start offset from now) of each placement, in start order.
fn starts(schedule: &FilmSchedule) -> Vec<(u32, i64)> {
    schedule.placements.iter().map(|p| (p.job, p.start_ms - NOW)).collect()
}

#[test]
fn placements_follow_the_rolling_window() {
    struct Case {
        name: &'static str,
        jobs: Vec<ScheduleJob>,
        points: Vec<LedgerPoint>,
        quota: u64,
        starts: Vec<(u32, i64)>,
        windows: u32,
        finish: Option<i64>,
    }
    let cases = vec![
        Case {
            name: "empty ledger: everything fits now",
            jobs: vec![job(Keyframes, Some(75)), job(Keyframes, Some(75)), job(Lines, Some(30))],
            points: vec![],
            quota: 1500,
            // Lines (30 a job) are cheaper than keyframes (75 a job), so they go first.
            starts: vec![(2, 0), (0, 0), (1, 0)],
            windows: 1,
            finish: Some(KEYFRAME_RUN_MS),
        },
        Case {
            name: "a full window: wait for the oldest release",
            jobs: vec![job(Keyframes, Some(75))],
            points: vec![point(NOW - H, 1000), point(NOW - 2 * H, 500)],
            quota: 1500,
            // The 500 billed 2 h ago come back at now + 3 h.
            starts: vec![(0, 3 * H)],
            windows: 1,
            finish: Some(3 * H + KEYFRAME_RUN_MS),
        },
        Case {
            name: "a job exactly filling the quota runs now; the next waits a whole window",
            jobs: vec![job(Clips, Some(4500)), job(Clips, Some(4500))],
            points: vec![],
            quota: 4500,
            starts: vec![(0, 0), (1, W)],
            windows: 2,
            finish: Some(W + CLIP_RUN_MS),
        },
        Case {
            name: "a point exactly one window old is already released",
            jobs: vec![job(Keyframes, Some(100))],
            points: vec![point(NOW - W, 100)],
            quota: 100,
            starts: vec![(0, 0)],
            windows: 1,
            finish: Some(KEYFRAME_RUN_MS),
        },
        Case {
            name: "release at exactly t + window, to the millisecond",
            jobs: vec![job(Lines, Some(50))],
            points: vec![point(NOW - W + 1000, 60)],
            quota: 100,
            starts: vec![(0, 1000)],
            windows: 1,
            finish: Some(1000 + LINE_RUN_MS),
        },
        Case {
            name: "a ledger already over the quota releases its excess first",
            jobs: vec![job(Lines, Some(10))],
            points: vec![point(NOW - 4 * H, 80), point(NOW - 3 * H, 50)],
            quota: 100,
            // At now + 1 h the 80 leave: 50 used, 10 fit.
            starts: vec![(0, H)],
            windows: 1,
            finish: Some(H + LINE_RUN_MS),
        },
        Case {
            name: "points stamped in the future (clock skew) still count",
            jobs: vec![job(Lines, Some(10))],
            points: vec![point(NOW + H, 100)],
            quota: 100,
            starts: vec![(0, H + W)],
            windows: 2,
            finish: Some(H + W + LINE_RUN_MS),
        },
        Case {
            name: "a Plus film over three windows",
            jobs: vec![
                job(Clips, Some(4500)),
                job(Keyframes, Some(75)),
                job(Clips, Some(4500)),
                job(Keyframes, Some(75)),
                job(Music, Some(3000)),
            ],
            points: vec![],
            quota: 4500,
            // Keyframes (150) now; music (3000) now, 3150 used; the first clip when those leave at now + W;
            // the second a window later.
            starts: vec![(1, 0), (3, 0), (4, 0), (0, W), (2, 2 * W)],
            windows: 3,
            finish: Some(2 * W + CLIP_RUN_MS),
        },
        Case {
            name: "zero-cost jobs start at once and bill nothing",
            jobs: vec![job(Lines, Some(0)), job(Lines, Some(100))],
            points: vec![],
            quota: 100,
            starts: vec![(0, 0), (1, 0)],
            windows: 1,
            finish: Some(LINE_RUN_MS),
        },
        Case {
            name: "a queue: a small job never overtakes a waiting one of the same stage",
            jobs: vec![job(Lines, Some(90)), job(Lines, Some(1))],
            points: vec![point(NOW - H, 50)],
            quota: 100,
            starts: vec![(0, 4 * H), (1, 4 * H)],
            windows: 1,
            finish: Some(4 * H + LINE_RUN_MS),
        },
        Case {
            name: "nothing to place",
            jobs: vec![],
            points: vec![point(NOW - H, 50)],
            quota: 100,
            starts: vec![],
            windows: 0,
            finish: None,
        },
    ];
    for case in cases {
        let schedule = run(&case.jobs, &case.points, case.quota);
        assert_eq!(starts(&schedule), case.starts, "{}", case.name);
        assert_eq!(schedule.windows_needed, case.windows, "{}", case.name);
        assert_eq!(schedule.finishes_at_ms.map(|f| f - NOW), case.finish, "{}", case.name);
        assert_eq!(schedule.paid_requests, 7, "{}", case.name);
    }
}

#[test]
fn stages_are_ordered_by_cost_per_job_then_film_order() {
    let jobs = vec![
        job(Clips, Some(4500)),
        job(Lines, Some(30)),
        job(Music, Some(3000)),
        job(Keyframes, Some(75)),
        job(Lines, Some(20)),
        job(Keyframes, Some(75)),
        job(Clips, Some(3000)),
    ];
    let order: Vec<u32> = run(&jobs, &[], 1_000_000).placements.iter().map(|p| p.job).collect();
    assert_eq!(order, [1, 4, 3, 5, 2, 0, 6]);
    // Equal costs per job keep keyframes, lines, music, clips.
    let same =
        vec![job(Clips, Some(10)), job(Music, Some(10)), job(Lines, Some(10)), job(Keyframes, Some(10))];
    let order: Vec<u32> = run(&same, &[], 100).placements.iter().map(|p| p.job).collect();
    assert_eq!(order, [3, 2, 1, 0]);
}

#[test]
fn unknown_costs_are_named_and_never_counted_as_zero() {
    let jobs = vec![
        ScheduleJob { stage: Clips, requests: None, label: "Shot 2 clip (1080P)".into() },
        job(Keyframes, Some(75)),
        job(Clips, Some(4500)),
    ];
    let schedule = run(&jobs, &[], 4500);
    assert_eq!(
        schedule.unknown_cost,
        vec![UnplacedJob { job: 0, label: "Shot 2 clip (1080P)".into(), requests: None }]
    );
    assert_eq!(starts(&schedule), [(1, 0), (2, W)]);
    let clips = schedule.stages.iter().find(|s| s.stage == Clips).copied();
    assert_eq!(clips, Some(StageTotal { stage: Clips, requests: 4500, count: 2, unknown: 1 }));
    assert_eq!(schedule.total_requests, 4575);
}

#[test]
fn a_job_over_the_whole_quota_needs_pay_as_you_go() {
    let jobs = vec![job(Clips, Some(4500)), job(Lines, Some(40))];
    let schedule = run(&jobs, &[], 4000);
    assert_eq!(schedule.needs_pay_as_you_go.len(), 1);
    assert_eq!(schedule.needs_pay_as_you_go[0].job, 0);
    assert_eq!(schedule.needs_pay_as_you_go[0].requests, Some(4500));
    assert_eq!(starts(&schedule), [(1, 0)]);
    // Its cost still counts in the film's totals.
    assert_eq!(schedule.total_requests, 4540);
}

#[test]
fn totals_are_listed_per_stage_in_a_fixed_order() {
    let jobs = vec![job(Music, Some(3000)), job(Lines, Some(10)), job(Lines, None)];
    let stages = run(&jobs, &[], 5000).stages;
    let listed: Vec<(RenderStage, u64, u32, u32)> =
        stages.iter().map(|s| (s.stage, s.requests, s.count, s.unknown)).collect();
    assert_eq!(listed, [(Keyframes, 0, 0, 0), (Lines, 10, 2, 1), (Clips, 0, 0, 0), (Music, 3000, 1, 0)]);
}

#[test]
fn a_window_of_no_length_is_refused() {
    let input =
        ScheduleInput { jobs: &[], window_points: &[], quota: 1, window_ms: 0, now_ms: 0, paid_requests: 0 };
    assert!(matches!(schedule(&input), Err(FilmError::ScheduleInput(_))));
}

#[test]
fn no_placement_ever_overfills_a_window() {
    // A brute-force check of the invariant over a dense mix: at every start, the requests billed in the
    // window ending there (ledger + earlier placements) never exceed the quota.
    let quota = 4500;
    let jobs: Vec<ScheduleJob> = (0..60)
        .map(|i| match i % 4 {
            0 => job(Keyframes, Some(75)),
            1 => job(Lines, Some(20 + i)),
            2 => job(Clips, Some(1500 + 750 * (i % 3))),
            _ => job(Music, Some(450)),
        })
        .collect();
    let points: Vec<LedgerPoint> = (0..50).map(|i| point(NOW - W + 1 + i * 360_000, 80)).collect();
    let schedule = run(&jobs, &points, quota);
    assert_eq!(schedule.placements.len(), jobs.len());
    let mut billed: Vec<(i64, u64)> = points.iter().map(|p| (p.at_ms, p.requests)).collect();
    let mut previous = NOW;
    for placement in &schedule.placements {
        assert!(placement.start_ms >= previous, "starts are a queue");
        previous = placement.start_ms;
        let cost = jobs[placement.job as usize].requests.unwrap_or(0);
        let in_window: u64 =
            billed.iter().filter(|(at, _)| *at > placement.start_ms - W).map(|(_, r)| r).sum();
        assert!(in_window + cost <= quota, "job {} overfills: {in_window} + {cost}", placement.job);
        billed.push((placement.start_ms, cost));
    }
}

//! The figures of issue 15 that belong to this crate's pure core, for `make bench`:
//! importing a 120-page Fountain screenplay (≤ 50 ms) and scheduling a 100-shot film against 1,000 window
//! points (≤ 5 ms; the 1M-row ledger stays in the database, which hands over only the window's points).
//!
//! Run with `cargo run --release -p studio-film --example script_bench`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use studio_film::schedule::{ScheduleInput, schedule};
use studio_film::script::fountain::import_fountain;

/// Runs `f` `runs` times and returns the median time.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    const RUNS: usize = 31;
    let screenplay = support::screenplay(120);
    let mut shots = 0;
    let fountain = median(RUNS, || {
        if let Ok(imported) = import_fountain(&screenplay) {
            shots = imported.script.shots.len();
        }
    });
    println!(
        "fountain import, 120 pages ({} lines, {} KiB, {shots} shots): median of {RUNS} {:.2} ms (goal ≤ 50 ms)",
        screenplay.lines().count(),
        screenplay.len() / 1024,
        ms(fountain)
    );

    const WINDOW_MS: i64 = 5 * 60 * 60 * 1000;
    const NOW_MS: i64 = 1_800_000_000_000;
    let jobs = support::film_jobs(100);
    let points = support::window_points(1000, NOW_MS, WINDOW_MS);
    let input = ScheduleInput {
        jobs: &jobs,
        window_points: &points,
        quota: 4500,
        window_ms: WINDOW_MS,
        now_ms: NOW_MS,
        paid_requests: 0,
    };
    let mut windows = 0;
    let scheduling = median(RUNS, || {
        if let Ok(result) = schedule(&input) {
            windows = result.windows_needed;
        }
    });
    println!(
        "schedule, 100 shots ({} jobs) against {} window points: median of {RUNS} {:.3} ms (goal ≤ 5 ms), {windows} windows on Plus",
        jobs.len(),
        points.len(),
        ms(scheduling)
    );
}

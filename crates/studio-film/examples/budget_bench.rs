//! Issue 15's figure "cost + schedule of a 100-shot film against a 1M-row ledger: ≤ 5 ms", end to end over a
//! real library file: the ledger's points in the current window (one index range), the film read from its
//! tables, and the budget (every stage planned, costed and scheduled on the rolling window).
//!
//! Run with `cargo run --release -p studio-film --example budget_bench` (seeding 1M rows takes a while; the
//! library is kept in a temp folder for the run only).

use std::time::{Duration, Instant};

use studio_core::Library;
use studio_core::modality::Modality;
use studio_core::quota::WINDOW_MS;
use studio_core::storage::{KeyKind, NewSpend, SpendBasis};
use studio_film::project::budget::{PlanWindow, budget};
use studio_film::project::{create_from_script, load_film};
use studio_film::script::{Script, ScriptCast, ScriptLine, ScriptShot};

const LEDGER_ROWS: usize = 1_000_000;
const SHOTS: usize = 100;

fn film_script() -> Script {
    let mut script = studio_film::demo_film::demo_script();
    script.title = "A hundred shots".into();
    script.cast = vec![
        ScriptCast {
            name: "Mara".into(),
            look: Some("a girl in a yellow raincoat".into()),
            voice: Some("English_PlayfulGirl".into()),
        },
        ScriptCast {
            name: "Theo".into(),
            look: Some("an old man in a flat cap".into()),
            voice: Some("English_Gentle-voiced_man".into()),
        },
    ];
    script.shots = (0..SHOTS)
        .map(|i| ScriptShot {
            description: format!("Shot {i}: the paper boat drifts past another doorway in the rain"),
            camera: Vec::new(),
            duration_s: Some(6.0),
            characters: vec!["Mara".into()],
            lines: vec![ScriptLine {
                speaker: if i % 2 == 0 { "Mara" } else { "Narrator" }.into(),
                text: format!("Line {i}, said once."),
                emotion: None,
            }],
        })
        .collect();
    script
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort_unstable();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let dir = tempfile::tempdir().expect("temp folder");
    let mut library = Library::open_at(dir.path()).expect("library").0;
    let now = 1_780_000_000_000_i64;
    let started = Instant::now();
    // A million billed requests over a year, the newest inside the current window.
    let step = 365 * 86_400_000 / LEDGER_ROWS as i64;
    for chunk in (0..LEDGER_ROWS).collect::<Vec<_>>().chunks(50_000) {
        let rows: Vec<NewSpend> = chunk
            .iter()
            .map(|&i| NewSpend {
                charge_key: None,
                basis: SpendBasis::Billed,
                job_id: None,
                modality: Modality::Image,
                model: "image-01".into(),
                key_kind: KeyKind::Plan,
                demo: false,
                requests: 1,
                units: 1,
                at_ms: now - (LEDGER_ROWS - i) as i64 * step,
            })
            .collect();
        library.record_spends(&rows).expect("seed");
    }
    let film = create_from_script(&mut library, &film_script(), now).expect("film");
    eprintln!(
        "seeded {LEDGER_ROWS} ledger rows and a {SHOTS}-shot film in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let root = dir.path().to_path_buf();
    let mut whole = Vec::new();
    let mut schedule_only = Vec::new();
    for _ in 0..31 {
        let started = Instant::now();
        let points = library.window_points(now, WINDOW_MS).expect("window");
        let loaded = load_film(&mut library, film).expect("load");
        let read = started.elapsed();
        let window = PlanWindow { quota: 4_500, window_ms: WINDOW_MS, points, now_ms: now };
        let costed = budget(&loaded, &window, &root).expect("budget");
        whole.push(started.elapsed());
        schedule_only.push(started.elapsed() - read);
        assert!(costed.total_requests > 0);
    }
    println!(
        "film_budget_100_shots_1m_ledger_ms={:.2} (goal <= 5; window points + film read + cost + schedule)",
        median(whole)
    );
    println!("film_cost_and_schedule_only_ms={:.2}", median(schedule_only));
}

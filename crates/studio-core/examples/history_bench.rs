//! Library benchmark: seeds N jobs (and one spend entry per job) into a file database and prints the
//! latency of the history queries beside their goals (issue 4, "Benchmarks").
//!
//! `cargo run --release -p studio-core --example history_bench -- --rows 100000 [--dir PATH] [--cjk-every N]`
//!
//! One prompt in N (default 4) is Chinese or Japanese (no spaces between words); `--cjk-every 0` seeds only
//! Latin prompts.
//!
//! Without `--dir` a temporary folder is used and removed afterwards.

use std::time::{Duration, Instant};

use studio_core::Library;
use studio_core::modality::Modality;
use studio_core::pricing::Cost;
use studio_core::quota::WINDOW_MS;
use studio_core::storage::{JobFilter, JobState, KeyKind, NewJob, NewSpend};

const WORDS: &[&str] = &[
    "cat", "dog", "city", "night", "rain", "neon", "forest", "river", "mountain", "robot", "portrait",
    "ocean", "sunset", "castle", "dragon", "space", "desert", "winter", "garden", "train", "market", "storm",
    "violin", "dancer", "lantern", "harbor", "glacier", "meadow", "temple", "bridge", "comet", "orchid",
];

/// Chinese and Japanese words: one prompt in four is written in them (8 words, no spaces, as CJK text is).
const CJK_WORDS: &[&str] = &[
    "城市",
    "夜晚",
    "下雨",
    "霓虹",
    "森林",
    "河流",
    "高山",
    "机器人",
    "肖像",
    "海洋",
    "日落",
    "城堡",
    "飞龙",
    "太空",
    "沙漠",
    "冬天",
    "花园",
    "火车",
    "市场",
    "风暴",
    "小提琴",
    "舞者",
    "灯笼",
    "港口",
    "猫",
    "犬",
    "ねこ",
    "さくら",
    "ロボット",
    "夕焼け",
    "雨の夜",
    "星空",
];

/// A rare CJK word: one CJK prompt in 1,000 contains it.
const RARE_CJK_WORD: &str = "极光";

/// A rare word: one prompt in 1,000 contains it. Each of the 32 common words is in about a quarter of the
/// prompts — far denser than real prompts, so the search figures are pessimistic.
const RARE_WORD: &str = "aurora";

const NOW_MS: i64 = 1_776_355_200_000;
const SPACING_MS: i64 = 30_000;
const BATCH: usize = 10_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rows: usize = 100_000;
    let mut dir_arg: Option<std::path::PathBuf> = None;
    let mut cjk_every: usize = 4;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rows" => rows = args.next().ok_or("--rows needs a number")?.replace('_', "").parse()?,
            "--dir" => dir_arg = Some(args.next().ok_or("--dir needs a path")?.into()),
            // `--cjk-every 0`: only Latin prompts (the data set of the figures before CJK search).
            "--cjk-every" => cjk_every = args.next().ok_or("--cjk-every needs a number")?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let temp = tempfile::tempdir()?;
    let root = dir_arg.unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&root)?;
    let (mut library, _) = Library::open_at(&root)?;

    let seed_start = Instant::now();
    let mut rng = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut seeded = 0usize;
    while seeded < rows {
        let n = BATCH.min(rows - seeded);
        let mut jobs = Vec::with_capacity(n);
        let mut spend = Vec::with_capacity(n);
        for i in seeded..seeded + n {
            let created = NOW_MS - i64::try_from(rows - i)? * SPACING_MS;
            let modality = Modality::ALL[i % Modality::ALL.len()];
            let cjk = cjk_every > 0 && i % cjk_every == cjk_every - 1;
            let words = if cjk { CJK_WORDS } else { WORDS };
            let mut prompt: Vec<&str> =
                (0..8).map(|_| words[(next() % words.len() as u64) as usize]).collect();
            if i % 1_000 == 0 {
                prompt.push(RARE_WORD);
            }
            if cjk && i % 1_000 == 3 {
                prompt.push(RARE_CJK_WORD);
            }
            jobs.push(NewJob {
                modality,
                model: format!("{}-model", modality.as_str()),
                params: studio_core::request::JobParams::seeded(),
                prompt: prompt.join(if cjk { "" } else { " " }),
                estimate: Cost::Requests(75),
                key_kind: KeyKind::Plan,
                demo: i % 10 == 0,
                state: JobState::Succeeded,
                created_at_ms: created,
            });
            spend.push(NewSpend {
                charge_key: None,
                basis: studio_core::storage::SpendBasis::Billed,
                job_id: None,
                modality,
                model: format!("{}-model", modality.as_str()),
                key_kind: KeyKind::Plan,
                demo: false,
                requests: 1 + (i % 5) as u32,
                units: 1,
                at_ms: created,
            });
        }
        library.insert_jobs(&jobs)?;
        library.record_spends(&spend)?;
        seeded += n;
    }
    let seed_time = seed_start.elapsed();
    let db_bytes = std::fs::metadata(root.join(studio_core::storage::DATABASE_FILE))?.len()
        + std::fs::metadata(root.join(format!("{}-wal", studio_core::storage::DATABASE_FILE)))
            .map_or(0, |m| m.len());
    println!(
        "seeded {rows} jobs + {rows} spend entries in {:.1} s into {} ({:.0} MiB with the WAL)",
        seed_time.as_secs_f64(),
        root.display(),
        db_bytes as f64 / 1_048_576.0
    );

    let filter = JobFilter::default();
    let first_page = time(200, || {
        library.list_jobs(&filter, None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let page = library.list_jobs(&filter, None, 50)?;
    let deep_cursor = library.list_jobs(&filter, None, 50)?.next; // page 2 start
    let next_page = time(200, || {
        library.list_jobs(&filter, deep_cursor, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    // A page deep in the history (about the middle), to show keyset cost does not grow with depth.
    let middle = page.jobs.first().map(|j| j.id).unwrap_or(0) / 2;
    let middle_cursor = library
        .job(middle.max(1))
        .ok()
        .map(|j| studio_core::storage::JobCursor { created_at_ms: j.created_at_ms, id: j.id });
    let deep_page = time(200, || {
        library.list_jobs(&filter, middle_cursor, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let kind_filter = JobFilter { modality: Some(Modality::Video), demo: Some(false), ..Default::default() };
    let filtered_page = time(200, || {
        library.list_jobs(&kind_filter, None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let rare_hits = library.search_jobs(RARE_WORD, None, 50)?.jobs.len();
    let search_rare = time(100, || {
        library.search_jobs(RARE_WORD, None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let search_common = time(100, || {
        library.search_jobs("neon cat", None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let search_prefix = time(100, || {
        library.search_jobs("neon ca*", None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let rare_cjk_hits = library.search_jobs(RARE_CJK_WORD, None, 50)?.jobs.len();
    let search_cjk_rare = time(100, || {
        library.search_jobs(RARE_CJK_WORD, None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let search_cjk_common = time(100, || {
        library.search_jobs("城市", None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let search_cjk_two = time(100, || {
        library.search_jobs("城市 夜晚", None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let search_japanese = time(100, || {
        library.search_jobs("雨の夜", None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let search_cjk_single = time(100, || {
        library.search_jobs("猫", None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let search_long_prefix = time(100, || {
        library.search_jobs("neon cast*", None, 50).map(|p| p.jobs.len()).unwrap_or(0);
    });
    let window = time(200, || {
        library.window_summary(4_500, NOW_MS, WINDOW_MS).map(|s| s.used).unwrap_or(0);
    });
    let summary = library.window_summary(4_500, NOW_MS, WINDOW_MS)?;
    let available = time(200, || {
        library.plan_requests_available_at(4_500, 4_000, NOW_MS, WINDOW_MS).ok();
    });

    let mut insert_times = Vec::with_capacity(1_000);
    for i in 0..1_000i64 {
        let new = NewJob {
            modality: Modality::Image,
            model: "image-01".into(),
            params: studio_core::request::JobParams::seeded(),
            prompt: "a single insert with a short prompt".into(),
            estimate: Cost::Requests(75),
            key_kind: KeyKind::Plan,
            demo: false,
            state: JobState::Queued,
            created_at_ms: NOW_MS + i,
        };
        let start = Instant::now();
        library.insert_job(&new)?;
        insert_times.push(start.elapsed());
    }
    let insert = Stats::of(insert_times);

    println!("\n{rows} rows (file database, WAL, synchronous=NORMAL); page size 50; times in ms");
    println!("{:<34} {:>9} {:>9} {:>9}  goal", "query", "median", "p99", "max");
    row("first page", &first_page, "≤ 1 ms");
    row("next page (keyset)", &next_page, "≤ 1 ms");
    row("page in the middle (keyset)", &deep_page, "≤ 1 ms");
    row("first page, kind+demo filter", &filtered_page, "≤ 1 ms");
    row(&format!("FTS search rare word ({rare_hits} hits)"), &search_rare, "≤ 10 ms");
    row("FTS search two common words", &search_common, "≤ 10 ms");
    row("FTS common word + prefix (ca*)", &search_prefix, "≤ 10 ms");
    row("FTS common word + prefix (cast*)", &search_long_prefix, "≤ 10 ms");
    row(&format!("CJK rare word 极光 ({rare_cjk_hits} hits)"), &search_cjk_rare, "≤ 10 ms");
    row("CJK common word 城市", &search_cjk_common, "≤ 10 ms");
    row("CJK two words 城市 夜晚", &search_cjk_two, "≤ 10 ms");
    row("Japanese 雨の夜", &search_japanese, "≤ 10 ms");
    row("CJK one character 猫", &search_cjk_single, "≤ 10 ms");
    row("window summary", &window, "≤ 1 ms");
    row("when 4000 requests are free", &available, "(no goal)");
    row("single insert (autocommit)", &insert, "p99 ≤ 2 ms");
    println!(
        "\nwindow at the seed's end: used {} of {}, next release {:?} (+{})",
        summary.used, summary.quota, summary.next_release_at_ms, summary.next_release_requests
    );
    drop(temp);
    Ok(())
}

struct Stats {
    median: Duration,
    p99: Duration,
    max: Duration,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort_unstable();
        let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
        Stats { median: at(0.5), p99: at(0.99), max: at(1.0) }
    }
}

fn time(iterations: usize, mut f: impl FnMut()) -> Stats {
    f(); // warm the statement cache and the page cache
    let samples = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    Stats::of(samples)
}

fn row(name: &str, s: &Stats, goal: &str) {
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    println!("{name:<34} {:>9.3} {:>9.3} {:>9.3}  {goal}", ms(s.median), ms(s.p99), ms(s.max));
}

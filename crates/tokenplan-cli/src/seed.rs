//! `tokenplan seed N`: fills the library with N demo generations with real, playable media (made by the
//! simulator's generators) — for trying the Library screen and for its benchmarks. Files are hard links to a
//! small pool of distinct files, so 100,000 generations take seconds and almost no disk.

use std::path::{Path, PathBuf};

use studio_core::modality::Modality;
use studio_core::pricing::{self, Cost};
use studio_core::runner::{Clock, SystemClock};
use studio_core::storage::import::FinishedGeneration;
use studio_core::storage::media::extension_for_mime;
use studio_core::storage::{JobState, KeyKind, NewJob, NewMedia, NewSpend};

use studio_media::LIBRARY_THUMB_EDGE;

use crate::error::{CliError, Result};

/// The folder of the files seeded generations link to.
const POOL_DIR: &str = "seed-pool";
use crate::session::{Output, Session};

const SUBJECTS: &[&str] = &[
    "lighthouse",
    "fox",
    "whale",
    "kite",
    "astronaut",
    "harbour",
    "forest",
    "train",
    "violin",
    "desert",
    "rain",
    "castle",
    "robot",
    "garden",
    "glacier",
    "market",
    "dragon",
    "bicycle",
    "lantern",
    "owl",
];
const MOODS: &[&str] =
    &["at dawn", "in fog", "under neon", "in the snow", "at dusk", "on film", "in watercolour"];
const DAY_MS: i64 = 86_400_000;
const BATCH: usize = 5_000;

/// One file of the pool.
struct PoolFile {
    path: PathBuf,
    mime: &'static str,
    size: u64,
    duration_ms: Option<i64>,
    width: Option<u32>,
    height: Option<u32>,
    /// Its Library thumbnail, for images and video.
    thumbnail: Option<PathBuf>,
}

/// The few real files every seeded generation links to, under `<root>/seed-pool`, with their thumbnails.
fn write_pool(root: &Path) -> Result<Vec<(Modality, PoolFile)>> {
    let dir = root.join(POOL_DIR);
    std::fs::create_dir_all(&dir)?;
    let mut pool = Vec::new();
    let mut put = |modality: Modality,
                   name: String,
                   bytes: &[u8],
                   mime: &'static str,
                   meta: (Option<i64>, Option<u32>, Option<u32>)|
     -> Result<()> {
        let path = dir.join(&name);
        std::fs::write(&path, bytes)?;
        let (duration_ms, width, height) = meta;
        let thumbnail = studio_media::has_thumbnail(mime)
            .then(|| studio_media::thumbnail(root, &format!("{POOL_DIR}/{name}"), LIBRARY_THUMB_EDGE))
            .transpose()
            .map_err(|e| std::io::Error::other(format!("cannot make a seed thumbnail: {e}")))?;
        let size = bytes.len() as u64;
        pool.push((modality, PoolFile { path, mime, size, duration_ms, width, height, thumbnail }));
        Ok(())
    };
    for seed in 0..12u64 {
        let (w, h) = [(1024, 1024), (1280, 720), (720, 1280)][seed as usize % 3];
        let png = minimax_sim::media::image::render_png(w / 4, h / 4, seed);
        put(
            Modality::Image,
            format!("image-{seed}.png"),
            &png,
            "image/png",
            (None, Some(w / 4), Some(h / 4)),
        )?;
    }
    for seconds in [2.0, 4.0, 7.0] {
        if let Some((audio, _)) = minimax_sim::media::audio::synthesize("mp3", seconds, 32_000, 1) {
            let ms = Some((seconds * 1000.0) as i64);
            put(Modality::Speech, format!("speech-{seconds}.mp3"), &audio, "audio/mpeg", (ms, None, None))?;
            put(Modality::Music, format!("music-{seconds}.mp3"), &audio, "audio/mpeg", (ms, None, None))?;
        }
    }
    let clip = minimax_sim::media::video::video_content(0);
    put(Modality::Video, "clip.mp4".into(), &clip.head, "video/mp4", (Some(1_000), Some(160), Some(90)))?;
    put(
        Modality::Lyrics,
        "lyrics.txt".into(),
        b"[Verse]\nSeeded words\n[Chorus]\nSing it back",
        "text/plain",
        (None, None, None),
    )?;
    Ok(pool)
}

fn model_of(modality: Modality) -> &'static str {
    match modality {
        Modality::Text => "MiniMax-M2.7",
        Modality::Speech | Modality::SpeechAsync => "speech-2.8-hd",
        Modality::Image => "image-01",
        Modality::Video => "MiniMax-Hailuo-2.3",
        Modality::Music => "music-2.5",
        Modality::Lyrics => "lyrics",
        Modality::Film => "ffmpeg",
    }
}

fn cost_of(modality: Modality, prompt: &str) -> Cost {
    use studio_core::pricing::CostInput;
    let model = model_of(modality).to_owned();
    let input = match modality {
        // A film export is made on this machine: nothing is billed.
        Modality::Film => return Cost::Requests(0),
        Modality::Speech | Modality::SpeechAsync => CostInput::Speech {
            model,
            asynchronous: false,
            characters: prompt.chars().count() as u32,
            billed_characters: None,
        },
        Modality::Image => CostInput::Image { model, count: 1 },
        Modality::Video => CostInput::Video { model, resolution: "768P".into(), duration_s: 6 },
        Modality::Music => CostInput::Music { model },
        Modality::Lyrics => CostInput::Lyrics,
        Modality::Text => CostInput::Text { model },
    };
    pricing::estimate(&input)
}

/// A hard link where the file system allows one (100,000 seeds share a few dozen files), else a copy.
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to)?;
    }
    Ok(())
}

/// Seeds `count` demo generations spread over the last 90 days.
pub fn seed(session: &Session, out: &Output, count: usize) -> Result<()> {
    if count == 0 {
        return Err(CliError::Usage("seed needs a count above 0".into()));
    }
    let started = std::time::Instant::now();
    let mut library = session.library()?;
    let root = library.root().to_path_buf();
    let pool = write_pool(&root)?;
    std::fs::create_dir_all(root.join("media"))?;
    let now = SystemClock.now_ms();
    let span = 90 * DAY_MS;
    let mut seeded = 0usize;
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    while seeded < count {
        let batch = BATCH.min(count - seeded);
        let mut generations = Vec::with_capacity(batch);
        let mut links = Vec::with_capacity(batch);
        for i in 0..batch {
            let n = seeded + i;
            let (modality, file) = &pool[(next() % pool.len() as u64) as usize];
            let prompt = format!(
                "A {} {} #{n}",
                SUBJECTS[(next() % SUBJECTS.len() as u64) as usize],
                MOODS[(next() % MOODS.len() as u64) as usize]
            );
            let created = now - span + (span / count as i64) * n as i64;
            let estimate = cost_of(*modality, &prompt);
            let requests = estimate.requests();
            generations.push(FinishedGeneration {
                job: NewJob {
                    modality: *modality,
                    model: model_of(*modality).into(),
                    params: studio_core::request::JobParams::seeded(),
                    prompt,
                    estimate,
                    key_kind: KeyKind::Plan,
                    demo: true,
                    state: JobState::Succeeded,
                    created_at_ms: created,
                },
                actual_requests: requests,
                media: vec![NewMedia {
                    ordinal: 0,
                    rel_path: format!("media/{{id}}-0.{}", extension_for_mime(file.mime)),
                    mime: file.mime.into(),
                    size_bytes: file.size,
                    duration_ms: file.duration_ms,
                    width_px: file.width,
                    height_px: file.height,
                }],
                // Seeded spend stays out of the current 5-hour window, so demo data never blocks real work.
                spend: requests.filter(|_| created < now - 6 * 3_600_000).map(|requests| NewSpend {
                    charge_key: None,
                    basis: studio_core::storage::SpendBasis::Billed,
                    job_id: None,
                    modality: *modality,
                    model: model_of(*modality).into(),
                    key_kind: KeyKind::Plan,
                    demo: true,
                    requests,
                    units: 1,
                    at_ms: created,
                }),
            });
            links.push(file);
        }
        let ids = library.import_finished(&generations)?;
        for (id, file) in ids.iter().zip(links) {
            let rel_path = format!("media/{id}-0.{}", extension_for_mime(file.mime));
            link_or_copy(&file.path, &root.join(&rel_path))?;
            if let Some(thumb) = &file.thumbnail {
                link_or_copy(thumb, &studio_media::thumbnail_path(&root, &rel_path, LIBRARY_THUMB_EDGE))?;
            }
        }
        seeded += batch;
        eprintln!("seeded {seeded} of {count}");
    }
    let seconds = started.elapsed().as_secs_f64();
    out.print(&serde_json::json!({ "seeded": count, "seconds": seconds }), || {
        format!("{count} demo generations seeded in {seconds:.1} s (tagged demo: hide or clear them in the Library)")
    });
    Ok(())
}

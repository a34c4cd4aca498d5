//! Waveform peaks for the UI's scrubber: the lowest and highest sample of each of `width` columns,
//! computed by decoding the file in Rust and cached beside it as `<file>.peaks-<width>.json`. The cache
//! records the media file's size and modification time and is recomputed when either differs (a newer
//! or replaced file).

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::decode;
use crate::error::{AudioError, Result};
use crate::state::{AudioFormat, Track};

/// Widths above this are refused: more columns than any screen has pixels.
pub const MAX_WIDTH: u32 = 16_384;
const CACHE_VERSION: u32 = 1;

/// A waveform summary of one media file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Waveform {
    /// Columns.
    pub width: u32,
    /// Playing time of the file.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// `(min, max)` per column, each in -1.0..=1.0, all channels together.
    pub peaks: Vec<(f32, f32)>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cached {
    version: u32,
    media_bytes: u64,
    media_modified_ns: u128,
    waveform: Waveform,
}

/// The peaks of `path` at `width` columns, from the cache when it is current. The format comes from
/// the extension (use [`peaks_with_format`] for raw PCM).
pub fn peaks(path: &Path, width: u32) -> Result<Waveform> {
    peaks_with_format(path, width, None)
}

/// [`peaks`] with the format given (needed for raw PCM, which has no header).
pub fn peaks_with_format(path: &Path, width: u32, format: Option<AudioFormat>) -> Result<Waveform> {
    peaks_cached(path, width, format, &cache_path(path, width))
}

/// [`peaks_with_format`] with the cache in `cache_dir` instead of beside the file: the app keeps caches out
/// of the library's media folder, whose every file must belong to a generation.
pub fn peaks_cached_in(
    path: &Path,
    width: u32,
    format: Option<AudioFormat>,
    cache_dir: &Path,
) -> Result<Waveform> {
    let beside = cache_path(path, width);
    let name = beside.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    if let Err(e) = std::fs::create_dir_all(cache_dir) {
        tracing::warn!("cannot create the peaks cache folder {}: {e}", cache_dir.display());
    }
    peaks_cached(path, width, format, &cache_dir.join(name))
}

fn peaks_cached(path: &Path, width: u32, format: Option<AudioFormat>, cache: &Path) -> Result<Waveform> {
    if width == 0 || width > MAX_WIDTH {
        return Err(AudioError::Invalid(format!("waveform width {width} (1 to {MAX_WIDTH})")));
    }
    let (media_bytes, media_modified_ns) = stamp(path)?;
    if let Some(waveform) = read_cache(cache, media_bytes, media_modified_ns) {
        return Ok(waveform);
    }
    let waveform = compute(path, width, format)?;
    let cached = Cached { version: CACHE_VERSION, media_bytes, media_modified_ns, waveform };
    // A cache that cannot be written (read-only folder) only costs a recomputation next time.
    if let Err(e) = write_cache(cache, &cached) {
        tracing::warn!("cannot cache peaks at {}: {e}", cache.display());
    }
    Ok(cached.waveform)
}

/// `<file>.peaks-<width>.json` beside the media file.
pub fn cache_path(path: &Path, width: u32) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".peaks-{width}.json"));
    path.with_file_name(name)
}

fn stamp(path: &Path) -> Result<(u64, u128)> {
    let meta = std::fs::metadata(path).map_err(|e| AudioError::io(format!("stat {}", path.display()), e))?;
    let modified = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).unwrap_or_default();
    Ok((meta.len(), modified.as_nanos()))
}

fn read_cache(cache: &Path, media_bytes: u64, media_modified_ns: u128) -> Option<Waveform> {
    let text = std::fs::read(cache).ok()?;
    let cached: Cached = serde_json::from_slice(&text).ok()?;
    let current = cached.version == CACHE_VERSION
        && cached.media_bytes == media_bytes
        && cached.media_modified_ns == media_modified_ns;
    current.then_some(cached.waveform)
}

fn write_cache(cache: &Path, cached: &Cached) -> std::io::Result<()> {
    let mut part = cache.as_os_str().to_os_string();
    part.push(".part");
    let part = PathBuf::from(part);
    std::fs::write(&part, serde_json::to_vec(cached)?)?;
    std::fs::rename(&part, cache)
}

fn compute(path: &Path, width: u32, format: Option<AudioFormat>) -> Result<Waveform> {
    let mut track = Track::file("peaks", "", path);
    track.format = format;
    let mut source = decode::open(&track)?.source;
    let channels = usize::from(source.channels().get());
    let rate = source.sample_rate().get();
    let mut acc = Accumulator::new(width);
    let mut frame = (f32::INFINITY, f32::NEG_INFINITY);
    let mut in_frame = 0;
    for sample in source.by_ref() {
        frame = (frame.0.min(sample), frame.1.max(sample));
        in_frame += 1;
        if in_frame == channels {
            acc.push(frame);
            frame = (f32::INFINITY, f32::NEG_INFINITY);
            in_frame = 0;
        }
    }
    if in_frame > 0 {
        acc.push(frame);
    }
    let duration = Duration::from_secs_f64(acc.frames as f64 / f64::from(rate.max(1)));
    Ok(Waveform { width, duration_ms: duration.as_millis() as u64, peaks: acc.columns(width) })
}

/// Min/max per block of frames, in bounded memory: when the blocks reach `cap`, neighbours merge and
/// blocks double in length. One pass, any length, and exact for files shorter than `cap` frames.
#[derive(Debug)]
struct Accumulator {
    blocks: Vec<(f32, f32)>,
    block_frames: u64,
    current: (f32, f32),
    in_current: u64,
    frames: u64,
    cap: usize,
}

impl Accumulator {
    fn new(width: u32) -> Self {
        // At least 4 blocks per column keeps columns even when the blocks merge.
        let cap = (width as usize * 8).max(1 << 16);
        Accumulator {
            blocks: Vec::with_capacity(cap),
            block_frames: 1,
            current: (f32::INFINITY, f32::NEG_INFINITY),
            in_current: 0,
            frames: 0,
            cap,
        }
    }

    fn push(&mut self, (min, max): (f32, f32)) {
        self.frames += 1;
        self.current = (self.current.0.min(min), self.current.1.max(max));
        self.in_current += 1;
        if self.in_current < self.block_frames {
            return;
        }
        self.blocks.push(self.current);
        self.current = (f32::INFINITY, f32::NEG_INFINITY);
        self.in_current = 0;
        if self.blocks.len() >= self.cap {
            let merged =
                self.blocks.chunks(2).map(|pair| pair.iter().fold(EMPTY, |a, b| merge(a, *b))).collect();
            self.blocks = merged;
            self.block_frames *= 2;
        }
    }

    /// Folds the blocks into `width` columns (silence for a column with no audio).
    fn columns(mut self, width: u32) -> Vec<(f32, f32)> {
        if self.in_current > 0 {
            self.blocks.push(self.current);
        }
        let n = self.blocks.len();
        let width = width as usize;
        (0..width)
            .map(|column| {
                if n == 0 {
                    return (0.0, 0.0);
                }
                let start = column * n / width;
                let end = ((column + 1) * n / width).max(start + 1).min(n);
                let (min, max) = self.blocks[start..end].iter().fold(EMPTY, |a, b| merge(a, *b));
                (min.clamp(-1.0, 1.0), max.clamp(-1.0, 1.0))
            })
            .collect()
    }
}

const EMPTY: (f32, f32) = (f32::INFINITY, f32::NEG_INFINITY);

fn merge(a: (f32, f32), b: (f32, f32)) -> (f32, f32) {
    (a.0.min(b.0), a.1.max(b.1))
}

#[cfg(test)]
#[path = "peaks_tests.rs"]
mod tests;

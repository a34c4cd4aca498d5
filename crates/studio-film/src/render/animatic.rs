//! The animatic: the timeline at preview quality, keyframes held with a slow move where clips are missing.
//!
//! Built for "edit → playable" time. One ffmpeg process renders every shot that is not cached yet through
//! one filter graph and one x264 encoder (`ultrafast`), cut into one MP4 segment per shot by the segment
//! muxer at keyframes forced on the shot boundaries; a second process mixes the sound at the same time
//! (its decoding and AAC encoding would otherwise wait behind the video's single filter thread). Then the
//! cached segments are joined with the concat demuxer (`-c copy`) and muxed with the audio with
//! `+faststart`, so the app can play it while it loads. A shot's segment is keyed by everything that shapes
//! its pictures (source file identity, trim, move, frame count, size), the audio by everything audible, so
//! after an edit only the touched shots (and the audio, if it changed) are rendered again.
//!
//! Measured here (2 cores, ffmpeg 5.1) against the alternatives: separate processes per shot cost ~50%
//! more CPU than one process (each loads ffmpeg's libraries and starts its own x264); one process with the
//! segment muxer costs the same as a plain single render and makes every later edit cheap.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::graph::{AudioFormat, Frame, Inputs, audio_mix, frame_at, secs, video_chain};
use super::{RenderProgress, RenderStage, check_media, clips_with_audio, concat_entry, write_atomic};
use crate::error::{FilmError, Result};
use crate::ffmpeg::{Ffmpeg, FfmpegCommand, Scratch};
use crate::timeline::{Ms, Picture, Timeline};

/// Bump when the pictures or sound a render makes change, so old cached pieces are not reused.
const PIECES_VERSION: u32 = 1;
/// Preview audio: mono 32 kHz (MiniMax speech's own rate) keeps AAC encoding cheap.
const PREVIEW_AUDIO: AudioFormat = AudioFormat { sample_rate: 32_000, channels: 1 };
/// Cached pieces kept per piece of the current render (room for a few undos).
const CACHE_SLACK: usize = 3;

/// Tells work folders of concurrent renders apart.
static WORK_COUNTER: AtomicU64 = AtomicU64::new(0);

/// How to render an animatic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnimaticOptions {
    /// The short side of the frame (480 → 854x480 for 16:9).
    pub short_side: u32,
    /// Frames per second (Hailuo clips are 24).
    pub fps: u32,
    /// x264 quality (higher is smaller and rougher).
    pub crf: u8,
    /// A folder for this film's rendered pieces; pieces unused for a while are removed.
    #[ts(type = "string")]
    pub cache_dir: PathBuf,
}

impl AnimaticOptions {
    /// 480p, 24 fps, caching in `cache_dir`.
    pub fn preview(cache_dir: impl Into<PathBuf>) -> Self {
        AnimaticOptions { short_side: 480, fps: 24, crf: 26, cache_dir: cache_dir.into() }
    }
}

/// What an animatic render did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnimaticReport {
    /// The MP4.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Its length.
    #[ts(type = "number")]
    pub duration_ms: Ms,
    /// Shots encoded by this render.
    pub shots_rendered: u32,
    /// Shots taken from the cache.
    pub shots_reused: u32,
    /// Whether the audio came from the cache.
    pub audio_reused: bool,
}

/// FNV-1a: a stable hash for cache names (std's hasher may change between Rust releases).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A file's identity for cache keys: path, size and modification time, so a replaced file is noticed.
fn identity(path: &Path) -> String {
    let meta = std::fs::metadata(path).ok();
    let size = meta.as_ref().map_or(0, std::fs::Metadata::len);
    let modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{}|{size}|{modified}", path.display())
}

/// The cache key of a shot's segment.
fn segment_key(picture: &Picture, frames: u64, frame: Frame, crf: u8) -> u64 {
    let source = match picture {
        Picture::Clip { path, in_ms, out_ms, .. } => format!("clip|{}|{in_ms}|{out_ms}", identity(path)),
        Picture::Still { path, motion } => format!("still|{}|{motion:?}", identity(path)),
        Picture::Blank => "blank".to_owned(),
    };
    fnv1a(&format!("v{PIECES_VERSION}|{frame:?}|{crf}|{frames}|{source}"))
}

/// The cache key of the audio mix.
fn audio_key(timeline: &Timeline, clips: &[usize]) -> u64 {
    let mut key =
        format!("v{PIECES_VERSION}|{PREVIEW_AUDIO:?}|{}|{:?}", timeline.duration_ms, timeline.clip_audio);
    for line in &timeline.lines {
        let _ = write!(key, "|line {} {} {}", identity(&line.audio_path), line.start_ms, line.end_ms);
    }
    for &s in clips {
        let shot = &timeline.shots[s];
        if let Picture::Clip { path, in_ms, out_ms, .. } = &shot.picture {
            let _ = write!(key, "|clip {} {in_ms} {out_ms} {}", identity(path), shot.start_ms);
        }
    }
    if let Some(m) = &timeline.music {
        let _ = write!(key, "|music {} {m:?}", identity(&m.path));
    }
    let _ = write!(key, "|duck {:?}", timeline.ducking);
    fnv1a(&key)
}

/// A shot of the render: its index, its frame count and its cached segment.
struct Piece {
    shot: usize,
    frames: u64,
    path: PathBuf,
    cached: bool,
}

/// Renders the animatic of `timeline` to `out` (an `.mp4`), reusing the pieces cached by earlier renders.
/// Progress goes to `on_progress`; `cancel` stops ffmpeg at once. Whatever happens, `out` is either the
/// complete new animatic or untouched, and no partial piece enters the cache.
pub async fn render_animatic(
    ffmpeg: &Ffmpeg,
    timeline: &Timeline,
    out: &Path,
    options: &AnimaticOptions,
    on_progress: &mut (dyn FnMut(RenderProgress) + Send),
    cancel: &CancellationToken,
) -> Result<AnimaticReport> {
    on_progress(RenderProgress { stage: RenderStage::Checking, fraction: 0.0 });
    check_media(timeline)?;
    let clips = clips_with_audio(ffmpeg, timeline).await?;
    let cache = &options.cache_dir;
    std::fs::create_dir_all(cache).map_err(|e| FilmError::write(cache, e))?;
    let (width, height) = timeline.aspect_ratio.frame_size(options.short_side);
    let frame = Frame { width, height, fps: options.fps, sharp_stills: false };
    let pieces: Vec<Piece> = timeline
        .shots
        .iter()
        .enumerate()
        .filter_map(|(i, shot)| {
            let frames = frame_at(shot.end_ms, frame.fps) - frame_at(shot.start_ms, frame.fps);
            (frames > 0).then(|| {
                let key = segment_key(&shot.picture, frames, frame, options.crf);
                let path = cache.join(format!("seg-{key:016x}.mp4"));
                Piece { shot: i, frames, cached: path.is_file(), path }
            })
        })
        .collect();
    if pieces.is_empty() {
        return Err(FilmError::InvalidFilm("the film is shorter than one frame".to_owned()));
    }
    let audio_path = cache.join(format!("audio-{:016x}.m4a", audio_key(timeline, &clips)));
    let audio_cached = audio_path.is_file();
    let missing: Vec<&Piece> = pieces.iter().filter(|p| !p.cached).collect();

    let mut scratch = Scratch::default();
    let work =
        cache.join(format!(".work-{}-{}", std::process::id(), WORK_COUNTER.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&work).map_err(|e| FilmError::write(&work, e))?;
    scratch.add(work.clone());

    // Pictures and sound in two processes at once: the audio (decoding, mixing, AAC) then runs beside the
    // video's filter thread instead of after it.
    let video = video_command(timeline, &missing, frame, options.crf, &work);
    let audio = (!audio_cached).then(|| audio_command(timeline, &clips, &audio_path));
    let sound_only = video.is_none();
    let mut report =
        |f: f64| on_progress(RenderProgress { stage: RenderStage::Encoding, fraction: f * 0.95 });
    let (mut pictures_progress, mut sound_progress): (
        &mut (dyn FnMut(f64) + Send),
        &mut (dyn FnMut(f64) + Send),
    ) = (&mut report, &mut |_| {});
    if sound_only {
        std::mem::swap(&mut pictures_progress, &mut sound_progress);
    }
    let pictures = async {
        match video {
            Some(command) => ffmpeg.run(command, pictures_progress, cancel).await,
            None => Ok(()),
        }
    };
    let sound = async {
        match audio {
            Some(command) => ffmpeg.run(command, sound_progress, cancel).await,
            None => Ok(()),
        }
    };
    tokio::try_join!(pictures, sound)?;
    if missing.len() > 1 {
        for (n, piece) in missing.iter().enumerate() {
            let made = work.join(format!("seg{n:05}.mp4"));
            std::fs::rename(&made, &piece.path).map_err(|e| FilmError::write(&piece.path, e))?;
        }
    }

    on_progress(RenderProgress { stage: RenderStage::Muxing, fraction: 0.95 });
    let list: String = pieces.iter().map(|p| concat_entry(&p.path)).collect();
    let list_path = work.join("pieces.txt");
    write_atomic(&list_path, list.as_bytes())?;
    let mut command = FfmpegCommand::new(timeline.duration_ms);
    command.args(["-f", "concat", "-safe", "0", "-i"]).arg(&list_path).arg("-i").arg(&audio_path);
    command.args(["-map", "0:v", "-map", "1:a", "-c", "copy", "-movflags", "+faststart"]);
    command.args(["-t", &secs(timeline.duration_ms)]);
    command.output(out);
    let mut report =
        |f: f64| on_progress(RenderProgress { stage: RenderStage::Muxing, fraction: 0.95 + f * 0.05 });
    ffmpeg.run(command, &mut report, cancel).await?;
    drop(scratch);

    let mut used: Vec<PathBuf> = pieces.iter().map(|p| p.path.clone()).collect();
    used.push(audio_path);
    prune_cache(cache, &used);
    on_progress(RenderProgress { stage: RenderStage::Done, fraction: 1.0 });
    let rendered = missing.len() as u32;
    Ok(AnimaticReport {
        path: out.to_path_buf(),
        duration_ms: timeline.duration_ms,
        shots_rendered: rendered,
        shots_reused: pieces.len() as u32 - rendered,
        audio_reused: audio_cached,
    })
}

/// The command that renders the missing shots: one filter graph, one x264 encoder, cut by the segment muxer
/// into one MP4 per shot at keyframes forced on the shot boundaries (`None` when nothing is missing).
fn video_command(
    timeline: &Timeline,
    missing: &[&Piece],
    frame: Frame,
    crf: u8,
    work: &Path,
) -> Option<FfmpegCommand> {
    if missing.is_empty() {
        return None;
    }
    let video_ms: Ms = missing.iter().map(|p| timeline.shots[p.shot].duration_ms()).sum();
    let mut command = FfmpegCommand::new(video_ms);
    let mut inputs = Inputs::default();
    let mut graph = String::new();
    for (n, piece) in missing.iter().enumerate() {
        video_chain(
            &mut graph,
            &mut inputs,
            &timeline.shots[piece.shot],
            piece.frames,
            frame,
            &format!("v{n}"),
        );
    }
    let labels: String = (0..missing.len()).map(|n| format!("[v{n}]")).collect();
    let _ = write!(graph, "{labels}concat=n={}:v=1:a=0[vout]", missing.len());
    command.args(inputs.into_args()).arg("-filter_complex").arg(graph);
    command.args(["-map", "[vout]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]);
    command.args(["-crf", &crf.to_string(), "-an"]);
    if let [piece] = missing {
        command.output(&piece.path);
        return Some(command);
    }
    let mut at = 0;
    let mut cuts = Vec::new();
    for piece in &missing[..missing.len() - 1] {
        at += piece.frames;
        cuts.push(at.to_string());
    }
    let forced: Vec<String> = cuts.iter().map(|c| format!("eq(n,{c})")).collect();
    command.args(["-force_key_frames", &format!("expr:{}", forced.join("+"))]);
    command.args(["-f", "segment", "-segment_format", "mp4", "-reset_timestamps", "1"]);
    command.args(["-segment_frames", &cuts.join(",")]);
    command.scratch_output(&work.join("seg%05d.mp4"));
    Some(command)
}

/// The command that mixes and encodes the whole film's sound into `out`.
fn audio_command(timeline: &Timeline, clips: &[usize], out: &Path) -> FfmpegCommand {
    let mut command = FfmpegCommand::new(timeline.duration_ms);
    let mut inputs = Inputs::default();
    let mut graph = String::new();
    audio_mix(&mut graph, &mut inputs, timeline, clips, PREVIEW_AUDIO, "aout");
    command.args(inputs.into_args()).arg("-filter_complex").arg(graph);
    command.args(["-map", "[aout]", "-c:a", "aac", "-b:a", "64k", "-t", &secs(timeline.duration_ms)]);
    command.output(out);
    command
}

/// Marks the pieces just used as fresh and removes the least recently used others beyond a few times the
/// current count (enough for undo to find its pieces; bounded for a film edited all day).
fn prune_cache(cache: &Path, used: &[PathBuf]) {
    let now = SystemTime::now();
    for path in used {
        if let Ok(file) = std::fs::File::options().append(true).open(path) {
            let _ = file.set_modified(now);
        }
    }
    let Ok(entries) = std::fs::read_dir(cache) else { return };
    let mut pieces: Vec<(SystemTime, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("seg-") || name.starts_with("audio-")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    pieces.sort_by_key(|p| std::cmp::Reverse(p.0));
    for (_, path) in pieces.into_iter().skip(used.len() * CACHE_SLACK) {
        if !used.contains(&path) {
            let _ = std::fs::remove_file(path);
        }
    }
}

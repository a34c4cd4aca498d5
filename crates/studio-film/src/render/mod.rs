//! From the timeline to a playable file with ffmpeg: the animatic ([`render_animatic`]: preview quality,
//! keyframes standing in for missing clips, cached shot by shot so an edit re-renders only what changed)
//! and the export ([`export_film`]: H.264 + AAC MP4 at a chosen resolution, subtitles as a track or burned
//! in, a stream-copy path when the clips allow it, SRT/VTT and an edit list beside it).

mod animatic;
mod copy_refusal;
mod export;
pub mod graph;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use ts_rs::TS;

pub use animatic::{AnimaticOptions, AnimaticReport, render_animatic};
pub use copy_refusal::CopyRefusal;
pub use export::{EdlFormat, ExportOptions, ExportReport, ExportResolution, SubtitleMode, export_film};

use crate::error::{FilmError, Result};
use crate::ffmpeg::{Ffmpeg, StreamKind, temp_path_beside};
use crate::timeline::{ClipAudio, Picture, Timeline};

/// Writes the last frame of `clip` as an image at `target` (a PNG): a clip that continues the previous shot
/// starts from it. The folder is made if missing; nothing partial is left on failure.
pub async fn last_frame(ffmpeg: &Ffmpeg, clip: &Path, target: &Path) -> Result<()> {
    if !clip.is_file() {
        return Err(FilmError::MediaUnreadable {
            path: clip.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "the clip is not in the library"),
        });
    }
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| FilmError::write(dir, e))?;
    }
    let mut command = crate::ffmpeg::FfmpegCommand::new(40);
    // Seek to just before the end (fast, by keyframe index) and keep the last decoded frame.
    command.args(["-sseof", "-0.5", "-i"]).arg(clip.as_os_str()).args(["-update", "1", "-frames:v", "1000"]);
    command.output(target);
    ffmpeg.run(command, &mut |_| {}, &tokio_util::sync::CancellationToken::new()).await
}

/// ffprobe processes run at once: each spends most of its ~60 ms loading ffmpeg's libraries, and ten at
/// once on two cores only queue behind one another.
pub(crate) const PROBES_AT_ONCE: usize = 4;

/// What a render is doing. Exported as `RenderStep`: the schedule's `RenderStage` (keyframes, lines…) has
/// the same Rust name and would overwrite its binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "RenderStep")]
pub enum RenderStage {
    /// Checking and probing the media.
    Checking,
    /// ffmpeg is encoding.
    Encoding,
    /// Putting the pieces together.
    Muxing,
    /// Finished.
    Done,
}

/// Progress of a render, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RenderProgress {
    /// The current step.
    pub stage: RenderStage,
    /// The whole render's progress, 0..=1.
    pub fraction: f64,
}

/// Every file the timeline uses, each opened once to prove it is there and readable.
pub(crate) fn check_media(timeline: &Timeline) -> Result<()> {
    let pictures = timeline.shots.iter().filter_map(|s| match &s.picture {
        Picture::Clip { path, .. } | Picture::Still { path, .. } => Some(path),
        Picture::Blank => None,
    });
    let sounds = timeline.lines.iter().map(|l| &l.audio_path).chain(timeline.music.iter().map(|m| &m.path));
    for path in pictures.chain(sounds) {
        std::fs::File::open(path)
            .map_err(|source| FilmError::MediaUnreadable { path: path.clone(), source })?;
    }
    if timeline.duration_ms == 0 {
        return Err(FilmError::InvalidFilm("the film has no shot with a length".to_owned()));
    }
    Ok(())
}

/// The shots (indices) whose clip's own sound is to be mixed: none when clip sound is muted; else the clips
/// said to have sound, checked with ffprobe (a clip with no audio stream simply contributes none).
pub(crate) async fn clips_with_audio(ffmpeg: &Ffmpeg, timeline: &Timeline) -> Result<Vec<usize>> {
    if timeline.clip_audio == ClipAudio::Mute {
        return Ok(Vec::new());
    }
    let mut probes = JoinSet::new();
    let permits = Arc::new(Semaphore::new(PROBES_AT_ONCE));
    for (i, shot) in timeline.shots.iter().enumerate() {
        if let Picture::Clip { path, has_audio: true, .. } = &shot.picture {
            let (ffmpeg, path, permits) = (ffmpeg.clone(), path.clone(), permits.clone());
            probes.spawn(async move {
                let _permit = permits.acquire().await;
                (i, ffmpeg.probe(&path).await)
            });
        }
    }
    let mut with_audio = Vec::new();
    while let Some(joined) = probes.join_next().await {
        let (i, probe) = joined.map_err(|e| FilmError::InvalidFilm(format!("a probe stopped: {e}")))?;
        if probe?.has(StreamKind::Audio) {
            with_audio.push(i);
        }
    }
    with_audio.sort_unstable();
    Ok(with_audio)
}

/// Writes a small file atomically (temporary name beside it, then rename); a full disk is said plainly.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = temp_path_beside(path);
    let written = std::fs::File::create(&temp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(FilmError::write(path, e));
    }
    Ok(())
}

/// Writes a small file to a temporary name beside `path` and returns that name (renamed by the caller when
/// the whole render succeeded).
pub(crate) fn write_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let temp = temp_path_beside(path);
    if let Err(e) = std::fs::write(&temp, bytes) {
        let _ = std::fs::remove_file(&temp);
        return Err(FilmError::write(path, e));
    }
    Ok(temp)
}

/// A line of an ffmpeg concat list naming `path`: absolute (the demuxer resolves relative names against the
/// list's folder), single quotes escaped as the demuxer reads them.
pub(crate) fn concat_entry(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file '{}'\n", absolute.to_string_lossy().replace('\'', r"'\''"))
}

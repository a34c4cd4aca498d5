//! From the film in the library to time and files: the timeline of the chosen takes (a clip where there is
//! one, the keyframe standing in where not), the animatic, and the export — which becomes a Library item of
//! its own (kind `film`) with its sidecars.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use studio_core::modality::Modality;
use studio_core::pricing::Cost;
use studio_core::request::{FilmExportKind, FilmExportParams, JobParams};
use studio_core::storage::media::commit_media_file;
use studio_core::storage::{JobState, JobWithMedia, KeyKind, NewJob, NewMedia, SharedLibrary, Transition};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::model::{Film, Take, chosen};
use super::store::load_film;
use crate::error::{FilmError, Result};
use crate::ffmpeg::{Ffmpeg, StreamKind};
use crate::render::{
    AnimaticOptions, AnimaticReport, CopyRefusal, EdlFormat, ExportOptions, ExportReport, RenderProgress,
    export_film, render_animatic,
};
use crate::subtitles::{CueOverride, parse_minimax_subtitles};
use crate::timeline::{
    self, ClipInput, Ducking, FilmInput, KeyframeInput, LineAudio, LineInput, MusicBed, ShotInput, Timeline,
};

/// The folder under the library that holds animatics and export work (served to the app's player).
pub const FILMS_DIR: &str = "films";

/// A length read from the file when the library does not know it (cached in the media row afterwards).
async fn length_of(
    library: &SharedLibrary,
    ffmpeg: &Ffmpeg,
    take: &Take,
    path: &Path,
) -> Result<(u32, bool)> {
    let probe = ffmpeg.probe(path).await?;
    let ms = probe.duration_ms.unwrap_or(0);
    let ms32 = u32::try_from(ms).unwrap_or(u32::MAX);
    if take.duration_ms.is_none()
        && let Some(media_id) = take.media_id
    {
        let _ = library.with(|lib| {
            lib.connection()
                .execute("UPDATE media SET duration_ms = ?2 WHERE id = ?1", rusqlite::params![media_id, ms32])
        });
    }
    Ok((ms32, probe.has(StreamKind::Audio)))
}

fn take_path(root: &Path, take: Option<&Take>) -> Option<PathBuf> {
    take.and_then(|t| t.rel_path.as_ref()).map(|rel| root.join(rel))
}

/// MiniMax's sentence timings of a voiced line: the JSON file the same job saved after the audio.
fn subtitle_timings(library: &SharedLibrary, take: &Take) -> Option<Vec<crate::subtitles::SubtitleTiming>> {
    let media = library.with(|lib| lib.job_with_media(take.job_id)).ok()?.media;
    let file = media.iter().find(|m| m.mime == "application/json")?;
    let text = std::fs::read_to_string(library.root().join(&file.rel_path)).ok()?;
    parse_minimax_subtitles(&text).ok()
}

/// The film as the timeline builder takes it: chosen takes only (clips, keyframes standing in, voiced lines,
/// the music bed), lengths from the library or ffprobe.
pub async fn film_input(library: &SharedLibrary, ffmpeg: &Ffmpeg, film: &Film) -> Result<FilmInput> {
    let root = library.root().to_path_buf();
    let mut shots = Vec::with_capacity(film.shots.len());
    let mut overrides = Vec::new();
    for shot in &film.shots {
        let clip = match (chosen(&shot.clips), take_path(&root, chosen(&shot.clips))) {
            (Some(take), Some(path)) => {
                let (media_ms, has_audio) = length_of(library, ffmpeg, take, &path).await?;
                Some(ClipInput {
                    path,
                    media_ms: u64::from(media_ms),
                    trim_in_ms: u64::from(shot.trim_in_ms),
                    trim_out_ms: shot.trim_out_ms.map(u64::from),
                    has_audio,
                })
            }
            _ => None,
        };
        let keyframe = take_path(&root, chosen(&shot.keyframes))
            .map(|path| KeyframeInput { path, camera: shot.camera.clone() });
        let mut lines = Vec::with_capacity(shot.lines.len());
        for line in &shot.lines {
            let take = chosen(&line.takes);
            let audio = match (take, take_path(&root, take)) {
                (Some(take), Some(path)) => {
                    let (duration_ms, _) = match take.duration_ms {
                        Some(ms) => (ms, false),
                        None => length_of(library, ffmpeg, take, &path).await?,
                    };
                    Some(LineAudio {
                        path,
                        duration_ms: u64::from(duration_ms),
                        subtitles: subtitle_timings(library, take),
                    })
                }
                _ => None,
            };
            if let Some(text) = &line.subtitle_text {
                overrides.push(CueOverride { line_id: line.id, cue_index: 0, text: text.clone() });
            }
            lines.push(LineInput {
                id: line.id,
                speaker: line.speaker.clone(),
                text: line.text.clone(),
                audio,
                offset_ms: line.offset_ms.map(u64::from),
            });
        }
        shots.push(ShotInput {
            id: shot.id,
            planned_ms: (shot.duration_s * 1000.0).round().max(1.0) as u64,
            clip,
            keyframe,
            lines,
        });
    }
    let music = match (&film.settings.music, chosen(&film.music), take_path(&root, chosen(&film.music))) {
        (Some(cue), Some(take), Some(path)) => {
            let media_ms = match take.duration_ms {
                Some(ms) => ms,
                None => length_of(library, ffmpeg, take, &path).await?.0,
            };
            Some(MusicBed {
                path,
                media_ms: u64::from(media_ms),
                volume: cue.volume,
                fade_in_ms: u64::from(cue.fade_in_ms),
                fade_out_ms: u64::from(cue.fade_out_ms),
                ducking: cue.ducking_db.map(|amount_db| Ducking { amount_db }),
            })
        }
        _ => None,
    };
    Ok(FilmInput {
        aspect_ratio: timeline_aspect(film),
        shots,
        music,
        clip_audio: film.settings.clip_audio,
        pacing: timeline::Pacing::default(),
        cue_overrides: overrides,
    })
}

fn timeline_aspect(film: &Film) -> timeline::AspectRatio {
    match film.aspect_ratio {
        crate::script::AspectRatio::Landscape => timeline::AspectRatio::Landscape,
        crate::script::AspectRatio::Portrait => timeline::AspectRatio::Portrait,
        crate::script::AspectRatio::Square => timeline::AspectRatio::Square,
    }
}

/// The timeline of film `film_id` as it is now.
pub async fn film_timeline(
    library: &SharedLibrary,
    ffmpeg: &Ffmpeg,
    film_id: i64,
) -> Result<(Film, Timeline)> {
    let film = library.with(|lib| load_film(lib, film_id))?;
    let input = film_input(library, ffmpeg, &film).await?;
    Ok((film, timeline::build(&input)))
}

/// Where film `film_id`'s animatic is (`films/film-<id>-animatic.mp4`), served to the app's player.
pub fn animatic_path(root: &Path, film_id: i64) -> PathBuf {
    root.join(FILMS_DIR).join(format!("film-{film_id}-animatic.mp4"))
}

/// Renders film `film_id`'s animatic at preview quality (pieces cached per shot: an edit re-renders only
/// what changed).
pub async fn animatic(
    library: &SharedLibrary,
    ffmpeg: &Ffmpeg,
    film_id: i64,
    on_progress: &mut (dyn FnMut(RenderProgress) + Send),
    cancel: &CancellationToken,
) -> Result<AnimaticReport> {
    let (_, timeline) = film_timeline(library, ffmpeg, film_id).await?;
    let out = animatic_path(library.root(), film_id);
    let cache = library.root().join(FILMS_DIR).join(format!("cache-{film_id}"));
    render_animatic(ffmpeg, &timeline, &out, &AnimaticOptions::preview(cache), on_progress, cancel).await
}

/// An export: the MP4 and its sidecars as a Library item, and where a copy was written for the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmExport {
    /// The Library item (kind `film`): the MP4, the SRT/VTT and the edit list.
    pub item: JobWithMedia,
    /// The copy the user asked for (`--out`), when one was.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copied_to: Option<String>,
    /// The copies of the sidecars beside it.
    pub sidecars: Vec<String>,
    /// The timeline's length, ms.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Whether the clips were stream-copied.
    pub stream_copy: bool,
    /// Why not, when it was allowed.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_refused: Option<CopyRefusal>,
    /// ffprobe of the MP4: its streams.
    pub streams: Vec<String>,
}

/// Exports film `film_id` and files it in the Library; with `out`, copies the MP4 (and its sidecars
/// beside it) there too. A failed or cancelled export leaves nothing: no MP4, no sidecar, no Library item.
pub async fn export(
    library: &SharedLibrary,
    ffmpeg: &Ffmpeg,
    film_id: i64,
    options: &ExportOptions,
    out: Option<&Path>,
    on_progress: &mut (dyn FnMut(RenderProgress) + Send),
    cancel: &CancellationToken,
) -> Result<FilmExport> {
    let (film, timeline) = film_timeline(library, ffmpeg, film_id).await?;
    let work = library.root().join(FILMS_DIR).join(format!("export-{film_id}-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| FilmError::write(&work, e))?;
    let mp4 = work.join("film.mp4");
    let result = export_film(ffmpeg, &timeline, &film.title, &mp4, options, on_progress, cancel).await;
    let filed = match result {
        Ok(report) => file_in_library(library, &film, options, &report, out),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_dir_all(&work);
    filed
}

fn mime_of(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "mp4" => "video/mp4",
        "srt" => "application/x-subrip",
        "vtt" => "text/vtt",
        "fcpxml" => "application/x-fcpxml",
        "otio" => "application/x-otio+json",
        _ => "application/octet-stream",
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn file_in_library(
    library: &SharedLibrary,
    film: &Film,
    options: &ExportOptions,
    report: &ExportReport,
    out: Option<&Path>,
) -> Result<FilmExport> {
    let mut files: Vec<PathBuf> = vec![report.path.clone()];
    files.extend(report.subtitle_files.iter().cloned());
    files.extend(report.edl.iter().cloned());
    // Copies for the user first: if one fails, nothing enters the Library either.
    let mut copied_to = None;
    let mut sidecars = Vec::new();
    if let Some(out) = out {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| FilmError::write(dir, e))?;
        }
        for (i, file) in files.iter().enumerate() {
            let target = if i == 0 {
                out.to_path_buf()
            } else {
                out.with_extension(file.extension().unwrap_or_default())
            };
            let temp = crate::ffmpeg::temp_path_beside(&target);
            std::fs::copy(file, &temp).map_err(|e| FilmError::write(&temp, e))?;
            std::fs::rename(&temp, &target).map_err(|e| FilmError::write(&target, e))?;
            if i == 0 {
                copied_to = Some(target.display().to_string());
            } else {
                sidecars.push(target.display().to_string());
            }
        }
    }
    let params = FilmExportParams {
        kind: FilmExportKind::Film,
        film_id: film.id,
        title: film.title.clone(),
        resolution: format!("{}p", options.resolution.short_side()),
        subtitles: format!("{:?}", options.subtitles).to_lowercase(),
        edl: options.edl.map(|e| match e {
            EdlFormat::Fcpxml => "fcpxml".to_owned(),
            EdlFormat::Otio => "otio".to_owned(),
        }),
        stream_copy: report.stream_copy,
    };
    let now = now_ms();
    let item = library.with(|lib| -> Result<JobWithMedia> {
        let job = lib.insert_job(&NewJob {
            modality: Modality::Film,
            model: "ffmpeg".into(),
            params: JobParams::FilmExport(params),
            prompt: film.title.clone(),
            estimate: Cost::Requests(0),
            key_kind: KeyKind::Plan,
            demo: false,
            state: JobState::Queued,
            created_at_ms: now,
        })?;
        lib.transition(job.id, &Transition::to(JobState::Running, now))?;
        let mut media = Vec::with_capacity(files.len());
        for (ordinal, file) in (0u32..).zip(&files) {
            let mime = mime_of(file);
            let stored = commit_media_file(lib.root(), file, job.id, ordinal, mime)?;
            media.push(NewMedia {
                ordinal,
                rel_path: stored.rel_path,
                mime: mime.to_owned(),
                size_bytes: stored.size_bytes,
                duration_ms: (ordinal == 0).then(|| i64::try_from(report.duration_ms).unwrap_or(i64::MAX)),
                width_px: None,
                height_px: None,
            });
        }
        Ok(lib.complete_job(job.id, &media, None, Some(0), now)?.0)
    })?;
    let streams =
        report.probe.streams.iter().map(|s| format!("{:?}:{}", s.kind, s.codec).to_lowercase()).collect();
    Ok(FilmExport {
        item,
        copied_to,
        sidecars,
        duration_ms: report.duration_ms,
        stream_copy: report.stream_copy,
        copy_refused: report.copy_refused.clone(),
        streams,
    })
}

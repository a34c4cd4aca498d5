//! The export: an H.264 + AAC MP4 of the film at its aspect ratio and a chosen resolution, with subtitles as
//! a soft `mov_text` track, burned in, or none; SRT and WebVTT beside it; optionally an edit list.
//!
//! When every shot is a clip, the clips share their codec parameters and size (the export's), trims fall on
//! keyframes and nothing is burned in, the video is stream-copied through the concat demuxer (seconds,
//! not minutes, and no generation loss); the audio is always mixed and encoded.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::graph::{AudioFormat, Frame, Inputs, audio_mix, escape_filter_value, frame_at, secs, video_chain};
use super::{
    CopyRefusal, PROBES_AT_ONCE, RenderProgress, RenderStage, check_media, concat_entry, write_temp,
};
use crate::edl;
use crate::error::{FilmError, Result};
use crate::ffmpeg::{Ffmpeg, FfmpegCommand, MediaProbe, Rational, Scratch, StreamKind};
use crate::subtitles::{self, CueLayout};
use crate::timeline::{ClipAudio, Ms, Picture, Timeline};

/// The finished film's sound: 48 kHz stereo.
const EXPORT_AUDIO: AudioFormat = AudioFormat { sample_rate: 48_000, channels: 2 };
/// How far a trim may sit from a keyframe and still be cut by stream copy.
const KEYFRAME_TOLERANCE_MS: Ms = 2;

/// The export's frame height (the short side for portrait films).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ExportResolution {
    /// 720 (1280x720 at 16:9).
    #[serde(rename = "720p")]
    P720,
    /// 768 (1366x768 at 16:9, Hailuo's 768P).
    #[serde(rename = "768p")]
    P768,
    /// 1080 (1920x1080 at 16:9).
    #[default]
    #[serde(rename = "1080p")]
    P1080,
}

impl ExportResolution {
    /// The frame's short side in pixels.
    pub fn short_side(self) -> u32 {
        match self {
            ExportResolution::P720 => 720,
            ExportResolution::P768 => 768,
            ExportResolution::P1080 => 1080,
        }
    }
}

/// Where the subtitles go in the MP4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SubtitleMode {
    /// A soft `mov_text` track the viewer can turn on and off.
    #[default]
    Track,
    /// Drawn into the pictures (libass).
    Burn,
    /// None in the MP4 (the SRT/VTT may still be written beside it).
    None,
}

/// An edit list format a video editor opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum EdlFormat {
    /// FCPXML 1.9 (DaVinci Resolve, Final Cut Pro): the default, see [`crate::edl`].
    Fcpxml,
    /// OpenTimelineIO JSON (`.otio`).
    Otio,
}

/// How to export a film.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ExportOptions {
    /// Frame height.
    pub resolution: ExportResolution,
    /// Subtitles in the MP4.
    pub subtitles: SubtitleMode,
    /// Write `<name>.srt` and `<name>.vtt` beside the MP4 (when there are cues).
    pub sidecars: bool,
    /// Write an edit list beside the MP4.
    pub edl: Option<EdlFormat>,
    /// Frames per second when re-encoding.
    pub fps: u32,
    /// x264 preset when re-encoding (`veryfast` exports a 768P minute in well under a minute here).
    pub preset: String,
    /// x264 quality when re-encoding (lower is better; 20 is visually clean).
    pub crf: u8,
    /// Subtitle line lengths.
    pub cue_layout: CueLayout,
    /// Allow the stream-copy path when the clips permit it.
    pub stream_copy: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            resolution: ExportResolution::default(),
            subtitles: SubtitleMode::default(),
            sidecars: true,
            edl: None,
            fps: 24,
            preset: "veryfast".to_owned(),
            crf: 20,
            cue_layout: CueLayout::default(),
            stream_copy: true,
        }
    }
}

/// What an export made.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportReport {
    /// The MP4.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// The timeline's length (the file's, per ffprobe, is in `probe`).
    #[ts(type = "number")]
    pub duration_ms: Ms,
    /// Whether the video was stream-copied.
    pub stream_copy: bool,
    /// Why stream copy was not possible, when it was allowed but not used.
    pub copy_refused: Option<CopyRefusal>,
    /// The SRT and VTT written beside the MP4.
    #[ts(type = "string[]")]
    pub subtitle_files: Vec<PathBuf>,
    /// The edit list written beside the MP4.
    #[ts(type = "string | null")]
    pub edl: Option<PathBuf>,
    /// ffprobe of the MP4.
    pub probe: MediaProbe,
}

/// Probes every clip of the timeline (by shot index), a few at a time.
async fn probe_clips(ffmpeg: &Ffmpeg, timeline: &Timeline) -> Result<Vec<Option<MediaProbe>>> {
    let mut probes = JoinSet::new();
    let permits = Arc::new(Semaphore::new(PROBES_AT_ONCE));
    for (i, shot) in timeline.shots.iter().enumerate() {
        if let Picture::Clip { path, .. } = &shot.picture {
            let (ffmpeg, path, permits) = (ffmpeg.clone(), path.clone(), permits.clone());
            probes.spawn(async move {
                let _permit = permits.acquire().await;
                (i, ffmpeg.probe(&path).await)
            });
        }
    }
    let mut out = vec![None; timeline.shots.len()];
    while let Some(joined) = probes.join_next().await {
        let (i, probe) = joined.map_err(|e| FilmError::InvalidFilm(format!("a probe stopped: {e}")))?;
        out[i] = Some(probe?);
    }
    Ok(out)
}

/// What must match between clips for the concat demuxer to join them without re-encoding: codec, profile,
/// pixel format, frame rate, time base.
type CodecParams = (String, Option<String>, Option<String>, Option<Rational>, Option<Rational>);

/// Whether the video can be stream-copied at `frame`; `Err` says why not.
async fn stream_copy_allowed(
    ffmpeg: &Ffmpeg,
    timeline: &Timeline,
    probes: &[Option<MediaProbe>],
    frame: Frame,
) -> std::result::Result<(), CopyRefusal> {
    let mut first: Option<CodecParams> = None;
    let number = |index: u32| index.saturating_add(1);
    if let Some(shot) = timeline.shots.iter().find(|s| !matches!(s.picture, Picture::Clip { .. })) {
        return Err(CopyRefusal::NoClip { shot: number(shot.index) });
    }
    let ratio = f64::from(frame.width) / f64::from(frame.height);
    for (shot, probe) in timeline.shots.iter().zip(probes) {
        let n = number(shot.index);
        let Picture::Clip { path, in_ms, out_ms, media_ms, .. } = &shot.picture else { continue };
        let video = probe
            .as_ref()
            .and_then(|p| p.first(StreamKind::Video))
            .ok_or(CopyRefusal::NoVideo { shot: n })?;
        let (w, h) = (video.width.unwrap_or(0), video.height.unwrap_or(0));
        if h != frame.height || w == 0 || (f64::from(w) / f64::from(h) - ratio).abs() > 0.01 {
            let (want_width, want_height) = (frame.width, frame.height);
            return Err(CopyRefusal::SizeDiffers { shot: n, width: w, height: h, want_width, want_height });
        }
        let params =
            (video.codec.clone(), video.profile.clone(), video.pix_fmt.clone(), video.fps, video.time_base);
        match &first {
            None => first = Some(params),
            Some(first) if *first != params => {
                tracing::info!(
                    shot = n,
                    ?params,
                    ?first,
                    "stream copy refused: the clips are encoded differently"
                );
                return Err(CopyRefusal::EncodedDifferently { shot: n });
            }
            Some(_) => {}
        }
        if *in_ms > 0 || *out_ms < *media_ms {
            let keys = ffmpeg.keyframe_times(path).await.map_err(|e| {
                tracing::warn!(shot = n, error = %e, "keyframes of a clip could not be read");
                CopyRefusal::KeyframesUnknown { shot: n }
            })?;
            let on_key = |t: Ms| keys.iter().any(|k| k.abs_diff(t) <= KEYFRAME_TOLERANCE_MS);
            if (*in_ms > 0 && !on_key(*in_ms)) || (*out_ms < *media_ms && !on_key(*out_ms)) {
                return Err(CopyRefusal::TrimOffKeyframe { shot: n });
            }
        }
    }
    Ok(())
}

/// The libass font size (in its 288-line script units) for burned-in cues: the landscape size (1/16 of the
/// height), smaller when a full line of the layout would not fit the width (portrait films; a narrower
/// [`CueLayout`] keeps their text larger). A Latin character is about half the font size wide.
fn burn_font_size(frame: Frame, layout: &CueLayout) -> u32 {
    let fits_width = 0.9 * f64::from(frame.width) / (f64::from(layout.latin_per_line.max(1)) * 0.5);
    let pixels = fits_width.min(f64::from(frame.height) / 16.0);
    ((pixels * 288.0 / f64::from(frame.height)).round() as u32).max(6)
}

/// The sidecar files of an export named `out`: `<stem>.srt`, `<stem>.vtt`.
fn sidecar(out: &Path, ext: &str) -> PathBuf {
    out.with_extension(ext)
}

/// Exports the film to `out` (an `.mp4`). Progress goes to `on_progress`; `cancel` stops at once. On any
/// failure nothing is left: not the MP4, not its sidecars.
pub async fn export_film(
    ffmpeg: &Ffmpeg,
    timeline: &Timeline,
    title: &str,
    out: &Path,
    options: &ExportOptions,
    on_progress: &mut (dyn FnMut(RenderProgress) + Send),
    cancel: &CancellationToken,
) -> Result<ExportReport> {
    on_progress(RenderProgress { stage: RenderStage::Checking, fraction: 0.0 });
    check_media(timeline)?;
    let (width, height) = timeline.aspect_ratio.frame_size(options.resolution.short_side());
    let frame = Frame { width, height, fps: options.fps, sharp_stills: true };
    if frame_at(timeline.duration_ms, frame.fps) == 0 {
        return Err(FilmError::InvalidFilm("the film is shorter than one frame".to_owned()));
    }
    let probes = probe_clips(ffmpeg, timeline).await?;
    let clips: Vec<usize> = if timeline.clip_audio == ClipAudio::Mute {
        Vec::new()
    } else {
        (0..timeline.shots.len())
            .filter(|&i| probes[i].as_ref().is_some_and(|p| p.has(StreamKind::Audio)))
            .collect()
    };
    let copy = if !options.stream_copy {
        Err(CopyRefusal::TurnedOff)
    } else if options.subtitles == SubtitleMode::Burn {
        Err(CopyRefusal::SubtitlesBurned)
    } else {
        stream_copy_allowed(ffmpeg, timeline, &probes, frame).await
    };

    let mut scratch = Scratch::default();
    let cues = subtitles::cues(timeline, &options.cue_layout);
    let srt_text = subtitles::to_srt(&cues);
    let mut sidecars: Vec<(PathBuf, PathBuf)> = Vec::new();
    if options.sidecars && !cues.is_empty() {
        for (ext, text) in [("srt", srt_text.clone()), ("vtt", subtitles::to_vtt(&cues))] {
            let path = sidecar(out, ext);
            let temp = write_temp(&path, text.as_bytes())?;
            scratch.add(temp.clone());
            sidecars.push((temp, path));
        }
    }
    let subtitle_file = if options.subtitles == SubtitleMode::None || cues.is_empty() {
        None
    } else if let Some((temp, _)) = sidecars.first() {
        Some(temp.clone())
    } else {
        let temp = write_temp(&sidecar(out, "srt"), srt_text.as_bytes())?;
        scratch.add(temp.clone());
        Some(temp)
    };

    let mut command = FfmpegCommand::new(timeline.duration_ms);
    let mut inputs = Inputs::default();
    let mut graph = String::new();
    if copy.is_ok() {
        let mut list = String::new();
        for shot in &timeline.shots {
            if let Picture::Clip { path, in_ms, out_ms, .. } = &shot.picture {
                list.push_str(&concat_entry(path));
                let _ = writeln!(
                    list,
                    "inpoint {}\noutpoint {}\nduration {}",
                    secs(*in_ms),
                    secs(*out_ms),
                    secs(out_ms - in_ms)
                );
            }
        }
        let list_path = write_temp(&out.with_extension("concat.txt"), list.as_bytes())?;
        scratch.add(list_path.clone());
        inputs.add_with(&["-f", "concat", "-safe", "0"], &list_path);
    } else {
        for shot in &timeline.shots {
            let frames = frame_at(shot.end_ms, frame.fps) - frame_at(shot.start_ms, frame.fps);
            if frames > 0 {
                video_chain(&mut graph, &mut inputs, shot, frames, frame, &format!("v{}", shot.index));
            }
        }
        let labels: Vec<String> = timeline
            .shots
            .iter()
            .filter(|s| frame_at(s.end_ms, frame.fps) > frame_at(s.start_ms, frame.fps))
            .map(|s| format!("[v{}]", s.index))
            .collect();
        let _ = write!(graph, "{}concat=n={}:v=1:a=0", labels.concat(), labels.len());
        if let (SubtitleMode::Burn, Some(file)) = (options.subtitles, &subtitle_file) {
            let style = format!(
                "Fontsize={},Outline=1.2,Shadow=0,MarginV=22",
                burn_font_size(frame, &options.cue_layout)
            );
            let _ = write!(
                graph,
                ",subtitles=filename={}:force_style={}",
                escape_filter_value(&file.to_string_lossy()),
                escape_filter_value(&style)
            );
        }
        graph.push_str("[vout];");
    }
    audio_mix(&mut graph, &mut inputs, timeline, &clips, EXPORT_AUDIO, "aout");
    let soft = match (options.subtitles, &subtitle_file) {
        (SubtitleMode::Track, Some(file)) => Some(inputs.add_with(&["-f", "srt"], file)),
        _ => None,
    };
    command.args(inputs.into_args()).arg("-filter_complex").arg(&graph);
    if copy.is_ok() {
        command.args(["-map", "0:v", "-c:v", "copy"]);
    } else {
        command.args([
            "-map",
            "[vout]",
            "-c:v",
            "libx264",
            "-preset",
            &options.preset,
            "-crf",
            &options.crf.to_string(),
        ]);
        command.args(["-pix_fmt", "yuv420p"]);
    }
    // 128 kb/s AAC-LC stereo (what streaming sites serve); ffmpeg's AAC encoder takes ~3x as long at 192k.
    command.args(["-map", "[aout]", "-c:a", "aac", "-b:a", "128k"]);
    if let Some(i) = soft {
        command.args(["-map", &format!("{i}:s"), "-c:s", "mov_text", "-metadata:s:s:0", "language=und"]);
    }
    command.args(["-movflags", "+faststart", "-t", &secs(timeline.duration_ms)]);
    command.output(out);
    let mut report =
        |f: f64| on_progress(RenderProgress { stage: RenderStage::Encoding, fraction: f * 0.97 });
    ffmpeg.run(command, &mut report, cancel).await?;

    // The MP4 is in place; bring the rest in, or take back out what this export wrote so nothing partial
    // remains.
    on_progress(RenderProgress { stage: RenderStage::Muxing, fraction: 0.97 });
    let mut written = vec![out.to_path_buf()];
    let finished =
        finish_export(ffmpeg, timeline, title, out, options.edl, frame, &sidecars, &mut written).await;
    let (subtitle_files, edl_path, probe) = match finished {
        Ok(done) => done,
        Err(e) => {
            for path in written {
                let _ = std::fs::remove_file(path);
            }
            return Err(e);
        }
    };
    drop(scratch);
    on_progress(RenderProgress { stage: RenderStage::Done, fraction: 1.0 });
    Ok(ExportReport {
        path: out.to_path_buf(),
        duration_ms: timeline.duration_ms,
        stream_copy: copy.is_ok(),
        copy_refused: copy.err().filter(|_| options.stream_copy),
        subtitle_files,
        edl: edl_path,
        probe,
    })
}

/// Renames the sidecars into place, writes the edit list and probes the MP4, recording in `written` every
/// file it put in place.
#[allow(clippy::too_many_arguments)]
async fn finish_export(
    ffmpeg: &Ffmpeg,
    timeline: &Timeline,
    title: &str,
    out: &Path,
    edl_format: Option<EdlFormat>,
    frame: Frame,
    sidecars: &[(PathBuf, PathBuf)],
    written: &mut Vec<PathBuf>,
) -> Result<(Vec<PathBuf>, Option<PathBuf>, MediaProbe)> {
    let mut subtitle_files = Vec::new();
    for (temp, path) in sidecars {
        std::fs::rename(temp, path).map_err(|e| FilmError::write(path, e))?;
        written.push(path.clone());
        subtitle_files.push(path.clone());
    }
    let edl_path = match edl_format {
        Some(format) => {
            let (ext, text) = match format {
                EdlFormat::Fcpxml => {
                    ("fcpxml", edl::to_fcpxml(timeline, title, frame.width, frame.height, frame.fps))
                }
                EdlFormat::Otio => ("otio", edl::to_otio(timeline, title, frame.fps)),
            };
            let path = sidecar(out, ext);
            super::write_atomic(&path, text.as_bytes())?;
            written.push(path.clone());
            Some(path)
        }
        None => None,
    };
    let probe = ffmpeg.probe(out).await?;
    Ok((subtitle_files, edl_path, probe))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burned_cues_fit_the_frame() {
        let frame = |width, height| Frame { width, height, fps: 24, sharp_stills: true };
        let layout = CueLayout::default();
        assert_eq!(burn_font_size(frame(1366, 768), &layout), 18, "landscape: 1/16 of the height");
        assert_eq!(burn_font_size(frame(1920, 1080), &layout), 18);
        assert_eq!(
            burn_font_size(frame(768, 1366), &layout),
            7,
            "portrait: a 42-character line fits the width"
        );
        let narrow = CueLayout { latin_per_line: 24, cjk_per_line: 10, lines_per_cue: 2 };
        assert_eq!(burn_font_size(frame(768, 1366), &narrow), 12);
        assert_eq!(ExportResolution::P768.short_side(), 768);
    }
}

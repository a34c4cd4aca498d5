//! The timeline rules (see the module documentation of [`crate::timeline`]).

use super::{
    FilmInput, Motion, Ms, Pacing, Picture, ShotInput, Span, TimedLine, TimedMusic, TimedShot, Timeline,
    TimelineWarning,
};

/// Lines of one shot, placed relative to the shot's start.
struct PlacedLines {
    /// (line index in the shot, start, end), relative.
    placed: Vec<(usize, Ms, Ms)>,
    /// Where the last line ends (relative), 0 without lines.
    last_end: Ms,
}

/// Places a shot's voiced lines: manual offsets where set, else after the previous line with a gap that is
/// longer between different speakers; the first default line waits for the lead-in.
fn place_lines(shot: &ShotInput, pacing: &Pacing, warnings: &mut Vec<TimelineWarning>) -> PlacedLines {
    let mut placed = Vec::new();
    let mut last_end: Ms = 0;
    let mut previous_speaker: Option<&str> = None;
    for (i, line) in shot.lines.iter().enumerate() {
        let Some(audio) = &line.audio else { continue };
        if audio.duration_ms == 0 {
            warnings.push(TimelineWarning::ZeroLengthLine { shot_id: shot.id, line_id: line.id });
            continue;
        }
        let start = match (line.offset_ms, previous_speaker) {
            (Some(offset), _) => offset,
            (None, None) => pacing.lead_in_ms,
            (None, Some(speaker)) => {
                let gap =
                    if speaker == line.speaker { pacing.same_speaker_gap_ms } else { pacing.speaker_gap_ms };
                last_end + gap
            }
        };
        let end = start + audio.duration_ms;
        last_end = last_end.max(end);
        previous_speaker = Some(&line.speaker);
        placed.push((i, start, end));
    }
    PlacedLines { placed, last_end }
}

/// Computes the timeline of a film. Never fails: what it had to bend is in [`Timeline::warnings`].
pub fn build(film: &FilmInput) -> Timeline {
    let pacing = &film.pacing;
    let mut warnings = Vec::new();
    let mut shots = Vec::new();
    let mut lines = Vec::new();
    let mut at: Ms = 0;
    for shot in &film.shots {
        let placed = place_lines(shot, pacing, &mut warnings);
        let (picture, length, extended_ms) = if let Some(clip) = &shot.clip {
            let (in_ms, out_ms) = clip.range().unwrap_or_else(|| {
                warnings.push(TimelineWarning::TrimOutOfRange { shot_id: shot.id });
                (0, clip.media_ms)
            });
            let picture = Picture::Clip {
                path: clip.path.clone(),
                in_ms,
                out_ms,
                media_ms: clip.media_ms,
                has_audio: clip.has_audio,
            };
            (picture, out_ms - in_ms, 0)
        } else {
            let picture = match &shot.keyframe {
                Some(keyframe) => Picture::Still {
                    path: keyframe.path.clone(),
                    motion: Motion::from_camera(&keyframe.camera),
                },
                None => {
                    warnings.push(TimelineWarning::NoPicture { shot_id: shot.id });
                    Picture::Blank
                }
            };
            let needed = if placed.placed.is_empty() { 0 } else { placed.last_end + pacing.tail_ms };
            let length = shot.planned_ms.max(needed);
            (picture, length, length - shot.planned_ms)
        };
        if length == 0 {
            warnings.push(TimelineWarning::EmptyShot { shot_id: shot.id });
            continue;
        }
        for &(i, start, end) in &placed.placed {
            let line = &shot.lines[i];
            let overflow_ms =
                if matches!(picture, Picture::Clip { .. }) { end.saturating_sub(length) } else { 0 };
            if overflow_ms > 0 {
                warnings.push(TimelineWarning::LineOverflowsClip {
                    shot_id: shot.id,
                    line_id: line.id,
                    overflow_ms,
                });
            }
            let Some(audio) = &line.audio else { continue };
            lines.push(TimedLine {
                id: line.id,
                shot_id: shot.id,
                start_ms: at + start,
                end_ms: at + end,
                audio_path: audio.path.clone(),
                speaker: line.speaker.clone(),
                text: line.text.clone(),
                subtitles: audio.subtitles.clone(),
                overflow_ms,
            });
        }
        shots.push(TimedShot {
            id: shot.id,
            index: shots.len() as u32,
            start_ms: at,
            end_ms: at + length,
            picture,
            extended_ms,
        });
        at += length;
    }
    let duration_ms = at;
    lines.sort_by_key(|l| (l.start_ms, l.id));
    let music = film.music.as_ref().map(|bed| {
        let end_ms = bed.media_ms.min(duration_ms);
        if end_ms < duration_ms {
            warnings.push(TimelineWarning::MusicEndsEarly { end_ms });
        }
        let (fade_in_ms, fade_out_ms) = fit_fades(bed.fade_in_ms, bed.fade_out_ms, end_ms);
        TimedMusic {
            path: bed.path.clone(),
            end_ms,
            volume: bed.volume.max(0.0),
            fade_in_ms,
            fade_out_ms,
            ducking: bed.ducking,
        }
    });
    let ducking = ducking_spans(&lines, pacing, duration_ms);
    Timeline {
        aspect_ratio: film.aspect_ratio,
        shots,
        lines,
        music,
        ducking,
        clip_audio: film.clip_audio,
        pacing: *pacing,
        cue_overrides: film.cue_overrides.clone(),
        duration_ms,
        warnings,
    }
}

/// Shrinks both fades in proportion when together they are longer than the music plays.
fn fit_fades(fade_in: Ms, fade_out: Ms, length: Ms) -> (Ms, Ms) {
    let total = fade_in + fade_out;
    if total <= length || total == 0 {
        return (fade_in, fade_out);
    }
    let fade_in_fit = fade_in * length / total;
    (fade_in_fit, length - fade_in_fit)
}

/// The union of the lines' intervals, each widened by the attack before and the release after, clipped to
/// the film.
pub(super) fn ducking_spans(lines: &[TimedLine], pacing: &Pacing, duration_ms: Ms) -> Vec<Span> {
    let mut spans: Vec<Span> = lines
        .iter()
        .map(|l| Span {
            start_ms: l.start_ms.saturating_sub(pacing.duck_attack_ms),
            end_ms: (l.end_ms + pacing.duck_release_ms).min(duration_ms),
        })
        .filter(|s| s.start_ms < s.end_ms)
        .collect();
    spans.sort_by_key(|s| s.start_ms);
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start_ms <= last.end_ms => last.end_ms = last.end_ms.max(span.end_ms),
            _ => merged.push(span),
        }
    }
    merged
}

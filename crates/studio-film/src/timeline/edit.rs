//! Timeline edits: small values applied to a [`FilmInput`], each returning the edit that undoes it, so the
//! caller keeps an undo stack of plain values (and stores them as rows later).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ClipAudio, Ducking, FilmInput, Ms};
use crate::error::{FilmError, Result};
use crate::subtitles::CueOverride;

/// Largest music gain accepted (+12 dB).
const MAX_VOLUME: f32 = 4.0;

/// One change to the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum TimelineEdit {
    /// Sets a clip's trim (`trim_out_ms: None`: to the clip's end).
    #[serde(rename_all = "camelCase")]
    TrimClip {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
        /// New in point.
        #[ts(type = "number")]
        trim_in_ms: Ms,
        /// New out point.
        #[ts(type = "number | null")]
        trim_out_ms: Option<Ms>,
    },
    /// Places a line by hand within its shot (`None`: back to automatic placement).
    #[serde(rename_all = "camelCase")]
    SetLineOffset {
        /// The line.
        #[ts(type = "number")]
        line_id: i64,
        /// Start within the shot.
        #[ts(type = "number | null")]
        offset_ms: Option<Ms>,
    },
    /// Sets the music's gain.
    #[serde(rename_all = "camelCase")]
    SetMusicVolume {
        /// Linear gain, 0..=4.
        volume: f32,
    },
    /// Sets the music's fades.
    #[serde(rename_all = "camelCase")]
    SetMusicFades {
        /// Fade in.
        #[ts(type = "number")]
        fade_in_ms: Ms,
        /// Fade out.
        #[ts(type = "number")]
        fade_out_ms: Ms,
    },
    /// Turns ducking on (with its depth) or off.
    #[serde(rename_all = "camelCase")]
    SetDucking {
        /// The new setting.
        ducking: Option<Ducking>,
    },
    /// Chooses what clips' own sound does.
    #[serde(rename_all = "camelCase")]
    SetClipAudio {
        /// The new policy.
        clip_audio: ClipAudio,
    },
    /// Moves a shot to another position.
    #[serde(rename_all = "camelCase")]
    MoveShot {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
        /// Its new 0-based position.
        to_index: u32,
    },
    /// Replaces a subtitle cue's text (`None`: back to the generated text).
    #[serde(rename_all = "camelCase")]
    SetCueText {
        /// The line the cue belongs to.
        #[ts(type = "number")]
        line_id: i64,
        /// The cue's position among the line's cues.
        cue_index: u32,
        /// The text to show.
        text: Option<String>,
    },
}

impl TimelineEdit {
    /// Applies the edit and returns the edit that undoes it. On error the film is unchanged.
    pub fn apply(&self, film: &mut FilmInput) -> Result<TimelineEdit> {
        match self {
            TimelineEdit::TrimClip { shot_id, trim_in_ms, trim_out_ms } => {
                let shot =
                    film.shots.iter_mut().find(|s| s.id == *shot_id).ok_or_else(|| no_shot(*shot_id))?;
                let clip = shot
                    .clip
                    .as_mut()
                    .ok_or_else(|| FilmError::InvalidEdit(format!("shot {shot_id} has no clip to trim")))?;
                let out = trim_out_ms.unwrap_or(clip.media_ms);
                if *trim_in_ms >= out || out > clip.media_ms {
                    return Err(FilmError::InvalidEdit(format!(
                        "trim {trim_in_ms}..{out} ms is outside the clip (0..{} ms) or empty",
                        clip.media_ms
                    )));
                }
                let inverse = TimelineEdit::TrimClip {
                    shot_id: *shot_id,
                    trim_in_ms: clip.trim_in_ms,
                    trim_out_ms: clip.trim_out_ms,
                };
                clip.trim_in_ms = *trim_in_ms;
                clip.trim_out_ms = *trim_out_ms;
                Ok(inverse)
            }
            TimelineEdit::SetLineOffset { line_id, offset_ms } => {
                let line = film
                    .shots
                    .iter_mut()
                    .flat_map(|s| s.lines.iter_mut())
                    .find(|l| l.id == *line_id)
                    .ok_or_else(|| FilmError::InvalidEdit(format!("no line {line_id}")))?;
                let inverse = TimelineEdit::SetLineOffset { line_id: *line_id, offset_ms: line.offset_ms };
                line.offset_ms = *offset_ms;
                Ok(inverse)
            }
            TimelineEdit::SetMusicVolume { volume } => {
                if !(0.0..=MAX_VOLUME).contains(volume) {
                    return Err(FilmError::InvalidEdit(format!(
                        "music volume {volume} is not in 0..={MAX_VOLUME}"
                    )));
                }
                let music = music(film)?;
                let inverse = TimelineEdit::SetMusicVolume { volume: music.volume };
                music.volume = *volume;
                Ok(inverse)
            }
            TimelineEdit::SetMusicFades { fade_in_ms, fade_out_ms } => {
                let music = music(film)?;
                let inverse = TimelineEdit::SetMusicFades {
                    fade_in_ms: music.fade_in_ms,
                    fade_out_ms: music.fade_out_ms,
                };
                music.fade_in_ms = *fade_in_ms;
                music.fade_out_ms = *fade_out_ms;
                Ok(inverse)
            }
            TimelineEdit::SetDucking { ducking } => {
                if let Some(d) = ducking
                    && !(-60.0..=0.0).contains(&d.amount_db)
                {
                    return Err(FilmError::InvalidEdit(format!(
                        "ducking {} dB is not in -60..=0",
                        d.amount_db
                    )));
                }
                let music = music(film)?;
                let inverse = TimelineEdit::SetDucking { ducking: music.ducking };
                music.ducking = *ducking;
                Ok(inverse)
            }
            TimelineEdit::SetClipAudio { clip_audio } => {
                let inverse = TimelineEdit::SetClipAudio { clip_audio: film.clip_audio };
                film.clip_audio = *clip_audio;
                Ok(inverse)
            }
            TimelineEdit::MoveShot { shot_id, to_index } => {
                let from =
                    film.shots.iter().position(|s| s.id == *shot_id).ok_or_else(|| no_shot(*shot_id))?;
                let to = *to_index as usize;
                if to >= film.shots.len() {
                    return Err(FilmError::InvalidEdit(format!(
                        "position {to} is past the last shot ({})",
                        film.shots.len().saturating_sub(1)
                    )));
                }
                let shot = film.shots.remove(from);
                film.shots.insert(to, shot);
                Ok(TimelineEdit::MoveShot { shot_id: *shot_id, to_index: from as u32 })
            }
            TimelineEdit::SetCueText { line_id, cue_index, text } => {
                if !film.shots.iter().flat_map(|s| &s.lines).any(|l| l.id == *line_id) {
                    return Err(FilmError::InvalidEdit(format!("no line {line_id}")));
                }
                let at = film
                    .cue_overrides
                    .iter()
                    .position(|o| o.line_id == *line_id && o.cue_index == *cue_index);
                let previous = at.map(|i| film.cue_overrides.remove(i).text);
                if let Some(text) = text {
                    film.cue_overrides.push(CueOverride {
                        line_id: *line_id,
                        cue_index: *cue_index,
                        text: text.clone(),
                    });
                    film.cue_overrides.sort_by_key(|o| (o.line_id, o.cue_index));
                }
                Ok(TimelineEdit::SetCueText { line_id: *line_id, cue_index: *cue_index, text: previous })
            }
        }
    }
}

fn no_shot(shot_id: i64) -> FilmError {
    FilmError::InvalidEdit(format!("no shot {shot_id}"))
}

fn music(film: &mut FilmInput) -> Result<&mut super::MusicBed> {
    film.music.as_mut().ok_or_else(|| FilmError::InvalidEdit("the film has no music bed".to_owned()))
}

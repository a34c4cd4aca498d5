//! The SQL of each [`FilmEdit`], run inside the transaction `edit::apply_edit` opened after its snapshot.

use rusqlite::{OptionalExtension, Transaction, params};

use super::edit::{FilmEdit, Speaker};
use super::model::FilmSettings;
use super::store::{bad_json, db};
use crate::error::{FilmError, Result};
use crate::script::{CameraMove, NARRATOR};

/// The longest planned shot: Hailuo clips are 6 or 10 s, H3 up to 15; a still can hold longer.
const LONGEST_SHOT_S: f64 = 60.0;

fn invalid(message: impl Into<String>) -> FilmError {
    FilmError::InvalidEdit(message.into())
}

fn check_duration(seconds: f64) -> Result<f64> {
    if seconds.is_finite() && seconds > 0.0 && seconds <= LONGEST_SHOT_S {
        Ok(seconds)
    } else {
        Err(invalid(format!("a shot lasts more than 0 and at most {LONGEST_SHOT_S} seconds, not {seconds}")))
    }
}

/// Camera moves in their canonical spelling; an unknown one is refused with the palette.
fn camera_json(moves: &[String]) -> Result<String> {
    let mut names = Vec::with_capacity(moves.len());
    for text in moves {
        let found = CameraMove::parse(text).ok_or_else(|| {
            let palette: Vec<&str> = CameraMove::PALETTE.iter().map(|m| m.name()).collect();
            invalid(format!("“{text}” is not a camera move; use one of: {}", palette.join(", ")))
        })?;
        names.push(found.name());
    }
    serde_json::to_string(&names).map_err(|e| FilmError::Store(e.to_string()))
}

/// The film a shot belongs to, checked to be `film_id` (an edit never reaches into another film).
fn shot_of(tx: &Transaction<'_>, film_id: i64, shot_id: i64) -> Result<f64> {
    tx.query_row(
        "SELECT position FROM shots WHERE id = ?1 AND film_id = ?2 AND deleted_at_ms IS NULL",
        params![shot_id, film_id],
        |r| r.get(0),
    )
    .optional()
    .map_err(db)?
    .ok_or_else(|| invalid(format!("shot {shot_id} is not in this film")))
}

fn line_of(tx: &Transaction<'_>, film_id: i64, line_id: i64) -> Result<i64> {
    tx.query_row(
        "SELECT l.shot_id FROM film_lines l JOIN shots s ON s.id = l.shot_id \
         WHERE l.id = ?1 AND s.film_id = ?2 AND l.deleted_at_ms IS NULL",
        params![line_id, film_id],
        |r| r.get(0),
    )
    .optional()
    .map_err(db)?
    .ok_or_else(|| invalid(format!("line {line_id} is not in this film")))
}

fn in_cast(tx: &Transaction<'_>, film_id: i64, character_id: i64) -> Result<String> {
    tx.query_row(
        "SELECT c.name FROM film_cast fc JOIN characters c ON c.id = fc.character_id \
         WHERE fc.film_id = ?1 AND fc.character_id = ?2",
        params![film_id, character_id],
        |r| r.get(0),
    )
    .optional()
    .map_err(db)?
    .ok_or_else(|| invalid(format!("character {character_id} is not in this film's cast")))
}

/// Positions are fractional so an insert or a move writes one row; they are renumbered when they get close.
fn renumber(tx: &Transaction<'_>, film_id: i64) -> Result<()> {
    tx.execute(
        "UPDATE shots SET position = (SELECT COUNT(*) FROM shots o WHERE o.film_id = shots.film_id \
           AND o.deleted_at_ms IS NULL AND (o.position < shots.position OR (o.position = shots.position AND o.id <= shots.id))) \
         WHERE film_id = ?1 AND deleted_at_ms IS NULL",
        params![film_id],
    )
    .map_err(db)?;
    Ok(())
}

fn positions(tx: &Transaction<'_>, film_id: i64) -> Result<Vec<(i64, f64)>> {
    let mut stmt = tx
        .prepare_cached("SELECT id, position FROM shots WHERE film_id = ?1 AND deleted_at_ms IS NULL ORDER BY position, id")
        .map_err(db)?;
    let rows = stmt
        .query_map(params![film_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    Ok(rows)
}

/// The position between the shots at `index - 1` and `index` of `order` (excluding `moving`).
fn position_at(order: &[(i64, f64)], index: usize) -> f64 {
    let before = index.checked_sub(1).and_then(|i| order.get(i)).map(|s| s.1);
    let after = order.get(index).map(|s| s.1);
    match (before, after) {
        (None, None) => 1.0,
        (None, Some(a)) => a - 1.0,
        (Some(b), None) => b + 1.0,
        (Some(b), Some(a)) => (a + b) / 2.0,
    }
}

/// Runs `edit`; returns the id of a row it made.
pub(crate) fn apply(tx: &Transaction<'_>, film_id: i64, edit: &FilmEdit, now: i64) -> Result<Option<i64>> {
    match edit {
        FilmEdit::SetFilm { title, logline, aspect_ratio, style, target_length_s, settings } => {
            if let Some(title) = title {
                if title.trim().is_empty() {
                    return Err(invalid("a film needs a title"));
                }
                tx.execute("UPDATE films SET title = ?2 WHERE id = ?1", params![film_id, title.trim()])
                    .map_err(db)?;
            }
            if let Some(logline) = logline {
                tx.execute("UPDATE films SET logline = ?2 WHERE id = ?1", params![film_id, logline])
                    .map_err(db)?;
            }
            if let Some(ratio) = aspect_ratio {
                tx.execute(
                    "UPDATE films SET aspect_ratio = ?2 WHERE id = ?1",
                    params![film_id, ratio.name()],
                )
                .map_err(db)?;
            }
            if let Some(style) = style {
                tx.execute("UPDATE films SET style = ?2 WHERE id = ?1", params![film_id, style])
                    .map_err(db)?;
            }
            if let Some(seconds) = target_length_s {
                tx.execute(
                    "UPDATE films SET target_length_s = ?2 WHERE id = ?1",
                    params![film_id, seconds.max(&1)],
                )
                .map_err(db)?;
            }
            if let Some(settings) = settings {
                let json = serde_json::to_string(settings).map_err(|e| FilmError::Store(e.to_string()))?;
                tx.execute("UPDATE films SET settings_json = ?2 WHERE id = ?1", params![film_id, json])
                    .map_err(db)?;
            }
            Ok(None)
        }
        FilmEdit::SetMusic { music } => {
            let json: String = tx
                .query_row("SELECT settings_json FROM films WHERE id = ?1", params![film_id], |r| r.get(0))
                .map_err(db)?;
            let mut settings: FilmSettings =
                serde_json::from_str(&json).map_err(|e| bad_json("films.settings_json", e))?;
            settings.music = music.clone();
            let json = serde_json::to_string(&settings).map_err(|e| FilmError::Store(e.to_string()))?;
            tx.execute("UPDATE films SET settings_json = ?2 WHERE id = ?1", params![film_id, json])
                .map_err(db)?;
            Ok(None)
        }
        FilmEdit::AddShot { after, description, duration_s } => {
            let order = positions(tx, film_id)?;
            let index = match after {
                Some(id) => order
                    .iter()
                    .position(|s| s.0 == *id)
                    .map(|i| i + 1)
                    .ok_or_else(|| invalid(format!("shot {id} is not in this film")))?,
                None => 0,
            };
            let duration = check_duration(duration_s.unwrap_or(6.0))?;
            tx.execute(
                "INSERT INTO shots (film_id, position, description, duration_s, created_at_ms, updated_at_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![film_id, position_at(&order, index), description.trim(), duration, now],
            )
            .map_err(db)?;
            let id = tx.last_insert_rowid();
            renumber(tx, film_id)?;
            Ok(Some(id))
        }
        FilmEdit::UpdateShot {
            shot_id,
            description,
            camera,
            duration_s,
            characters,
            clip_start,
            video_model,
            video_resolution,
        } => {
            shot_of(tx, film_id, *shot_id)?;
            if let Some(text) = description {
                tx.execute("UPDATE shots SET description = ?2 WHERE id = ?1", params![shot_id, text.trim()])
                    .map_err(db)?;
            }
            if let Some(moves) = camera {
                tx.execute(
                    "UPDATE shots SET camera_json = ?2 WHERE id = ?1",
                    params![shot_id, camera_json(moves)?],
                )
                .map_err(db)?;
            }
            if let Some(seconds) = duration_s {
                tx.execute(
                    "UPDATE shots SET duration_s = ?2 WHERE id = ?1",
                    params![shot_id, check_duration(*seconds)?],
                )
                .map_err(db)?;
            }
            if let Some(ids) = characters {
                for id in ids {
                    in_cast(tx, film_id, *id)?;
                }
                let json = serde_json::to_string(ids).map_err(|e| FilmError::Store(e.to_string()))?;
                tx.execute("UPDATE shots SET characters_json = ?2 WHERE id = ?1", params![shot_id, json])
                    .map_err(db)?;
            }
            if let Some(start) = clip_start {
                tx.execute(
                    "UPDATE shots SET clip_start = ?2 WHERE id = ?1",
                    params![shot_id, start.as_str()],
                )
                .map_err(db)?;
            }
            if let Some(model) = video_model {
                let model = Some(model.trim()).filter(|m| !m.is_empty());
                tx.execute("UPDATE shots SET video_model = ?2 WHERE id = ?1", params![shot_id, model])
                    .map_err(db)?;
            }
            if let Some(resolution) = video_resolution {
                let resolution = Some(resolution.trim()).filter(|r| !r.is_empty());
                tx.execute(
                    "UPDATE shots SET video_resolution = ?2 WHERE id = ?1",
                    params![shot_id, resolution],
                )
                .map_err(db)?;
            }
            tx.execute("UPDATE shots SET updated_at_ms = ?2 WHERE id = ?1", params![shot_id, now])
                .map_err(db)?;
            Ok(None)
        }
        FilmEdit::TrimClip { shot_id, trim_in_ms, trim_out_ms } => {
            shot_of(tx, film_id, *shot_id)?;
            if trim_out_ms.is_some_and(|out| out <= *trim_in_ms) {
                return Err(invalid("a trim must end after it starts"));
            }
            tx.execute(
                "UPDATE shots SET trim_in_ms = ?2, trim_out_ms = ?3, updated_at_ms = ?4 WHERE id = ?1",
                params![shot_id, trim_in_ms, trim_out_ms, now],
            )
            .map_err(db)?;
            Ok(None)
        }
        FilmEdit::MoveShot { shot_id, to_index } => {
            shot_of(tx, film_id, *shot_id)?;
            let order: Vec<(i64, f64)> =
                positions(tx, film_id)?.into_iter().filter(|s| s.0 != *shot_id).collect();
            let index = usize::try_from(*to_index).unwrap_or(usize::MAX).min(order.len());
            tx.execute(
                "UPDATE shots SET position = ?2 WHERE id = ?1",
                params![shot_id, position_at(&order, index)],
            )
            .map_err(db)?;
            renumber(tx, film_id)?;
            Ok(None)
        }
        FilmEdit::SplitShot { shot_id } => split_shot(tx, film_id, *shot_id, now).map(Some),
        FilmEdit::DeleteShot { shot_id } => {
            shot_of(tx, film_id, *shot_id)?;
            tx.execute("UPDATE shots SET deleted_at_ms = ?2 WHERE id = ?1", params![shot_id, now])
                .map_err(db)?;
            Ok(None)
        }
        FilmEdit::AddLine { shot_id, speaker, text, emotion } => {
            shot_of(tx, film_id, *shot_id)?;
            let (speaker_id, name) = speaker_row(tx, film_id, *speaker)?;
            if text.trim().is_empty() {
                return Err(invalid("a line needs words"));
            }
            let ordinal: i64 = tx
                .query_row(
                    "SELECT COALESCE(MAX(ordinal) + 1, 0) FROM film_lines WHERE shot_id = ?1",
                    params![shot_id],
                    |r| r.get(0),
                )
                .map_err(db)?;
            tx.execute(
                "INSERT INTO film_lines (shot_id, ordinal, speaker_character_id, speaker_name, text, emotion) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![shot_id, ordinal, speaker_id, name, text.trim(), emotion.as_deref().filter(|e| !e.is_empty())],
            )
            .map_err(db)?;
            Ok(Some(tx.last_insert_rowid()))
        }
        FilmEdit::UpdateLine { line_id, speaker, text, emotion, offset_ms, subtitle_text } => {
            line_of(tx, film_id, *line_id)?;
            if let Some(speaker) = speaker {
                let (id, name) = speaker_row(tx, film_id, *speaker)?;
                tx.execute(
                    "UPDATE film_lines SET speaker_character_id = ?2, speaker_name = ?3 WHERE id = ?1",
                    params![line_id, id, name],
                )
                .map_err(db)?;
            }
            if let Some(text) = text {
                if text.trim().is_empty() {
                    return Err(invalid("a line needs words"));
                }
                tx.execute("UPDATE film_lines SET text = ?2 WHERE id = ?1", params![line_id, text.trim()])
                    .map_err(db)?;
            }
            if let Some(emotion) = emotion {
                let emotion = Some(emotion.as_str()).filter(|e| !e.is_empty());
                tx.execute("UPDATE film_lines SET emotion = ?2 WHERE id = ?1", params![line_id, emotion])
                    .map_err(db)?;
            }
            if let Some(offset) = offset_ms {
                tx.execute("UPDATE film_lines SET offset_ms = ?2 WHERE id = ?1", params![line_id, offset])
                    .map_err(db)?;
            }
            if let Some(subtitle) = subtitle_text {
                let subtitle = Some(subtitle.as_str()).filter(|s| !s.trim().is_empty());
                tx.execute(
                    "UPDATE film_lines SET subtitle_text = ?2 WHERE id = ?1",
                    params![line_id, subtitle],
                )
                .map_err(db)?;
            }
            Ok(None)
        }
        FilmEdit::DeleteLine { line_id } => {
            line_of(tx, film_id, *line_id)?;
            tx.execute("UPDATE film_lines SET deleted_at_ms = ?2 WHERE id = ?1", params![line_id, now])
                .map_err(db)?;
            Ok(None)
        }
        FilmEdit::AddCastMember { name, look, voice } => {
            if name.trim().is_empty() || name.trim().eq_ignore_ascii_case(NARRATOR) {
                return Err(invalid("a character needs a name other than Narrator"));
            }
            let voice_json = voice
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(|e| FilmError::Store(e.to_string()))?;
            tx.execute(
                "INSERT INTO characters (name, look, voice_json, created_at_ms, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![name.trim(), look.as_deref().unwrap_or("").trim(), voice_json, now],
            )
            .map_err(db)?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO film_cast (film_id, character_id, ordinal) \
                 VALUES (?1, ?2, (SELECT COALESCE(MAX(ordinal) + 1, 0) FROM film_cast WHERE film_id = ?1))",
                params![film_id, id],
            )
            .map_err(db)?;
            Ok(Some(id))
        }
        FilmEdit::UpdateCastMember { character_id, name, look, notes, voice } => {
            in_cast(tx, film_id, *character_id)?;
            if let Some(name) = name {
                if name.trim().is_empty() {
                    return Err(invalid("a character needs a name"));
                }
                tx.execute(
                    "UPDATE characters SET name = ?2 WHERE id = ?1",
                    params![character_id, name.trim()],
                )
                .map_err(db)?;
                tx.execute(
                    "UPDATE film_lines SET speaker_name = ?2 WHERE speaker_character_id = ?1",
                    params![character_id, name.trim()],
                )
                .map_err(db)?;
            }
            if let Some(look) = look {
                tx.execute("UPDATE characters SET look = ?2 WHERE id = ?1", params![character_id, look])
                    .map_err(db)?;
            }
            if let Some(notes) = notes {
                tx.execute("UPDATE characters SET notes = ?2 WHERE id = ?1", params![character_id, notes])
                    .map_err(db)?;
            }
            if let Some(voice) = voice {
                let json = serde_json::to_string(voice).map_err(|e| FilmError::Store(e.to_string()))?;
                // Their voiced lines turn stale (their takes record the voice they were made with).
                tx.execute(
                    "UPDATE characters SET voice_json = ?2, voice_changed_at_ms = ?3 WHERE id = ?1",
                    params![character_id, json, now],
                )
                .map_err(db)?;
            }
            tx.execute("UPDATE characters SET updated_at_ms = ?2 WHERE id = ?1", params![character_id, now])
                .map_err(db)?;
            Ok(None)
        }
        FilmEdit::RemoveCastMember { character_id } => {
            in_cast(tx, film_id, *character_id)?;
            tx.execute(
                "DELETE FROM film_cast WHERE film_id = ?1 AND character_id = ?2",
                params![film_id, character_id],
            )
            .map_err(db)?;
            tx.execute(
                "UPDATE film_lines SET speaker_character_id = NULL, speaker_name = ?3 WHERE speaker_character_id = ?2 \
                 AND shot_id IN (SELECT id FROM shots WHERE film_id = ?1)",
                params![film_id, character_id, NARRATOR],
            )
            .map_err(db)?;
            Ok(None)
        }
        FilmEdit::AddReference { character_id, rel_path } => {
            in_cast(tx, film_id, *character_id)?;
            let path = rel_path.trim();
            if !(path.starts_with("media/") || path.starts_with("inputs/")) || path.contains("..") {
                return Err(invalid(
                    "a reference image comes from the library (media/…) or an import (inputs/…)",
                ));
            }
            tx.execute(
                "INSERT INTO character_references (character_id, ordinal, rel_path, created_at_ms) VALUES \
                 (?1, (SELECT COALESCE(MAX(ordinal) + 1, 0) FROM character_references WHERE character_id = ?1), ?2, ?3)",
                params![character_id, path, now],
            )
            .map_err(db)?;
            Ok(None)
        }
        FilmEdit::RemoveReference { character_id, rel_path } => {
            in_cast(tx, film_id, *character_id)?;
            tx.execute(
                "DELETE FROM character_references WHERE character_id = ?1 AND rel_path = ?2",
                params![character_id, rel_path],
            )
            .map_err(db)?;
            Ok(None)
        }
        FilmEdit::ChooseTake { take_id } => {
            let slot: Option<(String, Option<i64>, Option<i64>)> = tx
                .query_row(
                    "SELECT slot, shot_id, line_id FROM takes WHERE id = ?1 AND film_id = ?2",
                    params![take_id, film_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(db)?;
            let (slot, shot, line) =
                slot.ok_or_else(|| invalid(format!("take {take_id} is not in this film")))?;
            tx.execute(
                "UPDATE takes SET chosen = 0 WHERE film_id = ?1 AND slot = ?2 AND COALESCE(shot_id, 0) = COALESCE(?3, 0) \
                 AND COALESCE(line_id, 0) = COALESCE(?4, 0)",
                params![film_id, slot, shot, line],
            )
            .map_err(db)?;
            tx.execute("UPDATE takes SET chosen = 1 WHERE id = ?1", params![take_id]).map_err(db)?;
            Ok(None)
        }
    }
}

fn speaker_row(tx: &Transaction<'_>, film_id: i64, speaker: Speaker) -> Result<(Option<i64>, String)> {
    match speaker {
        Speaker::Narrator => Ok((None, NARRATOR.to_owned())),
        Speaker::Character { id } => Ok((Some(id), in_cast(tx, film_id, id)?)),
    }
}

/// Splits a shot in two halves after it; its lines go to the half they fall in by order. Returns the new
/// shot's id.
fn split_shot(tx: &Transaction<'_>, film_id: i64, shot_id: i64, now: i64) -> Result<i64> {
    shot_of(tx, film_id, shot_id)?;
    let (description, camera, duration, characters, clip_start): (String, String, f64, String, String) = tx
        .query_row(
            "SELECT description, camera_json, duration_s, characters_json, clip_start FROM shots WHERE id = ?1",
            params![shot_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .map_err(db)?;
    let order = positions(tx, film_id)?;
    let index = order.iter().position(|s| s.0 == shot_id).unwrap_or(0) + 1;
    let half = (duration / 2.0).max(1.0);
    tx.execute(
        "UPDATE shots SET duration_s = ?2, updated_at_ms = ?3 WHERE id = ?1",
        params![shot_id, half, now],
    )
    .map_err(db)?;
    tx.execute(
        "INSERT INTO shots (film_id, position, description, camera_json, duration_s, characters_json, clip_start, \
         created_at_ms, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![film_id, position_at(&order, index), description, camera, half, characters, clip_start, now],
    )
    .map_err(db)?;
    let new_id = tx.last_insert_rowid();
    let lines: Vec<i64> = tx
        .prepare_cached(
            "SELECT id FROM film_lines WHERE shot_id = ?1 AND deleted_at_ms IS NULL ORDER BY ordinal, id",
        )
        .map_err(db)?
        .query_map(params![shot_id], |r| r.get(0))
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    let keep = lines.len().div_ceil(2);
    for id in &lines[keep..] {
        tx.execute("UPDATE film_lines SET shot_id = ?2 WHERE id = ?1", params![id, new_id]).map_err(db)?;
    }
    renumber(tx, film_id)?;
    Ok(new_id)
}

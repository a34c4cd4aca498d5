//! Undo for film edits: before every edit the film's editable state (its row, cast, shots and lines, deleted
//! ones included) is saved as a JSON snapshot; undo restores the newest and drops it. Rows are restored in
//! place by id (upserts and soft deletes), never dropped and re-made, so the takes that point at a shot or a
//! line survive any number of undos. Takes themselves are not part of the state: they are paid work, made by
//! renders, and stay.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::store::db;
use crate::error::{FilmError, Result};

/// How many snapshots a film keeps (the oldest go first).
const KEPT: i64 = 50;

#[derive(Debug, Serialize, Deserialize)]
struct State {
    film: FilmRow,
    cast: Vec<CastRow>,
    shots: Vec<ShotRow>,
    lines: Vec<LineRow>,
}

#[derive(Debug, Serialize, Deserialize)]
struct FilmRow {
    title: String,
    logline: String,
    aspect_ratio: String,
    style: String,
    target_length_s: Option<i64>,
    settings_json: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct CastRow {
    character_id: i64,
    ordinal: i64,
    name: String,
    look: String,
    notes: String,
    voice_json: Option<String>,
    references: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ShotRow {
    id: i64,
    position: f64,
    description: String,
    camera_json: String,
    duration_s: f64,
    characters_json: String,
    clip_start: String,
    video_model: Option<String>,
    video_resolution: Option<String>,
    trim_in_ms: i64,
    trim_out_ms: Option<i64>,
    deleted_at_ms: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct LineRow {
    id: i64,
    shot_id: i64,
    ordinal: i64,
    speaker_character_id: Option<i64>,
    speaker_name: String,
    text: String,
    emotion: Option<String>,
    offset_ms: Option<i64>,
    subtitle_text: Option<String>,
    deleted_at_ms: Option<i64>,
}

/// Saves film `film_id`'s editable state before an edit called `label`.
pub(crate) fn snapshot(conn: &Connection, film_id: i64, label: &str, now_ms: i64) -> Result<()> {
    let state = read_state(conn, film_id)?;
    let json = serde_json::to_string(&state).map_err(|e| FilmError::Store(e.to_string()))?;
    conn.execute(
        "INSERT INTO film_snapshots (film_id, at_ms, label, state_json) VALUES (?1, ?2, ?3, ?4)",
        params![film_id, now_ms, label, json],
    )
    .map_err(db)?;
    conn.execute(
        "DELETE FROM film_snapshots WHERE film_id = ?1 AND id NOT IN \
           (SELECT id FROM film_snapshots WHERE film_id = ?1 ORDER BY id DESC LIMIT ?2)",
        params![film_id, KEPT],
    )
    .map_err(db)?;
    Ok(())
}

/// Restores the newest snapshot of film `film_id` and drops it; returns what was undone, or `None` when
/// there is nothing to undo.
pub(crate) fn undo(conn: &mut Connection, film_id: i64, now_ms: i64) -> Result<Option<String>> {
    let tx = conn.transaction().map_err(db)?;
    let newest: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT id, label, state_json FROM film_snapshots WHERE film_id = ?1 ORDER BY id DESC LIMIT 1",
            params![film_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok();
    let Some((id, label, json)) = newest else { return Ok(None) };
    let state: State = serde_json::from_str(&json).map_err(|e| FilmError::Store(e.to_string()))?;
    restore(&tx, film_id, &state, now_ms)?;
    tx.execute("DELETE FROM film_snapshots WHERE id = ?1", params![id]).map_err(db)?;
    tx.commit().map_err(db)?;
    Ok(Some(label))
}

fn read_state(conn: &Connection, film_id: i64) -> Result<State> {
    let film = conn
        .query_row(
            "SELECT title, logline, aspect_ratio, style, target_length_s, settings_json FROM films WHERE id = ?1",
            params![film_id],
            |r| {
                Ok(FilmRow {
                    title: r.get(0)?,
                    logline: r.get(1)?,
                    aspect_ratio: r.get(2)?,
                    style: r.get(3)?,
                    target_length_s: r.get(4)?,
                    settings_json: r.get(5)?,
                })
            },
        )
        .map_err(|_| FilmError::FilmNotFound(film_id))?;
    let mut cast_stmt = conn
        .prepare_cached(
            "SELECT fc.character_id, fc.ordinal, c.name, c.look, c.notes, c.voice_json \
             FROM film_cast fc JOIN characters c ON c.id = fc.character_id WHERE fc.film_id = ?1",
        )
        .map_err(db)?;
    let mut refs = conn
        .prepare_cached("SELECT rel_path FROM character_references WHERE character_id = ?1 ORDER BY ordinal")
        .map_err(db)?;
    let mut cast = Vec::new();
    let rows = cast_stmt
        .query_map(params![film_id], |r| {
            Ok(CastRow {
                character_id: r.get(0)?,
                ordinal: r.get(1)?,
                name: r.get(2)?,
                look: r.get(3)?,
                notes: r.get(4)?,
                voice_json: r.get(5)?,
                references: Vec::new(),
            })
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    for mut row in rows {
        row.references = refs
            .query_map(params![row.character_id], |r| r.get(0))
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        cast.push(row);
    }
    let shots = conn
        .prepare_cached(
            "SELECT id, position, description, camera_json, duration_s, characters_json, clip_start, video_model, \
             video_resolution, trim_in_ms, trim_out_ms, deleted_at_ms FROM shots WHERE film_id = ?1",
        )
        .map_err(db)?
        .query_map(params![film_id], |r| {
            Ok(ShotRow {
                id: r.get(0)?,
                position: r.get(1)?,
                description: r.get(2)?,
                camera_json: r.get(3)?,
                duration_s: r.get(4)?,
                characters_json: r.get(5)?,
                clip_start: r.get(6)?,
                video_model: r.get(7)?,
                video_resolution: r.get(8)?,
                trim_in_ms: r.get(9)?,
                trim_out_ms: r.get(10)?,
                deleted_at_ms: r.get(11)?,
            })
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    let lines = conn
        .prepare_cached(
            "SELECT l.id, l.shot_id, l.ordinal, l.speaker_character_id, l.speaker_name, l.text, l.emotion, \
             l.offset_ms, l.subtitle_text, l.deleted_at_ms FROM film_lines l JOIN shots s ON s.id = l.shot_id \
             WHERE s.film_id = ?1",
        )
        .map_err(db)?
        .query_map(params![film_id], |r| {
            Ok(LineRow {
                id: r.get(0)?,
                shot_id: r.get(1)?,
                ordinal: r.get(2)?,
                speaker_character_id: r.get(3)?,
                speaker_name: r.get(4)?,
                text: r.get(5)?,
                emotion: r.get(6)?,
                offset_ms: r.get(7)?,
                subtitle_text: r.get(8)?,
                deleted_at_ms: r.get(9)?,
            })
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    Ok(State { film, cast, shots, lines })
}

fn restore(conn: &Connection, film_id: i64, state: &State, now_ms: i64) -> Result<()> {
    let f = &state.film;
    conn.execute(
        "UPDATE films SET title = ?2, logline = ?3, aspect_ratio = ?4, style = ?5, target_length_s = ?6, \
         settings_json = ?7, updated_at_ms = ?8 WHERE id = ?1",
        params![
            film_id,
            f.title,
            f.logline,
            f.aspect_ratio,
            f.style,
            f.target_length_s,
            f.settings_json,
            now_ms
        ],
    )
    .map_err(db)?;
    conn.execute("DELETE FROM film_cast WHERE film_id = ?1", params![film_id]).map_err(db)?;
    for c in &state.cast {
        conn.execute(
            "INSERT INTO film_cast (film_id, character_id, ordinal) VALUES (?1, ?2, ?3)",
            params![film_id, c.character_id, c.ordinal],
        )
        .map_err(db)?;
        conn.execute(
            "UPDATE characters SET name = ?2, look = ?3, notes = ?4, voice_json = ?5, updated_at_ms = ?6 WHERE id = ?1",
            params![c.character_id, c.name, c.look, c.notes, c.voice_json, now_ms],
        )
        .map_err(db)?;
        conn.execute("DELETE FROM character_references WHERE character_id = ?1", params![c.character_id])
            .map_err(db)?;
        for (ordinal, rel_path) in (0i64..).zip(&c.references) {
            conn.execute(
                "INSERT INTO character_references (character_id, ordinal, rel_path, created_at_ms) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![c.character_id, ordinal, rel_path, now_ms],
            )
            .map_err(db)?;
        }
    }
    // Shots made after the snapshot are hidden again; the snapshot's come back as they were.
    conn.execute(
        "UPDATE shots SET deleted_at_ms = ?2 WHERE film_id = ?1 AND deleted_at_ms IS NULL",
        params![film_id, now_ms],
    )
    .map_err(db)?;
    for s in &state.shots {
        conn.execute(
            "INSERT INTO shots (id, film_id, position, description, camera_json, duration_s, characters_json, \
               clip_start, video_model, video_resolution, trim_in_ms, trim_out_ms, created_at_ms, updated_at_ms, \
               deleted_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14) \
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, description = excluded.description, \
               camera_json = excluded.camera_json, duration_s = excluded.duration_s, \
               characters_json = excluded.characters_json, clip_start = excluded.clip_start, \
               video_model = excluded.video_model, video_resolution = excluded.video_resolution, \
               trim_in_ms = excluded.trim_in_ms, trim_out_ms = excluded.trim_out_ms, \
               updated_at_ms = excluded.updated_at_ms, deleted_at_ms = excluded.deleted_at_ms",
            params![
                s.id,
                film_id,
                s.position,
                s.description,
                s.camera_json,
                s.duration_s,
                s.characters_json,
                s.clip_start,
                s.video_model,
                s.video_resolution,
                s.trim_in_ms,
                s.trim_out_ms,
                now_ms,
                s.deleted_at_ms
            ],
        )
        .map_err(db)?;
    }
    conn.execute(
        "UPDATE film_lines SET deleted_at_ms = ?2 WHERE deleted_at_ms IS NULL AND shot_id IN \
           (SELECT id FROM shots WHERE film_id = ?1)",
        params![film_id, now_ms],
    )
    .map_err(db)?;
    for l in &state.lines {
        conn.execute(
            "INSERT INTO film_lines (id, shot_id, ordinal, speaker_character_id, speaker_name, text, emotion, \
               offset_ms, subtitle_text, deleted_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT (id) DO UPDATE SET shot_id = excluded.shot_id, ordinal = excluded.ordinal, \
               speaker_character_id = excluded.speaker_character_id, speaker_name = excluded.speaker_name, \
               text = excluded.text, emotion = excluded.emotion, offset_ms = excluded.offset_ms, \
               subtitle_text = excluded.subtitle_text, deleted_at_ms = excluded.deleted_at_ms",
            params![
                l.id,
                l.shot_id,
                l.ordinal,
                l.speaker_character_id,
                l.speaker_name,
                l.text,
                l.emotion,
                l.offset_ms,
                l.subtitle_text,
                l.deleted_at_ms
            ],
        )
        .map_err(db)?;
    }
    Ok(())
}

//! Reading films from the library's film tables (migration 5 of studio-core): the list, and a whole film
//! with its cast, shots, lines and takes joined to their jobs and files.
//!
//! Takes are ordinary jobs; a take's file is the job's media row of its ordinal, so the Library, the ledger
//! and the runner know nothing of films. A slot with no chosen take chooses its first succeeded take here
//! (`settle_choices`), so a render's results show up in the storyboard without a click, and a choice the
//! user made is never overwritten.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use studio_core::Library;
use studio_core::storage::JobState;
use studio_core::voices::voice_status;

use super::model::{
    CastMember, ClipStart, Film, FilmSettings, FilmSummary, Line, ReferenceImage, Shot, Slot, Take, Voice,
};
use crate::error::{FilmError, Result};
use crate::script::AspectRatio;

/// The film tables' SQL failed.
pub(crate) fn db(error: rusqlite::Error) -> FilmError {
    FilmError::Store(error.to_string())
}

/// A stored JSON column that does not read.
pub(crate) fn bad_json(column: &str, error: serde_json::Error) -> FilmError {
    FilmError::Store(format!("{column} is not readable: {error}"))
}

pub(crate) fn aspect(name: &str) -> AspectRatio {
    AspectRatio::parse(name).unwrap_or(AspectRatio::Landscape)
}

/// Every film not deleted, most recently edited first.
pub fn list_films(library: &mut Library) -> Result<Vec<FilmSummary>> {
    let conn = library.connection();
    let mut stmt = conn
        .prepare_cached(
            "SELECT f.id, f.title, f.aspect_ratio, f.updated_at_ms, \
               (SELECT COUNT(*) FROM shots s WHERE s.film_id = f.id AND s.deleted_at_ms IS NULL), \
               (SELECT COALESCE(SUM(duration_s), 0) FROM shots s WHERE s.film_id = f.id AND s.deleted_at_ms IS NULL), \
               (SELECT m.rel_path FROM shots s JOIN takes t ON t.shot_id = s.id AND t.slot = 'keyframe' AND t.chosen = 1 \
                  JOIN media m ON m.job_id = t.job_id AND m.ordinal = t.ordinal \
                  WHERE s.film_id = f.id AND s.deleted_at_ms IS NULL ORDER BY s.position LIMIT 1) \
             FROM films f WHERE f.deleted_at_ms IS NULL ORDER BY f.updated_at_ms DESC, f.id DESC",
        )
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(FilmSummary {
                id: r.get(0)?,
                title: r.get(1)?,
                aspect_ratio: aspect(&r.get::<_, String>(2)?),
                updated_at_ms: r.get(3)?,
                shot_count: r.get(4)?,
                planned_s: r.get(5)?,
                poster: r.get(6)?,
            })
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    Ok(rows)
}

/// The whole film `id` (chosen takes settled first).
pub fn load_film(library: &mut Library, id: i64) -> Result<Film> {
    settle_choices(library.connection(), id)?;
    let root = library.root().to_path_buf();
    let conn = library.connection();
    let head = conn
        .query_row(
            "SELECT title, logline, aspect_ratio, style, target_length_s, settings_json, created_at_ms, updated_at_ms \
             FROM films WHERE id = ?1 AND deleted_at_ms IS NULL",
            params![id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<u32>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            },
        )
        .optional()
        .map_err(db)?
        .ok_or(FilmError::FilmNotFound(id))?;
    let (title, logline, aspect_ratio, style, target_length_s, settings_json, created_at_ms, updated_at_ms) =
        head;
    let settings: FilmSettings =
        serde_json::from_str(&settings_json).map_err(|e| bad_json("films.settings_json", e))?;
    let mut cast = cast_of(conn, id, &root)?;
    let voices: HashMap<i64, String> =
        cast.iter().map(|c| (c.id, voice_fingerprint(c.voice.as_ref(), &settings))).collect();
    let narrator = narrator_fingerprint(&settings);
    let takes = takes_of(conn, id)?;
    let mut shots = shots_of(conn, id)?;
    let lines = lines_of(conn, id)?;
    for shot in &mut shots {
        shot.keyframes = takes.get(&(Slot::Keyframe, shot.id, 0)).cloned().unwrap_or_default();
        shot.clips = takes.get(&(Slot::Clip, shot.id, 0)).cloned().unwrap_or_default();
        shot.lines = lines.get(&shot.id).cloned().unwrap_or_default();
        for line in &mut shot.lines {
            let current = line.speaker_id.and_then(|s| voices.get(&s)).unwrap_or(&narrator);
            line.takes = takes.get(&(Slot::Line, 0, line.id)).cloned().unwrap_or_default();
            for take in &mut line.takes {
                take.stale = take_made_with(conn, take.id)?.is_some_and(|made| &made != current);
            }
        }
    }
    let music = takes.get(&(Slot::Music, 0, 0)).cloned().unwrap_or_default();
    let can_undo = conn
        .query_row("SELECT EXISTS (SELECT 1 FROM film_snapshots WHERE film_id = ?1)", params![id], |r| {
            r.get(0)
        })
        .map_err(db)?;
    // A voice made here may have expired or been deleted since it was chosen: told before any spend.
    let now = now_ms();
    for member in &mut cast {
        member.voice_status = match &member.voice {
            Some(voice) => Some(voice_status(library, &voice.voice_id, now)?),
            None => None,
        };
    }
    Ok(Film {
        id,
        title,
        logline,
        aspect_ratio: aspect(&aspect_ratio),
        style,
        target_length_s,
        settings,
        cast,
        shots,
        music,
        can_undo,
        created_at_ms,
        updated_at_ms,
    })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// What a line take is made with: the voice and its settings. A take made with another is stale.
pub(crate) fn voice_fingerprint(voice: Option<&Voice>, settings: &FilmSettings) -> String {
    match voice {
        Some(v) => format!(
            "{}|{}|{:?}|{:?}|{:?}",
            v.voice_id,
            v.model.as_deref().unwrap_or(&settings.speech_model),
            v.speed,
            v.pitch,
            v.emotion
        ),
        None => narrator_fingerprint(settings),
    }
}

/// The narrator's voice as a fingerprint.
pub(crate) fn narrator_fingerprint(settings: &FilmSettings) -> String {
    format!("{}|{}|None|None|None", settings.narrator_voice, settings.speech_model)
}

fn take_made_with(conn: &Connection, take_id: i64) -> Result<Option<String>> {
    let made: String = conn
        .query_row("SELECT made_with FROM takes WHERE id = ?1", params![take_id], |r| r.get(0))
        .map_err(db)?;
    Ok(Some(made).filter(|m| !m.is_empty()))
}

fn cast_of(conn: &Connection, film_id: i64, root: &std::path::Path) -> Result<Vec<CastMember>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT c.id, c.name, c.look, c.notes, c.voice_json FROM film_cast fc JOIN characters c ON c.id = fc.character_id \
             WHERE fc.film_id = ?1 ORDER BY fc.ordinal, c.id",
        )
        .map_err(db)?;
    let rows = stmt
        .query_map(params![film_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, Option<String>>(4)?))
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    let mut refs = conn
        .prepare_cached("SELECT rel_path FROM character_references WHERE character_id = ?1 ORDER BY ordinal")
        .map_err(db)?;
    let mut cast = Vec::with_capacity(rows.len());
    for (id, name, look, notes, voice_json) in rows {
        let voice = match voice_json {
            Some(json) => {
                Some(serde_json::from_str(&json).map_err(|e| bad_json("characters.voice_json", e))?)
            }
            None => None,
        };
        let references = refs
            .query_map(params![id], |r| r.get::<_, String>(0))
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?
            .into_iter()
            .map(|rel_path| ReferenceImage { present: root.join(&rel_path).is_file(), rel_path })
            .collect();
        cast.push(CastMember { id, name, look, notes, voice, references, voice_status: None });
    }
    Ok(cast)
}

fn shots_of(conn: &Connection, film_id: i64) -> Result<Vec<Shot>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, description, camera_json, duration_s, characters_json, clip_start, video_model, \
             video_resolution, trim_in_ms, trim_out_ms FROM shots WHERE film_id = ?1 AND deleted_at_ms IS NULL \
             ORDER BY position, id",
        )
        .map_err(db)?;
    let rows = stmt
        .query_map(params![film_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, u32>(8)?,
                r.get::<_, Option<u32>>(9)?,
            ))
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    let mut shots = Vec::with_capacity(rows.len());
    for (index, row) in (0u32..).zip(rows) {
        let (
            id,
            description,
            camera,
            duration_s,
            characters,
            clip_start,
            video_model,
            video_resolution,
            trim_in,
            trim_out,
        ) = row;
        shots.push(Shot {
            id,
            index,
            description,
            camera: serde_json::from_str(&camera).map_err(|e| bad_json("shots.camera_json", e))?,
            duration_s,
            characters: serde_json::from_str(&characters)
                .map_err(|e| bad_json("shots.characters_json", e))?,
            clip_start: ClipStart::parse(&clip_start),
            video_model,
            video_resolution,
            trim_in_ms: trim_in,
            trim_out_ms: trim_out,
            lines: Vec::new(),
            keyframes: Vec::new(),
            clips: Vec::new(),
        });
    }
    Ok(shots)
}

fn lines_of(conn: &Connection, film_id: i64) -> Result<HashMap<i64, Vec<Line>>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT l.id, l.shot_id, l.speaker_character_id, l.speaker_name, l.text, l.emotion, l.offset_ms, \
             l.subtitle_text FROM film_lines l JOIN shots s ON s.id = l.shot_id \
             WHERE s.film_id = ?1 AND l.deleted_at_ms IS NULL ORDER BY l.shot_id, l.ordinal, l.id",
        )
        .map_err(db)?;
    let mut by_shot: HashMap<i64, Vec<Line>> = HashMap::new();
    let rows = stmt
        .query_map(params![film_id], |r| {
            Ok((
                r.get::<_, i64>(1)?,
                Line {
                    id: r.get(0)?,
                    speaker_id: r.get(2)?,
                    speaker: r.get(3)?,
                    text: r.get(4)?,
                    emotion: r.get(5)?,
                    offset_ms: r.get(6)?,
                    subtitle_text: r.get(7)?,
                    takes: Vec::new(),
                },
            ))
        })
        .map_err(db)?;
    for row in rows {
        let (shot, line) = row.map_err(db)?;
        by_shot.entry(shot).or_default().push(line);
    }
    Ok(by_shot)
}

/// Takes by `(slot, shot id or 0, line id or 0)`, newest first.
/// How an imported take's `made_with` begins (the original file's name follows).
pub(crate) const IMPORTED_PREFIX: &str = "imported:";

fn takes_of(conn: &Connection, film_id: i64) -> Result<HashMap<(Slot, i64, i64), Vec<Take>>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT t.id, t.slot, COALESCE(t.shot_id, 0), COALESCE(t.line_id, 0), t.job_id, t.ordinal, t.chosen, \
               j.state, COALESCE(j.actual_requests, j.estimate_requests), m.id, m.rel_path, m.mime, m.duration_ms, \
               t.made_with \
             FROM takes t JOIN jobs j ON j.id = t.job_id \
             LEFT JOIN media m ON m.job_id = t.job_id AND m.ordinal = t.ordinal \
             WHERE t.film_id = ?1 ORDER BY t.created_at_ms DESC, t.id DESC",
        )
        .map_err(db)?;
    let mut takes: HashMap<(Slot, i64, i64), Vec<Take>> = HashMap::new();
    let rows = stmt
        .query_map(params![film_id], |r| {
            Ok((
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(7)?,
                Take {
                    id: r.get(0)?,
                    job_id: r.get(4)?,
                    ordinal: r.get(5)?,
                    chosen: r.get(6)?,
                    state: JobState::Queued,
                    requests: r.get(8)?,
                    media_id: r.get(9)?,
                    rel_path: r.get(10)?,
                    mime: r.get(11)?,
                    duration_ms: r.get(12)?,
                    stale: false,
                    imported_from: r
                        .get::<_, Option<String>>(13)?
                        .and_then(|m| m.strip_prefix(IMPORTED_PREFIX).map(str::to_owned)),
                },
            ))
        })
        .map_err(db)?;
    for row in rows {
        let (slot, shot, line, state, mut take) = row.map_err(db)?;
        let Some(slot) = Slot::parse(&slot) else { continue };
        take.state = JobState::parse(&state).unwrap_or(JobState::Failed);
        // A line's takes are found by the line alone (a split may have moved it to another shot).
        let shot = if slot == Slot::Line { 0 } else { shot };
        takes.entry((slot, shot, line)).or_default().push(take);
    }
    Ok(takes)
}

/// Chooses, for every slot of film `film_id` without a chosen take, its oldest take whose job succeeded
/// with the file. A choice already made is kept.
pub(crate) fn settle_choices(conn: &mut Connection, film_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE takes SET chosen = 1 WHERE id IN ( \
           SELECT MIN(t.id) FROM takes t JOIN jobs j ON j.id = t.job_id \
           JOIN media m ON m.job_id = t.job_id AND m.ordinal = t.ordinal \
           WHERE t.film_id = ?1 AND j.state = 'succeeded' \
             AND NOT EXISTS (SELECT 1 FROM takes c WHERE c.film_id = t.film_id AND c.slot = t.slot \
               AND COALESCE(c.shot_id, 0) = COALESCE(t.shot_id, 0) AND COALESCE(c.line_id, 0) = COALESCE(t.line_id, 0) \
               AND c.chosen = 1) \
           GROUP BY t.slot, COALESCE(t.shot_id, 0), COALESCE(t.line_id, 0))",
        params![film_id],
    )
    .map_err(db)?;
    Ok(())
}

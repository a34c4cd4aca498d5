//! Making and changing films: a new film, a film from a shot list (imported or drafted), and every edit of
//! the storyboard as one [`FilmEdit`], each in one transaction after an undo snapshot.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use studio_core::Library;
use ts_rs::TS;

use super::model::{ClipStart, FilmSettings, MusicCue, Slot, Voice};
use super::store::db;
use super::undo;
use crate::error::{FilmError, Result};
use crate::script::{AspectRatio, NARRATOR, Script};

/// Who says a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum Speaker {
    /// The narrator.
    Narrator,
    /// A cast member.
    Character {
        /// The character's id.
        #[ts(type = "number")]
        id: i64,
    },
}

/// One change to a film. Fields left out stay as they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum FilmEdit {
    /// The film's own fields.
    SetFilm {
        /// A new title.
        #[ts(optional)]
        title: Option<String>,
        /// A new logline.
        #[ts(optional)]
        logline: Option<String>,
        /// A new frame.
        #[ts(optional)]
        aspect_ratio: Option<AspectRatio>,
        /// New style notes.
        #[ts(optional)]
        style: Option<String>,
        /// A new target length, seconds.
        #[ts(optional)]
        target_length_s: Option<u32>,
        /// New models and sound settings.
        #[ts(optional)]
        settings: Option<FilmSettings>,
    },
    /// The music cue (none removes it).
    SetMusic {
        /// The cue.
        #[ts(optional)]
        music: Option<MusicCue>,
    },
    /// A new shot after `after` (at the start when absent).
    AddShot {
        /// The shot it follows.
        #[ts(optional, type = "number")]
        after: Option<i64>,
        /// What is seen.
        description: String,
        /// Planned seconds (6 when absent).
        #[ts(optional)]
        duration_s: Option<f64>,
    },
    /// A shot's fields.
    UpdateShot {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
        /// What is seen.
        #[ts(optional)]
        description: Option<String>,
        /// Camera moves.
        #[ts(optional)]
        camera: Option<Vec<String>>,
        /// Planned seconds.
        #[ts(optional)]
        duration_s: Option<f64>,
        /// Characters in frame.
        #[ts(optional, type = "Array<number>")]
        characters: Option<Vec<i64>>,
        /// How its clip starts.
        #[ts(optional)]
        clip_start: Option<ClipStart>,
        /// Its own video model (`""` ⇒ the film's).
        #[ts(optional)]
        video_model: Option<String>,
        /// Its own resolution (`""` ⇒ the film's).
        #[ts(optional)]
        video_resolution: Option<String>,
    },
    /// The chosen clip's trim.
    TrimClip {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
        /// Start, ms into the clip.
        trim_in_ms: u32,
        /// End, ms into the clip (none ⇒ its end).
        #[ts(optional)]
        trim_out_ms: Option<u32>,
    },
    /// A shot to another place (0-based).
    MoveShot {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
        /// Where it goes.
        to_index: u32,
    },
    /// A shot cut in two: the same description, half the length each, its lines shared out.
    SplitShot {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
    },
    /// A shot out of the film (its takes stay in the Library; undo brings it back).
    DeleteShot {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
    },
    /// A new line at the end of a shot.
    AddLine {
        /// The shot.
        #[ts(type = "number")]
        shot_id: i64,
        /// Who says it.
        speaker: Speaker,
        /// What is said.
        text: String,
        /// How.
        #[ts(optional)]
        emotion: Option<String>,
    },
    /// A line's fields.
    UpdateLine {
        /// The line.
        #[ts(type = "number")]
        line_id: i64,
        /// Who says it.
        #[ts(optional)]
        speaker: Option<Speaker>,
        /// What is said.
        #[ts(optional)]
        text: Option<String>,
        /// How (`""` ⇒ the voice's default).
        #[ts(optional)]
        emotion: Option<String>,
        /// Where it starts in its shot, ms.
        #[ts(optional)]
        offset_ms: Option<u32>,
        /// The subtitle's text (`""` ⇒ the line's).
        #[ts(optional)]
        subtitle_text: Option<String>,
    },
    /// A line out of its shot.
    DeleteLine {
        /// The line.
        #[ts(type = "number")]
        line_id: i64,
    },
    /// A new character in the cast.
    AddCastMember {
        /// Their name.
        name: String,
        /// How they look.
        #[ts(optional)]
        look: Option<String>,
        /// Their voice.
        #[ts(optional)]
        voice: Option<Voice>,
    },
    /// A character's fields. A new voice makes their voiced lines stale (shown, not re-made).
    UpdateCastMember {
        /// The character.
        #[ts(type = "number")]
        character_id: i64,
        /// Their name.
        #[ts(optional)]
        name: Option<String>,
        /// How they look.
        #[ts(optional)]
        look: Option<String>,
        /// Notes.
        #[ts(optional)]
        notes: Option<String>,
        /// Their voice.
        #[ts(optional)]
        voice: Option<Voice>,
    },
    /// A character out of this film's cast (their lines become the narrator's).
    RemoveCastMember {
        /// The character.
        #[ts(type = "number")]
        character_id: i64,
    },
    /// A reference image for a character (a library path: `media/…` or `inputs/…`).
    AddReference {
        /// The character.
        #[ts(type = "number")]
        character_id: i64,
        /// The image.
        rel_path: String,
    },
    /// A reference image removed.
    RemoveReference {
        /// The character.
        #[ts(type = "number")]
        character_id: i64,
        /// The image.
        rel_path: String,
    },
    /// The take its slot uses.
    ChooseTake {
        /// The take.
        #[ts(type = "number")]
        take_id: i64,
    },
}

impl FilmEdit {
    /// An edit of the film's settings alone (model, resolution, clip sound…), its other fields kept.
    pub fn settings(settings: FilmSettings) -> FilmEdit {
        FilmEdit::SetFilm {
            title: None,
            logline: None,
            aspect_ratio: None,
            style: None,
            target_length_s: None,
            settings: Some(settings),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            FilmEdit::SetFilm { .. } => "film settings",
            FilmEdit::SetMusic { .. } => "music",
            FilmEdit::AddShot { .. } => "add shot",
            FilmEdit::UpdateShot { .. } => "edit shot",
            FilmEdit::TrimClip { .. } => "trim clip",
            FilmEdit::MoveShot { .. } => "move shot",
            FilmEdit::SplitShot { .. } => "split shot",
            FilmEdit::DeleteShot { .. } => "delete shot",
            FilmEdit::AddLine { .. } => "add line",
            FilmEdit::UpdateLine { .. } => "edit line",
            FilmEdit::DeleteLine { .. } => "delete line",
            FilmEdit::AddCastMember { .. } => "add character",
            FilmEdit::UpdateCastMember { .. } => "edit character",
            FilmEdit::RemoveCastMember { .. } => "remove character",
            FilmEdit::AddReference { .. } => "add reference",
            FilmEdit::RemoveReference { .. } => "remove reference",
            FilmEdit::ChooseTake { .. } => "choose take",
        }
    }
}

/// System voices given in turn to characters an imported script gives none (distinct, clear English
/// voices every account has).
const STARTER_VOICES: [&str; 6] = [
    "English_Graceful_Lady",
    "English_Trustworth_Man",
    "English_PlayfulGirl",
    "English_Gentle-voiced_man",
    "English_CalmWoman",
    "English_ManWithDeepVoice",
];

/// A new, empty film; returns its id.
pub fn create_film(library: &mut Library, title: &str, aspect: AspectRatio, now_ms: i64) -> Result<i64> {
    let title = title.trim();
    if title.is_empty() {
        return Err(FilmError::InvalidEdit("a film needs a title".into()));
    }
    let settings =
        serde_json::to_string(&FilmSettings::default()).map_err(|e| FilmError::Store(e.to_string()))?;
    library
        .connection()
        .execute(
            "INSERT INTO films (title, aspect_ratio, settings_json, created_at_ms, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![title, aspect.name(), settings, now_ms],
        )
        .map_err(db)?;
    Ok(library.connection().last_insert_rowid())
}

/// A film from a validated shot list (imported or drafted): its cast (each a new character), shots and
/// lines, in one transaction; returns its id.
pub fn create_from_script(library: &mut Library, script: &Script, now_ms: i64) -> Result<i64> {
    let settings = FilmSettings {
        music: script.music.as_ref().map(|m| MusicCue {
            prompt: m.prompt.clone(),
            lyrics: m.lyrics.clone(),
            ..blank_cue()
        }),
        ..FilmSettings::default()
    };
    let settings_json = serde_json::to_string(&settings).map_err(|e| FilmError::Store(e.to_string()))?;
    let tx = library.connection().transaction().map_err(db)?;
    tx.execute(
        "INSERT INTO films (title, logline, aspect_ratio, style, target_length_s, settings_json, created_at_ms, updated_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            script.title.trim(),
            script.logline.clone().unwrap_or_default(),
            script.aspect_ratio.unwrap_or(AspectRatio::Landscape).name(),
            script.style.clone().unwrap_or_default(),
            script.target_length_s.map(|s| s.round().max(1.0) as i64),
            settings_json,
            now_ms
        ],
    )
    .map_err(db)?;
    let film_id = tx.last_insert_rowid();
    let mut ids: Vec<(String, i64)> = Vec::new();
    for (ordinal, member) in (0i64..).zip(&script.cast) {
        // A character the file gives no voice gets a distinct system voice, so "Voice all lines" works at
        // once; the cast panel changes it.
        let fallback = STARTER_VOICES[usize::try_from(ordinal).unwrap_or(0) % STARTER_VOICES.len()];
        let voice = Some(Voice {
            voice_id: member.voice.clone().unwrap_or_else(|| fallback.to_owned()),
            model: None,
            speed: None,
            pitch: None,
            emotion: None,
        });
        let id = insert_character(
            &tx,
            &member.name,
            member.look.as_deref().unwrap_or(""),
            voice.as_ref(),
            now_ms,
        )?;
        tx.execute(
            "INSERT INTO film_cast (film_id, character_id, ordinal) VALUES (?1, ?2, ?3)",
            params![film_id, id, ordinal],
        )
        .map_err(db)?;
        ids.push((member.name.to_lowercase(), id));
    }
    let id_of = |name: &str| ids.iter().find(|(n, _)| *n == name.to_lowercase()).map(|(_, id)| *id);
    for (position, shot) in (1i64..).zip(&script.shots) {
        let characters: Vec<i64> = shot.characters.iter().filter_map(|c| id_of(c)).collect();
        let camera: Vec<&str> = shot.camera.iter().map(|c| c.name()).collect();
        tx.execute(
            "INSERT INTO shots (film_id, position, description, camera_json, duration_s, characters_json, created_at_ms, \
             updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                film_id,
                position as f64,
                shot.description.trim(),
                serde_json::to_string(&camera).unwrap_or_else(|_| "[]".into()),
                shot.duration_s.unwrap_or(6.0),
                serde_json::to_string(&characters).unwrap_or_else(|_| "[]".into()),
                now_ms
            ],
        )
        .map_err(db)?;
        let shot_id = tx.last_insert_rowid();
        for (ordinal, line) in (0i64..).zip(&shot.lines) {
            let speaker =
                if line.speaker.eq_ignore_ascii_case(NARRATOR) { None } else { id_of(&line.speaker) };
            let name = if speaker.is_some() { line.speaker.clone() } else { NARRATOR.to_owned() };
            tx.execute(
                "INSERT INTO film_lines (shot_id, ordinal, speaker_character_id, speaker_name, text, emotion) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![shot_id, ordinal, speaker, name, line.text.trim(), line.emotion.map(|e| e.name())],
            )
            .map_err(db)?;
        }
    }
    tx.commit().map_err(db)?;
    Ok(film_id)
}

/// A music cue with the defaults and no prompt yet.
pub(crate) fn blank_cue() -> MusicCue {
    MusicCue {
        prompt: String::new(),
        lyrics: None,
        model: super::model::DEFAULT_MUSIC_MODEL.into(),
        volume: 0.6,
        fade_in_ms: 1_500,
        fade_out_ms: 1_500,
        ducking_db: Some(12.0),
    }
}

fn insert_character(
    tx: &Transaction<'_>,
    name: &str,
    look: &str,
    voice: Option<&Voice>,
    now_ms: i64,
) -> Result<i64> {
    let voice_json =
        voice.map(serde_json::to_string).transpose().map_err(|e| FilmError::Store(e.to_string()))?;
    tx.execute(
        "INSERT INTO characters (name, look, voice_json, created_at_ms, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![name.trim(), look.trim(), voice_json, now_ms],
    )
    .map_err(db)?;
    Ok(tx.last_insert_rowid())
}

/// Applies `edit` to film `film_id` after an undo snapshot, in one transaction. Returns the new row's id for
/// edits that make one (a shot, a line, a character).
pub fn apply_edit(library: &mut Library, film_id: i64, edit: &FilmEdit, now_ms: i64) -> Result<Option<i64>> {
    let tx = library.connection().transaction().map_err(db)?;
    let exists: Option<i64> = tx
        .query_row("SELECT id FROM films WHERE id = ?1 AND deleted_at_ms IS NULL", params![film_id], |r| {
            r.get(0)
        })
        .optional()
        .map_err(db)?;
    if exists.is_none() {
        return Err(FilmError::FilmNotFound(film_id));
    }
    if !matches!(edit, FilmEdit::ChooseTake { .. }) {
        undo::snapshot(&tx, film_id, edit.label(), now_ms)?;
    }
    let made = super::edit_apply::apply(&tx, film_id, edit, now_ms)?;
    tx.execute("UPDATE films SET updated_at_ms = ?2 WHERE id = ?1", params![film_id, now_ms]).map_err(db)?;
    tx.commit().map_err(db)?;
    Ok(made)
}

/// Undoes the film's last edit; returns what was undone (`None`: nothing to undo).
pub fn undo_edit(library: &mut Library, film_id: i64, now_ms: i64) -> Result<Option<String>> {
    undo::undo(library.connection(), film_id, now_ms)
}

/// Links a job made for a slot of the film as a take (one row per file of the job), recording what it was
/// made with (the voice, for lines).
#[expect(clippy::too_many_arguments, reason = "one row's columns; a struct would only rename them")]
pub fn link_take(
    conn: &Connection,
    film_id: i64,
    slot: Slot,
    shot_id: Option<i64>,
    line_id: Option<i64>,
    job_id: i64,
    files: u32,
    made_with: &str,
    now_ms: i64,
) -> Result<()> {
    for ordinal in 0..files.max(1) {
        conn.execute(
            "INSERT INTO takes (film_id, slot, shot_id, line_id, job_id, ordinal, made_with, created_at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![film_id, slot.as_str(), shot_id, line_id, job_id, ordinal, made_with, now_ms],
        )
        .map_err(db)?;
    }
    Ok(())
}

/// Moves the film out of the list (its takes stay in the Library as ordinary generations). Refused while
/// jobs of it run unless `cancel_running` says what to do: the caller cancels them first and confirms.
pub fn delete_film(library: &mut Library, film_id: i64, now_ms: i64) -> Result<()> {
    let changed = library
        .connection()
        .execute(
            "UPDATE films SET deleted_at_ms = ?2 WHERE id = ?1 AND deleted_at_ms IS NULL",
            params![film_id, now_ms],
        )
        .map_err(db)?;
    if changed == 0 {
        return Err(FilmError::FilmNotFound(film_id));
    }
    Ok(())
}

/// Brings a deleted film back.
pub fn restore_film(library: &mut Library, film_id: i64) -> Result<()> {
    library
        .connection()
        .execute("UPDATE films SET deleted_at_ms = NULL WHERE id = ?1", params![film_id])
        .map_err(db)?;
    Ok(())
}

/// The ids of the film's jobs that are not finished (a delete asks what to do with them).
pub fn running_jobs(library: &mut Library, film_id: i64) -> Result<Vec<i64>> {
    let conn = library.connection();
    let mut stmt = conn
        .prepare_cached(
            "SELECT DISTINCT t.job_id FROM takes t JOIN jobs j ON j.id = t.job_id WHERE t.film_id = ?1 \
             AND j.state IN ('queued','waitingForQuota','running','downloading') ORDER BY t.job_id",
        )
        .map_err(db)?;
    let ids = stmt
        .query_map(params![film_id], |r| r.get(0))
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<i64>>>()
        .map_err(db)?;
    Ok(ids)
}

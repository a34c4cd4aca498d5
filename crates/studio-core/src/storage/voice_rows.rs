//! The voice workspace's rows (migration 6): cached previews, auditions, stars, presets, clone samples and
//! the voices designed or cloned here. The rules (what a cache hit is, when a voice expires) are in
//! `crate::voices`; this is reading and writing.

use rusqlite::{OptionalExtension, Row, params};

use super::jobs::{JOB_COLUMNS, job_from_row};
use super::media::media_of_jobs;
use super::{JobWithMedia, Library};
use crate::error::{CoreError, Result};
use crate::voices::{VoiceKind, VoicePreset, VoiceSample, VoiceSettings};

/// A designed or cloned voice as stored (its status is worked out by `crate::voices::voice_status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomVoiceRow {
    /// The voice id.
    pub voice_id: String,
    /// Designed or cloned.
    pub kind: VoiceKind,
    /// Its name.
    pub name: String,
    /// The description or the sample's name.
    pub description: String,
    /// Its language, when known.
    pub language: Option<String>,
    /// The job that makes it.
    pub job_id: Option<i64>,
    /// Made in demo mode.
    pub demo: bool,
    /// Epoch ms.
    pub created_at_ms: i64,
    /// First real synthesis.
    pub first_used_at_ms: Option<i64>,
    /// Deleted here.
    pub deleted_at_ms: Option<i64>,
    /// The state of its job (`succeeded`, `failed`, …), if it still exists.
    pub job_state: Option<String>,
}

/// One take of an audition as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditionTakeRow {
    /// The voice.
    pub voice_id: String,
    /// Its name.
    pub voice_name: String,
    /// The take's job.
    pub job_id: i64,
    /// Replayed from the library when the audition ran.
    pub cached: bool,
}

/// An audition as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditionRow {
    /// Its id.
    pub id: i64,
    /// The line.
    pub text: String,
    /// The settings, as JSON.
    pub settings_json: String,
    /// Epoch ms.
    pub created_at_ms: i64,
    /// The takes, in order.
    pub takes: Vec<AuditionTakeRow>,
}

const CUSTOM_COLUMNS: &str = "v.voice_id, v.kind, v.name, v.description, v.language, v.job_id, v.demo, \
     v.created_at_ms, v.first_used_at_ms, v.deleted_at_ms, j.state";

fn custom_from_row(row: &Row<'_>) -> rusqlite::Result<CustomVoiceRow> {
    let kind: String = row.get(1)?;
    Ok(CustomVoiceRow {
        voice_id: row.get(0)?,
        kind: if kind == "cloned" { VoiceKind::Cloned } else { VoiceKind::Designed },
        name: row.get(2)?,
        description: row.get(3)?,
        language: row.get(4)?,
        job_id: row.get(5)?,
        demo: row.get(6)?,
        created_at_ms: row.get(7)?,
        first_used_at_ms: row.get(8)?,
        deleted_at_ms: row.get(9)?,
        job_state: row.get(10)?,
    })
}

fn preset_from_row(row: &Row<'_>) -> rusqlite::Result<VoicePreset> {
    Ok(VoicePreset {
        id: row.get(0)?,
        name: row.get(1)?,
        voice_id: row.get(2)?,
        settings: VoiceSettings {
            model: row.get(3)?,
            speed: row.get(4)?,
            pitch: row.get(5)?,
            emotion: row.get(6)?,
        },
    })
}

fn sample_from_row(row: &Row<'_>) -> rusqlite::Result<VoiceSample> {
    Ok(VoiceSample {
        id: row.get(0)?,
        file_name: row.get(1)?,
        size_bytes: row.get(2)?,
        duration_ms: row.get(3)?,
        remote_file_id: row.get(4)?,
    })
}

impl Library {
    /// The newest preview made with `preview_key` in this ledger (demo or real) that succeeded and whose
    /// audio file is still on disk, else one still on its way (so a double click never pays twice).
    pub fn cached_preview(&self, preview_key: &str, demo: bool) -> Result<Option<JobWithMedia>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE preview_key = ?1 AND demo = ?2 \
             AND state IN ('succeeded','queued','waitingForQuota','running','downloading') \
             ORDER BY state = 'succeeded' DESC, id DESC LIMIT 4"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let jobs = stmt
            .query_map(params![preview_key, demo], job_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
        let mut media = media_of_jobs(&self.conn, &ids)?;
        for job in jobs {
            let files = media.remove(&job.id).unwrap_or_default();
            let on_disk =
                files.iter().any(|m| m.mime.starts_with("audio/") && self.root.join(&m.rel_path).is_file());
            if on_disk || !job.state.is_finished() {
                return Ok(Some(JobWithMedia { job, media: files }));
            }
        }
        Ok(None)
    }

    /// Records an audition and its takes; returns its id.
    pub fn insert_audition(
        &mut self,
        text: &str,
        settings_json: &str,
        demo: bool,
        at_ms: i64,
        takes: &[AuditionTakeRow],
    ) -> Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO auditions (text, settings_json, demo, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
            params![text, settings_json, demo, at_ms],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO audition_takes (audition_id, ordinal, voice_id, voice_name, job_id, cached) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (ordinal, take) in takes.iter().enumerate() {
                insert.execute(params![
                    id,
                    ordinal,
                    take.voice_id,
                    take.voice_name,
                    take.job_id,
                    take.cached
                ])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// One audition with its takes.
    pub fn audition(&self, id: i64) -> Result<Option<AuditionRow>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, text, settings_json, created_at_ms FROM auditions WHERE id = ?1",
                [id],
                |r| {
                    Ok(AuditionRow {
                        id: r.get(0)?,
                        text: r.get(1)?,
                        settings_json: r.get(2)?,
                        created_at_ms: r.get(3)?,
                        takes: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut row) = row else { return Ok(None) };
        let mut stmt = self.conn.prepare_cached(
            "SELECT voice_id, voice_name, job_id, cached FROM audition_takes WHERE audition_id = ?1 ORDER BY ordinal",
        )?;
        row.takes = stmt
            .query_map([id], |r| {
                Ok(AuditionTakeRow {
                    voice_id: r.get(0)?,
                    voice_name: r.get(1)?,
                    job_id: r.get(2)?,
                    cached: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(row))
    }

    /// The newest auditions' ids (of this ledger: demo or real), newest first.
    pub fn recent_auditions(&self, demo: bool, limit: u32) -> Result<Vec<i64>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT id FROM auditions WHERE demo = ?1 ORDER BY id DESC LIMIT ?2")?;
        let ids =
            stmt.query_map(params![demo, limit], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// Stars or unstars a voice (the shortlist).
    pub fn set_voice_starred(&self, voice_id: &str, starred: bool, at_ms: i64) -> Result<()> {
        if starred {
            self.conn.execute(
                "INSERT INTO starred_voices (voice_id, starred_at_ms) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![voice_id, at_ms],
            )?;
        } else {
            self.conn.execute("DELETE FROM starred_voices WHERE voice_id = ?1", [voice_id])?;
        }
        Ok(())
    }

    /// The shortlist, most recently starred first.
    pub fn starred_voices(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT voice_id FROM starred_voices ORDER BY starred_at_ms DESC, voice_id")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// Stars or unstars a take (a job).
    pub fn set_take_starred(&self, job_id: i64, starred: bool, at_ms: i64) -> Result<()> {
        if starred {
            let changed = self.conn.execute(
                "INSERT INTO starred_takes (job_id, starred_at_ms) SELECT id, ?2 FROM jobs WHERE id = ?1 \
                 ON CONFLICT DO NOTHING",
                params![job_id, at_ms],
            )?;
            if changed == 0 && !self.take_starred(job_id)? {
                return Err(CoreError::JobNotFound(job_id));
            }
        } else {
            self.conn.execute("DELETE FROM starred_takes WHERE job_id = ?1", [job_id])?;
        }
        Ok(())
    }

    /// Whether a take is a favourite.
    pub fn take_starred(&self, job_id: i64) -> Result<bool> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT job_id FROM starred_takes WHERE job_id = ?1", [job_id], |r| r.get(0))
            .optional()?;
        Ok(found.is_some())
    }

    /// Saves a preset under its name (replacing one of the same name, case-insensitively).
    pub fn save_voice_preset(
        &self,
        name: &str,
        voice_id: &str,
        s: &VoiceSettings,
        at_ms: i64,
    ) -> Result<VoicePreset> {
        let preset = self.conn.query_row(
            "INSERT INTO voice_presets (name, voice_id, model, speed, pitch, emotion, created_at_ms, updated_at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) \
             ON CONFLICT (name) DO UPDATE SET name = excluded.name, voice_id = excluded.voice_id, \
               model = excluded.model, speed = excluded.speed, pitch = excluded.pitch, emotion = excluded.emotion, \
               updated_at_ms = excluded.updated_at_ms \
             RETURNING id, name, voice_id, model, speed, pitch, emotion",
            params![name, voice_id, s.model, s.speed, s.pitch, s.emotion, at_ms],
            preset_from_row,
        )?;
        Ok(preset)
    }

    /// Every preset, by name.
    pub fn voice_presets(&self) -> Result<Vec<VoicePreset>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, voice_id, model, speed, pitch, emotion FROM voice_presets ORDER BY name COLLATE NOCASE",
        )?;
        let presets = stmt.query_map([], preset_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(presets)
    }

    /// Deletes a preset; `false` when there was none.
    pub fn delete_voice_preset(&self, id: i64) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM voice_presets WHERE id = ?1", [id])? > 0)
    }

    /// The sample with this content in this ledger, if it was seen before.
    pub fn voice_sample_by_hash(&self, sha256: &str, demo: bool) -> Result<Option<VoiceSample>> {
        let sample = self
            .conn
            .query_row(
                "SELECT id, file_name, size_bytes, duration_ms, remote_file_id FROM voice_samples \
                 WHERE sha256 = ?1 AND demo = ?2",
                params![sha256, demo],
                sample_from_row,
            )
            .optional()?;
        Ok(sample)
    }

    /// One sample.
    pub fn voice_sample(&self, id: i64) -> Result<Option<VoiceSample>> {
        let sample = self
            .conn
            .query_row(
                "SELECT id, file_name, size_bytes, duration_ms, remote_file_id FROM voice_samples WHERE id = ?1",
                [id],
                sample_from_row,
            )
            .optional()?;
        Ok(sample)
    }

    /// Records a checked sample before it is uploaded.
    pub fn insert_voice_sample(
        &self,
        sha256: &str,
        file_name: &str,
        size_bytes: u64,
        duration_ms: u64,
        demo: bool,
        at_ms: i64,
    ) -> Result<VoiceSample> {
        let sample = self.conn.query_row(
            "INSERT INTO voice_samples (sha256, file_name, size_bytes, duration_ms, demo, created_at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             RETURNING id, file_name, size_bytes, duration_ms, remote_file_id",
            params![sha256, file_name, size_bytes, duration_ms, demo, at_ms],
            sample_from_row,
        )?;
        Ok(sample)
    }

    /// Keeps the file id MiniMax gave an uploaded sample.
    pub fn set_voice_sample_file_id(&self, id: i64, file_id: &str, at_ms: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE voice_samples SET remote_file_id = ?2, uploaded_at_ms = ?3 WHERE id = ?1",
            params![id, file_id, at_ms],
        )?;
        Ok(())
    }

    /// Records a voice being designed or cloned (before its job runs).
    #[allow(clippy::too_many_arguments)]
    pub fn insert_custom_voice(
        &self,
        voice_id: &str,
        kind: VoiceKind,
        name: &str,
        description: &str,
        language: Option<&str>,
        sample_id: Option<i64>,
        demo: bool,
        at_ms: i64,
    ) -> Result<()> {
        let kind = if kind == VoiceKind::Cloned { "cloned" } else { "designed" };
        self.conn.execute(
            "INSERT INTO custom_voices (voice_id, kind, name, description, language, sample_id, demo, created_at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![voice_id, kind, name, description, language, sample_id, demo, at_ms],
        )?;
        Ok(())
    }

    /// Links a custom voice to the job that makes it.
    pub fn set_custom_voice_job(&self, voice_id: &str, job_id: i64) -> Result<()> {
        self.conn
            .execute("UPDATE custom_voices SET job_id = ?2 WHERE voice_id = ?1", params![voice_id, job_id])?;
        Ok(())
    }

    /// MiniMax named the voice differently from what we asked: keep its id.
    pub fn rename_custom_voice(&self, from: &str, to: &str) -> Result<()> {
        self.conn.execute("UPDATE custom_voices SET voice_id = ?2 WHERE voice_id = ?1", params![from, to])?;
        Ok(())
    }

    /// Marks a custom voice deleted.
    pub fn mark_custom_voice_deleted(&self, voice_id: &str, at_ms: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE custom_voices SET deleted_at_ms = ?2 WHERE voice_id = ?1 AND deleted_at_ms IS NULL",
            params![voice_id, at_ms],
        )?;
        Ok(())
    }

    /// One custom voice.
    pub fn custom_voice(&self, voice_id: &str) -> Result<Option<CustomVoiceRow>> {
        let sql = format!(
            "SELECT {CUSTOM_COLUMNS} FROM custom_voices v LEFT JOIN jobs j ON j.id = v.job_id WHERE v.voice_id = ?1"
        );
        Ok(self.conn.query_row(&sql, [voice_id], custom_from_row).optional()?)
    }

    /// Every custom voice of this ledger (demo or real), newest first.
    pub fn custom_voices(&self, demo: bool) -> Result<Vec<CustomVoiceRow>> {
        let sql = format!(
            "SELECT {CUSTOM_COLUMNS} FROM custom_voices v LEFT JOIN jobs j ON j.id = v.job_id WHERE v.demo = ?1 \
             ORDER BY v.created_at_ms DESC, v.voice_id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([demo], custom_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// Inside [`Library::complete_job`]'s transaction: a speech job that used a designed or cloned voice is its
/// first real synthesis (MiniMax keeps the voice from then on).
pub(crate) fn mark_voice_used(tx: &rusqlite::Transaction<'_>, job_id: i64, at_ms: i64) -> Result<()> {
    tx.execute(
        "UPDATE custom_voices SET first_used_at_ms = ?2 WHERE first_used_at_ms IS NULL AND voice_id = \
           (SELECT json_extract(params_json, '$.voiceId') FROM jobs WHERE id = ?1 \
              AND json_extract(params_json, '$.kind') = 'speech')",
        params![job_id, at_ms],
    )?;
    Ok(())
}

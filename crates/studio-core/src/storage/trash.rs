//! Deleting with an undo window.
//!
//! [`Library::trash_job`] moves a job's files to `trash/<id>/`, writes the rows it removes (job, media,
//! history, and which spend entries pointed at it) to `trash/<id>/job.json`, and deletes the rows — so the
//! library, search and the consistency pass see it gone at once. [`Library::restore_job`] puts everything back
//! under the same ids. [`Library::purge_trash`] deletes what is older than the undo window (the app calls it at
//! launch and when a window closes). Spend entries are never deleted: the ledger is history.

use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::jobs::{Job, JobTransitionRecord};
use super::media::Media;
use super::{JobWithMedia, Library};
use crate::error::{CoreError, Result};

/// The trash folder, under the data folder.
pub const TRASH_DIR: &str = "trash";
const RECORD: &str = "job.json";

/// What a trashed job needs to come back.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrashRecord {
    job: Job,
    media: Vec<Media>,
    history: Vec<JobTransitionRecord>,
    spend_ids: Vec<i64>,
    trashed_at_ms: i64,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> CoreError + '_ {
    move |source| CoreError::MediaFile { path: path.to_path_buf(), source }
}

impl Library {
    fn trash_dir(&self, id: i64) -> PathBuf {
        self.root.join(TRASH_DIR).join(id.to_string())
    }

    /// Moves a job to the trash (files and rows; see the module docs). Unfinished jobs cannot be trashed:
    /// cancel them first.
    pub fn trash_job(&mut self, id: i64, now_ms: i64) -> Result<()> {
        let JobWithMedia { job, media } = self.job_with_media(id)?;
        if !job.state.is_finished() && job.state != super::JobState::Interrupted {
            return Err(CoreError::InvalidTransition {
                job_id: id,
                from: job.state.as_str().into(),
                to: "trash".into(),
            });
        }
        let history = self.job_history(id)?;
        let spend_ids = {
            let mut stmt = self.conn.prepare_cached("SELECT id FROM spend WHERE job_id = ?1")?;
            stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?
        };
        let dir = self.trash_dir(id);
        std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        let record = TrashRecord { job, media, history, spend_ids, trashed_at_ms: now_ms };
        let record_path = dir.join(RECORD);
        std::fs::write(&record_path, serde_json::to_vec(&record)?).map_err(io_error(&record_path))?;
        for m in &record.media {
            let from = self.root.join(&m.rel_path);
            let to = dir.join(file_name(&m.rel_path));
            match std::fs::rename(&from, &to) {
                Ok(()) => {}
                // A file already gone (reported by the consistency pass) does not block the delete.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(CoreError::MediaFile { path: from, source }),
            }
        }
        self.delete_job(id)?;
        Ok(())
    }

    /// Moves generations to the trash, in order; returns the ids trashed. The first that cannot be trashed
    /// (running, unknown) stops the batch with its error; those before it stay trashed (each is its own
    /// transaction, and an undo restores them).
    pub fn trash_jobs(&mut self, ids: &[i64], now_ms: i64) -> Result<Vec<i64>> {
        let mut trashed = Vec::with_capacity(ids.len());
        for &id in ids {
            self.trash_job(id, now_ms)?;
            trashed.push(id);
        }
        Ok(trashed)
    }

    /// Puts trashed generations back, in order; returns them with their files.
    pub fn restore_jobs(&mut self, ids: &[i64]) -> Result<Vec<JobWithMedia>> {
        ids.iter().map(|&id| self.restore_job(id)).collect()
    }

    /// Moves every finished demo generation to the trash ("clear demo generations"); returns their ids for
    /// an undo. Demo jobs still running are left alone.
    pub fn trash_demo_jobs(&mut self, now_ms: i64) -> Result<Vec<i64>> {
        let ids: Vec<i64> = {
            let mut stmt =
                self.conn.prepare_cached("SELECT id, state FROM jobs WHERE demo = 1 ORDER BY id")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            let mut ids = Vec::new();
            for row in rows {
                let (id, state) = row?;
                let state = super::JobState::parse(&state)
                    .ok_or(CoreError::StoredValue { column: "jobs.state", value: state })?;
                if state.is_finished() || state == super::JobState::Interrupted {
                    ids.push(id);
                }
            }
            ids
        };
        self.trash_jobs(&ids, now_ms)
    }

    /// Puts a trashed job back: rows under their old ids, files in the media folder, spend entries re-linked.
    pub fn restore_job(&mut self, id: i64) -> Result<JobWithMedia> {
        let dir = self.trash_dir(id);
        let record_path = dir.join(RECORD);
        let bytes = std::fs::read(&record_path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => CoreError::JobNotFound(id),
            _ => CoreError::MediaFile { path: record_path.clone(), source },
        })?;
        let record: TrashRecord = serde_json::from_slice(&bytes)?;
        for m in &record.media {
            let from = dir.join(file_name(&m.rel_path));
            let to = self.root.join(&m.rel_path);
            match std::fs::rename(&from, &to) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(CoreError::MediaFile { path: from, source }),
            }
        }
        let job = &record.job;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO jobs (id, modality, model, params_json, prompt, state, estimate_requests, actual_requests, \
             key_kind, remote_task_id, error_kind, error_message, error_trace_id, demo, created_at_ms, updated_at_ms, \
             finished_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                job.id,
                job.modality.as_str(),
                job.model,
                super::jobs::params_json(&job.params)?,
                job.prompt,
                job.state.as_str(),
                job.estimate_requests,
                job.actual_requests,
                job.key_kind.as_str(),
                job.remote_task_id,
                job.error.as_ref().map(|e| e.kind.as_str()),
                job.error.as_ref().map(|e| e.message.clone()),
                job.error.as_ref().and_then(|e| e.trace_id.clone()),
                job.demo,
                job.created_at_ms,
                job.updated_at_ms,
                job.finished_at_ms,
            ],
        )?;
        // The insert trigger wrote a fresh history row; the real history replaces it.
        tx.execute("DELETE FROM job_transitions WHERE job_id = ?1", [id])?;
        for h in &record.history {
            tx.execute(
                "INSERT INTO job_transitions (job_id, from_state, to_state, at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![id, h.from.map(|s| s.as_str()), h.to.as_str(), h.at_ms],
            )?;
        }
        for m in &record.media {
            tx.execute(
                "INSERT INTO media (id, job_id, ordinal, rel_path, mime, size_bytes, duration_ms, width_px, height_px, \
                 created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    m.id, id, m.ordinal, m.rel_path, m.mime, m.size_bytes, m.duration_ms, m.width_px, m.height_px,
                    m.created_at_ms
                ],
            )?;
        }
        for spend_id in &record.spend_ids {
            tx.execute(
                "UPDATE spend SET job_id = ?1 WHERE id = ?2 AND job_id IS NULL",
                params![id, spend_id],
            )?;
        }
        tx.commit()?;
        let _ = std::fs::remove_dir_all(&dir);
        self.job_with_media(id)
    }

    /// Deletes trashed jobs older than `before_ms` for good; returns how many.
    pub fn purge_trash(&self, before_ms: i64) -> Result<usize> {
        let trash = self.root.join(TRASH_DIR);
        let entries = match std::fs::read_dir(&trash) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(source) => return Err(CoreError::MediaFile { path: trash, source }),
        };
        let mut purged = 0;
        for entry in entries.flatten() {
            let dir = entry.path();
            let trashed_at = std::fs::read(dir.join(RECORD))
                .ok()
                .and_then(|b| serde_json::from_slice::<TrashRecord>(&b).ok())
                .map(|r| r.trashed_at_ms);
            // A folder without a readable record is a leftover of an interrupted trash: old enough to go.
            if trashed_at.is_none_or(|at| at < before_ms) {
                std::fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
                purged += 1;
            }
        }
        Ok(purged)
    }
}

fn file_name(rel_path: &str) -> &str {
    rel_path.rsplit('/').next().unwrap_or(rel_path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modality::Modality;
    use crate::pricing::Cost;
    use crate::storage::media::write_media_file;
    use crate::storage::{JobState, KeyKind, NewJob, NewMedia, NewSpend, Transition};

    fn finished_job(lib: &mut Library) -> (i64, PathBuf) {
        finished_job_of(lib, false)
    }

    fn finished_job_of(lib: &mut Library, demo: bool) -> (i64, PathBuf) {
        let job = lib
            .insert_job(&NewJob {
                modality: Modality::Image,
                model: "image-01".into(),
                params: crate::request::JobParams::seeded(),
                prompt: "a lighthouse in fog".into(),
                estimate: Cost::Requests(50),
                key_kind: KeyKind::Plan,
                demo,
                state: JobState::Queued,
                created_at_ms: 1_000,
            })
            .unwrap();
        lib.transition(job.id, &Transition::to(JobState::Running, 1_001)).unwrap();
        let stored = write_media_file(lib.root(), job.id, 0, "image/png", &mut &b"\x89PNG fake"[..]).unwrap();
        let media = NewMedia {
            ordinal: 0,
            rel_path: stored.rel_path.clone(),
            mime: "image/png".into(),
            size_bytes: stored.size_bytes,
            duration_ms: None,
            width_px: Some(8),
            height_px: Some(8),
        };
        let spend = NewSpend {
            charge_key: None,
            basis: crate::storage::SpendBasis::Billed,
            job_id: Some(job.id),
            modality: Modality::Image,
            model: "image-01".into(),
            key_kind: KeyKind::Plan,
            demo,
            requests: 50,
            units: 1,
            at_ms: 1_002,
        };
        lib.complete_job(job.id, &[media], Some(&spend), Some(50), 1_002).unwrap();
        (job.id, lib.root().join(stored.rel_path))
    }

    #[test]
    fn trash_removes_rows_and_files_and_restore_brings_back_everything() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in_memory(dir.path()).unwrap();
        let (id, file) = finished_job(&mut lib);
        let before = lib.job_with_media(id).unwrap();
        let history = lib.job_history(id).unwrap();

        lib.trash_job(id, 5_000).unwrap();
        assert!(!file.exists(), "the file left the media folder");
        assert!(matches!(lib.job(id), Err(CoreError::JobNotFound(_))));
        assert!(lib.search_jobs("lighthouse", None, 10).unwrap().jobs.is_empty());
        assert!(lib.check_consistency().unwrap().is_clean(), "the trash is not an orphan");
        assert_eq!(lib.spend_between(0, i64::MAX).unwrap()[0].job_id, None, "the ledger keeps the spend");

        let restored = lib.restore_job(id).unwrap();
        assert_eq!(restored, before);
        assert!(file.exists());
        assert_eq!(lib.job_history(id).unwrap(), history, "the history comes back as it was");
        assert_eq!(lib.search_jobs("lighthouse", None, 10).unwrap().jobs.len(), 1);
        assert_eq!(lib.spend_between(0, i64::MAX).unwrap()[0].job_id, Some(id), "spend re-linked");
        assert!(!dir.path().join(TRASH_DIR).join(id.to_string()).exists());
    }

    #[test]
    fn purging_deletes_only_what_is_past_the_undo_window() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in_memory(dir.path()).unwrap();
        let (old, _) = finished_job(&mut lib);
        let (recent, _) = finished_job(&mut lib);
        lib.trash_job(old, 1_000).unwrap();
        lib.trash_job(recent, 9_000).unwrap();
        assert_eq!(lib.purge_trash(5_000).unwrap(), 1);
        assert!(matches!(lib.restore_job(old), Err(CoreError::JobNotFound(_))));
        assert!(lib.restore_job(recent).is_ok());
    }

    #[test]
    fn clearing_demo_generations_trashes_only_finished_demo_jobs() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in_memory(dir.path()).unwrap();
        let (real, real_file) = finished_job_of(&mut lib, false);
        let (demo, demo_file) = finished_job_of(&mut lib, true);
        let running = lib
            .insert_job(&NewJob {
                modality: Modality::Video,
                model: "MiniMax-Hailuo-2.3".into(),
                params: crate::request::JobParams::seeded(),
                prompt: "still going".into(),
                estimate: Cost::Requests(1),
                key_kind: KeyKind::Plan,
                demo: true,
                state: JobState::Queued,
                created_at_ms: 1,
            })
            .unwrap();
        assert_eq!(lib.trash_demo_jobs(5_000).unwrap(), [demo]);
        assert!(!demo_file.exists() && real_file.exists());
        assert!(lib.job(real).is_ok() && lib.job(running.id).is_ok());
        assert!(lib.restore_job(demo).is_ok(), "undo brings it back");
    }

    #[test]
    fn running_jobs_cannot_be_trashed() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in_memory(dir.path()).unwrap();
        let job = lib
            .insert_job(&NewJob {
                modality: Modality::Video,
                model: "MiniMax-Hailuo-2.3".into(),
                params: crate::request::JobParams::seeded(),
                prompt: "x".into(),
                estimate: Cost::Requests(1),
                key_kind: KeyKind::Plan,
                demo: false,
                state: JobState::Queued,
                created_at_ms: 1,
            })
            .unwrap();
        assert!(matches!(lib.trash_job(job.id, 2), Err(CoreError::InvalidTransition { .. })));
    }
}

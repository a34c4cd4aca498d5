//! Who runs a job, and what a running job has sent: the rows that keep two processes (the app and a
//! `tokenplan` command on the same library) from running one job twice, and a retry from paying twice.
//!
//! * A **runner** is one process's job runner: a row in `runners` with a heartbeat. An unfinished job has an
//!   `owner`; a runner touches only the jobs it owns, and adopts a job whose owner's heartbeat lapsed (the
//!   process died) or that has none. Liveness is wall-clock time shared by processes, so these functions
//!   take the time from the caller and the runner passes the system clock, never a test's manual clock.
//! * `attempts` counts the create calls a job has sent (a synchronous call's charge is keyed by it) and
//!   `remote_task_dead` records that MiniMax reported the stored task failed or expired.

use rusqlite::{OptionalExtension, params};

use super::Library;
use super::jobs::{JOB_COLUMNS, Job, JobState, job_from_row};
use crate::error::{CoreError, Result};

/// How often a runner writes its heartbeat.
pub const HEARTBEAT_MS: i64 = 5_000;

/// A runner whose heartbeat is older than this is dead: its jobs may be adopted. Six missed heartbeats, so
/// a process that is only slow (a long blocking write, a suspended laptop waking) keeps its jobs.
pub const LIVENESS_MS: i64 = 30_000;

/// What the runner knows of a job beyond what the UI shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JobRunState {
    /// The runner that runs it, if any.
    pub owner: Option<String>,
    /// Create calls sent so far.
    pub attempts: u32,
    /// MiniMax reported its stored task failed or expired: a retry must create a new one.
    pub remote_task_dead: bool,
}

/// Another live process runs the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedElsewhere {
    /// The job.
    pub job_id: i64,
    /// What the user knows the other process as (`the app`, `tokenplan video`).
    pub label: String,
    /// Its process id.
    pub pid: i64,
}

impl Library {
    /// Registers this process's runner (or refreshes it) with a first heartbeat.
    pub fn register_runner(&self, id: &str, pid: u32, label: &str, now_ms: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO runners (id, pid, label, started_at_ms, heartbeat_ms) VALUES (?1, ?2, ?3, ?4, ?4) \
             ON CONFLICT (id) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms",
            params![id, pid, label, now_ms],
        )?;
        // Runners dead for a day are only noise; their jobs were adopted or are finished.
        self.conn.execute("DELETE FROM runners WHERE heartbeat_ms < ?1", params![now_ms - 86_400_000])?;
        Ok(())
    }

    /// Writes a runner's heartbeat.
    pub fn heartbeat(&self, id: &str, now_ms: i64) -> Result<()> {
        self.conn.execute("UPDATE runners SET heartbeat_ms = ?2 WHERE id = ?1", params![id, now_ms])?;
        Ok(())
    }

    /// The registered runners that still count as alive by their heartbeat: `(id, pid)`.
    pub fn beating_runners(&self, now_ms: i64) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, pid FROM runners WHERE heartbeat_ms >= ?1")?;
        let rows = stmt
            .query_map(params![now_ms - LIVENESS_MS], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Ends a runner (its process is exiting): its unfinished jobs are free for others at once.
    pub fn retire_runner(&self, id: &str) -> Result<()> {
        self.conn.execute("UPDATE jobs SET owner = NULL WHERE owner = ?1", params![id])?;
        self.conn.execute("DELETE FROM runners WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// Adopts the unfinished jobs nobody live runs (no owner, or an owner whose heartbeat is older than
    /// [`LIVENESS_MS`]) for runner `owner`, in one statement so two processes never adopt the same job.
    /// Returns the jobs adopted (not those `owner` already had).
    pub fn adopt_orphaned_jobs(&self, owner: &str, now_ms: i64) -> Result<Vec<Job>> {
        let sql = format!(
            "UPDATE jobs SET owner = ?1 WHERE state IN ('queued','waitingForQuota','running','downloading') \
             AND (owner IS NULL OR (owner <> ?1 AND owner NOT IN \
               (SELECT id FROM runners WHERE heartbeat_ms >= ?2))) \
             RETURNING {JOB_COLUMNS}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let jobs = stmt
            .query_map(params![owner, now_ms - LIVENESS_MS], job_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(jobs)
    }

    /// Makes `owner` the runner of job `id`, unless another live runner runs it; then says which. A
    /// finished job has no runner, so it is always claimable (a retry).
    pub fn claim_job(
        &self,
        id: i64,
        owner: &str,
        now_ms: i64,
    ) -> Result<std::result::Result<(), OwnedElsewhere>> {
        let claimed = self.conn.execute(
            "UPDATE jobs SET owner = ?2 WHERE id = ?1 AND (owner IS NULL OR owner = ?2 \
             OR state IN ('succeeded','failed','cancelled','interrupted') \
             OR owner NOT IN (SELECT id FROM runners WHERE heartbeat_ms >= ?3))",
            params![id, owner, now_ms - LIVENESS_MS],
        )?;
        if claimed == 1 {
            return Ok(Ok(()));
        }
        let other: Option<(String, i64)> = self
            .conn
            .query_row(
                "SELECT r.label, r.pid FROM jobs j JOIN runners r ON r.id = j.owner WHERE j.id = ?1",
                params![id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        match other {
            Some((label, pid)) => Ok(Err(OwnedElsewhere { job_id: id, label, pid })),
            None => Err(CoreError::JobNotFound(id)),
        }
    }

    /// The runner's view of job `id`.
    pub fn job_run_state(&self, id: i64) -> Result<JobRunState> {
        self.conn
            .query_row(
                "SELECT owner, attempts, remote_task_dead FROM jobs WHERE id = ?1",
                params![id],
                |row| {
                    Ok(JobRunState {
                        owner: row.get(0)?,
                        attempts: row.get(1)?,
                        remote_task_dead: row.get(2)?,
                    })
                },
            )
            .optional()?
            .ok_or(CoreError::JobNotFound(id))
    }

    /// Moves job `id` to `running` for a new create call and counts the attempt, in one write (so the
    /// count survives a crash during the call). Returns the job and the attempt's number (1, 2, …).
    pub fn begin_attempt(&self, id: i64, at_ms: i64) -> Result<(Job, u32)> {
        let from = JobState::Running.allowed_from().iter().map(|s| format!("'{}'", s.as_str()));
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at_ms = ?2, \
             error_kind = NULL, error_message = NULL, error_trace_id = NULL \
             WHERE id = ?1 AND state IN ({}) RETURNING {JOB_COLUMNS}, attempts",
            from.collect::<Vec<_>>().join(",")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let found = stmt
            .query_row(params![id, at_ms], |row| Ok((job_from_row(row)?, row.get::<_, u32>(17)?)))
            .optional()?;
        match found {
            Some(pair) => Ok(pair),
            None => {
                let current = self.job(id)?;
                Err(CoreError::InvalidTransition {
                    job_id: id,
                    from: current.state.as_str().into(),
                    to: JobState::Running.as_str().into(),
                })
            }
        }
    }

    /// The jobs runner `owner` holds waiting for quota, oldest first (the quota watcher's queue).
    pub fn waiting_jobs_of(&self, owner: &str) -> Result<Vec<Job>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE state = 'waitingForQuota' AND owner = ?1 \
             ORDER BY created_at_ms, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let jobs = stmt.query_map(params![owner], job_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(jobs)
    }

    /// Records that MiniMax reported job `id`'s stored task failed or expired: a retry creates a new task.
    pub fn mark_remote_task_dead(&self, id: i64) -> Result<()> {
        self.conn.execute("UPDATE jobs SET remote_task_dead = 1 WHERE id = ?1", params![id])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modality::Modality;
    use crate::storage::jobs::tests::new_job;

    const NOW: i64 = 1_700_000_000_000;

    #[test]
    fn a_live_runner_keeps_its_jobs_and_a_dead_ones_are_adopted_once() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open_in_memory(dir.path()).unwrap();
        lib.register_runner("app", 10, "the app", NOW).unwrap();
        lib.register_runner("cli", 11, "tokenplan video", NOW).unwrap();
        let job = lib.insert_job_for(&new_job(Modality::Video, "m", "p", NOW), Some("cli")).unwrap();
        assert!(lib.adopt_orphaned_jobs("app", NOW + 1_000).unwrap().is_empty(), "cli is alive");
        let refused = lib.claim_job(job.id, "app", NOW + 1_000).unwrap().unwrap_err();
        assert_eq!((refused.label.as_str(), refused.pid), ("tokenplan video", 11));

        // The CLI stops beating; the app keeps beating.
        lib.heartbeat("app", NOW + LIVENESS_MS + 1).unwrap();
        let adopted = lib.adopt_orphaned_jobs("app", NOW + LIVENESS_MS + 1).unwrap();
        assert_eq!(adopted.iter().map(|j| j.id).collect::<Vec<_>>(), [job.id]);
        assert_eq!(lib.job_run_state(job.id).unwrap().owner.as_deref(), Some("app"));
        assert!(lib.adopt_orphaned_jobs("app", NOW + LIVENESS_MS + 2).unwrap().is_empty(), "adopted once");
        assert!(lib.claim_job(job.id, "app", NOW + LIVENESS_MS + 2).unwrap().is_ok());
    }

    #[test]
    fn a_retired_runner_frees_its_jobs_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open_in_memory(dir.path()).unwrap();
        lib.register_runner("cli", 11, "tokenplan speak", NOW).unwrap();
        let job = lib.insert_job_for(&new_job(Modality::Speech, "m", "p", NOW), Some("cli")).unwrap();
        lib.retire_runner("cli").unwrap();
        let adopted = lib.adopt_orphaned_jobs("app", NOW + 1).unwrap();
        assert_eq!(adopted.len(), 1);
        assert_eq!(adopted[0].id, job.id);
    }

    #[test]
    fn attempts_are_counted_with_the_move_to_running() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open_in_memory(dir.path()).unwrap();
        let job = lib.insert_job(&new_job(Modality::Image, "image-01", "p", NOW)).unwrap();
        let (running, attempt) = lib.begin_attempt(job.id, NOW + 1).unwrap();
        assert_eq!((running.state, attempt), (JobState::Running, 1));
        assert!(lib.begin_attempt(job.id, NOW + 2).is_err(), "running → running is not a transition");
        assert_eq!(lib.job_run_state(job.id).unwrap().attempts, 1);
        lib.mark_remote_task_dead(job.id).unwrap();
        assert!(lib.job_run_state(job.id).unwrap().remote_task_dead);
    }
}

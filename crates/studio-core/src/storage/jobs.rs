//! Job rows: a job is a row before it is a task.
//!
//! Every state change is **one** `UPDATE … RETURNING` that also checks the state machine (the history row is
//! written by a trigger), and returns the whole job for the `job-updated` event. History pages use keyset
//! pagination on `(created_at_ms, id)`, newest first — never `OFFSET`.

use rusqlite::{Row, ToSql, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Library;
use crate::error::{CoreError, Result};
use crate::ipc::IpcErrorKind;
use crate::modality::Modality;
use crate::pricing::Cost;
use crate::request::JobParams;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum JobState {
    /// Saved, not yet sent.
    Queued,
    /// Held until the window frees enough requests.
    WaitingForQuota,
    /// Sent; for async APIs the remote task id is stored before the first poll.
    Running,
    /// The server finished; the result is being written to the media folder.
    Downloading,
    /// Done; media rows and the spend entry were written with this transition.
    Succeeded,
    /// Ended with an error (see the job's `error`).
    Failed,
    /// Cancelled by the user.
    Cancelled,
    /// The app stopped while the job was unfinished and it has no remote task to resume: offer a retry.
    Interrupted,
}

impl JobState {
    /// Every state.
    pub const ALL: [JobState; 8] = [
        JobState::Queued,
        JobState::WaitingForQuota,
        JobState::Running,
        JobState::Downloading,
        JobState::Succeeded,
        JobState::Failed,
        JobState::Cancelled,
        JobState::Interrupted,
    ];

    /// The stored name (the same as the JSON name).
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::WaitingForQuota => "waitingForQuota",
            JobState::Running => "running",
            JobState::Downloading => "downloading",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
            JobState::Interrupted => "interrupted",
        }
    }

    /// The state stored as `name`.
    pub fn parse(name: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether nothing more will happen by itself (`succeeded`, `failed`, `cancelled`).
    pub fn is_finished(self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed | JobState::Cancelled)
    }

    /// The states a job may enter `self` from. `failed`, `cancelled` and `interrupted` may go back to
    /// `queued` (retry); `interrupted` may go to `running` (resume polling a stored task id).
    pub fn allowed_from(self) -> &'static [JobState] {
        use JobState::*;
        match self {
            Queued => &[WaitingForQuota, Failed, Cancelled, Interrupted],
            WaitingForQuota => &[Queued, Running],
            Running => &[Queued, WaitingForQuota, Interrupted],
            Downloading => &[Running, Interrupted],
            Succeeded => &[Running, Downloading],
            Failed => &[Queued, WaitingForQuota, Running, Downloading, Interrupted],
            Cancelled => &[Queued, WaitingForQuota, Running, Downloading, Interrupted],
            Interrupted => &[Queued, WaitingForQuota, Running, Downloading],
        }
    }
}

/// Which key pays for a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum KeyKind {
    /// The Token Plan key: counts against the window.
    Plan,
    /// The pay-as-you-go key: billed per use, outside the window.
    PayAsYouGo,
}

impl KeyKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Plan => "plan",
            KeyKind::PayAsYouGo => "payAsYouGo",
        }
    }

    /// The kind stored as `name`.
    pub fn parse(name: &str) -> Option<KeyKind> {
        [KeyKind::Plan, KeyKind::PayAsYouGo].into_iter().find(|k| k.as_str() == name)
    }
}

/// Why a job failed, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobError {
    /// What kind of failure, for the UI to choose its words and actions (`quotaExhausted`, …).
    pub kind: IpcErrorKind,
    /// What happened and what to do.
    pub message: String,
    /// MiniMax's trace id, when the server gave one.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

/// A job as the UI and the runner see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Job {
    /// Our id; media file names derive from it.
    #[ts(type = "number")]
    pub id: i64,
    /// What is generated.
    pub modality: Modality,
    /// The model id.
    pub model: String,
    /// The request as the composer built it (or the mark of a seeded demo item).
    pub params: JobParams,
    /// The prompt or text (searchable).
    pub prompt: String,
    /// Where the job is.
    pub state: JobState,
    /// The estimate in requests; `None` when the price table does not know the combination.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate_requests: Option<u32>,
    /// What was billed, once known.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_requests: Option<u32>,
    /// Which key runs it.
    pub key_kind: KeyKind,
    /// The server's task id (async APIs), stored before the first poll.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_task_id: Option<String>,
    /// Why it failed.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<JobError>,
    /// Made against the built-in simulator (demo mode).
    pub demo: bool,
    /// Epoch ms.
    #[ts(type = "number")]
    pub created_at_ms: i64,
    /// Epoch ms of the last change.
    #[ts(type = "number")]
    pub updated_at_ms: i64,
    /// Epoch ms when it reached a finished state.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at_ms: Option<i64>,
}

/// What [`Library::insert_job`] needs.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// What is generated.
    pub modality: Modality,
    /// The model id.
    pub model: String,
    /// The request (stored as JSON text).
    pub params: JobParams,
    /// The prompt or text.
    pub prompt: String,
    /// The estimate from `pricing::estimate`.
    pub estimate: Cost,
    /// Which key runs it.
    pub key_kind: KeyKind,
    /// Demo mode.
    pub demo: bool,
    /// Usually `queued`; `waitingForQuota` when the window is already short.
    pub state: JobState,
    /// Epoch ms.
    pub created_at_ms: i64,
}

/// One state change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The new state.
    pub to: JobState,
    /// Epoch ms.
    pub at_ms: i64,
    /// The billed cost, when known at this step (kept if `None`).
    pub actual_requests: Option<u32>,
    /// The error to show; replaces the previous one (`None` clears it, e.g. on retry).
    pub error: Option<JobError>,
    /// Move the job to another key (the per-job "run on pay-as-you-go" choice); kept if `None`.
    pub key_kind: Option<KeyKind>,
}

impl Transition {
    /// A plain move to `to` at `at_ms`.
    pub fn to(to: JobState, at_ms: i64) -> Self {
        Transition { to, at_ms, actual_requests: None, error: None, key_kind: None }
    }
}

/// One row of a job's state history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobTransitionRecord {
    /// The previous state (`None` for the insert).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<JobState>,
    /// The new state.
    pub to: JobState,
    /// Epoch ms.
    #[ts(type = "number")]
    pub at_ms: i64,
}

/// Filters of the history list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct JobFilter {
    /// Only this modality.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modality: Option<Modality>,
    /// Only this model.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Only this state.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<JobState>,
    /// Created at or after (epoch ms).
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_from_ms: Option<i64>,
    /// Created before (epoch ms, exclusive).
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_before_ms: Option<i64>,
    /// Only demo (`true`) or only real (`false`) jobs.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo: Option<bool>,
}

/// Where the next page starts: the last row of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobCursor {
    /// The last row's `createdAtMs`.
    #[ts(type = "number")]
    pub created_at_ms: i64,
    /// The last row's id.
    #[ts(type = "number")]
    pub id: i64,
}

/// One page of history, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobPage {
    /// The jobs.
    pub jobs: Vec<Job>,
    /// Pass back to get the next page; absent on the last page.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<JobCursor>,
}

pub(crate) const JOB_COLUMNS: &str = "id, modality, model, params_json, prompt, state, estimate_requests, \
     actual_requests, key_kind, remote_task_id, error_kind, error_message, error_trace_id, demo, created_at_ms, \
     updated_at_ms, finished_at_ms";

fn stored<T>(column: &'static str, value: &str, parsed: Option<T>) -> rusqlite::Result<T> {
    parsed.ok_or_else(|| {
        let err = CoreError::StoredValue { column, value: value.to_owned() };
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(err))
    })
}

/// A job's parameters as stored (JSON text).
pub(crate) fn params_json(params: &JobParams) -> Result<String> {
    Ok(serde_json::to_string(params)?)
}

/// Reads a row selected with [`JOB_COLUMNS`].
pub(crate) fn job_from_row(row: &Row<'_>) -> rusqlite::Result<Job> {
    let modality: String = row.get(1)?;
    let params: String = row.get(3)?;
    let state: String = row.get(5)?;
    let key_kind: String = row.get(8)?;
    let error_kind: Option<String> = row.get(10)?;
    // A row whose parameters this version cannot read (an older shape, a hand-edited file) still lists: it
    // reads as having no request (no re-run, no resume) instead of failing the whole page.
    let params = serde_json::from_str(&params).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "a job's stored parameters are unreadable; it lists without its request");
        JobParams::Seeded(crate::request::SeededParams { seeded: false })
    });
    Ok(Job {
        id: row.get(0)?,
        modality: stored("modality", &modality, Modality::parse(&modality))?,
        model: row.get(2)?,
        params,
        prompt: row.get(4)?,
        state: stored("state", &state, JobState::parse(&state))?,
        estimate_requests: row.get(6)?,
        actual_requests: row.get(7)?,
        key_kind: stored("key_kind", &key_kind, KeyKind::parse(&key_kind))?,
        remote_task_id: row.get(9)?,
        error: match error_kind {
            Some(kind) => Some(JobError {
                kind: IpcErrorKind::from_name(&kind),
                message: row.get::<_, Option<String>>(11)?.unwrap_or_default(),
                trace_id: row.get(12)?,
            }),
            None => None,
        },
        demo: row.get(13)?,
        created_at_ms: row.get(14)?,
        updated_at_ms: row.get(15)?,
        finished_at_ms: row.get(16)?,
    })
}

fn state_list(states: &[JobState]) -> String {
    states.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(",")
}

impl Library {
    /// Saves a new job — before any network call — and returns it.
    pub fn insert_job(&self, new: &NewJob) -> Result<Job> {
        self.insert_job_for(new, None)
    }

    /// [`Library::insert_job`] for the runner `owner` that will run it (see `storage::runners`).
    pub fn insert_job_for(&self, new: &NewJob, owner: Option<&str>) -> Result<Job> {
        let sql = format!(
            "INSERT INTO jobs (modality, model, params_json, prompt, state, estimate_requests, key_kind, demo, \
             created_at_ms, updated_at_ms, owner, preview_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, \
             ?11) RETURNING {JOB_COLUMNS}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let job = stmt.query_row(
            params![
                new.modality.as_str(),
                new.model,
                params_json(&new.params)?,
                new.prompt,
                new.state.as_str(),
                new.estimate.requests(),
                new.key_kind.as_str(),
                new.demo,
                new.created_at_ms,
                owner,
                crate::voices::preview_key_of(&new.params),
            ],
            job_from_row,
        )?;
        Ok(job)
    }

    /// Saves many jobs in one transaction (imports, benchmarks); returns how many were inserted.
    pub fn insert_jobs(&mut self, jobs: &[NewJob]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO jobs (modality, model, params_json, prompt, state, estimate_requests, key_kind, demo, \
                 created_at_ms, updated_at_ms, preview_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
            )?;
            for new in jobs {
                stmt.execute(params![
                    new.modality.as_str(),
                    new.model,
                    params_json(&new.params)?,
                    new.prompt,
                    new.state.as_str(),
                    new.estimate.requests(),
                    new.key_kind.as_str(),
                    new.demo,
                    new.created_at_ms,
                    crate::voices::preview_key_of(&new.params),
                ])?;
            }
        }
        tx.commit()?;
        Ok(jobs.len())
    }

    /// Moves a job to another state in one write and returns the whole job. Fails with
    /// [`CoreError::InvalidTransition`] when the state machine forbids it (the row is unchanged), and
    /// [`CoreError::JobNotFound`] for an unknown id.
    pub fn transition(&self, id: i64, change: &Transition) -> Result<Job> {
        let to = change.to;
        let sql = format!(
            "UPDATE jobs SET state = ?2, updated_at_ms = ?3, actual_requests = COALESCE(?4, actual_requests), \
             error_kind = ?5, error_message = ?6, error_trace_id = ?7, key_kind = COALESCE(?8, key_kind), \
             finished_at_ms = ?9 WHERE id = ?1 AND state IN ({}) RETURNING {JOB_COLUMNS}",
            state_list(to.allowed_from())
        );
        let error = change.error.as_ref();
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![
            id,
            to.as_str(),
            change.at_ms,
            change.actual_requests,
            error.map(|e| e.kind.as_str()),
            error.map(|e| &e.message),
            error.and_then(|e| e.trace_id.as_ref()),
            change.key_kind.map(KeyKind::as_str),
            to.is_finished().then_some(change.at_ms),
        ])?;
        match rows.next()? {
            Some(row) => Ok(job_from_row(row)?),
            None => {
                drop(rows);
                let current = self.job(id)?;
                Err(CoreError::InvalidTransition {
                    job_id: id,
                    from: current.state.as_str().into(),
                    to: to.as_str().into(),
                })
            }
        }
    }

    /// Stores the server's task id of a `running` job (before the first poll) and returns the job.
    pub fn set_remote_task_id(&self, id: i64, task_id: &str, at_ms: i64) -> Result<Job> {
        self.update_task_id(
            id,
            "UPDATE jobs SET remote_task_id = ?2, updated_at_ms = ?3 WHERE id = ?1 AND state = 'running'",
            params![id, task_id, at_ms],
            "running (task id)",
        )
    }

    /// Drops a dead task's id (MiniMax reported it failed) so a retry creates a new task. Only for jobs that
    /// are not running.
    pub fn forget_remote_task_id(&self, id: i64, at_ms: i64) -> Result<Job> {
        self.update_task_id(
            id,
            "UPDATE jobs SET remote_task_id = ?3, updated_at_ms = ?2 WHERE id = ?1 \
             AND state IN ('failed','cancelled','interrupted')",
            params![id, at_ms, Option::<String>::None],
            "forget task id",
        )
    }

    /// Runs a guarded `UPDATE` of one job's task id and returns the job; a job the guard excludes is reported
    /// as an invalid transition to `to` from its current state.
    fn update_task_id(&self, id: i64, update: &str, values: &[&dyn ToSql], to: &str) -> Result<Job> {
        let sql = format!("{update} RETURNING {JOB_COLUMNS}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(values)?;
        match rows.next()? {
            Some(row) => Ok(job_from_row(row)?),
            None => {
                drop(rows);
                let current = self.job(id)?;
                Err(CoreError::InvalidTransition {
                    job_id: id,
                    from: current.state.as_str().into(),
                    to: to.into(),
                })
            }
        }
    }

    /// One job without its media.
    pub fn job(&self, id: i64) -> Result<Job> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(row) => Ok(job_from_row(row)?),
            None => Err(CoreError::JobNotFound(id)),
        }
    }

    /// Jobs that are not finished (queued, waiting, running, downloading, interrupted), oldest first — what
    /// the runner reconciles at launch.
    pub fn unfinished_jobs(&self) -> Result<Vec<Job>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs \
             WHERE state IN ('queued','waitingForQuota','running','downloading','interrupted') ORDER BY id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let jobs = stmt.query_map([], job_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(jobs)
    }

    /// A job's state history, oldest first.
    pub fn job_history(&self, id: i64) -> Result<Vec<JobTransitionRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT from_state, to_state, at_ms FROM job_transitions WHERE job_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |row| {
            let from: Option<String> = row.get(0)?;
            let to: String = row.get(1)?;
            Ok(JobTransitionRecord {
                from: match from {
                    Some(f) => Some(stored("from_state", &f, JobState::parse(&f))?),
                    None => None,
                },
                to: stored("to_state", &to, JobState::parse(&to))?,
                at_ms: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One page of history, newest first, after `after` (the previous page's `next`).
    pub fn list_jobs(&self, filter: &JobFilter, after: Option<JobCursor>, limit: u32) -> Result<JobPage> {
        let mut clauses: Vec<&str> = Vec::new();
        let mut values: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(m) = filter.modality {
            clauses.push("modality = ?");
            values.push(Box::new(m.as_str()));
        }
        if let Some(model) = &filter.model {
            clauses.push("model = ?");
            values.push(Box::new(model.clone()));
        }
        if let Some(state) = filter.state {
            clauses.push("state = ?");
            values.push(Box::new(state.as_str()));
        }
        if let Some(from) = filter.created_from_ms {
            clauses.push("created_at_ms >= ?");
            values.push(Box::new(from));
        }
        if let Some(before) = filter.created_before_ms {
            clauses.push("created_at_ms < ?");
            values.push(Box::new(before));
        }
        if let Some(demo) = filter.demo {
            clauses.push("demo = ?");
            values.push(Box::new(demo));
        }
        if let Some(cursor) = after {
            clauses.push("(created_at_ms, id) < (?, ?)");
            values.push(Box::new(cursor.created_at_ms));
            values.push(Box::new(cursor.id));
        }
        let condition =
            if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs {condition} ORDER BY created_at_ms DESC, id DESC LIMIT {}",
            limit.max(1)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let jobs = stmt
            .query_map(rusqlite::params_from_iter(values.iter().map(|v| v.as_ref())), job_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(page(jobs, limit, |j| JobCursor { created_at_ms: j.created_at_ms, id: j.id }))
    }

    /// Full-text search over prompts, newest (highest id) first; every word must match (see
    /// [`fts_query`] for the syntax: whole words, `word*` for a prefix). Pass the last row's id as
    /// `before_id` for the next page. Jobs are only matched, not ranked.
    pub fn search_jobs(&self, query: &str, before_id: Option<i64>, limit: u32) -> Result<JobPage> {
        let Some(fts_query) = fts_query(query) else {
            return Ok(JobPage { jobs: Vec::new(), next: None });
        };
        let columns = JOB_COLUMNS.split(", ").map(|c| format!("j.{c}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT {columns} FROM jobs_fts f JOIN jobs j ON j.id = f.rowid \
             WHERE jobs_fts MATCH ?1 AND f.rowid < ?2 ORDER BY f.rowid DESC LIMIT {}",
            limit.max(1)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let jobs = stmt
            .query_map(params![fts_query, before_id.unwrap_or(i64::MAX)], job_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(page(jobs, limit, |j| JobCursor { created_at_ms: j.created_at_ms, id: j.id }))
    }
}

fn page(jobs: Vec<Job>, limit: u32, cursor: impl Fn(&Job) -> JobCursor) -> JobPage {
    let full = u32::try_from(jobs.len()).unwrap_or(u32::MAX) >= limit.max(1);
    let next = if full { jobs.last().map(cursor) } else { None };
    JobPage { jobs, next }
}

/// Turns what the user typed into an FTS5 query. Every word must match as a whole word (case and diacritics
/// folded); a word ending in `*` matches as a prefix (`spa*` finds "spacesuit") — the UI appends `*` to the
/// word being typed. Every other FTS operator (`"`, `OR`, `NOT`, `-`, `:`…) is treated as text. `None` when
/// there is no word. Chinese, Japanese and Korean characters are split as the index splits them
/// ([`super::cjk`]), so a CJK word is a phrase of its characters and is found anywhere inside a sentence.
///
/// Why whole words by default: FTS5 answers a whole-word query incrementally in rowid order (≈ 0.1 ms at 1M
/// rows). Prefixes of 2–3 characters use the table's prefix index and are as fast; a longer prefix merges the
/// doclists of every matching word first (≈ 5 ms for a word found in a quarter of 1M prompts, see
/// `examples/history_bench.rs`).
pub fn fts_query(query: &str) -> Option<String> {
    // Control characters separate words too: a NUL inside a quoted FTS5 string ends it early ("unterminated
    // string", found by the property tests in fts_query_tests.rs).
    let terms: Vec<String> = query
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .filter_map(|word| {
            let (stem, prefix) = match word.strip_suffix('*') {
                Some(stem) => (stem.trim_end_matches('*'), true),
                None => (word, false),
            };
            (!stem.is_empty()).then(|| {
                let stem = super::cjk::split_cjk(stem);
                format!("\"{}\"{}", stem.trim().replace('"', "\"\""), if prefix { "*" } else { "" })
            })
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
#[path = "jobs_tests.rs"]
pub(crate) mod tests;

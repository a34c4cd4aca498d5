//! The Library screen's list: generations with their files, filtered, searched and sorted by date or cost,
//! one keyset page at a time. Rows carry no blobs and a prompt cut to a preview, so a first screen of a few
//! hundred items stays far below the IPC budget.

use rusqlite::ToSql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Library;
use super::jobs::{JOB_COLUMNS, Job, JobFilter, JobTransitionRecord, fts_query, job_from_row};
use super::media::{Media, media_of_jobs};
use crate::error::Result;
use crate::modality::Modality;
use crate::storage::{JobState, KeyKind};

/// Characters of the prompt a list row carries (the detail panel reads the whole job).
pub const PROMPT_PREVIEW_CHARS: usize = 160;

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum LibrarySort {
    /// Newest first.
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
    /// Most requests first (billed, else estimated; unknown costs last).
    Cost,
}

/// Whether voice previews and audition takes are listed (they are kept apart from generations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PreviewFilter {
    /// Generations only (the default: previews are not mixed in).
    #[default]
    Hide,
    /// Previews only.
    Only,
    /// Both.
    Include,
}

/// What the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct LibraryQuery {
    /// Modality, model, state, date range, demo/real.
    pub filter: JobFilter,
    /// Words of the prompt (`word*` for a prefix); empty: no search.
    pub search: String,
    /// The order.
    pub sort: LibrarySort,
    /// Voice previews: hidden, only them, or with the generations.
    pub previews: PreviewFilter,
}

/// Where the next page starts: the sort key and id of the previous page's last row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LibraryCursor {
    /// `createdAtMs` or the cost of the last row.
    #[ts(type = "number")]
    pub key: i64,
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
}

/// One generation in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LibraryItem {
    /// The job id.
    #[ts(type = "number")]
    pub id: i64,
    /// What was generated.
    pub modality: Modality,
    /// The model.
    pub model: String,
    /// The prompt's first characters.
    pub prompt_preview: String,
    /// Where the job is.
    pub state: JobState,
    /// Billed requests, else the estimate; absent when unknown.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_requests: Option<u32>,
    /// Which key paid.
    pub key_kind: KeyKind,
    /// Made in demo mode.
    pub demo: bool,
    /// Epoch ms.
    #[ts(type = "number")]
    pub created_at_ms: i64,
    /// Its files.
    pub media: Vec<Media>,
    /// A voice preview or audition take.
    #[serde(default)]
    pub preview: bool,
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LibraryPage {
    /// The items.
    pub items: Vec<LibraryItem>,
    /// Pass back for the next page; absent on the last.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<LibraryCursor>,
}

/// Everything the Library's detail panel shows about one generation: the whole job (prompt, parameters,
/// model, cost, timings, trace id), its files and its state history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GenerationDetail {
    /// The job, with its whole prompt and parameters.
    pub job: Job,
    /// Its files.
    pub media: Vec<Media>,
    /// Every state it went through, oldest first.
    pub history: Vec<JobTransitionRecord>,
}

const COST_EXPR: &str = "COALESCE(actual_requests, estimate_requests, -1)";

impl Library {
    /// The detail of one generation (see [`GenerationDetail`]).
    pub fn generation_detail(&self, id: i64) -> Result<GenerationDetail> {
        let super::JobWithMedia { job, media } = self.job_with_media(id)?;
        let history = self.job_history(id)?;
        Ok(GenerationDetail { job, media, history })
    }

    /// One page of the Library list.
    pub fn list_library(
        &self,
        query: &LibraryQuery,
        after: Option<LibraryCursor>,
        limit: u32,
    ) -> Result<LibraryPage> {
        let limit = limit.clamp(1, 500);
        let mut clauses: Vec<String> = Vec::new();
        let mut values: Vec<Box<dyn ToSql>> = Vec::new();
        let f = &query.filter;
        if let Some(m) = f.modality {
            clauses.push("modality = ?".into());
            values.push(Box::new(m.as_str()));
        }
        if let Some(model) = &f.model {
            clauses.push("model = ?".into());
            values.push(Box::new(model.clone()));
        }
        if let Some(state) = f.state {
            clauses.push("state = ?".into());
            values.push(Box::new(state.as_str()));
        }
        if let Some(from) = f.created_from_ms {
            clauses.push("created_at_ms >= ?".into());
            values.push(Box::new(from));
        }
        if let Some(before) = f.created_before_ms {
            clauses.push("created_at_ms < ?".into());
            values.push(Box::new(before));
        }
        if let Some(demo) = f.demo {
            clauses.push("demo = ?".into());
            values.push(Box::new(demo));
        }
        match query.previews {
            PreviewFilter::Hide => clauses.push("preview_key IS NULL".into()),
            PreviewFilter::Only => clauses.push("preview_key IS NOT NULL".into()),
            PreviewFilter::Include => {}
        }
        if let Some(fts) = fts_query(&query.search) {
            clauses.push("id IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?)".into());
            values.push(Box::new(fts));
        }
        let (key_expr, order, cmp) = match query.sort {
            LibrarySort::Newest => ("created_at_ms", "DESC", "<"),
            LibrarySort::Oldest => ("created_at_ms", "ASC", ">"),
            LibrarySort::Cost => (COST_EXPR, "DESC", "<"),
        };
        if let Some(cursor) = after {
            clauses.push(format!("({key_expr}, id) {cmp} (?, ?)"));
            values.push(Box::new(cursor.key));
            values.push(Box::new(cursor.id));
        }
        let condition =
            if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        let sql = format!(
            "SELECT {JOB_COLUMNS}, {key_expr}, preview_key IS NOT NULL FROM jobs {condition} \
             ORDER BY {key_expr} {order}, id {order} LIMIT {}",
            limit + 1
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt
            .query_map(rusqlite::params_from_iter(values.iter().map(|v| v.as_ref())), |row| {
                let key: i64 = row.get(17)?;
                let preview: bool = row.get(18)?;
                Ok((job_from_row(row)?, (key, preview)))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|(job, (key, _))| LibraryCursor { key: *key, id: job.id })
        } else {
            None
        };
        let ids: Vec<i64> = rows.iter().map(|(job, _)| job.id).collect();
        let mut media = media_of_jobs(&self.conn, &ids)?;
        let items = rows
            .into_iter()
            .map(|(job, (_, preview))| LibraryItem {
                id: job.id,
                modality: job.modality,
                model: job.model,
                prompt_preview: job.prompt.chars().take(PROMPT_PREVIEW_CHARS).collect(),
                state: job.state,
                cost_requests: job.actual_requests.or(job.estimate_requests),
                key_kind: job.key_kind,
                demo: job.demo,
                created_at_ms: job.created_at_ms,
                media: media.remove(&job.id).unwrap_or_default(),
                preview,
            })
            .collect();
        Ok(LibraryPage { items, next })
    }
}

#[cfg(test)]
#[path = "library_view_tests.rs"]
mod tests;

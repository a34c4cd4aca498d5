//! The spend ledger and the server's quota snapshots.
//!
//! Each `spend` row carries `cumulative_requests`, the running total of its key kind in `(at_ms, id)` order.
//! The requests used in a window are then `total now − total at the window's start`: two index look-ups
//! however long the ledger is. To keep the running total monotonic in time, an entry stamped earlier than
//! the newest entry of its key kind (the clock went backwards) is stored at the newest entry's time.
//!
//! **One charge per request.** A row of a job carries a `charge_key` (`task:<id>` for an accepted task,
//! `call:<n>` for the job's n-th synchronous call). Recording a charge for a key the job already has
//! *replaces* that row's amount (the running totals after it shift by the difference) instead of adding a
//! second row: a provisional charge (the estimate written when a task was accepted, when a cancel or a
//! failure came after the server did the work) becomes the billed amount when a retry resumes the same
//! task and succeeds.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Library;
use super::jobs::KeyKind;
use crate::error::{CoreError, Result};
use crate::modality::Modality;
use crate::quota::{self, Reconciliation, ServerWindow, SpendPoint, WindowSummary};
use crate::settings::Settings;

/// How a ledger row's amount was known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SpendBasis {
    /// What the server billed (the price table over what it reports, e.g. `usage_characters`).
    Billed,
    /// The estimate, charged because the server did the work but the job did not finish (an accepted task
    /// that failed, a cancel after acceptance, a download that failed), or provisionally while it runs.
    Estimate,
    /// The estimate, charged because a request was sent and its answer never came (a crash, a cut
    /// connection, a cancel during the call): it may have run.
    OutcomeUnknown,
    /// The price table does not know the combination: the nearest known price above it, held so the window
    /// never looks emptier than it is.
    Placeholder,
    /// A correction after comparing with the server's own count (`/v1/token_plan/remains`).
    Adjustment,
}

impl SpendBasis {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SpendBasis::Billed => "billed",
            SpendBasis::Estimate => "estimate",
            SpendBasis::OutcomeUnknown => "outcomeUnknown",
            SpendBasis::Placeholder => "placeholder",
            SpendBasis::Adjustment => "adjustment",
        }
    }

    /// The basis stored as `name`.
    pub fn parse(name: &str) -> Option<SpendBasis> {
        [
            SpendBasis::Billed,
            SpendBasis::Estimate,
            SpendBasis::OutcomeUnknown,
            SpendBasis::Placeholder,
            SpendBasis::Adjustment,
        ]
        .into_iter()
        .find(|b| b.as_str() == name)
    }
}

/// A billed request to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSpend {
    /// What the row charges for within its job (`task:<id>`, `call:<n>`): a second charge with the same key
    /// replaces the first. `None` for rows that are not a job's request (imports, adjustments).
    pub charge_key: Option<String>,
    /// How the amount was known.
    pub basis: SpendBasis,
    /// The job it belongs to (none for a quick chat call outside the job list).
    pub job_id: Option<i64>,
    /// What was generated.
    pub modality: Modality,
    /// The model.
    pub model: String,
    /// Which key paid.
    pub key_kind: KeyKind,
    /// Billed by the built-in simulator (demo mode): kept apart from the real window's running totals.
    pub demo: bool,
    /// Requests billed.
    pub requests: u32,
    /// Units produced: images, characters, clips, songs, calls (for daily buckets and charts).
    pub units: u64,
    /// Epoch ms.
    pub at_ms: i64,
}

/// A ledger row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpendEntry {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// The job, unless it was deleted or there was none.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<i64>,
    /// What was generated.
    pub modality: Modality,
    /// The model.
    pub model: String,
    /// Which key paid.
    pub key_kind: KeyKind,
    /// Requests billed.
    #[ts(type = "number")]
    pub requests: u64,
    /// Units produced.
    #[ts(type = "number")]
    pub units: u64,
    /// Epoch ms (see the module docs for clock corrections).
    #[ts(type = "number")]
    pub at_ms: i64,
    /// Running total of the key kind up to and including this row.
    #[ts(type = "number")]
    pub cumulative_requests: u64,
    /// How the amount was known (billed, an estimate, an unknown outcome, a placeholder, a correction).
    pub basis: SpendBasis,
}

pub(crate) const SPEND_COLUMNS: &str =
    "id, job_id, modality, model, key_kind, requests, units, at_ms, cumulative_requests, basis";

pub(crate) fn spend_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SpendEntry> {
    let modality: String = row.get(2)?;
    let key_kind: String = row.get(4)?;
    let basis: String = row.get(9)?;
    let bad = |column: &'static str, value: String| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            Box::new(CoreError::StoredValue { column, value }),
        )
    };
    Ok(SpendEntry {
        id: row.get(0)?,
        job_id: row.get(1)?,
        modality: Modality::parse(&modality).ok_or_else(|| bad("modality", modality.clone()))?,
        model: row.get(3)?,
        key_kind: KeyKind::parse(&key_kind).ok_or_else(|| bad("key_kind", key_kind.clone()))?,
        requests: row.get(5)?,
        units: row.get(6)?,
        at_ms: row.get(7)?,
        cumulative_requests: row.get(8)?,
        basis: SpendBasis::parse(&basis).ok_or_else(|| bad("basis", basis.clone()))?,
    })
}

/// Records one charge: replaces the amount of the row with the same job and charge key if there is one
/// (the running totals from that row on shift by the difference), else appends a row in a single statement
/// (the running total is read and written under the write lock). Call inside a transaction when the shift
/// must be atomic with other writes; on its own each statement is atomic and the shift follows at once.
pub(crate) fn insert_spend(conn: &Connection, s: &NewSpend) -> Result<SpendEntry> {
    if let (Some(job_id), Some(key)) = (s.job_id, s.charge_key.as_deref())
        && let Some(entry) = replace_charge(conn, job_id, key, s)?
    {
        return Ok(entry);
    }
    let sql = format!(
        "INSERT INTO spend (job_id, modality, model, key_kind, requests, units, at_ms, cumulative_requests, demo, \
         charge_key, basis) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, MAX(?7, COALESCE(last.at_ms, ?7)), COALESCE(last.total, 0) + ?5, ?8, ?9, ?10 \
         FROM (SELECT 1) LEFT JOIN (SELECT at_ms, cumulative_requests AS total FROM spend WHERE key_kind = ?4 \
         AND demo = ?8 ORDER BY at_ms DESC, id DESC LIMIT 1) AS last RETURNING {SPEND_COLUMNS}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let entry = stmt.query_row(
        params![
            s.job_id,
            s.modality.as_str(),
            s.model,
            s.key_kind.as_str(),
            s.requests,
            s.units,
            s.at_ms,
            s.demo,
            s.charge_key,
            s.basis.as_str(),
        ],
        spend_from_row,
    )?;
    Ok(entry)
}

/// The charge of `job_id` under `key` set to `s`'s amount, if the job has one: the row keeps its time (the
/// request was billed when it was made), and every running total from it on moves by the difference.
fn replace_charge(conn: &Connection, job_id: i64, key: &str, s: &NewSpend) -> Result<Option<SpendEntry>> {
    let existing: Option<(i64, i64, i64, String, bool)> = conn
        .prepare_cached(
            "SELECT id, requests, at_ms, key_kind, demo FROM spend WHERE job_id = ?1 AND charge_key = ?2",
        )?
        .query_row(params![job_id, key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?;
    let Some((id, old, at_ms, key_kind, demo)) = existing else { return Ok(None) };
    let delta = i64::from(s.requests) - old;
    if delta != 0 {
        conn.prepare_cached(
            "UPDATE spend SET cumulative_requests = cumulative_requests + ?1 WHERE key_kind = ?2 AND demo = ?3 \
             AND (at_ms > ?4 OR (at_ms = ?4 AND id >= ?5))",
        )?
        .execute(params![delta, key_kind, demo, at_ms, id])?;
    }
    let sql = format!(
        "UPDATE spend SET requests = ?2, units = ?3, basis = ?4, model = ?5 WHERE id = ?1 RETURNING {SPEND_COLUMNS}"
    );
    let entry = conn
        .prepare_cached(&sql)?
        .query_row(params![id, s.requests, s.units, s.basis.as_str(), s.model], spend_from_row)?;
    Ok(Some(entry))
}

/// One `model_remains` row of `/v1/token_plan/remains`, every documented field kept as the server sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuotaSnapshot {
    /// When we fetched it, epoch ms.
    #[ts(type = "number")]
    pub fetched_at_ms: i64,
    /// `model_name`.
    pub model_name: String,
    /// `start_time` (ms).
    #[ts(optional, type = "number")]
    pub start_time_ms: Option<i64>,
    /// `end_time` (ms): the reset.
    #[ts(optional, type = "number")]
    pub end_time_ms: Option<i64>,
    /// `remains_time` (ms until the reset).
    #[ts(optional, type = "number")]
    pub remains_time_ms: Option<i64>,
    /// `current_interval_total_count`.
    #[ts(optional, type = "number")]
    pub interval_total_count: Option<i64>,
    /// `current_interval_usage_count` (meaning disputed, `minimax-api.md` §9.1).
    #[ts(optional, type = "number")]
    pub interval_usage_count: Option<i64>,
    /// `current_interval_status`.
    #[ts(optional, type = "number")]
    pub interval_status: Option<i64>,
    /// `current_interval_remaining_percent`.
    #[ts(optional, type = "number")]
    pub interval_remaining_percent: Option<i64>,
    /// `weekly_start_time` (ms).
    #[ts(optional, type = "number")]
    pub weekly_start_time_ms: Option<i64>,
    /// `weekly_end_time` (ms).
    #[ts(optional, type = "number")]
    pub weekly_end_time_ms: Option<i64>,
    /// `weekly_remains_time` (ms).
    #[ts(optional, type = "number")]
    pub weekly_remains_time_ms: Option<i64>,
    /// `current_weekly_total_count`.
    #[ts(optional, type = "number")]
    pub weekly_total_count: Option<i64>,
    /// `current_weekly_usage_count`.
    #[ts(optional, type = "number")]
    pub weekly_usage_count: Option<i64>,
    /// `current_weekly_status`.
    #[ts(optional, type = "number")]
    pub weekly_status: Option<i64>,
    /// `current_weekly_remaining_percent`.
    #[ts(optional, type = "number")]
    pub weekly_remaining_percent: Option<i64>,
    /// The row as received.
    pub raw: serde_json::Value,
}

impl QuotaSnapshot {
    /// The snapshot rows of a `/v1/token_plan/remains` response body (its `model_remains` array). Numbers
    /// sent as strings are accepted; absent fields stay `None`.
    pub fn from_remains_response(body: &serde_json::Value, fetched_at_ms: i64) -> Vec<QuotaSnapshot> {
        let int = |row: &serde_json::Value, key: &str| -> Option<i64> {
            match row.get(key)? {
                serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
                serde_json::Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        };
        let rows = body.get("model_remains").and_then(|v| v.as_array()).map(Vec::as_slice).unwrap_or(&[]);
        rows.iter()
            .map(|row| QuotaSnapshot {
                fetched_at_ms,
                model_name: row.get("model_name").and_then(|v| v.as_str()).unwrap_or("").to_owned(),
                start_time_ms: int(row, "start_time"),
                end_time_ms: int(row, "end_time"),
                remains_time_ms: int(row, "remains_time"),
                interval_total_count: int(row, "current_interval_total_count"),
                interval_usage_count: int(row, "current_interval_usage_count"),
                interval_status: int(row, "current_interval_status"),
                interval_remaining_percent: int(row, "current_interval_remaining_percent"),
                weekly_start_time_ms: int(row, "weekly_start_time"),
                weekly_end_time_ms: int(row, "weekly_end_time"),
                weekly_remains_time_ms: int(row, "weekly_remains_time"),
                weekly_total_count: int(row, "current_weekly_total_count"),
                weekly_usage_count: int(row, "current_weekly_usage_count"),
                weekly_status: int(row, "current_weekly_status"),
                weekly_remaining_percent: int(row, "current_weekly_remaining_percent"),
                raw: row.clone(),
            })
            .collect()
    }

    /// The snapshot rows of the client's answer to `/v1/token_plan/remains`, each row kept whole as received
    /// (fields the client does not know included) beside the ones we read.
    pub fn from_remains(remains: &minimax_api::plan::PlanRemains, fetched_at_ms: i64) -> Vec<QuotaSnapshot> {
        let rows: Vec<serde_json::Value> =
            remains.model_remains.iter().filter_map(|row| serde_json::to_value(row).ok()).collect();
        Self::from_remains_response(&serde_json::json!({ "model_remains": rows }), fetched_at_ms)
    }

    /// The fields the reconciliation reasons about.
    pub fn server_window(&self) -> ServerWindow {
        let small = |v: Option<i64>| v.and_then(|v| u8::try_from(v.clamp(0, 255)).ok());
        ServerWindow {
            fetched_at_ms: self.fetched_at_ms,
            model_name: self.model_name.clone(),
            total_count: self.interval_total_count.map_or(0, |v| u64::try_from(v).unwrap_or(0)),
            usage_count: self.interval_usage_count.map_or(0, |v| u64::try_from(v).unwrap_or(0)),
            remaining_percent: small(self.interval_remaining_percent),
            status: small(self.interval_status),
            end_time_ms: self.end_time_ms,
        }
    }
}

const SNAPSHOT_COLUMNS: &str = "fetched_at_ms, model_name, start_time_ms, end_time_ms, remains_time_ms, \
     current_interval_total_count, current_interval_usage_count, current_interval_status, \
     current_interval_remaining_percent, weekly_start_time_ms, weekly_end_time_ms, weekly_remains_time_ms, \
     current_weekly_total_count, current_weekly_usage_count, current_weekly_status, \
     current_weekly_remaining_percent, raw_json";

impl Library {
    /// Records one charge (appends it, or replaces the job's charge with the same key) in one transaction,
    /// and returns the stored row.
    pub fn record_spend(&mut self, spend: &NewSpend) -> Result<SpendEntry> {
        let tx = self.conn.transaction()?;
        let entry = insert_spend(&tx, spend)?;
        tx.commit()?;
        Ok(entry)
    }

    /// The charges of a job, oldest first.
    pub fn spend_of_job(&self, job_id: i64) -> Result<Vec<SpendEntry>> {
        let sql = format!("SELECT {SPEND_COLUMNS} FROM spend WHERE job_id = ?1 ORDER BY at_ms, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![job_id], spend_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Appends many entries in one transaction, in the given order (imports, benchmarks).
    pub fn record_spends(&mut self, entries: &[NewSpend]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        for entry in entries {
            insert_spend(&tx, entry)?;
        }
        tx.commit()?;
        Ok(entries.len())
    }

    /// Window figures from now on count demo spend (demo mode) or real spend only; the charts, the ledger
    /// table and the CSV always show both.
    pub fn set_demo_ledger(&mut self, demo: bool) {
        self.demo_ledger = demo;
    }

    /// Whether window figures count the demo's spend ([`Library::set_demo_ledger`]).
    pub fn is_demo_ledger(&self) -> bool {
        self.demo_ledger
    }

    /// The ledger's running total of `key_kind` at `at_ms` (entries stamped at or before it), in the current
    /// ledger (demo or real, [`Library::set_demo_ledger`]).
    pub fn cumulative_requests_at(&self, key_kind: KeyKind, at_ms: i64) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT cumulative_requests FROM spend WHERE key_kind = ?1 AND demo = ?3 AND at_ms <= ?2 \
             ORDER BY at_ms DESC, id DESC LIMIT 1",
        )?;
        let found = stmt.query_row(params![key_kind.as_str(), at_ms, self.demo_ledger], |r| r.get(0));
        Ok(found.optional()?.unwrap_or(0))
    }

    /// Requests of `key_kind` billed in the window `(now − window, now]` plus any stamped after `now`, from
    /// the running totals (two index look-ups).
    pub fn used_in_window(&self, key_kind: KeyKind, now_ms: i64, window_ms: i64) -> Result<u64> {
        let total = self.cumulative_requests_at(key_kind, i64::MAX)?;
        let before = self.cumulative_requests_at(key_kind, now_ms.saturating_sub(window_ms))?;
        Ok(total.saturating_sub(before))
    }

    /// Requests of `key_kind` billed in `(from_ms, to_ms]`, from the running totals (e.g. the server's weekly window, a day for the charts).
    pub fn used_between(&self, key_kind: KeyKind, from_ms: i64, to_ms: i64) -> Result<u64> {
        let end = self.cumulative_requests_at(key_kind, to_ms)?;
        let start = self.cumulative_requests_at(key_kind, from_ms)?;
        Ok(end.saturating_sub(start))
    }

    /// The plan window for the user's settings (their quota, or the override) at `now_ms`.
    pub fn plan_window(&self, settings: &Settings, now_ms: i64) -> Result<WindowSummary> {
        self.window_summary(u64::from(settings.quota_per_window()), now_ms, quota::WINDOW_MS)
    }

    /// The Token Plan window at `now_ms` for a quota of `quota` requests: the same figures as
    /// [`quota::window_summary`] over the ledger, computed from running totals and one index seek.
    pub fn window_summary(&self, quota: u64, now_ms: i64, window_ms: i64) -> Result<WindowSummary> {
        let start = now_ms.saturating_sub(window_ms);
        let used = self.used_in_window(KeyKind::Plan, now_ms, window_ms)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT at_ms, (SELECT SUM(requests) FROM spend s2 WHERE s2.key_kind = 'plan' AND s2.demo = ?2 \
             AND s2.at_ms = s.at_ms) \
             FROM spend s WHERE key_kind = 'plan' AND demo = ?2 AND at_ms > ?1 AND requests > 0 \
             ORDER BY at_ms, id LIMIT 1",
        )?;
        let oldest: Option<(i64, u64)> =
            stmt.query_row(params![start, self.demo_ledger], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        Ok(WindowSummary {
            now_ms,
            window_ms,
            quota,
            used,
            remaining: quota.saturating_sub(used),
            next_release_at_ms: oldest.map(|(at, _)| at.saturating_add(window_ms)),
            next_release_requests: oldest.map_or(0, |(_, n)| n),
        })
    }

    /// The plan's ledger points in the window, merged per millisecond, for [`quota::available_at`] and the
    /// release timeline.
    pub fn window_points(&self, now_ms: i64, window_ms: i64) -> Result<Vec<SpendPoint>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at_ms, SUM(requests) FROM spend WHERE key_kind = 'plan' AND demo = ?2 AND at_ms > ?1 \
             GROUP BY at_ms ORDER BY at_ms",
        )?;
        let points = stmt
            .query_map(params![now_ms.saturating_sub(window_ms), self.demo_ledger], |r| {
                Ok(SpendPoint { at_ms: r.get(0)?, requests: r.get(1)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(points)
    }

    /// When `needed` plan requests will be free (see [`quota::available_at`]).
    pub fn plan_requests_available_at(
        &self,
        quota: u64,
        needed: u64,
        now_ms: i64,
        window_ms: i64,
    ) -> Result<Option<i64>> {
        let points = self.window_points(now_ms, window_ms)?;
        Ok(quota::available_at(&points, quota, needed, now_ms, window_ms))
    }

    /// Ledger rows of both key kinds billed in `[from_ms, before_ms)`, oldest first (charts, CSV export,
    /// daily buckets).
    pub fn spend_between(&self, from_ms: i64, before_ms: i64) -> Result<Vec<SpendEntry>> {
        let sql = format!(
            "SELECT {SPEND_COLUMNS} FROM spend WHERE key_kind IN ('plan','payAsYouGo') AND at_ms >= ?1 \
             AND at_ms < ?2 ORDER BY at_ms, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![from_ms, before_ms], spend_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Stores the rows of one `/v1/token_plan/remains` response (in one transaction).
    pub fn record_quota_snapshot(&mut self, rows: &[QuotaSnapshot]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let sql = format!(
                "INSERT INTO quota_snapshots ({SNAPSHOT_COLUMNS}) VALUES \
                 (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
            );
            let mut stmt = tx.prepare_cached(&sql)?;
            for s in rows {
                stmt.execute(params![
                    s.fetched_at_ms,
                    s.model_name,
                    s.start_time_ms,
                    s.end_time_ms,
                    s.remains_time_ms,
                    s.interval_total_count,
                    s.interval_usage_count,
                    s.interval_status,
                    s.interval_remaining_percent,
                    s.weekly_start_time_ms,
                    s.weekly_end_time_ms,
                    s.weekly_remains_time_ms,
                    s.weekly_total_count,
                    s.weekly_usage_count,
                    s.weekly_status,
                    s.weekly_remaining_percent,
                    s.raw.to_string(),
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The rows of the most recent snapshot (empty if none was stored).
    pub fn latest_quota_snapshot(&self) -> Result<Vec<QuotaSnapshot>> {
        let sql = format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM quota_snapshots \
             WHERE fetched_at_ms = (SELECT MAX(fetched_at_ms) FROM quota_snapshots) ORDER BY id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| {
            let raw: String = r.get(16)?;
            Ok(QuotaSnapshot {
                fetched_at_ms: r.get(0)?,
                model_name: r.get(1)?,
                start_time_ms: r.get(2)?,
                end_time_ms: r.get(3)?,
                remains_time_ms: r.get(4)?,
                interval_total_count: r.get(5)?,
                interval_usage_count: r.get(6)?,
                interval_status: r.get(7)?,
                interval_remaining_percent: r.get(8)?,
                weekly_start_time_ms: r.get(9)?,
                weekly_end_time_ms: r.get(10)?,
                weekly_remains_time_ms: r.get(11)?,
                weekly_total_count: r.get(12)?,
                weekly_usage_count: r.get(13)?,
                weekly_status: r.get(14)?,
                weekly_remaining_percent: r.get(15)?,
                raw: serde_json::from_str(&raw).unwrap_or(serde_json::Value::Null),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The latest snapshot compared with the local plan ledger, one row per server bucket: our window sum at
    /// the moment the snapshot was fetched beside the server's figure and the difference.
    pub fn reconcile_latest_snapshot(&self, window_ms: i64) -> Result<Vec<Reconciliation>> {
        let snapshot = self.latest_quota_snapshot()?;
        let mut out = Vec::with_capacity(snapshot.len());
        for row in &snapshot {
            let at = row.fetched_at_ms;
            let local = self
                .cumulative_requests_at(KeyKind::Plan, at)?
                .saturating_sub(self.cumulative_requests_at(KeyKind::Plan, at.saturating_sub(window_ms))?);
            out.push(quota::reconcile(&row.server_window(), local));
        }
        Ok(out)
    }
}

#[path = "ledger_correction.rs"]
mod correction;
pub use correction::{CorrectionOutcome, ServerCorrection};

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;

//! What the Spend screen shows: requests per day by modality or model, the 5-hour window's use over time, the
//! ledger as a filterable table, and its CSV export.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Library;
use super::ledger::{SPEND_COLUMNS, SpendEntry, spend_from_row};
use crate::error::{CoreError, Result};
use crate::modality::Modality;
use crate::quota::SpendPoint;
use crate::storage::KeyKind;

const DAY_MS: i64 = 86_400_000;

/// How daily spend is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SpendGrouping {
    /// One series per modality.
    Modality,
    /// One series per model.
    Model,
}

/// Requests of one group on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DailySpend {
    /// Local midnight starting the day, epoch ms.
    #[ts(type = "number")]
    pub day_start_ms: i64,
    /// The modality or model name.
    pub group: String,
    /// Requests billed (both keys).
    #[ts(type = "number")]
    pub requests: u64,
    /// Requests billed on the plan key.
    #[ts(type = "number")]
    pub plan_requests: u64,
    /// Units produced.
    #[ts(type = "number")]
    pub units: u64,
}

/// Filters of the ledger table and its CSV. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct SpendFilter {
    /// At or after, epoch ms.
    #[ts(optional, type = "number")]
    pub from_ms: Option<i64>,
    /// Before, epoch ms.
    #[ts(optional, type = "number")]
    pub before_ms: Option<i64>,
    /// Only this modality.
    #[ts(optional)]
    pub modality: Option<Modality>,
    /// Only this model.
    #[ts(optional)]
    pub model: Option<String>,
    /// Only this key.
    #[ts(optional)]
    pub key_kind: Option<KeyKind>,
}

/// One page of the ledger, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpendPage {
    /// The rows.
    pub entries: Vec<SpendEntry>,
    /// The id to pass for the next page; absent on the last.
    #[ts(optional, type = "number")]
    pub next_before_id: Option<i64>,
}

/// Everything the Spend dashboard draws for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpendReport {
    /// Requests per local day and group.
    pub days: Vec<DailySpend>,
    /// Plan requests inside the rolling window over the period (hourly, at most 10,000 points).
    pub window_series: Vec<SpendPoint>,
    /// The window now.
    pub window: crate::quota::WindowSummary,
}

/// The server's view of the window beside the ledger's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServerComparison {
    /// One row per server bucket of the latest snapshot (empty when none was ever fetched).
    pub rows: Vec<crate::quota::Reconciliation>,
    /// Why the server could not be asked this time (no plan key, offline…), if it could not.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch_error: Option<String>,
}

impl SpendFilter {
    fn where_clause(&self) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value;
        let mut clauses = vec!["1 = 1".to_owned()];
        let mut values = Vec::new();
        if let Some(from) = self.from_ms {
            clauses.push("at_ms >= ?".into());
            values.push(Value::Integer(from));
        }
        if let Some(before) = self.before_ms {
            clauses.push("at_ms < ?".into());
            values.push(Value::Integer(before));
        }
        if let Some(modality) = self.modality {
            clauses.push("modality = ?".into());
            values.push(Value::Text(modality.as_str().into()));
        }
        if let Some(model) = &self.model {
            clauses.push("model = ?".into());
            values.push(Value::Text(model.clone()));
        }
        if let Some(key) = self.key_kind {
            clauses.push("key_kind = ?".into());
            values.push(Value::Text(key.as_str().into()));
        }
        (clauses.join(" AND "), values)
    }
}

impl Library {
    /// Requests per local day in `[from_ms, before_ms)`, split by `grouping`, oldest day first.
    /// `utc_offset_ms` is the user's offset from UTC (days start at local midnight).
    pub fn spend_per_day(
        &self,
        from_ms: i64,
        before_ms: i64,
        utc_offset_ms: i64,
        grouping: SpendGrouping,
    ) -> Result<Vec<DailySpend>> {
        let column = match grouping {
            SpendGrouping::Modality => "modality",
            SpendGrouping::Model => "model",
        };
        let sql = format!(
            "SELECT ((at_ms + ?3) / {DAY_MS}) * {DAY_MS} - ?3 AS day, {column}, SUM(requests), \
             SUM(CASE WHEN key_kind = 'plan' THEN requests ELSE 0 END), SUM(units) \
             FROM spend WHERE at_ms >= ?1 AND at_ms < ?2 GROUP BY day, {column} ORDER BY day, {column}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![from_ms, before_ms, utc_offset_ms], |r| {
            Ok(DailySpend {
                day_start_ms: r.get(0)?,
                group: r.get(1)?,
                requests: r.get(2)?,
                plan_requests: r.get(3)?,
                units: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The dashboard's figures for `[from_ms, before_ms)`: days split by `grouping`, the window line sampled so
    /// that at most ~500 points are drawn, and the window at `now_ms` for `quota` requests.
    pub fn spend_report(
        &self,
        from_ms: i64,
        before_ms: i64,
        utc_offset_ms: i64,
        grouping: SpendGrouping,
        quota: u64,
        now_ms: i64,
    ) -> Result<SpendReport> {
        let days = self.spend_per_day(from_ms, before_ms, utc_offset_ms, grouping)?;
        let span = before_ms.saturating_sub(from_ms).max(1);
        let step = (span / 500).max(15 * 60_000);
        let window_series =
            self.window_series(from_ms, before_ms.min(now_ms), step, crate::quota::WINDOW_MS)?;
        let window = self.window_summary(quota, now_ms, crate::quota::WINDOW_MS)?;
        Ok(SpendReport { days, window_series, window })
    }

    /// The plan requests inside the rolling window at every `step_ms` from `from_ms` to `to_ms` (inclusive):
    /// the "window over time" line to draw under the quota line. Two index seeks per point.
    pub fn window_series(
        &self,
        from_ms: i64,
        to_ms: i64,
        step_ms: i64,
        window_ms: i64,
    ) -> Result<Vec<SpendPoint>> {
        let step = step_ms.max(60_000);
        let mut points = Vec::new();
        let mut at = from_ms;
        while at <= to_ms && points.len() < 10_000 {
            let used = self.used_between(KeyKind::Plan, at.saturating_sub(window_ms), at)?;
            points.push(SpendPoint { at_ms: at, requests: used });
            at = at.saturating_add(step);
        }
        Ok(points)
    }

    /// One page of the ledger, newest first; pass the previous page's `next_before_id`.
    pub fn spend_page(&self, filter: &SpendFilter, before_id: Option<i64>, limit: u32) -> Result<SpendPage> {
        let (clause, mut values) = filter.where_clause();
        values.push(rusqlite::types::Value::Integer(before_id.unwrap_or(i64::MAX)));
        let limit = limit.clamp(1, 1000);
        let sql = format!(
            "SELECT {SPEND_COLUMNS} FROM spend WHERE {clause} AND id < ? ORDER BY id DESC LIMIT {}",
            limit + 1
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut entries = stmt
            .query_map(rusqlite::params_from_iter(values), spend_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let next_before_id = if entries.len() > limit as usize {
            entries.truncate(limit as usize);
            entries.last().map(|e| e.id)
        } else {
            None
        };
        Ok(SpendPage { entries, next_before_id })
    }

    /// Writes the filtered ledger as CSV into `dir` (created if missing) under a name stamped with `now_ms`
    /// (`spend-2026-12-05T09-30-00-000.csv`: no characters a file system refuses); returns the file's path.
    pub fn export_spend_csv(&self, filter: &SpendFilter, dir: &Path, now_ms: i64) -> Result<PathBuf> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CoreError::Export(format!("{}: {source}", path.display()))
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let stamp = iso8601_utc(now_ms).replace([':', '.'], "-").trim_end_matches('Z').to_owned();
        let path = dir.join(format!("spend-{stamp}.csv"));
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        let mut out = std::io::BufWriter::new(file);
        self.write_spend_csv(filter, &mut out)?;
        out.flush().map_err(io(&path))?;
        Ok(path)
    }

    /// Writes the filtered ledger as CSV (oldest first, one header row); returns the rows written.
    pub fn write_spend_csv(&self, filter: &SpendFilter, out: impl Write) -> Result<u64> {
        let (clause, values) = filter.where_clause();
        let sql = format!("SELECT {SPEND_COLUMNS} FROM spend WHERE {clause} ORDER BY at_ms, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), spend_from_row)?;
        let mut writer = csv::Writer::from_writer(out);
        let csv_error = |e: csv::Error| CoreError::Export(e.to_string());
        writer
            .write_record([
                "id",
                "at_utc",
                "at_ms",
                "job_id",
                "modality",
                "model",
                "key",
                "requests",
                "units",
                "cumulative_requests",
            ])
            .map_err(csv_error)?;
        let mut written = 0u64;
        for row in rows {
            let e = row?;
            writer
                .write_record([
                    e.id.to_string(),
                    iso8601_utc(e.at_ms),
                    e.at_ms.to_string(),
                    e.job_id.map(|id| id.to_string()).unwrap_or_default(),
                    e.modality.as_str().to_owned(),
                    e.model.clone(),
                    e.key_kind.as_str().to_owned(),
                    e.requests.to_string(),
                    e.units.to_string(),
                    e.cumulative_requests.to_string(),
                ])
                .map_err(csv_error)?;
            written += 1;
        }
        writer.flush().map_err(|e| CoreError::Export(e.to_string()))?;
        Ok(written)
    }
}

/// `2026-11-25T01:02:03.004Z` for epoch ms (proleptic Gregorian, UTC).
pub fn iso8601_utc(epoch_ms: i64) -> String {
    let days = epoch_ms.div_euclid(DAY_MS);
    let ms_of_day = epoch_ms.rem_euclid(DAY_MS);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000
    )
}

#[cfg(test)]
#[path = "spend_report_tests.rs"]
mod tests;

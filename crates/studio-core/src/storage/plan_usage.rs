//! What the quota view asks the library: plan spend since an instant (all of it, or all but video for the M
//! Plan's 5-hour window), what a key may use ([`Entitlement`]), and which remote tasks the library knows.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

use minimax_api::plan::{PlanRemains, REMAINS_PATH, interpret};

use super::Library;
use super::jobs::KeyKind;
use crate::error::Result;
use crate::profile::{Meters, PlanProfile, detect};
use crate::quota_view::{LedgerWindow, ServerReading, ledger_range};

/// The subject of the music and lyrics entitlement (one answer covers both APIs).
pub const MUSIC_SUBJECT: &str = "music";

/// What the server said a key may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Entitlement {
    /// A model id, or [`MUSIC_SUBJECT`].
    pub subject: String,
    /// Whether it works with this key.
    pub available: bool,
    /// Why not (the server's words), when it does not.
    #[ts(optional)]
    pub reason: Option<String>,
    /// When it was learnt, epoch ms.
    #[ts(type = "number")]
    pub checked_at_ms: i64,
}

impl Library {
    /// Plan spend stamped after `from_ms` (later stamps included: clock skew under-promises), in the current
    /// ledger (demo or real). `Meters::NonVideo` leaves video out (the M Plan's 5-hour window).
    pub fn plan_used_since(&self, from_ms: i64, meters: Meters) -> Result<u64> {
        match meters {
            Meters::All => self.used_between(KeyKind::Plan, from_ms, i64::MAX),
            Meters::NonVideo => {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT COALESCE(SUM(requests), 0) FROM spend WHERE key_kind = 'plan' AND demo = ?2 \
                     AND at_ms > ?1 AND modality <> 'video'",
                )?;
                Ok(stmt.query_row(params![from_ms, self.demo_ledger], |r| r.get(0))?)
            }
        }
    }

    /// What the ledger counts in each of `profile`'s windows at `now_ms`, with running jobs' reservations
    /// added (`reserved`: video, the rest) — the ledger side of [`crate::quota_view::blend`].
    pub fn ledger_windows(
        &self,
        profile: &PlanProfile,
        reading: Option<&ServerReading>,
        reserved: (u64, u64),
        now_ms: i64,
    ) -> Result<Vec<LedgerWindow>> {
        let fetched_at = reading.map(|r| r.fetched_at_ms);
        profile
            .windows
            .iter()
            .map(|rule| {
                let from = ledger_range(rule, reading, now_ms);
                let used = self.plan_used_since(from, rule.meters)?;
                // A charge stamped in the very millisecond of the read counts as after it (the safe side).
                let since_fetch = match fetched_at {
                    Some(at) => self.plan_used_since(at.saturating_sub(1).max(from), rule.meters)?,
                    None => 0,
                };
                let (next_release_at_ms, next_release_units) = if rule.rolling {
                    let summary = self.window_summary(rule.capacity, now_ms, rule.length_ms)?;
                    (summary.next_release_at_ms, summary.next_release_requests)
                } else {
                    (None, 0)
                };
                let held = match rule.meters {
                    Meters::All => reserved.0.saturating_add(reserved.1),
                    Meters::NonVideo => reserved.1,
                };
                Ok(LedgerWindow {
                    used: used.saturating_add(held),
                    since_fetch: since_fetch.saturating_add(held),
                    next_release_at_ms,
                    next_release_units,
                })
            })
            .collect()
    }

    /// The last stored `/remains` answer (real keys only; demo answers are not stored), read again as at its
    /// fetch: the server's view for a process that has not asked yet (`tokenplan --dry-run`).
    pub fn latest_server_reading(&self) -> Result<Option<ServerReading>> {
        let rows = self.latest_quota_snapshot()?;
        let Some(fetched_at_ms) = rows.first().map(|r| r.fetched_at_ms) else { return Ok(None) };
        let model_remains = rows.iter().filter_map(|r| serde_json::from_value(r.raw.clone()).ok()).collect();
        let remains = PlanRemains {
            model_remains,
            other: std::collections::BTreeMap::new(),
            source_path: REMAINS_PATH,
            trace_id: None,
        };
        let view = interpret(&remains, fetched_at_ms);
        Ok(Some(ServerReading { detection: detect(&view), view, fetched_at_ms }))
    }

    /// Remembers what the server said about `subject` for the key with `fingerprint`.
    pub fn record_entitlement(&self, fingerprint: &str, entitlement: &Entitlement) -> Result<()> {
        self.conn.execute(
            "INSERT INTO entitlements (key_fingerprint, subject, available, reason, checked_at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (key_fingerprint, subject) DO UPDATE SET \
             available = excluded.available, reason = excluded.reason, checked_at_ms = excluded.checked_at_ms",
            params![
                fingerprint,
                entitlement.subject,
                entitlement.available,
                entitlement.reason,
                entitlement.checked_at_ms
            ],
        )?;
        Ok(())
    }

    /// Everything learnt about the key with `fingerprint`, by subject.
    pub fn entitlements(&self, fingerprint: &str) -> Result<Vec<Entitlement>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT subject, available, reason, checked_at_ms FROM entitlements WHERE key_fingerprint = ?1 \
             ORDER BY subject",
        )?;
        let rows = stmt.query_map([fingerprint], |r| {
            Ok(Entitlement {
                subject: r.get(0)?,
                available: r.get(1)?,
                reason: r.get(2)?,
                checked_at_ms: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Gives a queued job that has no task yet the remote task `task_id` (a task recovered from MiniMax):
    /// running it then polls that task instead of creating one.
    pub fn attach_remote_task(&self, id: i64, task_id: &str, at_ms: i64) -> Result<super::Job> {
        let changed = self.conn.execute(
            "UPDATE jobs SET remote_task_id = ?2, updated_at_ms = ?3 WHERE id = ?1 AND state = 'queued' \
             AND remote_task_id IS NULL",
            params![id, task_id, at_ms],
        )?;
        let job = self.job(id)?;
        if changed == 0 {
            return Err(crate::CoreError::InvalidTransition {
                job_id: id,
                from: job.state.as_str().to_owned(),
                to: "queued with a recovered task".into(),
            });
        }
        Ok(job)
    }

    /// The job holding remote task `task_id`, if the library knows it.
    pub fn job_id_of_task(&self, task_id: &str) -> Result<Option<i64>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT id FROM jobs WHERE remote_task_id = ?1 ORDER BY id LIMIT 1")?;
        Ok(stmt.query_row([task_id], |r| r.get(0)).optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modality::Modality;
    use crate::storage::{NewSpend, SpendBasis};

    fn spend(lib: &mut Library, modality: Modality, requests: u32, at_ms: i64) {
        lib.record_spend(&NewSpend {
            charge_key: None,
            basis: SpendBasis::Billed,
            job_id: None,
            modality,
            model: "m".into(),
            key_kind: KeyKind::Plan,
            demo: false,
            requests,
            units: 1,
            at_ms,
        })
        .expect("spend");
    }

    #[test]
    fn video_can_be_left_out_of_a_window() {
        let mut lib = Library::open_in_memory(std::path::Path::new("/nonexistent")).expect("library");
        spend(&mut lib, Modality::Text, 10, 1_000);
        spend(&mut lib, Modality::Video, 3_000, 2_000);
        spend(&mut lib, Modality::Image, 75, 3_000);
        assert_eq!(lib.plan_used_since(0, Meters::All).expect("all"), 3_085);
        assert_eq!(lib.plan_used_since(0, Meters::NonVideo).expect("non-video"), 85);
        assert_eq!(lib.plan_used_since(1_000, Meters::NonVideo).expect("after"), 75);
    }

    #[test]
    fn entitlements_are_kept_per_key() {
        let lib = Library::open_in_memory(std::path::Path::new("/nonexistent")).expect("library");
        let refused = Entitlement {
            subject: MUSIC_SUBJECT.into(),
            available: false,
            reason: Some("your current token plan not support model (2061)".into()),
            checked_at_ms: 5,
        };
        lib.record_entitlement("aa", &refused).expect("record");
        assert_eq!(lib.entitlements("aa").expect("read"), vec![refused.clone()]);
        assert!(lib.entitlements("bb").expect("other key").is_empty());
        let granted = Entitlement { available: true, reason: None, checked_at_ms: 9, ..refused };
        lib.record_entitlement("aa", &granted).expect("update");
        assert_eq!(lib.entitlements("aa").expect("read"), vec![granted]);
    }
}

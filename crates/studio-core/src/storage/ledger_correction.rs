//! Correcting the window from the server's own count (`/v1/token_plan/remains`).
//!
//! When MiniMax counts more requests used in the window than the ledger (spend by another tool on the same
//! key, a charge we never saw), [`Library::record_adjustment`] writes one logged `spend` row with basis
//! `adjustment` (no job) for the difference, so the window holds what the server holds. It never writes a
//! negative row: when the server counts less, the ledger stays as it is (conservative) and the answer says so.
//!
//! It corrects only from **request counts that agree with the reading of [`quota::reconcile`]**: counts
//! read as "used" (not the legacy endpoint's "remaining"), whose share agrees with the percentage when one is
//! sent (within the one point the server rounds to). The correction follows the counts, which are exact; the
//! percentage is rounded. A plan that reports shares only (the usage-based Token Plan and the M Plan send
//! `general`/`video` rows in percent with zero totals) cannot be corrected, and the answer says why.
//!
//! The row is stamped at the snapshot's time, so it leaves the rolling window five hours later — possibly
//! later than the server's own requests did (we do not know when they were made): conservative again.

use minimax_api::plan::{self, Availability, PlanRemains, WindowState};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{KeyKind, Library, NewSpend, SpendBasis};
use crate::error::Result;
use crate::modality::Modality;
use crate::quota::{self, Reconciliation, ServerUsedBasis};
use crate::storage::QuotaSnapshot;

/// What a correction found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CorrectionOutcome {
    /// The server counted more: an adjustment row now holds the difference.
    Corrected,
    /// The ledger already holds what the server counts.
    Agrees,
    /// The server counts fewer requests than the ledger: nothing is removed (the ledger stays conservative).
    ServerCountsLess,
    /// The server gives no request counts the ledger can follow (shares only, counts that disagree with the
    /// share or hold what remains, an unlimited window, no bucket).
    CannotTell,
}

/// The answer of [`Library::record_adjustment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServerCorrection {
    /// What was found (and done).
    pub outcome: CorrectionOutcome,
    /// Requests the adjustment added to the window (0 unless corrected).
    #[ts(type = "number")]
    pub added_requests: u64,
    /// The server bucket whose count was followed.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// The server's count of that bucket, and the ledger's before the correction.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_used: Option<u64>,
    /// The ledger's used requests in the window when the server was asked, before the correction.
    #[ts(type = "number")]
    pub local_used: u64,
    /// Why nothing could be corrected ([`CorrectionOutcome::CannotTell`]), in a sentence.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The comparison after the correction, one row per bucket.
    pub rows: Vec<Reconciliation>,
}

/// A bucket's count the ledger may follow, or why it may not.
fn trusted_count(
    reading: &Reconciliation,
    raw: &QuotaSnapshot,
    bucket: Option<&plan::BucketView>,
) -> std::result::Result<u64, String> {
    let name = &reading.model_name;
    let Some(bucket) = bucket else { return Err(format!("bucket {name} could not be read")) };
    if bucket.availability != Availability::InPlan || bucket.interval.state == WindowState::Unlimited {
        return Err(format!("bucket {name} is not metered (unlimited or not in the plan)"));
    }
    let sent_counts = raw.interval_total_count.is_some_and(|t| t > 0) && raw.interval_usage_count.is_some();
    let (Some(server_used), Some(counts)) = (reading.server_used, bucket.interval.counts) else {
        if sent_counts {
            return Err(format!("bucket {name}'s counts disagree with its share"));
        }
        return Err(format!(
            "MiniMax reports bucket {name} as a share, without request counts: the ledger cannot be corrected \
             from it"
        ));
    };
    if counts.inverted {
        return Err(format!("bucket {name}'s counts hold what remains, not what was used"));
    }
    let used = u64::try_from(counts.used).unwrap_or(0);
    let total = u64::try_from(counts.total).unwrap_or(0);
    // The reading rounds the percentage to the nearest request; the counts agree within one point of it.
    let slack = match reading.basis {
        ServerUsedBasis::Percent => (total / 100).max(1),
        _ => 0,
    };
    if used.abs_diff(server_used) > slack {
        return Err(format!("bucket {name}'s counts ({used}) disagree with its share ({server_used})"));
    }
    Ok(used)
}

impl Library {
    /// Compares `remains` (fetched at `fetched_at_ms`) with the ledger's window and, when the server counts
    /// more requests used than the ledger, writes one logged `adjustment` spend row for the difference (see
    /// the module docs). Applying it again for the same answer adds nothing.
    pub fn record_adjustment(
        &mut self,
        remains: &PlanRemains,
        fetched_at_ms: i64,
        window_ms: i64,
    ) -> Result<ServerCorrection> {
        let local_used = self.plan_used_at(fetched_at_ms, window_ms)?;
        // Adjustments stamped after the snapshot (the clock-order rule moved them later) are not in
        // `local_used` yet still hold part of the difference.
        let already = self.adjustments_after(fetched_at_ms)?;
        let snapshot = QuotaSnapshot::from_remains(remains, fetched_at_ms);
        let view = plan::interpret(remains, fetched_at_ms);
        let mut best: Option<(u64, String)> = None;
        let mut reason = None;
        for (row, bucket) in snapshot.iter().zip(&view.buckets) {
            let reading = quota::reconcile(&row.server_window(), local_used);
            match trusted_count(&reading, row, Some(bucket)) {
                Ok(used) if best.as_ref().is_none_or(|(b, _)| used > *b) => {
                    best = Some((used, row.model_name.clone()))
                }
                Ok(_) => {}
                Err(why) => {
                    reason.get_or_insert(why);
                }
            }
        }
        let mut correction = ServerCorrection {
            outcome: CorrectionOutcome::CannotTell,
            added_requests: 0,
            bucket: None,
            server_used: None,
            local_used,
            reason: None,
            rows: Vec::new(),
        };
        match best {
            None => {
                correction.reason =
                    Some(reason.unwrap_or_else(|| "MiniMax sent no quota bucket to compare with".to_owned()));
            }
            Some((server_used, bucket)) => {
                let held = local_used.saturating_add(already);
                correction.outcome = match server_used.cmp(&held) {
                    std::cmp::Ordering::Greater => CorrectionOutcome::Corrected,
                    std::cmp::Ordering::Equal => CorrectionOutcome::Agrees,
                    std::cmp::Ordering::Less if server_used >= local_used => CorrectionOutcome::Agrees,
                    std::cmp::Ordering::Less => CorrectionOutcome::ServerCountsLess,
                };
                if correction.outcome == CorrectionOutcome::Corrected {
                    let difference = u32::try_from(server_used - held).unwrap_or(u32::MAX);
                    let video = view.bucket(&bucket).is_some_and(|b| b.video);
                    self.record_spend(&NewSpend {
                        charge_key: None,
                        basis: SpendBasis::Adjustment,
                        job_id: None,
                        modality: if video { Modality::Video } else { Modality::Text },
                        model: bucket.clone(),
                        key_kind: KeyKind::Plan,
                        demo: self.is_demo_ledger(),
                        requests: difference,
                        units: 0,
                        at_ms: fetched_at_ms,
                    })?;
                    tracing::info!(
                        bucket = %bucket, server_used, local_used, added = difference,
                        "the window was corrected to the server's count"
                    );
                    correction.added_requests = u64::from(difference);
                }
                correction.bucket = Some(bucket);
                correction.server_used = Some(server_used);
            }
        }
        let local_after = self.plan_used_at(fetched_at_ms, window_ms)?;
        correction.rows =
            snapshot.iter().map(|row| quota::reconcile(&row.server_window(), local_after)).collect();
        Ok(correction)
    }

    /// The plan requests the ledger holds in the window ending at `at_ms`.
    fn plan_used_at(&self, at_ms: i64, window_ms: i64) -> Result<u64> {
        let end = self.cumulative_requests_at(KeyKind::Plan, at_ms)?;
        Ok(end.saturating_sub(self.cumulative_requests_at(KeyKind::Plan, at_ms.saturating_sub(window_ms))?))
    }

    /// Plan adjustments stamped after `at_ms` in the current ledger.
    fn adjustments_after(&self, at_ms: i64) -> Result<u64> {
        let total: Option<u64> = self.conn.query_row(
            "SELECT SUM(requests) FROM spend WHERE basis = 'adjustment' AND key_kind = 'plan' AND demo = ?2 \
             AND at_ms > ?1",
            rusqlite::params![at_ms, self.is_demo_ledger()],
            |row| row.get(0),
        )?;
        Ok(total.unwrap_or(0))
    }
}

#[cfg(test)]
#[path = "ledger_correction_tests.rs"]
mod tests;

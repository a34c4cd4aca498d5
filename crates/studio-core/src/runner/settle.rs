//! How a job ends and what it is charged: each request once, under its own key.
//!
//! A job's charges are keyed by what was billed ([`charge_key`]): `task:<id>` for an accepted async task
//! (video, async speech), `call:<n>` for the job's n-th synchronous call (image, music, speech, chat,
//! lyrics). The ledger keeps one row per key, so a retry that resumes the same task replaces the
//! provisional charge written when the task was accepted, and a second call is a second row. A price the
//! table does not know is charged as a marked placeholder ([`crate::pricing::placeholder`]), never zero.

use super::execute::Produced;
use super::failure::Failure;
use super::{Shared, lock};
use crate::plan::PlanFamily;
use crate::pricing;
use crate::quota::{FailureCharge, FailureKind, failure_charge};
use crate::request::GenerationRequest;
use crate::storage::{Job, JobState, NewSpend, SpendBasis, Transition};

/// What a job is charged when the server did its work but its outcome is not billed yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Charge {
    /// Requests (`None` only when the table knows no price at all for the modality).
    pub requests: Option<u32>,
    /// [`SpendBasis::Estimate`], or [`SpendBasis::Placeholder`] for an unknown price.
    pub basis: SpendBasis,
}

impl Charge {
    /// The estimate of `request` on `family`'s table, or its placeholder when the table does not price it.
    pub(crate) fn of(request: &GenerationRequest, family: PlanFamily) -> Charge {
        let input = request.cost_input(None);
        match pricing::estimate_for(family, &input).requests() {
            Some(n) => Charge { requests: Some(n), basis: SpendBasis::Estimate },
            None => {
                Charge { requests: pricing::placeholder_for(family, &input), basis: SpendBasis::Placeholder }
            }
        }
    }
}

/// The key of the charge for a job's request: its accepted task, else its `attempt`-th call.
pub(crate) fn charge_key(remote_task_id: Option<&str>, attempt: u32) -> String {
    match remote_task_id {
        Some(task) => format!("task:{task}"),
        None => format!("call:{attempt}"),
    }
}

fn spend(job: &Job, key: String, requests: u32, basis: SpendBasis, units: u64, at_ms: i64) -> NewSpend {
    NewSpend {
        charge_key: Some(key),
        basis,
        job_id: Some(job.id),
        modality: job.modality,
        model: job.model.clone(),
        key_kind: job.key_kind,
        demo: job.demo,
        requests,
        units,
        at_ms,
    }
}

/// The charge written when `job`'s task was accepted (see `Execution::accept_task`); releases the job's
/// in-memory reservation, which the ledger now holds.
pub(crate) fn provisional(shared: &Shared, job: &Job, task_id: &str, charge: &Charge) -> crate::Result<()> {
    if let Some(requests) = charge.requests {
        let row = spend(job, charge_key(Some(task_id), 0), requests, charge.basis, 0, shared.clock.now_ms());
        shared.with_library(|lib| lib.record_spend(&row))?;
    }
    release(shared, job.id);
    Ok(())
}

/// Ends the job as succeeded: its files, its billed charge (replacing a provisional one) and `succeeded`,
/// in one transaction.
pub(crate) fn succeed(
    shared: &Shared,
    job: &Job,
    request: &GenerationRequest,
    attempt: u32,
    produced: Produced,
) -> crate::Result<()> {
    let now = shared.clock.now_ms();
    let family = shared.profile().family;
    let input = request.cost_input(produced.billed_characters);
    let (actual, basis) = match pricing::estimate_for(family, &input).requests() {
        Some(n) => (Some(n), SpendBasis::Billed),
        None => (pricing::placeholder_for(family, &input), SpendBasis::Placeholder),
    };
    let key = charge_key(job.remote_task_id.as_deref(), attempt);
    let row = actual.map(|n| spend(job, key, n, basis, request.units(produced.billed_characters), now));
    let billed = actual.filter(|_| basis == SpendBasis::Billed);
    let done =
        shared.with_library(|lib| lib.complete_job(job.id, &produced.files, row.as_ref(), billed, now));
    match done {
        Ok((with_media, _)) => {
            release(shared, job.id);
            shared.quota_refusals.store(0, std::sync::atomic::Ordering::SeqCst);
            shared.probe_lifted.store(false, std::sync::atomic::Ordering::SeqCst);
            shared.emit(with_media.job);
            Ok(())
        }
        Err(e) => {
            let failure = super::failure::local(
                crate::ipc::IpcErrorKind::Internal,
                format!("Cannot record the result: {e}"),
                FailureKind::DownloadFailed,
            );
            fail(shared, job, attempt, failure, &Charge::of(request, family))
        }
    }
}

/// Ends the job as failed, charging it when the policy says the server did the work.
pub(crate) fn fail(
    shared: &Shared,
    job: &Job,
    attempt: u32,
    failure: Failure,
    charge: &Charge,
) -> crate::Result<()> {
    let now = shared.clock.now_ms();
    if failure.task_dead {
        shared.with_library(|lib| lib.mark_remote_task_dead(job.id))?;
    }
    if failure.refund
        && let Some(task) = job.remote_task_id.as_deref()
    {
        refund_task(shared, job.id, task)?;
    }
    let charged = charge_failure(shared, job, attempt, failure.kind, charge, now)?;
    release(shared, job.id);
    let change = Transition {
        error: Some(failure.error),
        actual_requests: charged,
        ..Transition::to(JobState::Failed, now)
    };
    shared.transition(job.id, &change)?;
    Ok(())
}

/// Ends the job as cancelled: an accepted task runs on at MiniMax and is charged; a call that had left
/// without its answer is charged as an unknown outcome; anything else costs nothing.
pub(crate) fn cancelled(
    shared: &Shared,
    id: i64,
    attempt: u32,
    accepted: bool,
    sent: bool,
    charge: &Charge,
) -> crate::Result<()> {
    let now = shared.clock.now_ms();
    let job = shared.with_library(|lib| lib.job(id))?;
    let kind = match (accepted, sent) {
        (true, _) => FailureKind::CancelledAfterAccept,
        (false, true) => FailureKind::OutcomeUnknown,
        (false, false) => FailureKind::NotSent,
    };
    let charged = charge_failure(shared, &job, attempt, kind, charge, now)?;
    release(shared, id);
    if !job.state.is_finished() {
        let change = Transition { actual_requests: charged, ..Transition::to(JobState::Cancelled, now) };
        shared.transition(id, &change)?;
    }
    Ok(())
}

/// Writes `charge` under the request's key when `kind` is billed; returns what was charged.
pub(crate) fn charge_failure(
    shared: &Shared,
    job: &Job,
    attempt: u32,
    kind: FailureKind,
    charge: &Charge,
    now: i64,
) -> crate::Result<Option<u32>> {
    let (FailureCharge::Estimate, Some(requests)) = (failure_charge(kind), charge.requests) else {
        return Ok(None);
    };
    let basis = match (kind, charge.basis) {
        (_, SpendBasis::Placeholder) => SpendBasis::Placeholder,
        (FailureKind::OutcomeUnknown, _) => SpendBasis::OutcomeUnknown,
        _ => SpendBasis::Estimate,
    };
    let row = spend(job, charge_key(job.remote_task_id.as_deref(), attempt), requests, basis, 0, now);
    shared.with_library(|lib| lib.record_spend(&row))?;
    Ok(Some(requests))
}

/// Takes back the charge of task `task_id` of job `id` (MiniMax cancelled it before it started, which costs
/// nothing): the row under its key becomes zero, so the window no longer counts it.
pub(crate) fn refund_task(shared: &Shared, id: i64, task_id: &str) -> crate::Result<()> {
    let job = shared.with_library(|lib| lib.job(id))?;
    let row = spend(&job, charge_key(Some(task_id), 0), 0, SpendBasis::Billed, 0, shared.clock.now_ms());
    shared.with_library(|lib| lib.record_spend(&row))?;
    Ok(())
}

/// Drops the job's in-memory reservation (the ledger holds what it costs from now on).
pub(crate) fn release(shared: &Shared, id: i64) {
    if let Some(active) = lock(&shared.active).get_mut(&id) {
        active.reserved = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_charged_under_its_id_and_a_call_under_its_attempt() {
        assert_eq!(charge_key(Some("123"), 4), "task:123");
        assert_eq!(charge_key(None, 2), "call:2");
    }

    #[test]
    fn an_unknown_price_is_charged_as_a_placeholder_not_zero() {
        let request: GenerationRequest = serde_json::from_value(serde_json::json!({
            "kind": "video", "model": "MiniMax-Hailuo-2.3", "prompt": "p", "resolution": "1080P", "durationS": 6
        }))
        .unwrap();
        let charge = Charge::of(&request, PlanFamily::TokenPlan);
        assert_eq!(charge, Charge { requests: Some(4_500), basis: SpendBasis::Placeholder });
    }
}

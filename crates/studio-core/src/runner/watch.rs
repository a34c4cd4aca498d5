//! Running one job from its row to its end, and the watcher that starts jobs waiting for quota.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::execute::{Execution, Produced, Stopped};
use super::failure::{self, Failure};
use super::{Active, GenerationRequest, Shared, lock};
use crate::ipc::IpcErrorKind;
use crate::pricing;
use crate::quota::{self, FailureCharge, FailureKind, failure_charge};
use crate::storage::{Job, JobState, KeyKind, NewSpend, Transition};

/// Registers the job as active (so it can be cancelled at once) and runs it on a task.
pub(crate) fn spawn_job(shared: &Arc<Shared>, id: i64) {
    let token = CancellationToken::new();
    {
        let mut active = lock(&shared.active);
        if active.contains_key(&id) {
            return;
        }
        active.insert(id, Active { cancel: token.clone(), reserved: 0 });
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        if let Err(e) = run_job(&shared, id, token).await {
            tracing::error!(job = id, error = %e, "the job could not be recorded");
        }
        lock(&shared.active).remove(&id);
        lock(&shared.taps).remove(&id);
        // A reservation was released or a spend written: waiting jobs may fit now.
        shared.quota_changed.notify_one();
    });
}

async fn run_job(shared: &Shared, id: i64, token: CancellationToken) -> crate::Result<()> {
    let job = shared.with_library(|lib| lib.job(id))?;
    let request: GenerationRequest = match job.params.request() {
        Some(request) => request.clone(),
        None => {
            let failure = failure::local(
                IpcErrorKind::Internal,
                "This generation was not made from a request (a demo item); open it in the composer and submit \
                 a new one.",
                FailureKind::NotSent,
            );
            return fail(shared, &job, failure, None);
        }
    };
    let modality = request.modality();
    // A paused queue holds new work; a stored task is resumed anyway (it is already paid for).
    while job.remote_task_id.is_none() && shared.paused.load(Ordering::SeqCst) {
        let unpaused = shared.unpaused.notified();
        tokio::pin!(unpaused);
        unpaused.as_mut().enable();
        if !shared.paused.load(Ordering::SeqCst) {
            break;
        }
        tokio::select! {
            biased;
            () = token.cancelled() => return cancelled(shared, id, false, None),
            () = unpaused => {}
        }
    }
    let _slot = tokio::select! {
        biased;
        () = token.cancelled() => return cancelled(shared, id, false, None),
        slot = shared.lanes.slot(modality) => slot,
    };
    // Re-read: it may have been cancelled or moved to the other key while it waited for a slot.
    let job = shared.with_library(|lib| lib.job(id))?;
    if job.state != JobState::Queued {
        return Ok(());
    }
    let estimate = job.estimate_requests;
    let resume_task = job.remote_task_id.clone();
    if job.key_kind == KeyKind::Plan && resume_task.is_none() && !fits(shared, estimate)? {
        shared.transition(id, &Transition::to(JobState::WaitingForQuota, shared.clock.now_ms()))?;
        shared.quota_changed.notify_one();
        return Ok(());
    }
    let Some(client) = shared.client(job.key_kind) else {
        let which = match job.key_kind {
            KeyKind::Plan => "No Token Plan key is set: add it in Settings, or try the demo.",
            KeyKind::PayAsYouGo => "No pay-as-you-go key is set: add it in Settings.",
        };
        return fail(
            shared,
            &job,
            failure::local(IpcErrorKind::InvalidApiKey, which, FailureKind::NotSent),
            None,
        );
    };
    if job.key_kind == KeyKind::Plan
        && resume_task.is_none()
        && let Some(active) = lock(&shared.active).get_mut(&id)
    {
        active.reserved = estimate.unwrap_or(0);
    }
    let job = shared.transition(id, &Transition::to(JobState::Running, shared.clock.now_ms()))?;
    if resume_task.is_none() {
        tokio::select! {
            biased;
            () = token.cancelled() => return cancelled(shared, id, false, estimate),
            () = shared.lanes.start_request(modality) => {}
        }
    }
    let tap = lock(&shared.taps).get(&id).cloned();
    let mut execution = Execution { shared, job_id: id, client, token, tap, accepted: false };
    let outcome = execution.run(&request, resume_task, &shared.policy.poll).await;
    match outcome {
        Ok(produced) => succeed(shared, &job, &request, produced),
        Err(Stopped::Cancelled { accepted }) => cancelled(shared, id, accepted, estimate),
        Err(Stopped::Failed(failure)) if failure.quota_exhausted && job.key_kind == KeyKind::Plan => {
            let resets = failure.resets_at_ms.unwrap_or(0);
            shared.server_blocked_until_ms.fetch_max(resets, Ordering::SeqCst);
            let change = Transition {
                error: Some(failure.error),
                ..Transition::to(JobState::WaitingForQuota, shared.clock.now_ms())
            };
            shared.transition(id, &change)?;
            if let Some(active) = lock(&shared.active).get_mut(&id) {
                active.reserved = 0;
            }
            Ok(())
        }
        Err(Stopped::Failed(failure)) => fail(shared, &job, failure, estimate),
    }
}

/// Whether `estimate` plan requests fit the window now (an unknown cost was confirmed by the user).
fn fits(shared: &Shared, estimate: Option<u32>) -> crate::Result<bool> {
    if shared.server_blocked_until_ms.load(Ordering::SeqCst) > shared.clock.now_ms() {
        return Ok(false);
    }
    let Some(needed) = estimate else { return Ok(true) };
    Ok(u64::from(needed) <= shared.window()?.remaining)
}

fn succeed(shared: &Shared, job: &Job, request: &GenerationRequest, produced: Produced) -> crate::Result<()> {
    let now = shared.clock.now_ms();
    let actual = pricing::estimate(&request.cost_input(produced.billed_characters)).requests();
    let spend = actual.map(|requests| NewSpend {
        job_id: Some(job.id),
        modality: job.modality,
        model: job.model.clone(),
        key_kind: job.key_kind,
        demo: job.demo,
        requests,
        units: request.units(produced.billed_characters),
        at_ms: now,
    });
    let done =
        shared.with_library(|lib| lib.complete_job(job.id, &produced.files, spend.as_ref(), actual, now));
    match done {
        Ok((with_media, _)) => {
            release(shared, job.id);
            shared.emit(with_media.job);
            Ok(())
        }
        Err(e) => {
            let failure = failure::local(
                IpcErrorKind::Internal,
                format!("Cannot record the result: {e}"),
                FailureKind::DownloadFailed,
            );
            fail(shared, job, failure, job.estimate_requests)
        }
    }
}

/// Ends the job as failed, charging the estimate when the policy says the server did the work.
fn fail(shared: &Shared, job: &Job, failure: Failure, estimate: Option<u32>) -> crate::Result<()> {
    let now = shared.clock.now_ms();
    let charged = charge(shared, job, failure.kind, estimate, now)?;
    release(shared, job.id);
    let change = Transition {
        error: Some(failure.error),
        actual_requests: charged,
        ..Transition::to(JobState::Failed, now)
    };
    shared.transition(job.id, &change)?;
    Ok(())
}

fn cancelled(shared: &Shared, id: i64, accepted: bool, estimate: Option<u32>) -> crate::Result<()> {
    let now = shared.clock.now_ms();
    let job = shared.with_library(|lib| lib.job(id))?;
    let kind = if accepted { FailureKind::CancelledAfterAccept } else { FailureKind::NotSent };
    let charged = charge(shared, &job, kind, estimate, now)?;
    release(shared, id);
    if !job.state.is_finished() {
        let change = Transition { actual_requests: charged, ..Transition::to(JobState::Cancelled, now) };
        shared.transition(id, &change)?;
    }
    Ok(())
}

/// Writes the estimate to the ledger when `kind` is billed; returns what was charged.
fn charge(
    shared: &Shared,
    job: &Job,
    kind: FailureKind,
    estimate: Option<u32>,
    now: i64,
) -> crate::Result<Option<u32>> {
    let (FailureCharge::Estimate, Some(requests)) = (failure_charge(kind), estimate) else {
        return Ok(None);
    };
    let spend = NewSpend {
        job_id: Some(job.id),
        modality: job.modality,
        model: job.model.clone(),
        key_kind: job.key_kind,
        demo: job.demo,
        requests,
        units: 0,
        at_ms: now,
    };
    shared.with_library(|lib| lib.record_spend(&spend))?;
    Ok(Some(requests))
}

fn release(shared: &Shared, id: i64) {
    if let Some(active) = lock(&shared.active).get_mut(&id) {
        active.reserved = 0;
    }
}

/// Starts waiting jobs, oldest first, as the window frees; sleeps until the next release, a change
/// (spend, settings, a new waiting job) or the re-check interval. Ends when the runner is dropped.
pub(crate) async fn watch_quota(shared: Weak<Shared>) {
    loop {
        let Some(strong) = shared.upgrade() else { return };
        let sleep_for = match release_waiting(&strong) {
            Ok(next) => next,
            Err(e) => {
                tracing::error!(error = %e, "quota watcher");
                strong.policy.quota_recheck
            }
        };
        let wakeup = Arc::clone(&strong.quota_changed);
        let notified = wakeup.notified();
        tokio::pin!(notified);
        // Register interest before dropping the strong reference, so a notify in between is not lost.
        notified.as_mut().enable();
        drop(strong);
        tokio::select! {
            () = notified => {}
            () = tokio::time::sleep(sleep_for) => {}
        }
    }
}

/// Moves the waiting jobs that fit to `queued` and starts them; returns how long to sleep.
fn release_waiting(shared: &Arc<Shared>) -> crate::Result<Duration> {
    let waiting: Vec<Job> = shared
        .with_library(|lib| lib.unfinished_jobs())?
        .into_iter()
        .filter(|j| j.state == JobState::WaitingForQuota)
        .collect();
    let recheck = shared.policy.quota_recheck;
    if waiting.is_empty() {
        return Ok(Duration::from_secs(3600));
    }
    let now = shared.clock.now_ms();
    let blocked_until = shared.server_blocked_until_ms.load(Ordering::SeqCst);
    let mut remaining = shared.window()?.remaining;
    let mut sleep_for = recheck;
    for job in waiting {
        if lock(&shared.active).contains_key(&job.id) {
            continue;
        }
        let needed = match job.key_kind {
            KeyKind::PayAsYouGo => Some(0),
            KeyKind::Plan if blocked_until > now => None,
            KeyKind::Plan => match job.estimate_requests {
                None => Some(0),
                Some(n) if u64::from(n) <= remaining => Some(u64::from(n)),
                Some(_) => None,
            },
        };
        match needed {
            Some(n) => {
                remaining = remaining.saturating_sub(n);
                shared.transition(job.id, &Transition::to(JobState::Queued, now))?;
                spawn_job(shared, job.id);
            }
            None => {
                // Oldest first: a later, cheaper job does not jump the queue.
                let settings = shared.settings();
                let reserved = shared.reserved();
                let when = match job.estimate_requests {
                    Some(n) if blocked_until <= now => shared.with_library(|lib| {
                        lib.plan_requests_available_at(
                            u64::from(settings.quota_per_window()),
                            u64::from(n).saturating_add(reserved),
                            now,
                            quota::WINDOW_MS,
                        )
                    })?,
                    _ => Some(blocked_until),
                };
                if let Some(at) = when {
                    let wait = Duration::from_millis(u64::try_from(at.saturating_sub(now)).unwrap_or(0));
                    sleep_for = sleep_for.min(wait.max(Duration::from_millis(10)));
                }
                break;
            }
        }
    }
    Ok(sleep_for)
}

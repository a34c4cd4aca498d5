//! Running one job from its row to its end, and the watcher that starts jobs waiting for quota.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::execute::{Execution, Stopped};
use super::failure;
use super::settle::{self, Charge};
use super::{Active, Shared, lock};
use crate::ipc::IpcErrorKind;
use crate::quota::FailureKind;
use crate::storage::{Job, JobState, KeyKind, SpendBasis, Transition};

/// Registers the job as active (so it can be cancelled at once) and runs it on a task.
pub(crate) fn spawn_job(shared: &Arc<Shared>, id: i64) {
    let token = CancellationToken::new();
    {
        let mut active = lock(&shared.active);
        if let Some(finishing) = active.get_mut(&id) {
            // A run that has written the job's end but not yet left `active` (a Retry right after a failure):
            // it runs the job again as it leaves. Returning here without that left the job queued forever
            // (found by the fault matrix under load).
            finishing.rerun = true;
            return;
        }
        active.insert(id, Active { cancel: token.clone(), reserved: 0, video: false, rerun: false });
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        if let Err(e) = run_job(&shared, id, token).await {
            tracing::error!(job = id, error = %e, "the job could not be recorded");
        }
        let rerun = lock(&shared.active).remove(&id).is_some_and(|a| a.rerun);
        lock(&shared.taps).remove(&id);
        // A reservation was released or a spend written: waiting jobs may fit now, and the server's count
        // moved (read again, at most every few seconds).
        shared.quota_changed.notify_one();
        shared.server_poke.notify_one();
        if rerun {
            spawn_job(&shared, id);
        }
    });
}

async fn run_job(shared: &Shared, id: i64, token: CancellationToken) -> crate::Result<()> {
    let job = shared.with_library(|lib| lib.job(id))?;
    let Some(request) = job.params.request().cloned() else {
        let failure = failure::local(
            IpcErrorKind::Internal,
            "This generation was not made from a request (a demo item); open it in the composer and submit \
             a new one.",
            FailureKind::NotSent,
        );
        return settle::fail(
            shared,
            &job,
            0,
            failure,
            &Charge { requests: None, basis: SpendBasis::Estimate },
        );
    };
    let charge = Charge::of(&request, shared.profile().family);
    let modality = request.modality();
    let video = modality == crate::modality::Modality::Video;
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
            () = token.cancelled() => return settle::cancelled(shared, id, 0, false, false, &charge),
            () = unpaused => {}
        }
    }
    // Keys still being read (a slow keychain at start): wait for them rather than fail a job, above all one
    // holding a paid task.
    let client = loop {
        let ready = shared.clients_ready.notified();
        tokio::pin!(ready);
        ready.as_mut().enable();
        match shared.clients_loaded() {
            true => break shared.client(job.key_kind),
            false => tokio::select! {
                biased;
                () = token.cancelled() => return settle::cancelled(shared, id, 0, false, false, &charge),
                () = ready => {}
            },
        }
    };
    let _slot = tokio::select! {
        biased;
        () = token.cancelled() => return settle::cancelled(shared, id, 0, false, false, &charge),
        slot = shared.lanes.slot(modality) => slot,
    };
    // Re-read: it may have been cancelled or moved to the other key while it waited for a slot.
    let job = shared.with_library(|lib| lib.job(id))?;
    if job.state != JobState::Queued {
        return Ok(());
    }
    let resume_task = job.remote_task_id.clone();
    if job.key_kind == KeyKind::Plan && resume_task.is_none() && !fits(shared, charge.requests, video)? {
        shared.transition(id, &Transition::to(JobState::WaitingForQuota, shared.clock.now_ms()))?;
        shared.quota_changed.notify_one();
        return Ok(());
    }
    // Read again when missing: the key may have been saved while the job waited for a slot.
    let client = client.or_else(|| shared.client(job.key_kind));
    let Some(client) = client else {
        let which = match job.key_kind {
            KeyKind::Plan => "No Token Plan key is set: add it in Settings, or try the demo.",
            KeyKind::PayAsYouGo => "No pay-as-you-go key is set: add it in Settings.",
        };
        let failure = failure::local(IpcErrorKind::InvalidApiKey, which, FailureKind::NotSent);
        return settle::fail(shared, &job, 0, failure, &charge);
    };
    if job.key_kind == KeyKind::Plan
        && resume_task.is_none()
        && let Some(active) = lock(&shared.active).get_mut(&id)
    {
        active.reserved = charge.requests.unwrap_or(0);
        active.video = video;
    }
    let now = shared.clock.now_ms();
    // A new create counts as an attempt in the same write that makes the job `running` (a synchronous
    // call's charge is keyed by it, and a crash during the call leaves it counted).
    let attempt = match resume_task {
        Some(_) => {
            shared.transition(id, &Transition::to(JobState::Running, now))?;
            shared.with_library(|lib| lib.job_run_state(id))?.attempts
        }
        None => {
            let (job, attempt) = shared.with_library(|lib| lib.begin_attempt(id, now))?;
            shared.emit(job);
            attempt
        }
    };
    if resume_task.is_none() {
        tokio::select! {
            biased;
            () = token.cancelled() => return settle::cancelled(shared, id, attempt, false, false, &charge),
            () = shared.lanes.start_request(modality) => {}
        }
    }
    let tap = lock(&shared.taps).get(&id).cloned();
    let mut execution = Execution {
        shared,
        job_id: id,
        client,
        token,
        tap,
        accepted: false,
        sent: std::sync::atomic::AtomicBool::new(false),
        provisional: charge,
    };
    let outcome = execution.run(&request, resume_task, &shared.policy.poll).await;
    // The job as it is now (a task id may have been stored during the run).
    let job = shared.with_library(|lib| lib.job(id))?;
    learn_from(shared, &job, &request, &outcome);
    match outcome {
        Ok(produced) => settle::succeed(shared, &job, &request, attempt, produced),
        Err(Stopped::Cancelled { accepted, sent }) => {
            settle::cancelled(shared, id, attempt, accepted, sent, &charge)
        }
        Err(Stopped::Failed(failure)) if failure.quota_exhausted && job.key_kind == KeyKind::Plan => {
            let until = quota_block_until(shared, failure.resets_at_ms);
            shared.server_blocked_until_ms.fetch_max(until, Ordering::SeqCst);
            let change = Transition {
                error: Some(failure.error),
                ..Transition::to(JobState::WaitingForQuota, shared.clock.now_ms())
            };
            shared.transition(id, &change)?;
            settle::release(shared, id);
            Ok(())
        }
        Err(Stopped::Failed(failure)) => settle::fail(shared, &job, attempt, failure, &charge),
    }
}

/// What a job's end says about what the plan key may use: a "not in plan" answer (2061, or a 2013 saying the
/// plan does not cover the model) marks the model — music and lyrics as one — unavailable; a music or lyrics
/// success marks music available.
fn learn_from(
    shared: &Shared,
    job: &Job,
    request: &crate::request::GenerationRequest,
    outcome: &Result<super::execute::Produced, Stopped>,
) {
    if job.key_kind != KeyKind::Plan {
        return;
    }
    let music = matches!(job.modality, crate::modality::Modality::Music | crate::modality::Modality::Lyrics);
    let subject = if music { crate::storage::MUSIC_SUBJECT } else { request.model() };
    match outcome {
        Ok(_) if music && !matches!(shared.music_access(), super::MusicAccess::Available) => {
            shared.learn(subject, true, None);
        }
        Err(Stopped::Failed(failure)) if failure.not_in_plan => {
            shared.learn(subject, false, Some(failure.error.message.clone()));
        }
        _ => {}
    }
}

/// The longest a reset time from the server is believed: a weekly window at most. A later one is a
/// misread or a broken clock, and waiting past it would park the job for no reason.
const LONGEST_BELIEVED_RESET_MS: i64 = 7 * 24 * 3_600_000;

/// How long plan jobs wait after a quota refusal (2056): until the reset the server named (capped), or, when
/// it named none (the mainland wording), a backoff that grows with each refusal in a row — 1, 2, 4 … 30
/// minutes — so a refused job is never sent again in a loop. The quota watcher also asks `/remains`
/// meanwhile and lifts the block as soon as the server shows room — unless the block it lifted last was
/// refused again at once: then `/remains` shows room the server does not give (the fault matrix found 60
/// resends in 1.5 s), and only the backoff lifts this block.
fn quota_block_until(shared: &Shared, resets_at_ms: Option<i64>) -> i64 {
    let now = shared.clock.now_ms();
    shared.refused_at_ms.store(now, Ordering::SeqCst);
    let refusals = shared.quota_refusals.fetch_add(1, Ordering::SeqCst);
    let misled = shared.probe_lifted.swap(false, Ordering::SeqCst);
    match resets_at_ms {
        Some(at) if at > now => at.min(now + LONGEST_BELIEVED_RESET_MS),
        _ => {
            let backoff = 60_000_i64.saturating_mul(1 << refusals.min(5)).min(30 * 60_000);
            shared.blocked_without_reset.store(!misled, Ordering::SeqCst);
            now + backoff
        }
    }
}

/// Whether `estimate` plan requests fit every window they draw on now (a placeholder stands in for an
/// unknown price; video draws on the windows that meter it).
fn fits(shared: &Shared, estimate: Option<u32>, video: bool) -> crate::Result<bool> {
    if shared.server_blocked_until_ms.load(Ordering::SeqCst) > shared.clock.now_ms() {
        return Ok(false);
    }
    let Some(needed) = estimate else { return Ok(true) };
    Ok(shared.quota_view()?.gate(u64::from(needed), video).fits)
}

/// Starts waiting jobs, oldest first, as the window frees; sleeps until the next release, a change
/// (spend, settings, a new waiting job) or the re-check interval. Ends when the runner is dropped.
pub(crate) async fn watch_quota(shared: Weak<Shared>) {
    // Orphaned jobs (their process died) are looked for at this pace: a heartbeat lapses in 30 s.
    const ADOPT_EVERY: Duration = Duration::from_secs(15);
    let mut adopted_at = tokio::time::Instant::now();
    loop {
        let Some(strong) = shared.upgrade() else { return };
        if adopted_at.elapsed() >= ADOPT_EVERY {
            adopted_at = tokio::time::Instant::now();
            if let Err(e) = super::lifecycle::adopt_and_resume(&strong) {
                tracing::warn!(error = %e, "cannot adopt the jobs of a stopped process");
            }
        }
        super::lifecycle::probe_refusal(&strong).await;
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
            () = tokio::time::sleep(sleep_for.min(ADOPT_EVERY)) => {}
        }
    }
}

/// Moves the waiting jobs that fit to `queued` and starts them; returns how long to sleep.
pub(crate) fn release_waiting(shared: &Arc<Shared>) -> crate::Result<Duration> {
    // Only this runner's jobs: another live process's waiting jobs are its own to start.
    let waiting: Vec<Job> = shared.with_library(|lib| lib.waiting_jobs_of(&shared.runner_id))?;
    let recheck = shared.policy.quota_recheck;
    if waiting.is_empty() {
        return Ok(Duration::from_secs(3600));
    }
    let now = shared.clock.now_ms();
    let blocked_until = shared.server_blocked_until_ms.load(Ordering::SeqCst);
    let mut view = shared.quota_view()?;
    let family = view.profile.family;
    let mut sleep_for = recheck;
    for job in waiting {
        if lock(&shared.active).contains_key(&job.id) {
            continue;
        }
        // An unknown price waits like any other, at its placeholder.
        let cost = job.params.request().map(|r| Charge::of(r, family)).and_then(|c| c.requests);
        let video = job.modality == crate::modality::Modality::Video;
        let needed = match job.key_kind {
            KeyKind::PayAsYouGo => Some(0),
            KeyKind::Plan if blocked_until > now => None,
            KeyKind::Plan => match cost {
                None => Some(0),
                Some(n) if view.gate(u64::from(n), video).fits => Some(u64::from(n)),
                Some(_) => None,
            },
        };
        match needed {
            Some(n) => {
                // The watcher and a resume may release the same job at once: the one whose move to `queued`
                // lands starts it, the other finds it moved and leaves it.
                match shared.transition(job.id, &Transition::to(JobState::Queued, now)) {
                    Ok(_) => {
                        view.spend(n, video);
                        spawn_job(shared, job.id);
                    }
                    Err(crate::CoreError::InvalidTransition { .. }) => continue,
                    Err(other) => return Err(other),
                }
            }
            None => {
                // Oldest first: a later, cheaper job does not jump the queue.
                let when = match (cost, job.params.request()) {
                    (Some(_), Some(request)) if blocked_until <= now => {
                        shared.estimate(request)?.enough_at_ms
                    }
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

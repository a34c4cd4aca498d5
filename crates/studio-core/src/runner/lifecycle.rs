//! A runner among other processes: its heartbeat, adopting the jobs a dead process left, resuming them
//! without paying twice, and asking the server whether a quota refusal without a reset time has passed.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::settle::{self, Charge};
use super::{Clock, Shared, SystemClock, lock, watch};
use crate::ipc::IpcErrorKind;
use crate::quota::FailureKind;
use crate::storage::runners::HEARTBEAT_MS;
use crate::storage::{Job, JobError, JobState, KeyKind, Transition};

/// Wall-clock time for liveness: it is compared across processes, so never a test's manual clock.
pub(crate) fn wall_now() -> i64 {
    SystemClock.now_ms()
}

/// Writes the runner's heartbeat every [`HEARTBEAT_MS`] until the runner is dropped.
pub(crate) async fn beat(shared: Weak<Shared>) {
    let every = Duration::from_millis(u64::try_from(HEARTBEAT_MS).unwrap_or(5_000));
    loop {
        tokio::time::sleep(every).await;
        let Some(strong) = shared.upgrade() else { return };
        if let Err(e) = strong.with_library(|lib| lib.heartbeat(&strong.runner_id, wall_now())) {
            tracing::warn!(error = %e, "cannot write the runner's heartbeat");
        }
    }
}

/// Adopts the unfinished jobs no live process runs and picks them up (see [`resume`]). A runner whose process
/// is gone (killed, crashed) is retired first, so its jobs are adopted at once rather than when its heartbeat
/// lapses; where a process cannot be looked up, the heartbeat decides.
pub(crate) fn adopt_and_resume(shared: &Arc<Shared>) -> crate::Result<Vec<Job>> {
    retire_dead_runners(shared)?;
    let adopted = shared.with_library(|lib| lib.adopt_orphaned_jobs(&shared.runner_id, wall_now()))?;
    if !adopted.is_empty() {
        tracing::info!(count = adopted.len(), "adopted jobs a stopped process left");
    }
    resume(shared, adopted)
}

/// Retires the runners whose process is gone (killed, crashed) though their heartbeat is still fresh, so
/// their jobs can be adopted or retried at once; where a process cannot be looked up, the heartbeat decides.
pub(crate) fn retire_dead_runners(shared: &Shared) -> crate::Result<()> {
    let beating = shared.with_library(|lib| lib.beating_runners(wall_now()))?;
    for (id, pid) in beating {
        if id != shared.runner_id && !process_alive(pid) {
            tracing::info!(runner = %id, pid, "the process that ran these jobs is gone");
            shared.with_library(|lib| lib.retire_runner(&id))?;
        }
    }
    Ok(())
}

/// Removes the temporary files a stopped process left for job `id` (a download cut by a kill). Called only
/// for jobs no live process runs, so no writer is using them.
fn remove_leftover_temp_files(shared: &Shared, id: i64) {
    let dir = shared.root.join(crate::storage::MEDIA_DIR);
    let prefix = format!("{}{id}-", crate::storage::media::TEMP_PREFIX);
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(|name| name.starts_with(&prefix))
            && let Err(e) = std::fs::remove_file(entry.path())
        {
            tracing::warn!(path = %entry.path().display(), error = %e, "cannot remove a leftover temporary file");
        }
    }
}

/// Picks up jobs this runner now owns that no task of it runs: those with a task id resume polling (never a
/// second create), queued ones run, waiting ones wait, and those cut during a synchronous call become
/// `interrupted` with a retry — charged as an unknown outcome when the call may have left, because MiniMax
/// may have run (and billed) it.
pub(crate) fn resume(shared: &Arc<Shared>, jobs: Vec<Job>) -> crate::Result<Vec<Job>> {
    let now = shared.clock.now_ms();
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        if lock(&shared.active).contains_key(&job.id) {
            out.push(job);
            continue;
        }
        // The process that ran it is gone: what it was writing will never be finished (the fault matrix
        // found a killed download's partial file left for good).
        remove_leftover_temp_files(shared, job.id);
        let job = match job.state {
            JobState::Queued => {
                watch::spawn_job(shared, job.id);
                job
            }
            JobState::Running | JobState::Downloading if job.remote_task_id.is_some() => {
                let job = shared.transition(job.id, &Transition::to(JobState::Interrupted, now))?;
                let job = shared.transition(job.id, &Transition::to(JobState::Queued, now))?;
                watch::spawn_job(shared, job.id);
                job
            }
            JobState::Running | JobState::Downloading => interrupt_call(shared, &job, now)?,
            _ => job,
        };
        out.push(job);
    }
    // Waiting jobs whose wait is over start now, before the caller looks at them: `tokenplan resume` took an
    // adopted job still marked waiting for a quota wait and exited with `quotaExhausted … frees in <1 min`
    // (the fault matrix), while its watcher was about to send it.
    if out.iter().any(|j| j.state == JobState::WaitingForQuota) {
        watch::release_waiting(shared)?;
    }
    shared.quota_changed.notify_one();
    Ok(out)
}

/// A synchronous call cut by a crash: `running` means it may have been sent and run (an unknown outcome),
/// `downloading` that the server answered and the result was being saved (the work was done). Both are
/// charged under the call's key; a retry sends a new call.
fn interrupt_call(shared: &Arc<Shared>, job: &Job, now: i64) -> crate::Result<Job> {
    let attempt = shared.with_library(|lib| lib.job_run_state(job.id))?.attempts;
    let family = shared.profile().family;
    let charge = job.params.request().map(|r| Charge::of(r, family));
    let kind = if job.state == JobState::Downloading {
        FailureKind::DownloadFailed
    } else {
        FailureKind::OutcomeUnknown
    };
    let charged = match (attempt, charge) {
        (1.., Some(charge)) => settle::charge_failure(shared, job, attempt, kind, &charge, now)?,
        _ => None,
    };
    let message = match charged {
        Some(n) => format!(
            "The app stopped while this job was being sent or saved; it may have run at MiniMax, so its \
             estimate ({n} requests) is counted. Retry sends it again."
        ),
        None => "The app stopped while this job was being sent or saved. Retry sends it again.".to_owned(),
    };
    let change = Transition {
        error: Some(JobError { kind: IpcErrorKind::Network, message, trace_id: None }),
        actual_requests: charged,
        ..Transition::to(JobState::Interrupted, now)
    };
    shared.transition(job.id, &change)
}

/// Whether process `pid` runs (Linux: `/proc`, a zombie counting as gone). Elsewhere it is assumed alive and
/// the heartbeat decides.
fn process_alive(pid: i64) -> bool {
    if !cfg!(target_os = "linux") || pid == i64::from(std::process::id()) {
        return true;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name, which may itself hold spaces and parentheses.
        Ok(stat) => stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next()) != Some("Z"),
        Err(_) => false,
    }
}

/// How long a quota refusal outranks a `/remains` that shows room: the server's count lags its own refusals
/// (and other tools on the same key spend meanwhile), so a job refused a moment ago is not sent again on the
/// strength of a count read right after — the command line would otherwise resend at once instead of saying
/// it waits.
const REFUSAL_OUTRANKS_COUNT_MS: i64 = 20_000;

/// While plan jobs wait after a quota refusal that named no reset, asks the server whether its window has
/// room again and lifts the block if so (the backoff lifts it anyway when it elapses).
pub(crate) async fn probe_refusal(shared: &Arc<Shared>) {
    let now = shared.clock.now_ms();
    if !shared.blocked_without_reset.load(Ordering::SeqCst)
        || shared.server_blocked_until_ms.load(Ordering::SeqCst) <= now
        || now - shared.refused_at_ms.load(Ordering::SeqCst) < REFUSAL_OUTRANKS_COUNT_MS
    {
        return;
    }
    let Some(client) = shared.client(KeyKind::Plan) else { return };
    match client.plan().remains().await {
        Ok(remains) if has_room(&remains) => {
            tracing::info!("the server's quota window has room again; waiting jobs may start");
            shared.blocked_without_reset.store(false, Ordering::SeqCst);
            shared.probe_lifted.store(true, Ordering::SeqCst);
            shared.server_blocked_until_ms.store(0, Ordering::SeqCst);
            shared.quota_changed.notify_one();
        }
        Ok(_) => {}
        Err(e) => tracing::debug!(error = %e, "cannot ask the server for its quota"),
    }
}

/// Whether a `/remains` answer shows room: no bucket exhausted (status 2 or 0 % left). Counts are not
/// trusted on their own (their meaning has flipped between API versions).
fn has_room(remains: &minimax_api::plan::PlanRemains) -> bool {
    !remains.model_remains.is_empty()
        && remains.model_remains.iter().all(|row| {
            row.current_interval_status != Some(2)
                && row.current_interval_remaining_percent.is_none_or(|p| p > 0.0)
        })
}

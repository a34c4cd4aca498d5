// The job list the Jobs screen and every composer's results read: newest first, one entry per job, each
// replaced whole when a `job-updated` event carries a newer copy.
import type { Job } from '$lib/bindings/Job';
import type { JobState } from '$lib/bindings/JobState';

/** Newest first: by creation time, then id (the library's keyset order). */
export function newerFirst(a: Job, b: Job): number {
  return b.createdAtMs - a.createdAtMs || b.id - a.id;
}

/** `jobs` with `job` inserted or replaced (an older copy than the one held is ignored). */
export function upsertJob(jobs: readonly Job[], job: Job): Job[] {
  const at = jobs.findIndex((j) => j.id === job.id);
  if (at >= 0) {
    if (jobs[at]!.updatedAtMs > job.updatedAtMs) return jobs as Job[];
    const next = jobs.slice();
    next[at] = job;
    return next;
  }
  return [...jobs, job].sort(newerFirst);
}

/** States where a job is still on its way. */
export const ACTIVE_STATES: readonly JobState[] = ['queued', 'waitingForQuota', 'running', 'downloading'];

export function isActive(job: Job): boolean {
  return ACTIVE_STATES.includes(job.state);
}

/** Jobs that may be retried. */
export function canRetry(job: Job): boolean {
  return job.state === 'failed' || job.state === 'cancelled' || job.state === 'interrupted';
}

/** Jobs that may be cancelled. */
export function canCancel(job: Job): boolean {
  return isActive(job);
}

/** Running time so far (or in total, once finished). */
export function elapsedMs(job: Job, nowMs: number): number {
  return (job.finishedAtMs ?? (isActive(job) ? nowMs : job.updatedAtMs)) - job.createdAtMs;
}

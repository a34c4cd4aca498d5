import { describe, expect, it } from 'vitest';
import type { Job } from '$lib/bindings/Job';
import { canCancel, canRetry, elapsedMs, upsertJob } from './jobs-list';
import { charCount, excerpt, formatDuration } from './format';

function job(id: number, createdAtMs: number, patch: Partial<Job> = {}): Job {
  return {
    id,
    modality: 'image',
    model: 'image-01',
    params: { seeded: true },
    prompt: 'p',
    state: 'queued',
    keyKind: 'plan',
    demo: false,
    createdAtMs,
    updatedAtMs: createdAtMs,
    ...patch,
  };
}

describe('job list', () => {
  it('keeps one entry per job, newest first, and ignores stale copies', () => {
    let list = upsertJob([], job(1, 100));
    list = upsertJob(list, job(2, 200));
    expect(list.map((j) => j.id)).toEqual([2, 1]);
    list = upsertJob(list, job(1, 100, { state: 'running', updatedAtMs: 150 }));
    expect(list.find((j) => j.id === 1)?.state).toBe('running');
    list = upsertJob(list, job(1, 100, { state: 'queued', updatedAtMs: 120 }));
    expect(list.find((j) => j.id === 1)?.state).toBe('running');
    expect(list).toHaveLength(2);
  });

  it('offers the actions a state allows and counts elapsed time', () => {
    expect(canCancel(job(1, 0, { state: 'waitingForQuota' }))).toBe(true);
    expect(canRetry(job(1, 0, { state: 'interrupted' }))).toBe(true);
    expect(canRetry(job(1, 0, { state: 'succeeded' }))).toBe(false);
    expect(elapsedMs(job(1, 1_000, { state: 'running' }), 4_000)).toBe(3_000);
    expect(elapsedMs(job(1, 1_000, { state: 'succeeded', finishedAtMs: 2_500 }), 9_000)).toBe(1_500);
  });
});

describe('format', () => {
  it('durations, excerpts and code-point counts', () => {
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(-5)).toBe('0:00');
    expect(excerpt('a  b\nc', 10)).toBe('a b c');
    expect(excerpt('abcdefghij', 5)).toBe('abcd…');
    expect(charCount('你好🙂')).toBe(3);
  });
});

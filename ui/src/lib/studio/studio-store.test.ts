import { waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import { FakeBackend } from '../../test/fake-backend';
import { StudioStore, requestKey } from './studio-store.svelte';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

async function started(setup: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend();
  setup(backend);
  const studio = new StudioStore();
  stops.push(studio.start());
  await waitFor(() => expect(studio.keys).not.toBeNull());
  return { backend, studio };
}

const one: GenerationRequest = { kind: 'image', model: 'image-01', prompt: 'A fox', count: 1, promptOptimizer: false };
const four: GenerationRequest = { ...one, count: 4 };
const estimates = (backend: FakeBackend) => backend.calls.filter((c) => c.command === 'estimate_cost').length;

describe('submit', () => {
  it('goes by a shown estimate only when it was made for the request submitted', async () => {
    const { backend, studio } = await started();
    const shown = { key: requestKey(one), estimate: backend.estimate(one) };

    const before = estimates(backend);
    const same = await studio.submit(one, { shown });
    expect(same).toMatchObject({ kind: 'sent', costed: shown });
    expect(estimates(backend)).toBe(before);

    const other = await studio.submit(four, { shown });
    expect(estimates(backend)).toBe(before + 1);
    expect(other.costed?.estimate.cost).toEqual({ kind: 'requests', value: 300 });
    expect(studio.jobs).toHaveLength(2);
  });

  it('asks before a request over budget, and sends it on the key chosen', async () => {
    const { backend, studio } = await started((b) => (b.window = { ...b.window, used: 4450, remaining: 50 }));
    const outcome = await studio.submit(four);
    expect(outcome.kind).toBe('ask');
    if (outcome.kind !== 'ask') return;
    expect(outcome.question.kind).toBe('overBudget');
    expect(backend.calls.some((c) => c.command === 'submit_job')).toBe(false);
    const sent = await outcome.question.run('payAsYouGo');
    expect(sent.kind).toBe('sent');
    expect(backend.calls.find((c) => c.command === 'submit_job')?.args).toMatchObject({ keyKind: 'payAsYouGo', request: four });
  });

  it('confirms a request that fits only when asked to', async () => {
    const { studio } = await started();
    const outcome = await studio.submit(one, { confirmFits: true });
    expect(outcome.kind === 'ask' && outcome.question.kind).toBe('fits');
  });

  it('turns a failed estimate or send into an error, never a throw', async () => {
    const { backend, studio } = await started();
    backend.failNext('estimate_cost', { kind: 'internal', message: 'no price table' });
    expect(await studio.submit(one)).toEqual({ kind: 'failed', error: { kind: 'internal', message: 'no price table' }, costed: null });
    backend.failNext('submit_job', 'the database is locked');
    expect(await studio.submit(one)).toMatchObject({ kind: 'failed', error: { message: 'the database is locked' } });
  });
});

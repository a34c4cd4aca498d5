import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import { StudioStore, studioContext } from '$lib/studio/studio-store.svelte';
import { FakeBackend } from '../../test/fake-backend';
import RerunDialog from './RerunDialog.svelte';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

const image: GenerationRequest = { kind: 'image', model: 'image-01', prompt: 'A lighthouse', count: 2, promptOptimizer: false };

async function renderRerun(request: GenerationRequest, setup: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend();
  backend.keys.plan = { storage: 'file', keyType: 'tokenPlan' };
  setup(backend);
  const studio = new StudioStore();
  stops.push(studio.start());
  await waitFor(() => expect(studio.keys).not.toBeNull());
  const onclose = vi.fn();
  const onstarted = vi.fn();
  const view = render(RerunDialog, { props: { request, onclose, onstarted }, context: studioContext(studio) });
  return { backend, view, studio, onclose, onstarted };
}

const submits = (backend: FakeBackend) => backend.calls.filter((c) => c.command === 'submit_job');

describe('re-running a Library item', () => {
  it('confirms the cost of a request that fits, then sends the stored request', async () => {
    const { backend, view, studio, onstarted } = await renderRerun(image);
    await waitFor(() => expect(view.getByTestId('rerun-dialog').textContent).toContain('The same request costs 150 requests.'));
    expect(submits(backend)).toHaveLength(0);
    await fireEvent.click(view.getByTestId('rerun-confirm'));
    await waitFor(() => expect(onstarted).toHaveBeenCalledOnce());
    expect(submits(backend)[0]!.args).toMatchObject({ keyKind: 'plan', request: image });
    expect(studio.jobs.map((j) => j.id)).toEqual([onstarted.mock.calls[0]![0].id]);
  });

  it('over budget: the same three paths as a composer', async () => {
    const over = (b: FakeBackend) => {
      b.window = { ...b.window, used: 4450, remaining: 50 };
      b.keys.payAsYouGo = { storage: 'file', keyType: 'payAsYouGo' };
    };
    const queued = await renderRerun(image, over);
    await queued.view.findByTestId('over-budget-dialog');
    expect(queued.view.queryByTestId('rerun-dialog')).toBeNull();
    await fireEvent.click(queued.view.getByTestId('over-budget-queue'));
    await waitFor(() => expect(queued.onstarted).toHaveBeenCalledOnce());
    expect(submits(queued.backend)[0]!.args!.keyKind).toBe('plan');
    queued.view.unmount();

    const payg = await renderRerun(image, over);
    await fireEvent.click(await payg.view.findByTestId('over-budget-payg'));
    await waitFor(() => expect(payg.onstarted).toHaveBeenCalledOnce());
    expect(submits(payg.backend)[0]!.args!.keyKind).toBe('payAsYouGo');
    payg.view.unmount();

    const cancelled = await renderRerun(image, over);
    await fireEvent.click(await cancelled.view.findByTestId('over-budget-cancel'));
    expect(cancelled.onclose).toHaveBeenCalledOnce();
    expect(submits(cancelled.backend)).toHaveLength(0);
  });

  it('an unknown cost needs an explicit confirmation', async () => {
    const video: GenerationRequest = { kind: 'video', model: 'MiniMax-Hailuo-2.3', prompt: 'A boat', resolution: '1080P', durationS: 6 };
    const { backend, view, onstarted } = await renderRerun(video);
    await view.findByTestId('unknown-cost-dialog');
    expect(submits(backend)).toHaveLength(0);
    await fireEvent.click(view.getByTestId('unknown-cost-confirm'));
    await waitFor(() => expect(onstarted).toHaveBeenCalledOnce());
    expect(submits(backend)[0]!.args).toMatchObject({ keyKind: 'plan', request: video });
  });

  it('says why it could not be sent', async () => {
    const { backend, view, onstarted } = await renderRerun(image, (b) =>
      b.failNext('submit_job', { kind: 'internal', message: 'the database is locked' }),
    );
    await waitFor(() => expect(view.getByTestId('rerun-confirm').hasAttribute('disabled')).toBe(false));
    await fireEvent.click(view.getByTestId('rerun-confirm'));
    expect((await view.findByTestId('rerun-error')).textContent).toBe('the database is locked');
    // Tried again from the same dialog.
    await fireEvent.click(view.getByTestId('rerun-confirm'));
    await waitFor(() => expect(onstarted).toHaveBeenCalledOnce());
    expect(submits(backend)).toHaveLength(2);
  });
});

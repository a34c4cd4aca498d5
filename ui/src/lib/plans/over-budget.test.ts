// The questions asked before a spend the window cannot hold (issue 17), in both units: requests on the Token
// Plan; on the M Plan a share of the named window — the cost always marked as an estimate, what is left
// marked when the app converted it, and video bound to the weekly window.
import { render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Estimate } from '$lib/bindings/Estimate';
import type { FilmStagePlan } from '$lib/bindings/FilmStagePlan';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { QuotaView } from '$lib/bindings/QuotaView';
import { StudioStore, studioContext, type CostQuestion } from '$lib/studio/studio-store.svelte';
import { FakeBackend } from '../../test/fake-backend';
import { mPlanView } from '../../test/quota-views';
import CostDialog from '../../features/composer/CostDialog.svelte';
import StageCostDialog from '../../features/film/StageCostDialog.svelte';
import AuditionCostDialog from '../../features/voices/AuditionCostDialog.svelte';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

async function studioWith(view: QuotaView | null) {
  const backend = new FakeBackend();
  backend.window = { ...backend.window, used: 4450, remaining: 50 };
  if (view) backend.quotaView = view;
  const studio = new StudioStore();
  stops.push(studio.start());
  await waitFor(() => expect(studio.plans.view).not.toBeNull());
  return new Map(studioContext(studio));
}

const now = Date.now();
const window = { nowMs: now, windowMs: 18_000_000, quota: 4500, used: 4450, remaining: 50, nextReleaseRequests: 0 };

function question(estimate: Partial<Estimate>, video = false): CostQuestion {
  return {
    kind: 'overBudget',
    estimate: {
      cost: { kind: 'requests', value: 188 },
      window,
      windowName: '5h',
      unit: 'requests',
      estimated: false,
      fitsNow: false,
      enoughAtMs: now + 3_600_000,
      creditsAfter: true,
      ...estimate,
    },
    video,
    run: () => Promise.resolve({ kind: 'failed', error: { kind: 'internal', message: 'unused' } }),
  };
}

/** An M Plan view whose weekly window is nearly used up (MiniMax's own figure). */
function weeklyTight(): QuotaView {
  const view = mPlanView();
  view.rows[1] = { ...view.rows[1]!, used: 9_800, remaining: 200, usedPercent: 98, remainingPercent: 2 };
  return view;
}

describe('the over-budget dialog', () => {
  it('speaks requests on the Token Plan', async () => {
    const context = await studioWith(null);
    const view = render(CostDialog, { props: { question: question({}), onanswer: () => {} }, context });
    const body = view.getByTestId('over-budget-body');
    expect(body.dataset.unit).toBe('requests');
    expect(body.textContent).toContain('This needs 188 requests and 50 remain in the window.');
    expect(body.textContent).not.toContain('%');
  });

  it('speaks percent of the 5-hour window on the M Plan, both figures marked as estimates', async () => {
    const context = await studioWith(mPlanView());
    const estimate = { unit: 'percent' as const, costPercent: 30, remainingPercent: 25.6, estimated: true };
    const view = render(CostDialog, { props: { question: question(estimate), onanswer: () => {} }, context });
    const body = view.getByTestId('over-budget-body');
    expect(body.dataset.unit).toBe('percent');
    expect(body.textContent).toContain('This needs ≈30% of the 5-hour window and ≈25% of it is left (estimates).');
    expect(body.textContent).not.toContain('request');
  });

  it('names the weekly window for a video, and marks only the cost when MiniMax gave what is left', async () => {
    const context = await studioWith(mPlanView());
    const estimate = {
      unit: 'percent' as const,
      windowName: 'weekly' as const,
      costPercent: 45,
      remainingPercent: 40,
      estimated: true,
      enoughAtMs: undefined,
    };
    const view = render(CostDialog, { props: { question: question(estimate, true), onanswer: () => {} }, context });
    const text = view.getByTestId('over-budget-body').textContent ?? '';
    expect(text).toContain('This needs ≈45% of the weekly window (an estimate) and 40% of it is left.');
    expect(text).toContain('It is more than the whole weekly window.');
    expect(text).toContain('On the M Plan, video counts only against the weekly window.');
    expect(view.queryByTestId('over-budget-queue')).toBeNull();
  });
});

function stagePlan(kind: 'video' | 'image', totalRequests: number): FilmStagePlan {
  const request = { kind, model: 'MiniMax-H3', prompt: 'a boat' } as unknown as GenerationRequest;
  return {
    jobs: [{ stage: 'clips', slot: 'clip', label: { kind: 'shotClip', shot: 1 }, request, files: 1 } as unknown as FilmStagePlan['jobs'][number]],
    totalRequests,
    unknown: 0,
    windowsNeeded: 1,
  };
}

describe('the film stage question', () => {
  it('words a stage of clips as a share of the weekly window on the M Plan', async () => {
    const context = await studioWith(weeklyTight());
    const view = render(StageCostDialog, { props: { plan: stagePlan('video', 700), label: 'Clips', onanswer: () => {} }, context });
    const text = view.getByTestId('stage-cost-body').textContent ?? '';
    expect(text).toContain('This needs ≈7.0% of the weekly window (an estimate) and 2% of it is left.');
    expect(text).toContain('video counts only against the weekly window');
    expect(view.getByTestId('stage-cost-queue').textContent).toContain('Queue on my plan');
  });

  it('keeps requests on the Token Plan', async () => {
    const context = await studioWith(null);
    const view = render(StageCostDialog, { props: { plan: stagePlan('video', 700), label: 'Clips', onanswer: () => {} }, context });
    expect(view.getByTestId('stage-cost-body').textContent).toContain('This needs 700 requests; the window has 50 left.');
  });
});

describe('the audition question', () => {
  it('words an audition that fits as a share of the tighter window on the M Plan', async () => {
    const context = await studioWith(mPlanView());
    const quote = { takes: [], totalRequests: 300, unknown: true, remaining: 7_500 };
    const view = render(AuditionCostDialog, { props: { quote, onanswer: () => {} }, context });
    expect(view.getByTestId('audition-cost-body').textContent).toContain('This needs ≈3.0% of the weekly window (an estimate).');
  });

  it('keeps requests on the Token Plan', async () => {
    const context = await studioWith(null);
    const quote = { takes: [], totalRequests: 300, unknown: false, remaining: 50 };
    const view = render(AuditionCostDialog, { props: { quote, onanswer: () => {} }, context });
    expect(view.getByTestId('audition-cost-body').textContent).toContain('This audition needs 300 requests and 50 remain');
  });
});

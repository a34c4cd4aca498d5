import { describe, expect, it } from 'vitest';
import type { FilmBudget } from '$lib/bindings/FilmBudget';
import type { FilmStagePlan } from '$lib/bindings/FilmStagePlan';
import type { JobProblem } from '$lib/bindings/JobProblem';
import type { WindowSummary } from '$lib/bindings/WindowSummary';
import { budgetView, stageChip } from './budget-view';

const clock = (at: number) => `@${at}`;
const draftClips = { kind: 'draftClips' as const, count: 10, model: 'MiniMax-Hailuo-02', resolution: '512P' };
const budget = (fields: Partial<FilmBudget> = {}): FilmBudget => ({
  stages: [
    { stage: 'keyframes', requests: 0, jobs: 0, unknown: 0, paid: 750 },
    { stage: 'lines', requests: 0, jobs: 0, unknown: 0, paid: 1260 },
    { stage: 'clips', requests: 45_000, jobs: 10, unknown: 0, paid: 0 },
    { stage: 'music', requests: 3000, jobs: 1, unknown: 0, paid: 0 },
  ],
  totalRequests: 48_000,
  paidRequests: 2010,
  windowsNeeded: 10,
  finishesAtMs: 1_000,
  unknown: [],
  needsPayAsYouGo: [],
  blocked: [],
  cheaper: { totalRequests: 16_700, changes: [draftClips], savingPercent: 63 },
  ...fields,
});

describe('the budget panel', () => {
  it('marks paid stages, totals what is left, and says when it would be done', () => {
    const view = budgetView(budget(), clock);
    expect(view.rows.map((r) => [r.stage, r.done])).toEqual([
      ['keyframes', true],
      ['lines', true],
      ['clips', false],
      ['music', false],
    ]);
    expect(view.total).toBe(48_000);
    expect(view.paid).toBe(2010);
    expect(view.schedule).toEqual({ key: 'film.budget.finishes', params: { count: 10, at: '@1000' } });
    expect(view.cheaper).toEqual({ total: 16_700, saving: 63, changes: [draftClips] });
  });

  it('calls the finish a lower bound while some costs are unknown, and names them', () => {
    const view = budgetView(budget({ unknown: [{ kind: 'clip', shot: 4 }] }), clock);
    expect(view.schedule.key).toBe('film.budget.finishesAtLeast');
    expect(view.unknown).toEqual([{ kind: 'clip', shot: 4 }]);
  });

  it('says when nothing is left, or when the finish cannot be placed', () => {
    const done = budget({ totalRequests: 0, windowsNeeded: 0, cheaper: undefined });
    delete done.finishesAtMs;
    expect(budgetView(done, clock).schedule).toEqual({ key: 'film.budget.nothingLeft' });
    const unplaced = budget();
    delete unplaced.finishesAtMs;
    expect(budgetView(unplaced, clock).schedule).toEqual({ key: 'film.budget.noFinish', params: { count: 10 } });
  });

  it('a stage with paid takes and more to make is not marked paid', () => {
    const view = budgetView(budget({ stages: [{ stage: 'keyframes', requests: 75, jobs: 1, unknown: 0, paid: 150 }] }), clock);
    expect(view.rows[0]!.done).toBe(false);
  });
});

describe('a stage button chip', () => {
  const window: WindowSummary = { nowMs: 0, windowMs: 18_000_000, quota: 4500, used: 4000, remaining: 500, nextReleaseRequests: 0 };
  const job = (problem?: JobProblem) => ({
    stage: 'keyframes' as const,
    slot: 'keyframe' as const,
    label: { kind: 'keyframe' as const, shot: 1 },
    request: { kind: 'image' as const, model: 'image-01', prompt: 'x', promptOptimizer: false },
    files: 1,
    madeWith: '',
    ...(problem ? { problem } : {}),
  });
  const plan = (fields: Partial<FilmStagePlan>): FilmStagePlan => ({ jobs: [job()], totalRequests: 75, unknown: 0, windowsNeeded: 1, ...fields });

  it('shows the requests and fits the window', () => {
    expect(stageChip(plan({}), window)).toEqual({ chip: { key: 'cost.requests', params: { count: 75 } }, nothing: false, over: false, unknown: false, blocked: 0 });
  });

  it('is over budget past what the window holds', () => {
    expect(stageChip(plan({ totalRequests: 4500 }), window).over).toBe(true);
  });

  it('says "+ ?" or "cost unknown" when the table cannot price a job', () => {
    expect(stageChip(plan({ unknown: 1 }), window).chip.key).toBe('film.stage.requestsPlus');
    expect(stageChip(plan({ unknown: 1, totalRequests: 0 }), window).chip.key).toBe('cost.unknown');
  });

  it('is off when there is nothing to send, and counts what is blocked', () => {
    const view = stageChip(plan({ jobs: [job({ kind: 'needsKeyframe' })], totalRequests: 0 }), window);
    expect(view.nothing).toBe(true);
    expect(view.blocked).toBe(1);
    expect(view.chip).toEqual({ key: 'film.stage.notReady', params: { count: 1 } });
    expect(stageChip(plan({ jobs: [], totalRequests: 0 }), window).chip.key).toBe('film.stage.nothing');
  });
});

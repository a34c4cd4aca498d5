// What the budget panel says, from a FilmBudget: pure, so the words for every case (all paid, some to spend,
// unknown costs, nothing to do, the cheaper path) are tested without rendering. The panel answers three
// questions (DESIGN.md, "Films"): what is paid, what is left to spend, when it would be done if queued now.
import type { BlockedJob } from '$lib/bindings/BlockedJob';
import type { CheaperChange } from '$lib/bindings/CheaperChange';
import type { FilmBudget } from '$lib/bindings/FilmBudget';
import type { FilmStagePlan } from '$lib/bindings/FilmStagePlan';
import type { JobLabel } from '$lib/bindings/JobLabel';
import type { RenderStage } from '$lib/bindings/RenderStage';
import type { WindowSummary } from '$lib/bindings/WindowSummary';
import type { MessageKey } from '$lib/i18n/en';

export interface Phrase {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface StageRow {
  stage: RenderStage;
  /** Requests still to spend (known costs). */
  requests: number;
  /** Requests already paid. */
  paid: number;
  /** ✓ paid: nothing left to spend and something was paid. */
  done: boolean;
  /** Jobs whose cost is unknown. */
  unknown: number;
}

export interface BudgetView {
  rows: StageRow[];
  total: number;
  paid: number;
  /** "2 windows · done Tue 14:00 if queued now", "Nothing left to spend", or with unknown costs a lower bound. */
  schedule: Phrase;
  /** "Cheaper: … 16,700 (−63%)", when there is a cheaper path; its changes are worded by job-words.ts. */
  cheaper: { total: number; saving: number; changes: CheaperChange[] } | null;
  /** Jobs named by their slot (job-words.ts words them). */
  unknown: JobLabel[];
  blocked: BlockedJob[];
  needsPayAsYouGo: JobLabel[];
}

export const STAGE_KEYS: Record<RenderStage, MessageKey> = {
  keyframes: 'film.stage.keyframes',
  lines: 'film.stage.lines',
  clips: 'film.stage.clips',
  music: 'film.stage.music',
};

/** The budget panel of `budget`; `clock` formats an instant in the user's locale. */
export function budgetView(budget: FilmBudget, clock: (atMs: number) => string): BudgetView {
  const rows = budget.stages.map((s) => ({
    stage: s.stage,
    requests: s.requests,
    paid: s.paid,
    done: s.requests === 0 && s.unknown === 0 && s.paid > 0,
    unknown: s.unknown,
  }));
  let schedule: Phrase;
  if (budget.totalRequests === 0 && budget.unknown.length === 0) {
    schedule = { key: 'film.budget.nothingLeft' };
  } else if (budget.finishesAtMs === undefined) {
    schedule = { key: 'film.budget.noFinish', params: { count: budget.windowsNeeded } };
  } else {
    schedule = {
      key: budget.unknown.length > 0 ? 'film.budget.finishesAtLeast' : 'film.budget.finishes',
      params: { count: Math.max(1, budget.windowsNeeded), at: clock(budget.finishesAtMs) },
    };
  }
  return {
    rows,
    total: budget.totalRequests,
    paid: budget.paidRequests,
    schedule,
    cheaper: budget.cheaper
      ? { total: budget.cheaper.totalRequests, saving: budget.cheaper.savingPercent, changes: budget.cheaper.changes }
      : null,
    unknown: budget.unknown,
    blocked: budget.blocked,
    needsPayAsYouGo: budget.needsPayAsYouGo,
  };
}

/** What a stage button's chip says, and whether the stage fits the window now. */
export interface StageChip {
  chip: Phrase;
  /** Nothing to make (every slot has its chosen take): the button is off. */
  nothing: boolean;
  /** Over what the window holds now: the click asks (queue, pay-as-you-go, cancel). */
  over: boolean;
  /** Some job's cost is unknown: the click asks for a confirmation. */
  unknown: boolean;
  /** Slots the stage cannot send yet. */
  blocked: number;
}

export function stageChip(plan: FilmStagePlan, window: WindowSummary | null): StageChip {
  const sendable = plan.jobs.filter((j) => j.problem === undefined).length;
  const blocked = plan.jobs.length - sendable;
  const nothing = sendable === 0;
  const chip: Phrase = nothing
    ? blocked > 0
      ? { key: 'film.stage.notReady', params: { count: blocked } }
      : { key: 'film.stage.nothing' }
    : plan.unknown > 0 && plan.totalRequests === 0
      ? { key: 'cost.unknown' }
      : plan.unknown > 0
        ? { key: 'film.stage.requestsPlus', params: { count: plan.totalRequests } }
        : { key: 'cost.requests', params: { count: plan.totalRequests } };
  const over = !nothing && window !== null && plan.totalRequests > window.remaining;
  return { chip, nothing, over, unknown: plan.unknown > 0, blocked };
}

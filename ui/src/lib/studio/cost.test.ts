import { describe, expect, it } from 'vitest';
import type { Estimate } from '$lib/bindings/Estimate';
import { mPlanView } from '../../test/quota-views';
import { costView, spentPhrase } from './cost';

const window = {
  nowMs: 1_000,
  windowMs: 18_000_000,
  quota: 4500,
  used: 1000,
  remaining: 3500,
  nextReleaseAtMs: 5_000,
  nextReleaseRequests: 600,
};
const clock = (at: number) => `@${at}`;
/** What an estimate on the Token Plan says about its profile. */
const TOKEN_PLAN = { windowName: '5h', unit: 'requests', estimated: false, creditsAfter: true } as const;

describe('costView', () => {
  it('says what remains and when more frees when the cost fits', () => {
    const estimate: Estimate = { ...TOKEN_PLAN, cost: { kind: 'requests', value: 188 }, window, fitsNow: true, enoughAtMs: 1_000 };
    const view = costView(estimate, clock);
    expect(view.tone).toBe('ok');
    expect(view.chip).toEqual({ key: 'cost.requests', params: { count: 188 } });
    expect(view.line).toEqual({ key: 'cost.leavesAndFrees', params: { left: 3312, quota: 4500, frees: 600, at: '@5000' } });
  });

  it('turns amber when little would be left', () => {
    const estimate: Estimate = { ...TOKEN_PLAN, cost: { kind: 'requests', value: 3200 }, window, fitsNow: true };
    expect(costView(estimate, clock).tone).toBe('tight');
  });

  it('over budget: the time enough frees, or that it never fits the window', () => {
    const over: Estimate = { ...TOKEN_PLAN, cost: { kind: 'requests', value: 4000 }, window, fitsNow: false, enoughAtMs: 9_000 };
    const view = costView(over, clock);
    expect(view.tone).toBe('over');
    expect(view.enoughAtMs).toBe(9_000);
    expect(view.line).toEqual({ key: 'cost.overUntil', params: { remaining: 3500, at: '@9000' } });
    const never: Estimate = { ...TOKEN_PLAN, cost: { kind: 'requests', value: 9000 }, window, fitsNow: false };
    expect(costView(never, clock).line.key).toBe('cost.neverFits');
  });

  it('an unknown cost is never shown as zero', () => {
    const unknown: Estimate = { ...TOKEN_PLAN, cost: { kind: 'unknown', value: { reason: '1080P is not priced' } }, window, fitsNow: true };
    const view = costView(unknown, clock);
    expect(view.tone).toBe('unknown');
    expect(view.requests).toBeNull();
    expect(view.line.params).toEqual({ reason: '1080P is not priced' });
  });

  it('speaks the M Plan in percent of the binding window, marked as an estimate', () => {
    const weekly: Estimate = {
      cost: { kind: 'requests', value: 3000 },
      window,
      fitsNow: true,
      windowName: 'weekly',
      unit: 'percent',
      costPercent: 7,
      remainingPercent: 60,
      estimated: true,
      creditsAfter: true,
    };
    const view = costView(weekly, clock);
    expect(view.chip).toEqual({ key: 'plans.cost.percentWeekly', params: { percent: '7.0' } });
    expect(view.line).toEqual({ key: 'plans.cost.leavesWeekly', params: { left: 53 } });
    const blocked = costView({ ...weekly, fitsNow: false, blockedBy: 'weekly', enoughAtMs: 9_000 }, clock);
    expect(blocked.tone).toBe('over');
    expect(blocked.line).toEqual({ key: 'plans.cost.overWeekly', params: { at: '@9000' } });
  });
});

describe('spentPhrase', () => {
  const mPlan = mPlanView();

  it('speaks requests on the Token Plan and without a view', () => {
    expect(spentPhrase(3000, 'video', null)).toEqual({ key: 'cost.requests', params: { count: 3000 } });
    expect(spentPhrase(75, 'image', { ...mPlan, unit: 'requests' })).toEqual({ key: 'cost.requests', params: { count: 75 } });
  });

  it('gives the share of the binding window on the M Plan: video the week, the rest the 5 hours', () => {
    const weekly = { ...mPlan, rows: [mPlan.rows[0]!, { ...mPlan.rows[1]!, capacity: 100_000 }] };
    expect(spentPhrase(3000, 'video', weekly)).toEqual({ key: 'plans.cost.percentWeekly', params: { percent: '3.0' } });
    expect(spentPhrase(75, 'image', weekly)).toEqual({ key: 'plans.cost.percent5h', params: { percent: '0.8' } });
  });

  it('counts no share of a window without a limit: video on a plan whose week is unlimited stays in requests', () => {
    const unlimited = { ...mPlan, rows: [mPlan.rows[0]!, { ...mPlan.rows[1]!, state: 'unlimited' as const }] };
    expect(spentPhrase(3000, 'video', unlimited)).toEqual({ key: 'cost.requests', params: { count: 3000 } });
    expect(spentPhrase(75, 'image', unlimited)).toEqual({ key: 'plans.cost.percent5h', params: { percent: '0.8' } });
  });
});

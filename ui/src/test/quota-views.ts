// Quota views the tests fake (issue 17): the shapes studio-core's blended view takes on each plan generation.
import type { QuotaView } from '$lib/bindings/QuotaView';

/** An M Plan Explore view: 5-hour and weekly rows in percent, spend from elsewhere, video not in the plan. */
export function mPlanView(): QuotaView {
  const row = (window: '5h' | 'weekly', used: number, estimate: boolean) => ({
    window,
    lengthMs: window === '5h' ? 18_000_000 : 604_800_000,
    meters: window === '5h' ? ('nonVideo' as const) : ('all' as const),
    rolling: false,
    capacity: 10_000,
    used,
    remaining: 10_000 - used,
    usedPercent: used / 100,
    remainingPercent: 100 - used / 100,
    source: 'server' as const,
    estimate,
    ledgerUsed: used - 1500,
    nextReleaseUnits: 0,
    boosted: false,
    state: 'available' as const,
  });
  return {
    nowMs: Date.now(),
    profile: { family: 'mPlan', tier: 'explore', label: 'M Plan Explore', unit: 'percent', windows: [], video: true, creditsAfter: true, detected: true },
    unit: 'percent',
    rows: [row('5h', 2_500, true), row('weekly', 6_000, false)],
    elsewhere: { window: 'weekly', units: 1_500, percent: 15 },
    server: { understood: true, fetchedAtMs: Date.now() },
    notInPlan: [{ model: 'MiniMax-Hailuo-02', reason: 'MiniMax lists this model as not in your plan' }],
  };
}

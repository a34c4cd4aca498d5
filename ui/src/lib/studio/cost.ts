// What the cost chip and the line under the Generate button say, from an Estimate: pure, so the words for
// every case (fits, tight, over budget, never fits, unknown) are tested without rendering.
import type { Estimate } from '$lib/bindings/Estimate';
import type { Modality } from '$lib/bindings/Modality';
import type { QuotaRow } from '$lib/bindings/QuotaRow';
import type { QuotaView } from '$lib/bindings/QuotaView';
import type { MessageKey } from '$lib/i18n/en';

/** How the chip looks: quiet when it fits, amber when it leaves little, red when it does not fit. */
export type CostTone = 'ok' | 'tight' | 'over' | 'unknown';

/** A message to translate. */
export interface Phrase {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** Everything the composer footer shows about the cost. */
export interface CostView {
  tone: CostTone;
  /** On the chip: "188 requests" or "Cost unknown". */
  chip: Phrase;
  /** Under the button: what remains after it, and when more frees. */
  line: Phrase;
  /** The requests, when known. */
  requests: number | null;
  /** When enough will be free (over budget), epoch ms. */
  enoughAtMs: number | null;
}

/** A share of the quota below which what is left after the job counts as tight. */
export const TIGHT_SHARE = 0.1;

/**
 * The cost view of `estimate`. `clock` formats an instant for the line (the caller's locale and day).
 */
export function costView(estimate: Estimate, clock: (atMs: number) => string): CostView {
  const { window } = estimate;
  if (estimate.cost.kind === 'unknown') {
    return {
      tone: 'unknown',
      chip: { key: 'cost.unknown' },
      line: { key: 'cost.unknownLine', params: { reason: estimate.cost.value.reason } },
      requests: null,
      enoughAtMs: null,
    };
  }
  const requests = estimate.cost.value;
  if (estimate.unit === 'percent' && estimate.costPercent !== undefined) return percentView(estimate, requests, clock);
  const chip: Phrase = { key: 'cost.requests', params: { count: requests } };
  if (estimate.fitsNow) {
    const left = window.remaining - requests;
    const tight = left < window.quota * TIGHT_SHARE;
    const release = window.nextReleaseAtMs;
    const line: Phrase =
      release !== undefined && window.nextReleaseRequests > 0
        ? {
            key: 'cost.leavesAndFrees',
            params: { left, quota: window.quota, frees: window.nextReleaseRequests, at: clock(release) },
          }
        : { key: 'cost.leaves', params: { left, quota: window.quota } };
    return { tone: tight ? 'tight' : 'ok', chip, line, requests, enoughAtMs: null };
  }
  const enough = estimate.enoughAtMs ?? null;
  const line: Phrase =
    enough === null
      ? { key: 'cost.neverFits', params: { quota: window.quota } }
      : { key: 'cost.overUntil', params: { remaining: window.remaining, at: clock(enough) } };
  return { tone: 'over', chip, line, requests, enoughAtMs: enough };
}

/** A share of a window in words: one decimal under 10 %, whole above (never 0 for a real cost). */
export function sharePercent(value: number): string {
  if (value <= 0) return '0';
  if (value < 0.1) return '0.1';
  return value < 10 ? (Math.ceil(value * 10) / 10).toFixed(1) : String(Math.ceil(value));
}

/**
 * The M Plan's view (issue 17): the cost as a share of the window that binds it, marked as an estimate (no
 * per-request rate is published; the share is the app's conversion).
 */
function percentView(estimate: Estimate, requests: number, clock: (atMs: number) => string): CostView {
  const weekly = estimate.windowName === 'weekly';
  const percent = sharePercent(estimate.costPercent ?? 0);
  const chip: Phrase = { key: weekly ? 'plans.cost.percentWeekly' : 'plans.cost.percent5h', params: { percent } };
  const remaining = estimate.remainingPercent ?? 0;
  if (estimate.fitsNow) {
    const left = Math.max(0, Math.floor(remaining - (estimate.costPercent ?? 0)));
    const line: Phrase = { key: weekly ? 'plans.cost.leavesWeekly' : 'plans.cost.leaves5h', params: { left } };
    return { tone: left < TIGHT_SHARE * 100 ? 'tight' : 'ok', chip, line, requests, enoughAtMs: null };
  }
  const enough = estimate.enoughAtMs ?? null;
  const line: Phrase =
    enough === null
      ? { key: weekly ? 'plans.cost.neverWeekly' : 'plans.cost.never5h' }
      : { key: weekly ? 'plans.cost.overWeekly' : 'plans.cost.over5h', params: { at: clock(enough) } };
  return { tone: 'over', chip, line, requests, enoughAtMs: enough };
}

/**
 * What a job cost (or will) in the plan's own unit: requests on the Token Plan; on the M Plan the share of the
 * window that binds it (video counts only against the weekly one), marked as an estimate like the chip. The
 * windows are the quota view's rows, as the gauge and the Spend screen read them.
 */
export function spentPhrase(requests: number, modality: Modality, view: QuotaView | null | undefined): Phrase {
  const asRequests: Phrase = { key: 'cost.requests', params: { count: requests } };
  if (view?.unit !== 'percent') return asRequests;
  // A window without a limit (state `unlimited`) binds nothing, as in the backend's `binding_row`.
  const metered = view.rows.filter(
    (r) => r.state !== 'unlimited' && r.capacity > 0 && (r.meters === 'all' || modality !== 'video'),
  );
  // The smallest window the job counts against takes the largest share of it: that one binds.
  const binding = metered.reduce<QuotaRow | null>((a, r) => (a === null || r.capacity < a.capacity ? r : a), null);
  if (binding === null) return asRequests;
  const percent = sharePercent((requests * 100) / binding.capacity);
  return { key: binding.window === 'weekly' ? 'plans.cost.percentWeekly' : 'plans.cost.percent5h', params: { percent } };
}

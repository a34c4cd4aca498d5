// The quota gauge's rows from the blended quota view (issue 17): which share of each window is used, and the
// words for what is left in the profile's unit — requests on the Token Plan, percent of the window on the
// M Plan (marked as an estimate when the app converted it from requests rather than MiniMax saying it).
import type { QuotaRow } from '$lib/bindings/QuotaRow';
import type { QuotaUnit } from '$lib/bindings/QuotaUnit';
import type { QuotaView } from '$lib/bindings/QuotaView';
import type { WindowKind } from '$lib/bindings/WindowKind';
import { t } from '$lib/i18n/i18n.svelte';
import { sharePercent } from '$lib/studio/cost';

/** One bar of the gauge. */
export interface GaugeRow {
  window: WindowKind;
  /** Used share of the normal size, 0..1. */
  share: number;
  /** What is left, in the unit's words. */
  text: string;
  /** The figure is the app's conversion, not MiniMax's. */
  estimate: boolean;
  /** The server's boost multiplier (e.g. 1.5), when it gives more than the normal size. */
  boost: number | null;
  unlimited: boolean;
  /** When a fixed window resets, epoch ms. */
  resetsAtMs: number | null;
}

/** Whole percent, never rounding a sliver of room up to a promise of 1 % more than there is. */
function wholePercent(value: number): number {
  return Math.max(0, Math.floor(value));
}

/** What is left of `row`, in `unit`. */
export function remainingText(row: QuotaRow, unit: QuotaUnit): string {
  if (row.state === 'unlimited') return t('plans.gauge.unlimited');
  if (unit === 'percent') {
    const key = row.estimate ? 'plans.gauge.percentLeftEstimate' : 'plans.gauge.percentLeft';
    return t(key, { percent: wholePercent(row.remainingPercent) });
  }
  return t('quota.remaining', { remaining: row.remaining, quota: row.capacity });
}

/** What `row` has used, in `unit`. */
export function usedText(row: QuotaRow, unit: QuotaUnit): string {
  if (unit !== 'percent') return t('spend.usedInWindow', { used: row.used });
  const percent = Math.max(0, Math.ceil(row.usedPercent));
  return t(row.estimate ? 'plans.gauge.percentUsedEstimate' : 'plans.gauge.percentUsed', { percent });
}

/** `units` request-equivalents as a share of `row`'s normal size, in percent: the app's best known conversion. */
export function shareOf(row: QuotaRow, units: number): number {
  return row.capacity > 0 ? (units * 100) / row.capacity : 0;
}

/**
 * The window a spend of `units` is bound by, as studio-core's estimate picks it: the one without room
 * (weekly first), else the tightest it draws on. Video draws only on windows that meter everything (on the
 * M Plan, the weekly one).
 */
export function bindingRow(view: QuotaView, units: number, video: boolean): QuotaRow | null {
  const rows = view.rows.filter((r) => r.state !== 'unlimited' && (!video || r.meters === 'all'));
  const weeklyFirst = [...rows].sort((a, b) => Number(a.window !== 'weekly') - Number(b.window !== 'weekly'));
  const blocked = weeklyFirst.find((r) => r.state === 'exhausted' || units > r.remaining);
  if (blocked) return blocked;
  return rows.reduce<QuotaRow | null>((min, r) => (min && min.remainingPercent <= r.remainingPercent ? min : r), null);
}

/** A spend as a share of the window that binds it, for the questions asked before it (percent profiles). */
export interface WindowShare {
  window: WindowKind;
  /** The cost, percent of the window (always the app's conversion). */
  cost: number;
  /** What is left of the window, percent. */
  left: number;
  /** What is left is the app's conversion too, not MiniMax's figure. */
  leftEstimated: boolean;
  fits: boolean;
}

/** `units` as a share of the window it binds; null when the profile speaks requests (or no window binds). */
export function windowShare(view: QuotaView | null, units: number, video: boolean): WindowShare | null {
  if (view?.unit !== 'percent') return null;
  const row = bindingRow(view, units, video);
  if (!row) return null;
  const fits = row.state !== 'exhausted' && units <= row.remaining;
  return { window: row.window, cost: shareOf(row, units), left: row.remainingPercent, leftEstimated: row.estimate, fits };
}

/** The sentence that states `share`: the cost, and when it does not fit, what is left. */
export function shareSentence(share: WindowShare): string {
  const window = windowName(share.window);
  const cost = sharePercent(share.cost);
  if (share.fits) return t('plans.ask.fits', { cost, window });
  const left = wholePercent(share.left);
  return t(share.leftEstimated ? 'plans.ask.overEstimate' : 'plans.ask.over', { cost, window, left });
}

/** The rows of the view, 5-hour first. */
export function gaugeRows(view: QuotaView): GaugeRow[] {
  return view.rows.map((row) => ({
    window: row.window,
    share: row.state === 'unlimited' ? 0 : Math.min(1, Math.max(0, row.usedPercent / 100)),
    text: remainingText(row, view.unit),
    estimate: row.estimate,
    boost: row.boosted && row.boostPermille !== undefined ? row.boostPermille / 1000 : null,
    unlimited: row.state === 'unlimited',
    resetsAtMs: row.resetsAtMs ?? null,
  }));
}

/** The tone of a bar: quiet until something is tight (DESIGN.md, "Feel"). */
export function tone(share: number): 'ok' | 'tight' | 'over' {
  return share >= 0.9 ? 'over' : share >= 0.7 ? 'tight' : 'ok';
}

/** The words for spend the server counts that this app did not make (null when none was detected). */
export function elsewhereText(view: QuotaView): string | null {
  const extra = view.elsewhere;
  if (!extra) return null;
  const amount =
    view.unit === 'percent'
      ? t('plans.gauge.percentAmount', { percent: Math.max(1, Math.round(extra.percent)) })
      : t('plans.gauge.requestsAmount', { count: extra.units });
  return t('plans.gauge.elsewhereHelp', { amount, window: windowName(extra.window) });
}

/** A window's name in words. */
export function windowName(kind: WindowKind): string {
  return kind === 'weekly' ? t('plans.window.weekly') : t('plans.window.5h');
}

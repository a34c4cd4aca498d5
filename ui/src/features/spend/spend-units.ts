// The Spend screen in the active profile's unit (issue 17): the windows now, in requests on the Token Plan or
// in percent of each window on the M Plan (marked as an estimate where the app converted), and the scale that
// turns the ledger's request-equivalents into shares of a window for the charts. The words per row come from
// the gauge's own functions, so the gauge and the Spend screen never disagree.
import type { QuotaRow } from '$lib/bindings/QuotaRow';
import type { QuotaView } from '$lib/bindings/QuotaView';
import type { WindowKind } from '$lib/bindings/WindowKind';
import { t } from '$lib/i18n/i18n.svelte';
import { gaugeRows, shareOf, tone, usedText } from '$lib/plans/gauge-rows';

/** One window as the Spend screen's card shows it. */
export interface WindowFigure {
  window: WindowKind;
  title: string;
  /** What is left, in the profile's unit. */
  left: string;
  /** What is used, in the profile's unit. */
  used: string;
  /** The percentages are the app's conversion, not MiniMax's figure. */
  estimate: boolean;
  tone: 'ok' | 'tight' | 'over';
  /** When a fixed window resets, epoch ms. */
  resetsAtMs: number | null;
}

/** The view's windows, 5-hour first. */
export function windowFigures(view: QuotaView): WindowFigure[] {
  return gaugeRows(view).map((gauge, i) => {
    const row = view.rows[i]!;
    return {
      window: row.window,
      title: row.window === 'weekly' ? t('plans.spend.weeklyNow') : t('spend.windowNow'),
      left: gauge.text,
      used: gauge.unlimited ? '' : usedText(row, view.unit),
      estimate: view.unit === 'percent' && gauge.estimate,
      tone: tone(gauge.share),
      resetsAtMs: gauge.resetsAtMs,
    };
  });
}

/** How the charts turn request-equivalents into percent; null when the profile speaks requests. */
export interface PercentScale {
  /** The 5-hour window's row (the window-over-time chart). */
  window: QuotaRow;
  /** The weekly window's row, else the 5-hour one (the per-day chart and the period's total). */
  day: QuotaRow;
}

/** The scale of a percent profile whose windows have a size; null otherwise (the charts stay in requests). */
export function percentScale(view: QuotaView | null): PercentScale | null {
  if (view?.unit !== 'percent') return null;
  const sized = (kind: WindowKind) => view.rows.find((r) => r.window === kind && r.capacity > 0);
  const five = sized('5h');
  const weekly = sized('weekly');
  const window = five ?? weekly;
  if (!window) return null;
  return { window, day: weekly ?? window };
}

/** Each value of each series as a share of `row`. */
export function asShares(series: number[][], row: QuotaRow): number[][] {
  return series.map((values) => values.map((units) => shareOf(row, units)));
}

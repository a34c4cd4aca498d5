// Pure shaping of the Spend report for the charts: days on the x axis, one stacked series per group.
import type { DailySpend } from '$lib/bindings/DailySpend';
import type { Reconciliation } from '$lib/bindings/Reconciliation';
import { t } from '$lib/i18n/i18n.svelte';
import type { MessageKey } from '$lib/i18n/en';

export const DAY_MS = 86_400_000;

/** The periods the dashboard offers, in days. */
export const PERIODS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIODS)[number];

/** Local midnight `days - 1` days before today, and tomorrow's local midnight: the report's range. */
export function periodRange(days: number, now: Date = new Date()): { fromMs: number; beforeMs: number } {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const before = new Date(midnight);
  before.setDate(before.getDate() + 1);
  const from = new Date(midnight);
  from.setDate(from.getDate() - (days - 1));
  return { fromMs: from.getTime(), beforeMs: before.getTime() };
}

/** Milliseconds to add to UTC to get local time (the report's days start at local midnight). */
export function utcOffsetMs(at: Date = new Date()): number {
  return -at.getTimezoneOffset() * 60_000;
}

export interface StackedDays {
  /** Day starts (epoch seconds, as uPlot wants), one per day of the period, empty days included. */
  days: number[];
  /** Group names, largest total first. */
  groups: string[];
  /** Per group, requests per day. */
  values: number[][];
  /** Per group, the running sum of this group and every later (smaller) one: what a stacked bar draws. */
  stacked: number[][];
  /** Requests per day, all groups. */
  totals: number[];
}

/** Lays the report's rows out on every day of `[fromMs, beforeMs)`, largest group at the bottom. */
export function stackDays(rows: DailySpend[], fromMs: number, beforeMs: number): StackedDays {
  const days: number[] = [];
  for (let at = fromMs; at < beforeMs; at += DAY_MS) days.push(at);
  // DST days are 23 or 25 hours long: match each row to its local day by the nearest start.
  const dayIndex = (dayStartMs: number) => {
    let best = -1;
    let bestDistance = Infinity;
    days.forEach((d, i) => {
      const distance = Math.abs(d - dayStartMs);
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    });
    return bestDistance < DAY_MS / 2 ? best : -1;
  };
  const totalsByGroup = new Map<string, number>();
  for (const row of rows) totalsByGroup.set(row.group, (totalsByGroup.get(row.group) ?? 0) + row.requests);
  const groups = [...totalsByGroup.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([g]) => g);
  const values = groups.map(() => days.map(() => 0));
  for (const row of rows) {
    const i = dayIndex(row.dayStartMs);
    const series = values[groups.indexOf(row.group)];
    if (i >= 0 && series) series[i] = (series[i] ?? 0) + row.requests;
  }
  const stacked = groups.map((_, g) => days.map((_, d) => values.slice(g).reduce((sum, v) => sum + (v[d] ?? 0), 0)));
  const totals = days.map((_, d) => values.reduce((sum, v) => sum + (v[d] ?? 0), 0));
  return { days: days.map((d) => d / 1000), groups, values, stacked, totals };
}

/** How far the server's count may differ from ours before it is worth pointing out (rounding of percents). */
export function disagrees(row: Reconciliation): boolean {
  if (row.difference === undefined) return false;
  const tolerance = Math.max(1, Math.round((row.serverQuota ?? 0) / 200));
  return Math.abs(row.difference) > tolerance;
}

const MODALITY_KEYS: Record<string, MessageKey> = {
  text: 'spend.modality.text',
  speech: 'spend.modality.speech',
  speechAsync: 'spend.modality.speechAsync',
  image: 'spend.modality.image',
  video: 'spend.modality.video',
  music: 'spend.modality.music',
  lyrics: 'spend.modality.lyrics',
};

/** The display name of a modality (its stored name when unknown). */
export function modalityLabel(modality: string): string {
  const key = MODALITY_KEYS[modality];
  return key ? t(key) : modality;
}

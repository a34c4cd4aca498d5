// Words and numbers of the Library: how old a generation is, file sizes, the date-range filter.
import { relativeTimeFormat } from '$lib/i18n/intl-cache';

/** "3 days ago"-style age in the user's language. */
export function formatAge(atMs: number, nowMs: number, locale: string): string {
  const seconds = Math.round((atMs - nowMs) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const format = relativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'minute');
}

/** A file size in B, KB, MB or GB (1024-based, one decimal above KB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Epoch ms of the local midnight starting `date` (`YYYY-MM-DD`), or undefined for an empty field. */
export function dayStartMs(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
}

/** Epoch ms of the local midnight after `date`: an inclusive "to" day becomes an exclusive bound. */
export function dayEndMs(date: string): number | undefined {
  const start = dayStartMs(date);
  if (start === undefined) return undefined;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next.getTime();
}

// Pure formatting of times and durations for the job list, the gauge and the cost line. The locale is a
// parameter so tests need no global state.
import { dateTimeFormat } from '$lib/i18n/intl-cache';

/** `m:ss` or `h:mm:ss` for an elapsed or remaining time. Negative values count as zero. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A clock time in the user's locale, e.g. 14:35 (with the weekday when it is not today). */
export function formatClock(atMs: number, nowMs: number, locale: string): string {
  const at = new Date(atMs);
  const sameDay = new Date(nowMs).toDateString() === at.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: 'numeric', minute: '2-digit' }
    : { weekday: 'short', hour: 'numeric', minute: '2-digit' };
  return dateTimeFormat(locale, options).format(at);
}

/** The first `max` characters of a prompt on one line, with an ellipsis when cut. */
export function excerpt(text: string, max = 90): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}

/** Characters as the API counts them (code points, not UTF-16 units). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

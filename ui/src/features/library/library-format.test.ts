import { describe, expect, it } from 'vitest';
import { dayEndMs, dayStartMs, formatAge, formatBytes } from './library-format';

describe('library format', () => {
  it('says how old a generation is', () => {
    const now = Date.UTC(2026, 0, 10);
    expect(formatAge(now - 3 * 86_400_000, now, 'en')).toBe('3 days ago');
    expect(formatAge(now - 30_000, now, 'en')).toBe('this minute');
    expect(formatAge(now - 2 * 3_600_000, now, 'en')).toBe('2 hr. ago');
  });

  it('sizes files', () => {
    expect(formatBytes(900)).toBe('900 B');
    expect(formatBytes(1536)).toBe('2 KB');
    expect(formatBytes(5 * 1024 * 1024 + 300_000)).toBe('5.3 MB');
  });

  it('turns days into an inclusive range', () => {
    const start = dayStartMs('2026-03-01')!;
    expect(new Date(start).getDate()).toBe(1);
    expect(dayEndMs('2026-03-01')! - start).toBeGreaterThanOrEqual(23 * 3_600_000);
    expect(dayStartMs('')).toBeUndefined();
  });
});

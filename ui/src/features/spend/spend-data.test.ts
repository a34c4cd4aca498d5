import { describe, expect, it } from 'vitest';
import { DAY_MS, disagrees, periodRange, stackDays } from './spend-data';

describe('periodRange', () => {
  it('spans whole local days ending tomorrow at midnight', () => {
    const now = new Date(2026, 10, 25, 14, 30);
    const { fromMs, beforeMs } = periodRange(7, now);
    expect(new Date(beforeMs)).toEqual(new Date(2026, 10, 26));
    expect(new Date(fromMs)).toEqual(new Date(2026, 10, 19));
  });
});

describe('stackDays', () => {
  const from = new Date(2026, 10, 20).getTime();
  const before = from + 3 * DAY_MS;

  it('fills empty days, orders groups by total and stacks smaller groups on larger ones', () => {
    const stacked = stackDays(
      [
        { dayStartMs: from, group: 'speech', requests: 30, planRequests: 30, units: 1 },
        { dayStartMs: from + 2 * DAY_MS, group: 'video', requests: 4500, planRequests: 4500, units: 1 },
        { dayStartMs: from + 2 * DAY_MS, group: 'speech', requests: 12, planRequests: 0, units: 1 },
      ],
      from,
      before,
    );
    expect(stacked.days).toHaveLength(3);
    expect(stacked.groups).toEqual(['video', 'speech']);
    expect(stacked.values).toEqual([
      [0, 0, 4500],
      [30, 0, 12],
    ]);
    expect(stacked.stacked[0]).toEqual([30, 0, 4512]);
    expect(stacked.stacked[1]).toEqual([30, 0, 12]);
    expect(stacked.totals).toEqual([30, 0, 4512]);
  });

  it('ignores rows outside the period', () => {
    const stacked = stackDays([{ dayStartMs: from - 5 * DAY_MS, group: 'image', requests: 9, planRequests: 9, units: 1 }], from, before);
    expect(stacked.totals).toEqual([0, 0, 0]);
  });
});

describe('disagrees', () => {
  it('tolerates percent rounding but flags real differences', () => {
    const base = { modelName: 'general', atMs: 0, localUsed: 100, basis: 'percent' as const, serverQuota: 4500 };
    expect(disagrees({ ...base, serverUsed: 110, difference: 10 })).toBe(false);
    expect(disagrees({ ...base, serverUsed: 400, difference: 300 })).toBe(true);
    expect(disagrees({ ...base })).toBe(false);
  });
});

describe('the locale guard', () => {
  it('replaces a language tag Intl rejects (LANG=C) before uPlot reads it', async () => {
    const original = Object.getOwnPropertyDescriptor(navigator, 'language');
    Object.defineProperty(navigator, 'language', { value: 'C', configurable: true });
    const { guardLocale } = await import('./locale-guard');
    guardLocale();
    expect(navigator.language).toBe('en-US');
    if (original) Object.defineProperty(navigator, 'language', original);
    else delete (navigator as { language?: string }).language;
  });
});

import { describe, expect, it } from 'vitest';
import { dateTimeFormat, relativeTimeFormat } from './intl-cache';

describe('shared Intl formatters', () => {
  it('makes one formatter per locale and options, and formats like a fresh one', () => {
    const options: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' };
    const first = dateTimeFormat('en', options);
    expect(dateTimeFormat('en', { month: 'short', day: 'numeric' })).toBe(first);
    expect(dateTimeFormat('en', { month: 'long', day: 'numeric' })).not.toBe(first);
    expect(dateTimeFormat('zh-CN', options)).not.toBe(first);
    const at = new Date(2026, 10, 25);
    expect(first.format(at)).toBe(new Intl.DateTimeFormat('en', options).format(at));
  });

  it('keeps relative time formatters apart from date formatters', () => {
    const ago = relativeTimeFormat('en', { numeric: 'auto', style: 'short' });
    expect(relativeTimeFormat('en', { numeric: 'auto', style: 'short' })).toBe(ago);
    expect(ago.format(-1, 'day')).toBe('yesterday');
    expect(relativeTimeFormat('zh-CN', { numeric: 'auto', style: 'short' }).format(-1, 'day')).toBe('昨天');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentTheme, resolveTheme, setTheme, startThemeSync } from './theme.svelte';

/** A controllable `(prefers-color-scheme: dark)` media query. */
function fakeDarkPreference(initiallyDark: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    matches: initiallyDark,
    media: '(prefers-color-scheme: dark)',
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
  };
  vi.stubGlobal('matchMedia', vi.fn(() => query));
  return {
    listeners,
    set(dark: boolean) {
      query.matches = dark;
      for (const listener of [...listeners]) listener();
    },
  };
}

const shown = () => document.documentElement.dataset.theme;

describe('resolveTheme', () => {
  it.each([
    ['system', false, 'light'],
    ['system', true, 'dark'],
    ['light', true, 'light'],
    ['light', false, 'light'],
    ['dark', false, 'dark'],
    ['dark', true, 'dark'],
  ] as const)('%s with an OS preferring dark: %s → %s', (setting, osDark, expected) => {
    expect(resolveTheme(setting, osDark)).toBe(expected);
  });
});

describe('the document theme', () => {
  let stop: () => void = () => {};
  beforeEach(() => setTheme('system'));
  afterEach(() => {
    stop();
    vi.unstubAllGlobals();
  });

  it('follows the OS preference live while the setting is "system"', () => {
    const os = fakeDarkPreference(true);
    stop = startThemeSync();
    expect(shown()).toBe('dark');
    os.set(false);
    expect(shown()).toBe('light');
    expect(currentTheme()).toBe('light');
    os.set(true);
    expect(shown()).toBe('dark');
  });

  it('is fixed by an explicit override, and follows the OS again after "system"', () => {
    const os = fakeDarkPreference(false);
    stop = startThemeSync();
    setTheme('dark');
    expect(shown()).toBe('dark');
    os.set(false);
    expect(shown()).toBe('dark');
    setTheme('light');
    os.set(true);
    expect(shown()).toBe('light');
    setTheme('system');
    expect(shown()).toBe('dark');
  });

  it('stops listening when asked', () => {
    const os = fakeDarkPreference(false);
    stop = startThemeSync();
    expect(os.listeners.size).toBe(1);
    stop();
    expect(os.listeners.size).toBe(0);
  });

  it('works without matchMedia (treated as light)', () => {
    vi.stubGlobal('matchMedia', undefined);
    stop = startThemeSync();
    expect(shown()).toBe('light');
  });
});

// The theme and language of the last session, kept in localStorage so the first frame is drawn in the
// user's colours and language before Rust's settings arrive (otherwise a Dark override on a light OS
// flashes light at every launch). Rust's settings stay the truth and replace these once loaded.
import type { Language } from '$lib/bindings/Language';
import type { Theme } from '$lib/bindings/Theme';

const KEY = 'tokenplan.appearance';
const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const LANGUAGES: readonly Language[] = ['system', 'en', 'zh-CN'];

/** The appearance a window should start with. */
export interface Appearance {
  theme: Theme;
  language: Language;
}

/** Remembers what is shown now for the next launch. Storage may be unavailable; then nothing is kept. */
export function rememberAppearance(appearance: Appearance): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(appearance));
  } catch {
    // The next launch starts from the OS defaults; nothing else depends on this.
  }
}

/** What the last session showed, or null when unknown or unreadable. */
export function recallAppearance(): Appearance | null {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return null;
    const { theme, language } = value as Record<string, unknown>;
    if (!THEMES.includes(theme as Theme) || !LANGUAGES.includes(language as Language)) return null;
    return { theme: theme as Theme, language: language as Language };
  } catch {
    return null;
  }
}

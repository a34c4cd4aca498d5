// The colour theme: the setting (system / light / dark) plus, for "system", the OS preference, resolved to
// the `data-theme` attribute on <html> that the design tokens in app.css key on.
import type { Theme } from '$lib/bindings/Theme';

/** The theme actually shown. */
export type EffectiveTheme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** What `setting` shows when the OS prefers dark (`systemPrefersDark`) or not. */
export function resolveTheme(setting: Theme, systemPrefersDark: boolean): EffectiveTheme {
  if (setting !== 'system') return setting;
  return systemPrefersDark ? 'dark' : 'light';
}

function darkQuery(): MediaQueryList | undefined {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia(DARK_QUERY)
    : undefined;
}

const state = $state({ setting: 'system' as Theme, systemPrefersDark: darkQuery()?.matches ?? false });
const effective = $derived(resolveTheme(state.setting, state.systemPrefersDark));

function applyDocumentTheme(): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = effective;
}

/** The theme shown now. */
export function currentTheme(): EffectiveTheme {
  return effective;
}

/** Applies a theme setting to the document. */
export function setTheme(setting: Theme): void {
  state.setting = setting;
  applyDocumentTheme();
}

/**
 * Applies the current theme and follows the OS light/dark preference live (it matters while the setting
 * is "system"). Returns the function that stops following it.
 */
export function startThemeSync(): () => void {
  const query = darkQuery();
  const update = () => {
    state.systemPrefersDark = query?.matches ?? false;
    applyDocumentTheme();
  };
  update();
  query?.addEventListener('change', update);
  return () => query?.removeEventListener('change', update);
}

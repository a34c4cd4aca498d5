// The user's settings as the whole UI sees them. Rust's copy is the truth: changes are shown at once
// (optimistic), saved one after another, and replaced by what Rust stored; a refused change falls back to
// the stored value. Every shown value is also applied: theme and language take effect immediately.
import { getContext, setContext } from 'svelte';
import type { IpcError } from '$lib/bindings/IpcError';
import type { Settings } from '$lib/bindings/Settings';
import { setLanguage } from '$lib/i18n/i18n.svelte';
import { getSettings, onSettingsChanged, toIpcError, updateSettings } from '$lib/ipc';
import { setTheme } from '$lib/theme/theme.svelte';
import { rememberAppearance } from './first-frame';

/** A field with its own place for an error message; other errors go to the screen's banner. */
export type SettingsField = 'customHost' | 'quotaOverride';

/** Why the last change was not saved, and which field it came from (null: not a field of its own). */
export interface SaveFailure {
  error: IpcError;
  field: SettingsField | null;
}

/** A change to the settings, applied both to what is shown and, when its turn to save comes, to what is stored. */
export type SettingsChange = (settings: Settings) => Settings;

export class SettingsStore {
  /** `loading` until the first read; `failed` if that read failed (nothing to show). */
  status: 'loading' | 'ready' | 'failed' = $state('loading');
  /** Why the first read failed; kept while a retry runs, cleared once settings arrive. */
  loadError: IpcError | null = $state.raw(null);
  /** What the screens show: the stored settings plus changes still being saved. */
  current: Settings | null = $state.raw(null);
  /** The settings as Rust last reported them. */
  stored: Settings | null = $state.raw(null);
  /** Why the most recent change was refused; cleared by the next change. */
  saveFailure: SaveFailure | null = $state.raw(null);

  #saving = 0;
  #queue: Promise<unknown> = Promise.resolve();

  /** Reads the settings from Rust (the first time, or to retry after a failure). */
  async load(): Promise<void> {
    this.status = 'loading';
    try {
      this.#received(await getSettings());
    } catch (error) {
      this.loadError = toIpcError(error);
      this.status = 'failed';
    }
  }

  /** Follows changes made elsewhere (another window, the command line). Returns the function that stops. */
  follow(): () => void {
    let stop: (() => void) | null = null;
    let stopped = false;
    onSettingsChanged((settings) => this.#received(settings)).then(
      (unlisten) => {
        if (stopped) unlisten();
        else stop = unlisten;
      },
      (error: unknown) => {
        // The screens still work without the event; they just miss changes made elsewhere.
        console.warn('cannot follow settings changes:', toIpcError(error).message);
      },
    );
    return () => {
      stopped = true;
      stop?.();
    };
  }

  /**
   * Shows `change` at once and saves it after the changes before it. Resolves to whether Rust accepted
   * it; if not, `saveFailure` says why (tagged with `field`) and the stored value is shown again.
   * `customHostConfirmed`: the user agreed that the API keys go to the custom host this change names.
   */
  save(change: SettingsChange, field: SettingsField | null = null, customHostConfirmed = false): Promise<boolean> {
    const shown = this.current;
    if (shown === null) return Promise.resolve(false);
    this.saveFailure = null;
    this.#show(change(shown));
    this.#saving += 1;
    const attempt = this.#queue.then(async () => {
      try {
        this.stored = await updateSettings(change(this.stored ?? shown), customHostConfirmed);
        return true;
      } catch (error) {
        this.saveFailure = { error: toIpcError(error), field };
        return false;
      } finally {
        this.#saving -= 1;
        if (this.#saving === 0 && this.stored !== null) this.#show(this.stored);
      }
    });
    this.#queue = attempt;
    return attempt;
  }

  /** Hides the last save failure. */
  dismissFailure(): void {
    this.saveFailure = null;
  }

  #received(settings: Settings): void {
    this.stored = settings;
    // While changes are being saved, what is shown already includes them; the last one to finish shows
    // the stored result.
    if (this.#saving === 0) this.#show(settings);
    this.status = 'ready';
    this.loadError = null;
  }

  #show(settings: Settings): void {
    this.current = settings;
    setTheme(settings.theme);
    setLanguage(settings.language);
    rememberAppearance({ theme: settings.theme, language: settings.language });
  }
}

const CONTEXT_KEY = Symbol('settings-store');

/** Makes `store` available to the components below the caller. */
export function provideSettingsStore(store: SettingsStore): void {
  setContext(CONTEXT_KEY, store);
}

/** The settings store provided by an ancestor (the app frame, or a test). */
export function useSettingsStore(): SettingsStore {
  const store = getContext<SettingsStore | undefined>(CONTEXT_KEY);
  if (store === undefined) throw new Error('useSettingsStore() needs provideSettingsStore() in an ancestor');
  return store;
}

/** For tests that render a component on its own: the context entry `render()` accepts. */
export function settingsStoreContext(store: SettingsStore): Map<symbol, SettingsStore> {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a context map for render(), not state
  return new Map([[CONTEXT_KEY, store]]);
}

// The native player as the UI sees it: the whole PlayerState (live through `player-changed`), the last
// error in words, and the waveform of what plays. One instance, created by the App, reached through context;
// composers and the Library call `play(mediaId)`.
import { getContext, setContext } from 'svelte';
import type { PlayerState } from '$lib/bindings/PlayerState';
import type { Waveform } from '$lib/bindings/Waveform';
import {
  compareTakes,
  getPlayerState,
  getWaveform,
  onPlayerChanged,
  onPlayerError,
  pausePlayer,
  playMedia,
  resumePlayer,
  seekPlayer,
  setPlayerVolume,
  stopPlayer,
  switchComparedTake,
  toIpcError,
  type Unlisten,
} from '$lib/ipc';
import { SEEK_STEP_MS } from './waveform';

/** Columns of the mini-player's waveform (its drawn width scales them). */
export const WAVEFORM_COLUMNS = 240;

export class PlayerStore {
  state: PlayerState | null = $state.raw(null);
  error: string | null = $state(null);
  waveform: Waveform | null = $state.raw(null);
  /** The track id the waveform belongs to. */
  #waveformFor: string | null = null;

  /** Shown once anything has been played (DESIGN.md: "present once anything has been played"). */
  readonly visible = $derived(this.state?.track != null);
  readonly playing = $derived(this.state?.status === 'playing');

  /** Follows the player's events; returns the function that stops following. */
  start(): () => void {
    const stops: Unlisten[] = [];
    let stopped = false;
    const keep = (p: Promise<Unlisten>) =>
      p.then(
        (unlisten) => (stopped ? unlisten() : stops.push(unlisten)),
        (e: unknown) => console.warn('cannot follow the player:', toIpcError(e).message),
      );
    keep(onPlayerChanged((state) => this.apply(state)));
    keep(onPlayerError((error) => (this.error = error.message)));
    getPlayerState().then(
      (state) => this.apply(state),
      () => {},
    );
    return () => {
      stopped = true;
      for (const stop of stops) stop();
    };
  }

  apply(state: PlayerState): void {
    this.state = state;
    const id = state.track?.id ?? null;
    if (id !== this.#waveformFor) {
      this.#waveformFor = id;
      this.waveform = null;
      // Library files have their media id as track id; streamed speech ("stream-N") has no file yet.
      if (id !== null && /^\d+$/.test(id)) void this.#loadWaveform(id);
    }
  }

  async #loadWaveform(id: string): Promise<void> {
    try {
      const waveform = await getWaveform(Number(id), WAVEFORM_COLUMNS);
      if (this.#waveformFor === id) this.waveform = waveform;
    } catch (e) {
      console.warn('no waveform:', toIpcError(e).message);
    }
  }

  async #run(action: () => Promise<PlayerState>): Promise<void> {
    try {
      this.apply(await action());
      this.error = null;
    } catch (e) {
      this.error = toIpcError(e).message;
    }
  }

  /** Plays a library audio file (its media id). */
  play(mediaId: number): Promise<void> {
    return this.#run(() => playMedia(mediaId));
  }

  toggle(): Promise<void> {
    return this.#run(() => (this.playing ? pausePlayer() : resumePlayer()));
  }

  seekTo(positionMs: number): Promise<void> {
    return this.#run(() => seekPlayer(positionMs));
  }

  /** Seeks by whole steps (negative: back), within the track. */
  seekBy(steps: number): Promise<void> {
    const state = this.state;
    if (state?.track == null || state.streaming) return Promise.resolve();
    const end = state.durationMs ?? Number.MAX_SAFE_INTEGER;
    return this.seekTo(Math.min(end, Math.max(0, state.positionMs + steps * SEEK_STEP_MS)));
  }

  setVolume(volume: number): Promise<void> {
    return this.#run(() => setPlayerVolume(volume));
  }

  stop(): Promise<void> {
    return this.#run(() => stopPlayer());
  }

  /** Plays 2–4 takes (media ids) in step for an A/B compare, loudness-matched, take `active` heard. */
  compare(mediaIds: number[], titles: string[], active = 0): Promise<void> {
    return this.#run(() => compareTakes(mediaIds, titles, active));
  }

  /** Hears compared take `active` from the same position. */
  switchTo(active: number): Promise<void> {
    return this.#run(() => switchComparedTake(active));
  }

  dismissError(): void {
    this.error = null;
  }
}

const KEY = Symbol('player-store');

export function providePlayer(store: PlayerStore): void {
  setContext(KEY, store);
}

export function usePlayer(): PlayerStore {
  const store = getContext<PlayerStore | undefined>(KEY);
  if (store === undefined) throw new Error('usePlayer() needs providePlayer() in an ancestor');
  return store;
}

/** For tests that render a component on its own. */
export function playerContext(store: PlayerStore): Map<symbol, PlayerStore> {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a context map for render(), not state
  return new Map([[KEY, store]]);
}

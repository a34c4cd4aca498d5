// The undo window of a delete: the deleted ids stay restorable for a few seconds, then the offer goes away
// (the files wait in the trash until the next launch empties it). A newer delete replaces the offer.

/** How long "Undo" is offered. */
export const UNDO_WINDOW_MS = 8_000;

/** The clock functions the timer uses; tests pass fake ones. */
export interface TimerClock {
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const SYSTEM_CLOCK: TimerClock = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class UndoTimer {
  #ids: number[] = [];
  #handle: unknown = null;
  readonly #clock: TimerClock;
  readonly #windowMs: number;
  readonly #onchange: (ids: readonly number[]) => void;

  /** `onchange` hears the ids on offer after every change (empty: no offer). */
  constructor(onchange: (ids: readonly number[]) => void, windowMs = UNDO_WINDOW_MS, clock: TimerClock = SYSTEM_CLOCK) {
    this.#onchange = onchange;
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  /** The ids that can still be restored. */
  get pending(): readonly number[] {
    return this.#ids;
  }

  /** Offers undo for `ids` for the whole window, replacing an earlier offer. */
  offer(ids: readonly number[]): void {
    this.#cancel();
    this.#ids = [...ids];
    if (this.#ids.length > 0) this.#handle = this.#clock.setTimeout(() => this.expire(), this.#windowMs);
    this.#onchange(this.#ids);
  }

  /** Takes the ids to restore (empty once the window has passed) and ends the offer. */
  take(): number[] {
    const ids = this.#ids;
    this.expire();
    return ids;
  }

  /** Ends the offer now. */
  expire(): void {
    this.#cancel();
    if (this.#ids.length === 0) return;
    this.#ids = [];
    this.#onchange(this.#ids);
  }

  #cancel(): void {
    if (this.#handle !== null) this.#clock.clearTimeout(this.#handle);
    this.#handle = null;
  }
}

// Pure pieces of the mini-player: the waveform as an SVG path, the scrubber's position maths and what a key
// press means to the player. No state, so they are tested without a DOM.

/** One SVG path of vertical strokes, one per column, for peaks in -1..1 drawn `height` units tall. */
export function waveformPath(peaks: readonly (readonly [number, number])[], height: number): string {
  const mid = height / 2;
  const parts: string[] = [];
  peaks.forEach(([low, high], x) => {
    // A silent column still shows a hairline, so the track's length stays visible.
    const top = mid - Math.max(Math.abs(high), 0.02) * mid;
    const bottom = mid + Math.max(Math.abs(low), 0.02) * mid;
    parts.push(`M${x + 0.5} ${round(top)}V${round(bottom)}`);
  });
  return parts.join('');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The fraction (0–1) of the track played; 0 when the length is unknown. */
export function progress(positionMs: number, durationMs: number | null | undefined): number {
  if (!durationMs || durationMs <= 0) return 0;
  return Math.min(1, Math.max(0, positionMs / durationMs));
}

/** The position a click at `x` pixels into a scrubber `width` pixels wide asks for. */
export function positionAt(x: number, width: number, durationMs: number): number {
  if (width <= 0) return 0;
  return Math.round(Math.min(1, Math.max(0, x / width)) * durationMs);
}

/** How far one arrow press seeks. */
export const SEEK_STEP_MS = 5_000;

/** What the player does for a key: toggle play/pause, seek back or forward, or nothing. */
export type PlayerKeyAction = 'toggle' | 'back' | 'forward' | null;

/** The parts of a keyboard event the decision needs (a KeyboardEvent fits). */
export interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | null;
}

/** Whether keys have their own meaning in `target`: form controls (text, checkboxes, sliders, selects) and
 * editable content. The player leaves every key alone there. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Space toggles and ←/→ seek, unless a modifier is held, something else already handled the key (a list
 * moving its selection), or focus is where the key has its own meaning (space presses a focused button;
 * arrows move a focused slider). */
export function playerKeyAction(press: KeyPress): PlayerKeyAction {
  if (press.defaultPrevented || press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) return null;
  if (isTypingTarget(press.target)) return null;
  const el = typeof HTMLElement !== 'undefined' && press.target instanceof HTMLElement ? press.target : null;
  const slider = el?.getAttribute('role') === 'slider';
  const button = el?.tagName === 'BUTTON' || el?.getAttribute('role') === 'button';
  switch (press.key) {
    case ' ':
      return button || slider ? null : 'toggle';
    case 'ArrowLeft':
      return slider ? null : 'back';
    case 'ArrowRight':
      return slider ? null : 'forward';
    default:
      return null;
  }
}

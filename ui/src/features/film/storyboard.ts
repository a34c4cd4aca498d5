// What the storyboard shows of a film, as pure functions of the film model so every rule (a slot's state,
// a card's picture and cost, the next thing to make, where a moved shot lands, what a key does) is tested
// without rendering.
import type { Film } from '$lib/bindings/Film';
import type { JobState } from '$lib/bindings/JobState';
import type { Line } from '$lib/bindings/Line';
import type { Shot } from '$lib/bindings/Shot';
import type { StageChoice } from '$lib/bindings/StageChoice';
import type { Take } from '$lib/bindings/Take';

/**
 * A slot as the card draws it: nothing made (○), a take on its way (◐: queued, waiting for quota, running,
 * downloading), takes made but none chosen (◎: choose one), or a chosen take (◉).
 */
export type SlotState = 'empty' | 'busy' | 'ready' | 'chosen';

export const SLOT_MARK: Record<SlotState, string> = { empty: '○', busy: '◐', ready: '◎', chosen: '◉' };

const BUSY: ReadonlySet<JobState> = new Set(['queued', 'waitingForQuota', 'running', 'downloading']);

export function isBusy(take: Take): boolean {
  return BUSY.has(take.state);
}

/** The state of a slot from its takes. A take on its way wins over a chosen one: the card shows work. */
export function slotState(takes: readonly Take[]): SlotState {
  if (takes.some(isBusy)) return 'busy';
  if (takes.some((t) => t.chosen)) return 'chosen';
  if (takes.some((t) => t.state === 'succeeded')) return 'ready';
  return 'empty';
}

/** The lines of a shot as one slot: chosen when every line has a chosen take, busy when any is on its way. */
export function linesState(lines: readonly Line[]): SlotState | null {
  if (lines.length === 0) return null;
  const states = lines.map((l) => slotState(l.takes));
  if (states.includes('busy')) return 'busy';
  if (states.every((s) => s === 'chosen')) return 'chosen';
  if (states.some((s) => s !== 'empty')) return 'ready';
  return 'empty';
}

/** Lines made with a voice the speaker no longer has (shown, never re-made by themselves). */
export function staleLines(lines: readonly Line[]): number {
  return lines.filter((l) => l.takes.some((t) => t.chosen && t.stale)).length;
}

export function chosenTake(takes: readonly Take[]): Take | undefined {
  return takes.find((t) => t.chosen);
}

/** What a card shows: the chosen clip (as video), else the chosen keyframe, else nothing. */
export type CardPicture = { kind: 'clip' | 'keyframe'; relPath: string } | { kind: 'none' };

/**
 * How many storyboard cards a window shows before any scrolling (a 1920-wide window shows 12 at 16:9): their
 * pictures load eagerly and are fetched ahead when a film is about to be opened.
 */
export const FIRST_SCREEN_CARDS = 12;

/** Cards rendered when a film opens (a large window's first screen); the rest follow the first pictures. */
export const FIRST_RENDER_CARDS = 24;

/** The longest the rest of the cards wait for the first screen's pictures, in ms. */
export const REST_AFTER_MS = 250;

export function cardPicture(shot: Shot): CardPicture {
  const clip = chosenTake(shot.clips);
  if (clip?.relPath) return { kind: 'clip', relPath: clip.relPath };
  const keyframe = chosenTake(shot.keyframes);
  if (keyframe?.relPath) return { kind: 'keyframe', relPath: keyframe.relPath };
  return { kind: 'none' };
}

/** Every take of a shot: keyframes, clips and its lines' voices. */
export function shotTakes(shot: Shot): Take[] {
  return [...shot.keyframes, ...shot.clips, ...shot.lines.flatMap((l) => l.takes)];
}

/**
 * What the shot's takes cost so far, in requests (each job counted once: an image job makes several takes and
 * carries its cost on each of them).
 */
export function shotSpent(shot: Shot): number {
  const byJob = new Map<number, number>();
  for (const take of shotTakes(shot)) {
    if (take.requests !== undefined && !byJob.has(take.jobId)) byJob.set(take.jobId, take.requests);
  }
  let total = 0;
  for (const requests of byJob.values()) total += requests;
  return total;
}

/** Whether a job made (or is making) one of the film's takes: its change should refresh the film. */
export function filmHasJob(film: Film, jobId: number): boolean {
  if (film.music.some((t) => t.jobId === jobId)) return true;
  return film.shots.some((shot) => shotTakes(shot).some((t) => t.jobId === jobId));
}

/** Whether any take of the film is on its way (deleting the film then asks what happens to them). */
export function filmBusy(film: Film): boolean {
  return film.music.some(isBusy) || film.shots.some((shot) => shotTakes(shot).some(isBusy));
}

/** The film's planned length, seconds. */
export function plannedSeconds(film: Film): number {
  return film.shots.reduce((sum, s) => sum + s.durationS, 0);
}

/**
 * What Ctrl/Cmd+Enter makes for a selected shot: its keyframe first, then its lines, then its clip — the
 * cheap stages before the dear one. Null when everything is chosen or on its way.
 */
export function nextStageFor(shot: Shot): Exclude<StageChoice, 'all' | 'music'> | null {
  if (slotState(shot.keyframes) === 'empty') return 'keyframes';
  const lines = linesState(shot.lines);
  if (lines === 'empty' || (lines === 'ready' && shot.lines.some((l) => slotState(l.takes) === 'empty'))) {
    return 'lines';
  }
  // A clip that starts from the keyframe waits for it to be chosen.
  const needsKeyframe = shot.clipStart !== 'text' && slotState(shot.keyframes) !== 'chosen';
  if (slotState(shot.clips) === 'empty' && !needsKeyframe) return 'clips';
  return null;
}

/**
 * Where a dragged shot goes: dropped on the card at `target`, before or after it. The backend's index is
 * the shot's place once it is taken out of the list, so a move down counts one less.
 */
export function dropIndex(from: number, target: number, after: boolean): number {
  const slot = after ? target + 1 : target;
  return slot > from ? slot - 1 : slot;
}

/** What a key pressed on the storyboard does. */
export type StoryboardAction =
  | { kind: 'select'; index: number }
  | { kind: 'move'; index: number }
  | { kind: 'open' }
  | { kind: 'make' }
  | { kind: 'undo' }
  | { kind: 'delete' };

/**
 * The storyboard's keyboard: arrows (and Home/End) between shots, Alt+arrows to move the selected shot,
 * Enter to open it, Ctrl/Cmd+Enter to make what it needs next, Ctrl/Cmd+Z to undo, Delete to remove it.
 */
export function storyboardKey(
  key: { key: string; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean; shiftKey?: boolean },
  selected: number,
  count: number,
): StoryboardAction | null {
  const mod = key.ctrlKey === true || key.metaKey === true;
  if (mod && key.key === 'Enter') return count > 0 ? { kind: 'make' } : null;
  if (mod && (key.key === 'z' || key.key === 'Z') && key.shiftKey !== true) return { kind: 'undo' };
  if (count === 0) return null;
  const step = key.key === 'ArrowLeft' || key.key === 'ArrowUp' ? -1 : key.key === 'ArrowRight' || key.key === 'ArrowDown' ? 1 : 0;
  if (step !== 0) {
    const index = Math.min(count - 1, Math.max(0, selected + step));
    if (key.altKey === true) return index === selected ? null : { kind: 'move', index };
    return { kind: 'select', index };
  }
  if (key.key === 'Home') return { kind: 'select', index: 0 };
  if (key.key === 'End') return { kind: 'select', index: count - 1 };
  if (key.key === 'Enter' && !mod) return { kind: 'open' };
  if (key.key === 'Delete') return { kind: 'delete' };
  return null;
}

/** `0:58` for a length in seconds. */
export function formatSeconds(seconds: number): string {
  const total = Math.round(seconds);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

import { describe, expect, it } from 'vitest';
import { paperBoat, shot, take } from '../../test/film-fixtures';
import {
  cardPicture,
  dropIndex,
  filmBusy,
  filmHasJob,
  linesState,
  nextStageFor,
  shotSpent,
  slotState,
  staleLines,
  storyboardKey,
  formatSeconds,
} from './storyboard';

describe('slot states', () => {
  it.each([
    ['no takes', [], 'empty'],
    ['a failed take only', [take(1, { state: 'failed' })], 'empty'],
    ['a queued take', [take(1, { state: 'queued' })], 'busy'],
    ['waiting for quota', [take(1, { state: 'waitingForQuota' })], 'busy'],
    ['downloading', [take(1, { state: 'downloading' })], 'busy'],
    ['made, none chosen', [take(1)], 'ready'],
    ['chosen', [take(1, { chosen: true })], 'chosen'],
    ['chosen, another on its way', [take(2, { state: 'running' }), take(1, { chosen: true })], 'busy'],
  ] as const)('%s → %s', (_, takes, expected) => {
    expect(slotState([...takes])).toBe(expected);
  });

  it('lines count as one slot: chosen only when every line is', () => {
    const voiced = { id: 1, speaker: 'Narrator', text: 'a', takes: [take(1, { chosen: true })] };
    const silent = { id: 2, speaker: 'Narrator', text: 'b', takes: [] };
    expect(linesState([])).toBeNull();
    expect(linesState([silent])).toBe('empty');
    expect(linesState([voiced, silent])).toBe('ready');
    expect(linesState([voiced])).toBe('chosen');
    expect(linesState([voiced, { ...silent, takes: [take(3, { state: 'running' })] }])).toBe('busy');
  });

  it('counts stale lines (voice changed after they were voiced)', () => {
    expect(staleLines(paperBoat().shots[0]!.lines)).toBe(1);
  });
});

describe('a card', () => {
  it('shows the chosen clip, else the chosen keyframe, else nothing', () => {
    const film = paperBoat();
    expect(cardPicture(film.shots[0]!)).toEqual({ kind: 'clip', relPath: 'media/102-0.mp4' });
    expect(cardPicture({ ...film.shots[0]!, clips: [] })).toEqual({ kind: 'keyframe', relPath: 'media/101-0.png' });
    expect(cardPicture(film.shots[2]!)).toEqual({ kind: 'none' });
  });

  it('counts what its takes cost, each job once', () => {
    const s = shot(1, 0, {
      keyframes: [take(5, { jobId: 9, ordinal: 0, requests: 150 }), take(6, { jobId: 9, ordinal: 1, requests: 150 })],
      clips: [take(7, { requests: 4500 })],
    });
    expect(shotSpent(s)).toBe(4650);
  });
});

describe('the film and its jobs', () => {
  it('knows which jobs are its takes and whether any is on its way', () => {
    const film = paperBoat();
    expect(filmHasJob(film, 103)).toBe(true);
    expect(filmHasJob(film, 999)).toBe(false);
    expect(filmBusy(film)).toBe(true);
    film.shots[1]!.keyframes = [];
    expect(filmBusy(film)).toBe(false);
  });

  it('makes the cheap stages first for a selected shot', () => {
    const film = paperBoat();
    expect(nextStageFor(film.shots[2]!)).toBe('keyframes');
    expect(nextStageFor({ ...film.shots[2]!, keyframes: [take(1, { chosen: true })] })).toBe('lines');
    expect(nextStageFor({ ...film.shots[2]!, keyframes: [take(1, { chosen: true })], lines: [] })).toBe('clips');
    expect(nextStageFor(film.shots[0]!)).toBeNull();
    // Shot 2's keyframe is on its way: its clip waits for it.
    expect(nextStageFor(film.shots[1]!)).toBeNull();
    expect(nextStageFor({ ...film.shots[1]!, clipStart: 'text' })).toBe('clips');
  });

  it('formats lengths', () => {
    expect(formatSeconds(58)).toBe('0:58');
    expect(formatSeconds(125.4)).toBe('2:05');
  });
});

describe('reordering', () => {
  it.each([
    // from, onto, after, → index once the shot is out of the list
    [0, 2, false, 1],
    [0, 2, true, 2],
    [3, 1, false, 1],
    [3, 1, true, 2],
    [2, 2, true, 2],
  ])('shot %i dropped on %i (after: %s) → %i', (from, target, after, expected) => {
    expect(dropIndex(from, target, after)).toBe(expected);
  });
});

describe('the storyboard keyboard', () => {
  it.each([
    [{ key: 'ArrowRight' }, 1, 5, { kind: 'select', index: 2 }],
    [{ key: 'ArrowLeft' }, 0, 5, { kind: 'select', index: 0 }],
    [{ key: 'ArrowDown' }, 4, 5, { kind: 'select', index: 4 }],
    [{ key: 'Home' }, 3, 5, { kind: 'select', index: 0 }],
    [{ key: 'End' }, 1, 5, { kind: 'select', index: 4 }],
    [{ key: 'ArrowRight', altKey: true }, 1, 5, { kind: 'move', index: 2 }],
    [{ key: 'ArrowLeft', altKey: true }, 0, 5, null],
    [{ key: 'Enter' }, 1, 5, { kind: 'open' }],
    [{ key: 'Enter', ctrlKey: true }, 1, 5, { kind: 'make' }],
    [{ key: 'Enter', metaKey: true }, 1, 5, { kind: 'make' }],
    [{ key: 'z', ctrlKey: true }, 1, 5, { kind: 'undo' }],
    [{ key: 'z', metaKey: true, shiftKey: true }, 1, 5, null],
    [{ key: 'Delete' }, 1, 5, { kind: 'delete' }],
    [{ key: 'a' }, 1, 5, null],
    [{ key: 'ArrowRight' }, 0, 0, null],
  ])('%o at %i of %i → %o', (key, selected, count, expected) => {
    expect(storyboardKey(key, selected, count)).toEqual(expected);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UNDO_WINDOW_MS, UndoTimer } from './undo-timer';

describe('undo timer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('offers undo for the window, then withdraws it', () => {
    const seen: number[][] = [];
    const timer = new UndoTimer((ids) => seen.push([...ids]));
    timer.offer([3, 4]);
    vi.advanceTimersByTime(UNDO_WINDOW_MS - 1);
    expect(timer.pending).toEqual([3, 4]);
    vi.advanceTimersByTime(1);
    expect(timer.pending).toEqual([]);
    expect(timer.take()).toEqual([]);
    expect(seen).toEqual([[3, 4], []]);
  });

  it('gives the ids back once when undone in time', () => {
    const timer = new UndoTimer(() => {});
    timer.offer([7]);
    vi.advanceTimersByTime(2_000);
    expect(timer.take()).toEqual([7]);
    expect(timer.take()).toEqual([]);
  });

  it('a newer delete replaces the offer and restarts the window', () => {
    const timer = new UndoTimer(() => {});
    timer.offer([1]);
    vi.advanceTimersByTime(6_000);
    timer.offer([2]);
    vi.advanceTimersByTime(6_000);
    expect(timer.pending).toEqual([2]);
    vi.advanceTimersByTime(2_000);
    expect(timer.pending).toEqual([]);
  });
});

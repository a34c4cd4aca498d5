import { describe, expect, it } from 'vitest';
import { gridLayout, listLayout, moveFocus, needsMore, rowCount, scrollToReveal, visibleWindow } from './virtual-window';

describe('virtual window', () => {
  it('fits as many columns as the width allows', () => {
    const layout = gridLayout(1000, 180, 12, 0.75, 56);
    expect(layout.columns).toBe(5);
    expect(layout.cellWidth).toBeCloseTo((1000 - 4 * 12) / 5);
    expect(layout.rowHeight).toBe(Math.round(layout.cellWidth * 0.75 + 56 + 12));
    expect(gridLayout(100, 180, 12, 1, 0).columns).toBe(1);
  });

  it('renders only the rows in view plus overscan, even for 100,000 items', () => {
    const layout = listLayout(800, 50);
    expect(visibleWindow(0, 500, layout, 100_000, 2)).toEqual({ start: 0, end: 12, offsetTop: 0 });
    const deep = visibleWindow(2_500_000, 500, layout, 100_000, 2);
    expect(deep).toEqual({ start: 49_998, end: 50_012, offsetTop: 49_998 * 50 });
    expect(deep.end - deep.start).toBeLessThan(20);
    expect(visibleWindow(10_000_000, 500, layout, 100, 2).end).toBe(100);
    expect(visibleWindow(0, 500, layout, 0)).toEqual({ start: 0, end: 0, offsetTop: 0 });
  });

  it('counts grid rows and windows by whole rows', () => {
    const layout = { columns: 4, cellWidth: 200, rowHeight: 100 };
    expect(rowCount(10, 4)).toBe(3);
    expect(visibleWindow(150, 200, layout, 1_000, 1)).toEqual({ start: 0, end: 20, offsetTop: 0 });
    expect(visibleWindow(1_000, 200, layout, 1_000, 1)).toEqual({ start: 36, end: 52, offsetTop: 900 });
  });

  it('scrolls just enough to reveal an item', () => {
    const layout = { columns: 4, cellWidth: 200, rowHeight: 100 };
    expect(scrollToReveal(0, 0, 300, layout)).toBeNull();
    expect(scrollToReveal(20, 0, 300, layout)).toBe(300);
    expect(scrollToReveal(4, 250, 300, layout)).toBe(100);
  });

  it('moves the focus by cell, row, page and end', () => {
    expect(moveFocus('ArrowRight', 3, 10, 4, 2)).toBe(4);
    expect(moveFocus('ArrowDown', 7, 10, 4, 2)).toBe(9);
    expect(moveFocus('ArrowUp', 1, 10, 4, 2)).toBe(0);
    expect(moveFocus('PageDown', 0, 100, 4, 3)).toBe(12);
    expect(moveFocus('End', 0, 10, 4, 2)).toBe(9);
    expect(moveFocus('Enter', 0, 10, 4, 2)).toBeNull();
    expect(moveFocus('ArrowDown', 0, 0, 4, 2)).toBeNull();
  });

  it('asks for more before the end is reached', () => {
    expect(needsMore(80, 100, 40)).toBe(true);
    expect(needsMore(20, 100, 40)).toBe(false);
  });
});

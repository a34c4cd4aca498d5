// Windowing for the Library's grid and list: which rows are in view, so only those (plus a little overscan)
// are in the DOM. Pure arithmetic, so it is tested without a browser; 100,000 items cost nothing but a tall
// empty box.

/** The grid's columns and row height for a viewport `width` pixels wide. */
export interface Layout {
  columns: number;
  /** Width of one cell, pixels. */
  cellWidth: number;
  /** Height of one row including the gap below it, pixels. */
  rowHeight: number;
}

/** As many columns of at least `minCell` pixels as fit with `gap` between them (at least one). A cell is
 * `cellWidth * mediaRatio + footer` pixels tall. */
export function gridLayout(width: number, minCell: number, gap: number, mediaRatio: number, footer: number): Layout {
  const columns = Math.max(1, Math.floor((Math.max(0, width) + gap) / (minCell + gap)));
  const cellWidth = Math.max(0, (width - gap * (columns - 1)) / columns);
  return { columns, cellWidth, rowHeight: Math.round(cellWidth * mediaRatio + footer + gap) };
}

/** The list view: one item per row. */
export function listLayout(width: number, rowHeight: number): Layout {
  return { columns: 1, cellWidth: Math.max(0, width), rowHeight };
}

/** Rows needed for `count` items. */
export function rowCount(count: number, columns: number): number {
  return Math.ceil(Math.max(0, count) / Math.max(1, columns));
}

/** Items `[start, end)` to render, and the offset of the first rendered row. */
export interface Window {
  start: number;
  end: number;
  offsetTop: number;
}

/** The items in view at `scrollTop` in a viewport `height` pixels tall, with `overscan` rows either side. */
export function visibleWindow(
  scrollTop: number,
  height: number,
  layout: Layout,
  count: number,
  overscan = 2,
): Window {
  const rows = rowCount(count, layout.columns);
  if (rows === 0 || layout.rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0 };
  const first = Math.max(0, Math.min(rows - 1, Math.floor(Math.max(0, scrollTop) / layout.rowHeight) - overscan));
  const last = Math.min(rows, Math.ceil((Math.max(0, scrollTop) + Math.max(0, height)) / layout.rowHeight) + overscan);
  return {
    start: first * layout.columns,
    end: Math.min(count, last * layout.columns),
    offsetTop: first * layout.rowHeight,
  };
}

/** The scroll position that brings item `index` fully into view, or null when it already is. */
export function scrollToReveal(index: number, scrollTop: number, height: number, layout: Layout): number | null {
  const row = Math.floor(index / Math.max(1, layout.columns));
  const top = row * layout.rowHeight;
  const bottom = top + layout.rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + height) return Math.max(0, bottom - height);
  return null;
}

/** The index a navigation key moves the focus to (arrows by cell and row, Page keys by a screen, Home/End),
 * or null for other keys. */
export function moveFocus(key: string, index: number, count: number, columns: number, rowsPerPage: number): number | null {
  if (count === 0) return null;
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowRight':
      return clamp(index + 1);
    case 'ArrowLeft':
      return clamp(index - 1);
    case 'ArrowDown':
      return clamp(index + columns);
    case 'ArrowUp':
      return clamp(index - columns);
    case 'PageDown':
      return clamp(index + columns * Math.max(1, rowsPerPage));
    case 'PageUp':
      return clamp(index - columns * Math.max(1, rowsPerPage));
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Whether the next page should be fetched: the window reaches within `ahead` items of what is loaded. */
export function needsMore(windowEnd: number, loaded: number, ahead: number): boolean {
  return windowEnd + ahead >= loaded;
}

// Colours and axes for uPlot from the design tokens, so charts follow the light/dark theme.
import type uPlot from 'uplot';

/** Series colours, distinguishable in both themes and for common colour-vision deficiencies. */
export const SERIES_COLOURS = ['#5b47e0', '#0ea5e9', '#f59e0b', '#10b981', '#ef4444', '#a855f7', '#64748b'];

export function token(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Axes drawn in the muted text colour over faint grid lines. */
export function axes(format: { x: (v: number) => string; y: (v: number) => string }): uPlot.Axis[] {
  const stroke = token('--text-muted', '#5c5c6a');
  const grid = { stroke: token('--border', '#e3e3ea'), width: 1 };
  const font = `12px ${token('--font-sans', 'sans-serif')}`;
  return [
    { stroke, grid: { show: false }, ticks: { show: false }, font, values: (_u, values) => values.map(format.x) },
    { stroke, grid, ticks: { show: false }, font, size: 56, values: (_u, values) => values.map(format.y) },
  ];
}

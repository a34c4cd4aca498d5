// The timeline under the animatic player as pure arithmetic: where each shot, line and ducking span sits
// (percent of the film), which shot plays at a time, and where a shot starts — so scrubbing and the
// storyboard's selection follow each other, tested without a video element.
import type { Timeline } from '$lib/bindings/Timeline';

export interface Placed {
  /** Percent of the film's length from its start. */
  left: number;
  /** Percent of the film's length. */
  width: number;
}

export function place(startMs: number, endMs: number, durationMs: number): Placed {
  if (durationMs <= 0) return { left: 0, width: 0 };
  const start = Math.max(0, Math.min(startMs, durationMs));
  const end = Math.max(start, Math.min(endMs, durationMs));
  return { left: (start / durationMs) * 100, width: ((end - start) / durationMs) * 100 };
}

/** The id of the shot that plays at `ms` (the last one at or past the end), or null with no shots. */
export function shotAt(timeline: Timeline, ms: number): number | null {
  const shots = timeline.shots;
  if (shots.length === 0) return null;
  for (const shot of shots) {
    if (ms < shot.endMs) return shot.id;
  }
  return shots[shots.length - 1]!.id;
}

/** Where shot `id` starts, ms (null when it is not on the timeline). */
export function shotStart(timeline: Timeline, id: number): number | null {
  return timeline.shots.find((s) => s.id === id)?.startMs ?? null;
}

/** The time a click at `fraction` (0–1) of the timeline's width means, ms. */
export function timeAt(timeline: Timeline, fraction: number): number {
  return Math.round(Math.max(0, Math.min(1, fraction)) * timeline.durationMs);
}

import { describe, expect, it } from 'vitest';
import { filmTimeline, paperBoat } from '../../test/film-fixtures';
import { place, shotAt, shotStart, timeAt } from './timeline-view';

describe('the timeline under the player', () => {
  const timeline = filmTimeline(paperBoat());

  it('places spans in percent of the film, clamped to it', () => {
    expect(place(0, 6000, 18_000)).toEqual({ left: 0, width: (6000 / 18_000) * 100 });
    expect(place(15_000, 30_000, 18_000)).toEqual({ left: (15_000 / 18_000) * 100, width: (3000 / 18_000) * 100 });
    expect(place(0, 10, 0)).toEqual({ left: 0, width: 0 });
  });

  it('finds the shot under the playhead, and where a shot starts', () => {
    expect(shotAt(timeline, 0)).toBe(11);
    expect(shotAt(timeline, 5999)).toBe(11);
    expect(shotAt(timeline, 6000)).toBe(12);
    expect(shotAt(timeline, 99_999)).toBe(13);
    expect(shotStart(timeline, 13)).toBe(12_000);
    expect(shotStart(timeline, 404)).toBeNull();
  });

  it('turns a click into a time', () => {
    expect(timeAt(timeline, 0.5)).toBe(9000);
    expect(timeAt(timeline, -1)).toBe(0);
    expect(timeAt(timeline, 2)).toBe(18_000);
  });
});

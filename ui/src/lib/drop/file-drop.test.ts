import { afterEach, describe, expect, it, vi } from 'vitest';
import { dropSlot, kindOfPath, route } from './file-drop';

describe('file drop', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('knows images and audio by their extension', () => {
    expect(kindOfPath('/home/a/Frame.PNG')).toBe('image');
    expect(kindOfPath('C:\\clips\\first.jpeg')).toBe('image');
    expect(kindOfPath('/voice/sample.m4a')).toBe('audio');
    expect(kindOfPath('/notes/readme.txt')).toBeNull();
    expect(kindOfPath('/no-extension')).toBeNull();
  });

  it('gives a file of the right kind to the slot under the pointer and refuses another kind by name', () => {
    const slot = document.createElement('div');
    document.body.append(slot);
    const ondrop = vi.fn();
    const onwrong = vi.fn();
    const action = dropSlot(slot, { kind: 'image', ondrop, onwrong });
    // jsdom has no layout: the slot is "under the pointer" wherever it is asked.
    document.elementFromPoint = () => slot;
    route({ type: 'over', x: 5, y: 5 });
    expect(slot.classList.contains('drop-over')).toBe(true);
    route({ type: 'drop', paths: ['/tmp/take.mp3'], x: 5, y: 5 });
    expect(onwrong).toHaveBeenCalledWith('take.mp3');
    expect(ondrop).not.toHaveBeenCalled();
    expect(slot.classList.contains('drop-over')).toBe(false);
    route({ type: 'drop', paths: ['/tmp/frame.webp'], x: 5, y: 5 });
    expect(ondrop).toHaveBeenCalledWith('/tmp/frame.webp');
    action.destroy();
    route({ type: 'drop', paths: ['/tmp/frame.webp'], x: 5, y: 5 });
    expect(ondrop).toHaveBeenCalledTimes(1);
  });
});

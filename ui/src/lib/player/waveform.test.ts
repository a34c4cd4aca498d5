import { describe, expect, it } from 'vitest';
import { playerKeyAction, positionAt, progress, waveformPath, type KeyPress } from './waveform';

function press(key: string, target: EventTarget | null = document.body, more: Partial<KeyPress> = {}): KeyPress {
  return { key, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, defaultPrevented: false, target, ...more };
}

describe('waveform', () => {
  it('draws one stroke per column around the middle', () => {
    const path = waveformPath([[-1, 1], [0, 0]], 20);
    expect(path).toBe('M0.5 0V20M1.5 9.8V10.2');
  });

  it('measures progress and maps clicks to positions', () => {
    expect(progress(500, 2000)).toBe(0.25);
    expect(progress(5000, 2000)).toBe(1);
    expect(progress(100, null)).toBe(0);
    expect(positionAt(50, 200, 8000)).toBe(2000);
    expect(positionAt(-5, 200, 8000)).toBe(0);
    expect(positionAt(500, 200, 8000)).toBe(8000);
  });
});

describe('player keys', () => {
  it('space toggles and arrows seek when focus is on the page', () => {
    expect(playerKeyAction(press(' '))).toBe('toggle');
    expect(playerKeyAction(press('ArrowLeft'))).toBe('back');
    expect(playerKeyAction(press('ArrowRight'))).toBe('forward');
    expect(playerKeyAction(press('a'))).toBeNull();
  });

  it('leaves text fields, buttons, handled keys and shortcuts alone', () => {
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    const button = document.createElement('button');
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    expect(playerKeyAction(press(' ', input))).toBeNull();
    expect(playerKeyAction(press('ArrowLeft', textarea))).toBeNull();
    expect(playerKeyAction(press(' ', button))).toBeNull();
    expect(playerKeyAction(press('ArrowRight', button))).toBe('forward');
    expect(playerKeyAction(press(' ', checkbox))).toBeNull();
    expect(playerKeyAction(press('ArrowLeft', document.body, { defaultPrevented: true }))).toBeNull();
    expect(playerKeyAction(press(' ', document.body, { ctrlKey: true }))).toBeNull();
  });
});

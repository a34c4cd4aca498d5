import { describe, expect, it } from 'vitest';
import { isMac, modLabel } from './shortcuts';

describe('shortcut labels', () => {
  it('use ⌘ on macOS and Ctrl on Linux and Windows', () => {
    expect(modLabel('MacIntel')).toBe('⌘');
    expect(modLabel('Linux x86_64')).toBe('Ctrl');
    expect(modLabel('Win32')).toBe('Ctrl');
    expect(isMac('iPad')).toBe(true);
  });
});

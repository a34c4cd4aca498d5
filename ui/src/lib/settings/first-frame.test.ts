import { beforeEach, describe, expect, it, vi } from 'vitest';
import { recallAppearance, rememberAppearance } from './first-frame';

describe('the first-frame appearance', () => {
  beforeEach(() => localStorage.clear());

  it('is unknown before anything was shown', () => {
    expect(recallAppearance()).toBeNull();
  });

  it('recalls what was remembered', () => {
    rememberAppearance({ theme: 'dark', language: 'zh-CN' });
    expect(recallAppearance()).toEqual({ theme: 'dark', language: 'zh-CN' });
  });

  it.each(['not json', '{"theme":"sepia","language":"en"}', '{"theme":"dark"}', '42'])(
    'ignores a damaged entry: %s',
    (raw) => {
      localStorage.setItem('tokenplan.appearance', raw);
      expect(recallAppearance()).toBeNull();
    },
  );

  it('survives storage that refuses writes', () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    expect(() => rememberAppearance({ theme: 'light', language: 'en' })).not.toThrow();
    setItem.mockRestore();
    expect(recallAppearance()).toBeNull();
  });
});

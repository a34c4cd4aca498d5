// Runs before every test file. Components are unmounted (which unsubscribes from mocked events) before
// the IPC mocks are removed, whatever order the hooks run in.
import { clearMocks } from '@tauri-apps/api/mocks';
import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  clearMocks();
  localStorage.clear();
});

// jsdom has no HTMLImageElement.decode; the film store decodes the first screen's pictures ahead with it.
if (typeof HTMLImageElement !== 'undefined' && !('decode' in HTMLImageElement.prototype)) {
  Object.defineProperty(HTMLImageElement.prototype, 'decode', { value: () => Promise.resolve(), configurable: true });
}

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

import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '$lib/i18n/i18n.svelte';
import { setTheme } from '$lib/theme/theme.svelte';
import App from '../../App.svelte';
import { FakeBackend } from '../../test/fake-backend';

beforeEach(() => {
  setLanguage('system');
  setTheme('system');
});

function damagedLibrary(backups = true): FakeBackend {
  const backend = new FakeBackend();
  backend.recovery = {
    mode: 'recovery',
    problem: 'the library database /home/ada/library.sqlite3 cannot be used: file is not a database',
    databasePath: '/home/ada/library.sqlite3',
    backups: backups
      ? [{ relPath: 'backups/library-2-20261205T091320000Z.sqlite3', schemaVersion: 2, takenAtMs: 1_733_390_000_000, sizeBytes: 3_145_728 }]
      : [],
  };
  return backend;
}

describe('the recovery screen', () => {
  it('comes instead of the frame, and the studio starts again once a library is open', async () => {
    const backend = damagedLibrary();
    const view = render(App);
    const screen = await view.findByTestId('recovery-screen');
    expect(screen.textContent).toContain('Your library could not be opened');
    expect(view.getByTestId('recovery-problem').textContent).toContain('file is not a database');
    expect(view.getByTestId('recovery-restore').textContent).toContain('Restore the automatic backup');
    expect(screen.textContent).toContain('3.0 MB');
    expect(view.queryByTestId('app-frame')).toBeNull();
    const keyReads = () => backend.calls.filter((c) => c.command === 'get_key_status').length;
    const before = keyReads();

    await fireEvent.click(view.getByTestId('recovery-start-new'));
    await view.findByTestId('welcome-screen');
    expect(backend.recoveries).toEqual(['startNew']);
    expect(view.queryByTestId('recovery-screen')).toBeNull();
    await waitFor(() => expect(keyReads()).toBeGreaterThan(before), { timeout: 2000 });
  });

  it('opens read-only with a notice, and offers no restore without a backup', async () => {
    const backend = damagedLibrary(false);
    const view = render(App);
    await view.findByTestId('recovery-screen');
    expect((view.getByTestId('recovery-restore') as HTMLButtonElement).disabled).toBe(true);
    expect(view.getByTestId('recovery-screen').textContent).toContain('There is no automatic backup yet.');
    await fireEvent.click(view.getByTestId('recovery-read-only'));
    const notice = await view.findByTestId('library-notice');
    expect(notice.textContent).toContain('open read-only');
    await view.findByTestId('app-frame');
    expect(backend.recoveries).toEqual(['openReadOnly']);
  });

  it('stays up with the reason when the action fails', async () => {
    const backend = damagedLibrary();
    backend.failNext('recover_library', { kind: 'internal', message: 'No space left on device (os error 28)' });
    const view = render(App);
    await fireEvent.click(await view.findByTestId('recovery-restore'));
    const error = await view.findByTestId('recovery-error');
    expect(error.textContent).toContain('No space left on device');
    expect(view.getByTestId('recovery-screen')).toBeTruthy();
  });

  it('is in Chinese when the settings say so', async () => {
    const backend = damagedLibrary();
    backend.settings = { ...backend.settings, language: 'zh-CN' };
    const view = render(App);
    await waitFor(() => expect(view.getByTestId('recovery-screen').textContent).toContain('无法打开你的作品库'));
    expect(view.getByTestId('recovery-start-new').textContent).toContain('新建作品库');
  });
});

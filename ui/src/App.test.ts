import { fireEvent, render } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '$lib/i18n/i18n.svelte';
import { setTheme } from '$lib/theme/theme.svelte';
import App from './App.svelte';
import { FakeBackend } from './test/fake-backend';

beforeEach(() => {
  setLanguage('system');
  setTheme('system');
});

describe('App', () => {
  it('shows a full-window error with Retry when the settings cannot be read, then recovers', async () => {
    const backend = new FakeBackend();
    backend.failNext('get_settings', {
      kind: 'internal',
      message: 'cannot use the settings file: Permission denied (os error 13)',
    });
    const view = render(App);

    const failure = await view.findByTestId('startup-error');
    expect(failure.textContent).toContain('Your settings could not be read');
    expect(failure.textContent).toContain('Permission denied (os error 13)');
    expect(view.queryByTestId('app-frame')).toBeNull();

    await fireEvent.click(view.getByTestId('startup-retry'));
    await view.findByTestId('welcome-screen');
    expect(view.queryByTestId('startup-error')).toBeNull();
    expect(backend.calls.filter((call) => call.command === 'get_settings')).toHaveLength(2);
  });

  it('opens on Welcome with no key: CREATE screens, Jobs and Settings in the sidebar', async () => {
    new FakeBackend();
    const view = render(App);
    await view.findByTestId('welcome-screen');

    expect(view.getByTestId('screen-title').textContent).toBe('Welcome');
    expect(view.getAllByTestId(/^nav-/).map((entry) => entry.dataset.testid)).toEqual([
      'nav-film',
      'nav-chat',
      'nav-speech',
      'nav-voices',
      'nav-image',
      'nav-video',
      'nav-music',
      'nav-jobs',
      'nav-library',
      'nav-spend',
      'nav-settings',
    ]);
    view.getByRole('navigation', { name: 'Main navigation' });
    await fireEvent.click(view.getByTestId('nav-settings'));
    await view.findByTestId('settings-screen');
    expect(view.getByTestId('nav-settings').getAttribute('aria-current')).toBe('page');
  });

  it('"Try the demo" starts demo mode: the badge stays, Speech opens', async () => {
    const backend = new FakeBackend();
    const view = render(App);
    await fireEvent.click(await view.findByTestId('try-demo'));
    await view.findByTestId('speech-text');
    expect(view.getByTestId('demo-badge').textContent).toContain('nothing is billed');
    expect(backend.calls.some((call) => call.command === 'start_demo')).toBe(true);
    await fireEvent.click(view.getByTestId('nav-jobs'));
    await view.findByTestId('jobs-empty');
    expect(view.getByTestId('demo-badge')).toBeTruthy();
  });

  it('opens on Speech when a key is saved, with the quota gauge in the top bar', async () => {
    const backend = new FakeBackend();
    backend.keys.plan = { storage: 'keychain', keyType: 'tokenPlan' };
    backend.window = { ...backend.window, used: 1260, remaining: 3240 };
    const view = render(App);
    await view.findByTestId('speech-text');
    const numbers = await view.findByTestId('quota-numbers');
    expect(numbers.textContent).toContain('3,240 / 4,500');
    expect(view.queryByTestId('demo-badge')).toBeNull();
  });

  it('titles the frame in the stored language', async () => {
    new FakeBackend({ language: 'zh-CN' });
    const view = render(App);
    await view.findByTestId('welcome-screen');
    expect(view.getByTestId('screen-title').textContent).toBe('欢迎');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('collapses the sidebar to icons and remembers it', async () => {
    new FakeBackend();
    const first = render(App);
    const toggle = first.getByTestId('sidebar-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-label')).toBe('Collapse sidebar');

    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-label')).toBe('Expand sidebar');
    // Collapsed entries keep their accessible name and get a tooltip.
    expect(first.getByTestId('nav-settings').getAttribute('title')).toBe('Settings');
    first.getByRole('button', { name: 'Settings' });
    first.unmount();

    const second = render(App);
    expect(second.getByTestId('sidebar-toggle').getAttribute('aria-expanded')).toBe('false');
  });
});

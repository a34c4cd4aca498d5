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
    await view.findByTestId('settings-screen');
    expect(view.queryByTestId('startup-error')).toBeNull();
    expect(backend.calls.filter((call) => call.command === 'get_settings')).toHaveLength(2);
  });

  it('frames the Settings screen: title, the only nav entry, current page marked', async () => {
    new FakeBackend();
    const view = render(App);
    await view.findByTestId('settings-screen');

    expect(view.getByTestId('screen-title').textContent).toBe('Settings');
    expect(view.getAllByTestId(/^nav-/).map((entry) => entry.dataset.testid)).toEqual(['nav-settings']);
    expect(view.getByTestId('nav-settings').getAttribute('aria-current')).toBe('page');
    view.getByRole('navigation', { name: 'Main navigation' });
  });

  it('titles the frame in the stored language', async () => {
    new FakeBackend({ language: 'zh-CN' });
    const view = render(App);
    await view.findByTestId('settings-screen');
    expect(view.getByTestId('screen-title').textContent).toBe('设置');
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

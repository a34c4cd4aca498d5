import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '$lib/bindings/Settings';
import { setLanguage } from '$lib/i18n/i18n.svelte';
import { SettingsStore, settingsStoreContext } from '$lib/settings/settings-store.svelte';
import { StudioStore, studioContext } from '$lib/studio/studio-store.svelte';
import { setTheme } from '$lib/theme/theme.svelte';
import { APP_INFO, FakeBackend } from '../../test/fake-backend';
import SettingsScreen from './SettingsScreen.svelte';

type View = { getByTestId: (testId: string) => HTMLElement };

// Unsubscribed before the IPC mocks are cleared (test-setup.ts).
let stopFollowing: (() => void)[] = [];
afterEach(() => {
  for (const stop of stopFollowing) stop();
  stopFollowing = [];
});

/** Renders the screen over a fake backend, as the app frame would: settings loaded and followed. */
function renderSettings(initial: Partial<Settings> = {}, prepare: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend(initial);
  prepare(backend);
  const store = new SettingsStore();
  stopFollowing.push(store.follow());
  const loaded = store.load();
  const studio = new StudioStore();
  stopFollowing.push(studio.start());
  const context = new Map<symbol, unknown>([...settingsStoreContext(store), ...studioContext(studio)]);
  const view = render(SettingsScreen, { context });
  return { backend, store, view, loaded };
}

async function renderLoaded(initial: Partial<Settings> = {}) {
  const rendered = renderSettings(initial);
  await rendered.loaded;
  // Loaded means: the form, the tier table (numbers in the plan options) and the app facts.
  await waitFor(() => {
    rendered.view.getByTestId('about-data-dir');
    expect(rendered.view.getByTestId('setting-plan').querySelectorAll('option').length).toBe(6);
  });
  return rendered;
}

const pressed = (view: View, testId: string) => view.getByTestId(testId).getAttribute('aria-pressed');
const select = (view: View, testId: string) => view.getByTestId(testId) as HTMLSelectElement;
const input = (view: View, testId: string) => view.getByTestId(testId) as HTMLInputElement;

beforeEach(() => {
  setLanguage('system');
  setTheme('system');
});

describe('Settings screen', () => {
  it('shows a skeleton, not the form, until the settings arrive', async () => {
    const release = new FakeBackend().hold('get_settings');
    const { view, loaded } = renderSettings();
    expect(view.queryByTestId('settings-screen')).toBeNull();
    expect(view.getByRole('status').textContent).toBe('Loading settings…');
    release();
    await loaded;
    await view.findByTestId('settings-screen');
    expect(view.queryByRole('status')).toBeNull();
  });

  it('shows the stored values', async () => {
    const { view, backend } = await renderLoaded({
      theme: 'light',
      language: 'en',
      region: { kind: 'mainland' },
      plan: 'max',
      quotaOverride: 2000,
    });

    expect(['system', 'light', 'dark'].map((v) => pressed(view, `theme-option-${v}`))).toEqual(['false', 'true', 'false']);
    expect(['system', 'en', 'zh-CN'].map((v) => pressed(view, `language-option-${v}`))).toEqual(['false', 'true', 'false']);
    expect(view.getByTestId('language-option-zh-CN').textContent?.trim()).toBe('简体中文');
    expect(document.documentElement.dataset.theme).toBe('light');

    expect(select(view, 'setting-region').value).toBe('mainland');
    expect(view.queryByTestId('setting-custom-host')).toBeNull();

    // Mainland figures, because the tier table was asked for the stored region.
    expect(backend.calls.find((c) => c.command === 'list_plan_tiers')?.args).toEqual({ region: { kind: 'mainland' } });
    const plan = select(view, 'setting-plan');
    expect(plan.value).toBe('max');
    expect(plan.selectedOptions[0]?.textContent).toBe('Max — 4,500 requests / 5 h');
    const ultra = plan.querySelector<HTMLOptionElement>('option[value="ultraHighspeed"]')!;
    expect(ultra.textContent).toBe('Ultra-Highspeed — 30,000 requests / 5 h');
    expect(ultra.closest('optgroup')?.label).toBe('High-Speed plans');
    expect(plan.querySelector('option[value="plus"]')?.closest('optgroup')?.label).toBe('Standard plans');

    expect(input(view, 'setting-quota-override').value).toBe('2000');
    view.getByText('Using 2,000 requests per 5-hour window (your override; Max publishes 4,500).');
    expect(view.getByTestId('about-data-dir').textContent).toBe(APP_INFO.dataDir);
    expect(view.queryByTestId('settings-error')).toBeNull();
    // The About and Storage sections share the facts the studio read once at start.
    expect(backend.calls.filter((c) => c.command === 'get_app_info')).toHaveLength(1);
  });

  it('says so in About and Storage when the app facts cannot be read', async () => {
    const { view, loaded } = renderSettings({}, (backend) =>
      backend.failNext('get_app_info', { kind: 'internal', message: 'the data folder vanished' }),
    );
    await loaded;
    expect((await view.findByTestId('storage-error')).textContent).toContain('the data folder vanished');
    view.getByText(/the data folder vanished/, { selector: '.failed' });
    expect(view.queryByTestId('storage-current')).toBeNull();
  });

  it('applies a theme at once and saves it with everything else unchanged', async () => {
    const { view, backend } = await renderLoaded({ theme: 'light', plan: 'max' });
    const release = backend.hold('update_settings');

    await fireEvent.click(view.getByTestId('theme-option-dark'));
    // Optimistic: shown before Rust has answered.
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(pressed(view, 'theme-option-dark')).toBe('true');
    expect(backend.updates).toEqual([{ ...backend.settings, theme: 'dark' }]);

    release();
    await waitFor(() => expect(backend.settings.theme).toBe('dark'));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(pressed(view, 'theme-option-dark')).toBe('true');
  });

  it('switches the language of the whole screen', async () => {
    const { view, backend } = await renderLoaded();
    await fireEvent.click(view.getByTestId('language-option-zh-CN'));
    expect(document.documentElement.lang).toBe('zh-CN');
    view.getByRole('heading', { name: '外观' });
    await waitFor(() => expect(backend.settings.language).toBe('zh-CN'));
    expect(select(view, 'setting-plan').selectedOptions[0]?.textContent).toBe('Plus — 每 5 小时 4,500 次请求');
  });

  it('shows why a change was refused and restores the stored value', async () => {
    const { view, backend } = await renderLoaded({ language: 'en' });
    backend.failNext('update_settings', { kind: 'internal', message: 'cannot use the settings file: disk full' });

    await fireEvent.click(view.getByTestId('language-option-zh-CN'));
    const banner = await view.findByTestId('settings-error');
    expect(banner.textContent).toContain('This change was not saved');
    expect(banner.textContent).toContain('cannot use the settings file: disk full');
    expect(pressed(view, 'language-option-en')).toBe('true');
    expect(pressed(view, 'language-option-zh-CN')).toBe('false');
    expect(document.documentElement.lang).toBe('en');

    await fireEvent.click(view.getByRole('button', { name: 'Dismiss' }));
    expect(view.queryByTestId('settings-error')).toBeNull();
  });

  it('keeps a refused custom host in its field with Rust’s reason, and stays usable', async () => {
    const { view, backend } = await renderLoaded();

    await fireEvent.change(select(view, 'setting-region'), { target: { value: 'custom' } });
    const host = input(view, 'setting-custom-host');
    await waitFor(() => expect(document.activeElement).toBe(host));
    expect(backend.updates).toEqual([]); // nothing to save before a host is typed

    await fireEvent.input(host, { target: { value: 'proxy.local' } });
    await fireEvent.blur(host);
    await fireEvent.click(await view.findByTestId('host-confirm-yes'));
    const error = await view.findByTestId('settings-error');
    expect(error.textContent).toContain('"proxy.local" is not a URL');
    expect(backend.updates.at(-1)?.region).toEqual({ kind: 'custom', host: 'proxy.local' });
    expect(backend.settings.region).toEqual({ kind: 'global' });
    expect(input(view, 'setting-custom-host').value).toBe('proxy.local');
    expect(input(view, 'setting-custom-host').getAttribute('aria-invalid')).toBe('true');
    expect(select(view, 'setting-region').value).toBe('custom');

    // The rest of the form still works.
    await fireEvent.click(view.getByTestId('theme-option-dark'));
    await waitFor(() => expect(backend.settings.theme).toBe('dark'));

    await fireEvent.input(host, { target: { value: ' http://127.0.0.1:8080/ ' } });
    await fireEvent.keyDown(host, { key: 'Enter' });
    await fireEvent.click(await view.findByTestId('host-confirm-yes'));
    await waitFor(() => expect(backend.settings.region).toEqual({ kind: 'custom', host: 'http://127.0.0.1:8080' }));
    // The field shows the host as Rust normalised it.
    await waitFor(() => expect(input(view, 'setting-custom-host').value).toBe('http://127.0.0.1:8080'));
    expect(view.queryByTestId('settings-error')).toBeNull();
    expect(backend.settings.theme).toBe('dark');
  });

  it('sends the keys to a new host only after the user confirms it', async () => {
    const { view, backend } = await renderLoaded();
    await fireEvent.change(select(view, 'setting-region'), { target: { value: 'custom' } });
    const host = input(view, 'setting-custom-host');
    await fireEvent.input(host, { target: { value: 'https://proxy.example.com' } });
    await fireEvent.keyDown(host, { key: 'Enter' });
    const confirm = await view.findByTestId('host-confirm');
    expect(confirm.textContent).toContain('Your API keys will be sent to https://proxy.example.com');
    expect(backend.updates).toEqual([]); // nothing saved while the user decides

    await fireEvent.click(view.getByTestId('host-confirm-no'));
    expect(view.queryByTestId('host-confirm')).toBeNull();
    expect(backend.updates).toEqual([]);
    expect(select(view, 'setting-region').value).toBe('global');

    await fireEvent.change(select(view, 'setting-region'), { target: { value: 'custom' } });
    await fireEvent.input(input(view, 'setting-custom-host'), { target: { value: 'http://192.168.1.5:8080' } });
    await fireEvent.keyDown(input(view, 'setting-custom-host'), { key: 'Enter' });
    await fireEvent.click(await view.findByTestId('host-confirm-yes'));
    const error = await view.findByTestId('settings-error');
    expect(error.textContent).toContain('unencrypted');
    expect(backend.settings.region).toEqual({ kind: 'global' });
    expect(backend.calls.filter((c) => c.command === 'update_settings').at(-1)?.args).toMatchObject({ customHostConfirmed: true });

    await fireEvent.input(input(view, 'setting-custom-host'), { target: { value: 'https://proxy.example.com' } });
    await fireEvent.keyDown(input(view, 'setting-custom-host'), { key: 'Enter' });
    await fireEvent.click(await view.findByTestId('host-confirm-yes'));
    await waitFor(() => expect(backend.settings.region).toEqual({ kind: 'custom', host: 'https://proxy.example.com' }));
  });

  it('asks what to do when the keychain is locked instead of writing the key file', async () => {
    const { view, backend } = await renderLoaded();
    backend.keychainLocked = true;
    const key = await view.findByTestId('key-plan-input');
    await fireEvent.input(key, { target: { value: 'sk-cp-abc' } });
    await fireEvent.click(view.getByTestId('key-plan-save'));
    const locked = await view.findByTestId('key-plan-locked');
    expect(locked.textContent).toContain('Unlock your keychain');
    expect(view.getByTestId('key-plan-error').textContent).toContain('The keychain is locked');
    expect(backend.keys.plan).toEqual({});

    // Still locked: asked again. Then the user chooses the private file.
    await fireEvent.click(view.getByTestId('key-plan-retry'));
    await view.findByTestId('key-plan-locked');
    await fireEvent.click(view.getByTestId('key-plan-use-file'));
    await waitFor(() => expect(view.queryByTestId('key-plan-locked')).toBeNull());
    const saves = backend.calls.filter((c) => c.command === 'save_api_keys').map((c) => c.args!.update);
    expect(saves.map((u) => (u as { allowFileStorage: boolean }).allowFileStorage)).toEqual([false, false, true]);
    expect(backend.keys.plan).toEqual({ storage: 'file', keyType: 'tokenPlan' });
  });

  it('saves the plan and the quota override, and explains the quota in use', async () => {
    const { view, backend } = await renderLoaded();

    await fireEvent.change(select(view, 'setting-plan'), { target: { value: 'ultraHighspeed' } });
    await waitFor(() => expect(backend.settings.plan).toBe('ultraHighspeed'));
    view.getByText(
      'Using 30,000 requests per 5-hour window, as published for Ultra-Highspeed. Enter a figure only if yours differs.',
    );

    const quota = input(view, 'setting-quota-override');
    await fireEvent.change(quota, { target: { value: '3000' } });
    await waitFor(() => expect(backend.settings.quotaOverride).toBe(3000));
    view.getByText('Using 3,000 requests per 5-hour window (your override; Ultra-Highspeed publishes 30,000).');

    const saves = backend.updates.length;
    await fireEvent.change(quota, { target: { value: '12.5' } });
    expect(view.getByTestId('settings-error').textContent).toBe(
      'Enter a whole number of requests, or leave the field empty.',
    );
    expect(backend.updates.length).toBe(saves);

    await fireEvent.change(quota, { target: { value: '' } });
    await waitFor(() => expect(backend.settings.quotaOverride).toBeNull());
    expect(view.queryByTestId('settings-error')).toBeNull();
  });

  it('shows Rust’s reason under the quota field when it refuses the figure', async () => {
    const { view, backend } = await renderLoaded();
    await fireEvent.change(input(view, 'setting-quota-override'), { target: { value: '0' } });
    const error = await view.findByTestId('settings-error');
    expect(error.textContent).toContain('0 is outside 1..=300000');
    expect(backend.settings.quotaOverride).toBeNull();
    expect(input(view, 'setting-quota-override').value).toBe('0');
  });

  it('reflects changes made in another window or by the command line', async () => {
    const { view, backend } = await renderLoaded();
    await backend.changeElsewhere({ ...backend.settings, theme: 'dark', language: 'zh-CN', plan: 'max' });
    await waitFor(() => expect(pressed(view, 'theme-option-dark')).toBe('true'));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(select(view, 'setting-plan').value).toBe('max');
    view.getByRole('heading', { name: '外观' });
  });

  it('moves the library to a typed folder at the next start and offers the restart', async () => {
    const { view, backend } = await renderLoaded();
    expect(view.getByTestId('storage-current').textContent).toBe(APP_INFO.dataDir);
    const apply = view.getByTestId('storage-apply') as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    await fireEvent.input(input(view, 'storage-folder'), { target: { value: ' /mnt/big/studio ' } });
    await fireEvent.click(apply);
    await fireEvent.click(await view.findByTestId('storage-move'));
    await waitFor(() => expect(backend.storageMoves).toEqual([{ folder: '/mnt/big/studio', moveLibrary: true }]));
    expect((await view.findByTestId('storage-pending')).textContent).toContain('/mnt/big/studio');
    expect(view.queryByTestId('storage-dialog')).toBeNull();
    await fireEvent.click(view.getByTestId('storage-restart'));
    await waitFor(() => expect(backend.restarts).toBe(1));
  });

  it('uses a folder as it is without moving, and shows Rust’s refusal', async () => {
    const { view, backend } = await renderLoaded();
    backend.failNext('choose_storage_folder', { kind: 'invalidInput', message: 'it is inside the current library' });
    await fireEvent.input(input(view, 'storage-folder'), { target: { value: '/home/ada/.local/share/token-plan-studio/media' } });
    await fireEvent.click(view.getByTestId('storage-apply'));
    await fireEvent.click(await view.findByTestId('storage-use-there'));
    expect((await view.findByTestId('storage-error')).textContent).toContain('inside the current library');
    expect(view.queryByTestId('storage-pending')).toBeNull();

    await fireEvent.input(input(view, 'storage-folder'), { target: { value: '/srv/shared-library' } });
    await fireEvent.click(view.getByTestId('storage-apply'));
    await fireEvent.click(await view.findByTestId('storage-use-there'));
    await waitFor(() => expect(backend.storageMoves.at(-1)).toEqual({ folder: '/srv/shared-library', moveLibrary: false }));
  });

  it('clears demo generations after a confirmation, with an undo', async () => {
    const { view, backend } = await renderLoaded();
    backend.demoJobIds = [4, 7];
    await fireEvent.click(view.getByTestId('demo-clear'));
    await fireEvent.click(await view.findByTestId('demo-clear-confirm'));
    expect((await view.findByTestId('demo-cleared')).textContent).toContain('Moved 2 demo generations to the trash.');
    await fireEvent.click(view.getByTestId('demo-undo'));
    await waitFor(() => expect(backend.restored).toEqual([4, 7]));
    expect(view.queryByTestId('demo-cleared')).toBeNull();
  });

  it('offers the plan generation with what MiniMax detected, and the M Plan tiers when chosen (issue 17)', async () => {
    const { view, backend } = await renderLoaded();
    expect(select(view, 'setting-plan-family').value).toBe('auto');
    expect(view.getByTestId('plan-detected').textContent).toContain('Not detected yet');
    expect(view.queryByTestId('setting-m-plan-tier')).toBeNull();

    await fireEvent.change(select(view, 'setting-plan-family'), { target: { value: 'mPlan' } });
    await waitFor(() => expect(backend.updates.at(-1)?.planFamily).toBe('mPlan'));
    const tier = await view.findByTestId('setting-m-plan-tier');
    expect([...(tier as HTMLSelectElement).options].map((o) => o.value)).toEqual(['go', 'explore', 'build']);
    // The Token Plan's tier and quota do not apply to the M Plan.
    expect(view.queryByTestId('setting-plan')).toBeNull();
    await fireEvent.change(tier, { target: { value: 'build' } });
    await waitFor(() => expect(backend.updates.at(-1)?.mPlanTier).toBe('build'));
  });
});


import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it, vi } from 'vitest';
import type { Settings } from '$lib/bindings/Settings';
import { FakeBackend } from '../test/fake-backend';
import {
  getAppInfo,
  getSettings,
  listPlanTiers,
  onSettingsChanged,
  submitJob,
  toIpcError,
  updateSettings,
} from './ipc';

describe('toIpcError', () => {
  it('keeps an IpcError from Rust, with its trace id, and nothing else', () => {
    expect(toIpcError({ kind: 'wrongRegion', message: 'use api.minimaxi.com', traceId: 't-1', extra: 1 })).toEqual({
      kind: 'wrongRegion',
      message: 'use api.minimaxi.com',
      traceId: 't-1',
    });
    expect(toIpcError({ kind: 'invalidInput', message: 'bad host' })).toEqual({
      kind: 'invalidInput',
      message: 'bad host',
    });
  });

  it('turns strings, Errors and unknown shapes into internal errors with a message', () => {
    expect(toIpcError('command get_nothing not found')).toEqual({
      kind: 'internal',
      message: 'command get_nothing not found',
    });
    expect(toIpcError(new TypeError('window.__TAURI_INTERNALS__ is undefined'))).toEqual({
      kind: 'internal',
      message: 'window.__TAURI_INTERNALS__ is undefined',
    });
    // A kind we do not know is not trusted; its message is kept.
    expect(toIpcError({ kind: 'teapot', message: 'short and stout' })).toEqual({
      kind: 'internal',
      message: 'short and stout',
    });
    expect(toIpcError({ code: 7 })).toEqual({ kind: 'internal', message: '{"code":7}' });
    expect(toIpcError(undefined)).toEqual({ kind: 'internal', message: 'undefined' });
    expect(toIpcError(null)).toEqual({ kind: 'internal', message: 'null' });
  });
});

describe('the command wrappers', () => {
  it('call the commands with the argument names Rust expects', async () => {
    const backend = new FakeBackend({ plan: 'max' });
    const settings = await getSettings();
    expect(settings.plan).toBe('max');

    const next: Settings = { ...settings, region: { kind: 'custom', host: ' http://127.0.0.1:8080/ ' } };
    await expect(updateSettings(next)).rejects.toMatchObject({ kind: 'invalidInput' });
    await expect(updateSettings(next, true)).resolves.toMatchObject({
      region: { kind: 'custom', host: 'http://127.0.0.1:8080' },
    });
    const tiers = await listPlanTiers({ kind: 'mainland' });
    expect(tiers.find((row) => row.tier === 'plus')?.requestsPerWindow).toBe(1500);
    await expect(getAppInfo()).resolves.toHaveProperty('dataDir');

    expect(backend.calls.map(({ command, args }) => [command, args])).toEqual([
      ['get_settings', {}],
      ['update_settings', { settings: next }],
      ['update_settings', { settings: next, customHostConfirmed: true }],
      ['list_plan_tiers', { region: { kind: 'mainland' } }],
      ['get_app_info', {}],
    ]);
  });

  it('reject with an IpcError whatever Tauri rejected with', async () => {
    const backend = new FakeBackend();
    backend.failNext('get_settings', 'invalid args `settings` for command `update_settings`');
    await expect(getSettings()).rejects.toEqual({
      kind: 'internal',
      message: 'invalid args `settings` for command `update_settings`',
    });

    await expect(updateSettings({ ...backend.settings, quotaOverride: 0 })).rejects.toMatchObject({
      kind: 'invalidInput',
      message: expect.stringContaining('quotaOverride'),
    });

    mockIPC(() => {
      throw new Error('boom');
    });
    await expect(getAppInfo()).rejects.toEqual({ kind: 'internal', message: 'boom' });
  });

  it('deliver settings-changed payloads until unsubscribed', async () => {
    const backend = new FakeBackend();
    const received = vi.fn();
    const unlisten = await onSettingsChanged(received);
    const changed: Settings = { ...backend.settings, theme: 'dark' };
    await backend.changeElsewhere(changed);
    expect(received).toHaveBeenCalledExactlyOnceWith(changed);

    unlisten();
    await backend.changeElsewhere({ ...changed, theme: 'light' });
    expect(received).toHaveBeenCalledTimes(1);
  });
});

describe('studio calls', () => {
  it('submit_job always sends a channel and the plan key by default', async () => {
    const backend = new FakeBackend();
    const job = await submitJob({ kind: 'lyrics', prompt: 'rain' });
    expect(job.estimateRequests).toBe(75);
    const args = backend.calls.find((c) => c.command === 'submit_job')!.args!;
    expect(args.keyKind).toBe('plan');
    expect(args.onOutput).toBeDefined();
  });
});

// A stand-in for the Rust commands behind $lib/ipc, installed with Tauri's mockIPC: it keeps settings,
// validates them like studio-core (custom host and quota rules), emits `settings-changed` the way the
// shell does, records every call, and fails or holds a command on request.
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { AppInfo } from '$lib/bindings/AppInfo';
import type { IpcError } from '$lib/bindings/IpcError';
import type { PlanTier } from '$lib/bindings/PlanTier';
import type { PlanTierInfo } from '$lib/bindings/PlanTierInfo';
import type { Region } from '$lib/bindings/Region';
import type { Settings } from '$lib/bindings/Settings';

export const DEFAULT_SETTINGS: Settings = {
  region: { kind: 'global' },
  plan: 'plus',
  quotaOverride: null,
  language: 'en',
  theme: 'system',
};

export const APP_INFO: AppInfo = {
  version: '0.1.0',
  dataDir: '/home/ada/.local/share/token-plan-studio',
  logDir: '/home/ada/.local/share/token-plan-studio/logs',
};

// studio-core's plan table (requests per 5 h: global, mainland).
const TIERS: [PlanTier, number, number, boolean][] = [
  ['starter', 1500, 600, false],
  ['plus', 4500, 1500, false],
  ['max', 15000, 4500, false],
  ['plusHighspeed', 4500, 1500, true],
  ['maxHighspeed', 15000, 4500, true],
  ['ultraHighspeed', 30000, 30000, true],
];

function tierTable(region: Region): PlanTierInfo[] {
  const mainland = region.kind === 'mainland';
  return TIERS.map(([tier, global, china, highspeed]) => ({
    tier,
    requestsPerWindow: mainland ? china : global,
    highspeed,
  }));
}

function invalid(message: string): IpcError {
  return { kind: 'invalidInput', message };
}

function validated(settings: Settings): Settings {
  let region = settings.region;
  if (region.kind === 'custom') {
    const host = region.host.trim().replace(/\/+$/, '');
    const rest = host.replace(/^https?:\/\//, '');
    if (rest === host || rest === '' || /\s/.test(rest)) {
      throw invalid(`invalid setting region.host: "${region.host.trim()}" is not a URL; use http://host:port or https://host`);
    }
    region = { kind: 'custom', host };
  }
  const quota = settings.quotaOverride;
  if (quota !== null && (quota < 1 || quota > 300_000)) {
    throw invalid(`invalid setting quotaOverride: ${quota} is outside 1..=300000 requests per window`);
  }
  return { ...settings, region };
}

export interface Call {
  command: string;
  args: Record<string, unknown> | undefined;
}

export class FakeBackend {
  settings: Settings;
  readonly calls: Call[] = [];
  #failures = new Map<string, unknown>();
  #held = new Map<string, Promise<void>>();

  constructor(settings: Partial<Settings> = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    mockIPC((command, args) => this.#handle(command, args as Record<string, unknown> | undefined), {
      shouldMockEvents: true,
    });
  }

  /** The settings objects update_settings was called with, in order. */
  get updates(): Settings[] {
    return this.calls.filter((call) => call.command === 'update_settings').map((call) => call.args!.settings as Settings);
  }

  /** The next call of `command` rejects with `reason` (an IpcError, or a bare string as Tauri sends). */
  failNext(command: string, reason: unknown): void {
    this.#failures.set(command, reason);
  }

  /** Calls of `command` wait until the returned function is called. */
  hold(command: string): () => void {
    let release = () => {};
    this.#held.set(command, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.#held.delete(command);
      release();
    };
  }

  /** Another window or the command line changed the settings: Rust announces them. */
  async changeElsewhere(settings: Settings): Promise<void> {
    this.settings = settings;
    await emit('settings-changed', settings);
  }

  async #handle(command: string, args: Record<string, unknown> | undefined): Promise<unknown> {
    this.calls.push({ command, args });
    await this.#held.get(command);
    if (this.#failures.has(command)) {
      const reason = this.#failures.get(command);
      this.#failures.delete(command);
      throw reason;
    }
    switch (command) {
      case 'get_settings':
        return structuredClone(this.settings);
      case 'update_settings': {
        this.settings = validated(args!.settings as Settings);
        await emit('settings-changed', this.settings);
        return structuredClone(this.settings);
      }
      case 'list_plan_tiers':
        return tierTable(args!.region as Region);
      case 'get_app_info':
        return APP_INFO;
      default:
        throw `command ${command} not found`;
    }
  }
}

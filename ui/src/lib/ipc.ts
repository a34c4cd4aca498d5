// The one door to the Rust side (ARCHITECTURE.md, "UI ↔ Rust contract"): the only module that imports
// @tauri-apps/api (an eslint rule enforces it). Every command gets a typed wrapper here, and every failure
// reaches callers as an IpcError, whatever shape it had on the way.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { AppInfo } from '$lib/bindings/AppInfo';
import type { IpcError } from '$lib/bindings/IpcError';
import type { IpcErrorKind } from '$lib/bindings/IpcErrorKind';
import type { PlanTierInfo } from '$lib/bindings/PlanTierInfo';
import type { Region } from '$lib/bindings/Region';
import type { Settings } from '$lib/bindings/Settings';

/** Stops an event subscription. */
export type Unlisten = () => void;

/** Event carrying the whole settings object after every change, from any window or the command line. */
export const SETTINGS_CHANGED = 'settings-changed';

const ERROR_KINDS: ReadonlySet<string> = new Set<IpcErrorKind>([
  'invalidApiKey',
  'wrongRegion',
  'quotaExhausted',
  'rateLimited',
  'contentFlagged',
  'network',
  'api',
  'notFound',
  'cancelled',
  'invalidInput',
  'internal',
]);

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message, traceId } = value as Record<string, unknown>;
  return (
    typeof kind === 'string' &&
    ERROR_KINDS.has(kind) &&
    typeof message === 'string' &&
    (traceId === undefined || typeof traceId === 'string')
  );
}

/**
 * Turns whatever a rejected IPC call produced into an IpcError. Our commands reject with one already;
 * Tauri itself rejects with a plain string (unknown command, arguments that do not deserialise, a denied
 * permission) and a missing runtime throws an Error — those become `internal`.
 */
export function toIpcError(reason: unknown): IpcError {
  if (isIpcError(reason)) {
    const error: IpcError = { kind: reason.kind, message: reason.message };
    if (reason.traceId !== undefined) error.traceId = reason.traceId;
    return error;
  }
  if (typeof reason === 'string') return { kind: 'internal', message: reason };
  if (reason instanceof Error) return { kind: 'internal', message: reason.message || reason.name };
  if (typeof reason === 'object' && reason !== null) {
    const { message } = reason as Record<string, unknown>;
    if (typeof message === 'string') return { kind: 'internal', message };
  }
  let text: string;
  try {
    text = JSON.stringify(reason) ?? String(reason);
  } catch {
    text = String(reason);
  }
  return { kind: 'internal', message: text };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toIpcError(reason);
  }
}

/** The stored settings (defaults when none were saved yet). */
export function getSettings(): Promise<Settings> {
  return call<Settings>('get_settings');
}

/** Validates and saves `settings`; resolves to them as stored (normalised, e.g. a custom host trimmed). */
export function updateSettings(settings: Settings): Promise<Settings> {
  return call<Settings>('update_settings', { settings });
}

/** The plan tiers with their published quotas per 5-hour window in `region`, smallest first. */
export function listPlanTiers(region: Region): Promise<PlanTierInfo[]> {
  return call<PlanTierInfo[]>('list_plan_tiers', { region });
}

/** Version and folders of this installation. */
export function getAppInfo(): Promise<AppInfo> {
  return call<AppInfo>('get_app_info');
}

/** Calls `callback` with the whole settings object whenever they change; resolves to the unsubscribe. */
export async function onSettingsChanged(callback: (settings: Settings) => void): Promise<Unlisten> {
  try {
    return await listen<Settings>(SETTINGS_CHANGED, (event) => callback(event.payload));
  } catch (reason) {
    throw toIpcError(reason);
  }
}

// A short title per error kind, so a banner says at a glance whether it is the key, the region, the quota or
// the content — the sentence under it (from Rust) says what happened and what to do.
import type { IpcErrorKind } from '$lib/bindings/IpcErrorKind';
import type { MessageKey } from '$lib/i18n/en';

const TITLES: Record<IpcErrorKind, MessageKey> = {
  invalidApiKey: 'errorKind.invalidApiKey',
  wrongRegion: 'errorKind.wrongRegion',
  quotaExhausted: 'errorKind.quotaExhausted',
  rateLimited: 'errorKind.rateLimited',
  contentFlagged: 'errorKind.contentFlagged',
  network: 'errorKind.network',
  api: 'errorKind.api',
  notFound: 'errorKind.notFound',
  cancelled: 'errorKind.cancelled',
  invalidInput: 'errorKind.invalidInput',
  internal: 'errorKind.internal',
  keychainLocked: 'errorKind.keychainLocked',
};

/** The title of an error kind (a job's stored kind is a plain string; unknown ones read as `api`). */
export function errorTitleKey(kind: string): MessageKey {
  return TITLES[kind as IpcErrorKind] ?? TITLES.api;
}

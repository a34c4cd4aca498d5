// A short title and an explanation per error kind, in the UI's language, so a banner says at a glance whether it
// is the key, the region, the quota or the content and what to do — Rust's sentence under them is the detail.
import type { IpcErrorKind } from '$lib/bindings/IpcErrorKind';
import type { MessageKey } from '$lib/i18n/en';

const TITLES: Record<IpcErrorKind, MessageKey> = {
  invalidApiKey: 'errorKind.invalidApiKey',
  wrongRegion: 'errorKind.wrongRegion',
  quotaExhausted: 'errorKind.quotaExhausted',
  notInPlan: 'errorKind.notInPlan',
  rateLimited: 'errorKind.rateLimited',
  contentFlagged: 'errorKind.contentFlagged',
  network: 'errorKind.network',
  api: 'errorKind.api',
  notFound: 'errorKind.notFound',
  cancelled: 'errorKind.cancelled',
  invalidInput: 'errorKind.invalidInput',
  internal: 'errorKind.internal',
  keychainLocked: 'errorKind.keychainLocked',
  updateRefused: 'errorKind.updateRefused',
};

const EXPLANATIONS: Record<IpcErrorKind, MessageKey> = {
  invalidApiKey: 'errorExplain.invalidApiKey',
  wrongRegion: 'errorExplain.wrongRegion',
  quotaExhausted: 'errorExplain.quotaExhausted',
  notInPlan: 'errorExplain.notInPlan',
  rateLimited: 'errorExplain.rateLimited',
  contentFlagged: 'errorExplain.contentFlagged',
  network: 'errorExplain.network',
  api: 'errorExplain.api',
  notFound: 'errorExplain.notFound',
  cancelled: 'errorExplain.cancelled',
  invalidInput: 'errorExplain.invalidInput',
  internal: 'errorExplain.internal',
  keychainLocked: 'errorExplain.keychainLocked',
  updateRefused: 'errorExplain.updateRefused',
};

/** What an error of this kind means and what to do, in the UI's language (Rust's message is the detail). */
export function errorExplanationKey(kind: string): MessageKey {
  return EXPLANATIONS[kind as IpcErrorKind] ?? EXPLANATIONS.api;
}

/** The title of an error kind (a job's stored kind is a plain string; unknown ones read as `api`). */
export function errorTitleKey(kind: string): MessageKey {
  return TITLES[kind as IpcErrorKind] ?? TITLES.api;
}

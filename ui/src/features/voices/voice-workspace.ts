// The Voices screen's rules that need no rendering (tested): the browser's shortlist filter, picking voices
// for an audition, what a take shows, the grid's keys, the words for a refused clone sample and for a custom
// voice's standing.
import type { CustomVoice } from '$lib/bindings/CustomVoice';
import type { JobState } from '$lib/bindings/JobState';
import type { Media } from '$lib/bindings/Media';
import type { SampleProblem } from '$lib/bindings/SampleProblem';
import type { VoiceInfo } from '$lib/bindings/VoiceInfo';
import type { VoiceRef } from '$lib/bindings/VoiceRef';
import type { VoiceSettings } from '$lib/bindings/VoiceSettings';
import type { Phrase } from '$lib/studio/cost';
import { filterVoices, type VoiceFilter } from '../speech/voices';

/** The most voices one audition runs (studio-core's MAX_AUDITION_VOICES). */
export const MAX_AUDITION_VOICES = 12;
/** The fewest and most takes an A/B compare holds (studio-audio's range). */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;
/** The model a preview uses unless told otherwise: Turbo is half the price of HD. */
export const PREVIEW_MODEL = 'speech-2.8-turbo';

/** The browser's filter: the Speech composer's, plus "shortlist only". */
export interface BrowserFilter extends VoiceFilter {
  shortlist: boolean;
}

/** The voices the browser shows: the starred first when the shortlist is on, in starring order. */
export function browseVoices(voices: readonly VoiceInfo[], filter: BrowserFilter, starred: readonly string[]): VoiceInfo[] {
  const shown = filterVoices(voices, filter);
  if (!filter.shortlist) return shown;
  const rank = new Map(starred.map((id, i) => [id, i]));
  return shown.filter((v) => rank.has(v.voiceId)).sort((a, b) => rank.get(a.voiceId)! - rank.get(b.voiceId)!);
}

/** `picked` with `voiceId` added (at the end) or removed; a full pick refuses more. */
export function togglePicked(picked: readonly string[], voiceId: string): string[] {
  if (picked.includes(voiceId)) return picked.filter((id) => id !== voiceId);
  if (picked.length >= MAX_AUDITION_VOICES) return [...picked];
  return [...picked, voiceId];
}

/** The picked voices as the audition sends them (their metadata tells each one's sample language). */
export function voiceRefs(picked: readonly string[], voices: readonly VoiceInfo[]): VoiceRef[] {
  return picked.map((id) => {
    const info = voices.find((v) => v.voiceId === id);
    if (info === undefined) return { voiceId: id, name: id, description: '' };
    const ref: VoiceRef = { voiceId: id, name: info.name, description: info.description };
    if (info.language !== undefined) ref.language = info.language;
    return ref;
  });
}

/** The settings of the audition form, with the API's defaults left out (so they key like "no setting"). */
export function auditionSettings(model: string, speed: number, pitch: number, emotion: string): VoiceSettings {
  const settings: VoiceSettings = { model };
  if (Math.abs(speed - 1) > 1e-9) settings.speed = Math.round(speed * 100) / 100;
  if (pitch !== 0) settings.pitch = pitch;
  if (emotion !== '') settings.emotion = emotion;
  return settings;
}

/** The audio file of a take, once there is one. */
export function takeAudio(media: readonly Media[]): Media | undefined {
  return media.find((m) => m.mime.startsWith('audio/'));
}

/** Whether a job is still on its way (a take shows a pill instead of a play button). */
export function inFlight(state: JobState): boolean {
  return state === 'queued' || state === 'running' || state === 'downloading' || state === 'waitingForQuota';
}

/** What a key in the audition grid does. */
export type GridKey =
  | { kind: 'move'; to: number }
  | { kind: 'play'; at: number }
  | { kind: 'switch' }
  | { kind: 'none' };

/**
 * The grid's keyboard: ↑/↓ move, Space plays, 1–9 jump to that take, X switches the compared take.
 * `at` is the selected row, `count` the rows.
 */
export function gridKey(key: string, at: number, count: number): GridKey {
  if (count === 0) return { kind: 'none' };
  if (key === 'ArrowDown') return { kind: 'move', to: Math.min(count - 1, at + 1) };
  if (key === 'ArrowUp') return { kind: 'move', to: Math.max(0, at - 1) };
  if (key === ' ') return { kind: 'play', at };
  if (key === 'x' || key === 'X') return { kind: 'switch' };
  if (/^[1-9]$/.test(key)) {
    const to = Number(key) - 1;
    return to < count ? { kind: 'move', to } : { kind: 'none' };
  }
  return { kind: 'none' };
}

/** A compare's take letter: A, B, C, D. */
export function takeLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

/** The words for a refused clone sample, in the user's language. */
export function sampleProblemPhrase(problem: SampleProblem): Phrase {
  switch (problem.problem) {
    case 'format':
      return { key: 'voices.sample.format', params: { file: problem.fileName } };
    case 'notAudio':
      return { key: 'voices.sample.notAudio', params: { file: problem.fileName } };
    case 'tooLarge':
      return { key: 'voices.sample.tooLarge', params: { mb: Math.round((problem.sizeBytes / 1_048_576) * 10) / 10 } };
    case 'tooShort':
      return { key: 'voices.sample.tooShort', params: { s: Math.round(problem.durationMs / 100) / 10 } };
    case 'tooLong':
      return { key: 'voices.sample.tooLong', params: { s: Math.round(problem.durationMs / 1000) } };
    case 'silent':
      return { key: 'voices.sample.silent', params: { percent: problem.voicedPercent } };
  }
}

/** A custom voice's standing, in words, and the date it is deleted unless used (when it has one). */
export function customStatus(voice: CustomVoice): { phrase: Phrase; tone: 'ok' | 'waiting' | 'failed'; expiresAtMs: number | null } {
  const status = voice.status;
  switch (status.status) {
    case 'available':
      return status.expiresAtMs === undefined
        ? { phrase: { key: 'voices.status.kept' }, tone: 'ok', expiresAtMs: null }
        : { phrase: { key: 'voices.status.available' }, tone: 'waiting', expiresAtMs: status.expiresAtMs };
    case 'creating':
      return { phrase: { key: 'voices.status.creating' }, tone: 'waiting', expiresAtMs: null };
    case 'failed':
      return { phrase: { key: 'voices.status.failed' }, tone: 'failed', expiresAtMs: null };
    case 'expired':
      return { phrase: { key: 'voices.status.expired' }, tone: 'failed', expiresAtMs: null };
    case 'deleted':
      return { phrase: { key: 'voices.status.deleted' }, tone: 'failed', expiresAtMs: null };
    case 'system':
    case 'unknown':
      return { phrase: { key: 'voices.status.kept' }, tone: 'ok', expiresAtMs: null };
  }
}

/** A date in the user's locale ("12 Dec 2026, 14:35"). */
export function formatDate(atMs: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(atMs));
}

/** The first audio path of a drop, if any (a clone sample can be dropped on the window). */
export function droppedSample(paths: readonly string[]): string | null {
  return paths.find((p) => /\.(mp3|m4a|wav)$/i.test(p)) ?? paths[0] ?? null;
}

/** A preset's or audition's settings in a few words: "speech-2.8-turbo · 1.2× · +2 · happy". */
export function settingsSummary(settings: VoiceSettings): string {
  const parts = [settings.model];
  if (settings.speed !== undefined) parts.push(`${settings.speed}×`);
  if (settings.pitch !== undefined) parts.push(`${settings.pitch > 0 ? '+' : ''}${settings.pitch}`);
  if (settings.emotion !== undefined) parts.push(settings.emotion);
  return parts.join(' · ');
}

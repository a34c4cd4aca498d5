// Searching and filtering the voice list (pure, tested).
import type { VoiceInfo } from '$lib/bindings/VoiceInfo';

export interface VoiceFilter {
  search: string;
  /** '' ⇒ any. */
  language: string;
  gender: '' | 'female' | 'male';
  kind: '' | 'system' | 'cloned' | 'designed';
}

export function filterVoices(voices: readonly VoiceInfo[], f: VoiceFilter): VoiceInfo[] {
  const words = f.search.toLowerCase().split(/\s+/).filter(Boolean);
  return voices.filter(
    (v) =>
      (f.language === '' || v.language === f.language) &&
      (f.gender === '' || v.gender === f.gender) &&
      (f.kind === '' || v.kind === f.kind) &&
      words.every((w) => `${v.name} ${v.voiceId} ${v.description}`.toLowerCase().includes(w)),
  );
}

/** The languages present, in first-seen order. */
export function languagesOf(voices: readonly VoiceInfo[]): string[] {
  return [...new Set(voices.flatMap((v) => (v.language ? [v.language] : [])))];
}

/** A short sentence to preview a voice in its language. */
export function previewText(language: string | undefined): string {
  if (language?.startsWith('Chinese') || language === 'Cantonese') return '你好，这是我的声音。';
  if (language === 'Japanese') return 'こんにちは、これは私の声です。';
  return 'Hello, this is how I sound.';
}

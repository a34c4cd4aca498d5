// The models each composer offers, with what the Token Plan says about them, and the documented limits the
// forms validate against (minimax-api.md; the same tables as crates/minimax-api). Kept as data: a new model
// is one row.
import type { PlanTier } from '$lib/bindings/PlanTier';

/** One model in a picker. */
export interface ModelOption {
  id: string;
  /** Only on High-Speed plans (the dedicated highspeed text model). */
  highspeedOnly?: boolean;
}

/** Whether `tier` may use `model`. */
export function planAllows(model: ModelOption, tier: PlanTier): boolean {
  return !model.highspeedOnly || isHighspeed(tier);
}

/** High-Speed tiers include MiniMax-M2.7-highspeed. */
export function isHighspeed(tier: PlanTier): boolean {
  return tier === 'plusHighspeed' || tier === 'maxHighspeed' || tier === 'ultraHighspeed';
}

export const CHAT_MODELS: readonly ModelOption[] = [
  { id: 'MiniMax-M2.7' },
  { id: 'MiniMax-M2.7-highspeed', highspeedOnly: true },
];
/** `max_completion_tokens` ceiling for the M2.x models. */
export const CHAT_MAX_TOKENS = 196_608;

export const SPEECH_MODELS: readonly ModelOption[] = [
  { id: 'speech-2.8-hd' },
  { id: 'speech-2.8-turbo' },
  { id: 'speech-2.6-hd' },
  { id: 'speech-2.6-turbo' },
  { id: 'speech-02-hd' },
  { id: 'speech-02-turbo' },
];
/** The async long-text API does not take speech-2.8. */
export function speechModelsFor(delivery: 'sync' | 'stream' | 'async'): readonly ModelOption[] {
  return delivery === 'async' ? SPEECH_MODELS.filter((m) => !m.id.startsWith('speech-2.8')) : SPEECH_MODELS;
}
/** Characters per request: sync and streamed calls take < 10,000; the async API 50,000. */
export function speechTextLimit(delivery: 'sync' | 'stream' | 'async'): number {
  return delivery === 'async' ? 50_000 : 9_999;
}
const EMOTIONS = ['happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised', 'calm', 'fluent', 'whisper'];
/** Emotions a speech model accepts: whisper only on 2.6; fluent not on the 01/02 models. */
export function emotionsFor(model: string): string[] {
  const older = model.startsWith('speech-01') || model.startsWith('speech-02');
  return EMOTIONS.filter(
    (e) => (e !== 'whisper' || model.startsWith('speech-2.6')) && (e !== 'fluent' || !older),
  );
}
export function speechFormatsFor(delivery: 'sync' | 'stream' | 'async'): string[] {
  return delivery === 'async' ? ['mp3', 'flac'] : ['mp3', 'wav', 'flac'];
}

export const IMAGE_MODELS: readonly ModelOption[] = [{ id: 'image-01' }, { id: 'image-01-live' }];
export const ASPECT_RATIOS = ['1:1', '16:9', '4:3', '3:2', '2:3', '3:4', '9:16', '21:9'] as const;
export const IMAGE_PROMPT_LIMIT = 1500;

/** Video modes: from text, from a first frame, or between a first and a last frame. */
export type VideoMode = 'text' | 'image' | 'firstLast';
export const VIDEO_PROMPT_LIMIT = 2000;
const VIDEO_MODELS_BY_MODE: Record<VideoMode, readonly string[]> = {
  text: ['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-02'],
  image: ['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-2.3-Fast', 'MiniMax-Hailuo-02'],
  firstLast: ['MiniMax-Hailuo-02'],
};
export function videoModelsFor(mode: VideoMode): ModelOption[] {
  return VIDEO_MODELS_BY_MODE[mode].map((id) => ({ id }));
}
/** The documented resolution → durations of a model in a mode, default first (video.rs). */
export function videoResolutions(model: string, mode: VideoMode): [string, number[]][] {
  if (model === 'MiniMax-Hailuo-02' && mode === 'image') {
    return [
      ['768P', [6, 10]],
      ['512P', [6, 10]],
      ['1080P', [6]],
    ];
  }
  return [
    ['768P', [6, 10]],
    ['1080P', [6]],
  ];
}
/** The camera moves Hailuo understands, inserted into the prompt as `[Pan left]`. */
export const CAMERA_MOVES = [
  'Truck left',
  'Truck right',
  'Pan left',
  'Pan right',
  'Push in',
  'Pull out',
  'Pedestal up',
  'Pedestal down',
  'Tilt up',
  'Tilt down',
  'Zoom in',
  'Zoom out',
  'Shake',
  'Tracking shot',
  'Static shot',
] as const;

export const MUSIC_MODELS: readonly ModelOption[] = [
  { id: 'music-2.5' },
  { id: 'music-2.5+' },
  { id: 'music-2.0' },
  { id: 'music-2.6' },
];
/** Models that accept `is_instrumental`. */
export function musicAllowsInstrumental(model: string): boolean {
  return ['music-2.6', 'music-2.6-free', 'music-2.5+'].includes(model);
}
export const MUSIC_FORMATS = ['mp3', 'wav'] as const;
export const MUSIC_PROMPT_LIMIT = 2000;
export const LYRICS_LIMIT = 3500;
/** Structure tags of the lyrics editor. */
export const STRUCTURE_TAGS = ['Intro', 'Verse', 'Pre Chorus', 'Chorus', 'Bridge', 'Interlude', 'Outro', 'Hook'] as const;

/** Inserts `snippet` into `text` at the selection [start, end); returns the text and the new caret. */
export function insertAt(text: string, start: number, end: number, snippet: string): [string, number] {
  const before = text.slice(0, start);
  const after = text.slice(end);
  return [before + snippet + after, start + snippet.length];
}

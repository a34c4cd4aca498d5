// The composers' drafts, their validation against the documented limits, and the GenerationRequest each
// one sends. Pure functions: what is validated and what is sent are tested together.
import type { ChatTurn } from '$lib/bindings/ChatTurn';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { ImageInput } from '$lib/bindings/ImageInput';
import type { SpeechDelivery } from '$lib/bindings/SpeechDelivery';
import type { Phrase } from './cost';
import { charCount } from './format';
import {
  IMAGE_PROMPT_LIMIT,
  LYRICS_LIMIT,
  MUSIC_PROMPT_LIMIT,
  VIDEO_PROMPT_LIMIT,
  emotionsFor,
  musicAllowsInstrumental,
  speechTextLimit,
  videoResolutions,
  type VideoMode,
} from './models';

/** Field → what is wrong with it. An empty object means the draft can be sent. */
export type Problems = Record<string, Phrase>;

function tooLong(text: string, limit: number): Phrase | null {
  const n = charCount(text);
  return n > limit ? { key: 'form.tooLong', params: { count: n, limit } } : null;
}

function required(text: string): Phrase | null {
  return text.trim() === '' ? { key: 'form.required' } : null;
}

function collect(entries: [string, Phrase | null][]): Problems {
  const problems: Problems = {};
  for (const [field, problem] of entries) if (problem !== null) problems[field] = problem;
  return problems;
}

export interface SpeechDraft {
  model: string;
  text: string;
  voiceId: string;
  delivery: SpeechDelivery;
  speed: number;
  volume: number;
  pitch: number;
  /** '' ⇒ the model picks. */
  emotion: string;
  format: string;
  subtitles: boolean;
}

export function speechProblems(d: SpeechDraft): Problems {
  return collect([
    ['text', required(d.text) ?? tooLong(d.text, speechTextLimit(d.delivery))],
    ['voiceId', d.voiceId === '' ? { key: 'speech.pickVoice' } : null],
    ['emotion', d.emotion !== '' && !emotionsFor(d.model).includes(d.emotion) ? { key: 'form.notForModel' } : null],
  ]);
}

export function speechRequest(d: SpeechDraft): GenerationRequest {
  return {
    kind: 'speech',
    model: d.model,
    text: d.text,
    voiceId: d.voiceId,
    delivery: d.delivery,
    ...(d.speed !== 1 ? { speed: d.speed } : {}),
    ...(d.volume !== 1 ? { volume: d.volume } : {}),
    ...(d.pitch !== 0 ? { pitch: d.pitch } : {}),
    ...(d.emotion !== '' ? { emotion: d.emotion } : {}),
    format: d.format,
    subtitles: d.subtitles && d.delivery === 'sync',
  };
}

export interface ImageDraft {
  model: string;
  prompt: string;
  aspectRatio: string;
  count: number;
  /** '' ⇒ random. */
  seed: string;
  promptOptimizer: boolean;
  subjectReference: ImageInput | null;
}

export function imageProblems(d: ImageDraft): Problems {
  const seedBad = d.seed.trim() !== '' && !/^\d{1,15}$/.test(d.seed.trim());
  return collect([
    ['prompt', required(d.prompt) ?? tooLong(d.prompt, IMAGE_PROMPT_LIMIT)],
    ['count', Number.isInteger(d.count) && d.count >= 1 && d.count <= 9 ? null : { key: 'image.countRange' }],
    ['seed', seedBad ? { key: 'image.seedWhole' } : null],
  ]);
}

export function imageRequest(d: ImageDraft): GenerationRequest {
  return {
    kind: 'image',
    model: d.model,
    prompt: d.prompt,
    aspectRatio: d.aspectRatio,
    count: d.count,
    ...(d.seed.trim() !== '' ? { seed: Number(d.seed.trim()) } : {}),
    promptOptimizer: d.promptOptimizer,
    ...(d.subjectReference ? { subjectReference: d.subjectReference } : {}),
  };
}

export interface VideoDraft {
  mode: VideoMode;
  model: string;
  prompt: string;
  resolution: string;
  durationS: number;
  promptOptimizer: boolean;
  firstFrame: ImageInput | null;
  lastFrame: ImageInput | null;
}

/** The draft with resolution and duration moved to a valid pair when the model or mode changed them. */
export function validVideoCombination(d: VideoDraft): { resolution: string; durationS: number } {
  const table = videoResolutions(d.model, d.mode);
  const row = table.find(([r]) => r === d.resolution) ?? table[0]!;
  const durations = row[1];
  return { resolution: row[0], durationS: durations.includes(d.durationS) ? d.durationS : durations[0]! };
}

export function videoProblems(d: VideoDraft): Problems {
  const needsPrompt = d.mode === 'text';
  return collect([
    ['prompt', (needsPrompt ? required(d.prompt) : null) ?? tooLong(d.prompt, VIDEO_PROMPT_LIMIT)],
    ['firstFrame', d.mode !== 'text' && d.firstFrame === null ? { key: 'video.needFirstFrame' } : null],
    ['lastFrame', d.mode === 'firstLast' && d.lastFrame === null ? { key: 'video.needLastFrame' } : null],
  ]);
}

export function videoRequest(d: VideoDraft): GenerationRequest {
  const { resolution, durationS } = validVideoCombination(d);
  return {
    kind: 'video',
    model: d.model,
    prompt: d.prompt,
    resolution,
    durationS,
    promptOptimizer: d.promptOptimizer,
    ...(d.mode !== 'text' && d.firstFrame ? { firstFrame: d.firstFrame } : {}),
    ...(d.mode === 'firstLast' && d.lastFrame ? { lastFrame: d.lastFrame } : {}),
  };
}

export interface MusicDraft {
  model: string;
  prompt: string;
  lyrics: string;
  instrumental: boolean;
  format: string;
}

export function musicProblems(d: MusicDraft): Problems {
  const instrumental = d.instrumental && musicAllowsInstrumental(d.model);
  const older = d.model === 'music-2.0';
  const promptLimit = older ? 300 : MUSIC_PROMPT_LIMIT;
  const lyricsLimit = older ? 600 : LYRICS_LIMIT;
  const min = (text: string, n: number): Phrase | null =>
    charCount(text.trim()) < n ? { key: 'form.atLeast', params: { count: n } } : null;
  return collect([
    [
      'prompt',
      (instrumental ? required(d.prompt) : null) ?? (older ? min(d.prompt, 10) : null) ?? tooLong(d.prompt, promptLimit),
    ],
    [
      'lyrics',
      instrumental
        ? null
        : (required(d.lyrics) ?? (older ? min(d.lyrics, 10) : null) ?? tooLong(d.lyrics, lyricsLimit)),
    ],
  ]);
}

export function musicRequest(d: MusicDraft): GenerationRequest {
  const instrumental = d.instrumental && musicAllowsInstrumental(d.model);
  return {
    kind: 'music',
    model: d.model,
    ...(d.prompt.trim() !== '' ? { prompt: d.prompt } : {}),
    ...(!instrumental && d.lyrics.trim() !== '' ? { lyrics: d.lyrics } : {}),
    instrumental,
    format: d.format,
  };
}

/** "Write lyrics for me": a whole song from the music prompt (or a theme). */
export function lyricsRequest(theme: string): GenerationRequest {
  return { kind: 'lyrics', prompt: theme.trim() === '' ? 'A song about a new beginning' : theme };
}

export interface ChatDraft {
  model: string;
  system: string;
  message: string;
}

export function chatProblems(d: ChatDraft): Problems {
  return collect([['message', required(d.message)]]);
}

export function chatRequest(d: ChatDraft, history: ChatTurn[]): GenerationRequest {
  return {
    kind: 'chat',
    model: d.model,
    ...(d.system.trim() !== '' ? { system: d.system } : {}),
    messages: [...history, { role: 'user', content: d.message }],
  };
}

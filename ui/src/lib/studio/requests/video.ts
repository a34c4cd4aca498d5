// The video request as the composer describes it: MiniMax-H3 (V2: text with an aspect ratio, frames, or
// reference images, videos and audios; 768P/2K; 4–15 s; its own soundtrack) and the older Hailuo models (V1: text, first frame,
// first+last frame). Which models, resolutions, durations, ratios and reference counts are offered comes from
// the model table (`list_models`, minimax-api); this file only shapes the draft into the request.
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { ModelInfo } from '$lib/bindings/ModelInfo';
import type { ReferenceClip } from '$lib/bindings/ReferenceClip';
import type { VideoParams } from '$lib/bindings/VideoParams';
import { paramsOf, validVideoPair, type VideoMode } from '$lib/plans/model-table';
import { overDefaults, sent, type Draft, type Filled } from './draft';
import type { Phrase } from '../cost';
import { collect, required, tooLong, type Problems } from './problems';

export type { VideoMode } from '$lib/plans/model-table';

/** The prompt limit before the table arrives (Hailuo's, the smaller). */
const FALLBACK_PROMPT_LIMIT = 2000;

/** The prompt limit of a model. */
export function videoPromptLimit(info: ModelInfo | undefined): number {
  return paramsOf(info, 'video')?.maxPromptChars ?? FALLBACK_PROMPT_LIMIT;
}

/** Whether the model is an H3 (V2) one. */
export function isV2(info: ModelInfo | undefined): boolean {
  return paramsOf(info, 'video')?.api === 'v2';
}

export type VideoDraft = Filled<
  Draft<VideoParams>,
  | 'resolution'
  | 'durationS'
  | 'promptOptimizer'
  | 'ratio'
  | 'generateAudio'
  | 'referenceImages'
  | 'referenceVideos'
  | 'referenceAudios'
> & {
  /** Which frames the form asks for; the request only says which frames it has. */
  mode: VideoMode;
};

export const VIDEO_DEFAULTS: Readonly<VideoDraft> = {
  mode: 'text',
  model: 'MiniMax-H3',
  prompt: '',
  resolution: '768P',
  durationS: 5,
  promptOptimizer: true,
  firstFrame: undefined,
  lastFrame: undefined,
  ratio: '16:9',
  generateAudio: true,
  referenceImages: [],
  referenceVideos: [],
  referenceAudios: [],
};

/** The most seconds of reference clips of one kind MiniMax takes (each clip 2–15 s). */
export const MAX_REFERENCE_CLIPS_MS = 15_000;

/** The seconds of a kind's reference clips together. */
export function clipsTotalMs(clips: readonly ReferenceClip[]): number {
  return clips.reduce((sum, clip) => sum + clip.durationMs, 0);
}

/** What is wrong with the references of a reference-mode draft (MiniMax's rules, before any spend). */
function referenceProblems(d: VideoDraft): [string, Phrase | null][] {
  if (d.mode !== 'reference') return [];
  const seen = d.referenceImages.length + d.referenceVideos.length > 0;
  const overlong = (clips: ReferenceClip[]): Phrase | null =>
    clipsTotalMs(clips) > MAX_REFERENCE_CLIPS_MS
      ? { key: 'plans.video.clipsTooLong', params: { seconds: Math.round(clipsTotalMs(clips) / 100) / 10 } }
      : null;
  return [
    ['referenceImages', seen || d.referenceAudios.length > 0 ? null : { key: 'plans.video.needReference' }],
    ['referenceVideos', overlong(d.referenceVideos)],
    ['referenceAudios', !seen && d.referenceAudios.length > 0 ? { key: 'plans.video.audioNeedsPicture' } : overlong(d.referenceAudios)],
  ];
}

/** The draft with resolution and duration moved to a pair the model takes in the mode. */
export function validVideoCombination(d: VideoDraft, info: ModelInfo | undefined): { resolution: string; durationS: number } {
  return validVideoPair(info, d.mode, d.resolution, d.durationS);
}

export function videoProblems(d: VideoDraft, info: ModelInfo | undefined): Problems {
  const needsPrompt = d.mode === 'text' || d.mode === 'reference';
  return collect([
    ['prompt', (needsPrompt ? required(d.prompt) : null) ?? tooLong(d.prompt, videoPromptLimit(info))],
    ['firstFrame', (d.mode === 'image' || d.mode === 'firstLast') && !d.firstFrame ? { key: 'video.needFirstFrame' } : null],
    ['lastFrame', d.mode === 'firstLast' && !d.lastFrame ? { key: 'video.needLastFrame' } : null],
    ...referenceProblems(d),
  ]);
}

export function videoRequest({ mode, ...d }: VideoDraft, info: ModelInfo | undefined): GenerationRequest {
  const v2 = isV2(info);
  const frames = mode === 'image' || mode === 'firstLast';
  return sent({
    kind: 'video',
    ...d,
    ...validVideoCombination({ mode, ...d }, info),
    // Frames and references the mode does not use stay in the draft (switching back keeps them) but are not
    // sent; V2 fields are not sent to Hailuo, nor Hailuo's prompt optimizer to H3.
    firstFrame: frames ? d.firstFrame : undefined,
    lastFrame: mode === 'firstLast' ? d.lastFrame : undefined,
    promptOptimizer: v2 ? undefined : d.promptOptimizer,
    ratio: v2 && mode === 'text' ? d.ratio : undefined,
    generateAudio: v2 ? d.generateAudio : undefined,
    referenceImages: v2 && mode === 'reference' && d.referenceImages.length > 0 ? d.referenceImages : undefined,
    referenceVideos: v2 && mode === 'reference' && d.referenceVideos.length > 0 ? d.referenceVideos : undefined,
    referenceAudios: v2 && mode === 'reference' && d.referenceAudios.length > 0 ? d.referenceAudios : undefined,
  });
}

/** The mode is the one the stored frames or references were made with. */
export function videoDraftOf(stored: VideoParams): VideoDraft {
  const referenced = [stored.referenceImages, stored.referenceVideos, stored.referenceAudios].some((r) => r?.length);
  const mode: VideoMode = referenced
    ? 'reference'
    : stored.lastFrame
      ? 'firstLast'
      : stored.firstFrame
        ? 'image'
        : 'text';
  return { ...overDefaults(VIDEO_DEFAULTS, stored), mode };
}

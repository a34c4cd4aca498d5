// The video request as the composer describes it: text→video, image→video or first+last frame; only the
// documented resolution × duration pairs of each model are offered.
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { VideoParams } from '$lib/bindings/VideoParams';
import type { ModelOption } from '../models';
import { overDefaults, sent, type Draft, type Filled } from './draft';
import { collect, required, tooLong, type Problems } from './problems';

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

export type VideoDraft = Filled<Draft<VideoParams>, 'resolution' | 'durationS' | 'promptOptimizer'> & {
  /** Which frames the form asks for; the request only says which frames it has. */
  mode: VideoMode;
};

export const VIDEO_DEFAULTS: Readonly<VideoDraft> = {
  mode: 'text',
  model: 'MiniMax-Hailuo-2.3',
  prompt: '',
  resolution: '768P',
  durationS: 6,
  promptOptimizer: true,
  firstFrame: undefined,
  lastFrame: undefined,
};

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
    ['firstFrame', d.mode !== 'text' && !d.firstFrame ? { key: 'video.needFirstFrame' } : null],
    ['lastFrame', d.mode === 'firstLast' && !d.lastFrame ? { key: 'video.needLastFrame' } : null],
  ]);
}

export function videoRequest({ mode, ...d }: VideoDraft): GenerationRequest {
  return sent({
    kind: 'video',
    ...d,
    ...validVideoCombination({ mode, ...d }),
    // Frames the mode does not use stay in the draft (switching back keeps them) but are not sent.
    firstFrame: mode !== 'text' ? d.firstFrame : undefined,
    lastFrame: mode === 'firstLast' ? d.lastFrame : undefined,
  });
}

/** The mode is the one the stored frames were made with. */
export function videoDraftOf(stored: VideoParams): VideoDraft {
  const mode: VideoMode = stored.lastFrame ? 'firstLast' : stored.firstFrame ? 'image' : 'text';
  return { ...overDefaults(VIDEO_DEFAULTS, stored), mode };
}

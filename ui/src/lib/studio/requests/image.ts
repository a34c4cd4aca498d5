// The image request as the composer describes it (its models and ratios come from the model table), its draft and defaults,
// what is checked before sending, the request sent, and the draft a stored request gives back (remix).
import type { ImageParams } from '$lib/bindings/ImageParams';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import { overDefaults, sent, type Draft, type Filled } from './draft';
import { collect, required, tooLong, type Problems } from './problems';

export const IMAGE_PROMPT_LIMIT = 1500;

export type ImageDraft = Filled<Omit<Draft<ImageParams>, 'seed'>, 'count'> & {
  /** Typed as text ('' ⇒ random), so a half-typed seed can be shown wrong rather than lost. */
  seed: string;
};

export const IMAGE_DEFAULTS: Readonly<ImageDraft> = {
  model: 'image-01',
  prompt: '',
  aspectRatio: '16:9',
  count: 1,
  seed: '',
  promptOptimizer: false,
  subjectReference: undefined,
};

export function imageProblems(d: ImageDraft): Problems {
  const seedBad = d.seed.trim() !== '' && !/^\d{1,15}$/.test(d.seed.trim());
  return collect([
    ['prompt', required(d.prompt) ?? tooLong(d.prompt, IMAGE_PROMPT_LIMIT)],
    ['count', Number.isInteger(d.count) && d.count >= 1 && d.count <= 9 ? null : { key: 'image.countRange' }],
    ['seed', seedBad ? { key: 'image.seedWhole' } : null],
  ]);
}

export function imageRequest(d: ImageDraft): GenerationRequest {
  return sent({ kind: 'image', ...d, seed: d.seed.trim() === '' ? undefined : Number(d.seed.trim()) });
}

export function imageDraftOf({ seed, ...stored }: ImageParams): ImageDraft {
  return { ...overDefaults(IMAGE_DEFAULTS, stored), seed: seed === undefined ? '' : String(seed) };
}

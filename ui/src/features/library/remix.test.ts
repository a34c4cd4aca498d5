import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { ImageInput } from '$lib/bindings/ImageInput';
import type { Job } from '$lib/bindings/Job';
import { IMAGE_DEFAULTS } from '$lib/studio/requests/image';
import { SPEECH_DEFAULTS } from '$lib/studio/requests/speech';
import { remixOf, requestOf } from './remix';

function job(params: Job['params'], more: Partial<Job> = {}): Job {
  return {
    id: 1,
    modality: 'image',
    model: 'image-01',
    params,
    prompt: 'a fox',
    state: 'succeeded',
    keyKind: 'plan',
    demo: false,
    createdAtMs: 0,
    updatedAtMs: 0,
    ...more,
  };
}

describe('remix', () => {
  it('gives back every parameter of a stored request', () => {
    const params: GenerationRequest = { kind: 'image', model: 'image-01', prompt: 'a fox', aspectRatio: '1:1', count: 2, seed: 7, promptOptimizer: true };
    expect(requestOf(job(params))).toEqual(params);
    expect(remixOf(job(params))).toEqual({
      screen: 'image',
      draft: { ...IMAGE_DEFAULTS, model: 'image-01', prompt: 'a fox', aspectRatio: '1:1', count: 2, seed: '7', promptOptimizer: true },
    });
  });

  it('picks the video mode from its frames', () => {
    const frame: ImageInput = { source: 'file', path: 'media/3-0.png' };
    const remix = remixOf(job({ kind: 'video', model: 'MiniMax-Hailuo-02', prompt: 'p', firstFrame: frame, lastFrame: frame }, { modality: 'video' }));
    expect(remix?.screen).toBe('video');
    expect(remix?.draft).toMatchObject({ mode: 'firstLast', firstFrame: frame, lastFrame: frame });
  });

  it('falls back to the model and prompt when no request was stored (seeded items)', () => {
    const seeded = job({ seeded: true }, { modality: 'speechAsync', model: 'speech-2.8-hd', prompt: 'hello' });
    expect(requestOf(seeded)).toBeNull();
    expect(remixOf(seeded)).toEqual({ screen: 'speech', draft: { ...SPEECH_DEFAULTS, model: 'speech-2.8-hd', text: 'hello' } });
  });

  it('offers no remix of an imported file (a film music bed brought in from outside)', () => {
    const imported = job({ imported: 'Harbour Theme.mp3' }, { modality: 'music', model: 'imported', prompt: 'Harbour Theme.mp3' });
    expect(requestOf(imported)).toBeNull();
    expect(remixOf(imported)).toBeNull();
  });
});

// Reusing a generation: the request it was made with (for re-run), the composer draft it fills (remix), and
// an image as a video frame or subject reference. Pure: the screen writes the patch into the drafts.
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { ImageInput } from '$lib/bindings/ImageInput';
import type { Job } from '$lib/bindings/Job';
import type { Media } from '$lib/bindings/Media';
import type { ChatDraft, ImageDraft, MusicDraft, SpeechDraft, VideoDraft } from '$lib/studio/requests';

const KINDS = new Set(['chat', 'speech', 'image', 'video', 'music', 'lyrics']);

/** The request a job was made with, when its parameters hold one (seeded demo items do not). */
export function requestOf(job: Job): GenerationRequest | null {
  const params = job.params;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return null;
  const kind = (params as Record<string, unknown>).kind;
  return typeof kind === 'string' && KINDS.has(kind) ? (params as unknown as GenerationRequest) : null;
}

/** Which composer a remix opens and what it writes into its draft. */
export type Remix =
  | { screen: 'speech'; patch: Partial<SpeechDraft> }
  | { screen: 'image'; patch: Partial<ImageDraft> }
  | { screen: 'video'; patch: Partial<VideoDraft> }
  | { screen: 'music'; patch: Partial<MusicDraft> }
  | { screen: 'chat'; patch: Partial<ChatDraft> };

function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The composer draft of a job: every parameter it was made with, or at least its model and prompt. */
export function remixOf(job: Job): Remix | null {
  const request = requestOf(job);
  switch (request?.kind) {
    case 'speech':
      return {
        screen: 'speech',
        patch: defined({
          model: request.model,
          text: request.text,
          voiceId: request.voiceId,
          delivery: request.delivery,
          speed: request.speed,
          volume: request.volume,
          pitch: request.pitch,
          emotion: request.emotion ?? '',
          format: request.format,
          subtitles: request.subtitles,
        }),
      };
    case 'image':
      return {
        screen: 'image',
        patch: defined({
          model: request.model,
          prompt: request.prompt,
          aspectRatio: request.aspectRatio,
          count: request.count,
          seed: request.seed === undefined ? '' : String(request.seed),
          promptOptimizer: request.promptOptimizer,
          subjectReference: request.subjectReference ?? null,
        }),
      };
    case 'video': {
      const first = request.firstFrame ?? null;
      const last = request.lastFrame ?? null;
      return {
        screen: 'video',
        patch: defined({
          mode: last !== null ? 'firstLast' : first !== null ? 'image' : 'text',
          model: request.model,
          prompt: request.prompt,
          resolution: request.resolution,
          durationS: request.durationS,
          promptOptimizer: request.promptOptimizer,
          firstFrame: first,
          lastFrame: last,
        } as const),
      };
    }
    case 'music':
      return {
        screen: 'music',
        patch: defined({
          model: request.model,
          prompt: request.prompt,
          lyrics: request.lyrics,
          instrumental: request.instrumental,
          format: request.format,
        }),
      };
    case 'chat': {
      const last = [...request.messages].reverse().find((m) => m.role === 'user');
      return { screen: 'chat', patch: defined({ model: request.model, system: request.system ?? '', message: last?.content }) };
    }
    case 'lyrics':
      return { screen: 'music', patch: { prompt: request.prompt ?? '' } };
    default:
      break;
  }
  // No stored request (e.g. seeded): the model and prompt are still worth reusing.
  switch (job.modality) {
    case 'speech':
    case 'speechAsync':
      return { screen: 'speech', patch: { model: job.model, text: job.prompt } };
    case 'image':
      return { screen: 'image', patch: { model: job.model, prompt: job.prompt } };
    case 'video':
      return { screen: 'video', patch: { model: job.model, prompt: job.prompt } };
    case 'music':
      return { screen: 'music', patch: { model: job.model, prompt: job.prompt } };
    case 'lyrics':
      return { screen: 'music', patch: { prompt: job.prompt } };
    case 'text':
      return { screen: 'chat', patch: { model: job.model, message: job.prompt } };
  }
}

/** Where a library image goes when reused. */
export type ImageUse = 'firstFrame' | 'lastFrame' | 'subject';

/** The input an image file becomes (a path relative to the data folder, never inline data). */
export function imageInput(media: Media): ImageInput {
  return { source: 'file', path: media.relPath };
}

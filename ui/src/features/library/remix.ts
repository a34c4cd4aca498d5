// Reusing a generation: the request it was made with (for re-run), the composer draft it fills (remix: the
// composer's defaults with the stored request written over them), and an image as a video frame or subject
// reference. Pure: the screen writes the draft into the composer's.
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { ImageInput } from '$lib/bindings/ImageInput';
import type { Job } from '$lib/bindings/Job';
import type { Media } from '$lib/bindings/Media';
import { overDefaults } from '$lib/studio/requests/draft';
import { CHAT_DEFAULTS, chatDraftOf, type ChatDraft } from '$lib/studio/requests/chat';
import { IMAGE_DEFAULTS, imageDraftOf, type ImageDraft } from '$lib/studio/requests/image';
import { MUSIC_DEFAULTS, musicDraftOf, musicDraftOfLyrics, type MusicDraft } from '$lib/studio/requests/music';
import { SPEECH_DEFAULTS, speechDraftOf, type SpeechDraft } from '$lib/studio/requests/speech';
import { VIDEO_DEFAULTS, videoDraftOf, type VideoDraft } from '$lib/studio/requests/video';

/** The request a job was made with (seeded demo items have none). */
export function requestOf(job: Job): GenerationRequest | null {
  return 'kind' in job.params && job.params.kind !== 'film' ? job.params : null;
}

/** Which composer a remix opens and the whole draft it writes there. */
export type Remix =
  | { screen: 'speech'; draft: SpeechDraft }
  | { screen: 'image'; draft: ImageDraft }
  | { screen: 'video'; draft: VideoDraft }
  | { screen: 'music'; draft: MusicDraft }
  | { screen: 'chat'; draft: ChatDraft };

/** The composer draft of a job: every parameter it was made with, or at least its model and prompt. A film
 * export has none (it is re-exported from its film). */
export function remixOf(job: Job): Remix | null {
  const request = requestOf(job);
  switch (request?.kind) {
    case 'speech':
      return { screen: 'speech', draft: speechDraftOf(request) };
    case 'image':
      return { screen: 'image', draft: imageDraftOf(request) };
    case 'video':
      return { screen: 'video', draft: videoDraftOf(request) };
    case 'music':
      return { screen: 'music', draft: musicDraftOf(request) };
    case 'chat':
      return { screen: 'chat', draft: chatDraftOf(request) };
    case 'lyrics':
      return { screen: 'music', draft: musicDraftOfLyrics(request) };
    case undefined:
      break;
  }
  // A file brought in from outside (a film's imported music bed) was never generated: nothing to remix.
  if ('imported' in job.params) return null;
  // No stored request (a seeded demo item): the model and prompt are still worth reusing.
  const { model, prompt } = job;
  switch (job.modality) {
    case 'speech':
    case 'speechAsync':
      return { screen: 'speech', draft: overDefaults(SPEECH_DEFAULTS, { model, text: prompt }) };
    case 'image':
      return { screen: 'image', draft: overDefaults(IMAGE_DEFAULTS, { model, prompt }) };
    case 'video':
      return { screen: 'video', draft: overDefaults(VIDEO_DEFAULTS, { model, prompt }) };
    case 'music':
      return { screen: 'music', draft: overDefaults(MUSIC_DEFAULTS, { model, prompt }) };
    case 'lyrics':
      return { screen: 'music', draft: overDefaults(MUSIC_DEFAULTS, { prompt }) };
    case 'text':
      return { screen: 'chat', draft: overDefaults(CHAT_DEFAULTS, { model, message: prompt }) };
    case 'film':
      return null;
  }
}

/** Where a library image goes when reused. */
export type ImageUse = 'firstFrame' | 'lastFrame' | 'subject';

/** The input an image file becomes (a path relative to the data folder, never inline data). */
export function imageInput(media: Media): ImageInput {
  return { source: 'file', path: media.relPath };
}

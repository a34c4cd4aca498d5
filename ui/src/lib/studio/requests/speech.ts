// The speech request as the composer describes it: what each delivery and model accept, the draft and its
// defaults, what is checked before sending, the request sent, and the draft a stored request gives back.
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { SpeechDelivery } from '$lib/bindings/SpeechDelivery';
import type { SpeechParams } from '$lib/bindings/SpeechParams';
import type { ModelOption } from '../models';
import { overDefaults, sent, type Draft, type Filled } from './draft';
import { collect, required, tooLong, type Problems } from './problems';

export const SPEECH_MODELS: readonly ModelOption[] = [
  { id: 'speech-2.8-hd' },
  { id: 'speech-2.8-turbo' },
  { id: 'speech-2.6-hd' },
  { id: 'speech-2.6-turbo' },
  { id: 'speech-02-hd' },
  { id: 'speech-02-turbo' },
];
/** The async long-text API does not take speech-2.8. */
export function speechModelsFor(delivery: SpeechDelivery): readonly ModelOption[] {
  return delivery === 'async' ? SPEECH_MODELS.filter((m) => !m.id.startsWith('speech-2.8')) : SPEECH_MODELS;
}
/** Characters per request: sync and streamed calls take < 10,000; the async API 50,000. */
export function speechTextLimit(delivery: SpeechDelivery): number {
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
export function speechFormatsFor(delivery: SpeechDelivery): string[] {
  return delivery === 'async' ? ['mp3', 'flac'] : ['mp3', 'wav', 'flac'];
}

/** The sliders and selects always hold a value; an emotion of '' lets the model pick. */
export type SpeechDraft = Filled<Draft<SpeechParams>, 'speed' | 'volume' | 'pitch' | 'emotion' | 'format'>;

export const SPEECH_DEFAULTS: Readonly<SpeechDraft> = {
  model: 'speech-2.8-hd',
  text: '',
  voiceId: 'English_Graceful_Lady',
  delivery: 'sync',
  speed: 1,
  volume: 1,
  pitch: 0,
  emotion: '',
  format: 'mp3',
  sampleRate: undefined,
  subtitles: false,
  languageBoost: undefined,
  preview: undefined,
};

export function speechProblems(d: SpeechDraft): Problems {
  return collect([
    ['text', required(d.text) ?? tooLong(d.text, speechTextLimit(d.delivery))],
    ['voiceId', d.voiceId === '' ? { key: 'speech.pickVoice' } : null],
    ['emotion', d.emotion !== '' && !emotionsFor(d.model).includes(d.emotion) ? { key: 'form.notForModel' } : null],
  ]);
}

/** Only what differs from the API's defaults is sent. */
export function speechRequest(d: SpeechDraft): GenerationRequest {
  return sent({
    kind: 'speech',
    ...d,
    speed: d.speed !== 1 ? d.speed : undefined,
    volume: d.volume !== 1 ? d.volume : undefined,
    pitch: d.pitch !== 0 ? d.pitch : undefined,
    emotion: d.emotion !== '' ? d.emotion : undefined,
    subtitles: d.subtitles && d.delivery === 'sync',
  });
}

export function speechDraftOf(stored: SpeechParams): SpeechDraft {
  return overDefaults(SPEECH_DEFAULTS, stored);
}

// The speech request as the composer describes it: the draft and its defaults (speech-2.8-hd, the current
// model), what is checked before sending against what the model table says the model accepts, the request
// sent, and the draft a stored request gives back.
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { SpeechParams } from '$lib/bindings/SpeechParams';
import type { ModelInfo } from '$lib/bindings/ModelInfo';
import { speechEmotions, speechLimit } from '$lib/plans/model-table';
import { overDefaults, sent, type Draft, type Filled } from './draft';
import { collect, required, tooLong, type Problems } from './problems';

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

export function speechProblems(d: SpeechDraft, info: ModelInfo | undefined): Problems {
  const emotions = speechEmotions(info);
  return collect([
    ['text', required(d.text) ?? tooLong(d.text, speechLimit(info, d.delivery))],
    ['voiceId', d.voiceId === '' ? { key: 'speech.pickVoice' } : null],
    ['emotion', info && d.emotion !== '' && !emotions.includes(d.emotion) ? { key: 'form.notForModel' } : null],
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

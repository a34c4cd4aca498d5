// The composers' drafts live here, not in the screens: switching screens keeps what was typed, and a chat
// reply can be "sent to" another composer by writing its draft before navigating there.
import type { ChatDraft, ImageDraft, MusicDraft, SpeechDraft, VideoDraft } from './requests';

export const speechDraft: SpeechDraft = $state({
  model: 'speech-2.8-hd',
  text: '',
  voiceId: 'English_Graceful_Lady',
  delivery: 'sync',
  speed: 1,
  volume: 1,
  pitch: 0,
  emotion: '',
  format: 'mp3',
  subtitles: false,
});

export const imageDraft: ImageDraft = $state({
  model: 'image-01',
  prompt: '',
  aspectRatio: '16:9',
  count: 1,
  seed: '',
  promptOptimizer: false,
  subjectReference: null,
});

export const videoDraft: VideoDraft = $state({
  mode: 'text',
  model: 'MiniMax-Hailuo-2.3',
  prompt: '',
  resolution: '768P',
  durationS: 6,
  promptOptimizer: true,
  firstFrame: null,
  lastFrame: null,
});

export const musicDraft: MusicDraft = $state({
  model: 'music-2.5',
  prompt: '',
  lyrics: '',
  instrumental: false,
  format: 'mp3',
});

export const chatDraft: ChatDraft = $state({ model: 'MiniMax-M2.7', system: '', message: '' });

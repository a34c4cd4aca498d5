import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import { insertAt } from '../text-edit';
import { CHAT_DEFAULTS, chatDraftOf, chatRequest } from './chat';
import { overDefaults } from './draft';
import { IMAGE_DEFAULTS, imageDraftOf, imageProblems, imageRequest, type ImageDraft } from './image';
import { MUSIC_DEFAULTS, musicDraftOf, musicProblems, musicRequest, type MusicDraft } from './music';
import {
  SPEECH_DEFAULTS,
  emotionsFor,
  speechDraftOf,
  speechModelsFor,
  speechProblems,
  speechRequest,
  type SpeechDraft,
} from './speech';
import {
  VIDEO_DEFAULTS,
  validVideoCombination,
  videoDraftOf,
  videoProblems,
  videoRequest,
  videoResolutions,
  type VideoDraft,
} from './video';

const speech: SpeechDraft = { ...SPEECH_DEFAULTS, text: 'Hello there', subtitles: true };

describe('speech', () => {
  it('sends only what differs from the API defaults', () => {
    expect(speechRequest(speech)).toEqual({
      kind: 'speech',
      model: 'speech-2.8-hd',
      text: 'Hello there',
      voiceId: 'English_Graceful_Lady',
      delivery: 'sync',
      format: 'mp3',
      subtitles: true,
    });
    const streamed = speechRequest({ ...speech, delivery: 'stream', speed: 1.2, pitch: -2 });
    expect(streamed).toMatchObject({ speed: 1.2, pitch: -2, subtitles: false });
  });

  it('limits text per delivery and requires a voice', () => {
    expect(speechProblems(speech)).toEqual({});
    expect(speechProblems({ ...speech, text: ' ' }).text?.key).toBe('form.required');
    const long = 'a'.repeat(10_000);
    expect(speechProblems({ ...speech, text: long }).text).toEqual({ key: 'form.tooLong', params: { count: 10_000, limit: 9_999 } });
    expect(speechProblems({ ...speech, text: long, delivery: 'async' })).toEqual({});
    expect(speechProblems({ ...speech, voiceId: '' }).voiceId?.key).toBe('speech.pickVoice');
  });

  it('offers only the models and emotions the API takes', () => {
    expect(speechModelsFor('async').some((m) => m.id.startsWith('speech-2.8'))).toBe(false);
    expect(emotionsFor('speech-2.6-hd')).toContain('whisper');
    expect(emotionsFor('speech-2.8-hd')).not.toContain('whisper');
    expect(emotionsFor('speech-02-hd')).not.toContain('fluent');
    expect(speechProblems({ ...speech, emotion: 'whisper' }).emotion?.key).toBe('form.notForModel');
  });
});

describe('image', () => {
  const draft: ImageDraft = { ...IMAGE_DEFAULTS, prompt: 'A lighthouse', aspectRatio: '16:9', count: 2 };

  it('validates the prompt, count and seed', () => {
    expect(imageProblems(draft)).toEqual({});
    expect(imageProblems({ ...draft, prompt: 'x'.repeat(1501) }).prompt?.key).toBe('form.tooLong');
    expect(imageProblems({ ...draft, seed: '12a' }).seed?.key).toBe('image.seedWhole');
    expect(imageProblems({ ...draft, count: 10 }).count?.key).toBe('image.countRange');
  });

  it('sends the seed as a number and the reference as a library path', () => {
    const request = imageRequest({ ...draft, seed: ' 42 ', subjectReference: { source: 'file', path: 'media/3-0.png' } });
    expect(request).toMatchObject({ seed: 42, count: 2, subjectReference: { source: 'file', path: 'media/3-0.png' } });
  });
});

describe('video', () => {
  const draft: VideoDraft = { ...VIDEO_DEFAULTS, mode: 'text', prompt: 'A boat', resolution: '1080P', durationS: 10 };

  it('only offers documented resolution and duration pairs', () => {
    expect(videoResolutions('MiniMax-Hailuo-02', 'image').map(([r]) => r)).toEqual(['768P', '512P', '1080P']);
    expect(validVideoCombination(draft)).toEqual({ resolution: '1080P', durationS: 6 });
    expect(videoRequest(draft)).toMatchObject({ resolution: '1080P', durationS: 6 });
    expect(validVideoCombination({ ...draft, resolution: '512P' })).toEqual({ resolution: '768P', durationS: 10 });
  });

  it('frames are required by the modes that use them', () => {
    expect(videoProblems(draft)).toEqual({});
    expect(videoProblems({ ...draft, mode: 'image', prompt: '' })).toEqual({ firstFrame: { key: 'video.needFirstFrame' } });
    const frame = { source: 'file' as const, path: 'media/1-0.png' };
    const both = videoProblems({ ...draft, mode: 'firstLast', firstFrame: frame });
    expect(both).toEqual({ lastFrame: { key: 'video.needLastFrame' } });
    expect(videoRequest({ ...draft, mode: 'text', firstFrame: frame }).kind).toBe('video');
    expect('firstFrame' in videoRequest({ ...draft, mode: 'text', firstFrame: frame })).toBe(false);
  });
});

describe('music', () => {
  const draft: MusicDraft = { ...MUSIC_DEFAULTS, model: 'music-2.5', prompt: 'folk', lyrics: '[Verse]\nla la' };

  it('needs lyrics unless instrumental on a model that can be', () => {
    expect(musicProblems(draft)).toEqual({});
    expect(musicProblems({ ...draft, lyrics: '' }).lyrics?.key).toBe('form.required');
    // music-2.5 cannot be instrumental: the box is ignored, lyrics still needed.
    expect(musicProblems({ ...draft, lyrics: '', instrumental: true }).lyrics?.key).toBe('form.required');
    const instrumental = { ...draft, model: 'music-2.5+', lyrics: '', instrumental: true };
    expect(musicProblems(instrumental)).toEqual({});
    expect(musicRequest(instrumental)).toEqual({ kind: 'music', model: 'music-2.5+', prompt: 'folk', instrumental: true, format: 'mp3' });
  });

  it('music-2.0 has its own limits', () => {
    expect(musicProblems({ ...draft, model: 'music-2.0', prompt: 'short' }).prompt).toEqual({ key: 'form.atLeast', params: { count: 10 } });
  });
});

describe('chat and inserts', () => {
  it('appends the new message to the finished history', () => {
    const request = chatRequest({ ...CHAT_DEFAULTS, system: ' ', message: 'Next?' }, [{ role: 'user', content: 'Hi' }]);
    expect(request).toEqual({
      kind: 'chat',
      model: 'MiniMax-M2.7',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'user', content: 'Next?' },
      ],
    });
  });

  it('inserts at the cursor, replacing the selection', () => {
    expect(insertAt('A boat sails', 7, 7, '[Pan left] ')).toEqual(['A boat [Pan left] sails', 18]);
    expect(insertAt('abcdef', 1, 3, 'X')).toEqual(['aXdef', 2]);
  });
});

describe('a stored request and its draft', () => {
  const frame = { source: 'file' as const, path: 'media/1-0.png' };
  // Every field each composer sends, as the Library stores it: a remix then Generate sends it unchanged.
  const stored: GenerationRequest[] = [
    {
      kind: 'speech',
      model: 'speech-2.6-hd',
      text: 'Hi <#0.5#> there',
      voiceId: 'English_Aussie_Bloke',
      delivery: 'sync',
      speed: 1.2,
      volume: 2,
      pitch: -3,
      emotion: 'whisper',
      format: 'wav',
      sampleRate: 44100,
      subtitles: true,
      languageBoost: 'English',
    },
    {
      kind: 'image',
      model: 'image-01-live',
      prompt: 'A fox',
      aspectRatio: '1:1',
      count: 3,
      seed: 42,
      promptOptimizer: true,
      subjectReference: frame,
    },
    {
      kind: 'video',
      model: 'MiniMax-Hailuo-02',
      prompt: 'A boat [Pan left]',
      resolution: '768P',
      durationS: 10,
      promptOptimizer: false,
      firstFrame: frame,
      lastFrame: { source: 'url', url: 'https://example.com/last.png' },
    },
    { kind: 'music', model: 'music-2.6', prompt: 'folk', instrumental: true, format: 'wav' },
    { kind: 'chat', model: 'MiniMax-M2.7', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.3 },
  ];

  // What remixing a stored request and pressing Generate sends, and what the untouched defaults send.
  function again(request: GenerationRequest): [GenerationRequest, GenerationRequest] | null {
    switch (request.kind) {
      case 'speech':
        return [speechRequest(speechDraftOf(request)), speechRequest(SPEECH_DEFAULTS)];
      case 'image':
        return [imageRequest(imageDraftOf(request)), imageRequest(IMAGE_DEFAULTS)];
      case 'video':
        return [videoRequest(videoDraftOf(request)), videoRequest(VIDEO_DEFAULTS)];
      case 'music':
        return [musicRequest(musicDraftOf(request)), musicRequest(MUSIC_DEFAULTS)];
      case 'chat':
        return [chatRequest(chatDraftOf(request), []), chatRequest(CHAT_DEFAULTS, [])];
      default:
        return null;
    }
  }

  it('a remix sends the stored request again: the defaults with every stored field over them', () => {
    for (const request of stored) {
      const [remixed, defaults] = again(request)!;
      // Strictly: nothing of the form's own (the video mode, the message box) is sent, and a field the
      // request lacks (stored before the field existed) is sent with its default.
      expect(remixed).toStrictEqual({ ...defaults, ...request });
    }
  });

  it('what the stored request leaves out comes from the defaults, not the previous draft', () => {
    const bare = speechDraftOf({ model: 'speech-02-hd', text: 'Hello', voiceId: 'v', delivery: 'async', subtitles: false });
    expect(bare).toEqual({ ...SPEECH_DEFAULTS, model: 'speech-02-hd', text: 'Hello', voiceId: 'v', delivery: 'async' });
    expect(imageDraftOf({ model: 'image-01', prompt: 'p', promptOptimizer: false })).toEqual({ ...IMAGE_DEFAULTS, prompt: 'p' });
    expect(videoDraftOf({ model: 'MiniMax-Hailuo-2.3', prompt: 'p', firstFrame: frame }).mode).toBe('image');
    expect(chatDraftOf({ model: 'MiniMax-M2.7', messages: [] }).message).toBe('');
  });

  it('keeps only the fields a draft has (not the kind)', () => {
    const merged = overDefaults({ a: 1, b: 'x' as string | undefined }, { b: 'y', kind: 'image' } as { b: string });
    expect(merged).toStrictEqual({ a: 1, b: 'y' });
  });
});

import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { ModelCatalog } from '$lib/bindings/ModelCatalog';
import catalogJson from '$lib/bindings/model-catalog.json';
import { speechEmotions, speechModels, videoModels, videoResolutions } from '$lib/plans/model-table';
import { insertAt } from '../text-edit';
import { CHAT_DEFAULTS, chatDraftOf, chatRequest } from './chat';
import { overDefaults } from './draft';
import { IMAGE_DEFAULTS, imageDraftOf, imageProblems, imageRequest, type ImageDraft } from './image';
import { MUSIC_DEFAULTS, musicDraftOf, musicProblems, musicRequest, type MusicDraft } from './music';
import {
  SPEECH_DEFAULTS,
  speechDraftOf,
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
  type VideoDraft,
} from './video';

// The model table `list_models` answers, as generated from minimax-api by `make bindings`.
const table = (catalogJson as unknown as ModelCatalog).models;
const info = (id: string) => table.find((m) => m.id === id);

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
    expect(speechProblems(speech, info('speech-2.8-hd'))).toEqual({});
    expect(speechProblems({ ...speech, text: ' ' }, info('speech-2.8-hd')).text?.key).toBe('form.required');
    const long = 'a'.repeat(10_000);
    expect(speechProblems({ ...speech, text: long }, info('speech-2.8-hd')).text).toEqual({ key: 'form.tooLong', params: { count: 10_000, limit: 9_999 } });
    expect(speechProblems({ ...speech, text: long, delivery: 'async' }, info('speech-2.8-hd'))).toEqual({});
    expect(speechProblems({ ...speech, voiceId: '' }, info('speech-2.8-hd')).voiceId?.key).toBe('speech.pickVoice');
  });

  it('offers only the models and emotions the API takes', () => {
    // speech-2.8 takes the async long-text API too (minimax-api's table).
    expect(speechModels(table, 'async').some((m) => m.id.startsWith('speech-2.8'))).toBe(true);
    expect(speechEmotions(info('speech-2.6-hd'))).toContain('whisper');
    expect(speechEmotions(info('speech-2.8-hd'))).not.toContain('whisper');
    expect(speechEmotions(info('speech-02-hd'))).not.toContain('fluent');
    expect(speechProblems({ ...speech, emotion: 'whisper' }, info('speech-2.8-hd')).emotion?.key).toBe('form.notForModel');
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
    const hailuo = info('MiniMax-Hailuo-2.3');
    expect(videoResolutions(info('MiniMax-Hailuo-02'), 'image').map(([r]) => r)).toContain('512P');
    expect(validVideoCombination(draft, hailuo)).toEqual({ resolution: '1080P', durationS: 6 });
    expect(videoRequest(draft, hailuo)).toMatchObject({ resolution: '1080P', durationS: 6 });
    expect(validVideoCombination({ ...draft, resolution: '512P' }, hailuo)).toEqual({ resolution: '768P', durationS: 10 });
  });

  it('offers MiniMax-H3 first, at 768P or 2K for 4–15 s, with a ratio and its own soundtrack', () => {
    expect(videoModels(table, 'text')[0]?.id).toBe('MiniMax-H3');
    expect(videoModels(table, 'reference').map((m) => m.id)).toEqual(['MiniMax-H3']);
    const h3 = info('MiniMax-H3');
    expect(videoResolutions(h3, 'text')).toEqual([
      ['768P', [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]],
      ['2K', [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]],
    ]);
    const text = { ...VIDEO_DEFAULTS, prompt: 'A boat', resolution: '2K', durationS: 15 };
    expect(videoRequest(text, h3)).toStrictEqual({
      kind: 'video',
      model: 'MiniMax-H3',
      prompt: 'A boat',
      resolution: '2K',
      durationS: 15,
      ratio: '16:9',
      generateAudio: true,
    });
    const frame = { source: 'file' as const, path: 'media/1-0.png' };
    const referenced = videoRequest({ ...text, mode: 'reference', referenceImages: [frame] }, h3);
    expect(referenced).toMatchObject({ referenceImages: [frame] });
    expect('ratio' in referenced).toBe(false);
    expect(videoProblems({ ...text, mode: 'reference' }, h3)).toEqual({ referenceImages: { key: 'plans.video.needReference' } });
  });

  it('frames are required by the modes that use them', () => {
    expect(videoProblems(draft, info('MiniMax-Hailuo-2.3'))).toEqual({});
    expect(videoProblems({ ...draft, mode: 'image', prompt: '' }, info('MiniMax-Hailuo-02'))).toEqual({ firstFrame: { key: 'video.needFirstFrame' } });
    const frame = { source: 'file' as const, path: 'media/1-0.png' };
    const both = videoProblems({ ...draft, mode: 'firstLast', firstFrame: frame }, info('MiniMax-Hailuo-02'));
    expect(both).toEqual({ lastFrame: { key: 'video.needLastFrame' } });
    expect(videoRequest({ ...draft, mode: 'text', firstFrame: frame }, info('MiniMax-Hailuo-2.3')).kind).toBe('video');
    expect('firstFrame' in videoRequest({ ...draft, mode: 'text', firstFrame: frame }, info('MiniMax-Hailuo-2.3'))).toBe(false);
  });
});

describe('music', () => {
  const draft: MusicDraft = { ...MUSIC_DEFAULTS, model: 'music-2.5', prompt: 'folk', lyrics: '[Verse]\nla la' };

  it('needs lyrics unless instrumental on a model that can be', () => {
    expect(musicProblems(draft, info(draft.model))).toEqual({});
    expect(musicProblems({ ...draft, lyrics: '' }, info('music-2.5')).lyrics?.key).toBe('form.required');
    // music-2.5 cannot be instrumental: the box is ignored, lyrics still needed.
    expect(musicProblems({ ...draft, lyrics: '', instrumental: true }, info('music-2.5')).lyrics?.key).toBe('form.required');
    const instrumental = { ...draft, model: 'music-2.5+', lyrics: '', instrumental: true };
    expect(musicProblems(instrumental, info(instrumental.model))).toEqual({});
    expect(musicRequest(instrumental, info('music-2.5+'))).toEqual({ kind: 'music', model: 'music-2.5+', prompt: 'folk', instrumental: true, format: 'mp3' });
  });

  it('music-2.0 has its own limits', () => {
    expect(musicProblems({ ...draft, model: 'music-2.0', prompt: 'short' }, info('music-2.0')).prompt).toEqual({ key: 'form.atLeast', params: { count: 10 } });
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
        return [
          videoRequest(videoDraftOf(request), info(request.model)),
          videoRequest({ ...VIDEO_DEFAULTS, model: request.model }, info(request.model)),
        ];
      case 'music':
        return [musicRequest(musicDraftOf(request), info(request.model)), musicRequest(MUSIC_DEFAULTS, info('music-2.5'))];
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

import { describe, expect, it } from 'vitest';
import {
  chatRequest,
  imageProblems,
  imageRequest,
  musicProblems,
  musicRequest,
  speechProblems,
  speechRequest,
  validVideoCombination,
  videoProblems,
  videoRequest,
  type ImageDraft,
  type MusicDraft,
  type SpeechDraft,
  type VideoDraft,
} from './requests';
import { emotionsFor, insertAt, speechModelsFor, videoResolutions } from './models';

const speech: SpeechDraft = {
  model: 'speech-2.8-hd',
  text: 'Hello there',
  voiceId: 'English_Graceful_Lady',
  delivery: 'sync',
  speed: 1,
  volume: 1,
  pitch: 0,
  emotion: '',
  format: 'mp3',
  subtitles: true,
};

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
  const draft: ImageDraft = {
    model: 'image-01',
    prompt: 'A lighthouse',
    aspectRatio: '16:9',
    count: 2,
    seed: '',
    promptOptimizer: false,
    subjectReference: null,
  };

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
  const draft: VideoDraft = {
    mode: 'text',
    model: 'MiniMax-Hailuo-2.3',
    prompt: 'A boat',
    resolution: '1080P',
    durationS: 10,
    promptOptimizer: true,
    firstFrame: null,
    lastFrame: null,
  };

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
  const draft: MusicDraft = { model: 'music-2.5', prompt: 'folk', lyrics: '[Verse]\nla la', instrumental: false, format: 'mp3' };

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
    const request = chatRequest({ model: 'MiniMax-M2.7', system: ' ', message: 'Next?' }, [{ role: 'user', content: 'Hi' }]);
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

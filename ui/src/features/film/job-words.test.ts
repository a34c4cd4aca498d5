import { afterEach, describe, expect, it } from 'vitest';
import type { BlockedJob } from '$lib/bindings/BlockedJob';
import type { CheaperChange } from '$lib/bindings/CheaperChange';
import type { JobLabel } from '$lib/bindings/JobLabel';
import type { JobProblem } from '$lib/bindings/JobProblem';
import { setLanguage } from '$lib/i18n/i18n.svelte';
import { blockedJobText, cheaperChangeText, jobLabelText, jobProblemText } from './job-words';

// One of every kind studio-film sends (job_words.rs); a new kind there is a type error in job-words.ts.
const LABELS: JobLabel[] = [
  { kind: 'keyframe', shot: 3 },
  { kind: 'clip', shot: 3 },
  { kind: 'line', shot: 3, speaker: 'Mara', excerpt: 'This one will make it.' },
  { kind: 'music' },
];
const PROBLEMS: JobProblem[] = [
  { kind: 'noVoice', speaker: 'Mara' },
  { kind: 'noMusicPrompt' },
  { kind: 'referenceDeleted', character: 'Ada', path: 'media/4-0.png' },
  { kind: 'needsKeyframe' },
  { kind: 'needsNextKeyframe' },
  { kind: 'needsPreviousClip' },
  { kind: 'refused', reason: 'the prompt is longer than 2000 characters' },
];
const CHANGES: CheaperChange[] = [
  { kind: 'draftClips', count: 4, model: 'MiniMax-Hailuo-02', resolution: '512P' },
  { kind: 'turboLines', count: 2 },
];

/** Every text of every kind, in the active language. */
const everything = () => [
  ...LABELS.map(jobLabelText),
  ...PROBLEMS.map(jobProblemText),
  ...CHANGES.map(cheaperChangeText),
  blockedJobText({ label: LABELS[2]!, problem: PROBLEMS[0]! }),
];

afterEach(() => setLanguage('en'));

describe('job words in English', () => {
  it('read as the command line prints them (job_words.rs Display)', () => {
    setLanguage('en');
    expect(LABELS.map(jobLabelText)).toEqual([
      'Shot 3 keyframe',
      'Shot 3 clip',
      'Shot 3 · Mara: “This one will make it.”',
      'Music bed',
    ]);
    expect(PROBLEMS.map(jobProblemText)).toEqual([
      'Mara has no voice yet: choose one in the cast panel',
      'the music cue has no prompt',
      "Ada's reference image media/4-0.png was deleted: add another or remove it",
      'make and choose its keyframe first',
      'the next shot needs a chosen keyframe for first+last frame',
      'the previous shot needs a chosen clip first',
      'the prompt is longer than 2000 characters',
    ]);
    expect(CHANGES.map(cheaperChangeText)).toEqual([
      '4 clips as MiniMax-Hailuo-02 512P drafts',
      '2 lines with Turbo voices',
    ]);
  });

  it('name a blocked job by its slot, then why', () => {
    const blocked: BlockedJob = {
      label: { kind: 'line', shot: 3, speaker: 'Mara', excerpt: 'This one' },
      problem: { kind: 'noVoice', speaker: 'Mara' },
    };
    expect(blockedJobText(blocked)).toBe('Shot 3 · Mara: “This one”: Mara has no voice yet: choose one in the cast panel');
  });

  it('count in the singular for one', () => {
    expect(cheaperChangeText({ kind: 'draftClips', count: 1, model: 'MiniMax-Hailuo-02', resolution: '512P' })).toBe(
      '1 clip as a MiniMax-Hailuo-02 512P draft',
    );
    expect(cheaperChangeText({ kind: 'turboLines', count: 1 })).toBe('1 line with a Turbo voice');
  });

  it('keep a placeholder-like text as typed (a line excerpt is not a template)', () => {
    const label: JobLabel = { kind: 'line', shot: 1, speaker: '{shot}', excerpt: 'Say {count} $& twice' };
    expect(jobLabelText(label)).toBe('Shot 1 · {shot}: “Say {count} $& twice”');
  });
});

describe('job words in Chinese', () => {
  it('are translated, with every parameter filled in', () => {
    setLanguage('zh-CN');
    expect(LABELS.map(jobLabelText)).toEqual(['镜头 3 的关键帧', '镜头 3 的视频片段', '镜头 3 · Mara：“This one will make it.”', '背景配乐']);
    expect(jobProblemText({ kind: 'noVoice', speaker: 'Mara' })).toBe('Mara 还没有音色：请在角色面板中选择一个');
    expect(jobProblemText({ kind: 'referenceDeleted', character: 'Ada', path: 'media/4-0.png' })).toBe(
      'Ada 的参考图 media/4-0.png 已被删除：请添加另一张或将其移除',
    );
    expect(CHANGES.map(cheaperChangeText)).toEqual(['4 个视频片段改用 MiniMax-Hailuo-02 512P 草稿', '2 句台词改用 Turbo 音色']);
    expect(blockedJobText({ label: { kind: 'clip', shot: 2 }, problem: { kind: 'needsKeyframe' } })).toBe(
      '镜头 2 的视频片段：请先制作并选定它的关键帧',
    );
    // A refusal is MiniMax's or ffmpeg's own reason, shown as given.
    expect(jobProblemText({ kind: 'refused', reason: 'ffmpeg: no frame' })).toBe('ffmpeg: no frame');
  });

  it('differ from English wherever there is a key (no English left behind)', () => {
    setLanguage('en');
    const english = everything();
    setLanguage('zh-CN');
    const chinese = everything();
    const refused = PROBLEMS.findIndex((p) => p.kind === 'refused') + LABELS.length;
    chinese.forEach((text, i) => {
      if (i !== refused) expect(text, english[i]).not.toBe(english[i]);
    });
  });
});

describe('job words in every language', () => {
  it.each(['en', 'zh-CN'] as const)('%s: no placeholder is left unfilled and no key is missing', (language) => {
    setLanguage(language);
    for (const text of everything()) {
      expect(text).not.toMatch(/\{\w+\}/);
      expect(text).not.toMatch(/^film\./);
      expect(text.trim()).not.toBe('');
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { BlockedJob } from '$lib/bindings/BlockedJob';
import type { CheaperChange } from '$lib/bindings/CheaperChange';
import type { CopyRefusal } from '$lib/bindings/CopyRefusal';
import type { JobLabel } from '$lib/bindings/JobLabel';
import type { JobProblem } from '$lib/bindings/JobProblem';
import { setLanguage } from '$lib/i18n/i18n.svelte';
import {
  blockedJobText,
  castVoiceNote,
  cheaperChangeText,
  copyRefusalText,
  jobLabelText,
  jobProblemText,
  voiceUnusableText,
} from './job-words';

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
  { kind: 'voiceUnusable', speaker: 'Mara', voiceId: 'tpsc-Mara-1', status: { status: 'expired', expiredAtMs: 1_780_000_000_000 } },
  { kind: 'voiceUnusable', speaker: 'Ada', voiceId: 'tpsd-Ada-1', status: { status: 'deleted', deletedAtMs: 1_780_000_000_000 } },
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
      'not sent: the prompt is longer than 2000 characters',
      "Mara's voice tpsc-Mara-1 expired (MiniMax deletes a voice unused for 7 days): choose another in the cast panel",
      "Ada's voice tpsd-Ada-1 was deleted: choose another in the cast panel",
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
    expect(jobProblemText(PROBLEMS.at(-2)!)).toBe(
      'Mara 的音色 tpsc-Mara-1 已过期（MiniMax 会删除 7 天内未使用的音色）：请在角色面板中另选一个',
    );
    // A refusal is framed in the UI's language; its reason is the detail as studio-core or ffmpeg gave it.
    expect(jobProblemText({ kind: 'refused', reason: 'ffmpeg: no frame' })).toBe('未发送：ffmpeg: no frame');
  });

  it('differ from English wherever there is a key (no English left behind)', () => {
    setLanguage('en');
    const english = everything();
    setLanguage('zh-CN');
    const chinese = everything();
    chinese.forEach((text, i) => expect(text, english[i]).not.toBe(english[i]));
  });
});

describe('a character whose voice was made here', () => {
  it('is flagged when the voice is gone, and told when it expires otherwise', () => {
    setLanguage('en');
    const expired = castVoiceNote({ status: 'expired', expiredAtMs: Date.UTC(2026, 5, 1, 12) });
    expect(expired?.gone).toBe(true);
    expect(expired?.text).toMatch(/^This voice expired on Jun 1, 2026: MiniMax deletes/);
    expect(castVoiceNote({ status: 'deleted', deletedAtMs: Date.UTC(2026, 5, 1, 12) })?.gone).toBe(true);
    expect(castVoiceNote({ status: 'available', expiresAtMs: Date.UTC(2026, 5, 8, 12) })).toEqual({
      text: 'Unless used in a real synthesis first, this voice expires on Jun 8, 2026.',
      gone: false,
    });
    expect(castVoiceNote({ status: 'available' })).toBeNull();
    expect(castVoiceNote({ status: 'system' })).toBeNull();
    expect(castVoiceNote(undefined)).toBeNull();
    expect(voiceUnusableText('Mara', 'English_radiant_girl', { status: 'system' })).toBeNull();
    setLanguage('zh-CN');
    expect(castVoiceNote({ status: 'failed' })?.text).toBe('该音色没有制作成功：设计或复刻失败。另选音色之前，其台词不会配音。');
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

describe('why an export re-encoded', () => {
  afterEach(() => setLanguage('en'));
  const REFUSALS: [CopyRefusal, string][] = [
    [{ kind: 'turnedOff' }, 'stream copy is turned off'],
    [{ kind: 'subtitlesBurned' }, 'subtitles are burned in'],
    [{ kind: 'noClip', shot: 3 }, 'shot 3 has no clip yet'],
    [{ kind: 'noVideo', shot: 3 }, "shot 3's clip has no video"],
    [{ kind: 'sizeDiffers', shot: 3, width: 720, height: 1280, wantWidth: 1280, wantHeight: 720 }, "shot 3's clip is 720×1280, not 1280×720"],
    [{ kind: 'encodedDifferently', shot: 3 }, "shot 3's clip is encoded differently"],
    [{ kind: 'trimOffKeyframe', shot: 3 }, "shot 3's trim does not fall on keyframes"],
    [{ kind: 'keyframesUnknown', shot: 3 }, "shot 3's keyframes could not be read"],
  ];

  it('reads as the command line prints it in English, and is all in Chinese', () => {
    setLanguage('en');
    for (const [refusal, english] of REFUSALS) expect(copyRefusalText(refusal)).toBe(english);
    setLanguage('zh-CN');
    for (const [refusal, english] of REFUSALS) expect(copyRefusalText(refusal), english).not.toBe(english);
  });
});

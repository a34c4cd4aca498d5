import { afterEach, describe, expect, it } from 'vitest';
import type { ImportNote } from '$lib/bindings/ImportNote';
import { setLanguage } from '$lib/i18n/i18n.svelte';
import { importNoteText, importWarningText } from './import-notes';

// One of every kind studio-film sends (script/import_note.rs), with the English its `Display` prints (the
// app groups thousands, as it does everywhere: the values here stay under 1,000).
const NOTES: [ImportNote, string][] = [
  [{ kind: 'unclosedNote' }, 'a note opened with `[[` is never closed with `]]`; kept as text'],
  [{ kind: 'noTitle' }, 'no title page with a Title: field; the film is called "Untitled"'],
  [{ kind: 'centeredLeftOut', text: 'THE END' }, 'centered text "THE END" left out (title cards belong in the edit)'],
  [
    { kind: 'actionContinued', shots: 1, maxChars: 900 },
    'long action continued in 1 more shot (a shot description holds at most 900 characters)',
  ],
  [
    { kind: 'actionContinued', shots: 2, maxChars: 900 },
    'long action continued in 2 more shots (a shot description holds at most 900 characters)',
  ],
  [
    { kind: 'dualDialogue', speaker: 'Bram', other: 'Ada' },
    "dual dialogue flattened: Bram's line with Ada is spoken after, not at the same time",
  ],
  [
    { kind: 'dualDialogue', speaker: 'Bram', other: null },
    "dual dialogue flattened: Bram's line is spoken after, not at the same time",
  ],
  [
    { kind: 'cannotWhisper', text: 'whispering' },
    '(whispering): speech-2.8 voices cannot whisper; the line is voiced normally',
  ],
  [{ kind: 'speechSplit', maxChars: 500, lines: 3 }, 'a speech over 500 characters was split into 3 lines'],
  [{ kind: 'lyricsCut', maxChars: 900 }, 'lyrics from here on left out: a song holds at most 900 characters'],
  [
    { kind: 'lyricsBecameMusic' },
    "lyrics outside dialogue became the film's music cue; describe its style in the music prompt",
  ],
  [
    { kind: 'unknownField', field: 'mood', parent: 'shots[2]' },
    'unknown field "mood" in shots[2] ignored (this version does not read it)',
  ],
  [{ kind: 'unknownField', field: 'mood', parent: null }, 'unknown field "mood" ignored (this version does not read it)'],
  [{ kind: 'moreUnknownFields', count: 200 }, 'and 200 more unknown fields ignored'],
];

afterEach(() => setLanguage('en'));

describe('import notes', () => {
  it('read in English as the command line prints them', () => {
    setLanguage('en');
    for (const [note, english] of NOTES) expect(importNoteText(note)).toBe(english);
    expect(importWarningText({ line: 67, note: NOTES[0]![0], message: '' })).toBe(`Line 67: ${NOTES[0]![1]}`);
  });

  it('are all in Chinese, with their values, and a repair keeps its own words', () => {
    setLanguage('zh-CN');
    for (const [note, english] of NOTES) expect(importNoteText(note), english).not.toBe(english);
    expect(importNoteText({ kind: 'centeredLeftOut', text: 'THE END' })).toContain('THE END');
    expect(importWarningText({ line: 67, note: { kind: 'noTitle' }, message: '' })).toMatch(/^第 67 行：/);
    expect(importNoteText({ kind: 'repaired', text: 'shot 2 had no description' })).toBe('shot 2 had no description');
  });
});

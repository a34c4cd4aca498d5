// The music request as the composer describes it (and "write lyrics for me", the lyrics request it starts
// from the music prompt): models, limits, the draft and its defaults, checks, the request sent, and the
// draft a stored request gives back.
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { LyricsParams } from '$lib/bindings/LyricsParams';
import type { MusicParams } from '$lib/bindings/MusicParams';
import type { ModelInfo } from '$lib/bindings/ModelInfo';
import { paramsOf } from '$lib/plans/model-table';
import { overDefaults, sent, type Draft, type Filled } from './draft';
import { atLeast, collect, required, tooLong, type Problems } from './problems';

/** Whether the model takes `is_instrumental` (the model table says). */
export function musicAllowsInstrumental(info: ModelInfo | undefined): boolean {
  return paramsOf(info, 'music')?.instrumental ?? false;
}
/** The prompt and lyrics limits of the model (music-2.0 takes shorter texts than the newer models). */
export function musicLimits(info: ModelInfo | undefined): { prompt: number; lyrics: number } {
  const params = paramsOf(info, 'music');
  return params ? { prompt: params.maxPromptChars, lyrics: params.maxLyricsChars } : { prompt: 2000, lyrics: 3500 };
}
/** Structure tags of the lyrics editor. */
export const STRUCTURE_TAGS = ['Intro', 'Verse', 'Pre Chorus', 'Chorus', 'Bridge', 'Interlude', 'Outro', 'Hook'] as const;

/** Both text boxes always hold text ('' is not sent). */
export type MusicDraft = Filled<Draft<MusicParams>, 'prompt' | 'lyrics' | 'format'>;

export const MUSIC_DEFAULTS: Readonly<MusicDraft> = {
  model: 'music-2.5',
  prompt: '',
  lyrics: '',
  instrumental: false,
  format: 'mp3',
};

export function musicProblems(d: MusicDraft, info: ModelInfo | undefined): Problems {
  const instrumental = d.instrumental && musicAllowsInstrumental(info);
  const older = d.model === 'music-2.0';
  const limits = musicLimits(info);
  return collect([
    [
      'prompt',
      (instrumental ? required(d.prompt) : null) ?? (older ? atLeast(d.prompt, 10) : null) ?? tooLong(d.prompt, limits.prompt),
    ],
    [
      'lyrics',
      instrumental
        ? null
        : (required(d.lyrics) ?? (older ? atLeast(d.lyrics, 10) : null) ?? tooLong(d.lyrics, limits.lyrics)),
    ],
  ]);
}

export function musicRequest(d: MusicDraft, info: ModelInfo | undefined): GenerationRequest {
  const instrumental = d.instrumental && musicAllowsInstrumental(info);
  return sent({
    kind: 'music',
    ...d,
    prompt: d.prompt.trim() !== '' ? d.prompt : undefined,
    lyrics: !instrumental && d.lyrics.trim() !== '' ? d.lyrics : undefined,
    instrumental,
  });
}

/** "Write lyrics for me": a whole song from the music prompt (or a theme). */
export function lyricsRequest(theme: string): GenerationRequest {
  return { kind: 'lyrics', prompt: theme.trim() === '' ? 'A song about a new beginning' : theme };
}

export function musicDraftOf(stored: MusicParams): MusicDraft {
  return overDefaults(MUSIC_DEFAULTS, stored);
}

/** A lyrics job comes back as the music prompt it was written from. */
export function musicDraftOfLyrics(stored: LyricsParams): MusicDraft {
  return overDefaults(MUSIC_DEFAULTS, { prompt: stored.prompt });
}

// What the Film screen says about its jobs, in the user's language. studio-film sends data, not sentences
// (job_words.rs: JobLabel, JobProblem, BlockedJob, CheaperChange); the English here reads as that file's
// `Display`, which the command line prints. Pure but for the active language, which `t()` reads.
import type { BlockedJob } from '$lib/bindings/BlockedJob';
import type { CheaperChange } from '$lib/bindings/CheaperChange';
import type { CopyRefusal } from '$lib/bindings/CopyRefusal';
import type { JobLabel } from '$lib/bindings/JobLabel';
import type { JobProblem } from '$lib/bindings/JobProblem';
import type { VoiceStatus } from '$lib/bindings/VoiceStatus';
import { currentLocale, t } from '$lib/i18n/i18n.svelte';

/** Which slot a job fills: "Shot 3 keyframe", "Shot 3 · Mara: “This one…”", "Music bed". */
export function jobLabelText(label: JobLabel): string {
  switch (label.kind) {
    case 'keyframe':
      return t('film.job.keyframe', { shot: label.shot });
    case 'clip':
      return t('film.job.clip', { shot: label.shot });
    case 'line':
      return t('film.job.line', { shot: label.shot, speaker: label.speaker, excerpt: label.excerpt });
    case 'music':
      return t('film.job.music');
  }
}

/** Why a job cannot be sent yet. A refusal keeps its reason as studio-core or ffmpeg gave it. */
export function jobProblemText(problem: JobProblem): string {
  switch (problem.kind) {
    case 'noVoice':
      return t('film.problem.noVoice', { speaker: problem.speaker });
    case 'voiceUnusable':
      return voiceUnusableText(problem.speaker, problem.voiceId, problem.status) ?? problem.voiceId;
    case 'noMusicPrompt':
      return t('film.problem.noMusicPrompt');
    case 'referenceDeleted':
      return t('film.problem.referenceDeleted', { character: problem.character, path: problem.path });
    case 'needsKeyframe':
      return t('film.problem.needsKeyframe');
    case 'needsNextKeyframe':
      return t('film.problem.needsNextKeyframe');
    case 'needsPreviousClip':
      return t('film.problem.needsPreviousClip');
    case 'refused':
      // The frame is ours (translated); the reason is studio-core's or ffmpeg's detail, like an error's message.
      return t('film.problem.refused', { reason: problem.reason });
  }
}

/**
 * Why `speaker`'s lines cannot be voiced with `voiceId`: expired, deleted, never made or still being made.
 * Null for a voice that can be spoken with.
 */
export function voiceUnusableText(speaker: string, voiceId: string, status: VoiceStatus): string | null {
  const params = { speaker, voice: voiceId };
  switch (status.status) {
    case 'expired':
      return t('film.problem.voiceExpired', params);
    case 'deleted':
      return t('film.problem.voiceDeleted', params);
    case 'failed':
      return t('film.problem.voiceFailed', params);
    case 'creating':
      return t('film.problem.voiceCreating', params);
    default:
      return null;
  }
}

/** What the cast panel says under a character's voice: why it cannot be used, or when it expires if unused. */
export function castVoiceNote(status: VoiceStatus | undefined): { text: string; gone: boolean } | null {
  const date = (atMs: number) => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium' }).format(new Date(atMs));
  switch (status?.status) {
    case 'expired':
      return { text: t('film.cast.voiceExpired', { date: date(status.expiredAtMs) }), gone: true };
    case 'deleted':
      return { text: t('film.cast.voiceDeleted', { date: date(status.deletedAtMs) }), gone: true };
    case 'failed':
      return { text: t('film.cast.voiceFailed'), gone: true };
    case 'creating':
      return { text: t('film.cast.voiceCreating'), gone: true };
    case 'available':
      return status.expiresAtMs === undefined ? null : { text: t('film.cast.voiceExpires', { date: date(status.expiresAtMs) }), gone: false };
    default:
      return null;
  }
}

/** "Shot 2 clip: make and choose its keyframe first". */
export function blockedJobText(blocked: BlockedJob): string {
  return t('film.job.blocked', { label: jobLabelText(blocked.label), problem: jobProblemText(blocked.problem) });
}

/** One change of the cheaper path: "4 clips as MiniMax-Hailuo-02 512P drafts", "2 lines with Turbo voices". */
export function cheaperChangeText(change: CheaperChange): string {
  switch (change.kind) {
    case 'draftClips':
      return t('film.cheaper.draftClips', { count: change.count, model: change.model, resolution: change.resolution });
    case 'turboLines':
      return t('film.cheaper.turboLines', { count: change.count });
  }
}

/** Why an export re-encoded instead of joining the clips as they are (render/copy_refusal.rs). */
export function copyRefusalText(refusal: CopyRefusal): string {
  switch (refusal.kind) {
    case 'turnedOff':
      return t('film.copyRefusal.turnedOff');
    case 'subtitlesBurned':
      return t('film.copyRefusal.subtitlesBurned');
    case 'noClip':
      return t('film.copyRefusal.noClip', { shot: refusal.shot });
    case 'noVideo':
      return t('film.copyRefusal.noVideo', { shot: refusal.shot });
    case 'sizeDiffers':
      return t('film.copyRefusal.sizeDiffers', {
        shot: refusal.shot,
        size: `${refusal.width}×${refusal.height}`,
        want: `${refusal.wantWidth}×${refusal.wantHeight}`,
      });
    case 'encodedDifferently':
      return t('film.copyRefusal.encodedDifferently', { shot: refusal.shot });
    case 'trimOffKeyframe':
      return t('film.copyRefusal.trimOffKeyframe', { shot: refusal.shot });
    case 'keyframesUnknown':
      return t('film.copyRefusal.keyframesUnknown', { shot: refusal.shot });
  }
}

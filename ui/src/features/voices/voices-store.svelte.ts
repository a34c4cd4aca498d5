// The Voices screen's state: the voice list with the shortlist, the voices picked for an audition, the
// current audition (its takes follow the studio's job events), presets and the voices made here. Every
// change goes through $lib/ipc and keeps what Rust answered.
import { getContext, setContext } from 'svelte';
import type { Audition } from '$lib/bindings/Audition';
import type { CustomVoice } from '$lib/bindings/CustomVoice';
import type { IpcError } from '$lib/bindings/IpcError';
import type { KeyKind } from '$lib/bindings/KeyKind';
import type { VoiceInfo } from '$lib/bindings/VoiceInfo';
import type { VoicePreset } from '$lib/bindings/VoicePreset';
import type { VoiceSettings } from '$lib/bindings/VoiceSettings';
import type { VoiceTake } from '$lib/bindings/VoiceTake';
import {
  deleteCustomVoice,
  deleteVoicePreset,
  getAudition,
  getLatestAudition,
  keepVoiceAlive,
  listCustomVoices,
  listStarredVoices,
  listVoicePresets,
  listVoices,
  runAudition,
  runJobOnPayAsYouGo,
  saveVoicePreset,
  setTakeStarred,
  setVoiceStarred,
  toIpcError,
} from '$lib/ipc';
import { togglePicked, voiceRefs } from './voice-workspace';

export class VoiceWorkspace {
  voices: VoiceInfo[] | null = $state.raw(null);
  voicesError: IpcError | null = $state.raw(null);
  starred: string[] = $state.raw([]);
  presets: VoicePreset[] = $state.raw([]);
  custom: CustomVoice[] = $state.raw([]);
  /** Voice ids picked for the next audition, in pick order. */
  picked: string[] = $state.raw([]);
  audition: Audition | null = $state.raw(null);
  /** The last failure of an action, shown above the grid. */
  error: IpcError | null = $state.raw(null);
  /** A design or clone whose preview plays as soon as its file is saved (the screen watches it). */
  pendingPreview: { jobId: number; voiceId: string } | null = $state.raw(null);

  /** Reads the list, the shortlist, presets, the voices made here and the last audition. */
  async load(): Promise<void> {
    await Promise.all([
      this.loadVoices(),
      this.#keep(async () => (this.starred = await listStarredVoices())),
      this.#keep(async () => (this.presets = await listVoicePresets())),
      this.refreshCustom(),
      this.#keep(async () => (this.audition = this.audition ?? (await getLatestAudition()))),
    ]);
  }

  async loadVoices(): Promise<void> {
    try {
      this.voices = await listVoices();
      this.voicesError = null;
    } catch (e) {
      this.voicesError = toIpcError(e);
    }
  }

  async #keep(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      this.error = null;
      return true;
    } catch (e) {
      this.error = toIpcError(e);
      return false;
    }
  }

  togglePick(voiceId: string): void {
    this.picked = togglePicked(this.picked, voiceId);
  }

  clearPicks(): void {
    this.picked = [];
  }

  isStarred(voiceId: string): boolean {
    return this.starred.includes(voiceId);
  }

  toggleStar(voiceId: string): Promise<boolean> {
    const starred = !this.isStarred(voiceId);
    return this.#keep(async () => (this.starred = await setVoiceStarred(voiceId, starred)));
  }

  /** Favourites a take (or not), keeping the grid's copy in step. */
  toggleTakeStar(take: VoiceTake): Promise<boolean> {
    return this.#keep(async () => {
      const starred = await setTakeStarred(take.job.id, !take.starred);
      const audition = this.audition;
      if (audition === null) return;
      this.audition = {
        ...audition,
        takes: audition.takes.map((t) => (t.job.id === take.job.id ? { ...t, starred } : t)),
      };
    });
  }

  /**
   * Runs the picked voices saying `text` as one batch. On the pay-as-you-go key, the takes the window cannot
   * hold now are moved to it at once (the others run on the plan as usual).
   */
  async auditionPicked(text: string, settings: VoiceSettings, keyKind: KeyKind): Promise<boolean> {
    const refs = voiceRefs(this.picked, this.voices ?? []);
    return this.#keep(async () => {
      const audition = await runAudition(text, refs, settings);
      if (keyKind === 'payAsYouGo') {
        for (const take of audition.takes) {
          if (take.job.state === 'waitingForQuota') take.job = await runJobOnPayAsYouGo(take.job.id);
        }
      }
      this.audition = audition;
    });
  }

  /** Reads the audition again (takes removed from the Library leave it). */
  async refreshAudition(): Promise<void> {
    const id = this.audition?.id;
    if (id === undefined) return;
    await this.#keep(async () => (this.audition = await getAudition(id)));
  }

  savePreset(name: string, voiceId: string, settings: VoiceSettings): Promise<boolean> {
    return this.#keep(async () => {
      const saved = await saveVoicePreset(name, voiceId, settings);
      this.presets = [...this.presets.filter((p) => p.id !== saved.id), saved].sort((a, b) =>
        a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
      );
    });
  }

  deletePreset(id: number): Promise<boolean> {
    return this.#keep(async () => {
      await deleteVoicePreset(id);
      this.presets = this.presets.filter((p) => p.id !== id);
    });
  }

  async refreshCustom(): Promise<void> {
    await this.#keep(async () => (this.custom = await listCustomVoices()));
  }

  /** A voice was designed or cloned: listed now, and in the browser once the list is read again. */
  made(voice: CustomVoice): void {
    this.custom = [voice, ...this.custom.filter((v) => v.voiceId !== voice.voiceId)];
  }

  /** Plays the preview of job `jobId` once it is saved, and reads the voices made here again then. */
  playWhenReady(jobId: number, voiceId: string): void {
    this.pendingPreview = { jobId, voiceId };
  }

  keepAlive(voiceId: string): Promise<boolean> {
    return this.#keep(async () => {
      await keepVoiceAlive(voiceId);
      await this.refreshCustom();
    });
  }

  deleteCustom(voiceId: string): Promise<boolean> {
    return this.#keep(async () => {
      await deleteCustomVoice(voiceId);
      await this.refreshCustom();
      this.starred = this.starred.filter((id) => id !== voiceId);
      this.picked = this.picked.filter((id) => id !== voiceId);
    });
  }
}

const KEY = Symbol('voice-workspace');

export function provideVoiceWorkspace(store: VoiceWorkspace): void {
  setContext(KEY, store);
}

export function useVoiceWorkspace(): VoiceWorkspace {
  return getContext<VoiceWorkspace>(KEY);
}

// The voice workspace's commands (issue 18) for the fake backend, answered the way studio-core does: a
// preview keyed by voice, line and settings replays for free once made; an audition is one take per voice;
// presets replace one of the same name; designed and cloned voices live 7 days unless used; a sample is
// checked before upload; the A/B compare answers with the player's compare state.
import type { Audition } from '$lib/bindings/Audition';
import type { CloneAsk } from '$lib/bindings/CloneAsk';
import type { CustomVoice } from '$lib/bindings/CustomVoice';
import type { DesignAsk } from '$lib/bindings/DesignAsk';
import type { Job } from '$lib/bindings/Job';
import type { Media } from '$lib/bindings/Media';
import type { PlayerState } from '$lib/bindings/PlayerState';
import type { SampleCheck } from '$lib/bindings/SampleCheck';
import type { VoiceInfo } from '$lib/bindings/VoiceInfo';
import type { VoiceMakingQuote } from '$lib/bindings/VoiceMakingQuote';
import type { VoicePreset } from '$lib/bindings/VoicePreset';
import type { VoiceRef } from '$lib/bindings/VoiceRef';
import type { VoiceSettings } from '$lib/bindings/VoiceSettings';
import type { VoiceTake } from '$lib/bindings/VoiceTake';
import type { WindowSummary } from '$lib/bindings/WindowSummary';

const SEVEN_DAYS_MS = 7 * 24 * 3_600_000;
const SAMPLE_LINE = 'Hello, this is how I sound.';

/** What the fake voice workspace needs of the fake backend. */
export interface VoicesHost {
  jobs: Job[];
  window: WindowSummary;
  keys: { demo: boolean };
  nextJobId(): number;
}

const COMMANDS = new Set([
  'list_starred_voices',
  'set_voice_starred',
  'set_take_starred',
  'list_voice_presets',
  'save_voice_preset',
  'delete_voice_preset',
  'quote_audition',
  'run_audition',
  'get_audition',
  'get_latest_audition',
  'compare_takes',
  'switch_compared_take',
  'quote_voice_design',
  'design_voice',
  'list_custom_voices',
  'choose_voice_sample',
  'check_voice_sample',
  'upload_voice_sample',
  'quote_voice_clone',
  'clone_voice',
  'keep_voice_alive',
  'delete_custom_voice',
]);

export class FakeVoices {
  /** The system voices `list_voices` returns (voices made here follow them). */
  system: VoiceInfo[] = [
    { voiceId: 'English_Graceful_Lady', name: 'Graceful Lady', description: '', kind: 'system', language: 'English', gender: 'female' },
    { voiceId: 'English_Aussie_Bloke', name: 'Aussie Bloke', description: '', kind: 'system', language: 'English', gender: 'male' },
    { voiceId: 'Chinese (Mandarin)_Warm_Girl', name: 'Warm Girl', description: '', kind: 'system', language: 'Chinese (Mandarin)', gender: 'female' },
  ];
  starred: string[] = [];
  starredTakes = new Set<number>();
  presets: VoicePreset[] = [];
  custom: CustomVoice[] = [];
  auditions: Audition[] = [];
  /** Finished previews by cache key: their job and its audio. */
  cache = new Map<string, { job: Job; media: Media[] }>();
  /** What the sample picker answers (`null`: dismissed). */
  pickedSample: string | null = null;
  /** Sample checks by path; a path not here passes as a 30 s wav. */
  samples = new Map<string, SampleCheck>();
  /** The last compare the player was asked for. */
  compared: { mediaIds: number[]; active: number } | null = null;
  #nextPreset = 1;
  #nextAudition = 1;

  constructor(private readonly host: VoicesHost) {}

  handles(command: string): boolean {
    return COMMANDS.has(command);
  }

  list(): VoiceInfo[] {
    const made = this.custom
      .filter((v) => v.status.status === 'available')
      .map((v): VoiceInfo => ({ voiceId: v.voiceId, name: v.name, description: v.description, kind: v.kind }));
    return [...structuredClone(this.system), ...made];
  }

  /** The job of a preview as it is now (the backend's list has the newest state). */
  #job(id: number): Job {
    return this.host.jobs.find((j) => j.id === id)!;
  }

  #key(voice: VoiceRef, text: string, settings: VoiceSettings): string {
    return JSON.stringify([voice.voiceId, text.trim() || SAMPLE_LINE, settings.model, settings.speed ?? 1, settings.pitch ?? 0, settings.emotion ?? '']);
  }

  #price(text: string, model: string): number {
    return Math.ceil((Array.from(text.trim() || SAMPLE_LINE).length * (model.endsWith('-hd') ? 600 : 300)) / 1000);
  }

  #newJob(prompt: string, model: string, requests: number, state: Job['state']): Job {
    const now = Date.now();
    const job: Job = {
      id: this.host.nextJobId(),
      modality: 'speech',
      model,
      params: { kind: 'speech', model, text: prompt, voiceId: '', delivery: 'sync', subtitles: false, preview: true } as unknown as Job['params'],
      prompt,
      state,
      estimateRequests: requests,
      keyKind: 'plan',
      demo: this.host.keys.demo,
      createdAtMs: now,
      updatedAtMs: now,
    };
    this.host.jobs.unshift(job);
    return job;
  }

  /** Marks a take's job done with an audio file, as the runner does, and remembers it as a cached preview. */
  finish(jobId: number, durationMs = 2_400): { job: Job; media: Media[] } {
    const job = this.#job(jobId);
    job.state = 'succeeded';
    job.updatedAtMs += 1;
    const media: Media[] = [{ id: jobId + 5000, jobId, ordinal: 0, relPath: `media/${jobId}-0.mp3`, mime: 'audio/mpeg', sizeBytes: 40_000, durationMs, createdAtMs: Date.now() }];
    for (const audition of this.auditions) {
      for (const take of audition.takes) {
        if (take.job.id === jobId) this.cache.set(this.#key({ voiceId: take.voiceId, name: '', description: '' }, audition.text, audition.settings), { job, media });
      }
    }
    for (const voice of this.custom) {
      if (voice.jobId === jobId) voice.status = { status: 'available', expiresAtMs: voice.createdAtMs + SEVEN_DAYS_MS };
    }
    return { job: structuredClone(job), media };
  }

  #take(voice: VoiceRef, text: string, settings: VoiceSettings): VoiceTake {
    const cached = this.cache.get(this.#key(voice, text, settings));
    const name = voice.name || voice.voiceId;
    if (cached) {
      return { voiceId: voice.voiceId, voiceName: name, job: structuredClone(cached.job), media: cached.media, cached: true, starred: this.starredTakes.has(cached.job.id) };
    }
    const requests = this.#price(text, settings.model);
    const state = requests <= this.host.window.remaining ? 'queued' : 'waitingForQuota';
    const job = this.#newJob(text.trim() || SAMPLE_LINE, settings.model, requests, state);
    return { voiceId: voice.voiceId, voiceName: name, job: structuredClone(job), media: [], cached: false, starred: false };
  }

  #making(previewText: string): VoiceMakingQuote {
    return {
      preview: { kind: 'requests', value: this.#price(previewText, 'speech-2.8-turbo') },
      remaining: this.host.window.remaining,
      firstUse: { payAsYouGo: 'about US$3 (reported)' },
      expiresAtMs: Date.now() + SEVEN_DAYS_MS,
    };
  }

  #made(kind: 'designed' | 'cloned', name: string, description: string, previewText: string): CustomVoice {
    const job = this.#newJob(previewText.trim() || SAMPLE_LINE, 'speech-2.8-turbo', this.#price(previewText, 'speech-2.8-turbo'), 'queued');
    const voice: CustomVoice = {
      voiceId: `${kind === 'designed' ? 'tpsd' : 'tpsc'}-${name.replace(/[^A-Za-z0-9]/g, '')}-${job.id}`,
      kind,
      name: name.trim(),
      description,
      jobId: job.id,
      demo: this.host.keys.demo,
      createdAtMs: Date.now(),
      status: { status: 'creating' },
    };
    this.custom.unshift(voice);
    return structuredClone(voice);
  }

  #player(active: number): PlayerState {
    const ids = this.compared?.mediaIds ?? [];
    return {
      status: 'playing',
      track: { id: String(ids[active]), title: `take ${active + 1}` },
      positionMs: 1_200,
      durationMs: 2_400,
      volume: 1,
      queueIndex: null,
      queueLength: 0,
      streaming: false,
      compare: { tracks: ids.map((id, i) => ({ id: String(id), title: `take ${i + 1}` })), active, gainsDb: ids.map((_, i) => (i === 0 ? 0 : -2.5)) },
    };
  }

  handle(command: string, args: Record<string, unknown>): unknown {
    switch (command) {
      case 'list_starred_voices':
        return [...this.starred];
      case 'set_voice_starred': {
        const id = args.voiceId as string;
        this.starred = this.starred.filter((v) => v !== id);
        if (args.starred === true) this.starred.unshift(id);
        return [...this.starred];
      }
      case 'set_take_starred':
        if (args.starred === true) this.starredTakes.add(args.jobId as number);
        else this.starredTakes.delete(args.jobId as number);
        return this.starredTakes.has(args.jobId as number);
      case 'list_voice_presets':
        return structuredClone(this.presets);
      case 'save_voice_preset': {
        const name = args.name as string;
        const same = this.presets.find((p) => p.name.toLowerCase() === name.toLowerCase());
        const preset: VoicePreset = { id: same?.id ?? this.#nextPreset++, name, voiceId: args.voiceId as string, settings: args.settings as VoiceSettings };
        this.presets = [...this.presets.filter((p) => p.id !== preset.id), preset];
        return structuredClone(preset);
      }
      case 'delete_voice_preset': {
        const before = this.presets.length;
        this.presets = this.presets.filter((p) => p.id !== args.id);
        return this.presets.length < before;
      }
      case 'quote_audition': {
        const settings = args.settings as VoiceSettings;
        const takes = (args.voices as VoiceRef[]).map((voice) => {
          const cached = this.cache.has(this.#key(voice, args.text as string, settings));
          const text = (args.text as string).trim() || SAMPLE_LINE;
          return { voiceId: voice.voiceId, text, cost: { kind: 'requests' as const, value: cached ? 0 : this.#price(text, settings.model) }, cached };
        });
        return { takes, totalRequests: takes.reduce((n, q) => n + (q.cost.value as number), 0), unknown: false, remaining: this.host.window.remaining };
      }
      case 'run_audition': {
        const text = (args.text as string).trim();
        const settings = args.settings as VoiceSettings;
        const takes = (args.voices as VoiceRef[]).map((voice) => this.#take(voice, text, settings));
        const audition: Audition = { id: this.#nextAudition++, text, settings, takes, createdAtMs: Date.now() };
        this.auditions.unshift(audition);
        return structuredClone(audition);
      }
      case 'get_audition':
        return structuredClone(this.auditions.find((a) => a.id === args.id) ?? null);
      case 'get_latest_audition':
        return structuredClone(this.auditions[0] ?? null);
      case 'compare_takes':
        this.compared = { mediaIds: args.mediaIds as number[], active: args.active as number };
        return this.#player(args.active as number);
      case 'switch_compared_take':
        if (this.compared) this.compared.active = args.active as number;
        return this.#player(args.active as number);
      case 'quote_voice_design':
        return this.#making((args.ask as DesignAsk).previewText);
      case 'design_voice': {
        const ask = args.ask as DesignAsk;
        return this.#made('designed', ask.name, ask.description, ask.previewText);
      }
      case 'list_custom_voices':
        return structuredClone(this.custom);
      case 'choose_voice_sample':
        return this.pickedSample;
      case 'check_voice_sample': {
        const path = args.path as string;
        const fileName = path.split('/').pop()!;
        return this.samples.get(path) ?? { path, fileName, sizeBytes: 960_000, decoded: { durationMs: 30_000, rmsDbfs: -20, voicedShare: 0.8 } };
      }
      case 'upload_voice_sample':
        return { id: 7, fileName: (args.path as string).split('/').pop()!, sizeBytes: 960_000, durationMs: 30_000, remoteFileId: 'file-7' };
      case 'quote_voice_clone':
        return this.#making((args.ask as CloneAsk).previewText);
      case 'clone_voice': {
        const ask = args.ask as CloneAsk;
        if (!ask.consent) throw { kind: 'invalidInput', message: 'confirm that you have the right to clone this voice' };
        return this.#made('cloned', ask.name, 'sample.wav', ask.previewText);
      }
      case 'keep_voice_alive': {
        const voice = this.custom.find((v) => v.voiceId === args.voiceId)!;
        voice.firstUsedAtMs = Date.now();
        voice.status = { status: 'available' };
        const job = this.#newJob(SAMPLE_LINE, 'speech-2.8-turbo', this.#price(SAMPLE_LINE, 'speech-2.8-turbo'), 'queued');
        return { voiceId: voice.voiceId, voiceName: voice.name, job, media: [], cached: false, starred: false };
      }
      case 'delete_custom_voice': {
        const voice = this.custom.find((v) => v.voiceId === args.voiceId)!;
        voice.deletedAtMs = Date.now();
        voice.status = { status: 'deleted', deletedAtMs: voice.deletedAtMs };
        return null;
      }
      default:
        throw `command ${command} not found`;
    }
  }
}

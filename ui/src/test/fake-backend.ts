// A stand-in for the Rust commands behind $lib/ipc, installed with Tauri's mockIPC: it keeps settings,
// validates them like studio-core (custom host and quota rules), emits `settings-changed` the way the
// shell does, records every call, and fails or holds a command on request.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { SpendEntry } from '$lib/bindings/SpendEntry';
import type { ServerCorrection } from '$lib/bindings/ServerCorrection';
import { emit } from '@tauri-apps/api/event';
import type { AppInfo } from '$lib/bindings/AppInfo';
import type { IpcError } from '$lib/bindings/IpcError';
import type { PlanTier } from '$lib/bindings/PlanTier';
import type { PlanTierInfo } from '$lib/bindings/PlanTierInfo';
import type { Region } from '$lib/bindings/Region';
import type { Settings } from '$lib/bindings/Settings';
import type { Estimate } from '$lib/bindings/Estimate';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { Job } from '$lib/bindings/Job';
import type { Media } from '$lib/bindings/Media';
import { JOB_UPDATED } from '$lib/bindings/events';
import type { KeyStatus } from '$lib/bindings/KeyStatus';
import type { KeysUpdate } from '$lib/bindings/KeysUpdate';
import type { RecoveryAction } from '$lib/bindings/RecoveryAction';
import type { RecoveryState } from '$lib/bindings/RecoveryState';
import type { WindowSummary } from '$lib/bindings/WindowSummary';
import type { DraftResult } from '$lib/bindings/DraftResult';
import type { Film } from '$lib/bindings/Film';
import type { FilmEdit } from '$lib/bindings/FilmEdit';
import type { StageChoice } from '$lib/bindings/StageChoice';
import type { StageOptions } from '$lib/bindings/StageOptions';
import type { ModelCatalog } from '$lib/bindings/ModelCatalog';
import type { MusicAccess } from '$lib/bindings/MusicAccess';
import type { QuotaView } from '$lib/bindings/QuotaView';
import type { RemoteTask } from '$lib/bindings/RemoteTask';
import catalogJson from '$lib/bindings/model-catalog.json';
import { blockedOf, filmBudget, filmTimeline, paperBoat, stageJobs, stagePlan, take } from './film-fixtures';
import { FakeVoices } from './fake-voices';

export const DEFAULT_SETTINGS: Settings = {
  region: { kind: 'global' },
  plan: 'plus',
  planFamily: 'auto',
  mPlanTier: 'explore',
  quotaOverride: null,
  language: 'en',
  theme: 'system',
  notifications: true,
  concurrency: null,
  closeWhileRunning: 'ask',
};

export const APP_INFO: AppInfo = {
  version: '0.1.0',
  dataDir: '/home/ada/.local/share/token-plan-studio',
  homeDir: '/home/ada/.local/share/token-plan-studio',
  logDir: '/home/ada/.local/share/token-plan-studio/logs',
};

// studio-core's plan table (requests per 5 h: global, mainland).
const TIERS: [PlanTier, number, number, boolean][] = [
  ['starter', 1500, 600, false],
  ['plus', 4500, 1500, false],
  ['max', 15000, 4500, false],
  ['plusHighspeed', 4500, 1500, true],
  ['maxHighspeed', 15000, 4500, true],
  ['ultraHighspeed', 30000, 30000, true],
];

function tierTable(region: Region): PlanTierInfo[] {
  const mainland = region.kind === 'mainland';
  return TIERS.map(([tier, global, china, highspeed]) => ({
    tier,
    requestsPerWindow: mainland ? china : global,
    highspeed,
  }));
}

function invalid(message: string): IpcError {
  return { kind: 'invalidInput', message };
}

function validated(settings: Settings, previous: Settings, hostConfirmed: boolean): Settings {
  let region = settings.region;
  if (region.kind === 'custom') {
    const host = region.host.trim().replace(/\/+$/, '');
    const rest = host.replace(/^https?:\/\//, '');
    if (rest === host || rest === '' || /\s/.test(rest)) {
      throw invalid(`invalid setting region.host: "${host}" is not a URL; use https://host, or http://127.0.0.1:port for a server on this computer`);
    }
    const hostname = rest.replace(/[/:?#].*$/, '').replace(/^\[(.*)\].*$/, '$1');
    const loopback = hostname === 'localhost' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
    if (host.startsWith('http://') && !loopback) {
      throw invalid(`invalid setting region.host: "${host}" is plain http:// to another computer, which would send your API key unencrypted; use https://, or http:// only for a server on this computer (127.0.0.1, ::1, localhost)`);
    }
    const same = previous.region.kind === 'custom' && previous.region.host === host;
    if (!same && !hostConfirmed) {
      throw invalid(`invalid setting region.host: your API keys would be sent to ${host}; confirm this host in Settings before it is used`);
    }
    region = { kind: 'custom', host };
  }
  const quota = settings.quotaOverride;
  if (quota !== null && (quota < 1 || quota > 300_000)) {
    throw invalid(`invalid setting quotaOverride: ${quota} is outside 1..=300000 requests per window`);
  }
  return { ...settings, region };
}

/** A few rows of studio-core's price table: enough for the composers' tests. */
function price(request: GenerationRequest): number | null {
  switch (request.kind) {
    case 'chat':
      return request.model.endsWith('highspeed') ? 2 : 1;
    case 'speech':
      return Math.ceil((Array.from(request.text).length * (request.model.endsWith('-hd') ? 600 : 300)) / 1000);
    case 'image':
      return 75 * (request.count ?? 1);
    case 'video':
      return request.resolution === '1080P' ? null : 4500;
    case 'music':
      return request.model === 'music-2.0' ? 450 : request.model.startsWith('music-2.5') ? 3000 : null;
    case 'lyrics':
      return 75;
    case 'voiceDesign':
    case 'voiceClone':
      // Their preview is billed as Turbo speech.
      return Math.ceil((Array.from(request.previewText).length * 300) / 1000);
    default:
      return null;
  }
}

export interface Call {
  command: string;
  args: Record<string, unknown> | undefined;
}

export class FakeBackend {
  /** What `choose_storage_folder` changed in the app info. */
  appInfo: Partial<AppInfo> = {};
  /** Every storage folder chosen, in order. */
  storageMoves: { folder: string | null; moveLibrary: boolean }[] = [];
  /** How often the UI asked for a restart. */
  restarts = 0;
  /** The ids `clear_demo_generations` reports as trashed. */
  demoJobIds: number[] = [];
  /** What the system's image picker answers (`null`: dismissed). */
  pickedImage: string | null = null;
  /** What the reference-file picker returns, and the length the backend measures for it. */
  pickedReference: string | null = null;
  referenceDurationMs = 4_000;
  /** Every id `restore_generations` was asked for. */
  restored: number[] = [];
  /** The keychain refuses keys unless the update allows the private file. */
  keychainLocked = false;
  /** How the library is open (`get_recovery_state`). */
  recovery: RecoveryState = { mode: 'normal', databasePath: '/home/ada/.local/share/token-plan-studio/library.sqlite3', backups: [] };
  /** Every action `recover_library` was asked for. */
  recoveries: RecoveryAction[] = [];

  settings: Settings;
  readonly calls: Call[] = [];
  #failures = new Map<string, unknown>();
  #held = new Map<string, Promise<void>>();
  keys: KeyStatus = {
    plan: {},
    payAsYouGo: {},
    demo: false,
    storage: 'file',
  };
  window: WindowSummary = {
    nowMs: Date.now(),
    windowMs: 5 * 3_600_000,
    quota: 4500,
    used: 0,
    remaining: 4500,
    nextReleaseRequests: 0,
  };
  jobs: Job[] = [];
  /** The spend ledger, oldest first. */
  spend: SpendEntry[] = [];
  /** What `apply_server_correction` answers (MiniMax counted 850 more than the ledger). */
  correction: ServerCorrection = {
    outcome: 'corrected',
    addedRequests: 850,
    bucket: 'general',
    serverUsed: 900,
    localUsed: 50,
    rows: [{ modelName: 'general', atMs: Date.now(), localUsed: 900, serverUsed: 900, difference: 0, basis: 'count', serverQuota: 4500 }],
  };
  #nextId = 1;

  /** A new job id (shared with the voice workspace's fake, so ids never collide). */
  nextJobId(): number {
    return this.#nextId++;
  }
  /** The model table `list_models` answers: the one generated from minimax-api (`make bindings`). */
  catalog: ModelCatalog = catalogJson as unknown as ModelCatalog;
  /** What `get_music_access` answers. */
  music: MusicAccess = { state: 'available' };
  /** The paid V2 video tasks the library does not know (`list_unknown_video_tasks`). */
  unknownTasks: RemoteTask[] = [];
  /** What `get_quota_view` answers; null: one built from `window` (the Token Plan, no weekly row). */
  quotaView: QuotaView | null = null;
  /** The films, by id. */
  films = new Map<number, Film>();
  /** Each film's undo snapshots, newest last. */
  #filmUndo = new Map<number, Film[]>();
  /** What `draft_film` answers. */
  draftResult: DraftResult | null = null;
  /** What the script picker answers (`null`: dismissed). */
  pickedScript: string | null = null;
  /** `get_ffmpeg_status` fails with this when set. */
  ffmpegMissing: IpcError | null = null;
  /** What the music-bed picker answers (`null`: dismissed). */
  pickedMusic: string | null = null;
  /** The voice workspace's commands (issue 18): shortlist, presets, auditions, compare, design, clone. */
  readonly voices = new FakeVoices(this);

  constructor(settings: Partial<Settings> = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    mockIPC((command, args) => this.#handle(command, args as Record<string, unknown> | undefined), {
      shouldMockEvents: true,
    });
  }

  /** The settings objects update_settings was called with, in order. */
  get updates(): Settings[] {
    return this.calls.filter((call) => call.command === 'update_settings').map((call) => call.args!.settings as Settings);
  }

  /** The next call of `command` rejects with `reason` (an IpcError, or a bare string as Tauri sends). */
  failNext(command: string, reason: unknown): void {
    this.#failures.set(command, reason);
  }

  /** Calls of `command` wait until the returned function is called. */
  hold(command: string): () => void {
    let release = () => {};
    this.#held.set(command, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.#held.delete(command);
      release();
    };
  }

  /** Another window or the command line changed the settings: Rust announces them. */
  async changeElsewhere(settings: Settings): Promise<void> {
    this.settings = settings;
    await emit('settings-changed', settings);
  }

  /** Announces a job change the way the shell does (a success carries its files). */
  async updateJob(job: Job, media: Media[] = []): Promise<void> {
    const at = this.jobs.findIndex((j) => j.id === job.id);
    if (at >= 0) this.jobs[at] = job;
    else this.jobs.unshift(job);
    await emit(JOB_UPDATED, { job, media });
  }

  estimate(request: GenerationRequest): Estimate {
    const requests = price(request);
    const window = structuredClone(this.window);
    const profile = { windowName: '5h', unit: 'requests', estimated: false, creditsAfter: true } as const;
    if (requests === null) {
      return { ...profile, cost: { kind: 'unknown', value: { reason: 'not in the price table' } }, window, fitsNow: true };
    }
    const fitsNow = requests <= window.remaining;
    return {
      ...profile,
      cost: { kind: 'requests', value: requests },
      window,
      fitsNow,
      ...(fitsNow ? { enoughAtMs: window.nowMs } : requests <= window.quota ? { enoughAtMs: window.nowMs + 3_600_000 } : {}),
    };
  }

  /** The quota view: the one set, else the Token Plan's 5-hour window from `window`. */
  view(): QuotaView {
    if (this.quotaView) return structuredClone(this.quotaView);
    const w = this.window;
    return {
      nowMs: w.nowMs,
      profile: { family: 'tokenPlan', tier: this.settings.plan, label: 'Token Plan Plus', unit: 'requests', windows: [], video: true, creditsAfter: true, detected: false },
      unit: 'requests',
      rows: [
        {
          window: '5h', lengthMs: w.windowMs, meters: 'all', rolling: true, capacity: w.quota, used: w.used, remaining: w.remaining,
          usedPercent: (w.used * 100) / w.quota, remainingPercent: (w.remaining * 100) / w.quota, source: 'ledger', estimate: false,
          ledgerUsed: w.used, nextReleaseUnits: w.nextReleaseRequests, boosted: false, state: w.remaining > 0 ? 'available' : 'exhausted',
        },
      ],
      server: { understood: false },
      notInPlan: [],
    };
  }

  /** Stores a job for `request` as `submit_job` does (waiting for quota when it does not fit). */
  #submit(request: GenerationRequest, keyKind: Job['keyKind']): Job {
    const estimate = this.estimate(request);
    const now = Date.now();
    const job: Job = {
      id: this.#nextId++,
      modality: (request.kind === 'chat' ? 'text' : request.kind === 'speech' && request.delivery === 'async' ? 'speechAsync' : request.kind === 'voiceDesign' || request.kind === 'voiceClone' ? 'speech' : request.kind) as Job['modality'],
      model: 'model' in request ? request.model : 'lyrics',
      params: request as unknown as Job['params'],
      prompt: 'prompt' in request ? (request.prompt ?? '') : 'text' in request ? request.text : '',
      state: keyKind === 'plan' && !estimate.fitsNow ? 'waitingForQuota' : 'queued',
      ...(estimate.cost.kind === 'requests' ? { estimateRequests: estimate.cost.value } : {}),
      keyKind,
      demo: this.keys.demo,
      createdAtMs: now,
      updatedAtMs: now,
    };
    this.jobs.unshift(job);
    return structuredClone(job);
  }

  /** Announces a new quota view the way the shell does. */
  async changeQuotaView(view: QuotaView): Promise<void> {
    this.quotaView = view;
    await emit('quota-view-changed', view);
  }

  async #handle(command: string, args: Record<string, unknown> | undefined): Promise<unknown> {
    this.calls.push({ command, args });
    await this.#held.get(command);
    if (this.#failures.has(command)) {
      const reason = this.#failures.get(command);
      this.#failures.delete(command);
      throw reason;
    }
    switch (command) {
      case 'get_settings':
        return structuredClone(this.settings);
      case 'update_settings': {
        this.settings = validated(args!.settings as Settings, this.settings, args!.customHostConfirmed === true);
        await emit('settings-changed', this.settings);
        return structuredClone(this.settings);
      }
      case 'list_plan_tiers':
        return tierTable(args!.region as Region);
      case 'get_app_info':
        return { ...APP_INFO, ...this.appInfo };
      case 'choose_storage_folder': {
        const folder = args!.folder as string | null;
        this.appInfo = { pendingStorageDir: folder ?? APP_INFO.homeDir };
        this.storageMoves.push({ folder, moveLibrary: args!.moveLibrary as boolean });
        return { ...APP_INFO, ...this.appInfo };
      }
      case 'restart_app':
        this.restarts += 1;
        return null;
      case 'clear_demo_generations':
        return [...this.demoJobIds];
      case 'choose_image_file':
        return this.pickedImage;
      case 'import_input_image_file': {
        const path = args!.path as string;
        if (!/\.(png|jpe?g|webp)$/i.test(path)) {
          throw { kind: 'invalidInput', message: `${path} is not a PNG, JPEG or WebP image` };
        }
        return `inputs/1-${path.split('/').pop()}`;
      }
      case 'choose_reference_file':
        return this.pickedReference;
      case 'import_reference_file': {
        const path = args!.path as string;
        const pattern = args!.kind === 'video' ? /\.(mp4|mov)$/i : /\.(wav|mp3)$/i;
        if (!pattern.test(path)) {
          throw { kind: 'invalidInput', message: `${path} is not ${args!.kind === 'video' ? 'MP4 or MOV' : 'WAV or MP3'}` };
        }
        return { path: `inputs/1-${path.split('/').pop()}`, durationMs: this.referenceDurationMs };
      }
      case 'restore_generations':
        this.restored.push(...(args!.ids as number[]));
        return [];
      case 'get_key_status':
        return structuredClone(this.keys);
      case 'start_demo':
        this.keys = { ...this.keys, demo: true };
        return structuredClone(this.keys);
      case 'get_recovery_state':
        return structuredClone(this.recovery);
      case 'recover_library': {
        const action = args!.action as RecoveryAction;
        this.recoveries.push(action);
        this.recovery = { ...this.recovery, mode: action === 'openReadOnly' ? 'readOnly' : 'normal' };
        delete this.recovery.problem;
        return structuredClone(this.recovery);
      }
      case 'save_api_keys': {
        const update = args!.update as KeysUpdate;
        if (this.keychainLocked && !update.allowFileStorage) {
          throw { kind: 'keychainLocked', message: 'the system keychain is locked or refused access (the collection is locked); unlock it and try again, or keep the key in a file only you can read' };
        }
        if (update.plan.action === 'set') this.keys.plan = { storage: 'file', keyType: 'tokenPlan' };
        if (update.plan.action === 'remove') this.keys.plan = {};
        if (update.payAsYouGo.action === 'set') this.keys.payAsYouGo = { storage: 'file', keyType: 'payAsYouGo' };
        if (update.payAsYouGo.action === 'remove') this.keys.payAsYouGo = {};
        return structuredClone(this.keys);
      }
      case 'check_api_key':
        return { region: this.settings.region, keyType: 'tokenPlan', matchesSettings: true };
      case 'get_quota_window':
        return structuredClone(this.window);
      case 'get_quota_view':
      case 'refresh_quota_view':
        return this.view();
      case 'list_models':
        return structuredClone(this.catalog);
      case 'get_music_access':
        return structuredClone(this.music);
      case 'probe_music_access':
        return this.#submit({ kind: 'lyrics', prompt: 'A short four-line song about a music studio opening its doors' }, 'plan');
      case 'list_unknown_video_tasks':
        return structuredClone(this.unknownTasks);
      case 'recover_video_task': {
        const taskId = args!.taskId as string;
        const job = this.#submit({ kind: 'video', model: 'MiniMax-H3', prompt: `Recovered MiniMax video task ${taskId}` }, 'plan');
        job.remoteTaskId = taskId;
        this.unknownTasks = this.unknownTasks.filter((t) => t.id !== taskId);
        return job;
      }
      case 'estimate_cost':
        return this.estimate(args!.request as GenerationRequest);
      case 'list_jobs':
        return { jobs: structuredClone(this.jobs) };
      case 'list_voices':
        return this.voices.list();
      case 'submit_job':
        return structuredClone(this.#submit(args!.request as GenerationRequest, (args!.keyKind as Job['keyKind']) ?? 'plan'));
      case 'get_job':
        return { job: this.jobs.find((j) => j.id === args!.id)!, media: [] };
      case 'cancel_job':
      case 'retry_job':
      case 'run_job_on_pay_as_you_go': {
        const job = this.jobs.find((j) => j.id === args!.id)!;
        job.state = command === 'cancel_job' ? 'cancelled' : 'queued';
        if (command === 'run_job_on_pay_as_you_go') job.keyKind = 'payAsYouGo';
        job.updatedAtMs += 1;
        return structuredClone(job);
      }
      case 'get_spend_report':
        return {
          days: this.spend.map((e) => ({
            dayStartMs: new Date(new Date(e.atMs).toDateString()).getTime(),
            group: e.modality,
            requests: e.requests,
            planRequests: e.keyKind === 'plan' ? e.requests : 0,
            units: 1,
          })),
          windowSeries: [{ atMs: Date.now() - 3_600_000, requests: 0 }, { atMs: Date.now(), requests: 50 }],
          window: this.window,
        };
      case 'list_spend': {
        const filter = (args!.filter ?? {}) as { modality?: string; keyKind?: string };
        const entries = this.spend.filter(
          (e) => (!filter.modality || e.modality === filter.modality) && (!filter.keyKind || e.keyKind === filter.keyKind),
        );
        return { entries: [...entries].reverse() };
      }
      case 'export_spend_csv':
        return '/data/exports/spend.csv';
      case 'compare_with_server':
        return {
          rows: [{ modelName: 'general', atMs: Date.now(), localUsed: 50, serverUsed: 900, difference: 850, basis: 'count', serverQuota: 4500 }],
        };
      case 'apply_server_correction':
        return structuredClone(this.correction);
      case 'get_player_state':
        return { status: 'idle', track: null, positionMs: 0, durationMs: null, volume: 1, queueIndex: null, queueLength: 0, streaming: false };
      case 'get_library_info':
        return { mediaBase: 'http://127.0.0.1:9/token', defaultExportDir: '/home/ada/Downloads' };
      case 'list_library':
        return { items: [] };
      case 'set_shell_words':
      case 'copy_text':
      case 'close_main_window':
        return null;
      case 'get_media_support':
        return { h264Playback: true, ffmpeg: true, system: 'debian' };
      case 'check_for_update':
        return { configured: false, update: null };
      default:
        if (this.voices.handles(command)) return this.voices.handle(command, args ?? {});
        return this.#film(command, args ?? {});
    }
  }

  /** Stores `film` as a film of the library and returns it. */
  addFilm(film: Film = paperBoat(this.films.size + 1)): Film {
    this.films.set(film.id, structuredClone(film));
    return film;
  }

  #filmOf(id: unknown): Film {
    const film = this.films.get(id as number);
    if (film === undefined) throw { kind: 'notFound', message: `film ${String(id)} not found` };
    return film;
  }

  #films(): unknown {
    return [...this.films.values()].map((f) => ({
      id: f.id,
      title: f.title,
      aspectRatio: f.aspectRatio,
      shotCount: f.shots.length,
      plannedS: f.shots.reduce((n, s) => n + s.durationS, 0),
      updatedAtMs: f.updatedAtMs,
    }));
  }

  /** The film commands, as studio-film answers them (edits kept to what the screen sends). */
  #film(command: string, args: Record<string, unknown>): unknown {
    switch (command) {
      case 'list_films':
        return this.#films();
      case 'get_film':
        return structuredClone(this.#filmOf(args.filmId));
      case 'create_film': {
        const film = { ...paperBoat(this.films.size + 1), title: args.title as string, cast: [], shots: [] } as Film;
        return structuredClone(this.addFilm(film));
      }
      case 'create_demo_film':
        return structuredClone(this.addFilm());
      case 'choose_script_file':
        return this.pickedScript;
      case 'import_film': {
        const film = this.addFilm({ ...paperBoat(this.films.size + 1), title: 'Imported' });
        return { film: structuredClone(film), warnings: [] };
      }
      case 'draft_film': {
        if (this.draftResult) return structuredClone(this.draftResult);
        const film = this.addFilm({ ...paperBoat(this.films.size + 1), title: args.idea as string });
        return { kind: 'created', filmId: film.id, warnings: [], jobs: [] };
      }
      case 'edit_film': {
        const film = this.#filmOf(args.filmId);
        const undo = this.#filmUndo.get(film.id) ?? [];
        undo.push(structuredClone(film));
        this.#filmUndo.set(film.id, undo);
        applyFilmEdit(film, args.edit as FilmEdit);
        film.canUndo = true;
        film.updatedAtMs += 1;
        return structuredClone(film);
      }
      case 'undo_film_edit': {
        const undo = this.#filmUndo.get(args.filmId as number) ?? [];
        const previous = undo.pop();
        if (previous) this.films.set(previous.id, { ...previous, canUndo: undo.length > 0 });
        return structuredClone(this.#filmOf(args.filmId));
      }
      case 'delete_film': {
        const film = this.#filmOf(args.filmId);
        const running = film.shots.flatMap((s) => [...s.keyframes, ...s.clips]).filter((t) => t.state === 'running');
        if (running.length > 0 && args.cancelRunning !== true) {
          throw invalid(`${running.length} job(s) of this film are still running: cancel them, or let them finish first`);
        }
        this.films.delete(film.id);
        return running.map((t) => t.jobId);
      }
      case 'get_film_budget':
        return filmBudget(this.#filmOf(args.filmId), this.window);
      case 'plan_film_stage':
        return stagePlan(this.#filmOf(args.filmId), args.stage as StageChoice, args.options as StageOptions, this.window);
      case 'render_film_stage': {
        const film = this.#filmOf(args.filmId);
        const jobs = stageJobs(film, args.stage as StageChoice, args.options as StageOptions).filter((j) => j.problem === undefined);
        const now = Date.now();
        const made: Job[] = [];
        for (const planned of jobs) {
          const id = this.#nextId++ + 1000;
          const shot = film.shots.find((s) => s.id === planned.shotId);
          const slot = planned.slot === 'keyframe' ? shot?.keyframes : planned.slot === 'clip' ? shot?.clips : planned.slot === 'line' ? shot?.lines.find((l) => l.id === planned.lineId)?.takes : film.music;
          slot?.unshift(take(id, { state: 'queued', requests: planned.requests }));
          const job: Job = {
            id,
            modality: planned.slot === 'keyframe' ? 'image' : planned.slot === 'clip' ? 'video' : planned.slot === 'line' ? 'speech' : 'music',
            model: 'image-01',
            params: planned.request as unknown as Job['params'],
            prompt: planned.request.kind === 'image' ? planned.request.prompt : '',
            state: 'queued',
            estimateRequests: planned.requests,
            keyKind: (args.keyKind as Job['keyKind']) ?? 'plan',
            demo: this.keys.demo,
            createdAtMs: now,
            updatedAtMs: now,
          };
          this.jobs.unshift(job);
          made.push(job);
        }
        return { jobs: made, blocked: blockedOf(stageJobs(film, args.stage as StageChoice, args.options as StageOptions)) };
      }
      case 'get_film_timeline':
        return filmTimeline(this.#filmOf(args.filmId));
      case 'render_film_animatic': {
        const film = this.#filmOf(args.filmId);
        const timeline = filmTimeline(film);
        return { relPath: `films/film-${film.id}-animatic.mp4`, durationMs: timeline.durationMs, shotsRendered: film.shots.length, timeline };
      }
      case 'export_film':
        return {
          item: { job: this.jobs[0], media: [{ id: 1, jobId: 1, ordinal: 0, relPath: 'media/500-0.mp4', mime: 'video/mp4', sizeBytes: 1, createdAtMs: 1 }] },
          sidecars: [],
          durationMs: 18_000,
          streamCopy: false,
          streams: ['h264', 'aac', 'mov_text'],
        };
      case 'cancel_film_render':
        return null;
      case 'choose_film_music_file':
        return this.pickedMusic;
      case 'import_film_music': {
        // As studio-film: checked first, filed as an imported take (nothing charged), chosen, with a cue.
        const film = this.#filmOf(args.filmId);
        const path = String(args.path);
        const name = path.split(/[\\/]/).pop() ?? path;
        if (!/\.(mp3|wav|flac|ogg|m4a)$/i.test(name)) throw invalid(`${path} is not usable media: not an MP3, WAV, FLAC, OGG or M4A file`);
        for (const t of film.music) t.chosen = false;
        const id = this.#nextId++ + 1000;
        film.music.unshift(take(id, { chosen: true, relPath: `media/${id}-0.mp3`, mime: 'audio/mpeg', durationMs: 30_000, requests: 0, importedFrom: name }));
        film.settings.music ??= { prompt: '', model: 'music-2.5+', volume: 0.6, fadeInMs: 1500, fadeOutMs: 1500, duckingDb: 12 };
        return structuredClone(film);
      }
      case 'get_ffmpeg_status':
        if (this.ffmpegMissing) throw this.ffmpegMissing;
        return { path: '/usr/bin/ffmpeg', version: '5.1.6' };
      default:
        throw `command ${command} not found`;
    }
  }

  /** A take's job changed (made, chosen first by the backend): the film and the event follow. */
  async finishTake(filmId: number, takeId: number, relPath: string): Promise<void> {
    const film = this.#filmOf(filmId);
    for (const s of film.shots) {
      for (const list of [s.keyframes, s.clips, ...s.lines.map((l) => l.takes)]) {
        const found = list.find((t) => t.id === takeId);
        if (found) {
          found.state = 'succeeded';
          found.relPath = relPath;
          if (!list.some((t) => t.chosen)) found.chosen = true;
        }
      }
    }
    const job = this.jobs.find((j) => j.id === takeId);
    if (job) await this.updateJob({ ...job, state: 'succeeded' });
  }
}

/** The storyboard edits the screen sends, applied like studio-film does. */
function applyFilmEdit(film: Film, edit: FilmEdit): void {
  const shotAt = (id: number) => film.shots.findIndex((s) => s.id === id);
  const renumber = () => film.shots.forEach((s, i) => (s.index = i));
  switch (edit.kind) {
    case 'moveShot': {
      const [moved] = film.shots.splice(shotAt(edit.shotId), 1);
      film.shots.splice(Math.min(edit.toIndex, film.shots.length), 0, moved!);
      break;
    }
    case 'deleteShot':
      film.shots.splice(shotAt(edit.shotId), 1);
      break;
    case 'addShot': {
      const id = Math.max(0, ...film.shots.map((s) => s.id)) + 1;
      const at = edit.after === undefined ? 0 : shotAt(edit.after) + 1;
      film.shots.splice(at, 0, { ...structuredClone(film.shots[0]!), id, description: edit.description, keyframes: [], clips: [], lines: [] });
      break;
    }
    case 'chooseTake':
      for (const s of film.shots) {
        for (const list of [s.keyframes, s.clips, ...s.lines.map((l) => l.takes)]) {
          if (list.some((t) => t.id === edit.takeId)) for (const t of list) t.chosen = t.id === edit.takeId;
        }
      }
      break;
    case 'updateShot': {
      const s = film.shots[shotAt(edit.shotId)]!;
      if (edit.description !== undefined) s.description = edit.description;
      if (edit.camera !== undefined) s.camera = edit.camera;
      if (edit.durationS !== undefined) s.durationS = edit.durationS;
      break;
    }
    case 'setFilm':
      if (edit.title !== undefined) film.title = edit.title;
      break;
    default:
      break;
  }
  renumber();
}


// The one door to the Rust side (ARCHITECTURE.md, "UI ↔ Rust contract"): the only module that imports
// @tauri-apps/api (an eslint rule enforces it). Every command gets a typed wrapper here, and every failure
// reaches callers as an IpcError, whatever shape it had on the way.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type { AppInfo } from '$lib/bindings/AppInfo';
import type { IpcError } from '$lib/bindings/IpcError';
import type { IpcErrorKind } from '$lib/bindings/IpcErrorKind';
import type { PlanTierInfo } from '$lib/bindings/PlanTierInfo';
import type { Region } from '$lib/bindings/Region';
import type { ServerComparison } from '$lib/bindings/ServerComparison';
import type { ServerCorrection } from '$lib/bindings/ServerCorrection';
import type { SpendFilter } from '$lib/bindings/SpendFilter';
import type { SpendGrouping } from '$lib/bindings/SpendGrouping';
import type { SpendPage } from '$lib/bindings/SpendPage';
import type { SpendReport } from '$lib/bindings/SpendReport';
import type { Settings } from '$lib/bindings/Settings';
import type { Estimate } from '$lib/bindings/Estimate';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { Job } from '$lib/bindings/Job';
import type { JobCursor } from '$lib/bindings/JobCursor';
import type { JobFilter } from '$lib/bindings/JobFilter';
import type { JobOutput } from '$lib/bindings/JobOutput';
import type { JobPage } from '$lib/bindings/JobPage';
import type { JobWithMedia } from '$lib/bindings/JobWithMedia';
import type { KeyCheck } from '$lib/bindings/KeyCheck';
import type { KeyKind } from '$lib/bindings/KeyKind';
import type { KeyStatus } from '$lib/bindings/KeyStatus';
import type { KeysUpdate } from '$lib/bindings/KeysUpdate';
import type { VoiceInfo } from '$lib/bindings/VoiceInfo';
import type { WindowSummary } from '$lib/bindings/WindowSummary';
import type { GenerationDetail } from '$lib/bindings/GenerationDetail';
import type { LibraryCursor } from '$lib/bindings/LibraryCursor';
import type { LibraryInfo } from '$lib/bindings/LibraryInfo';
import type { LibraryPage } from '$lib/bindings/LibraryPage';
import type { LibraryQuery } from '$lib/bindings/LibraryQuery';
import type { PlayerError } from '$lib/bindings/PlayerError';
import type { RecoveryAction } from '$lib/bindings/RecoveryAction';
import type { RecoveryState } from '$lib/bindings/RecoveryState';
import type { PlayerState } from '$lib/bindings/PlayerState';
import type { Waveform } from '$lib/bindings/Waveform';
import type { ReferenceClip } from '$lib/bindings/ReferenceClip';
import type { ReferenceKind } from '$lib/bindings/ReferenceKind';
import type { AspectRatio } from '$lib/bindings/AspectRatio';
import type { DraftResult } from '$lib/bindings/DraftResult';
import type { FfmpegStatus } from '$lib/bindings/FfmpegStatus';
import type { Film } from '$lib/bindings/Film';
import type { FilmAnimatic } from '$lib/bindings/FilmAnimatic';
import type { FilmBudget } from '$lib/bindings/FilmBudget';
import type { FilmEdit } from '$lib/bindings/FilmEdit';
import type { FilmExport } from '$lib/bindings/FilmExport';
import type { FilmExportRequest } from '$lib/bindings/FilmExportRequest';
import type { FilmImport } from '$lib/bindings/FilmImport';
import type { FilmStagePlan } from '$lib/bindings/FilmStagePlan';
import type { FilmSummary } from '$lib/bindings/FilmSummary';
import type { RenderProgress } from '$lib/bindings/RenderProgress';
import type { StageChoice } from '$lib/bindings/StageChoice';
import type { StageOptions } from '$lib/bindings/StageOptions';
import type { StageRun } from '$lib/bindings/StageRun';
import type { Timeline } from '$lib/bindings/Timeline';
import type { MediaSupport } from '$lib/bindings/MediaSupport';
import type { ShellWords } from '$lib/bindings/ShellWords';
import type { UpdateCheck } from '$lib/bindings/UpdateCheck';
import type { UpdateInfo } from '$lib/bindings/UpdateInfo';
import type { Audition } from '$lib/bindings/Audition';
import type { AuditionQuote } from '$lib/bindings/AuditionQuote';
import type { CloneAsk } from '$lib/bindings/CloneAsk';
import type { CustomVoice } from '$lib/bindings/CustomVoice';
import type { DesignAsk } from '$lib/bindings/DesignAsk';
import type { SampleCheck } from '$lib/bindings/SampleCheck';
import type { VoiceMakingQuote } from '$lib/bindings/VoiceMakingQuote';
import type { VoicePreset } from '$lib/bindings/VoicePreset';
import type { VoiceRef } from '$lib/bindings/VoiceRef';
import type { VoiceSample } from '$lib/bindings/VoiceSample';
import type { VoiceSettings } from '$lib/bindings/VoiceSettings';
import type { VoiceTake } from '$lib/bindings/VoiceTake';
import type { ModelCatalog } from '$lib/bindings/ModelCatalog';
import type { MusicAccess } from '$lib/bindings/MusicAccess';
import type { QuotaView } from '$lib/bindings/QuotaView';
import type { RemoteTask } from '$lib/bindings/RemoteTask';
import {
  CLOSE_REQUESTED,
  JOB_UPDATED,
  LIBRARY_DAMAGED,
  OPEN_RESULT,
  PLAYER_CHANGED,
  PLAYER_ERROR,
  QUOTA_CHANGED,
  QUOTA_VIEW_CHANGED,
  SETTINGS_CHANGED,
} from '$lib/bindings/events';

/** Stops an event subscription. */
export type Unlisten = () => void;

// The event names come from Rust (crates/studio-core/src/events.rs) with the bindings.
export {
  CLOSE_REQUESTED,
  JOB_UPDATED,
  LIBRARY_DAMAGED,
  OPEN_RESULT,
  PLAYER_CHANGED,
  PLAYER_ERROR,
  QUOTA_CHANGED,
  QUOTA_VIEW_CHANGED,
  SETTINGS_CHANGED,
} from '$lib/bindings/events';

const ERROR_KINDS: ReadonlySet<string> = new Set<IpcErrorKind>([
  'invalidApiKey',
  'wrongRegion',
  'quotaExhausted',
  'notInPlan',
  'rateLimited',
  'contentFlagged',
  'network',
  'api',
  'notFound',
  'cancelled',
  'invalidInput',
  'internal',
  'keychainLocked',
  'updateRefused',
]);

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message, traceId } = value as Record<string, unknown>;
  return (
    typeof kind === 'string' &&
    ERROR_KINDS.has(kind) &&
    typeof message === 'string' &&
    (traceId === undefined || typeof traceId === 'string')
  );
}

/**
 * Turns whatever a rejected IPC call produced into an IpcError. Our commands reject with one already;
 * Tauri itself rejects with a plain string (unknown command, arguments that do not deserialise, a denied
 * permission) and a missing runtime throws an Error — those become `internal`.
 */
export function toIpcError(reason: unknown): IpcError {
  if (isIpcError(reason)) {
    const error: IpcError = { kind: reason.kind, message: reason.message };
    if (reason.traceId !== undefined) error.traceId = reason.traceId;
    return error;
  }
  if (typeof reason === 'string') return { kind: 'internal', message: reason };
  if (reason instanceof Error) return { kind: 'internal', message: reason.message || reason.name };
  if (typeof reason === 'object' && reason !== null) {
    const { message } = reason as Record<string, unknown>;
    if (typeof message === 'string') return { kind: 'internal', message };
  }
  let text: string;
  try {
    text = JSON.stringify(reason) ?? String(reason);
  } catch {
    text = String(reason);
  }
  return { kind: 'internal', message: text };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toIpcError(reason);
  }
}

/** The stored settings (defaults when none were saved yet). */
export function getSettings(): Promise<Settings> {
  return call<Settings>('get_settings');
}

/**
 * Validates and saves `settings`; resolves to them as stored (normalised, e.g. a custom host trimmed). A new
 * custom host is refused unless `customHostConfirmed`: the user agreed that the API keys will be sent there.
 */
export function updateSettings(settings: Settings, customHostConfirmed = false): Promise<Settings> {
  return call<Settings>('update_settings', customHostConfirmed ? { settings, customHostConfirmed } : { settings });
}

/** How the library is open (normal, recovery screen, read-only), why not normally, and its backups. */
export function getRecoveryState(): Promise<RecoveryState> {
  return call<RecoveryState>('get_recovery_state');
}

/** A way out of the recovery screen; resolves to the new state once the library is open. */
export function recoverLibrary(action: RecoveryAction): Promise<RecoveryState> {
  return call<RecoveryState>('recover_library', { action });
}

/** Calls `callback` when the background check finds the running library damaged; resolves to the unsubscribe. */
export function onLibraryDamaged(callback: (state: RecoveryState) => void): Promise<Unlisten> {
  return subscribe<RecoveryState>(LIBRARY_DAMAGED, callback);
}

/** The plan tiers with their published quotas per 5-hour window in `region`, smallest first. */
export function listPlanTiers(region: Region): Promise<PlanTierInfo[]> {
  return call<PlanTierInfo[]>('list_plan_tiers', { region });
}

/** Version and folders of this installation. */
export function getAppInfo(): Promise<AppInfo> {
  return call<AppInfo>('get_app_info');
}

/** Chooses the library folder for the next start (`null`: the home folder), moving the library there then
 *  when `moveLibrary`; returns the folders, the chosen one as `pendingStorageDir`. */
export function chooseStorageFolder(folder: string | null, moveLibrary: boolean): Promise<AppInfo> {
  return call<AppInfo>('choose_storage_folder', { folder, moveLibrary });
}

/** Starts the app again (a new library folder takes over). */
export function restartApp(): Promise<void> {
  return call<void>('restart_app');
}

/** Asks for an image with the system's picker; `null` when dismissed. */
export function chooseImageFile(): Promise<string | null> {
  return call<string | null>('choose_image_file');
}

/** Copies an image into the library and returns its library-relative path, for an `ImageInput`. */
export function importInputImageFile(path: string): Promise<string> {
  return call<string>('import_input_image_file', { path });
}

/** Asks for a reference video (MP4, MOV) or audio (WAV, MP3) with the system's picker; `null` when dismissed. */
export function chooseReferenceFile(kind: ReferenceKind): Promise<string | null> {
  return call<string | null>('choose_reference_file', { kind });
}

/** Measures a reference video or audio (ffprobe, against MiniMax's limits) and copies it into the library. */
export function importReferenceFile(kind: ReferenceKind, path: string): Promise<ReferenceClip> {
  return call<ReferenceClip>('import_reference_file', { kind, path });
}

/** Moves every finished demo generation to the trash; returns their ids (undo: `restoreGenerations`). */
export function clearDemoGenerations(): Promise<number[]> {
  return call<number[]>('clear_demo_generations');
}

/** Calls `callback` with the whole settings object whenever they change; resolves to the unsubscribe. */
export async function onSettingsChanged(callback: (settings: Settings) => void): Promise<Unlisten> {
  try {
    return await listen<Settings>(SETTINGS_CHANGED, (event) => callback(event.payload));
  } catch (reason) {
    throw toIpcError(reason);
  }
}

async function subscribe<T>(event: string, callback: (payload: T) => void): Promise<Unlisten> {
  try {
    return await listen<T>(event, (e) => callback(e.payload));
  } catch (reason) {
    throw toIpcError(reason);
  }
}

/** Calls `callback` with the whole job whenever one changes; a success carries its files. */
export function onJobUpdated(callback: (update: JobWithMedia) => void): Promise<Unlisten> {
  return subscribe<JobWithMedia>(JOB_UPDATED, callback);
}

/** Calls `callback` with the plan window after every job change. */
export function onQuotaChanged(callback: (window: WindowSummary) => void): Promise<Unlisten> {
  return subscribe<WindowSummary>(QUOTA_CHANGED, callback);
}

/** What `request` costs, what the window holds, and when enough will be free. Calls nothing remote. */
export function estimateCost(request: GenerationRequest): Promise<Estimate> {
  return call<Estimate>('estimate_cost', { request });
}

/**
 * Saves the job and starts it (or parks it until the window frees); `onOutput` receives what a streamed
 * job produces while it runs (chat tokens, speech chunks).
 */
export function submitJob(
  request: GenerationRequest,
  options: { keyKind?: KeyKind; onOutput?: (output: JobOutput) => void; play?: boolean } = {},
): Promise<Job> {
  const channel = new Channel<JobOutput>();
  if (options.onOutput) channel.onmessage = options.onOutput;
  return call<Job>('submit_job', {
    request,
    keyKind: options.keyKind ?? 'plan',
    play: options.play ?? false,
    onOutput: channel,
  });
}

/** One page of jobs, newest first. */
export function listJobs(filter: JobFilter = {}, after: JobCursor | null = null, limit = 50): Promise<JobPage> {
  return call<JobPage>('list_jobs', { filter, after, limit });
}

/** A job with its files. */
export function getJob(id: number): Promise<JobWithMedia> {
  return call<JobWithMedia>('get_job', { id });
}

/** Cancels a job. */
export function cancelJob(id: number): Promise<Job> {
  return call<Job>('cancel_job', { id });
}

/** Runs a failed, cancelled or interrupted job again. */
export function retryJob(id: number): Promise<Job> {
  return call<Job>('retry_job', { id });
}

/** Moves a waiting job to the pay-as-you-go key and starts it. */
export function runJobOnPayAsYouGo(id: number): Promise<Job> {
  return call<Job>('run_job_on_pay_as_you_go', { id });
}

/** The plan window now. */
export function getQuotaWindow(): Promise<WindowSummary> {
  return call<WindowSummary>('get_quota_window');
}

/** The text of a job's text file (chat reply = 0, its reasoning = 1; lyrics = 0). */
export function readTextMedia(jobId: number, ordinal: number): Promise<string> {
  return call<string>('read_text_media', { jobId, ordinal });
}

/** Where the keys are kept and whether demo mode is on (never the keys themselves). */
export function getKeyStatus(): Promise<KeyStatus> {
  return call<KeyStatus>('get_key_status');
}

/** Saves or removes keys; resolves to the new status. */
export function saveApiKeys(update: KeysUpdate): Promise<KeyStatus> {
  return call<KeyStatus>('save_api_keys', { update });
}

/** Finds the region that accepts a key, without spending. `key` absent: the saved key of `kind`. */
export function checkApiKey(kind: KeyKind, key?: string): Promise<KeyCheck> {
  return call<KeyCheck>('check_api_key', { kind, key: key ?? null });
}

/** Starts the built-in simulator: nothing is billed. */
export function startDemo(): Promise<KeyStatus> {
  return call<KeyStatus>('start_demo');
}

/** Every voice the key may use. */
export function listVoices(): Promise<VoiceInfo[]> {
  return call<VoiceInfo[]>('list_voices');
}

/** The Spend dashboard's figures for `[fromMs, beforeMs)`, days starting at local midnight. */
export function getSpendReport(
  fromMs: number,
  beforeMs: number,
  utcOffsetMs: number,
  grouping: SpendGrouping,
): Promise<SpendReport> {
  return call<SpendReport>('get_spend_report', { fromMs, beforeMs, utcOffsetMs, grouping });
}

/** One page of the spend ledger, newest first; pass the previous page's `nextBeforeId`. */
export function listSpend(filter: SpendFilter, beforeId: number | null = null, limit = 100): Promise<SpendPage> {
  return call<SpendPage>('list_spend', { filter, beforeId, limit });
}

/** Writes the filtered ledger as CSV into the data folder's `exports/`; returns the file's path. */
export function exportSpendCsv(filter: SpendFilter): Promise<string> {
  return call<string>('export_spend_csv', { filter });
}

/** Asks MiniMax for its count of the window (free) and compares it with the ledger. */
export function compareWithServer(): Promise<ServerComparison> {
  return call<ServerComparison>('compare_with_server');
}

/**
 * Asks MiniMax for its count and, when it counts more requests used than the ledger, adds the difference
 * to the window as one marked correction (never removes a charge; says why when it cannot).
 */
export function applyServerCorrection(): Promise<ServerCorrection> {
  return call<ServerCorrection>('apply_server_correction');
}

/** Plays a library audio file (by its media id) in the native player. */
export function playMedia(mediaId: number): Promise<PlayerState> {
  return call<PlayerState>('play_media', { mediaId });
}

/** Pauses the native player. */
export function pausePlayer(): Promise<PlayerState> {
  return call<PlayerState>('pause');
}

/** Resumes (or replays the current track after its end). */
export function resumePlayer(): Promise<PlayerState> {
  return call<PlayerState>('resume');
}

/** Moves to `positionMs` in the current track. */
export function seekPlayer(positionMs: number): Promise<PlayerState> {
  return call<PlayerState>('seek', { positionMs: Math.max(0, Math.round(positionMs)) });
}

/** Stops the sound and closes the audio device. */
export function stopPlayer(): Promise<PlayerState> {
  return call<PlayerState>('stop');
}

/** Sets the volume, 0 to 1. */
export function setPlayerVolume(volume: number): Promise<PlayerState> {
  return call<PlayerState>('set_volume', { volume });
}

/** The native player now. */
export function getPlayerState(): Promise<PlayerState> {
  return call<PlayerState>('get_player_state');
}

/** The waveform of a library audio file at `width` columns (computed in Rust, cached beside the file). */
export function getWaveform(mediaId: number, width: number): Promise<Waveform> {
  return call<Waveform>('get_waveform', { mediaId, width: Math.max(1, Math.round(width)) });
}

/** Calls `callback` with the whole player state whenever it changes. */
export function onPlayerChanged(callback: (state: PlayerState) => void): Promise<Unlisten> {
  return subscribe<PlayerState>(PLAYER_CHANGED, callback);
}

/** Calls `callback` when the player fails outside a command. */
export function onPlayerError(callback: (error: PlayerError) => void): Promise<Unlisten> {
  return subscribe<PlayerError>(PLAYER_ERROR, callback);
}

/** Where library media and thumbnails are served this launch, and the default export folder. */
export function getLibraryInfo(): Promise<LibraryInfo> {
  return call<LibraryInfo>('get_library_info');
}

/** One page of the Library (keyset: pass the previous page's `next` as `after`). */
export function listLibrary(query: LibraryQuery, after: LibraryCursor | null = null, limit = 100): Promise<LibraryPage> {
  return call<LibraryPage>('list_library', { query, after, limit });
}

/** Everything about one generation: the whole job, its files and its state history. */
export function getGeneration(id: number): Promise<GenerationDetail> {
  return call<GenerationDetail>('get_generation', { id });
}

/** Moves generations (rows and files) to the trash; resolves to the ids trashed. */
export function trashGenerations(ids: number[]): Promise<number[]> {
  return call<number[]>('trash_generations', { ids });
}

/** Puts trashed generations back. */
export function restoreGenerations(ids: number[]): Promise<JobWithMedia[]> {
  return call<JobWithMedia[]>('restore_generations', { ids });
}

/** Copies generations' files and a JSON sidecar each into `dest`; resolves to the paths written. */
export function exportGenerations(ids: number[], dest: string): Promise<string[]> {
  return call<string[]>('export_generations', { ids, dest });
}

/** The system's folder picker; resolves to null when dismissed. */
export function chooseFolder(start: string | null = null): Promise<string | null> {
  return call<string | null>('choose_folder', { start });
}

/** Shows a file of the library selected in the system's file manager. */
export function revealInFileManager(mediaId: number): Promise<void> {
  return call<void>('reveal_in_file_manager', { mediaId });
}

// Films (issue 15/16): every storyboard edit is one `editFilm`; takes are ordinary jobs (job-updated).

/** Every film, most recently edited first. */
export function listFilms(): Promise<FilmSummary[]> {
  return call<FilmSummary[]>('list_films');
}

/** One film with its cast, shots, lines and takes. */
export function getFilm(filmId: number): Promise<Film> {
  return call<Film>('get_film', { filmId });
}

/** A new, empty film. */
export function createFilm(title: string, aspectRatio: AspectRatio): Promise<Film> {
  return call<Film>('create_film', { title, aspectRatio });
}

/** Asks for a shot list or screenplay with the system's picker; `null` when dismissed. */
export function chooseScriptFile(): Promise<string | null> {
  return call<string | null>('choose_script_file');
}

/** A film from a JSON shot list or a Fountain screenplay: a file's full path, or the text itself. */
export function importFilm(source: { path: string } | { text: string }): Promise<FilmImport> {
  return call<FilmImport>('import_film', 'path' in source ? { path: source.path } : { text: source.text });
}

/** The built-in short film "Paper Boat". */
export function createDemoFilm(): Promise<Film> {
  return call<Film>('create_demo_film');
}

/** Drafts a film from an idea with M2.7 (a costed chat job; waits for it). */
export function draftFilm(
  idea: string,
  options: { shots?: number; aspectRatio?: AspectRatio; style?: string; keyKind?: KeyKind } = {},
): Promise<DraftResult> {
  return call<DraftResult>('draft_film', { idea, ...options });
}

/** Applies one edit; resolves to the film as it now is. */
export function editFilm(filmId: number, edit: FilmEdit): Promise<Film> {
  return call<Film>('edit_film', { filmId, edit });
}

/** Undoes the film's last edit. */
export function undoFilmEdit(filmId: number): Promise<Film> {
  return call<Film>('undo_film_edit', { filmId });
}

/** Deletes a film (its takes stay in the Library); refused while its jobs run unless `cancelRunning`. */
export function deleteFilm(filmId: number, cancelRunning: boolean): Promise<number[]> {
  return call<number[]>('delete_film', { filmId, cancelRunning });
}

/** Brings a deleted film back. */
export function restoreFilm(filmId: number): Promise<Film> {
  return call<Film>('restore_film', { filmId });
}

/** What the film still costs per stage, what is paid, windows needed, when it would finish, the cheaper path. */
export function getFilmBudget(filmId: number): Promise<FilmBudget> {
  return call<FilmBudget>('get_film_budget', { filmId });
}

/** Plans a stage without sending anything (the stage button's cost chip). */
export function planFilmStage(filmId: number, stage: StageChoice, options: StageOptions): Promise<FilmStagePlan> {
  return call<FilmStagePlan>('plan_film_stage', { filmId, stage, options });
}

/** Queues a stage's jobs on `keyKind` and links each as a take. */
export function renderFilmStage(
  filmId: number,
  stage: StageChoice,
  options: StageOptions,
  keyKind: KeyKind = 'plan',
): Promise<StageRun> {
  return call<StageRun>('render_film_stage', { filmId, stage, options, keyKind });
}

/** Renders the animatic, reporting progress; `cancelFilmRender` stops it. */
export function renderFilmAnimatic(filmId: number, onProgress: (p: RenderProgress) => void): Promise<FilmAnimatic> {
  const channel = new Channel<RenderProgress>();
  channel.onmessage = onProgress;
  return call<FilmAnimatic>('render_film_animatic', { filmId, onProgress: channel });
}

/** The film as time (shots, lines, music bed, ducking). */
export function getFilmTimeline(filmId: number): Promise<Timeline> {
  return call<Timeline>('get_film_timeline', { filmId });
}

/** Exports the film (files it in the Library), reporting progress; `cancelFilmRender` stops it. */
export function exportFilm(
  filmId: number,
  request: FilmExportRequest,
  onProgress: (p: RenderProgress) => void,
): Promise<FilmExport> {
  const channel = new Channel<RenderProgress>();
  channel.onmessage = onProgress;
  return call<FilmExport>('export_film', { filmId, request, onProgress: channel });
}

/** Stops the film's animatic or export (nothing partial is kept). */
export function cancelFilmRender(filmId: number): Promise<void> {
  return call<void>('cancel_film_render', { filmId });
}

/** The ffmpeg films use, or an error that says how to install it. */
export function getFfmpegStatus(): Promise<FfmpegStatus> {
  return call<FfmpegStatus>('get_ffmpeg_status');
}

/** The system's picker for a film's music bed (mp3, wav, flac, ogg, m4a); `null` when dismissed. */
export function chooseFilmMusicFile(): Promise<string | null> {
  return call<string | null>('choose_film_music_file');
}

/** Copies an audio file into the library (checked first, never charged) as the film's chosen music bed. */
export function importFilmMusic(filmId: number, path: string): Promise<Film> {
  return call<Film>('import_film_music', { filmId, path });
}

/** Hides the window to the tray (jobs go on) or quits, after the user chose on a close while jobs run. */
export function closeMainWindow(keepInTray: boolean): Promise<void> {
  return call<void>('close_main_window', { keepInTray });
}

/** Calls `callback` when the window was closed while jobs run and the user has not chosen what that does. */
export function onCloseRequested(callback: () => void): Promise<Unlisten> {
  return subscribe<null>(CLOSE_REQUESTED, () => callback());
}

/** Calls `callback` with a job id when its notification was clicked: open its result. */
export function onOpenResult(callback: (jobId: number) => void): Promise<Unlisten> {
  return subscribe<number>(OPEN_RESULT, callback);
}

/** Gives the tray and the notifications their words in the UI's language. */
export function setShellWords(words: ShellWords): Promise<void> {
  return call<void>('set_shell_words', { words });
}

/** Puts text on the OS clipboard (the webview's clipboard fails on Linux). */
export function copyText(text: string): Promise<void> {
  return call<void>('copy_text', { text });
}

/** Whether video plays and ffmpeg is there, to say what to install when not. */
export function getMediaSupport(): Promise<MediaSupport> {
  return call<MediaSupport>('get_media_support');
}

/** Asks the update endpoint for a newer version. */
export function checkForUpdate(): Promise<UpdateCheck> {
  return call<UpdateCheck>('check_for_update');
}

/** Downloads the update found and verifies its signature (`updateRefused` when it does not verify). */
export function downloadUpdate(): Promise<UpdateInfo> {
  return call<UpdateInfo>('download_update');
}

/** Installs the verified update and restarts into it. */
export function installUpdate(): Promise<void> {
  return call<void>('install_update');
}

/** A file drag over the window or a drop, at a point in CSS pixels of the page. */
export type FileDrag =
  | { type: 'over'; x: number; y: number }
  | { type: 'drop'; paths: string[]; x: number; y: number }
  | { type: 'leave' };

/** Calls `callback` for files dragged over and dropped on the window (the OS gives paths, not bytes). */
export async function onFileDrag(callback: (drag: FileDrag) => void): Promise<Unlisten> {
  try {
    return await getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      const scale = window.devicePixelRatio || 1;
      if (p.type === 'leave') callback({ type: 'leave' });
      else if (p.type === 'drop') callback({ type: 'drop', paths: p.paths, x: p.position.x / scale, y: p.position.y / scale });
      else callback({ type: 'over', x: p.position.x / scale, y: p.position.y / scale });
    });
  } catch (reason) {
    throw toIpcError(reason);
  }
}

// ————————————————————————————————————————————————————————————————————————————————————————————————
// Voices (issue 18): the shortlist, favourite takes, presets, auditions, the A/B compare through the native
// player, voice design and cloning. Kept together at the end so the screen's whole contract reads in one place.
// ————————————————————————————————————————————————————————————————————————————————————————————————

/** The shortlist: starred voice ids, most recently starred first. */
export function listStarredVoices(): Promise<string[]> {
  return call<string[]>('list_starred_voices');
}

/** Stars or unstars a voice; resolves to the shortlist as it now is. */
export function setVoiceStarred(voiceId: string, starred: boolean): Promise<string[]> {
  return call<string[]>('set_voice_starred', { voiceId, starred });
}

/** Marks a take (its job) as a favourite or not; resolves to whether it now is. */
export function setTakeStarred(jobId: number, starred: boolean): Promise<boolean> {
  return call<boolean>('set_take_starred', { jobId, starred });
}

/** Every named preset, by name. */
export function listVoicePresets(): Promise<VoicePreset[]> {
  return call<VoicePreset[]>('list_voice_presets');
}

/** Saves a preset under `name` (one of the same name is replaced). */
export function saveVoicePreset(name: string, voiceId: string, settings: VoiceSettings): Promise<VoicePreset> {
  return call<VoicePreset>('save_voice_preset', { name, voiceId, settings });
}

/** Deletes a preset; resolves to false when there was none. */
export function deleteVoicePreset(id: number): Promise<boolean> {
  return call<boolean>('delete_voice_preset', { id });
}

/** What an audition would cost (cached takes free) beside what the window holds; calls nothing. */
export function quoteAudition(text: string, voices: VoiceRef[], settings: VoiceSettings): Promise<AuditionQuote> {
  return call<AuditionQuote>('quote_audition', { text, voices, settings });
}

/** Runs an audition as one batch; its takes' jobs then report through `job-updated`. */
export function runAudition(text: string, voices: VoiceRef[], settings: VoiceSettings): Promise<Audition> {
  return call<Audition>('run_audition', { text, voices, settings });
}

/** An audition with its takes as they stand now (null: none with this id). */
export function getAudition(id: number): Promise<Audition | null> {
  return call<Audition | null>('get_audition', { id });
}

/** The newest audition, so the grid is there again when the screen reopens (null: none yet). */
export function getLatestAudition(): Promise<Audition | null> {
  return call<Audition | null>('get_latest_audition');
}

/** Plays 2–4 takes (media ids) in step, loudness-matched, take `active` heard. */
export function compareTakes(mediaIds: number[], titles: string[], active: number): Promise<PlayerState> {
  return call<PlayerState>('compare_takes', { mediaIds, titles, active });
}

/** Hears take `active` of the comparison from the same position. */
export function switchComparedTake(active: number): Promise<PlayerState> {
  return call<PlayerState>('switch_compared_take', { active });
}

/** What designing a voice costs before the click (preview now, fee at first use, expiry if unused). */
export function quoteVoiceDesign(ask: DesignAsk): Promise<VoiceMakingQuote> {
  return call<VoiceMakingQuote>('quote_voice_design', { ask });
}

/** Designs a voice; it is `creating` until its job (whose file is the preview) ends. */
export function designVoice(ask: DesignAsk): Promise<CustomVoice> {
  return call<CustomVoice>('design_voice', { ask });
}

/** Every voice designed or cloned here, newest first, with where it stands. */
export function listCustomVoices(): Promise<CustomVoice[]> {
  return call<CustomVoice[]>('list_custom_voices');
}

/** The system's picker for a clone sample (mp3, m4a, wav); null when dismissed. */
export function chooseVoiceSample(): Promise<string | null> {
  return call<string | null>('choose_voice_sample');
}

/** Checks a clone sample (format, size, length, silence) without uploading it. */
export function checkVoiceSample(path: string): Promise<SampleCheck> {
  return call<SampleCheck>('check_voice_sample', { path });
}

/** Uploads a checked sample (the same content is never sent twice). */
export function uploadVoiceSample(path: string): Promise<VoiceSample> {
  return call<VoiceSample>('upload_voice_sample', { path });
}

/** What cloning costs before the click. */
export function quoteVoiceClone(ask: CloneAsk): Promise<VoiceMakingQuote> {
  return call<VoiceMakingQuote>('quote_voice_clone', { ask });
}

/** Clones a voice from an uploaded sample (needs the user's consent in `ask`). */
export function cloneVoice(ask: CloneAsk): Promise<CustomVoice> {
  return call<CustomVoice>('clone_voice', { ask });
}

/** Keeps a new voice: one short real synthesis with it, so MiniMax does not delete it after 7 days. */
export function keepVoiceAlive(voiceId: string): Promise<VoiceTake> {
  return call<VoiceTake>('keep_voice_alive', { voiceId });
}

/** Deletes a designed or cloned voice at MiniMax and here. */
export function deleteCustomVoice(voiceId: string): Promise<void> {
  return call<void>('delete_custom_voice', { voiceId });
}

// ---------------------------------------------------------------------------------------------------------
// Plans and models (issue 17): the blended quota view (every window of the active plan profile, the stricter
// of the ledger and MiniMax's own count), the model table from minimax-api, whether the key has music, and
// the paid MiniMax-H3 tasks the library does not know (the list and recover by task id).
// ---------------------------------------------------------------------------------------------------------

/** Every window of the active profile in its unit, spend from elsewhere, and the models not in the plan. */
export function getQuotaView(): Promise<QuotaView> {
  return call<QuotaView>('get_quota_view');
}

/** Reads MiniMax's count now (free) and returns the view; a failed read shows in `server.error`. */
export function refreshQuotaView(): Promise<QuotaView> {
  return call<QuotaView>('refresh_quota_view');
}

/** Calls `callback` with the whole quota view whenever it may have changed. */
export function onQuotaViewChanged(callback: (view: QuotaView) => void): Promise<Unlisten> {
  return subscribe<QuotaView>(QUOTA_VIEW_CHANGED, callback);
}

/** The model table the composers offer (from minimax-api: the UI keeps no copy) and the camera moves. */
export function listModels(): Promise<ModelCatalog> {
  return call<ModelCatalog>('list_models');
}

/** Whether music and lyrics work with the plan key, as far as MiniMax has said. */
export function getMusicAccess(): Promise<MusicAccess> {
  return call<MusicAccess>('get_music_access');
}

/** Checks whether the key has music: one lyrics job (≈ 75 requests) whose end tells. */
export function probeMusicAccess(): Promise<Job> {
  return call<Job>('probe_music_access');
}

/** The paid MiniMax-H3 tasks of the last 7 days that the library does not know. */
export function listUnknownVideoTasks(): Promise<RemoteTask[]> {
  return call<RemoteTask[]>('list_unknown_video_tasks');
}

/** Files MiniMax's video task `taskId` as a job that downloads its video (never a second paid task). */
export function recoverVideoTask(taskId: string): Promise<Job> {
  return call<Job>('recover_video_task', { taskId });
}

// What every screen of the studio shares: the job list (live through `job-updated`), the plan window
// (live through `quota-changed`), the key status (demo or not) and the data folder media paths are relative
// to. One instance, created by the App and reached through context.
import { getContext, setContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { AppInfo } from '$lib/bindings/AppInfo';
import type { IpcError } from '$lib/bindings/IpcError';
import type { Job } from '$lib/bindings/Job';
import type { JobWithMedia } from '$lib/bindings/JobWithMedia';
import type { KeyStatus } from '$lib/bindings/KeyStatus';
import type { Modality } from '$lib/bindings/Modality';
import type { WindowSummary } from '$lib/bindings/WindowSummary';
import {
  getAppInfo,
  getJob,
  getKeyStatus,
  getQuotaWindow,
  listJobs,
  onJobUpdated,
  onQuotaChanged,
  toIpcError,
  type Unlisten,
} from '$lib/ipc';
import { libraryInfo } from '$lib/library/media-urls.svelte';
import { isActive, upsertJob } from './jobs-list';

/** Jobs loaded at start (the Jobs screen shows the most recent; older ones are the Library's). */
const FIRST_PAGE = 100;

export class StudioStore {
  jobs: Job[] = $state.raw([]);
  jobsStatus: 'loading' | 'ready' | 'failed' = $state('loading');
  jobsError: IpcError | null = $state.raw(null);
  window: WindowSummary | null = $state.raw(null);
  keys: KeyStatus | null = $state.raw(null);
  keysError: IpcError | null = $state.raw(null);
  /** This installation's version and folders (null until they arrive); Settings shows them. */
  appInfo: AppInfo | null = $state.raw(null);
  appInfoError: IpcError | null = $state.raw(null);
  /** Where media files are served from (null until the media server's address arrives). */
  readonly mediaBase = $derived(libraryInfo()?.mediaBase ?? null);
  /** Files of finished jobs, fetched once per job. */
  readonly media = new SvelteMap<number, JobWithMedia>();

  readonly activeCount = $derived(this.jobs.filter(isActive).length);
  /** Whether the app may generate: a saved Token Plan key, or demo mode. */
  readonly canGenerate = $derived(this.keys !== null && (this.keys.demo || this.keys.plan.storage !== undefined));

  /** Loads everything and follows the events; returns the function that stops following. */
  start(): () => void {
    const stops: Unlisten[] = [];
    let stopped = false;
    const keep = (p: Promise<Unlisten>) =>
      p.then(
        (unlisten) => (stopped ? unlisten() : stops.push(unlisten)),
        (e: unknown) => console.warn('cannot follow studio events:', toIpcError(e).message),
      );
    keep(
      onJobUpdated((update) => {
        if (update.job.state === 'succeeded') this.media.set(update.job.id, update);
        this.upsert(update.job);
      }),
    );
    keep(onQuotaChanged((window) => (this.window = window)));
    void this.loadJobs();
    void this.refreshWindow();
    void this.refreshKeys();
    getAppInfo().then(
      (info) => (this.appInfo = info),
      (e: unknown) => (this.appInfoError = toIpcError(e)),
    );
    return () => {
      stopped = true;
      for (const stop of stops) stop();
    };
  }

  async loadJobs(): Promise<void> {
    try {
      const page = await listJobs({}, null, FIRST_PAGE);
      // Events that arrived while the page was read are newer; keep them.
      let merged = page.jobs;
      for (const job of this.jobs) merged = upsertJob(merged, job);
      this.jobs = merged;
      this.jobsStatus = 'ready';
      this.jobsError = null;
    } catch (e) {
      this.jobsError = toIpcError(e);
      this.jobsStatus = 'failed';
    }
  }

  async refreshWindow(): Promise<void> {
    try {
      this.window = await getQuotaWindow();
    } catch (e) {
      console.warn('cannot read the quota window:', toIpcError(e).message);
    }
  }

  async refreshKeys(): Promise<void> {
    try {
      this.keys = await getKeyStatus();
      this.keysError = null;
    } catch (e) {
      this.keysError = toIpcError(e);
    }
  }

  upsert(job: Job): void {
    this.jobs = upsertJob(this.jobs, job);
    if (job.state === 'succeeded' && !this.media.has(job.id)) void this.loadMedia(job.id);
  }

  /** Drops deleted jobs (the Library trashed them) from what the composers and Jobs show. */
  forget(ids: readonly number[]): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup built and dropped here, not state
    const gone = new Set(ids);
    this.jobs = this.jobs.filter((j) => !gone.has(j.id));
    for (const id of ids) this.media.delete(id);
  }

  /** The jobs of some modalities, newest first. */
  jobsOf(modalities: readonly Modality[], limit = 24): Job[] {
    return this.jobs.filter((j) => modalities.includes(j.modality)).slice(0, limit);
  }

  async loadMedia(id: number): Promise<void> {
    try {
      this.media.set(id, await getJob(id));
    } catch (e) {
      console.warn(`cannot read the files of job ${id}:`, toIpcError(e).message);
    }
  }
}

const KEY = Symbol('studio-store');

export function provideStudio(store: StudioStore): void {
  setContext(KEY, store);
}

export function useStudio(): StudioStore {
  const store = getContext<StudioStore | undefined>(KEY);
  if (store === undefined) throw new Error('useStudio() needs provideStudio() in an ancestor');
  return store;
}

/** For tests that render a component on its own. */
export function studioContext(store: StudioStore): Map<symbol, StudioStore> {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a context map for render(), not state
  return new Map([[KEY, store]]);
}

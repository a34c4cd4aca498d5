// What every screen of the studio shares: the job list (live through `job-updated`), the plan window
// (live through `quota-changed`), the key status (demo or not), the data folder media paths are relative
// to, and the one way a request is submitted (every composer's Generate and the Library's re-run). One
// instance, created by the App and reached through context.
import { getContext, setContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { AppInfo } from '$lib/bindings/AppInfo';
import type { Estimate } from '$lib/bindings/Estimate';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import type { IpcError } from '$lib/bindings/IpcError';
import type { Job } from '$lib/bindings/Job';
import type { JobOutput } from '$lib/bindings/JobOutput';
import type { JobWithMedia } from '$lib/bindings/JobWithMedia';
import type { KeyKind } from '$lib/bindings/KeyKind';
import type { KeyStatus } from '$lib/bindings/KeyStatus';
import type { Modality } from '$lib/bindings/Modality';
import type { WindowSummary } from '$lib/bindings/WindowSummary';
import {
  estimateCost,
  getAppInfo,
  getJob,
  getKeyStatus,
  getQuotaWindow,
  listJobs,
  onJobUpdated,
  onQuotaChanged,
  submitJob,
  toIpcError,
  type Unlisten,
} from '$lib/ipc';
import { libraryInfo } from '$lib/library/media-urls.svelte';
import { PlansStore } from '$lib/plans/plans-store.svelte';
import { isActive, upsertJob } from './jobs-list';

/** Jobs loaded at start (the Jobs screen shows the most recent; older ones are the Library's). */
const FIRST_PAGE = 100;

/** Which request an estimate was made for: its JSON. */
export function requestKey(request: GenerationRequest): string {
  return JSON.stringify(request);
}

/** An estimate with the request it was made for, so that it is never applied to another. */
export interface KeyedEstimate {
  key: string;
  estimate: Estimate;
}

/** What sending a request came to. */
export type Submitted = { kind: 'sent'; job: Job } | { kind: 'failed'; error: IpcError };

/**
 * A request that waits for the user's word before it runs: over budget (queue until the window frees, run on
 * the pay-as-you-go key, or cancel), of unknown cost (confirm or cancel), or one that fits when the caller
 * asked to confirm even then. Not answering is cancelling.
 */
export interface CostQuestion {
  kind: 'overBudget' | 'unknownCost' | 'fits';
  estimate: Estimate;
  /** The request is a video: on the M Plan it counts only against the weekly window. */
  video?: boolean;
  /** Sends the request on the chosen key: the answer. */
  run: (keyKind: KeyKind) => Promise<Submitted>;
}

/** What `submit` came to, with the estimate it went by (null when none could be made). */
export type Submission = (Submitted | { kind: 'ask'; question: CostQuestion }) & { costed: KeyedEstimate | null };

export interface SubmitOptions {
  /** The estimate the caller shows; used only when it was made for this very request. */
  shown?: KeyedEstimate | null;
  /** Ask even when it fits: a button that showed no cost before the click (the Library's re-run). */
  confirmFits?: boolean;
  /** What a streamed job produces while it runs (chat tokens, speech chunks). */
  onOutput?: (output: JobOutput) => void;
  /** Streamed speech: play it in the native player as its chunks arrive. */
  play?: boolean;
}

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
  /** The quota view, the model table and the key's music access (issue 17). */
  readonly plans = new PlansStore();

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
    stops.push(this.plans.start());
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

  /**
   * Submits `request`: costs it, then sends it on the plan key when it fits, or hands back the question to
   * ask when it is over budget or its cost is unknown. A shown estimate counts only for the request it was
   * made for: while a changed form is being re-estimated the last estimate stays on screen, but a click never
   * acts on it (a 1080P "cost unknown" once answered a click made at 768P). Never throws.
   */
  async submit(request: GenerationRequest, options: SubmitOptions = {}): Promise<Submission> {
    const key = requestKey(request);
    let estimate = options.shown?.key === key ? options.shown.estimate : null;
    try {
      estimate ??= await estimateCost(request);
    } catch (e) {
      return { kind: 'failed', error: toIpcError(e), costed: null };
    }
    const costed = { key, estimate };
    const run = async (keyKind: KeyKind): Promise<Submitted> => {
      try {
        const job = await submitJob(request, { keyKind, onOutput: options.onOutput, play: options.play });
        this.upsert(job);
        return { kind: 'sent', job };
      } catch (e) {
        return { kind: 'failed', error: toIpcError(e) };
      }
    };
    const ask: CostQuestion['kind'] | null =
      estimate.cost.kind === 'unknown'
        ? 'unknownCost'
        : !estimate.fitsNow
          ? 'overBudget'
          : options.confirmFits
            ? 'fits'
            : null;
    if (ask !== null) return { kind: 'ask', question: { kind: ask, estimate, run, video: request.kind === 'video' }, costed };
    return { ...(await run('plan')), costed };
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

// The Film screen's state: the film list, the open film with its budget, what is selected and open, and
// every edit (one `editFilm` each, Ctrl/Cmd+Z undoes). Takes are ordinary jobs: a `job-updated` for a job
// of the open film (or one a stage just queued) refreshes the film and its budget. One instance per screen,
// reached through context; it outlives screen switches so an open film stays open.
import { getContext, setContext } from 'svelte';
import type { Film } from '$lib/bindings/Film';
import type { FilmBudget } from '$lib/bindings/FilmBudget';
import type { FilmEdit } from '$lib/bindings/FilmEdit';
import type { FilmSummary } from '$lib/bindings/FilmSummary';
import type { IpcError } from '$lib/bindings/IpcError';
import {
  editFilm,
  getFilm,
  getFilmBudget,
  importFilmMusic,
  listFilms,
  onJobUpdated,
  toIpcError,
  undoFilmEdit,
  type Unlisten,
} from '$lib/ipc';
import { STORED_THUMB_EDGE, thumbUrl } from '$lib/library/media-urls.svelte';
import { FIRST_SCREEN_CARDS, cardPicture, filmHasJob } from './storyboard';

/** A job change arrives per state; a stage of ten jobs would refresh ten times in a row without this. */
const REFRESH_DELAY_MS = 150;

/**
 * How long a film fetched ahead (the pointer or the focus on its list item, or the newest film when the list
 * shows) is shown as it was when opened; it is read again in the background at once anyway.
 */
const PREFETCH_FRESH_MS = 10_000;

export class FilmStore {
  films: FilmSummary[] = $state.raw([]);
  listStatus: 'loading' | 'ready' | 'failed' = $state('loading');
  film: Film | null = $state.raw(null);
  budget: FilmBudget | null = $state.raw(null);
  budgetError: IpcError | null = $state.raw(null);
  /** The last failed edit or load, shown above the storyboard. */
  error: IpcError | null = $state.raw(null);
  /** The shot with the keyboard's and the timeline's attention. */
  selected: number | null = $state(null);
  /** The shot whose panel is open. */
  openShot: number | null = $state(null);
  /** The character whose panel is open. */
  openCast: number | null = $state(null);
  /** Counts every refresh: stage buttons plan again when it moves. */
  version = $state(0);
  /** Jobs queued by a stage whose takes may not be on the film yet (a lookup, never rendered). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #pending = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  /**
   * Films read ahead of a click, with when, and their first pictures (held so the webview keeps them
   * decoded until the film opens). A lookup, never rendered.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #ahead = new Map<number, { at: number; film: Promise<Film>; pictures: HTMLImageElement[] | null }>();

  /** Follows job changes; returns the function that stops following. */
  start(): () => void {
    let stop: Unlisten | null = null;
    let stopped = false;
    onJobUpdated(({ job }) => {
      const film = this.film;
      if (film === null) return;
      if (this.#pending.has(job.id) || filmHasJob(film, job.id)) this.refreshSoon();
    }).then(
      (unlisten) => (stopped ? unlisten() : (stop = unlisten)),
      (e: unknown) => console.warn('cannot follow film jobs:', toIpcError(e).message),
    );
    return () => {
      stopped = true;
      stop?.();
      if (this.#timer !== null) clearTimeout(this.#timer);
    };
  }

  async loadList(): Promise<void> {
    try {
      this.films = await listFilms();
      this.listStatus = 'ready';
    } catch (e) {
      this.error = toIpcError(e);
      this.listStatus = 'failed';
    }
  }

  /**
   * Reads film `id` and fetches its first screen of pictures ahead of a likely click (the pointer is over its
   * list item, or it is the newest film), so opening it shows a painted storyboard without waiting for the
   * database and the media server. `mediaBase` null: the data only.
   */
  prefetch(id: number, mediaBase: string | null): void {
    let entry = this.#ahead.get(id);
    if (entry === undefined || Date.now() - entry.at >= PREFETCH_FRESH_MS) {
      const film = getFilm(id);
      entry = { at: Date.now(), film, pictures: null };
      this.#ahead.set(id, entry);
      film.catch(() => this.#ahead.delete(id));
    }
    // The media server's address may come after the data was read ahead (the list shows first): the
    // pictures are fetched by the first call that knows it.
    if (mediaBase === null || entry.pictures !== null) return;
    const pictures: HTMLImageElement[] = [];
    entry.pictures = pictures;
    entry.film.then(
      (f) => {
        for (const shot of f.shots.slice(0, FIRST_SCREEN_CARDS)) {
          const picture = cardPicture(shot);
          if (picture.kind === 'none') continue;
          const image = new Image();
          image.src = thumbUrl(mediaBase, picture.relPath, STORED_THUMB_EDGE);
          image.decoding = 'async';
          pictures.push(image);
        }
      },
      () => {},
    );
  }

  /** Opens film `id` (or shows `film` at once when the caller has it). */
  async open(id: number, film?: Film): Promise<void> {
    this.error = null;
    this.openShot = null;
    this.openCast = null;
    this.budget = null;
    const ahead = this.#ahead.get(id);
    this.#ahead.clear();
    if (film !== undefined) this.show(film);
    else {
      this.film = null;
      const fresh = ahead !== undefined && Date.now() - ahead.at < PREFETCH_FRESH_MS;
      try {
        this.show(await (fresh ? ahead.film : getFilm(id)));
      } catch (e) {
        this.error = toIpcError(e);
        return;
      }
      // What was read ahead may be a few seconds old: read it again behind the painted storyboard.
      if (fresh) this.refreshSoon();
    }
    this.selected = this.film?.shots[0]?.id ?? null;
  }

  close(): void {
    this.film = null;
    this.budget = null;
    this.openShot = null;
    this.openCast = null;
    this.#pending.clear();
    void this.loadList();
  }

  /** Jobs a stage just queued: their changes refresh the film even before their takes are on it. */
  track(jobIds: readonly number[]): void {
    for (const id of jobIds) this.#pending.add(id);
    this.refreshSoon();
  }

  /** Applies one edit; resolves to whether it worked (a refusal is shown as the store's error). */
  async edit(edit: FilmEdit): Promise<boolean> {
    const film = this.film;
    if (film === null) return false;
    try {
      this.show(await editFilm(film.id, edit));
      this.error = null;
      return true;
    } catch (e) {
      this.error = toIpcError(e);
      return false;
    }
  }

  /** Brings an audio file in as the film's music bed (checked first; never charged). */
  async importMusic(path: string): Promise<boolean> {
    const film = this.film;
    if (film === null) return false;
    try {
      this.show(await importFilmMusic(film.id, path));
      this.error = null;
      return true;
    } catch (e) {
      this.error = toIpcError(e);
      return false;
    }
  }

  async undo(): Promise<void> {
    const film = this.film;
    if (film === null || !film.canUndo) return;
    try {
      this.show(await undoFilmEdit(film.id));
      this.error = null;
    } catch (e) {
      this.error = toIpcError(e);
    }
  }

  refreshSoon(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  async refresh(): Promise<void> {
    const film = this.film;
    if (film === null) return;
    try {
      const fresh = await getFilm(film.id);
      if (this.film?.id === fresh.id) this.show(fresh);
    } catch (e) {
      this.error = toIpcError(e);
    }
  }

  async loadBudget(): Promise<void> {
    const film = this.film;
    if (film === null) return;
    try {
      const budget = await getFilmBudget(film.id);
      if (this.film?.id === film.id) {
        this.budget = budget;
        this.budgetError = null;
      }
    } catch (e) {
      this.budgetError = toIpcError(e);
    }
  }

  /** Shows `film` as the open film: the budget and the stage plans follow it. */
  show(film: Film): void {
    this.film = film;
    if (this.selected !== null && !film.shots.some((s) => s.id === this.selected)) {
      this.selected = film.shots[0]?.id ?? null;
    }
    if (this.openShot !== null && !film.shots.some((s) => s.id === this.openShot)) this.openShot = null;
    if (this.openCast !== null && !film.cast.some((c) => c.id === this.openCast)) this.openCast = null;
    for (const id of this.#pending) if (filmHasJob(film, id)) this.#pending.delete(id);
    this.version += 1;
    void this.loadBudget();
  }
}

const KEY = Symbol('film-store');

export function provideFilmStore(store: FilmStore): void {
  setContext(KEY, store);
}

export function useFilmStore(): FilmStore {
  const store = getContext<FilmStore | undefined>(KEY);
  if (store === undefined) throw new Error('useFilmStore() needs provideFilmStore() in an ancestor');
  return store;
}

/** The one store of the app: the Film screen is loaded once and keeps its film across screen switches. */
let shared: FilmStore | null = null;
export function sharedFilmStore(): FilmStore {
  shared ??= new FilmStore();
  return shared;
}

/**
 * What the Welcome screen asked the Film screen to start with (read once when it opens): draft from an idea,
 * import a screenplay, or the demo film.
 */
export type FilmStart = 'idea' | 'import' | 'demo';
let pendingStart: FilmStart | null = null;

export function requestFilmStart(start: FilmStart): void {
  pendingStart = start;
}

export function hasFilmStart(): boolean {
  return pendingStart !== null;
}

export function takeFilmStart(): FilmStart | null {
  const start = pendingStart;
  pendingStart = null;
  return start;
}

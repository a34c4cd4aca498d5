// The Library's first page, asked for the moment the user heads to the Library — alongside the screen's
// code rather than after it has loaded and mounted — together with the media server's address the
// thumbnails need. The screen takes the answer if it is for the query it opens with.
import type { LibraryPage } from '$lib/bindings/LibraryPage';
import type { LibraryQuery } from '$lib/bindings/LibraryQuery';
import { listLibrary } from '$lib/ipc';
import { loadLibraryInfo } from './media-urls.svelte';

/** Items per page: a first screen of thumbnails plus a screen ahead, far below the IPC budget. */
export const LIBRARY_PAGE_SIZE = 120;

/** A prefetched page is used only this soon after it was asked for; an older one may miss new items. */
const FRESH_MS = 2_000;

/** The query the Library opens with: everything, newest first. */
export function openingQuery(): LibraryQuery {
  return { filter: {}, search: '', sort: 'newest', previews: 'hide' };
}

let prefetched: { askedAt: number; page: Promise<LibraryPage> } | null = null;

/** Starts loading the opening query's first page and the media server's address. */
export function prefetchFirstPage(now: number = Date.now()): void {
  void loadLibraryInfo();
  const page = listLibrary(openingQuery(), null, LIBRARY_PAGE_SIZE);
  // The screen reports a failure when it takes the page (or asks again); never an unhandled rejection.
  page.catch(() => undefined);
  prefetched = { askedAt: now, page };
}

function isOpeningQuery(query: LibraryQuery): boolean {
  return query.search === '' && query.sort === 'newest' && Object.keys(query.filter).length === 0;
}

/** The prefetched first page if it answers `query` and is fresh; each prefetch is taken at most once. */
export function takeFirstPage(query: LibraryQuery, now: number = Date.now()): Promise<LibraryPage> | null {
  const taken = prefetched;
  prefetched = null;
  if (taken === null || now - taken.askedAt > FRESH_MS || !isOpeningQuery(query)) return null;
  return taken.page;
}

// The Library screen's state: the query (filters, search, order), the items loaded so far (keyset pages,
// fetched as the window scrolls towards their end), the selection, and delete with undo. Created by the
// screen; it lives as long as the screen does.
import { SvelteSet } from 'svelte/reactivity';
import type { IpcError } from '$lib/bindings/IpcError';
import type { LibraryCursor } from '$lib/bindings/LibraryCursor';
import type { LibraryItem } from '$lib/bindings/LibraryItem';
import type { LibraryQuery } from '$lib/bindings/LibraryQuery';
import { listLibrary, restoreGenerations, toIpcError, trashGenerations } from '$lib/ipc';
import { LIBRARY_PAGE_SIZE as PAGE_SIZE, openingQuery, takeFirstPage } from '$lib/library/first-page';
import { UndoTimer } from './undo-timer';

export class LibraryStore {
  query: LibraryQuery = $state.raw(openingQuery());
  items: LibraryItem[] = $state.raw([]);
  status: 'loading' | 'ready' | 'failed' = $state('loading');
  error: IpcError | null = $state.raw(null);
  loadingMore = $state(false);
  /** Whether more pages exist. */
  more = $state(false);
  readonly selected = new SvelteSet<number>();
  /** Ids that can still be restored with Undo. */
  undoable: readonly number[] = $state.raw([]);
  actionError: string | null = $state(null);

  #next: LibraryCursor | null = null;
  /** Bumped by every new query: answers to older ones are dropped. */
  #generation = 0;
  readonly #undo = new UndoTimer((ids) => (this.undoable = ids));

  /** Replaces the query and loads its first page. */
  async setQuery(query: LibraryQuery): Promise<void> {
    this.query = query;
    await this.reload();
  }

  async reload(): Promise<void> {
    const generation = ++this.#generation;
    this.status = this.items.length === 0 ? 'loading' : this.status;
    this.loadingMore = false;
    try {
      const page = await (takeFirstPage(this.query) ?? listLibrary(this.query, null, PAGE_SIZE));
      if (generation !== this.#generation) return;
      this.items = page.items;
      this.#next = page.next ?? null;
      this.more = this.#next !== null;
      this.status = 'ready';
      this.error = null;
      // A selection only means something among what is shown.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup built and dropped here, not state
      const shown = new Set(page.items.map((i) => i.id));
      for (const id of this.selected) if (!shown.has(id)) this.selected.delete(id);
    } catch (e) {
      if (generation !== this.#generation) return;
      this.error = toIpcError(e);
      this.status = 'failed';
    }
  }

  /** Fetches the next page (no-op while one is on its way or at the end). */
  async loadMore(): Promise<void> {
    if (this.loadingMore || this.#next === null || this.status !== 'ready') return;
    const generation = this.#generation;
    this.loadingMore = true;
    try {
      const page = await listLibrary(this.query, this.#next, PAGE_SIZE);
      if (generation !== this.#generation) return;
      this.items = [...this.items, ...page.items];
      this.#next = page.next ?? null;
      this.more = this.#next !== null;
    } catch (e) {
      if (generation === this.#generation) this.actionError = toIpcError(e).message;
    } finally {
      if (generation === this.#generation) this.loadingMore = false;
    }
  }

  toggleSelected(id: number): void {
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
  }

  /** Selects every item from `from` to `to` (shift-click). */
  selectRange(from: number, to: number): void {
    const [a, b] = from <= to ? [from, to] : [to, from];
    for (const item of this.items.slice(a, b + 1)) this.selected.add(item.id);
  }

  clearSelection(): void {
    this.selected.clear();
  }

  /** Deletes (to the trash) and offers undo; resolves to the ids deleted. */
  async trash(ids: number[]): Promise<number[]> {
    this.actionError = null;
    try {
      const trashed = await trashGenerations(ids);
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup built and dropped here, not state
      const gone = new Set(trashed);
      this.items = this.items.filter((i) => !gone.has(i.id));
      for (const id of trashed) this.selected.delete(id);
      this.#undo.offer(trashed);
      return trashed;
    } catch (e) {
      this.actionError = toIpcError(e).message;
      // Some may have gone before the failure: show what the library holds now.
      await this.reload();
      return [];
    }
  }

  /** Restores what the last delete removed, while its undo window lasts. */
  async undo(): Promise<void> {
    const ids = this.#undo.take();
    if (ids.length === 0) return;
    try {
      await restoreGenerations(ids);
    } catch (e) {
      this.actionError = toIpcError(e).message;
    }
    await this.reload();
  }

  dismissUndo(): void {
    this.#undo.expire();
  }
}

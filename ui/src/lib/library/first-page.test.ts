import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend } from '../../test/fake-backend';
import { LIBRARY_PAGE_SIZE, openingQuery, prefetchFirstPage, takeFirstPage } from './first-page';

afterEach(() => clearMocks());

describe('the Library first page asked for on the way to the screen', () => {
  it('asks for the opening query and the media server address at once', async () => {
    const backend = new FakeBackend();
    prefetchFirstPage(1_000);
    const page = takeFirstPage(openingQuery(), 1_100);
    expect(page).not.toBeNull();
    await expect(page).resolves.toEqual({ items: [] });
    const listed = backend.calls.filter((c) => c.command === 'list_library');
    expect(listed).toEqual([{ command: 'list_library', args: { query: openingQuery(), after: null, limit: LIBRARY_PAGE_SIZE } }]);
    expect(backend.calls.some((c) => c.command === 'get_library_info')).toBe(true);
  });

  it('is taken once: the next load asks the backend again', async () => {
    new FakeBackend();
    prefetchFirstPage(1_000);
    expect(takeFirstPage(openingQuery(), 1_000)).not.toBeNull();
    expect(takeFirstPage(openingQuery(), 1_000)).toBeNull();
  });

  it('is not used for another query, nor once it is stale', () => {
    new FakeBackend();
    prefetchFirstPage(1_000);
    expect(takeFirstPage({ ...openingQuery(), search: 'lighthouse' }, 1_000)).toBeNull();
    prefetchFirstPage(1_000);
    expect(takeFirstPage({ ...openingQuery(), filter: { modality: 'image' } }, 1_000)).toBeNull();
    prefetchFirstPage(1_000);
    expect(takeFirstPage({ ...openingQuery(), sort: 'cost' }, 1_000)).toBeNull();
    prefetchFirstPage(1_000);
    expect(takeFirstPage(openingQuery(), 3_500)).toBeNull();
  });

  it('hands a failure to the screen instead of dropping it', async () => {
    const backend = new FakeBackend();
    backend.failNext('list_library', { kind: 'internal', message: 'database is locked' });
    prefetchFirstPage(1_000);
    await expect(takeFirstPage(openingQuery(), 1_000)).rejects.toMatchObject({ message: 'database is locked' });
  });
});

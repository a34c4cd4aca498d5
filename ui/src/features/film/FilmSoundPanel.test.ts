import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '$lib/i18n/i18n.svelte';
import { PlayerStore, playerContext } from '$lib/player/player-store.svelte';
import { StudioStore, studioContext } from '$lib/studio/studio-store.svelte';
import { FakeBackend } from '../../test/fake-backend';
import FilmScreen from './FilmScreen.svelte';
import { sharedFilmStore } from './film-store.svelte';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
  sharedFilmStore().film = null;
  setLanguage('en');
});

/** The demo film open, with the backend set up first. */
async function openDemo(setup: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend();
  backend.keys.plan = { storage: 'file', keyType: 'tokenPlan' };
  setup(backend);
  const studio = new StudioStore();
  stops.push(studio.start());
  await waitFor(() => expect(studio.keys).not.toBeNull());
  const context = new Map<symbol, unknown>([...studioContext(studio), ...playerContext(new PlayerStore())]);
  const view = render(FilmScreen, { context });
  await fireEvent.click(await view.findByTestId('film-demo'));
  await view.findByTestId('film-workspace');
  return { backend, view, studio };
}

const calls = (backend: FakeBackend, command: string) => backend.calls.filter((c) => c.command === command);

describe("the film's sound", () => {
  it('sets what the clips’ own sound does, and says Hailuo clips have none', async () => {
    const { backend, view } = await openDemo();
    const select = (await view.findByTestId('film-clip-audio')) as HTMLSelectElement;
    expect(view.getByTestId('film-clip-audio-hint').textContent).toContain('Hailuo clips have no sound');
    await fireEvent.change(select, { target: { value: 'keep' } });
    await waitFor(() => expect(calls(backend, 'edit_film')).toHaveLength(1));
    const edit = calls(backend, 'edit_film')[0]!.args!.edit as { kind: string; settings: { clipAudio: string } };
    expect(edit.kind).toBe('setFilm');
    expect(edit.settings.clipAudio).toBe('keep');
    await waitFor(() => expect((view.getByTestId('film-clip-audio') as HTMLSelectElement).value).toBe('keep'));
  });

  it('offers importing audio as the way forward when the key has no music, and uses the file as the bed', async () => {
    const { backend, view } = await openDemo((b) => {
      b.music = { state: 'unavailable', reason: 'your current token plan not support model, music-2.5+' };
      b.pickedMusic = '/home/ada/Rain Theme.flac';
    });
    const button = await view.findByTestId('film-music-import');
    await waitFor(() => expect(button.classList.contains('btn-primary')).toBe(true));
    expect(view.getByTestId('film-music-not-in-plan').textContent).toContain('Import an audio file');
    await fireEvent.click(button);
    await waitFor(() => expect(calls(backend, 'import_film_music')).toHaveLength(1));
    expect(calls(backend, 'import_film_music')[0]!.args).toMatchObject({ path: '/home/ada/Rain Theme.flac' });
    await waitFor(() => expect(view.getByTestId('film-music-bed').textContent).toContain('Imported: Rain Theme.flac'));
  });

  it('keeps the import button, unhighlighted, where music is available; a refused file is said', async () => {
    const { backend, view } = await openDemo((b) => (b.pickedMusic = '/home/ada/score.pdf'));
    const button = await view.findByTestId('film-music-import');
    expect(button.classList.contains('btn-primary')).toBe(false);
    expect(view.queryByTestId('film-music-not-in-plan')).toBeNull();
    await fireEvent.click(button);
    await waitFor(() => expect(view.getByTestId('film-error').textContent).toContain('not an MP3, WAV, FLAC, OGG or M4A file'));
    expect(backend.films.get(Number(view.getByTestId('film-workspace').dataset.filmId))!.music.every((t) => !t.importedFrom)).toBe(true);
  });

  it('speaks Chinese', async () => {
    setLanguage('zh-CN');
    const { view } = await openDemo((b) => (b.music = { state: 'unavailable', reason: 'closed' }));
    expect((await view.findByTestId('film-music-import')).textContent).toContain('导入音频');
    expect(view.getByTestId('film-music-not-in-plan').textContent).toContain('导入一个音频文件');
  });
});

import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { PlayerStore, playerContext } from '$lib/player/player-store.svelte';
import { StudioStore, studioContext } from '$lib/studio/studio-store.svelte';
import { paperBoat, shot } from '../../test/film-fixtures';
import { FakeBackend } from '../../test/fake-backend';
import FilmScreen from './FilmScreen.svelte';
import { sharedFilmStore } from './film-store.svelte';
import { FIRST_RENDER_CARDS } from './storyboard';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
  sharedFilmStore().film = null;
});

async function renderFilms(setup: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend();
  backend.keys.plan = { storage: 'file', keyType: 'tokenPlan' };
  backend.window = { ...backend.window, quota: 300_000, remaining: 300_000 };
  setup(backend);
  const studio = new StudioStore();
  stops.push(studio.start());
  await waitFor(() => expect(studio.keys).not.toBeNull());
  await waitFor(() => expect(studio.window).not.toBeNull());
  const player = new PlayerStore();
  const context = new Map<symbol, unknown>([...studioContext(studio), ...playerContext(player)]);
  const view = render(FilmScreen, { context });
  return { backend, view, studio };
}

const calls = (backend: FakeBackend, command: string) => backend.calls.filter((c) => c.command === command);
const cards = (view: { getAllByTestId: (id: string) => HTMLElement[] }) => view.getAllByTestId('shot-card');

async function openDemo(setup?: (backend: FakeBackend) => void) {
  const rendered = await renderFilms(setup);
  await fireEvent.click(await rendered.view.findByTestId('film-demo'));
  await rendered.view.findByTestId('film-workspace');
  return rendered;
}

describe('the film list', () => {
  it('lists films and opens one', async () => {
    const { view } = await renderFilms((b) => b.addFilm(paperBoat(4)));
    await fireEvent.click(await view.findByTestId('film-item'));
    await view.findByTestId('storyboard');
    expect(view.getByTestId('film-meta').textContent).toContain('3 shots');
  });

  it('reads the newest film ahead while the list shows, so opening it paints without another read', async () => {
    // A film of its own (id 7): the shared store remembers what it read ahead for the other tests' films.
    const { backend, view } = await renderFilms((b) => b.addFilm(paperBoat(7)));
    await waitFor(() => expect(calls(backend, 'get_film')).toHaveLength(1));
    expect(calls(backend, 'get_film')[0]!.args).toEqual({ filmId: 7 });
    const item = view.getByTestId('film-item');
    await fireEvent.pointerEnter(item);
    expect(calls(backend, 'get_film'), 'a hover right after reads nothing again').toHaveLength(1);
    await fireEvent.click(item);
    await view.findByTestId('storyboard');
    expect(cards(view)[0]!.querySelector('img')?.getAttribute('loading'), 'the first cards load at once').toBe('eager');
    // Behind the painted storyboard the film is read again, in case a job changed it meanwhile.
    await waitFor(() => expect(calls(backend, 'get_film')).toHaveLength(2));
  });

  it('imports a file picked with the system picker', async () => {
    const { backend, view } = await renderFilms((b) => (b.pickedScript = '/home/ada/boat.fountain'));
    await fireEvent.click(await view.findByTestId('film-import'));
    await view.findByTestId('film-workspace');
    expect(calls(backend, 'import_film')[0]!.args).toEqual({ path: '/home/ada/boat.fountain' });
  });

  it('a draft that is not a shot list opens as text to fix, then "Import this"', async () => {
    const { backend, view } = await renderFilms((b) => {
      b.draftResult = { kind: 'needsEditing', rawReply: '{"format": "tokenplan-film/1", "shots": [', problem: 'unexpected end of JSON', jobs: [1, 2] };
    });
    await fireEvent.click(await view.findByTestId('film-draft'));
    await fireEvent.input(view.getByTestId('film-draft-idea'), { target: { value: 'A paper boat in the rain' } });
    await waitFor(() => expect(view.getByTestId('film-draft-cost').textContent).toBe('1 request'));
    await fireEvent.click(view.getByTestId('film-draft-go'));
    const raw = (await view.findByTestId('film-draft-raw')) as HTMLTextAreaElement;
    expect(raw.value).toContain('tokenplan-film/1');
    expect(view.getByTestId('film-draft-problem').textContent).toContain('unexpected end of JSON');
    await fireEvent.input(raw, { target: { value: '{"format": "tokenplan-film/1", "title": "Fixed", "shots": []}' } });
    await fireEvent.click(view.getByTestId('film-draft-import'));
    await view.findByTestId('film-workspace');
    expect(calls(backend, 'import_film')[0]!.args).toEqual({ text: '{"format": "tokenplan-film/1", "title": "Fixed", "shots": []}' });
    expect(calls(backend, 'draft_film')[0]!.args).toMatchObject({ idea: 'A paper boat in the rain', shots: 6, keyKind: 'plan' });
  });
});

describe('the storyboard', () => {
  it('a long film opens with its first screen of cards, and the rest follow', async () => {
    const long = { ...paperBoat(9), shots: Array.from({ length: 40 }, (_, i) => shot(900 + i, i)) };
    const { view } = await renderFilms((b) => b.addFilm(long));
    await fireEvent.click(await view.findByTestId('film-item'));
    await view.findByTestId('storyboard');
    expect(cards(view), 'the first screen only').toHaveLength(FIRST_RENDER_CARDS);
    await waitFor(() => expect(cards(view)).toHaveLength(40));
    expect(cards(view).at(-1)!.dataset.shotId).toBe('939');
  });

  it('shows each shot with its slot states and the budget beside it', async () => {
    const { view } = await openDemo();
    await waitFor(() => expect(cards(view)).toHaveLength(3));
    expect(cards(view).map((c) => [c.dataset.keyframe, c.dataset.clip, c.dataset.lines])).toEqual([
      ['chosen', 'chosen', 'chosen'],
      ['busy', 'empty', 'none'],
      ['empty', 'empty', 'empty'],
    ]);
    expect(cards(view)[0]!.textContent).toContain('1 stale line');
    // Shot 3's keyframe (75; shot 2's is on its way), its line (29 characters of HD speech → 18), the music;
    // no clip can be sent yet (shots 2 and 3 need their keyframes first). Shot 1's takes are paid.
    await waitFor(() => expect(view.getByTestId('budget-total').textContent).toBe('3,093'));
    expect(view.getByTestId('budget-keyframes').dataset).toMatchObject({ requests: '75', paid: '75' });
    expect(view.getByTestId('budget-paid').textContent).toBe('4,589');
    expect(view.getByTestId('budget-blocked').textContent).toContain('Shot 2 clip: make and choose its keyframe first');
    expect(view.getByTestId('budget-blocked').textContent).toContain('Shot 3 clip: make and choose its keyframe first');
  });

  it('moves with the keyboard, reorders with Alt+arrows, and undoes with Ctrl+Z', async () => {
    const { backend, view } = await openDemo();
    const board = await view.findByTestId('storyboard');
    const first = cards(view)[0]!.querySelector('button')!;
    first.focus();
    await fireEvent.keyDown(board, { key: 'ArrowRight' });
    await waitFor(() => expect(cards(view)[1]!.classList.contains('selected')).toBe(true));
    expect(document.activeElement).toBe(cards(view)[1]!.querySelector('button'));

    await fireEvent.keyDown(board, { key: 'ArrowLeft', altKey: true });
    await waitFor(() => expect(cards(view)[0]!.dataset.shotId).toBe('12'));
    expect(calls(backend, 'edit_film')[0]!.args).toMatchObject({ edit: { kind: 'moveShot', shotId: 12, toIndex: 0 } });

    await fireEvent.keyDown(board, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(cards(view)[0]!.dataset.shotId).toBe('11'));
    expect(calls(backend, 'undo_film_edit')).toHaveLength(1);

    await fireEvent.keyDown(board, { key: 'Enter' });
    await view.findByTestId('shot-panel');
  });

  it('reorders by dragging a card onto another', async () => {
    const { backend, view } = await openDemo();
    await waitFor(() => expect(cards(view)).toHaveLength(3));
    const [a, , c] = cards(view);
    await fireEvent.dragStart(a!);
    // Dropped on the left half of the third card: before it (jsdom's drag events carry no pointer position).
    await fireEvent.dragOver(c!);
    await fireEvent.drop(c!);
    await waitFor(() => expect(cards(view).map((x) => x.dataset.shotId)).toEqual(['12', '11', '13']));
    expect(calls(backend, 'edit_film')[0]!.args).toMatchObject({ edit: { kind: 'moveShot', shotId: 11, toIndex: 1 } });
  });
});

describe('the stages', () => {
  it('each stage button carries its cost, and a click queues its jobs', async () => {
    const { backend, view } = await openDemo();
    await waitFor(() => expect(view.getByTestId('stage-keyframes-cost').textContent).toBe('75 requests'));
    // No clip can be sent yet: the chip says so instead of a cost, and the button is off.
    expect(view.getByTestId('stage-clips-cost').textContent).toBe('2 not ready');
    expect(view.getByTestId('stage-clips').hasAttribute('disabled')).toBe(true);
    expect(view.getByTestId('stage-music-cost').textContent).toBe('3,000 requests');
    await fireEvent.click(view.getByTestId('stage-keyframes'));
    await waitFor(() => expect(calls(backend, 'render_film_stage')).toHaveLength(1));
    expect(calls(backend, 'render_film_stage')[0]!.args).toMatchObject({ stage: 'keyframes', keyKind: 'plan' });
    // The new take shows as on its way, and the chip follows: nothing left to make.
    await waitFor(() => expect(cards(view)[2]!.dataset.keyframe).toBe('busy'));
    await waitFor(() => expect(view.getByTestId('stage-keyframes-cost').textContent).toBe('all made'));
  });

  it('says which slots a stage did not send, and why, in words', async () => {
    const { backend, view } = await openDemo();
    await waitFor(() => expect(view.getByTestId('stage-all-cost').textContent).toBe('3,093 requests'));
    await fireEvent.click(view.getByTestId('stage-all'));
    await waitFor(() => expect(calls(backend, 'render_film_stage')).toHaveLength(1));
    const blocked = await view.findByTestId('stage-blocked');
    expect([...blocked.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Shot 2 clip: make and choose its keyframe first',
      'Shot 3 clip: make and choose its keyframe first',
    ]);
  });

  it('over what the window holds, asks: queue, pay-as-you-go, or cancel', async () => {
    const { backend, view } = await openDemo((b) => {
      b.window = { ...b.window, quota: 4500, used: 4000, remaining: 500 };
      b.keys.payAsYouGo = { storage: 'file', keyType: 'payAsYouGo' };
    });
    await waitFor(() => expect(view.getByTestId('stage-music-cost').textContent).toBe('3,000 requests'));
    await fireEvent.click(view.getByTestId('stage-music'));
    await view.findByTestId('stage-cost-dialog');
    await fireEvent.click(view.getByTestId('stage-cost-cancel'));
    expect(calls(backend, 'render_film_stage')).toHaveLength(0);
    await fireEvent.click(view.getByTestId('stage-music'));
    await fireEvent.click(await view.findByTestId('stage-cost-payg'));
    await waitFor(() => expect(calls(backend, 'render_film_stage')).toHaveLength(1));
    expect(calls(backend, 'render_film_stage')[0]!.args).toMatchObject({ stage: 'music', keyKind: 'payAsYouGo' });
  });

  it('Ctrl+Enter makes what the selected shot needs next', async () => {
    const { backend, view } = await openDemo();
    const board = await view.findByTestId('storyboard');
    cards(view)[0]!.querySelector('button')!.focus();
    await fireEvent.keyDown(board, { key: 'End' });
    await waitFor(() => expect(cards(view)[2]!.classList.contains('selected')).toBe(true));
    await waitFor(() => expect(view.getByTestId('stage-selected-cost').textContent).toBe('75 requests'));
    await fireEvent.keyDown(board, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(calls(backend, 'render_film_stage')).toHaveLength(1));
    expect(calls(backend, 'render_film_stage')[0]!.args).toMatchObject({ stage: 'keyframes', options: { shots: [13] } });
  });

  it('a finished take refreshes the film and its budget; choosing a take is one edit', async () => {
    const { backend, view } = await openDemo();
    await fireEvent.click(await view.findByTestId('stage-keyframes'));
    await waitFor(() => expect(cards(view)[2]!.dataset.keyframe).toBe('busy'));
    const takeId = backend.films.get(1)!.shots[2]!.keyframes[0]!.id;
    await backend.finishTake(1, takeId, 'media/900-0.png');
    await waitFor(() => expect(cards(view)[2]!.dataset.keyframe).toBe('chosen'));
    await waitFor(() => expect(view.getByTestId('budget-keyframes').textContent).toContain('✓'));

    await fireEvent.click(cards(view)[0]!.querySelector('button')!);
    await view.findByTestId('shot-panel');
    backend.films.get(1)!.shots[0]!.keyframes.unshift({ id: 120, jobId: 120, ordinal: 0, state: 'succeeded', chosen: false, stale: false, relPath: 'media/120-0.png' });
    await backend.updateJob({ ...backend.jobs[0]!, id: 101, state: 'succeeded' });
    await waitFor(() => expect(view.getByTestId('keyframe-takes').querySelectorAll('[data-testid=take]')).toHaveLength(2));
    await fireEvent.click(view.getByTestId('take-choose'));
    await waitFor(() => expect(calls(backend, 'edit_film').at(-1)!.args).toMatchObject({ edit: { kind: 'chooseTake', takeId: 120 } }));
  });
});

describe('the animatic and the export', () => {
  it('renders the animatic and shows the player with the timeline', async () => {
    const { view } = await openDemo();
    await fireEvent.click(view.getByTestId('film-animatic'));
    const video = (await view.findByTestId('animatic-video')) as HTMLVideoElement;
    expect(video.getAttribute('src')).toContain('films/film-1-animatic.mp4');
    expect(view.getAllByTestId('timeline-shot')).toHaveLength(3);
  });

  it('says how to install ffmpeg when it is missing', async () => {
    const { view } = await openDemo((b) => {
      b.ffmpegMissing = { kind: 'internal', message: 'ffmpeg was not found (PATH): install ffmpeg 4.4 or newer' };
    });
    await fireEvent.click(view.getByTestId('film-export'));
    await view.findByTestId('ffmpeg-missing');
  });

  it('exports with the chosen options and says where the files are', async () => {
    const { backend, view } = await openDemo();
    await fireEvent.click(view.getByTestId('film-export'));
    await fireEvent.change(await view.findByTestId('film-export-subtitles'), { target: { value: 'burn' } });
    await fireEvent.input(view.getByTestId('film-export-dest'), { target: { value: '/home/ada/Videos/' } });
    await waitFor(() => expect(view.getByTestId('film-export-start').hasAttribute('disabled')).toBe(false));
    await fireEvent.click(view.getByTestId('film-export-start'));
    await view.findByTestId('film-export-done');
    expect(calls(backend, 'export_film')[0]!.args).toMatchObject({
      request: { resolution: '720p', subtitles: 'burn', edl: 'fcpxml', dest: '/home/ada/Videos/Paper Boat.mp4' },
    });
    expect(view.getByTestId('film-export-library-path').textContent).toBe('media/500-0.mp4');
  });
});

describe('deleting a film', () => {
  it('with takes on their way, asks what happens to them', async () => {
    const { backend, view } = await openDemo();
    await fireEvent.click(view.getByTestId('film-delete'));
    expect((await view.findByTestId('film-delete-running')).textContent).toContain('1 take is still being made');
    await fireEvent.click(view.getByTestId('film-delete-cancel-jobs'));
    await view.findByTestId('film-list-empty');
    expect(calls(backend, 'delete_film')[0]!.args).toEqual({ filmId: 1, cancelRunning: true });
  });
});

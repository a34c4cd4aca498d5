import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { PlayerStore, playerContext } from '$lib/player/player-store.svelte';
import { StudioStore, studioContext } from '$lib/studio/studio-store.svelte';
import { FakeBackend } from '../../test/fake-backend';
import { gridKey, sampleProblemPhrase, togglePicked, MAX_AUDITION_VOICES } from './voice-workspace';
import VoicesScreen from './VoicesScreen.svelte';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

async function renderVoices(setup: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend();
  backend.keys.plan = { storage: 'file', keyType: 'tokenPlan' };
  setup(backend);
  const studio = new StudioStore();
  stops.push(studio.start());
  await waitFor(() => expect(studio.keys).not.toBeNull());
  const player = new PlayerStore();
  stops.push(player.start());
  const context = new Map<symbol, unknown>([...studioContext(studio), ...playerContext(player)]);
  const view = render(VoicesScreen, { context });
  await waitFor(() => expect(view.getAllByTestId('voice-row').length).toBe(3));
  return { backend, view, studio, player };
}

const calls = (backend: FakeBackend, command: string) => backend.calls.filter((c) => c.command === command);

async function pick(view: Awaited<ReturnType<typeof renderVoices>>['view'], ...indices: number[]) {
  const boxes = view.getAllByTestId('voice-pick');
  for (const i of indices) await fireEvent.click(boxes[i]!);
}

describe('the voice workspace rules', () => {
  it('picks up to the limit, keys the grid and words a refused sample', () => {
    let picked: string[] = [];
    for (let i = 0; i < MAX_AUDITION_VOICES + 2; i++) picked = togglePicked(picked, `v${i}`);
    expect(picked).toHaveLength(MAX_AUDITION_VOICES);
    expect(togglePicked(picked, 'v0')).toHaveLength(MAX_AUDITION_VOICES - 1);
    expect(gridKey('ArrowDown', 2, 3)).toEqual({ kind: 'move', to: 2 });
    expect(gridKey('ArrowUp', 0, 3)).toEqual({ kind: 'move', to: 0 });
    expect(gridKey('3', 0, 3)).toEqual({ kind: 'move', to: 2 });
    expect(gridKey('4', 0, 3)).toEqual({ kind: 'none' });
    expect(gridKey(' ', 1, 3)).toEqual({ kind: 'play', at: 1 });
    expect(gridKey('x', 1, 3)).toEqual({ kind: 'switch' });
    expect(sampleProblemPhrase({ problem: 'tooShort', durationMs: 4_200 })).toEqual({ key: 'voices.sample.tooShort', params: { s: 4.2 } });
  });
});

describe('the Voices screen', () => {
  it('shows the total cost before the click, runs one batch, and replays a cached take for free', async () => {
    const { backend, view } = await renderVoices();
    await pick(view, 0, 1, 2);
    await fireEvent.input(view.getByTestId('audition-line'), { target: { value: 'The boat is leaving.' } });
    // 20 characters at Turbo: 6 requests a voice.
    await waitFor(() => expect(view.getByTestId('audition-cost').textContent).toContain('18 requests'));
    expect(calls(backend, 'run_audition')).toHaveLength(0);
    await fireEvent.click(view.getByTestId('audition-run'));
    await waitFor(() => expect(view.getAllByTestId('audition-take')).toHaveLength(3));
    expect(calls(backend, 'run_audition')).toHaveLength(1);
    expect((calls(backend, 'run_audition')[0]!.args!.voices as unknown[]).length).toBe(3);

    const first = backend.voices.auditions[0]!.takes[0]!.job.id;
    const done = backend.voices.finish(first);
    await backend.updateJob(done.job, done.media);
    // The same line in the same voice again: free, and shown as cached.
    await pick(view, 1, 2);
    await waitFor(() => expect(view.getByTestId('audition-cost').textContent).toContain('0 requests'));
    expect(view.getByTestId('audition-cost-line').textContent).toContain('1 take cached, free');
    await fireEvent.click(view.getByTestId('audition-run'));
    await waitFor(() => expect(view.getAllByTestId('audition-take')).toHaveLength(1));
    expect(view.getByTestId('take-cached').textContent).toBe('cached · free');
  });

  it('asks first when the audition is over budget', async () => {
    const { backend, view } = await renderVoices((b) => (b.window = { ...b.window, remaining: 5 }));
    await pick(view, 0, 1);
    await fireEvent.input(view.getByTestId('audition-line'), { target: { value: 'The boat is leaving.' } });
    await waitFor(() => expect(view.getByTestId('audition-cost').textContent).toContain('12 requests'));
    await fireEvent.click(view.getByTestId('audition-run'));
    await view.findByTestId('audition-cost-dialog');
    await fireEvent.click(view.getByTestId('audition-cost-cancel'));
    expect(calls(backend, 'run_audition')).toHaveLength(0);
    await fireEvent.click(view.getByTestId('audition-run'));
    await fireEvent.click(await view.findByTestId('audition-cost-queue'));
    await waitFor(() => expect(calls(backend, 'run_audition')).toHaveLength(1));
  });

  it('stars a voice for the shortlist and filters by it', async () => {
    const { backend, view } = await renderVoices();
    await fireEvent.click(view.getAllByTestId('voice-star')[1]!);
    await waitFor(() => expect(backend.voices.starred).toEqual(['English_Aussie_Bloke']));
    await fireEvent.click(view.getByTestId('voices-shortlist'));
    await waitFor(() => expect(view.getAllByTestId('voice-row')).toHaveLength(1));
    expect(view.getByTestId('voice-row').dataset.voice).toBe('English_Aussie_Bloke');
  });

  it('compares two takes through the player and switches with X; favourites a take; saves a preset', async () => {
    const { backend, view } = await renderVoices();
    await pick(view, 0, 1);
    await waitFor(() => expect((view.getByTestId('audition-run') as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(view.getByTestId('audition-run'));
    await waitFor(() => expect(view.getAllByTestId('audition-take')).toHaveLength(2));
    for (const take of backend.voices.auditions[0]!.takes) {
      const done = backend.voices.finish(take.job.id);
      await backend.updateJob(done.job, done.media);
    }
    await waitFor(() => expect(view.getAllByTestId('take-compare').every((b) => !(b as HTMLInputElement).disabled)).toBe(true));
    for (const box of view.getAllByTestId('take-compare')) await fireEvent.click(box);
    await fireEvent.click(view.getByTestId('compare-start'));
    await view.findByTestId('compare-bar');
    expect(calls(backend, 'compare_takes')[0]!.args!.mediaIds).toHaveLength(2);
    await fireEvent.keyDown(view.getByTestId('audition-rows'), { key: 'x' });
    await waitFor(() => expect(calls(backend, 'switch_compared_take')[0]!.args).toEqual({ active: 1 }));

    await fireEvent.click(view.getAllByTestId('take-star')[0]!);
    await waitFor(() => expect(backend.voices.starredTakes.size).toBe(1));

    await fireEvent.click(view.getAllByTestId('take-preset')[0]!);
    await fireEvent.input(view.getByTestId('preset-name'), { target: { value: 'Mara calm' } });
    await fireEvent.click(view.getByTestId('preset-save'));
    await waitFor(() => expect(backend.voices.presets.map((p) => p.name)).toEqual(['Mara calm']));
  });

  it('designs a voice: cost and expiry first, then it is listed under My voices', async () => {
    const { backend, view } = await renderVoices();
    await fireEvent.click(view.getByTestId('voices-tab-design'));
    await fireEvent.input(view.getByTestId('design-description'), { target: { value: 'A warm, low narrator' } });
    await fireEvent.input(view.getByTestId('design-name'), { target: { value: 'Night narrator' } });
    await waitFor(() => expect(view.getByTestId('design-cost').textContent).toContain('9 requests'));
    expect(view.getByTestId('design-cost-expires').textContent).toContain('unless a real synthesis uses it');
    expect(calls(backend, 'design_voice')).toHaveLength(0);
    await fireEvent.click(view.getByTestId('design-run'));
    await view.findByTestId('design-made');
    const voice = backend.voices.custom[0]!;
    const done = backend.voices.finish(voice.jobId!);
    await backend.updateJob(done.job, done.media);
    await fireEvent.click(view.getByTestId('voices-tab-mine'));
    await waitFor(() => expect(view.getByTestId('custom-status').textContent).toBe('Unused'));
    expect(view.getByTestId('custom-expires').textContent).toContain('unless used');
    await fireEvent.click(view.getByTestId('custom-keep'));
    await fireEvent.click(await view.findByTestId('custom-keep-confirm'));
    await waitFor(() => expect(view.getByTestId('custom-status').textContent).toBe('Kept'));
  });

  it('refuses a short clone sample with its reason, and clones only with consent', async () => {
    const { backend, view } = await renderVoices((b) => {
      b.voices.pickedSample = '/home/ada/short.wav';
      b.voices.samples.set('/home/ada/short.wav', {
        path: '/home/ada/short.wav',
        fileName: 'short.wav',
        sizeBytes: 100_000,
        decoded: { durationMs: 4_000, rmsDbfs: -20, voicedShare: 0.9 },
        problem: { problem: 'tooShort', durationMs: 4_000 },
      });
    });
    await fireEvent.click(view.getByTestId('voices-tab-clone'));
    await fireEvent.click(view.getByTestId('clone-pick'));
    expect((await view.findByTestId('clone-problem')).textContent).toContain('at least 10 seconds');
    expect((view.getByTestId('clone-run') as HTMLButtonElement).disabled).toBe(true);

    backend.voices.pickedSample = '/home/ada/me.wav';
    await fireEvent.click(view.getByTestId('clone-pick'));
    await view.findByTestId('clone-sample-ok');
    await fireEvent.input(view.getByTestId('clone-name'), { target: { value: 'Me' } });
    await waitFor(() => expect(view.getByTestId('clone-cost')).toBeTruthy());
    expect((view.getByTestId('clone-run') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(view.getByTestId('clone-consent'));
    await waitFor(() => expect((view.getByTestId('clone-run') as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(view.getByTestId('clone-run'));
    await view.findByTestId('clone-made');
    expect(calls(backend, 'upload_voice_sample')[0]!.args).toEqual({ path: '/home/ada/me.wav' });
    expect((calls(backend, 'clone_voice')[0]!.args!.ask as { sampleId: number; consent: boolean })).toMatchObject({ sampleId: 7, consent: true });
  });
});

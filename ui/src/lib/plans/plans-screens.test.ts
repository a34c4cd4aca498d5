// Issue 17 as the user meets it: the gauge's weekly row, percent marked as an estimate and spend from
// elsewhere; a model the plan lacks disabled with the reason before the click; MiniMax-H3 in the Video
// composer; music only where the key has it; recovering a paid video task by id.
import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { PlayerStore, playerContext } from '$lib/player/player-store.svelte';
import { StudioStore, studioContext } from '$lib/studio/studio-store.svelte';
import { FakeBackend } from '../../test/fake-backend';
import { mPlanView } from '../../test/quota-views';
import QuotaGauge from '../../frame/QuotaGauge.svelte';
import JobsScreen from '../../features/jobs/JobsScreen.svelte';
import MusicScreen from '../../features/music/MusicScreen.svelte';
import VideoScreen from '../../features/video/VideoScreen.svelte';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

async function renderWith(component: typeof QuotaGauge, setup: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend();
  backend.keys.plan = { storage: 'file', keyType: 'tokenPlan' };
  setup(backend);
  const studio = new StudioStore();
  stops.push(studio.start());
  await waitFor(() => expect(studio.keys).not.toBeNull());
  await waitFor(() => expect(studio.plans.catalog).not.toBeNull());
  await waitFor(() => expect(studio.plans.view).not.toBeNull());
  const context = new Map<symbol, unknown>([...studioContext(studio), ...playerContext(new PlayerStore())]);
  const view = render(component, { context });
  return { backend, view, studio };
}

describe('the quota gauge', () => {
  it('speaks requests on the Token Plan, as before', async () => {
    const { view } = await renderWith(QuotaGauge, (b) => (b.window = { ...b.window, used: 1260, remaining: 3240 }));
    expect((await view.findByTestId('quota-numbers')).textContent).toContain('3,240 / 4,500');
    expect(view.queryByTestId('quota-weekly')).toBeNull();
    expect(view.queryByTestId('quota-elsewhere')).toBeNull();
  });

  it('shows the M Plan in percent with the estimate marked, a weekly row and spend from elsewhere', async () => {
    const { view } = await renderWith(QuotaGauge, (b) => (b.quotaView = mPlanView()));
    await waitFor(() => expect(view.getByTestId('quota-numbers').textContent).toBe('≈75% left'));
    expect(view.getByTestId('quota-gauge').dataset.unit).toBe('percent');
    expect(view.getByTestId('quota-estimate').textContent).toBe('estimate');
    expect(view.getByTestId('quota-weekly-numbers').textContent).toBe('40% left');
    const elsewhere = view.getByTestId('quota-elsewhere');
    expect(elsewhere.textContent).toBe('Spend from elsewhere detected');
    expect(elsewhere.title).toContain('≈15% more in the weekly window');
  });

  it('follows the quota view event', async () => {
    const { view, backend } = await renderWith(QuotaGauge);
    await view.findByTestId('quota-numbers');
    await backend.changeQuotaView(mPlanView());
    await waitFor(() => expect(view.getByTestId('quota-weekly')).toBeTruthy());
  });
});

describe('the Video composer', () => {
  it('offers MiniMax-H3 first with 768P/2K, 4–15 s and a ratio; Hailuo is labelled older', async () => {
    const { view } = await renderWith(VideoScreen as typeof QuotaGauge);
    const model = (await view.findByTestId('video-model')) as HTMLSelectElement;
    await waitFor(() => expect(model.value).toBe('MiniMax-H3'));
    const resolutions = [...(view.getByTestId('video-resolution') as HTMLSelectElement).options].map((o) => o.value);
    expect(resolutions).toEqual(['768P', '2K']);
    const durations = [...(view.getByTestId('video-duration') as HTMLSelectElement).options].map((o) => Number(o.value));
    expect([durations[0], durations.at(-1)]).toEqual([4, 15]);
    expect(view.getByTestId('video-ratio')).toBeTruthy();
    expect((view.getByTestId('video-generate-audio') as HTMLInputElement).checked).toBe(true);
    expect(model.querySelector('optgroup')?.label).toBe('Older models');
  });

  it('disables a model the plan lacks, with the reason, before the click', async () => {
    const { view } = await renderWith(VideoScreen as typeof QuotaGauge, (b) => (b.quotaView = mPlanView()));
    const model = (await view.findByTestId('video-model')) as HTMLSelectElement;
    await waitFor(() => {
      const hailuo = [...model.options].find((o) => o.value === 'MiniMax-Hailuo-02')!;
      expect(hailuo.disabled).toBe(true);
      expect(hailuo.textContent).toContain('not in your plan');
      expect(hailuo.title).toBe('MiniMax lists this model as not in your plan');
    });
    const h3 = [...model.options].find((o) => o.value === 'MiniMax-H3')!;
    expect(h3.disabled).toBe(false);
  });
});

describe('H3 reference videos and audios', () => {
  const estimates = (backend: FakeBackend) => backend.calls.filter((c) => c.command === 'estimate_cost');

  it('adds a measured video and audio, sends them in the request, and says what MiniMax would refuse', async () => {
    const { view, backend } = await renderWith(VideoScreen as typeof QuotaGauge);
    await waitFor(() => expect((view.getByTestId('video-model') as HTMLSelectElement).value).toBe('MiniMax-H3'));
    await fireEvent.click(await view.findByTestId('video-mode-reference'));
    await fireEvent.input(view.getByTestId('video-prompt'), { target: { value: 'The hero walks as in video 1' } });

    // An audio alone is not enough: MiniMax needs an image or a video beside it.
    backend.pickedReference = '/home/me/Voice take.wav';
    backend.referenceDurationMs = 3_000;
    await fireEvent.click(view.getByTestId('video-reference-audios-choose'));
    await waitFor(() => expect(view.getAllByTestId('video-reference-audios-clip')).toHaveLength(1));
    expect(view.getByTestId('video-reference-audios-clip').textContent).toContain('Voice take.wav');
    expect(view.getByTestId('video-reference-audios-clip').textContent).toContain('3 s');
    expect(view.getByText('A reference audio needs a reference image or video beside it.')).toBeTruthy();

    backend.pickedReference = '/home/me/walk.mp4';
    backend.referenceDurationMs = 4_200;
    await fireEvent.click(view.getByTestId('video-reference-videos-choose'));
    await waitFor(() => expect(view.getAllByTestId('video-reference-videos-clip')).toHaveLength(1));
    expect(view.getByTestId('video-reference-videos').textContent).toContain('Reference videos (1 of 3; 4.2 of 15 s)');
    expect(view.queryByText('A reference audio needs a reference image or video beside it.')).toBeNull();
    expect(backend.calls.filter((c) => c.command === 'import_reference_file').at(-1)?.args).toEqual({
      kind: 'video',
      path: '/home/me/walk.mp4',
    });
    await waitFor(() => {
      const request = estimates(backend).at(-1)?.args?.request as Record<string, unknown> | undefined;
      expect(request?.referenceVideos).toEqual([{ path: 'inputs/1-walk.mp4', durationMs: 4200 }]);
      expect(request?.referenceAudios).toEqual([{ path: 'inputs/1-Voice take.wav', durationMs: 3000 }]);
      expect(request?.referenceImages).toBeUndefined();
    });

    // Three more seconds of video than MiniMax takes: said before the click.
    backend.pickedReference = '/home/me/long.mov';
    backend.referenceDurationMs = 12_000;
    await fireEvent.click(view.getByTestId('video-reference-videos-choose'));
    await waitFor(() => expect(view.getByText(/16\.2 s of clips: MiniMax takes at most 15 s/)).toBeTruthy());

    // A file of the wrong kind: the backend's reason, and nothing added.
    backend.pickedReference = '/home/me/notes.txt';
    await fireEvent.click(view.getByTestId('video-reference-audios-choose'));
    expect((await view.findByTestId('video-reference-audios-error')).textContent).toContain('is not WAV or MP3');
    expect(view.getAllByTestId('video-reference-audios-clip')).toHaveLength(1);
  });
});

describe('the Music composer', () => {
  it('is live where the key has music', async () => {
    const { view } = await renderWith(MusicScreen as typeof QuotaGauge);
    await view.findByTestId('music-prompt');
    expect(view.queryByTestId('music-access')).toBeNull();
  });

  it('explains why when MiniMax refused music for the key, instead of the form', async () => {
    const { view } = await renderWith(MusicScreen as typeof QuotaGauge, (b) => {
      b.music = { state: 'unavailable', reason: 'your plan does not include this model (2061)' };
    });
    const panel = await view.findByTestId('music-access');
    expect(panel.dataset.state).toBe('unavailable');
    expect(view.getByTestId('music-access-reason').textContent).toContain('(2061)');
    expect(view.queryByTestId('music-prompt')).toBeNull();
  });

  it('offers the cheap probe while access is unknown', async () => {
    const { view, backend } = await renderWith(MusicScreen as typeof QuotaGauge, (b) => (b.music = { state: 'unknown' }));
    await fireEvent.click(await view.findByTestId('music-access-check'));
    await waitFor(() => expect(backend.calls.some((c) => c.command === 'probe_music_access')).toBe(true));
    await waitFor(() => expect(view.getByTestId('music-access-check').textContent).toContain('Checking'));
  });
});

describe('recovering paid video tasks', () => {
  it('offers the tasks the library does not know and recovers one by id', async () => {
    const { view, backend, studio } = await renderWith(JobsScreen as typeof QuotaGauge, (b) => {
      b.unknownTasks = [{ id: 'task-h3-7', model: 'MiniMax-H3', status: 'succeeded', resolution: '768P', durationS: 6 }];
    });
    const offer = await view.findByTestId('unknown-tasks');
    expect(offer.textContent).toContain('MiniMax holds a paid video the library does not know');
    await fireEvent.click(view.getByTestId('import-task'));
    await waitFor(() => expect(view.queryByTestId('unknown-tasks')).toBeNull());
    expect(backend.calls.find((c) => c.command === 'recover_video_task')?.args).toEqual({ taskId: 'task-h3-7' });

    await fireEvent.input(view.getByTestId('recover-task-id'), { target: { value: '  task-other  ' } });
    await fireEvent.click(view.getByTestId('recover-submit'));
    await view.findByTestId('recover-done');
    expect(backend.calls.filter((c) => c.command === 'recover_video_task').map((c) => c.args)).toEqual([
      { taskId: 'task-h3-7' },
      { taskId: 'task-other' },
    ]);
    expect(studio.jobs.some((j) => j.remoteTaskId === 'task-other')).toBe(true);
  });
});

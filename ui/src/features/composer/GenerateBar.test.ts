import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore, settingsStoreContext } from '$lib/settings/settings-store.svelte';
import { imageDraft, videoDraft } from '$lib/studio/drafts.svelte';
import { StudioStore, studioContext } from '$lib/studio/studio-store.svelte';
import { FakeBackend } from '../../test/fake-backend';
import ImageScreen from '../image/ImageScreen.svelte';
import VideoScreen from '../video/VideoScreen.svelte';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

async function renderScreen(screen: typeof ImageScreen, setup: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend();
  backend.keys.plan = { storage: 'file', keyType: 'tokenPlan' };
  setup(backend);
  const settings = new SettingsStore();
  await settings.load();
  const studio = new StudioStore();
  stops.push(studio.start());
  await waitFor(() => expect(studio.keys).not.toBeNull());
  const context = new Map<symbol, unknown>([...settingsStoreContext(settings), ...studioContext(studio)]);
  const view = render(screen, { context });
  return { backend, view, studio };
}

const submits = (backend: FakeBackend) => backend.calls.filter((c) => c.command === 'submit_job');

describe('the cost before the click', () => {
  it('shows the cost as the form changes and submits with Ctrl+Enter', async () => {
    Object.assign(imageDraft, { prompt: '', count: 1 });
    const { backend, view } = await renderScreen(ImageScreen);
    expect(view.getByTestId('generate').hasAttribute('disabled')).toBe(true);
    await fireEvent.input(view.getByTestId('image-prompt'), { target: { value: 'A lighthouse at dawn' } });
    await waitFor(() => expect(view.getByTestId('generate-cost').textContent).toBe('75 requests'));
    await fireEvent.change(view.getByTestId('image-count'), { target: { value: '4' } });
    await waitFor(() => expect(view.getByTestId('generate-cost').textContent).toBe('300 requests'));
    expect(view.getByTestId('generate-line').textContent).toContain('Leaves 4,200 of 4,500');

    await fireEvent.keyDown(view.getByTestId('image-prompt'), { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(submits(backend)).toHaveLength(1));
    expect(submits(backend)[0]!.args).toMatchObject({ keyKind: 'plan', request: { kind: 'image', count: 4 } });
    await view.findByTestId('job-card');
  });

  it('over budget: queue, run on pay-as-you-go, or cancel', async () => {
    Object.assign(imageDraft, { prompt: 'A lighthouse', count: 2 });
    const { backend, view } = await renderScreen(ImageScreen, (b) => {
      b.window = { ...b.window, used: 4450, remaining: 50 };
      b.keys.payAsYouGo = { storage: 'file', keyType: 'payAsYouGo' };
    });
    await waitFor(() => expect(view.getByTestId('generate').textContent).toContain('Queue until'));

    await fireEvent.click(view.getByTestId('generate'));
    await view.findByTestId('over-budget-dialog');
    await fireEvent.click(view.getByTestId('over-budget-cancel'));
    expect(view.queryByTestId('over-budget-dialog')).toBeNull();
    expect(submits(backend)).toHaveLength(0);

    await fireEvent.click(view.getByTestId('generate'));
    await fireEvent.click(await view.findByTestId('over-budget-queue'));
    await waitFor(() => expect(submits(backend)).toHaveLength(1));
    expect(submits(backend)[0]!.args!.keyKind).toBe('plan');
    await waitFor(() => expect(view.getByTestId('job-state').dataset.state).toBe('waitingForQuota'));

    await fireEvent.click(view.getByTestId('generate'));
    await fireEvent.click(await view.findByTestId('over-budget-payg'));
    await waitFor(() => expect(submits(backend)).toHaveLength(2));
    expect(submits(backend)[1]!.args!.keyKind).toBe('payAsYouGo');
  });

  it('the pay-as-you-go path needs a key', async () => {
    Object.assign(imageDraft, { prompt: 'A lighthouse', count: 1 });
    const { view } = await renderScreen(ImageScreen, (b) => {
      b.window = { ...b.window, used: 4450, remaining: 50 };
    });
    await waitFor(() => expect(view.getByTestId('generate').textContent).toContain('Queue until'));
    await fireEvent.click(view.getByTestId('generate'));
    await view.findByTestId('over-budget-dialog');
    expect(view.getByTestId('over-budget-payg').hasAttribute('disabled')).toBe(true);
  });

  it('an unknown cost needs an explicit confirmation', async () => {
    Object.assign(videoDraft, { mode: 'text', model: 'MiniMax-Hailuo-2.3', prompt: 'A boat', resolution: '1080P', durationS: 6 });
    const { backend, view } = await renderScreen(VideoScreen);
    await waitFor(() => expect(view.getByTestId('generate-cost').textContent).toBe('Cost unknown'));
    await fireEvent.click(view.getByTestId('generate'));
    await view.findByTestId('unknown-cost-dialog');
    expect(submits(backend)).toHaveLength(0);
    await fireEvent.click(view.getByTestId('unknown-cost-confirm'));
    await waitFor(() => expect(submits(backend)).toHaveLength(1));
  });

  it('a click right after a change is costed for the changed form, not the shown estimate', async () => {
    Object.assign(videoDraft, { mode: 'text', model: 'MiniMax-Hailuo-2.3', prompt: 'A boat', resolution: '1080P', durationS: 6 });
    const { backend, view } = await renderScreen(VideoScreen);
    await waitFor(() => expect(view.getByTestId('generate-cost').textContent).toBe('Cost unknown'));
    // Back to a priced resolution and Generate before the re-estimate (debounced) has answered.
    await fireEvent.change(view.getByTestId('video-resolution'), { target: { value: '768P' } });
    await fireEvent.click(view.getByTestId('generate'));
    await waitFor(() => expect(submits(backend)).toHaveLength(1));
    expect(view.queryByTestId('unknown-cost-dialog')).toBeNull();
    expect(submits(backend)[0]!.args).toMatchObject({ request: { kind: 'video', resolution: '768P' } });
  });
  it('clicks while the click is being costed send once', async () => {
    Object.assign(videoDraft, { mode: 'text', model: 'MiniMax-Hailuo-2.3', prompt: 'A boat', resolution: '768P', durationS: 6 });
    const { backend, view } = await renderScreen(VideoScreen);
    await waitFor(() => expect(view.getByTestId('generate-cost').textContent).toBe('4,500 requests'));
    // A changed form: the click must be costed afresh, and that estimate is held back for a while.
    const release = backend.hold('estimate_cost');
    await fireEvent.change(view.getByTestId('video-duration'), { target: { value: '10' } });
    await fireEvent.click(view.getByTestId('generate'));
    await fireEvent.click(view.getByTestId('generate'));
    await fireEvent.keyDown(view.getByTestId('video-prompt'), { key: 'Enter', ctrlKey: true });
    release();
    await waitFor(() => expect(submits(backend)).toHaveLength(1));
    expect(submits(backend)[0]!.args).toMatchObject({ request: { kind: 'video', durationS: 10 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(submits(backend)).toHaveLength(1);
  });
});

/** Typing then leaving the field, as a user does: `input` updates the draft, `change` commits it. */
async function paste(field: HTMLElement, value: string) {
  await fireEvent.input(field, { target: { value } });
  await fireEvent.change(field);
}

describe('input images from outside the library', () => {
  it('imports a picked or pasted file into the library and sends its library path', async () => {
    Object.assign(imageDraft, { prompt: 'A portrait in the rain', count: 1, model: 'image-01', subjectReference: undefined });
    const { backend, view } = await renderScreen(ImageScreen, (b) => (b.pickedImage = '/home/ada/Pictures/me.png'));
    await fireEvent.click(view.getByTestId('image-subject-choose'));
    await waitFor(() => view.getByTestId('image-subject-imported'));
    expect(view.getByTestId('image-subject-imported').textContent?.trim()).toBe('me.png');
    expect(backend.calls.find((c) => c.command === 'import_input_image_file')?.args).toEqual({
      path: '/home/ada/Pictures/me.png',
    });

    // A pasted path that is not an image says why and keeps the chosen one.
    await paste(view.getByTestId('image-subject-url'), '/tmp/notes.txt');
    expect((await view.findByTestId('image-subject-error')).textContent).toContain('not a PNG, JPEG or WebP');
    view.getByTestId('image-subject-imported');

    await fireEvent.click(view.getByTestId('generate'));
    await waitFor(() => expect(submits(backend)).toHaveLength(1));
    expect(submits(backend)[0]!.args).toMatchObject({
      request: { kind: 'image', subjectReference: { source: 'file', path: 'inputs/1-me.png' } },
    });
  });

  it('keeps an https:// URL as a URL', async () => {
    Object.assign(imageDraft, { prompt: 'A portrait', count: 1, model: 'image-01', subjectReference: undefined });
    const { backend, view } = await renderScreen(ImageScreen);
    await paste(view.getByTestId('image-subject-url'), 'https://example.com/me.jpg');
    await fireEvent.click(view.getByTestId('generate'));
    await waitFor(() => expect(submits(backend)).toHaveLength(1));
    expect(backend.calls.some((c) => c.command === 'import_input_image_file')).toBe(false);
    expect(submits(backend)[0]!.args).toMatchObject({
      request: { subjectReference: { source: 'url', url: 'https://example.com/me.jpg' } },
    });
  });
});

import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StudioStore, studioContext } from '$lib/studio/studio-store.svelte';
import { FakeBackend } from '../../test/fake-backend';
import { mPlanView } from '../../test/quota-views';
import SpendScreen from './SpendScreen.svelte';

// jsdom has no canvas: stand in for uPlot and record what each chart was given.
type LegendValue = (u: unknown, v: number | null, series: number, idx: number | null) => string;
const charts: { series: number; points: number; data: unknown[][]; labels: string[]; values: (LegendValue | undefined)[] }[] = [];
vi.mock('uplot', () => {
  class FakePlot {
    constructor(options: { series: { label?: string; value?: LegendValue }[] }, data: unknown[][]) {
      charts.push({
        series: options.series.length,
        points: data[0]?.length ?? 0,
        data,
        labels: options.series.map((s) => s.label ?? ''),
        values: options.series.map((s) => s.value),
      });
    }
    setSize() {}
    destroy() {}
    static paths = { bars: () => () => null };
  }
  return { default: FakePlot };
});

vi.stubGlobal(
  'ResizeObserver',
  class {
    observe() {}
    disconnect() {}
  },
);

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
  charts.length = 0;
});

function renderSpend(setup: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend();
  setup(backend);
  const now = Date.now();
  backend.spend = [
    { id: 1, modality: 'speech', model: 'speech-2.8-hd', keyKind: 'plan', requests: 30, units: 1, atMs: now - 86_400_000, cumulativeRequests: 30, basis: 'billed' },
    { id: 2, modality: 'video', model: 'MiniMax-Hailuo-2.3', keyKind: 'plan', requests: 4500, units: 1, atMs: now - 3_600_000, cumulativeRequests: 4530, basis: 'billed' },
    { id: 3, modality: 'image', model: 'image-01', keyKind: 'payAsYouGo', requests: 50, units: 1, atMs: now, cumulativeRequests: 50, basis: 'billed' },
  ];
  const studio = new StudioStore();
  stops.push(studio.start());
  const view = render(SpendScreen, { context: new Map(studioContext(studio)) });
  return { backend, view };
}

describe('SpendScreen', () => {
  it('draws both charts and lists the ledger, newest first', async () => {
    const { view } = renderSpend();
    await waitFor(() => expect(view.getAllByTestId('spend-ledger-row')).toHaveLength(3));
    await waitFor(() => expect(charts.length).toBeGreaterThanOrEqual(2));
    expect(view.getAllByTestId('spend-ledger-row')[0]?.textContent).toContain('image-01');
    expect(view.getByTestId('spend-period-total').textContent).toContain('4,580');
  });

  it('fills the legends before the cursor is on a chart: the period totals, the window now', async () => {
    const { view } = renderSpend();
    await waitFor(() => expect(view.getAllByTestId('spend-ledger-row')).toHaveLength(3));
    const legend = (chart: (typeof charts)[number]) => chart.values.map((value, i) => value?.(null, null, i, null));
    const daily = [...charts].reverse().find((c) => c.labels[0] === 'Day')!;
    expect(legend(daily)[0]).toBe('30 days');
    // Every group shows its total, none an empty value.
    expect(legend(daily).slice(1).every((v) => v !== undefined && v !== '')).toBe(true);
    expect(legend(daily).slice(1)).toContain('4,500');
    const window = [...charts].reverse().find((c) => c.labels[0] === 'Time')!;
    expect(legend(window)[0]).toBe('Now');
    expect(legend(window).slice(1).every((v) => v !== undefined && v !== '')).toBe(true);
  });

  it('filters the ledger and exports it', async () => {
    const { view } = renderSpend();
    await waitFor(() => expect(view.getAllByTestId('spend-ledger-row')).toHaveLength(3));
    await fireEvent.change(view.getByTestId('spend-filter-key'), { target: { value: 'payAsYouGo' } });
    await waitFor(() => expect(view.getAllByTestId('spend-ledger-row')).toHaveLength(1));
    await fireEvent.click(view.getByTestId('spend-export-csv'));
    await waitFor(() => expect(view.getByTestId('spend-exported').textContent).toContain('/data/exports/spend.csv'));
  });

  it('points out where MiniMax counts differently', async () => {
    const { view } = renderSpend();
    await fireEvent.click(view.getByTestId('spend-compare'));
    await waitFor(() => expect(view.getByTestId('spend-server-row').className).toContain('disagree'));
  });

  it('corrects the window to MiniMax’s count and says what it added', async () => {
    const { backend, view } = renderSpend();
    await fireEvent.click(view.getByTestId('spend-compare'));
    await waitFor(() => expect(view.getByTestId('spend-server-row').className).toContain('disagree'));
    await fireEvent.click(view.getByTestId('spend-correct'));
    await waitFor(() => expect(view.getByTestId('spend-correction').textContent).toContain('Added 850 requests'));
    expect(view.getByTestId('spend-correction').dataset.outcome).toBe('corrected');
    expect(view.getByTestId('spend-server-row').className).not.toContain('disagree');
    expect(backend.calls.filter((c) => c.command === 'apply_server_correction')).toHaveLength(1);
  });

  it('says why it cannot correct a plan that reports shares only', async () => {
    const { backend, view } = renderSpend();
    backend.correction = {
      outcome: 'cannotTell',
      addedRequests: 0,
      localUsed: 50,
      reason: 'MiniMax reports bucket general as a share, without request counts',
      rows: [],
    };
    await fireEvent.click(view.getByTestId('spend-correct'));
    await waitFor(() => expect(view.getByTestId('spend-correction').textContent).toContain('as a share'));
    expect(view.getByTestId('spend-correction').dataset.outcome).toBe('cannotTell');
  });

  it('speaks requests on the Token Plan: one window, request counts in the charts', async () => {
    const { view } = renderSpend((b) => (b.window = { ...b.window, used: 1260, remaining: 3240 }));
    await waitFor(() => expect(view.getByTestId('spend-window-left').textContent).toBe('3,240 / 4,500 left'));
    expect(view.getByTestId('spend-window').textContent).toContain('1,260 requests used');
    expect(view.queryByTestId('spend-window-weekly')).toBeNull();
    expect(view.queryByTestId('spend-window-estimate')).toBeNull();
    await waitFor(() => expect(charts.find((c) => c.series === 3)).toBeDefined());
    // The quota line sits at the window's size in requests.
    expect(charts.find((c) => c.series === 3)!.data[2]).toEqual([4500, 4500]);
  });

  it('speaks percent of each window on the M Plan, with the weekly window beside the 5-hour one', async () => {
    const { view } = renderSpend((b) => (b.quotaView = mPlanView()));
    await waitFor(() => expect(view.getByTestId('spend-window-weekly')).toBeTruthy());
    const five = view.getByTestId('spend-window');
    expect(five.textContent).toContain('≈75% left');
    expect(five.textContent).toContain('≈25% used');
    // The 5-hour figure is the app's conversion: marked; the weekly one is MiniMax's own: not.
    expect(view.getByTestId('spend-window-estimate').closest('[data-testid="spend-window"]')).toBe(five);
    const weekly = view.getByTestId('spend-window-weekly');
    expect(weekly.textContent).toContain('The weekly window now');
    expect(weekly.textContent).toContain('40% left');
    expect(weekly.textContent).toContain('60% used');
    expect(weekly.textContent).not.toContain('≈');
    expect(weekly.textContent).not.toContain('request');
    // 4,580 request-equivalents in the period, as a share of the weekly window's 10,000.
    const total = view.getByTestId('spend-period-total');
    await waitFor(() => expect(total.textContent).toContain('≈46%'));
    expect(total.textContent).toContain('Spend in the last 30 days');
    expect(total.textContent).not.toContain('4,580');
    expect(view.getByText('The 5-hour window over time (≈ share of the window)')).toBeTruthy();
    // The window chart is drawn again in the new unit: the last one drawn counts.
    const windowChart = () => [...charts].reverse().find((c) => c.series === 3);
    await waitFor(() => expect(windowChart()?.data[2]).toEqual([100, 100]));
    expect(windowChart()!.data[1]).toEqual([0, 0.5]);
    expect(windowChart()!.labels[2]).toBe('The window (100%)');
  });

  it('lists plan spend as shares of the binding window on the M Plan; pay-as-you-go stays in requests', async () => {
    const { view } = renderSpend((b) => (b.quotaView = mPlanView()));
    await waitFor(() => expect(view.getByText('Share of the plan')).toBeTruthy());
    await waitFor(() => expect(view.getAllByTestId('spend-ledger-row')).toHaveLength(3));
    const [payg, video, speech] = view.getAllByTestId('spend-ledger-row').map((r) => r.textContent ?? '');
    expect(payg).toContain('50');
    expect(payg).not.toContain('%');
    // 4,500 of the weekly window's 10,000 (video counts only there); 30 of the 5-hour window's 10,000.
    expect(video).toContain('≈45% of the week');
    expect(speech).toContain('≈0.3% of 5 h');
  });

  it('switches units live when the quota view changes', async () => {
    const { view, backend } = renderSpend();
    await waitFor(() => expect(view.getByTestId('spend-window-left').textContent).toContain('/ 4,500 left'));
    await backend.changeQuotaView(mPlanView());
    await waitFor(() => expect(view.getByTestId('spend-window-weekly')).toBeTruthy());
    expect(view.getByTestId('spend-window').textContent).toContain('≈75% left');
  });
});

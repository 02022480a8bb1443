// First: the time zone, and what uPlot needs to run in jsdom.
import '../../test/uplotInJsdom';
import uPlot from 'uplot';
import { afterEach, describe, expect, it } from 'vitest';
import { buildOptions } from './SpeedChart';
import { formatClock, toChartData, type ChartData, type SpeedSample } from './series';

/**
 * The real uPlot with SpeedChart's options: the scales it ends up with, and the time labels
 * it prints on the first frame — where the two bugs were.
 */

const labels = { time: 'Heure', dl: 'Réception', up: 'Envoi' };
// 7 December 2026, 13:05:30 in Paris (winter time, UTC+1).
const T = Date.UTC(2026, 11, 7, 12, 5, 30) / 1000;
const plots: uPlot[] = [];

function draw(data: ChartData, windowSec = 600) {
  const el = document.createElement('div');
  document.body.append(el);
  const u = new uPlot(buildOptions(600, 200, windowSec, labels, false, '#444'), data, el);
  plots.push(u);
  return u;
}

/** uPlot commits on a microtask. */
const frame = () => new Promise((r) => setTimeout(r, 0));

/** The time labels uPlot printed under the chart. */
const timeLabels = (u: uPlot) => (u.axes[0] as unknown as { _values: string[] })._values;

afterEach(() => {
  for (const u of plots.splice(0)) u.destroy();
  document.body.innerHTML = '';
});

describe('SpeedChart time axis', () => {
  it('runs in Paris time here (the test itself)', () => {
    expect(formatClock(T, true)).toBe('13:05:30');
  });

  it('ends at the only sample, in the browser time zone, from the first frame', async () => {
    // An idle torrent's history: one sample (or the first live one on an empty history).
    const u = draw(toChartData([[T, 2048, 0]]));
    await frame();
    expect([u.scales.x.min, u.scales.x.max]).toEqual([T - 600, T]);
    // Ticks every 2 minutes over 12:55:30 → 13:05:30.
    expect(timeLabels(u)).toEqual(['12:56', '12:58', '13:00', '13:02', '13:04']);
  });

  it('ends now without any sample, then at the first one', async () => {
    const u = draw([[], [], []]);
    await frame();
    const now = Date.now() / 1000;
    expect(u.scales.x.max!).toBeGreaterThan(now - 5);
    expect(u.scales.x.max!).toBeLessThanOrEqual(now + 1);
    u.setData(toChartData([[T, 0, 0]]));
    await frame();
    expect([u.scales.x.min, u.scales.x.max]).toEqual([T - 600, T]);
    expect(timeLabels(u)).toEqual(['12:56', '12:58', '13:00', '13:02', '13:04']);
  });
});

describe('SpeedChart speed axis', () => {
  const MO = 1024 ** 2;
  /** `n` samples a second apart ending at `end`: 20 Mo/s for the first `burst`, then 1 Mo/s. */
  const withBurst = (n: number, end: number, burst: number): SpeedSample[] =>
    Array.from({ length: n }, (_, i) => [end - n + 1 + i, i < burst ? 20 * MO : MO, 0.2 * MO] as const);

  it('scales to the points in view, not to a burst that scrolled out of the window', async () => {
    // 15 minutes of history, the start-up burst in the first minute: out of the last 10.
    const u = draw(toChartData(withBurst(900, T, 60)));
    await frame();
    expect(u.scales.y.max).toBeCloseTo(1.1 * MO);
  });

  it('follows the window as live samples push the burst out', async () => {
    let samples = withBurst(600, T, 30);
    const u = draw(toChartData(samples));
    await frame();
    expect(u.scales.y.max).toBeCloseTo(22 * MO);
    // 31 more: the last burst second (T - 570) leaves the window's left edge.
    for (let i = 1; i <= 31; i++) samples = [...samples, [T + i, MO, 0] as const];
    u.setData(toChartData(samples));
    await frame();
    expect(u.scales.y.max).toBeCloseTo(1.1 * MO);
  });

  it('keeps a floor of 10 Ko/s when nothing moves', async () => {
    const u = draw(toChartData([[T - 1, 0, 0], [T, 0, 0]]));
    await frame();
    expect([u.scales.y.min, u.scales.y.max]).toEqual([0, 10 * 1024]);
  });
});

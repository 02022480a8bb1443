/**
 * Pure parts of the speed charts (no React, no uPlot): the server's samples,
 * the live window, and what uPlot draws. Tested in series.test.ts.
 */

/** `[t, dl, up]`: Unix seconds, then bytes per second down and up (as the server sends them). */
export type SpeedSample = readonly [t: number, dl: number, up: number];

export type SpeedRange = '10m' | '1h' | '24h';

export const SPEED_RANGES: readonly SpeedRange[] = ['10m', '1h', '24h'];

/** How much time each range shows. */
export const RANGE_SECONDS: Record<SpeedRange, number> = { '10m': 600, '1h': 3600, '24h': 86_400 };

/** The server's step for each range (seconds between two samples), when it does not say. */
export const RANGE_STEP: Record<SpeedRange, number> = { '10m': 1, '1h': 10, '24h': 240 };

/** The live window: the last 10 minutes. */
export const LIVE_WINDOW = RANGE_SECONDS['10m'];

/** What uPlot draws: times, then download and upload (null = a gap in the line). */
export type ChartData = [t: number[], dl: (number | null)[], up: (number | null)[]];

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const speed = (v: number) => Math.max(0, v);

/** The server's `samples` array: well-formed entries only, in time order, one per second at most. */
export function parseSamples(raw: unknown): SpeedSample[] {
  if (!Array.isArray(raw)) return [];
  const out: SpeedSample[] = [];
  for (const s of raw) {
    if (!Array.isArray(s) || s.length < 3 || !finite(s[0]) || !finite(s[1]) || !finite(s[2])) continue;
    out.push([s[0], speed(s[1]), speed(s[2])]);
  }
  out.sort((a, b) => a[0] - b[0]);
  // Same second twice: the later entry wins.
  return out.filter((s, i) => i === out.length - 1 || out[i + 1]![0] !== s[0]);
}

/** A `{"type":"speed","t","dl","up"}` WebSocket frame as a sample; null for any other frame. */
export function parseSpeedFrame(data: unknown): SpeedSample | null {
  // Cheap test first: every frame of the socket goes through here.
  if (typeof data !== 'string' || !data.includes('speed')) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const f = raw as Record<string, unknown>;
  if (f.type !== 'speed' || !finite(f.t) || !finite(f.dl) || !finite(f.up)) return null;
  return [f.t, speed(f.dl), speed(f.up)];
}

/** Keeps the samples of the `windowSec` seconds up to `now` (the newest sample's time by default). */
export function trimWindow(samples: readonly SpeedSample[], windowSec: number, now?: number): readonly SpeedSample[] {
  if (samples.length === 0) return samples;
  const end = now ?? samples[samples.length - 1]![0];
  const from = end - windowSec;
  let i = 0;
  while (i < samples.length && samples[i]![0] <= from) i++;
  return i === 0 ? samples : samples.slice(i);
}

/**
 * Adds a live sample at the end and drops what falls out of the window (the newest
 * sample's time, i.e. the server's clock, decides). A sample for a second already
 * drawn replaces it; one older than the newest is ignored. Returns a new array when
 * something changed, the same one otherwise.
 */
export function appendSample(
  samples: readonly SpeedSample[],
  sample: SpeedSample,
  windowSec: number = LIVE_WINDOW,
): readonly SpeedSample[] {
  const last = samples[samples.length - 1];
  if (last && sample[0] < last[0]) return samples;
  if (last && sample[0] === last[0]) {
    if (last[1] === sample[1] && last[2] === sample[2]) return samples;
    return trimWindow([...samples.slice(0, -1), sample], windowSec);
  }
  return trimWindow([...samples, sample], windowSec);
}

/**
 * uPlot's data arrays. Where samples are missing for more than three steps (server
 * restarted, qBittorrent unreachable) a null is put in, so that the line breaks
 * instead of drawing a straight line across the hole.
 */
export function toChartData(samples: readonly SpeedSample[], step = 1): ChartData {
  const gap = Math.max(3 * step, 3);
  const t: number[] = [];
  const dl: (number | null)[] = [];
  const up: (number | null)[] = [];
  let prev: number | null = null;
  for (const [ts, d, u] of samples) {
    if (prev !== null && ts - prev > gap) {
      t.push(prev + step);
      dl.push(null);
      up.push(null);
    }
    t.push(ts);
    dl.push(d);
    up.push(u);
    prev = ts;
  }
  return [t, dl, up];
}

/** The x range shown: the whole window, ending at the newest sample (or `now` without any). */
export function xRange(samples: readonly SpeedSample[], windowSec: number, now: number): [number, number] {
  const end = samples.length > 0 ? samples[samples.length - 1]![0] : now;
  return [end - windowSec, end];
}

/**
 * The x range of what uPlot draws, from the data itself: the window ending at the newest time
 * (or `now` when there is none). Not from uPlot's own bounds: for a single point uPlot widens
 * the x scale to [t, t + 86,400,000 s] (its one-day default in milliseconds, applied to a scale
 * in seconds), which put the axis 1,000 days ahead — one hour off once printed as a clock when
 * that day is on the other side of a daylight-saving change — until the second sample arrived.
 */
export function chartXRange(data: ChartData, windowSec: number, now: number): [number, number] {
  const times = data[0];
  const end = times.length > 0 ? times[times.length - 1]! : now;
  return [end - windowSec, end];
}

/** The highest download or upload speed among the points whose time is within [from, to] (null: none). */
export function visibleMax(data: ChartData, from: number, to: number): number | null {
  const [times, dl, up] = data;
  let max: number | null = null;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t < from || t > to) continue;
    for (const v of [dl[i], up[i]]) if (finite(v) && (max === null || v > max)) max = v;
  }
  return max;
}

/** The y range: from 0, a little room above the highest value, at least 10 Ko/s. */
export function yRange(max: number | null | undefined): [number, number] {
  const top = finite(max) && max > 0 ? max * 1.1 : 0;
  return [0, Math.max(top, 10 * 1024)];
}

/**
 * The y range of what uPlot draws: from the points inside the x window only, so that the scale
 * follows the window as it moves (an old burst that scrolled out no longer flattens the curve).
 */
export function chartYRange(data: ChartData, windowSec: number, now: number): [number, number] {
  return yRange(visibleMax(data, ...chartXRange(data, windowSec, now)));
}

/**
 * Tick steps for speeds in binary units, so that ticks fall on round values once
 * formatted (`512 Ko/s`, `1 Mo/s`, `2 Mo/s`), not on `976,56 Ko/s`.
 */
export function binaryIncrs(): number[] {
  const out: number[] = [];
  for (let k = 0; k <= 4; k++) {
    for (const m of [1, 2, 5, 10, 20, 50, 100, 200, 500]) out.push(m * 1024 ** k);
  }
  return out.sort((a, b) => a - b);
}

const hm = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const hms = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** A time tick or hover value: `14:05`, or `14:05:30` when ticks are less than a minute apart. */
export function formatClock(unixSeconds: number, withSeconds = false): string {
  return (withSeconds ? hms : hm).format(new Date(unixSeconds * 1000));
}

/** A torrent's point at time `t` (a removed torrent transfers nothing). */
export function torrentSample(t: number, torrent: { dlspeed: number; upspeed: number; removed?: boolean }): SpeedSample {
  if (torrent.removed) return [t, 0, 0];
  const v = (x: number) => (finite(x) ? Math.max(0, x) : 0);
  return [t, v(torrent.dlspeed), v(torrent.upspeed)];
}

/**
 * The speed chart itself, drawn by uPlot (https://github.com/leeoniya/uPlot).
 *
 * Why uPlot: about 50 KB minified / 20 KB gzip, draws on a canvas, and is built for
 * streaming time series (a new point every second, 600 points in "10 min", 360 in
 * "24 h" without a hitch). Recharts, the usual React choice, is about five times
 * bigger, renders SVG nodes and slows down with 600+ points redrawn every second.
 *
 * This module is only reached through `React.lazy` (see SpeedGraph.tsx): uPlot and
 * its CSS land in their own chunk, fetched when a chart is first shown, so the main
 * bundle does not grow. Everything testable without a canvas lives in series.ts.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatSpeed } from '../../lib/format';
import { useMediaQuery } from '../../lib/useMediaQuery';
import { binaryIncrs, chartXRange, chartYRange, formatClock, type ChartData } from './series';

export interface SpeedChartLabels {
  /** Legend label of the x values ("Heure"). */
  time: string;
  /** "Réception". */
  dl: string;
  /** "Envoi". */
  up: string;
}

export interface SpeedChartProps {
  data: ChartData;
  /** Seconds shown (the x axis always spans the whole window, ending at the newest point). */
  windowSec: number;
  labels: SpeedChartLabels;
  /** Plot height in CSS pixels (the legend comes below). */
  height?: number;
}

/** Sky for download, amber for upload: readable on white and on stone-900 (lighter shades in dark mode). */
const palette = {
  light: { dl: '#0284c7', up: '#d97706', dlFill: 'rgba(2,132,199,0.12)', upFill: 'rgba(217,119,6,0.10)', grid: 'rgba(120,113,108,0.18)' },
  dark: { dl: '#38bdf8', up: '#fbbf24', dlFill: 'rgba(56,189,248,0.14)', upFill: 'rgba(251,191,36,0.10)', grid: 'rgba(168,162,158,0.16)' },
};

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const INCRS = binaryIncrs();
/** Time tick steps in seconds: uPlot's, plus 2 min so that "10 min" on a narrow card gets more than two ticks. */
const TIME_INCRS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 14_400, 21_600, 43_200, 86_400];

/** Newest non-null value of a series (what the legend shows when the pointer is elsewhere). */
function lastValue(values: ArrayLike<number | null | undefined> | undefined): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (typeof v === 'number') return v;
  }
  return null;
}

/** uPlot's options (exported for SpeedChart.test.tsx, which draws them with the real uPlot). */
export function buildOptions(
  width: number,
  height: number,
  windowSec: number,
  labels: SpeedChartLabels,
  dark: boolean,
  text: string,
): uPlot.Options {
  const c = dark ? palette.dark : palette.light;
  const speedValue = (u: uPlot, raw: number | null, sidx: number, idx: number | null) => {
    const v = idx === null ? lastValue(u.data[sidx]) : raw;
    return v === null ? '—' : formatSpeed(v);
  };
  return {
    width,
    height,
    // x values are Unix seconds (uPlot's `ms` is the factor that yields milliseconds), shown in
    // the browser's time zone: the axis splits (this Date) and the labels (formatClock) agree.
    ms: 1e-3,
    tzDate: (ts) => new Date(ts * 1000),
    pxAlign: 1,
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { live: true },
    scales: {
      // Both from the data drawn, never from uPlot's bounds (see chartXRange and chartYRange).
      x: { time: true, range: (u) => chartXRange(u.data as ChartData, windowSec, Date.now() / 1000) },
      y: { range: (u) => chartYRange(u.data as ChartData, windowSec, Date.now() / 1000) },
    },
    axes: [
      {
        stroke: text,
        font: FONT,
        grid: { stroke: c.grid, width: 1 },
        ticks: { stroke: c.grid, width: 1 },
        space: 60,
        incrs: TIME_INCRS,
        values: (_u, splits, _axis, _space, incr) => splits.map((t) => formatClock(t, incr < 60)),
      },
      {
        stroke: text,
        font: FONT,
        size: 78,
        grid: { stroke: c.grid, width: 1 },
        ticks: { stroke: c.grid, width: 1 },
        incrs: INCRS,
        values: (_u, splits) => splits.map((v) => formatSpeed(v)),
      },
    ],
    series: [
      {
        label: labels.time,
        value: (u, raw, _sidx, idx) => {
          const v = idx === null ? lastValue(u.data[0]) : raw;
          return v === null ? '—' : formatClock(v, true);
        },
      },
      { label: `↓ ${labels.dl}`, stroke: c.dl, fill: c.dlFill, width: 2, points: { show: false }, value: speedValue },
      { label: `↑ ${labels.up}`, stroke: c.up, fill: c.upFill, width: 2, points: { show: false }, value: speedValue },
    ],
  };
}

export default function SpeedChart({ data, windowSec, labels, height = 220 }: SpeedChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  const dark = useMediaQuery('(prefers-color-scheme: dark)', false);
  const { time, dl, up } = labels;

  // (Re)built when what the options depend on changes; data alone goes through setData below.
  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const text = getComputedStyle(el).color || (dark ? '#d6d3d1' : '#44403c');
    const width = Math.max(Math.floor(el.clientWidth), 240);
    const u = new uPlot(buildOptions(width, height, windowSec, { time, dl, up }, dark, text), latest.current, el);
    plot.current = u;
    let observer: ResizeObserver | undefined;
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver((entries) => {
        const w = Math.floor(entries[0]?.contentRect.width ?? el.clientWidth);
        if (w > 0 && w !== u.width) u.setSize({ width: w, height });
      });
      observer.observe(el);
    }
    return () => {
      observer?.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [windowSec, height, dark, time, dl, up]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={holder} className="w-full min-w-0 text-stone-700 dark:text-stone-300" style={{ minHeight: height }} />;
}

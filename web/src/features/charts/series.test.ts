import { describe, expect, it } from 'vitest';
import {
  appendSample,
  binaryIncrs,
  chartXRange,
  chartYRange,
  formatClock,
  parseSamples,
  parseSpeedFrame,
  toChartData,
  torrentSample,
  trimWindow,
  visibleMax,
  xRange,
  yRange,
  type SpeedSample,
} from './series';

const KO = 1024;
const MO = 1024 ** 2;

/** `n` samples one second apart, ending at `end`. */
function seconds(n: number, end: number, dl = KO, up = 0): SpeedSample[] {
  return Array.from({ length: n }, (_, i) => [end - n + 1 + i, dl, up] as const);
}

describe('parseSamples', () => {
  it('keeps well-formed [t, dl, up] entries, sorted, one per second', () => {
    expect(
      parseSamples([
        [12, 3, 4],
        [10, 1, 2],
        'x',
        [11, null, 2],
        [11, -5, 2],
        [12, 30, 40],
        [13, 1],
      ]),
    ).toEqual([
      [10, 1, 2],
      [11, 0, 2],
      [12, 30, 40],
    ]);
  });

  it('answers an empty list for anything else', () => {
    expect(parseSamples(undefined)).toEqual([]);
    expect(parseSamples({ samples: [] })).toEqual([]);
  });
});

describe('parseSpeedFrame', () => {
  it('reads a speed frame', () => {
    expect(parseSpeedFrame('{"type":"speed","t":1795681907,"dl":1572864,"up":2048}')).toEqual([1795681907, 1572864, 2048]);
  });

  it('ignores other frames and malformed ones', () => {
    expect(parseSpeedFrame('{"type":"notification","notification":{}}')).toBeNull();
    expect(parseSpeedFrame('{"type":"speed","t":"1","dl":1,"up":2}')).toBeNull();
    expect(parseSpeedFrame('{"type":"speed",')).toBeNull();
    expect(parseSpeedFrame(new ArrayBuffer(4))).toBeNull();
  });
});

describe('appendSample (the live 10-minute window)', () => {
  it('appends a newer sample and returns a new array', () => {
    const base = seconds(3, 100);
    const next = appendSample(base, [101, 5, 6]);
    expect(next).not.toBe(base);
    expect(next).toEqual([...base, [101, 5, 6]]);
    expect(base).toHaveLength(3);
  });

  it('drops what is older than 10 minutes before the newest sample', () => {
    const full = seconds(600, 1000);
    expect(full[0]![0]).toBe(401);
    const next = appendSample(full, [1001, 1, 1]);
    expect(next).toHaveLength(600);
    expect(next[0]![0]).toBe(402);
    expect(next[599]).toEqual([1001, 1, 1]);
    // After a pause, a sample far ahead leaves only what is still in the window.
    expect(appendSample(full, [1500, 1, 1]).map((s) => s[0])).toEqual([...Array.from({ length: 100 }, (_, i) => 901 + i), 1500]);
  });

  it('replaces the same second, and ignores an older one', () => {
    const base = seconds(3, 100);
    expect(appendSample(base, [100, 9, 9]).at(-1)).toEqual([100, 9, 9]);
    expect(appendSample(base, [100, KO, 0])).toBe(base);
    expect(appendSample(base, [50, 9, 9])).toBe(base);
  });

  it('starts from nothing, with another window if asked', () => {
    expect(appendSample([], [5, 1, 2])).toEqual([[5, 1, 2]]);
    expect(appendSample(seconds(5, 10), [11, 0, 0], 3).map((s) => s[0])).toEqual([9, 10, 11]);
  });
});

describe('trimWindow', () => {
  it('keeps the window up to the newest sample or a given time', () => {
    const s = seconds(10, 10);
    expect(trimWindow(s, 5).map((x) => x[0])).toEqual([6, 7, 8, 9, 10]);
    expect(trimWindow(s, 5, 12).map((x) => x[0])).toEqual([8, 9, 10]);
    expect(trimWindow(s, 100)).toBe(s);
  });
});

describe('toChartData (samples → uPlot arrays)', () => {
  it('splits samples into times, downloads and uploads', () => {
    expect(
      toChartData([
        [10, 1, 2],
        [11, 3, 4],
      ]),
    ).toEqual([
      [10, 11],
      [1, 3],
      [2, 4],
    ]);
    expect(toChartData([])).toEqual([[], [], []]);
  });

  it('breaks the line over a hole of more than three steps', () => {
    expect(
      toChartData(
        [
          [0, 1, 1],
          [10, 2, 2],
          [20, 3, 3],
          [100, 4, 4],
        ],
        10,
      ),
    ).toEqual([
      [0, 10, 20, 30, 100],
      [1, 2, 3, null, 4],
      [1, 2, 3, null, 4],
    ]);
  });
});

describe('ranges and ticks', () => {
  it('shows the whole window ending at the newest sample', () => {
    expect(xRange(seconds(3, 1000), 600, 5000)).toEqual([400, 1000]);
    expect(xRange([], 3600, 5000)).toEqual([1400, 5000]);
  });

  it("takes the chart's x window from the data drawn: a single point ends it, no point ends it now", () => {
    expect(chartXRange(toChartData([[1000, 5, 0]]), 600, 5000)).toEqual([400, 1000]);
    expect(chartXRange(toChartData(seconds(3, 1000)), 600, 5000)).toEqual([400, 1000]);
    expect(chartXRange([[], [], []], 600, 5000)).toEqual([4400, 5000]);
  });

  it('takes the highest speed among the points inside the window only', () => {
    const data = toChartData([
      [100, 50 * MO, 0],
      [500, KO, 2 * KO],
      [900, 3 * KO, KO],
    ]);
    expect(visibleMax(data, 300, 900)).toBe(3 * KO);
    expect(visibleMax(data, 100, 900)).toBe(50 * MO);
    expect(visibleMax(data, 400, 600)).toBe(2 * KO);
    expect(visibleMax(data, 901, 1000)).toBeNull();
    // A gap's null is no value.
    expect(visibleMax([[1, 2], [null, 4], [null, null]], 0, 1)).toBeNull();
  });

  it("scales speeds to the points in view: an old burst out of the window no longer counts", () => {
    // A start-up burst at 50 Mo/s, 15 minutes before the newest point, then 1 Mo/s.
    const samples: SpeedSample[] = [[0, 50 * MO, 0], ...seconds(300, 900, MO)];
    expect(chartYRange(toChartData(samples), 600, 900)).toEqual([0, 1.1 * MO]);
    expect(chartYRange(toChartData(samples), 3600, 900)[1]).toBeCloseTo(55 * MO);
    expect(chartYRange([[], [], []], 600, 900)).toEqual([0, 10 * KO]);
  });

  it('starts the speed axis at 0 with a floor of 10 Ko/s', () => {
    expect(yRange(null)).toEqual([0, 10 * KO]);
    expect(yRange(0)).toEqual([0, 10 * KO]);
    expect(yRange(MO)).toEqual([0, 1.1 * MO]);
  });

  it('offers binary tick steps', () => {
    const incrs = binaryIncrs();
    expect(incrs).toContain(500 * KO);
    expect(incrs).toContain(MO);
    expect(incrs).toContain(2 * MO);
    expect(incrs).not.toContain(1000 * KO);
    expect([...incrs].sort((a, b) => a - b)).toEqual(incrs);
  });

  it('formats clock ticks in French 24-hour time', () => {
    const t = new Date(2026, 10, 24, 14, 5, 30).getTime() / 1000;
    expect(formatClock(t)).toBe('14:05');
    expect(formatClock(t, true)).toBe('14:05:30');
  });
});

describe('torrentSample', () => {
  it('takes the live torrent speeds, nothing for a removed torrent', () => {
    expect(torrentSample(7, { dlspeed: 100, upspeed: 20 })).toEqual([7, 100, 20]);
    expect(torrentSample(7, { dlspeed: 100, upspeed: 20, removed: true })).toEqual([7, 0, 0]);
    expect(torrentSample(7, { dlspeed: Number.NaN, upspeed: -1 })).toEqual([7, 0, 0]);
  });
});

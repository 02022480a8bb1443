import { describe, expect, it } from 'vitest';
import { formatClock, formatCompactDate, formatDate, formatDuration, formatPercent, formatRatio, formatSize, formatSpeed, progressPercent } from './format';

const KiB = 1024;
const MiB = KiB * 1024;
const GiB = MiB * 1024;

describe('formatSize', () => {
  it.each([
    [0, '0 o'],
    [1, '1 o'],
    [512, '512 o'],
    [1023, '1023 o'],
    [1024, '1 Ko'],
    [1536, '1,5 Ko'],
    [1.25 * KiB, '1,25 Ko'],
    [1.234 * KiB, '1,23 Ko'],
    [850 * KiB, '850 Ko'],
    [12.34 * MiB, '12,3 Mo'],
    [99.99 * MiB, '100 Mo'],
    [1023.7 * KiB, '1 Mo'],
    [1.5 * GiB, '1,5 Go'],
    [2 * GiB * 1024, '2 To'],
  ])('%d → %s', (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });

  it('rejects nonsense', () => {
    expect(formatSize(-1)).toBe('—');
    expect(formatSize(Number.NaN)).toBe('—');
  });
});

describe('formatSpeed', () => {
  it('appends /s', () => {
    expect(formatSpeed(850 * KiB)).toBe('850 Ko/s');
    expect(formatSpeed(0)).toBe('0 o/s');
    expect(formatSpeed(3.2 * MiB)).toBe('3,2 Mo/s');
  });
});

describe('formatDate', () => {
  // 2026-11-24 13:05:00 UTC
  const ts = Date.UTC(2026, 10, 24, 13, 5) / 1000;

  it('formats in French with the given time zone', () => {
    expect(formatDate(ts, 'Europe/Paris')).toBe('24 nov. 2026 à 14:05');
    expect(formatDate(ts, 'UTC')).toBe('24 nov. 2026 à 13:05');
    expect(formatDate(Date.UTC(2026, 0, 3, 9, 0) / 1000, 'UTC')).toBe('3 janv. 2026 à 09:00');
  });

  it('uses the browser time zone by default', () => {
    const local = new Date(ts * 1000);
    const hh = String(local.getHours()).padStart(2, '0');
    const mm = String(local.getMinutes()).padStart(2, '0');
    expect(formatDate(ts)).toMatch(new RegExp(` à ${hh}:${mm}$`));
  });

  it('shows a dash for missing dates', () => {
    expect(formatDate(null)).toBe('—');
    expect(formatDate(undefined)).toBe('—');
    expect(formatDate(0)).toBe('—');
  });
});

describe('formatCompactDate', () => {
  // 2026-12-06 22:27 UTC = 23:27 in Paris.
  const ts = Date.UTC(2026, 11, 6, 22, 27) / 1000;
  const now = Date.UTC(2026, 11, 7, 8, 0);

  it('leaves the year out for this year, on one line', () => {
    expect(formatCompactDate(ts, now, 'Europe/Paris')).toBe('6 déc. 23:27');
    expect(formatCompactDate(Date.UTC(2026, 0, 3, 9, 5) / 1000, now, 'UTC')).toBe('3 janv. 09:05');
  });

  it('shows the year of another year', () => {
    expect(formatCompactDate(Date.UTC(2025, 4, 1, 7, 0) / 1000, now, 'UTC')).toBe('1 mai 2025 07:00');
  });

  it('judges "this year" in the time zone shown', () => {
    // 31 Dec 2025 23:30 UTC is already 2026 in Paris.
    const newYear = Date.UTC(2025, 11, 31, 23, 30) / 1000;
    expect(formatCompactDate(newYear, now, 'Europe/Paris')).toBe('1 janv. 00:30');
    expect(formatCompactDate(newYear, now, 'UTC')).toBe('31 déc. 2025 23:30');
  });

  it('shows a dash for missing dates', () => {
    expect(formatCompactDate(null)).toBe('—');
    expect(formatCompactDate(0)).toBe('—');
  });
});

describe('formatClock', () => {
  it('is HH:MM on 24 hours', () => {
    expect(formatClock(Date.UTC(2026, 11, 6, 7, 5), 'UTC')).toBe('07:05');
    expect(formatClock(Date.UTC(2026, 11, 6, 22, 27), 'Europe/Paris')).toBe('23:27');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [60, '1 min'],
    [5 * 60 + 3, '5 min'],
    [2 * 3600 + 5 * 60, '2 h 05 min'],
    [2 * 3600 + 5 * 60 + 59, '2 h 05 min'],
    [3 * 86400 + 4 * 3600, '3 j 04 h'],
    [8_639_999, '99 j 23 h'],
    [8_640_000, '∞'],
    [9_000_000, '∞'],
  ])('%d s → %s', (secs, expected) => {
    expect(formatDuration(secs)).toBe(expected);
  });

  it('rejects negative values', () => {
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('formatRatio', () => {
  it.each([
    [0, '0,00'],
    [1, '1,00'],
    [1.256, '1,25'],
    [0.999, '0,99'],
    [0.29, '0,29'],
    [12.5, '12,50'],
    [9999, '∞'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d → %s', (ratio, expected) => {
    expect(formatRatio(ratio)).toBe(expected);
  });
});

describe('progressPercent and formatPercent', () => {
  it.each([
    [0, 0, '0 %'],
    [0.42, 42, '42 %'],
    [0.4256, 42.5, '42,5 %'],
    [0.9999, 99.9, '99,9 %'],
    [1, 100, '100 %'],
    [1.2, 100, '100 %'],
    [-0.1, 0, '0 %'],
  ])('%d → %d → %s', (progress, percent, text) => {
    expect(progressPercent(progress)).toBe(percent);
    expect(formatPercent(progressPercent(progress))).toBe(text.replace(' ', '\u00a0'));
  });
});

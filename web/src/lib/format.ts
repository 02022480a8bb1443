/** French display helpers: binary sizes, speeds, dates and durations. */

const SIZE_UNITS = ['o', 'Ko', 'Mo', 'Go', 'To', 'Po', 'Eo'] as const;

/** qBittorrent's "infinite" ETA (100 days). */
export const ETA_INFINITE = 8_640_000;

const numberFormats = new Map<number, Intl.NumberFormat>();
function formatNumber(value: number, maxDecimals: number): string {
  let nf = numberFormats.get(maxDecimals);
  if (!nf) {
    nf = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: maxDecimals, useGrouping: false });
    numberFormats.set(maxDecimals, nf);
  }
  return nf.format(value);
}

/**
 * Size in binary units with French names (1 Ko = 1024 o), at most three
 * significant digits, decimal comma, no trailing zeros: `0 o`, `512 o`,
 * `1,5 Ko`, `850 Ko`, `12,3 Mo`, `1,5 Go`.
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} o`;
  let decimals = value < 10 ? 2 : value < 100 ? 1 : 0;
  let rounded = Number(value.toFixed(decimals));
  if (rounded >= 1024 && unit < SIZE_UNITS.length - 1) {
    unit++;
    rounded = 1;
    decimals = 0;
  }
  return `${formatNumber(rounded, decimals)} ${SIZE_UNITS[unit]}`;
}

/** Transfer speed, e.g. `850 Ko/s`. */
export function formatSpeed(bytesPerSecond: number): string {
  const size = formatSize(bytesPerSecond);
  return size === '—' ? size : `${size}/s`;
}

/**
 * Date and time in the browser's time zone: `24 nov. 2026 à 14:05`.
 * `timeZone` exists for tests; the app never passes it.
 */
export function formatDate(unixSeconds: number | null | undefined, timeZone?: string): string {
  if (unixSeconds === null || unixSeconds === undefined || !Number.isFinite(unixSeconds) || unixSeconds <= 0) {
    return '—';
  }
  const d = new Date(unixSeconds * 1000);
  const day = new Intl.DateTimeFormat('fr-FR', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  }).format(d);
  const time = new Intl.DateTimeFormat('fr-FR', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(d);
  return `${day} à ${time}`;
}

/** The calendar year of a date in a time zone (undefined: the browser's). */
function yearIn(d: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat('fr-FR', { year: 'numeric', timeZone }).format(d);
}

/**
 * A date on one line for dense lists: `6 déc. 23:27`, with the year only when it is not the
 * current one (`6 déc. 2025 23:27`); `—` when unknown. Browser time zone (`timeZone`, `now`:
 * for tests).
 */
export function formatCompactDate(
  unixSeconds: number | null | undefined,
  now: number = Date.now(),
  timeZone?: string,
): string {
  if (unixSeconds === null || unixSeconds === undefined || !Number.isFinite(unixSeconds) || unixSeconds <= 0) {
    return '—';
  }
  const d = new Date(unixSeconds * 1000);
  const sameYear = yearIn(d, timeZone) === yearIn(new Date(now), timeZone);
  const day = new Intl.DateTimeFormat('fr-FR', {
    day: 'numeric',
    month: 'short',
    year: sameYear ? undefined : 'numeric',
    timeZone,
  }).format(d);
  return `${day} ${formatClock(d.getTime(), timeZone)}`;
}

/** The time of day `HH:MM` (24 h) of a timestamp in milliseconds, browser time zone. */
export function formatClock(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    new Date(ms),
  );
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Remaining time: `45 s`, `5 min`, `2 h 05 min`, `3 j 04 h`, and `∞` from
 * qBittorrent's 8 640 000 s ("unknown / infinite") on.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds >= ETA_INFINITE) return '∞';
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${pad2(Math.floor((s % 3600) / 60))} min`;
  return `${Math.floor(s / 86400)} j ${pad2(Math.floor((s % 86400) / 3600))} h`;
}

/** qBittorrent's ratio cap: from there on it means "infinite". */
const RATIO_INFINITE = 9999;
const ratioFormat = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false });

/** Share ratio with two decimals and a comma: `0,00`, `1,25`; `∞` at qBittorrent's cap. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio < 0) return '—';
  if (ratio >= RATIO_INFINITE) return '∞';
  // Truncate rather than round: 0,999 must not read as 1,00.
  return ratioFormat.format(Math.floor(ratio * 100 + 1e-9) / 100);
}

/**
 * Progress (0..1) as a percentage rounded down to one decimal, so that 100 only
 * means finished: 0.42 → 42, 0.4256 → 42.5, 0.9999 → 99.9.
 */
export function progressPercent(progress: number): number {
  if (!Number.isFinite(progress) || progress <= 0) return 0;
  if (progress >= 1) return 100;
  return Math.min(99.9, Math.floor(progress * 1000 + 1e-9) / 10);
}

/** `42 %`, `42,5 %`, `100 %` (no-break space before the sign, as in French). */
export function formatPercent(percent: number): string {
  return `${formatNumber(percent, 1)}\u00a0%`;
}

import i18n from '../../../i18n';
import type { Limits } from '../../../api/types';
import { formatSize, formatSpeed } from '../../../lib/format';

/** Sizes are typed in Go, speeds in Ko/s: binary units, as lib/format.ts shows them (1 Go = 1024³ o). */
export const GIB = 1024 ** 3;
export const KIB = 1024;

export type ActivePolicy = 'queue' | 'refuse';
export type TimeUnit = 'min' | 'h';

/** The limit inputs of the group form, as typed ('' = unlimited). */
export interface LimitsForm {
  max_torrents: string;
  max_active: string;
  active_policy: ActivePolicy;
  /** Go. */
  max_torrent_size: string;
  /** Go. */
  quota: string;
  /** Ko/s. */
  download: string;
  /** Ko/s. */
  upload: string;
  ratio: string;
  seeding_time: string;
  seeding_unit: TimeUnit;
}

export type LimitField = Exclude<keyof LimitsForm, 'active_policy' | 'seeding_unit'>;

export const LIMIT_FIELDS: readonly LimitField[] = [
  'max_torrents',
  'max_active',
  'max_torrent_size',
  'quota',
  'download',
  'upload',
  'ratio',
  'seeding_time',
];

export const EMPTY_LIMITS_FORM: LimitsForm = {
  max_torrents: '',
  max_active: '',
  active_policy: 'queue',
  max_torrent_size: '',
  quota: '',
  download: '',
  upload: '',
  ratio: '',
  seeding_time: '',
  seeding_unit: 'h',
};

const decimalFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2, useGrouping: false });

/** A number as the form shows it: French comma, at most two decimals ("1,5", "50"). */
function toInput(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? decimalFormat.format(value) : '';
}

/** The form's text for a group's limits (null and absent fields stay empty). */
export function limitsToForm(limits: Limits | null | undefined): LimitsForm {
  const l = limits ?? {};
  const seeding = l.seeding_time_limit;
  const inHours = typeof seeding === 'number' && seeding > 0 && seeding % 60 === 0;
  return {
    max_torrents: toInput(l.max_torrents),
    max_active: toInput(l.max_active),
    active_policy: l.active_policy === 'refuse' ? 'refuse' : 'queue',
    max_torrent_size: typeof l.max_torrent_size === 'number' ? toInput(l.max_torrent_size / GIB) : '',
    quota: typeof l.quota_bytes === 'number' ? toInput(l.quota_bytes / GIB) : '',
    download: typeof l.download_limit === 'number' ? toInput(l.download_limit / KIB) : '',
    upload: typeof l.upload_limit === 'number' ? toInput(l.upload_limit / KIB) : '',
    ratio: toInput(l.ratio_limit),
    seeding_time: typeof seeding === 'number' ? toInput(inHours ? seeding / 60 : seeding) : '',
    seeding_unit: typeof seeding === 'number' && !inHours ? 'min' : 'h',
  };
}

/** "1,5", "1.5", "1 024" → 1.5 / 1024; '' → null; anything else → NaN. */
export function parseDecimal(text: string): number | null {
  const s = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (s === '') return null;
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(s)) return Number.NaN;
  return Number(s);
}

type Rule = { integer: boolean; positive: boolean; scale: number };

function rules(form: LimitsForm): Record<LimitField, Rule> {
  return {
    max_torrents: { integer: true, positive: false, scale: 1 },
    max_active: { integer: true, positive: false, scale: 1 },
    max_torrent_size: { integer: false, positive: true, scale: GIB },
    quota: { integer: false, positive: true, scale: GIB },
    download: { integer: false, positive: true, scale: KIB },
    upload: { integer: false, positive: true, scale: KIB },
    ratio: { integer: false, positive: false, scale: 1 },
    seeding_time:
      form.seeding_unit === 'min'
        ? { integer: true, positive: false, scale: 1 }
        : { integer: false, positive: false, scale: 60 },
  };
}

export type LimitsResult =
  | { ok: true; limits: Required<Limits> }
  | { ok: false; errors: Partial<Record<LimitField, string>> };

const API_FIELD: Record<LimitField, Exclude<keyof Limits, 'active_policy'>> = {
  max_torrents: 'max_torrents',
  max_active: 'max_active',
  max_torrent_size: 'max_torrent_size',
  quota: 'quota_bytes',
  download: 'download_limit',
  upload: 'upload_limit',
  ratio: 'ratio_limit',
  seeding_time: 'seeding_time_limit',
};

/**
 * The API's `Limits` from the form: every field present, `null` where the input is empty;
 * sizes in bytes, speeds in bytes/s, seeding time in minutes (all whole numbers but the ratio).
 * With `initial` (editing), a field left as `limitsToForm(initial)` showed it keeps its exact
 * value: rounding for display (two decimals of Go) never changes a limit nobody touched.
 */
export function formToLimits(form: LimitsForm, initial?: Limits | null): LimitsResult {
  const errors: Partial<Record<LimitField, string>> = {};
  const values: Partial<Record<LimitField, number | null>> = {};
  const r = rules(form);
  const shown = initial ? limitsToForm(initial) : null;
  for (const field of LIMIT_FIELDS) {
    const rule = r[field];
    const untouched =
      shown !== null &&
      form[field] === shown[field] &&
      (field !== 'seeding_time' || form.seeding_unit === shown.seeding_unit);
    const original = initial?.[API_FIELD[field]];
    if (untouched && typeof original === 'number') {
      values[field] = original;
      continue;
    }
    const v = parseDecimal(form[field]);
    if (v === null) {
      values[field] = null;
      continue;
    }
    if (Number.isNaN(v) || (rule.integer && !Number.isInteger(v))) {
      errors[field] = rule.integer
        ? i18n.t('adminGroups.form.invalidInteger')
        : i18n.t('adminGroups.form.invalidNumber');
    } else if (rule.positive && v <= 0) {
      errors[field] = i18n.t('adminGroups.form.mustBePositive');
    } else {
      const scaled = field === 'ratio' ? v : Math.round(v * rule.scale);
      if (!Number.isSafeInteger(Math.round(scaled))) errors[field] = i18n.t('adminGroups.form.tooLarge');
      else values[field] = scaled;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    limits: {
      max_torrents: values.max_torrents ?? null,
      max_active: values.max_active ?? null,
      active_policy: form.active_policy,
      max_torrent_size: values.max_torrent_size ?? null,
      quota_bytes: values.quota ?? null,
      download_limit: values.download ?? null,
      upload_limit: values.upload ?? null,
      ratio_limit: values.ratio ?? null,
      seeding_time_limit: values.seeding_time ?? null,
    },
  };
}

/** Minutes as "45 min", "24 h", "1 h 30 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const isSet = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Short French phrases for the group list ("2 torrents au plus", "quota de 50 Go"…); empty = no limit. */
export function limitsSummary(limits: Limits | null | undefined): string[] {
  const l = limits ?? {};
  const t = i18n.t.bind(i18n);
  const out: string[] = [];
  if (isSet(l.max_torrents)) out.push(t('adminGroups.summary.maxTorrents', { count: l.max_torrents }));
  if (isSet(l.max_active)) {
    out.push(
      l.active_policy === 'refuse'
        ? t('adminGroups.summary.maxActiveRefuse', { count: l.max_active })
        : t('adminGroups.summary.maxActiveQueue', { count: l.max_active }),
    );
  }
  if (isSet(l.max_torrent_size)) out.push(t('adminGroups.summary.maxTorrentSize', { size: formatSize(l.max_torrent_size) }));
  if (isSet(l.quota_bytes)) out.push(t('adminGroups.summary.quota', { size: formatSize(l.quota_bytes) }));
  if (isSet(l.download_limit)) out.push(t('adminGroups.summary.download', { speed: formatSpeed(l.download_limit) }));
  if (isSet(l.upload_limit)) out.push(t('adminGroups.summary.upload', { speed: formatSpeed(l.upload_limit) }));
  if (isSet(l.ratio_limit)) out.push(t('adminGroups.summary.ratio', { ratio: decimalFormat.format(l.ratio_limit) }));
  if (isSet(l.seeding_time_limit)) {
    out.push(t('adminGroups.summary.seedingTime', { duration: formatMinutes(l.seeding_time_limit) }));
  }
  return out;
}

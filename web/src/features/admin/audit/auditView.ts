import i18n from '../../../i18n';
import type { AuditQuery } from './api';

export const PER_PAGE = 50;

/** Filters as the address bar holds them: dates as `YYYY-MM-DD` (local days), page from 1. */
export interface AuditFilters {
  actor: string;
  action: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { actor: '', action: '', from: '', to: '' };

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight (local time) starting `day`, `offset` days later; null when not a real date. */
function localMidnight(day: string, offset = 0): number | null {
  const m = DAY_RE.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d + offset);
  if (offset === 0 && (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d)) return null;
  return Math.floor(date.getTime() / 1000);
}

/** "Du": the first second of that day, in the browser's time zone. */
export function dayStart(day: string): number | null {
  return localMidnight(day);
}

/** "Au" is inclusive: the last second of that day. */
export function dayEnd(day: string): number | null {
  if (localMidnight(day) === null) return null;
  const next = localMidnight(day, 1);
  return next === null ? null : next - 1;
}

export function filtersFromParams(p: URLSearchParams): AuditFilters {
  const day = (k: string) => {
    const v = p.get(k) ?? '';
    return dayStart(v) === null ? '' : v;
  };
  return { actor: p.get('actor') ?? '', action: p.get('action') ?? '', from: day('from'), to: day('to') };
}

export function pageFromParams(p: URLSearchParams): number {
  const n = Number(p.get('page'));
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** Address-bar query: empty filters and page 1 are left out. */
export function filtersToParams(f: AuditFilters, page = 1): URLSearchParams {
  const p = new URLSearchParams();
  if (f.actor.trim()) p.set('actor', f.actor.trim());
  if (f.action) p.set('action', f.action);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (page > 1) p.set('page', String(page));
  return p;
}

export function toQuery(f: AuditFilters, page: number): AuditQuery {
  return {
    actor: f.actor.trim(),
    action: f.action,
    from: f.from ? dayStart(f.from) : null,
    to: f.to ? dayEnd(f.to) : null,
    page,
    per_page: PER_PAGE,
  };
}

export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, perPage)));
}

/** French label of a known action (`user.login` → "Connexion"), else the action itself. */
export function actionLabel(action: string): string {
  const m = /^([a-z_]+)\.([a-z_]+)$/.exec(action);
  if (m) {
    const key = `adminAudit.actions.${m[1]}.${m[2]}`;
    if (i18n.exists(key)) {
      const label = i18n.t(key as 'adminAudit.actions.user.login');
      if (typeof label === 'string') return label;
    }
  }
  return action;
}

/** "Utilisateur 5", "Torrent 3f2a…", or "—". */
export function targetLabel(type: string | null, id: string | number | null): string {
  if (!type && (id === null || id === undefined || id === '')) return '—';
  const key = `adminAudit.targets.${type}`;
  const name = type && /^[a-z_]+$/.test(type) && i18n.exists(key) ? i18n.t(key as 'adminAudit.targets.user') : (type ?? '');
  return [name, id === null || id === undefined ? '' : String(id)].filter(Boolean).join(' ');
}

/** A detail's value in a line: lists joined, yes/no for booleans, JSON for the rest. */
export function detailValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? i18n.t('adminAudit.yes') : i18n.t('adminAudit.no');
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(detailValue).join(', ');
  return JSON.stringify(v);
}

import i18n from '../../../i18n';
import { formatSize } from '../../../lib/format';
import type { Limits } from '../../../api/types';
import { torrentPage } from '../../torrents/routes';
import { limitsSummary } from '../groups/limits';
import { SERVERS_ANCHOR } from '../servers/serversView';
import { OIDC_ANCHOR, PROXY_AUTH_ANCHOR } from '../settings/anchors';
import type { AuditEntry, AuditQuery } from './api';

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

const ACTION_RE = /^([a-z_]+)\.([a-z_]+)$/;

/** The fr.json key of an action's label (`user.login` → `adminAudit.actions.user.login`), if it has one. */
export function actionKey(action: string): string | null {
  const m = ACTION_RE.exec(action);
  if (!m) return null;
  const key = `adminAudit.actions.${m[1]}.${m[2]}`;
  return i18n.exists(key) ? key : null;
}

/** The entry came from single sign-on (`details.method` = `oidc`). */
export function viaSso(details: AuditEntry['details'] | undefined): boolean {
  return details?.method === 'oidc';
}

/**
 * An action in French: `label` ("Connexion"), and whether it is one the interface knows. An
 * action written by a newer server gets a generic label by its kind ("Autre action sur un
 * torrent"); the code itself is only for the tooltip. With the entry's details, a sign-in
 * through single sign-on says so ("Connexion via l'authentification unique").
 */
export function actionLabel(action: string, details?: AuditEntry['details']): { label: string; known: boolean } {
  const m = ACTION_RE.exec(action);
  if (m && viaSso(details)) {
    const sso = `adminAudit.oidcActions.${m[1]}.${m[2]}`;
    if (i18n.exists(sso)) return { label: i18n.t(sso as 'adminAudit.oidcActions.user.login'), known: true };
  }
  const key = actionKey(action);
  if (key) return { label: i18n.t(key as 'adminAudit.actions.user.login'), known: true };
  const kind = /^([a-z_]+)\./.exec(action)?.[1];
  const generic = kind && i18n.exists(`adminAudit.unknownAction.${kind}`) ? kind : 'other';
  return { label: i18n.t(`adminAudit.unknownAction.${generic}` as 'adminAudit.unknownAction.other'), known: false };
}

/** A section of "Réglages": its title and the id of its heading (the page's anchor). */
export interface SettingsSection {
  title: string;
  anchor: string;
}

const SECTIONS: Record<string, { title: string; anchor: string }> = {
  qbittorrent: { title: 'adminSettings.qbittorrent.title', anchor: 'reglages-qbittorrent' },
  jackett: { title: 'adminSettings.jackett.title', anchor: 'reglages-jackett' },
  downloads: { title: 'adminSettings.downloads.title', anchor: 'reglages-telechargements' },
  smtp: { title: 'adminSettings.notifications.title', anchor: 'reglages-notifications' },
  general: { title: 'adminSettings.general.title', anchor: 'reglages-general' },
  storage: { title: 'adminStorage.title', anchor: 'reglages-stockage' },
  oidc: { title: 'adminSettings.oidc.title', anchor: OIDC_ANCHOR },
  proxy_auth: { title: 'adminSettings.proxyAuth.title', anchor: PROXY_AUTH_ANCHOR },
};

/** The section a stored setting belongs to (server/src/settings/table.hpp names them by prefix). */
function sectionOfKey(key: string): string {
  if (key.startsWith('qbt_')) return 'qbittorrent';
  if (key.startsWith('jackett_')) return 'jackett';
  if (key.startsWith('download_')) return 'downloads';
  if (key.startsWith('smtp_') || key.startsWith('webhook_')) return 'smtp';
  if (key.startsWith('oidc_') || key === 'local_login' || key === 'break_glass_admin') return 'oidc';
  if (key.startsWith('proxy_auth_')) return 'proxy_auth';
  return 'general';
}

function section(id: string): SettingsSection | null {
  const s = SECTIONS[id];
  return s ? { title: i18n.t(s.title as 'adminSettings.title'), anchor: s.anchor } : null;
}

/**
 * The sections of "Réglages" an entry is about: a test names its section (`qbittorrent`,
 * `jackett`, `downloads`, `smtp`, `oidc`), a change lists the keys it changed.
 */
export function settingsSections(targetId: string | number | null, details: AuditEntry['details']): SettingsSection[] {
  const ids = new Set<string>();
  if (targetId !== null && targetId !== '' && SECTIONS[String(targetId)]) ids.add(String(targetId));
  const keys = details?.keys;
  if (Array.isArray(keys)) for (const k of keys) if (typeof k === 'string') ids.add(sectionOfKey(k));
  return [...ids].map(section).filter((s): s is SettingsSection => s !== null);
}

/** What an entry is about, for the "Cible" column: a name, where it leads, and what the hover says. */
export interface TargetView {
  text: string;
  /** An address in the app (a torrent's page, an account, a section of "Réglages"). */
  to?: string;
  /** The link's accessible name, when `text` alone is vague. */
  linkLabel?: string;
  /** Muted: it no longer exists. */
  gone?: boolean;
  /** Tooltip: the id behind the name (a torrent's hash…). */
  title?: string;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * A name for what the entry is about, never a raw id as the text: the current name from the
 * server (`target_name`), else the one the entry recorded (a deleted account's username, a
 * deleted group's name), else "Compte supprimé"… The id stays in the tooltip.
 */
export function targetView(e: Pick<AuditEntry, 'target_type' | 'target_id' | 'target_name' | 'details'>): TargetView | null {
  const id = e.target_id === null || e.target_id === undefined ? '' : String(e.target_id);
  const recorded = e.details ?? {};
  switch (e.target_type) {
    case 'user': {
      if (e.target_name) {
        return {
          text: e.target_name,
          to: userPage(id),
          linkLabel: i18n.t('adminAudit.targets.userNamed', { name: e.target_name }),
          title: str(recorded.username) ?? undefined,
        };
      }
      // No account at all (a refused sign-in of an unknown name or identity): nothing to name.
      if (!id && !str(recorded.username)) return null;
      return { text: str(recorded.username) ?? i18n.t('adminAudit.targets.userGone'), gone: true };
    }
    case 'group': {
      const name = e.target_name ?? str(recorded.name);
      if (e.target_name) {
        return { text: e.target_name, to: '/admin/groupes', linkLabel: i18n.t('adminAudit.targets.groupNamed', { name: e.target_name }) };
      }
      return { text: name ?? i18n.t('adminAudit.targets.groupGone'), gone: true };
    }
    case 'torrent': {
      if (e.target_name) {
        return {
          text: e.target_name,
          to: torrentPage(id),
          linkLabel: i18n.t('adminAudit.targets.torrentNamed', { name: e.target_name }),
          title: id || undefined,
        };
      }
      return { text: i18n.t('adminAudit.targets.torrentGone'), gone: true, title: id || undefined };
    }
    case 'settings': {
      const sections = settingsSections(e.target_id, e.details);
      const name = sections.map((s) => s.title).join(', ');
      return {
        text: name ? i18n.t('adminAudit.targets.settingsSection', { section: name }) : i18n.t('adminAudit.targets.settings'),
        to: `/admin/reglages${sections.length === 1 ? `#${sections[0]!.anchor}` : ''}`,
      };
    }
    case 'storage':
      return { text: i18n.t('adminAudit.targets.storage'), to: '/admin/reglages#reglages-stockage' };
    case 'server': {
      // A qBittorrent server: its current name, else the one the entry recorded (a deleted server).
      if (e.target_name) {
        return {
          text: e.target_name,
          to: `/admin/reglages#${SERVERS_ANCHOR}`,
          linkLabel: i18n.t('adminAudit.targets.serverNamed', { name: e.target_name }),
        };
      }
      return { text: str(recorded.name) ?? i18n.t('adminAudit.targets.serverGone'), gone: true, title: id || undefined };
    }
    default: {
      if (!e.target_type && !id) return null;
      return { text: e.target_name ?? i18n.t('adminAudit.unknownAction.other'), title: [e.target_type, id].filter(Boolean).join(' ') };
    }
  }
}

/** The account page of a user: "Utilisateurs" opens their dialog (`?utilisateur=<id>`). */
export function userPage(id: string | number): string {
  return `/admin/utilisateurs?utilisateur=${encodeURIComponent(String(id))}`;
}

/**
 * Who did it: a user (a link to their account), the command line, essaim itself, or a failed
 * sign-in's name (a refused single sign-on has none: an identity essaim did not recognise).
 */
export function actorView(
  e: Pick<AuditEntry, 'actor_id' | 'actor_name' | 'action'> & { details?: AuditEntry['details'] },
): TargetView {
  if (e.actor_id !== null) {
    const name = e.actor_name || i18n.t('adminAudit.userRef', { id: e.actor_id });
    if (e.action === 'user.login_failed') return { text: i18n.t('adminAudit.actors.failedLogin', { name }) };
    return { text: name, to: userPage(e.actor_id), linkLabel: i18n.t('adminAudit.actors.userNamed', { name }) };
  }
  if (e.action === 'user.login_failed' && e.actor_name) return { text: i18n.t('adminAudit.actors.failedLogin', { name: e.actor_name }) };
  if (e.action === 'user.login_failed' && viaSso(e.details)) return { text: i18n.t('adminAudit.actors.sso') };
  if (e.actor_name === 'cli' || e.actor_name === 'essaim') return { text: i18n.t(`adminAudit.actors.${e.actor_name}`) };
  return { text: e.actor_name || i18n.t('adminAudit.actors.system') };
}

/** Details left out of the journal: ids the row already names, lists of hashes (their count is there). */
const HIDDEN_DETAILS = new Set(['owner_id', 'hashes']);

/** The French label of a detail's key ("username" → "Identifiant"), else the key. */
function detailKey(k: string): string {
  const key = `adminAudit.detailKeys.${k}`;
  return /^[a-z_]+$/.test(k) && i18n.exists(key) ? i18n.t(key as 'adminAudit.detailKeys.name') : k;
}

function mapped(group: string, v: unknown): string | null {
  const key = `adminAudit.detailValues.${group}.${String(v)}`;
  return /^[a-z_0-9]+$/.test(String(v)) && i18n.exists(key) ? i18n.t(key as 'adminAudit.detailValues.rootFolder') : null;
}

/** One detail in French: label and value. */
export function detailLine(k: string, v: unknown): { label: string; value: string } | null {
  if (HIDDEN_DETAILS.has(k)) return null;
  const label = detailKey(k);
  let value: string;
  switch (k) {
    case 'role':
      value = v === 'admin' || v === 'user' ? i18n.t(`adminUsers.roles.${v}`) : detailValue(v);
      break;
    case 'changed':
      value = Array.isArray(v) ? v.map((c) => mapped('changed', c) ?? String(c)).join(', ') : detailValue(v);
      break;
    case 'permissions':
      value = Array.isArray(v)
        ? v
            .map((p) => {
              const key = `adminGroups.permissions.${String(p)}`;
              return i18n.exists(key) ? i18n.t(key as 'adminGroups.permissions.search') : String(p);
            })
            .join(', ')
        : detailValue(v);
      break;
    case 'limits': {
      const parts = v && typeof v === 'object' && !Array.isArray(v) ? limitsSummary(v as Limits) : [];
      value = parts.length > 0 ? parts.join(', ') : i18n.t('adminAudit.noLimits');
      break;
    }
    case 'deleted':
      value = Array.isArray(v) ? i18n.t('adminAudit.torrentCount', { count: v.length }) : detailValue(v);
      break;
    case 'size':
      value = typeof v === 'number' ? formatSize(v) : detailValue(v);
      break;
    case 'to':
    case 'user_id':
      value = typeof v === 'number' ? i18n.t('adminAudit.userRef', { id: v }) : detailValue(v);
      break;
    case 'folder':
      value = v === '' ? i18n.t('adminAudit.detailValues.rootFolder') : detailValue(v);
      break;
    case 'keys':
      value = Array.isArray(v) ? v.map((x) => settingLabel(String(x))).join(', ') : detailValue(v);
      break;
    case 'source':
    case 'torrents':
    case 'ok':
    case 'format':
    case 'state':
    case 'method':
    case 'reason':
      value = mapped(k, v) ?? detailValue(v);
      break;
    default:
      value = detailValue(v);
  }
  return { label, value };
}

/** A stored setting's name as its field is labelled in "Réglages" (`download_ttl` → "Durée de validité des liens"). */
const SETTING_LABELS: Record<string, string> = {
  qbt_url: 'adminSettings.qbittorrent.url',
  qbt_username: 'adminSettings.qbittorrent.username',
  qbt_password: 'adminSettings.qbittorrent.password',
  jackett_url: 'adminSettings.jackett.url',
  jackett_api_key: 'adminSettings.jackett.apiKey',
  jackett_timeout: 'adminSettings.jackett.timeout',
  download_base_url: 'adminSettings.downloads.baseUrl',
  download_root: 'adminSettings.downloads.root',
  download_secret: 'adminSettings.downloads.secret',
  download_ttl: 'adminSettings.downloads.ttl',
  download_bind_ip: 'adminSettings.downloads.bindIp',
  download_direct: 'adminSettings.downloads.direct',
  smtp_host: 'adminSettings.notifications.host',
  smtp_port: 'adminSettings.notifications.port',
  smtp_username: 'adminSettings.notifications.username',
  smtp_password: 'adminSettings.notifications.password',
  smtp_from: 'adminSettings.notifications.from',
  smtp_starttls: 'adminSettings.notifications.starttls',
  smtp_verify_tls: 'adminSettings.notifications.verifyTls',
  site_name: 'adminSettings.general.siteName',
  registration_open: 'adminSettings.general.registrationOpen',
  default_group: 'adminSettings.general.defaultGroup',
  allow_private_targets: 'adminSettings.general.allowPrivate',
  api_password_login: 'adminSettings.general.apiPasswordLogin',
  oidc_issuer: 'adminSettings.oidc.issuer',
  oidc_client_id: 'adminSettings.oidc.clientId',
  oidc_client_secret: 'adminSettings.oidc.clientSecret',
  oidc_scopes: 'adminSettings.oidc.scopes',
  oidc_group_claim: 'adminSettings.oidc.groupClaim',
  oidc_group_map: 'adminSettings.oidc.groupMap',
  oidc_auto_create: 'adminSettings.oidc.autoCreate',
  oidc_display_name: 'adminSettings.oidc.displayName',
  local_login: 'adminSettings.oidc.localLogin',
  break_glass_admin: 'adminSettings.oidc.breakGlass',
  proxy_auth_header: 'adminSettings.proxyAuth.header',
  proxy_auth_trusted_proxies: 'adminSettings.proxyAuth.trustedProxies',
};

export function settingLabel(key: string): string {
  const k = SETTING_LABELS[key];
  return k && i18n.exists(k) ? i18n.t(k as 'adminSettings.title') : key;
}

/** A detail's value in a line: lists joined, yes/no for booleans, JSON for the rest. */
export function detailValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? i18n.t('adminAudit.yes') : i18n.t('adminAudit.no');
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(detailValue).join(', ');
  return JSON.stringify(v);
}

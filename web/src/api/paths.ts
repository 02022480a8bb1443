/**
 * Every address of the server's API (docs/api-*.md): the one place that spells `/api/…`.
 * Path segments are encoded here; query strings come from `withQuery`.
 */

type QueryValue = string | number | boolean | null | undefined;

/** `path?k=v&…` with the parameters that are neither null nor undefined, in order; `path` alone when none is. */
export function withQuery(path: string, params: Record<string, QueryValue>): string {
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) qs.set(key, String(value));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

const API = '/api';
const segment = (s: string | number) => encodeURIComponent(String(s));

/** What hangs under one torrent (`/api/torrents/{hash}/…`). */
export type TorrentResource = 'files' | 'links' | 'zip' | 'pause' | 'resume' | 'owner' | 'speed';

/** What `POST /api/torrents/{action}` does to a list of torrents. */
export type BulkAction = 'pause' | 'resume' | 'delete';

/** The connection tests of "Réglages" (`/api/admin/settings/test/…`). */
export type SettingsTest = 'qbittorrent' | 'jackett' | 'downloads' | 'smtp' | 'oidc';

/** What hangs under one account (`/api/admin/users/{id}/…`): a new password, the single sign-on identity. */
export type AdminUserResource = 'password' | 'oidc';

export const apiPaths = {
  health: `${API}/health`,
  instance: `${API}/instance`,
  login: `${API}/auth/login`,
  register: `${API}/auth/register`,
  logout: `${API}/auth/logout`,
  me: `${API}/me`,
  mePassword: `${API}/me/password`,
  meDeliveries: `${API}/me/deliveries`,
  /** The user's API tokens (docs/api-tokens.md): list, create; one of them: revoke. */
  meTokens: `${API}/me/tokens`,
  meToken: (id: number) => `${API}/me/tokens/${segment(id)}`,
  dashboard: `${API}/dashboard`,
  /** The server's speed history (`?range=`, and for administrators `&server=<id>`). */
  speed: `${API}/stats/speed`,
  /** The WebSocket of the live updates (`ws://` or `wss://`, see `liveUrl`). */
  live: `${API}/ws`,

  torrents: `${API}/torrents`,
  /** The same action on several torrents at once (`{"hashes": […]}`). */
  torrentsBulk: (action: BulkAction) => `${API}/torrents/${action}`,
  /** One torrent, or what hangs under it. */
  torrent: (hash: string, resource?: TorrentResource) =>
    `${API}/torrents/${segment(hash)}${resource ? `/${resource}` : ''}`,

  search: `${API}/search`,
  searchIndexers: `${API}/search/indexers`,
  searchAdd: `${API}/search/add`,
  searchRecent: `${API}/search/recent`,
  searchRecentItem: (id: number) => `${API}/search/recent/${segment(id)}`,

  notifications: `${API}/notifications`,
  notificationsRead: `${API}/notifications/read`,

  adminUsers: `${API}/admin/users`,
  adminUser: (id: number, resource?: AdminUserResource) =>
    `${API}/admin/users/${segment(id)}${resource ? `/${resource}` : ''}`,
  adminGroups: `${API}/admin/groups`,
  adminGroup: (id: number) => `${API}/admin/groups/${segment(id)}`,
  adminSettings: `${API}/admin/settings`,
  adminSettingsTest: (what: SettingsTest) => `${API}/admin/settings/test/${what}`,
  adminStorage: `${API}/admin/storage`,
  adminStorageMove: `${API}/admin/storage/move`,
  /** The qBittorrent servers (administrators): list, add; one of them: edit, delete; a connection test. */
  adminServers: `${API}/admin/servers`,
  adminServer: (id: number) => `${API}/admin/servers/${segment(id)}`,
  adminServersTest: `${API}/admin/servers/test`,
  adminAudit: `${API}/admin/audit`,
  /** Everyone's API tokens (administrators): list, revoke. */
  adminTokens: `${API}/admin/tokens`,
  adminToken: (id: number) => `${API}/admin/tokens/${segment(id)}`,
} as const;

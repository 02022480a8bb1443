import { useQuery } from '@tanstack/react-query';
import { request } from '../../../api/client';
import { apiPaths } from '../../../api/paths';

/* ---------- Shapes (docs/api-admin.md, "Settings") ---------- */

export interface QbittorrentSettings {
  url: string;
  username: string;
  password_set: boolean;
  /** qBittorrent is started and configured by essaim itself. */
  managed: boolean;
}

export interface JackettSettings {
  url: string;
  api_key_set: boolean;
  /** Seconds. */
  timeout: number;
}

export interface DownloadsSettings {
  base_url: string;
  root: string;
  secret_set: boolean;
  /** Link lifetime in seconds. */
  ttl: number;
  bind_ip: boolean;
  direct: boolean;
  /** Ready-to-paste nginx configuration; the secret appears as a placeholder. */
  nginx_snippet: string;
}

export interface GeneralSettings {
  registration_open: boolean;
  default_group_id: number | null;
  site_name: string;
  /**
   * Add by URL and webhooks may reach loopback, private and link-local addresses (issue 16 on;
   * before, `notifications.webhook_allow_private`, for webhooks only). Read it with `allowPrivateTargets`.
   */
  allow_private_targets?: boolean;
  /**
   * Tools signing in to the qBittorrent-compatible API (/api/v2, docs/api-qbittorrent.md) may
   * give the account's password instead of an API token. Off by default; absent before issue 19.
   */
  api_password_login?: boolean;
}

/** E-mails (SMTP) and webhooks sent for notifications. */
export interface NotificationSettings {
  /** '' = no SMTP server: no e-mail is sent. */
  smtp_host: string;
  smtp_port: number;
  smtp_username: string;
  smtp_password_set: boolean;
  /** Sender, e.g. `essaim <essaim@example.org>`. */
  smtp_from: string;
  smtp_starttls: boolean;
  smtp_verify_tls: boolean;
  /** Older name of `general.allow_private_targets` (still sent, and accepted, by the server). */
  webhook_allow_private?: boolean;
}

/**
 * Single sign-on with an OpenID Connect provider (issue 22; docs/api-auth.md, "Single sign-on").
 * Off while `issuer` is empty.
 */
export interface OidcSettings {
  /** https:// (http:// only while `general.allow_private_targets`). */
  issuer: string;
  client_id: string;
  client_secret_set: boolean;
  /** Default `openid profile email`. */
  scopes: string;
  /** The ID token's claim listing the provider's groups (default `groups`). */
  group_claim: string;
  /** Lines `groupe-du-fournisseur = Groupe essaim`, the first match wins. */
  group_map: string;
  /** A first sign-in without a linked account creates one (else only linked accounts sign in). */
  auto_create: boolean;
  /** "Se connecter avec <display_name>" on the sign-in page. */
  display_name: string;
  /** Passwords sign in; false: only `break_glass_admin` still may. */
  local_login: boolean;
  /** A user name. */
  break_glass_admin: string;
}

/** A reverse proxy that authenticates (forward auth). Stored, not honoured yet by this version. */
export interface ProxyAuthSettings {
  /** The header naming the user, e.g. `Remote-User`; '' = off. */
  header: string;
  /** CIDR list, comma or space separated. */
  trusted_proxies: string;
}

export interface AdminSettings {
  qbittorrent: QbittorrentSettings;
  jackett: JackettSettings;
  downloads: DownloadsSettings;
  general: GeneralSettings;
  notifications: NotificationSettings;
  /** Absent from servers before issue 22. */
  oidc?: OidcSettings;
  proxy_auth?: ProxyAuthSettings;
}

/** Secrets: absent or null = unchanged, a string = new value. */
export interface SettingsUpdate {
  qbittorrent?: { url?: string; username?: string; password?: string | null };
  jackett?: { url?: string; api_key?: string | null; timeout?: number };
  downloads?: {
    base_url?: string;
    root?: string;
    secret?: string | null;
    ttl?: number;
    bind_ip?: boolean;
    direct?: boolean;
  };
  general?: {
    registration_open?: boolean;
    default_group_id?: number | null;
    site_name?: string;
    allow_private_targets?: boolean;
    api_password_login?: boolean;
  };
  notifications?: {
    smtp_host?: string;
    smtp_port?: number;
    smtp_username?: string;
    smtp_password?: string | null;
    smtp_from?: string;
    smtp_starttls?: boolean;
    smtp_verify_tls?: boolean;
  };
  oidc?: {
    issuer?: string;
    client_id?: string;
    client_secret?: string | null;
    scopes?: string;
    group_claim?: string;
    group_map?: string;
    auto_create?: boolean;
    display_name?: string;
    local_login?: boolean;
    break_glass_admin?: string;
  };
  proxy_auth?: { header?: string; trusted_proxies?: string };
}

export type SettingsSection = keyof AdminSettings;

/** `general.allow_private_targets`, or its older name from a server before issue 16; false when neither. */
export function allowPrivateTargets(s: Pick<AdminSettings, 'general'> & { notifications?: NotificationSettings }): boolean {
  return s.general.allow_private_targets ?? s.notifications?.webhook_allow_private ?? false;
}

/** A failed connection test: the server's French message and a code. */
export interface TestFailure {
  ok: false;
  code: string;
  message: string;
  status?: number;
}

export type QbittorrentTest =
  | { ok: true; version: string; api_version: string; free_space: number | null }
  | TestFailure;

export type JackettTest = { ok: true; indexers: Array<{ id: string; name: string }> } | TestFailure;

export type DownloadsTest = { ok: true; url: string; status: number; file: string } | TestFailure;

export type SmtpTest = { ok: true; to: string } | TestFailure;

/**
 * The provider's discovery document and keys, fetched now. `redirect_uri` is the address to
 * register at the provider (`<adresse d'essaim>/…` while essaim's public address is not set).
 */
export type OidcTest = { ok: true; keys: number; end_session: boolean; redirect_uri: string } | TestFailure;

/** The values being typed; absent ones are the saved ones. */
export interface OidcTestInput {
  issuer?: string;
  client_id?: string;
}

export interface QbittorrentTestInput {
  url?: string;
  username?: string;
  password?: string;
}

export interface JackettTestInput {
  url?: string;
  api_key?: string;
  timeout?: number;
}

export interface AdminGroupSummary {
  id: number;
  name: string;
}

/* ---------- Calls ---------- */

export const settingsApi = {
  get: (signal?: AbortSignal) => request<AdminSettings>(apiPaths.adminSettings, { signal }),
  update: (body: SettingsUpdate) => request<AdminSettings>(apiPaths.adminSettings, { method: 'PUT', body }),
  testQbittorrent: (body: QbittorrentTestInput) =>
    request<QbittorrentTest>(apiPaths.adminSettingsTest('qbittorrent'), { method: 'POST', body }),
  testJackett: (body: JackettTestInput) =>
    request<JackettTest>(apiPaths.adminSettingsTest('jackett'), { method: 'POST', body }),
  testDownloads: () => request<DownloadsTest>(apiPaths.adminSettingsTest('downloads'), { method: 'POST', body: {} }),
  /** Sends a test e-mail with the saved SMTP settings, to `to` or else to the administrator's own address. */
  testSmtp: (to?: string) =>
    request<SmtpTest>(apiPaths.adminSettingsTest('smtp'), { method: 'POST', body: to ? { to } : {} }),
  testOidc: (body: OidcTestInput) => request<OidcTest>(apiPaths.adminSettingsTest('oidc'), { method: 'POST', body }),
  /** Only the names are used here (the groups page has the full shape). */
  groups: (signal?: AbortSignal) =>
    request<{ groups: AdminGroupSummary[] }>(apiPaths.adminGroups, { signal }),
};

export const settingsKeys = {
  settings: ['admin', 'settings'] as const,
  /** Kept apart from the groups page's own cache entry: only `{id, name}` is relied on here. */
  groups: ['admin', 'settings', 'groups'] as const,
};

export function useAdminSettings(enabled: boolean) {
  return useQuery({
    queryKey: settingsKeys.settings,
    queryFn: ({ signal }) => settingsApi.get(signal),
    enabled,
    // The forms are filled once from this: no background refetch while they are open, and a
    // fresh copy on every visit (dropped as soon as the page is left).
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

export function useGroupChoices(enabled: boolean) {
  return useQuery({
    queryKey: settingsKeys.groups,
    queryFn: ({ signal }) => settingsApi.groups(signal),
    enabled,
  });
}

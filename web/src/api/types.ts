export type Role = 'admin' | 'user';

export interface User {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  role: Role;
  group: { id: number; name: string } | null;
  permissions: string[];
  created_at: number;
  last_login_at: number | null;
  /** `GET /api/me` only, from issue 6 on (absent from older servers). */
  usage?: Usage;
  /** The limits of the user's group (`GET /api/me`, issue 6 on). */
  limits?: Limits;
  /** E-mail on completed torrents (needs `email`); absent from older servers. */
  notify_email?: boolean;
  /** Where completed torrents are POSTed (Gotify format); null = no webhook. */
  webhook_url?: string | null;
}

/** What a user currently uses (`GET /api/me`). */
export interface Usage {
  torrents: number;
  active: number;
  /** Bytes. */
  disk_used: number;
}

/** A group's limits (docs/api-admin.md): an absent or null field means unlimited. */
export interface Limits {
  max_torrents?: number | null;
  max_active?: number | null;
  /** What happens to a torrent beyond `max_active`. */
  active_policy?: 'queue' | 'refuse' | null;
  /** Bytes. */
  max_torrent_size?: number | null;
  /** Bytes. */
  quota_bytes?: number | null;
  /** Bytes per second, per torrent. */
  download_limit?: number | null;
  upload_limit?: number | null;
  ratio_limit?: number | null;
  /** Minutes. */
  seeding_time_limit?: number | null;
}

export interface Instance {
  site_name: string;
  registration_open: boolean;
  version: string;
  /**
   * Passwords sign in (false: only the break-glass administrator may, everyone else through the
   * identity provider). Absent from servers before issue 22: read it as true.
   */
  local_login: boolean;
  /** The sign-in page's "Se connecter avec …" button, while an identity provider is configured. */
  sso?: InstanceSso;
  /** Behind a signing-in reverse proxy: the route that opens a session from its header. */
  proxy_sign_in?: string;
}

/** `POST /api/auth/logout` after a single sign-on: the provider's own logout page, to go on to. */
export interface LogoutResult {
  end_session_url: string;
}

/** Single sign-on as `GET /api/instance` offers it (docs/api-auth.md, "Single sign-on"). */
export interface InstanceSso {
  /** The provider's name for the button ("l'authentification unique" when the admin gave none). */
  display_name: string;
  /** Where the button leads (`/api/auth/oidc/start`), to which `?return_to=` is added. */
  start: string;
}

export type QbtStatus = 'ok' | 'down' | 'unconfigured';

export interface Health {
  status: string;
  version?: string;
  database?: string;
  qbittorrent?: QbtStatus | string;
  /** Every qBittorrent server, without names nor addresses (absent from older servers). */
  servers?: Array<{ id: number; state?: ServerState; link: ServerLink }>;
}

export interface LoginInput {
  username: string;
  password: string;
}

export interface RegisterInput {
  username: string;
  password: string;
  email?: string;
  display_name?: string;
}

export interface ProfileInput {
  display_name?: string;
  email?: string | null;
}

export interface PasswordInput {
  current_password: string;
  new_password: string;
}

/** Shape of every error body the server sends. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/* ---------- Torrents (docs/api-torrents.md) ---------- */

/** essaim's own torrent states (see `features/torrents/states.ts` for their French labels). */
export type TorrentState =
  | 'metadata'
  | 'downloading'
  | 'stalled'
  | 'seeding'
  | 'paused'
  | 'completed'
  | 'queued'
  | 'checking'
  | 'moving'
  | 'error'
  | 'removed';

export interface TorrentOwner {
  id: number;
  username: string;
  display_name: string;
}

export interface Torrent {
  hash: string;
  info_hash_v1: string | null;
  info_hash_v2: string | null;
  name: string;
  /** null: "sans propriétaire". */
  owner: TorrentOwner | null;
  state: TorrentState;
  qbt_state: string;
  /** 0..1 */
  progress: number;
  size: number;
  downloaded: number;
  uploaded: number;
  dlspeed: number;
  upspeed: number;
  /** Seconds; null = infinite or unknown. */
  eta: number | null;
  num_seeds: number;
  num_leechs: number;
  num_complete: number;
  num_incomplete: number;
  ratio: number;
  added_on: number;
  completion_on: number | null;
  /**
   * Administrators only (issue 16 on): the absolute folder on the qBittorrent machine. Ordinary
   * users never get it (the detail's `location` says where the files are, inside the owner's folder).
   */
  save_path?: string;
  /** Administrators only: where `save_path` is, see `TorrentPlacement`. */
  placement?: TorrentPlacement;
  tracker: string;
  /** essaim still knows it but qBittorrent no longer has it. */
  removed: boolean;
  /** The caller may pause, resume and delete it. */
  can_act: boolean;
  /**
   * Its qBittorrent server is down or disabled: the speeds and the ETA are the last known values
   * (absent from servers before several qBittorrent servers).
   */
  stale?: boolean;
  /** Administrators only: the id of the qBittorrent server holding it (`AdminServer.id`). */
  server?: number;
  /** Administrators only: that server's name. */
  server_name?: string;
  /**
   * Held back by a group limit: "queued" waits for a download slot (started
   * automatically), "stopped" was stopped for exceeding a limit (`reason`, in
   * French). Absent from older servers.
   */
  limit?: TorrentLimit | null;
}

/**
 * Where a torrent's files are (administrators only): in its owner's own folder, still in the
 * shared folder of the versions before per-user folders ("dossier commun", which
 * `POST /api/admin/storage/move` empties), or anywhere else (outside the root, not known yet).
 */
export type TorrentPlacement = 'user_folder' | 'shared' | 'elsewhere';

export interface TorrentLimit {
  state: 'queued' | 'stopped';
  /** French sentence from the server ("" when queued). */
  reason: string;
}

export type TorrentScope = 'mine' | 'all';

export interface TorrentList {
  torrents: Torrent[];
  qbittorrent: QbtStatus;
  stale: boolean;
  /** A French sentence for everyone, without addresses. */
  error: string | null;
  /** Administrators only: the exact failure (addresses, qBittorrent's own text). */
  error_detail?: string | null;
  /**
   * How many active qBittorrent servers do not answer (0 normally; absent from older servers).
   * `qbittorrent` stays "ok" while at least one answers: their torrents show their last known state.
   */
  servers_down?: number;
}

export type TrackerStatus = 'working' | 'not_working' | 'updating' | 'not_contacted' | 'disabled';

export interface Tracker {
  url: string;
  status: TrackerStatus;
  message: string;
}

export interface TorrentDetail extends Torrent {
  trackers: Tracker[];
  /** null while qBittorrent does not know it (no metadata, or not reachable). */
  piece_size: number | null;
  comment: string;
  /**
   * The folder of the files inside their owner's folder ("" = that folder itself); null when
   * they are not in it (shared folder, elsewhere, not known yet). Absent from older servers.
   */
  location?: string | null;
}

export interface TorrentFile {
  index: number;
  /** '/'-separated, root folder included. */
  path: string;
  size: number;
  progress: number;
  priority: number;
  /** Downloads are available for this torrent and the file is complete. */
  downloadable: boolean;
  /** Why this file may not be downloaded (null when nothing about the file itself stops it). */
  unavailable?: FileUnavailableReason | null;
}

/**
 * Why one file may not be downloaded: not complete yet, 0 bytes, or outside its owner's folder
 * (still in the shared folder: an administrator must move the torrent).
 */
export type FileUnavailableReason = 'incomplete' | 'empty' | 'outside_folder';

/**
 * Why the files of a torrent may not be downloaded. `outside_folder` (none of the files is in
 * the owner's folder) replaced `outside_root`, which older servers still send.
 */
export type DownloadsUnavailableReason = 'forbidden' | 'not_configured' | 'outside_folder' | 'outside_root';

/** What `GET /api/torrents/{hash}/files` says about downloading them. */
export interface DownloadsInfo {
  available: boolean;
  reason: DownloadsUnavailableReason | null;
  /** essaim serves the files itself (otherwise a separate file server does). */
  direct: boolean;
  /** A folder may be downloaded as a .zip (`POST /api/torrents/{hash}/zip`). */
  zip: boolean;
  /** Seconds a signed link stays valid. */
  ttl: number;
}

export interface TorrentFileList {
  files: TorrentFile[];
  downloads: DownloadsInfo;
}

/** A signed, expiring address of one file (absolute; add `&dl=1` to force a download). */
export interface FileLink {
  path: string;
  url: string;
  /** Unix seconds. */
  expires: number;
  size: number;
}

export interface FileLinks {
  links: FileLink[];
  /** Unix seconds. */
  expires: number;
}

/** Lists of links for download managers: Metalink 4 or plain addresses, one a line. */
export type LinkListFormat = 'meta4' | 'txt';

/** A signed, expiring address streaming a folder as a .zip. */
export interface FolderZip {
  url: string;
  /** Unix seconds. */
  expires: number;
  /** e.g. "Sous.zip". */
  name: string;
  size: number;
}

/* ---------- Administration ---------- */

/** An account as `GET /api/admin/users` lists it (administrators only). */
export interface AdminUser {
  id: number;
  username: string;
  display_name: string;
}

export interface AdminUserList {
  users: AdminUser[];
}

/* ---------- Storage (administrators): per-user folders and the shared folder ---------- */

/** One torrent to move out of the shared folder, or being moved. */
export interface StorageItem {
  hash: string;
  name: string;
  /** null: the account is gone. */
  owner: TorrentOwner | null;
  /** Absolute folders on the qBittorrent machine. */
  from: string;
  to: string;
  status: 'waiting' | 'moving' | 'done' | 'failed';
  /** Why it failed (French), or null. */
  message: string | null;
}

export type StorageItemStatus = StorageItem['status'];

/** The last move (or the running one), item by item. */
export interface StorageMove {
  running: boolean;
  /** Unix seconds. */
  started_at: number;
  finished_at: number | null;
  total: number;
  done: number;
  failed: number;
  items: StorageItem[];
}

/** `GET /api/admin/storage` (and the 202 answer of `POST /api/admin/storage/move`). */
export interface StorageState {
  /** The folder holding the users' folders; null while it is not known. */
  root: string | null;
  /** Where `root` comes from: the "Téléchargements" setting, or qBittorrent's default folder. */
  root_from: 'download_root' | 'qbittorrent';
  /** e.g. "/srv/dl/<dossier de l'utilisateur>/<torrent>". */
  layout: string;
  counts: { user_folder: number; shared: number; elsewhere: number };
  /** The torrents still in the shared folder that can be moved (those with an owner). */
  shared: StorageItem[];
  move: StorageMove | null;
}

/* ---------- qBittorrent servers (administrators) ---------- */

/**
 * `active`: receives new torrents; `draining`: keeps its torrents (they keep working) but receives
 * no new ones; `disabled`: essaim does not contact it (its torrents are listed stale, actions on
 * them are refused).
 */
export type ServerState = 'active' | 'draining' | 'disabled';

/** Whether essaim reaches the server now ("disabled": not contacted). */
export type ServerLink = 'ok' | 'down' | 'unconfigured' | 'disabled';

/**
 * A qBittorrent server as `GET /api/admin/servers` lists it. Server 1 is the one of the
 * "qBittorrent" and "Téléchargements" sections of Réglages (editing it edits them), and cannot
 * be deleted.
 */
export interface AdminServer {
  id: number;
  name: string;
  url: string;
  username: string;
  /** The password itself is never sent back. */
  password_set: boolean;
  /** Where that qBittorrent keeps the users' folders, as it sees it; '' = its default save path. */
  download_root: string;
  /** The file server on that machine; '' = essaim serves the files itself when it can. */
  download_base_url: string;
  state: ServerState;
  link: ServerLink;
  /** Why it is not reachable, in French (no address); null when it is. */
  error: string | null;
  /** The exact failure (addresses, qBittorrent's own text); null when none. */
  detail: string | null;
  torrents: number;
  /** Bytes; -1 when unknown. */
  free_space: number;
  /** Bytes per second. */
  dlspeed: number;
  upspeed: number;
  /** e.g. "v4.5.2"; null while unknown. */
  version: string | null;
}

export interface AdminServerList {
  servers: AdminServer[];
}

/**
 * `POST /api/admin/servers` (name and url required) and `PATCH /api/admin/servers/{id}` (every
 * field optional). The password: absent or '' = unchanged.
 */
export interface ServerInput {
  name?: string;
  url?: string;
  username?: string;
  password?: string;
  download_root?: string;
  download_base_url?: string;
  state?: ServerState;
}

/** `POST /api/admin/servers/test`: without `password`, with `id`, the stored password is used. */
export interface ServerTestInput {
  url: string;
  username?: string;
  password?: string;
  id?: number;
}

export type ServerTest =
  | { ok: true; version: string; free_space: number | null }
  | { ok: false; code: string; message: string; status?: number };

export interface AddTorrentsInput {
  magnets?: string[];
  urls?: string[];
}

export type AddResult =
  | { input: string; ok: true; hash: string; name: string; queued?: { message: string } }
  | { input: string; ok: false; error: { code: string; message: string } };

export interface AddResults {
  results: AddResult[];
}

/* ---------- Search (docs/api-search.md) ---------- */

export type SearchCategory = 'tout' | 'films' | 'series' | 'musique' | 'livres' | 'logiciels' | 'jeux';

export interface SearchParams {
  q: string;
  category: SearchCategory;
  /** An indexer id from `GET /api/search/indexers`; '' = every indexer. */
  indexer: string;
}

export interface SearchResult {
  /** Opaque: what `POST /api/search/add` takes. */
  id: string;
  title: string;
  /** Indexer name. */
  tracker: string;
  tracker_id: string;
  /** Jackett's category names, e.g. "Movies, Movies/HD". */
  category: string;
  size: number | null;
  seeders: number | null;
  leechers: number | null;
  grabs: number | null;
  published: number | null;
  details_url: string | null;
  freeleech: boolean;
  info_hash: string | null;
  /** Set when the user already added it (or already has a torrent with that hash). */
  added: { hash: string } | null;
  /** A torrent with this hash is on the server, whoever added it: adding it would be refused. */
  on_server: boolean;
}

export interface SearchIndexerStatus {
  id: string;
  name: string;
  ok: boolean;
  results: number;
  elapsed_ms: number;
  error: string | null;
}

export interface SearchResponse {
  results: SearchResult[];
  indexers: SearchIndexerStatus[];
  /** Names of the indexers that did not answer. */
  failed: string[];
  elapsed_ms: number;
}

export interface SearchIndexer {
  id: string;
  name: string;
}

/** A search of the user's, as `GET /api/search/recent` lists them (newest first, at most 20). */
export interface RecentSearch extends SearchParams {
  id: number;
  /** How many results it found. */
  results: number;
  /** Unix seconds of its last run. */
  searched_at: number;
}

export interface RecentSearchList {
  searches: RecentSearch[];
}

export type SearchAddResult =
  | { ok: true; hash: string; name: string }
  | { ok: false; error: { code: string; message: string } };

/** What a notification is about (`GET /api/notifications`, WebSocket `notification` frames). */
export type NotificationKind = 'completed' | 'limit_stopped' | 'error' | 'removed';

/** One of the user's notifications (named so as not to clash with the browser's `Notification`). */
export interface AppNotification {
  id: number;
  kind: NotificationKind;
  /** '' (or null) when the notification is about no particular torrent. */
  torrent_hash: string | null;
  torrent_name: string | null;
  /** A French sentence written by the server. */
  message: string;
  /** Unix seconds. */
  created_at: number;
  /** Unix seconds; null while unread. */
  read_at: number | null;
}

/** `GET /api/notifications`: newest first, and how many are unread in all. */
export interface NotificationList {
  notifications: AppNotification[];
  unread: number;
}

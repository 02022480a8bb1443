import { request, requestBlob } from './client';
import { apiPaths, withQuery } from './paths';
import type {
  AddResults,
  AdminServer,
  AdminServerList,
  AdminUserList,
  AddTorrentsInput,
  NotificationList,
  FileLinks,
  FolderZip,
  LogoutResult,
  Health,
  Instance,
  LinkListFormat,
  LoginInput,
  PasswordInput,
  ProfileInput,
  RecentSearchList,
  RegisterInput,
  SearchAddResult,
  SearchIndexer,
  SearchParams,
  SearchResponse,
  ServerInput,
  ServerTest,
  ServerTestInput,
  StorageState,
  Torrent,
  TorrentDetail,
  TorrentFileList,
  TorrentList,
  TorrentScope,
  User,
} from './types';

export const api = {
  health: (signal?: AbortSignal) => request<Health>(apiPaths.health, { signal }),
  instance: (signal?: AbortSignal) => request<Instance>(apiPaths.instance, { signal }),

  login: (input: LoginInput) =>
    request<User>(apiPaths.login, { method: 'POST', body: input, noSessionRedirect: true }),
  register: (input: RegisterInput) =>
    request<User>(apiPaths.register, { method: 'POST', body: input, noSessionRedirect: true }),
  /** Nothing, or the provider's logout page when the session came from single sign-on. */
  logout: () => request<LogoutResult | undefined>(apiPaths.logout, { method: 'POST', noSessionRedirect: true }),

  /** Current user; the caller decides what a 401 means (see `useMe`). */
  me: (signal?: AbortSignal) => request<User>(apiPaths.me, { signal, noSessionRedirect: true }),
  updateMe: (input: ProfileInput) => request<User>(apiPaths.me, { method: 'PATCH', body: input }),
  changePassword: (input: PasswordInput) =>
    request<void>(apiPaths.mePassword, { method: 'POST', body: input }),

  torrents: (scope: TorrentScope, signal?: AbortSignal) =>
    request<TorrentList>(withQuery(apiPaths.torrents, { scope }), { signal }),
  torrent: (hash: string, signal?: AbortSignal) => request<TorrentDetail>(apiPaths.torrent(hash), { signal }),
  /** The files, and whether (and how) they may be downloaded. */
  torrentFiles: (hash: string, signal?: AbortSignal) =>
    request<TorrentFileList>(apiPaths.torrent(hash, 'files'), { signal }),
  /** Signed links for complete files, `paths` exactly as `torrentFiles` lists them. */
  fileLinks: (hash: string, paths: readonly string[]) =>
    request<FileLinks>(apiPaths.torrent(hash, 'links'), { method: 'POST', body: { paths, format: 'json' } }),
  /** The same links as a file for a download manager (Metalink 4 or a list of addresses). */
  fileLinkList: (hash: string, paths: readonly string[], format: LinkListFormat) =>
    requestBlob(apiPaths.torrent(hash, 'links'), { method: 'POST', body: { paths, format } }),
  /** Direct mode only (`downloads.zip`): a signed link streaming a folder as a .zip. */
  folderZip: (hash: string, folder: string) =>
    request<FolderZip>(apiPaths.torrent(hash, 'zip'), { method: 'POST', body: { folder } }),
  /** Magnet links and/or addresses of .torrent files, as JSON. */
  addTorrents: (input: AddTorrentsInput) => request<AddResults>(apiPaths.torrents, { method: 'POST', body: input }),
  /** .torrent files, as multipart parts named `torrents`. */
  addTorrentFiles: (files: readonly File[]) => {
    const form = new FormData();
    for (const f of files) form.append('torrents', f, f.name);
    return request<AddResults>(apiPaths.torrents, { method: 'POST', body: form });
  },
  pauseTorrent: (hash: string) => request<void>(apiPaths.torrent(hash, 'pause'), { method: 'POST' }),
  resumeTorrent: (hash: string) => request<void>(apiPaths.torrent(hash, 'resume'), { method: 'POST' }),
  /**
   * With the files, the server may answer 409: `outside_user_folder` and `content_shared`
   * (refused), or, to an administrator, `confirm_required` (its message names what would be
   * deleted): the same call with `confirm` then deletes them.
   */
  deleteTorrent: (hash: string, deleteFiles: boolean, confirm = false) =>
    request<void>(
      withQuery(apiPaths.torrent(hash), { delete_files: deleteFiles, confirm: deleteFiles && confirm ? true : undefined }),
      { method: 'DELETE' },
    ),
  /**
   * Pause, resume or delete several torrents in one request (1 to 500 hashes). The server checks
   * every one first: one refusal refuses them all (its error, nothing done). `delete` answers the
   * same 409s as `deleteTorrent`.
   */
  pauseTorrents: (hashes: readonly string[]) =>
    request<void>(apiPaths.torrentsBulk('pause'), { method: 'POST', body: { hashes } }),
  resumeTorrents: (hashes: readonly string[]) =>
    request<void>(apiPaths.torrentsBulk('resume'), { method: 'POST', body: { hashes } }),
  deleteTorrents: (hashes: readonly string[], deleteFiles: boolean, confirm = false) =>
    request<void>(apiPaths.torrentsBulk('delete'), {
      method: 'POST',
      body: { hashes, delete_files: deleteFiles, confirm: deleteFiles && confirm },
    }),
  /** Admin only: gives the torrent to a user; answers the updated torrent (`owner` filled). */
  assignTorrent: (hash: string, userId: number) =>
    request<Torrent>(apiPaths.torrent(hash, 'owner'), { method: 'POST', body: { user_id: userId } }),

  /** Admin only: every account (id, username, display name). */
  adminUsers: (signal?: AbortSignal) => request<AdminUserList>(apiPaths.adminUsers, { signal }),

  /** Admin only: the download root, the torrents still in the shared folder, the last move. */
  adminStorage: (signal?: AbortSignal) => request<StorageState>(apiPaths.adminStorage, { signal }),
  /**
   * Admin only: moves these torrents (all those of `shared` without `hashes`) from the shared
   * folder into their owners' folders, in the background; answers 202 with the new state, or
   * 409 `nothing_to_move` / `move_running`.
   */
  moveToUserFolders: (hashes?: readonly string[]) =>
    request<StorageState>(apiPaths.adminStorageMove, { method: 'POST', body: hashes ? { hashes } : {} }),

  /** Admin only: the qBittorrent servers, by id, with their link, torrents, free space and speeds. */
  adminServers: (signal?: AbortSignal) => request<AdminServerList>(apiPaths.adminServers, { signal }),
  /** 422 `invalid_name` / `invalid_url` / `invalid_state`, 409 `name_taken`. */
  createServer: (input: ServerInput) =>
    request<{ server: AdminServer }>(apiPaths.adminServers, { method: 'POST', body: input }),
  /** Only the fields given change (a password absent or '' is kept). */
  updateServer: (id: number, input: ServerInput) =>
    request<{ server: AdminServer }>(apiPaths.adminServer(id), { method: 'PATCH', body: input }),
  /** 409 `server_not_empty` (it holds torrents) or `server_default` (server 1); 404 `not_found`. */
  deleteServer: (id: number) => request<void>(apiPaths.adminServer(id), { method: 'DELETE' }),
  /** Connects with these values; a failure is `{ ok: false, code, message }` (French), not an error. */
  testServer: (input: ServerTestInput) =>
    request<ServerTest>(apiPaths.adminServersTest, { method: 'POST', body: input }),

  /** Jackett search (permission `search`); the indexer is left out when it is ''. */
  search: (params: SearchParams, signal?: AbortSignal) =>
    request<SearchResponse>(
      withQuery(apiPaths.search, { q: params.q, category: params.category, indexer: params.indexer || undefined }),
      { signal },
    ),
  searchIndexers: (signal?: AbortSignal) =>
    request<{ indexers: SearchIndexer[] }>(apiPaths.searchIndexers, { signal }),
  /** The user's last searches, newest first (every successful `search` is recorded by the server). */
  recentSearches: (signal?: AbortSignal) => request<RecentSearchList>(apiPaths.searchRecent, { signal }),
  /** Forgets one recent search (404 `not_found` when it is not, or no longer, one of the user's). */
  forgetRecentSearch: (id: number) => request<void>(apiPaths.searchRecentItem(id), { method: 'DELETE' }),
  clearRecentSearches: () => request<void>(apiPaths.searchRecent, { method: 'DELETE' }),
  /** Adds a search result by its id; a refusal comes back as `{ ok: false, error }`. */
  addSearchResult: (id: string) => request<SearchAddResult>(apiPaths.searchAdd, { method: 'POST', body: { id } }),

  /**
   * The user's last notifications, newest first, with the number of unread ones. A background
   * call of the header on every page: a 401 here does not end the session by itself (the page's
   * own calls and `/api/me` do).
   */
  notifications: (limit: number, signal?: AbortSignal) =>
    request<NotificationList>(withQuery(apiPaths.notifications, { limit }), { signal, noSessionRedirect: true }),
  /** Marks these notifications read, or all of them without `ids`; answers what stays unread. */
  markNotificationsRead: (ids?: readonly number[]) =>
    request<{ unread: number }>(apiPaths.notificationsRead, { method: 'POST', body: ids ? { ids } : {} }),
  clearNotifications: () => request<void>(apiPaths.notifications, { method: 'DELETE' }),
};

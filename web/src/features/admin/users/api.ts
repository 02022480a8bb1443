import { request } from '../../../api/client';
import { apiPaths, withQuery } from '../../../api/paths';
import type { Role } from '../../../api/types';

/**
 * An account as `GET /api/admin/users` lists it (docs/api-admin.md). A superset of the
 * `AdminUser` the torrent "Attribuer" dialog reads from the same route.
 */
export interface ManagedUser {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  role: Role;
  group: { id: number; name: string } | null;
  disabled: boolean;
  created_at: number;
  last_login_at: number | null;
  /** Live torrents owned. */
  torrents: number;
  /** Sum of their sizes, in bytes. */
  disk_used: number;
  /**
   * The user's own folder, under the download root (issue 16 on): where their torrents are
   * saved. Chosen by the server when the account is created; never changes.
   */
  folder?: string;
  /** How the account signs in by single sign-on (issue 22); [] for password-only accounts. */
  identities?: ManagedIdentity[];
}

/** A provider's `sub` (`oidc`) or the trusted proxy's user name (`proxy`) the account is linked to. */
export interface ManagedIdentity {
  kind: 'oidc' | 'proxy';
  issuer: string;
  subject: string;
  last_login_at: number | null;
}

export interface ManagedUserList {
  users: ManagedUser[];
}

/** The list's filters, as the page holds them ('' = any). */
export interface UserFilters {
  q: string;
  /** A group id, as text. */
  group_id: string;
  role: '' | Role;
  state: '' | 'active' | 'disabled';
}

export const NO_FILTERS: UserFilters = { q: '', group_id: '', role: '', state: '' };

/** `/api/admin/users` with only the filters that are set (`q` trimmed). */
export function usersPath(f: UserFilters): string {
  return withQuery(apiPaths.adminUsers, {
    q: f.q.trim() || undefined,
    group_id: f.group_id || undefined,
    role: f.role || undefined,
    state: f.state || undefined,
  });
}

export interface CreateUserInput {
  username: string;
  display_name?: string;
  email?: string;
  role: Role;
  group_id: number;
  /** Absent: the server generates one and answers it once. */
  password?: string;
}

export interface CreatedUser {
  user: ManagedUser;
  /** The generated password (shown once), or null when one was given. */
  password: string | null;
}

export interface UserPatch {
  display_name?: string;
  email?: string | null;
  role?: Role;
  group_id?: number;
  disabled?: boolean;
}

/** An account's identity at the single sign-on provider (`PUT /api/admin/users/{id}/oidc`). */
export interface LinkedIdentity {
  issuer: string;
  subject: string;
}

/** What becomes of a deleted user's torrents. */
export type TorrentFate = { torrents: 'reassign'; to: number } | { torrents: 'delete' };

export function deleteUserPath(id: number, fate: TorrentFate): string {
  return withQuery(apiPaths.adminUser(id), {
    torrents: fate.torrents,
    to: fate.torrents === 'reassign' ? fate.to : undefined,
  });
}

export const usersApi = {
  list: (filters: UserFilters, signal?: AbortSignal) => request<ManagedUserList>(usersPath(filters), { signal }),
  create: (input: CreateUserInput) => request<CreatedUser>(apiPaths.adminUsers, { method: 'POST', body: input }),
  /** 409 `last_admin` when it would leave no active administrator. Disabling ends the sessions. */
  update: (id: number, patch: UserPatch) =>
    request<ManagedUser>(apiPaths.adminUser(id), { method: 'PATCH', body: patch }),
  /** A new generated password (the user's sessions end). */
  resetPassword: (id: number) =>
    request<{ password: string | null }>(apiPaths.adminUser(id, 'password'), { method: 'POST', body: {} }),
  remove: (id: number, fate: TorrentFate) => request<void>(deleteUserPath(id, fate), { method: 'DELETE' }),
  /**
   * Single sign-on: the account the provider's `sub` signs in as. 409 `identity_taken` (that
   * subject is another account's, or this account already has one) or `oidc_disabled`, 422
   * `invalid_subject` (field `subject`).
   */
  linkIdentity: (id: number, subject: string) =>
    request<LinkedIdentity>(apiPaths.adminUser(id, 'oidc'), { method: 'PUT', body: { subject } }),
  /** 404 `identity_not_found` when the account has none. */
  unlinkIdentity: (id: number) => request<void>(apiPaths.adminUser(id, 'oidc'), { method: 'DELETE' }),
};

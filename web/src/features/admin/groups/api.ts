import { request } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import type { Limits } from '../../../api/types';

/**
 * The 13 permissions, in the server's order (server/src/auth/policy.cpp; permissions.test.ts
 * checks it). The page prefers the list `GET /api/admin/groups` sends.
 */
export const PERMISSIONS = [
  'add_torrents',
  'add_torrent_files',
  'add_magnets',
  'search',
  'pause_own',
  'delete_own',
  'delete_own_data',
  'see_all',
  'act_all',
  'download_own',
  'download_any',
  'see_charts',
  'use_api',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isKnownPermission(p: string): p is Permission {
  return (PERMISSIONS as readonly string[]).includes(p);
}

/** A group as `GET /api/admin/groups` lists it (docs/api-admin.md). */
export interface Group {
  id: number;
  name: string;
  permissions: string[];
  limits: Limits;
  members: number;
  /**
   * The qBittorrent servers its members' new torrents may go to (ids); [] = every server. Absent
   * from servers before several qBittorrent servers.
   */
  servers?: number[];
}

export interface GroupList {
  groups: Group[];
  /** Every permission the server knows. */
  permissions: string[];
}

export interface GroupInput {
  name: string;
  permissions: string[];
  /** Every field present: `null` = unlimited. */
  limits: Limits;
  /** Server ids ([] = every server); left out when the servers are not known (unchanged). 422 `invalid_server`. */
  servers?: number[];
}

export const groupsApi = {
  list: (signal?: AbortSignal) => request<GroupList>(apiPaths.adminGroups, { signal }),
  create: (input: GroupInput) => request<Group>(apiPaths.adminGroups, { method: 'POST', body: input }),
  update: (id: number, input: Partial<GroupInput>) =>
    request<Group>(apiPaths.adminGroup(id), { method: 'PATCH', body: input }),
  /** 409 `group_not_empty` or `default_group`: the server's French message is shown as is. */
  remove: (id: number) => request<void>(apiPaths.adminGroup(id), { method: 'DELETE' }),
};

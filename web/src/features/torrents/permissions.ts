import type { User } from '../../api/types';

/**
 * What the user's group allows, as the server checks it (server/src/auth/policy.cpp and the
 * torrent routes): the interface only hides what would be refused anyway. An admin may do
 * everything. While the user is unknown, everything is shown: the server still decides.
 */
type Who = Pick<User, 'role' | 'permissions'> | null | undefined;

export function hasPermission(u: Who, permission: string): boolean {
  return !u || u.role === 'admin' || u.permissions.includes(permission);
}

/** "Tous les torrents" (here an unknown user may not: the page would answer 403). */
export function canSeeAll(u: Who): boolean {
  return !!u && (u.role === 'admin' || u.permissions.includes('see_all'));
}

export const mayAdd = (u: Who) => hasPermission(u, 'add_torrents');
export const mayAddMagnets = (u: Who) => mayAdd(u) && hasPermission(u, 'add_magnets');
/** .torrent files and their addresses. */
export const mayAddFiles = (u: Who) => mayAdd(u) && hasPermission(u, 'add_torrent_files');
export const mayPause = (u: Who) => hasPermission(u, 'pause_own') || hasPermission(u, 'act_all');
export const mayDelete = (u: Who) => hasPermission(u, 'delete_own') || hasPermission(u, 'act_all');
export const mayDeleteData = (u: Who) => hasPermission(u, 'delete_own_data') || hasPermission(u, 'act_all');
/** Giving a torrent to a user (server: admin only; hidden while the user is unknown). */
export const mayAssign = (u: Who) => !!u && u.role === 'admin';

import type { User } from '../../api/types';

/** The search page and its nav entry: permission `search`, or an administrator (hidden while unknown). */
export function maySearch(u: Pick<User, 'role' | 'permissions'> | null | undefined): boolean {
  return !!u && (u.role === 'admin' || u.permissions.includes('search'));
}

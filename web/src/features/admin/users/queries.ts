import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/queries';
import { groupsKey } from '../groups/queries';
import { usersApi, type CreateUserInput, type TorrentFate, type UserFilters, type UserPatch } from './api';

/**
 * Under `queryKeys.adminUsers` (['admin', 'users']), so that invalidating it also refreshes
 * the list of the torrent "Attribuer" dialog, which sits at that exact key.
 */
export const usersListKey = (f: UserFilters) =>
  [...queryKeys.adminUsers, 'list', f.q.trim(), f.group_id, f.role, f.state] as const;

export function useManagedUsers(filters: UserFilters, enabled = true) {
  return useQuery({
    queryKey: usersListKey(filters),
    queryFn: ({ signal }) => usersApi.list(filters, signal),
    select: (d) => d.users,
    // Changing a filter keeps the previous rows until the new ones arrive.
    placeholderData: keepPreviousData,
    staleTime: 15_000,
    enabled,
  });
}

/** After a change: every user list (this page's and the "Attribuer" dialog's) and the groups (member counts). */
function useRefresh() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.adminUsers }),
      client.invalidateQueries({ queryKey: groupsKey }),
    ]);
}

export function useCreateUser() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: CreateUserInput) => usersApi.create(input),
    onSuccess: () => refresh(),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UserPatch }) => usersApi.update(id, patch),
    // An administrator may edit themself (display name, group…): /api/me follows.
    onSuccess: () => Promise.all([refresh(), client.invalidateQueries({ queryKey: queryKeys.me })]),
  });
}

export function useResetPassword() {
  return useMutation({ mutationFn: (id: number) => usersApi.resetPassword(id) });
}

export function useDeleteUser() {
  const client = useQueryClient();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, fate }: { id: number; fate: TorrentFate }) => usersApi.remove(id, fate),
    // Their torrents changed owner or went away.
    onSuccess: () => Promise.all([refresh(), client.invalidateQueries({ queryKey: queryKeys.torrentLists })]),
  });
}

/** Links an account to a provider's `sub`; nothing cached shows identities, nothing to refresh. */
export function useLinkIdentity() {
  return useMutation({
    mutationFn: ({ id, subject }: { id: number; subject: string }) => usersApi.linkIdentity(id, subject),
  });
}

export function useUnlinkIdentity() {
  return useMutation({ mutationFn: (id: number) => usersApi.unlinkIdentity(id) });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/queries';
import { groupsApi, type GroupInput } from './api';

export const groupsKey = ['admin', 'groups'] as const;

/** Groups with their members, permissions and limits (administrators). */
export function useGroups(enabled = true) {
  return useQuery({
    queryKey: groupsKey,
    queryFn: ({ signal }) => groupsApi.list(signal),
    staleTime: 30_000,
    enabled,
  });
}

/** After a change: the groups, the users (their group's name) and the current user (their own limits). */
function useRefresh() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: groupsKey }),
      client.invalidateQueries({ queryKey: queryKeys.adminUsers }),
      client.invalidateQueries({ queryKey: queryKeys.me }),
    ]);
}

export function useSaveGroup() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, input }: { id: number | null; input: GroupInput }) =>
      id === null ? groupsApi.create(input) : groupsApi.update(id, input),
    onSuccess: () => refresh(),
  });
}

export function useDeleteGroup() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: number) => groupsApi.remove(id),
    onSuccess: () => refresh(),
  });
}

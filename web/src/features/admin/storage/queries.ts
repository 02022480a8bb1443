import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../api/client';
import { api } from '../../../api/endpoints';
import { queryKeys } from '../../../api/queries';

/** While a move runs, its state is fetched this often. */
export const STORAGE_POLL_MS = 1_000;

/**
 * `GET /api/admin/storage` (administrators): the root, the torrents still in the shared
 * folder and the last move; polled every second while a move runs, not otherwise.
 */
export function useStorage(enabled = true) {
  return useQuery({
    queryKey: queryKeys.adminStorage,
    queryFn: ({ signal }) => api.adminStorage(signal),
    enabled,
    refetchInterval: (q) => (q.state.data?.move?.running ? STORAGE_POLL_MS : false),
  });
}

/**
 * Starts moving torrents out of the shared folder (all of them without `hashes`). The 202
 * answer becomes the cached state, which starts the polling; a `move_running` refusal
 * fetches the state again so that the running move shows.
 */
export function useMoveToUserFolders() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (hashes?: readonly string[]) => api.moveToUserFolders(hashes),
    onSuccess: (state) => client.setQueryData(queryKeys.adminStorage, state),
    onError: (e) => {
      if (e instanceof ApiError && (e.code === 'move_running' || e.code === 'nothing_to_move')) {
        void client.invalidateQueries({ queryKey: queryKeys.adminStorage });
      }
    },
  });
}

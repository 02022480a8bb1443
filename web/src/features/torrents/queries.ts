import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { queryKeys } from '../../api/queries';
import type { TorrentScope, User } from '../../api/types';
import { useLiveOpen } from './LiveProvider';
import { forgetTorrent, storeTorrent } from './liveCache';

/** While the live connection is down, lists and details are polled this often. */
export const POLL_MS = 5_000;

/** "Mes torrents" or "Tous les torrents": kept fresh by the socket, polled while it is down. */
export function useTorrentList(scope: TorrentScope, enabled = true) {
  const live = useLiveOpen();
  return useQuery({
    queryKey: queryKeys.torrents(scope),
    queryFn: ({ signal }) => api.torrents(scope, signal),
    refetchInterval: live ? false : POLL_MS,
    enabled,
  });
}

export function useTorrentDetail(hash: string) {
  const live = useLiveOpen();
  return useQuery({
    queryKey: queryKeys.torrent(hash),
    queryFn: ({ signal }) => api.torrent(hash, signal),
    // The socket updates the torrent's fields; trackers only come from here.
    refetchInterval: live ? 30_000 : POLL_MS,
  });
}

/** Pause and resume; resolves once the lists have been fetched again. */
export function useTorrentAction(kind: 'pause' | 'resume') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (hash: string) => (kind === 'pause' ? api.pauseTorrent(hash) : api.resumeTorrent(hash)),
    onSuccess: (_data, hash) =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.torrentLists }),
        client.invalidateQueries({ queryKey: queryKeys.torrent(hash), exact: true }),
      ]),
  });
}

/**
 * Pause or resume several torrents in one request (`POST /api/torrents/pause|resume`); resolves
 * once the lists have been fetched again.
 */
export function useBulkAction(kind: 'pause' | 'resume') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (hashes: readonly string[]) => (kind === 'pause' ? api.pauseTorrents(hashes) : api.resumeTorrents(hashes)),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.torrentLists }),
  });
}

/** Deletes one torrent (`DELETE /api/torrents/{hash}`) or several (`POST /api/torrents/delete`). */
export function useDeleteTorrent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      hashes,
      deleteFiles,
      confirm = false,
    }: {
      hashes: readonly string[];
      deleteFiles: boolean;
      confirm?: boolean;
    }) =>
      hashes.length === 1
        ? api.deleteTorrent(hashes[0]!, deleteFiles, confirm)
        : api.deleteTorrents(hashes, deleteFiles, confirm),
    // No refetch here: the server may still list them for a moment; the socket (or the polling) confirms.
    onSuccess: (_data, { hashes }) => {
      for (const hash of hashes) forgetTorrent(client, hash);
    },
  });
}

/** Accounts an administrator may give a torrent to (fetched while the dialog is open). */
export function useAdminUsers(enabled = true) {
  return useQuery({
    queryKey: queryKeys.adminUsers,
    queryFn: ({ signal }) => api.adminUsers(signal),
    select: (d) => d.users,
    staleTime: 60_000,
    enabled,
  });
}

/** Gives a torrent to a user; the answer goes straight into the lists and the detail page. */
export function useAssignTorrent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ hash, userId }: { hash: string; userId: number }) => api.assignTorrent(hash, userId),
    onSuccess: (torrent) => storeTorrent(client, torrent, client.getQueryData<User | null>(queryKeys.me)?.id),
  });
}

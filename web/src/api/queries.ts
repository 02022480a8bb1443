import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, notifySessionExpired } from './client';
import { api } from './endpoints';
import type { SearchParams, TorrentScope, User } from './types';

export const queryKeys = {
  me: ['me'] as const,
  instance: ['instance'] as const,
  health: ['health'] as const,
  /** Prefix of both torrent lists. */
  torrentLists: ['torrents'] as const,
  torrents: (scope: TorrentScope) => ['torrents', scope] as const,
  torrent: (hash: string) => ['torrent', hash] as const,
  torrentFiles: (hash: string) => ['torrent', hash, 'files'] as const,
  adminUsers: ['admin', 'users'] as const,
  adminStorage: ['admin', 'storage'] as const,
  adminServers: ['admin', 'servers'] as const,
  searchIndexers: ['search', 'indexers'] as const,
  searchRecent: ['search', 'recent'] as const,
  /** Prefix of every search's results. */
  searchResults: ['search', 'results'] as const,
  search: (p: SearchParams) => ['search', 'results', p.q, p.category, p.indexer] as const,
};

/** The logged-in user, or null when there is no valid session. */
export function fetchMe(client: QueryClient) {
  return async ({ signal }: { signal: AbortSignal }): Promise<User | null> => {
    try {
      return await api.me(signal);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        // A session we had just went away: tell the app (notice on the login page).
        if (client.getQueryData<User | null>(queryKeys.me)) notifySessionExpired();
        return null;
      }
      throw e;
    }
  };
}

export function useMe() {
  const client = useQueryClient();
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe(client), staleTime: 60_000 });
}

export function useInstance() {
  return useQuery({
    queryKey: queryKeys.instance,
    queryFn: ({ signal }) => api.instance(signal),
    staleTime: 5 * 60_000,
  });
}

export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health,
    queryFn: ({ signal }) => api.health(signal),
    refetchInterval: 30_000,
    retry: false,
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { queryKeys } from '../../api/queries';
import { ApiError } from '../../api/client';
import type { RecentSearchList, SearchParams, SearchResponse } from '../../api/types';

/** Indexers for the select; a failure just leaves "Tous les indexeurs". */
export function useSearchIndexers(enabled = true) {
  return useQuery({
    queryKey: queryKeys.searchIndexers,
    queryFn: ({ signal }) => api.searchIndexers(signal),
    select: (d) => d.indexers,
    staleTime: 5 * 60_000,
    retry: false,
    enabled,
  });
}

/**
 * Results of the submitted search (`null`: nothing submitted yet). Never refetched on its own.
 * Each answer from the server also moved the search to the top of the recent ones.
 */
export function useSearchResults(params: SearchParams | null) {
  const client = useQueryClient();
  return useQuery({
    queryKey: params ? queryKeys.search(params) : queryKeys.searchResults,
    queryFn: async ({ signal }) => {
      const res = await api.search(params!, signal);
      void client.invalidateQueries({ queryKey: queryKeys.searchRecent, exact: true });
      return res;
    },
    enabled: params !== null,
    retry: false,
    staleTime: Infinity,
    // The server keeps results 30 minutes; older ids would be refused.
    gcTime: 25 * 60_000,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/**
 * "Ajouter" on a result. On success the result is marked as added in every cached search
 * and the torrent lists are fetched again.
 */
export function useAddSearchResult() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.addSearchResult(id),
    onSuccess: (res, id) => {
      if (!res.ok) return;
      client.setQueriesData<SearchResponse>({ queryKey: queryKeys.searchResults }, (data) =>
        data && {
          ...data,
          results: data.results.map((r) => (r.id === id ? { ...r, added: { hash: res.hash } } : r)),
        },
      );
      void client.invalidateQueries({ queryKey: queryKeys.torrentLists });
    },
  });
}

/** The user's recent searches, newest first. */
export function useRecentSearches(enabled = true) {
  return useQuery({
    queryKey: queryKeys.searchRecent,
    queryFn: ({ signal }) => api.recentSearches(signal),
    select: (d) => d.searches,
    enabled,
  });
}

/**
 * Forgets one recent search, or all of them (`id` null). The list is updated at once, then
 * fetched again. A 404 means it was already gone (another tab): that is a success too.
 */
export function useForgetRecentSearch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: number | null) => {
      if (id === null) return api.clearRecentSearches();
      try {
        await api.forgetRecentSearch(id);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    },
    onSuccess: (_res, id) => {
      client.setQueryData<RecentSearchList>(queryKeys.searchRecent, (data) =>
        data && { searches: id === null ? [] : data.searches.filter((s) => s.id !== id) },
      );
      void client.invalidateQueries({ queryKey: queryKeys.searchRecent, exact: true });
    },
  });
}

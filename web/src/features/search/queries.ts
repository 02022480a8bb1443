import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { queryKeys } from '../../api/queries';
import type { SearchParams, SearchResponse } from '../../api/types';

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

/** Results of the submitted search (`null`: nothing submitted yet). Never refetched on its own. */
export function useSearchResults(params: SearchParams | null) {
  return useQuery({
    queryKey: params ? queryKeys.search(params) : queryKeys.searchResults,
    queryFn: ({ signal }) => api.search(params!, signal),
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

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../api/client';
import { api } from '../../../api/endpoints';
import { queryKeys } from '../../../api/queries';
import type { AdminServer, ServerInput, User } from '../../../api/types';
import { isAdmin } from '../AdminNav';

/** While "Serveurs qBittorrent" is on screen, the list (links, torrents, speeds) is fetched this often. */
export const SERVERS_POLL_MS = 5_000;

/**
 * `GET /api/admin/servers` (administrators): every qBittorrent server with its link, torrents,
 * free space and speeds. `poll`: refetched that often while the caller is mounted (the Réglages
 * section, the dashboard); otherwise kept a minute (the pages only need the names).
 */
export function useAdminServers(enabled = true, poll: number | false = false) {
  return useQuery({
    queryKey: queryKeys.adminServers,
    queryFn: ({ signal }) => api.adminServers(signal),
    select: (d) => d.servers,
    enabled,
    staleTime: poll === false ? 60_000 : 0,
    refetchInterval: poll,
    // A server before several qBittorrent servers answers 404: asking again will not change it.
    retry: (count, e) => !(e instanceof ApiError && e.status === 404) && count < 1,
  });
}

/** The server answered that it has no such route (a server before several qBittorrent servers). */
export function serversUnsupported(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/**
 * For administrators only (nothing is asked for anyone else): the qBittorrent servers, and
 * whether there are several (what the "Serveur" column, the dashboard's "Serveurs" card and the
 * speed chart's server choice depend on).
 */
export function useServerChoices(me: Pick<User, 'role'> | null | undefined, poll: number | false = false) {
  const admin = isAdmin(me);
  const query = useAdminServers(admin, poll);
  const servers: readonly AdminServer[] = admin ? (query.data ?? []) : [];
  return { servers, several: servers.length > 1, query };
}

/** After a change: the list, and what shows a server's name or state (torrents, health). */
export function useRefreshServers() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.adminServers }),
      client.invalidateQueries({ queryKey: queryKeys.torrentLists }),
      client.invalidateQueries({ queryKey: queryKeys.health }),
    ]);
}

/** Adds a server (`id` null) or edits one; resolves with the saved server. */
export function saveServer({ id, input }: { id: number | null; input: ServerInput }): Promise<AdminServer> {
  return (id === null ? api.createServer(input) : api.updateServer(id, input)).then((r) => r.server);
}

export function useDeleteServer() {
  const refresh = useRefreshServers();
  return useMutation({
    mutationFn: (id: number) => api.deleteServer(id),
    onSuccess: () => refresh(),
  });
}

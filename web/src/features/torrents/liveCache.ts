import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../api/queries';
import type { Torrent, TorrentDetail, TorrentList } from '../../api/types';
import { reduceTorrents, type Belongs, type LiveMessage } from './live';

export interface LiveContext {
  /** The logged-in user: "Mes torrents" keeps the torrents they own. */
  userId: number;
  /** Whether the socket also carries everyone's torrents ("Tous les torrents"). */
  seeAll: boolean;
  /**
   * Torrents without owner data already checked against the server's "Mes torrents"
   * (asked once each: an admin sees many unowned torrents, and deltas come every second).
   */
  asked?: Set<string>;
}

const emptyList = (): TorrentList => ({ torrents: [], qbittorrent: 'ok', stale: false, error: null });

/** Cached detail pages (`['torrent', hash]`, not their file lists). */
function cachedDetails(client: QueryClient): string[] {
  return client
    .getQueryCache()
    .findAll({ queryKey: ['torrent'] })
    .map((q) => q.queryKey)
    .filter((k) => k.length === 2 && typeof k[1] === 'string')
    .map((k) => k[1] as string);
}

function mergeDetail(client: QueryClient, t: Torrent): void {
  client.setQueryData<TorrentDetail>(queryKeys.torrent(t.hash), (old) => (old ? { ...old, ...t } : old));
}

/**
 * Writes a live message into the TanStack Query cache used by the lists, the
 * dashboard and the detail pages. A full snapshot creates the list entries
 * (the pages then show at once); a delta only touches what is cached.
 */
export function applyLiveMessage(client: QueryClient, msg: LiveMessage, ctx: LiveContext): void {
  // "Mes torrents": the server's list decides who owns what; a torrent whose owner the
  // message does not name stays where it is, and one not listed yet makes us ask the server.
  const mine: Belongs = (t) => (t.owner ? t.owner.id === ctx.userId : undefined);
  const lists: Array<[readonly unknown[], Belongs]> = [[queryKeys.torrents('mine'), mine]];
  if (ctx.seeAll) lists.push([queryKeys.torrents('all'), () => true]);

  if (msg.type === 'status') {
    for (const [key] of lists) {
      let refetch = false;
      client.setQueryData<TorrentList>(key, (old) => {
        if (!old) return old;
        const next: TorrentList = { ...old, qbittorrent: msg.qbittorrent, error: msg.error, stale: msg.qbittorrent !== 'ok' };
        if (msg.servers_down !== undefined) next.servers_down = msg.servers_down;
        // Administrators' lists carry the exact failure, which the socket does not: gone once
        // qBittorrent is back, asked again when the failure changed.
        if ('error_detail' in old) {
          if (msg.qbittorrent === 'ok') next.error_detail = null;
          else refetch = old.qbittorrent !== msg.qbittorrent || old.error !== msg.error;
        }
        return next;
      });
      if (refetch) void client.invalidateQueries({ queryKey: key, exact: true });
    }
    return;
  }

  for (const [key, belongs] of lists) {
    let undecided = false;
    const onUndecided = (t: Torrent) => {
      if (ctx.asked?.has(t.hash)) return;
      ctx.asked?.add(t.hash);
      undecided = true;
    };
    client.setQueryData<TorrentList>(key, (old) => {
      if (!old && !msg.full) return old;
      const base = old ?? emptyList();
      const torrents = reduceTorrents(base.torrents, msg, belongs, onUndecided);
      return torrents === base.torrents && old ? old : { ...base, torrents: [...torrents] };
    });
    if (undecided) void client.invalidateQueries({ queryKey: key, exact: true });
  }

  if (msg.full) {
    const byHash = new Map(msg.torrents.map((t) => [t.hash, t]));
    for (const hash of cachedDetails(client)) {
      const t = byHash.get(hash);
      if (t) mergeDetail(client, t);
      // No longer visible: ask the server (it may answer 404 "Torrent introuvable").
      else void client.invalidateQueries({ queryKey: queryKeys.torrent(hash), exact: true });
    }
  } else {
    for (const t of msg.changed) mergeDetail(client, t);
    for (const hash of msg.removed) void client.invalidateQueries({ queryKey: queryKeys.torrent(hash), exact: true });
  }
}

/** After a deletion: the torrent leaves both lists at once (its detail entry simply ages out). */
export function forgetTorrent(client: QueryClient, hash: string): void {
  for (const scope of ['mine', 'all'] as const) {
    client.setQueryData<TorrentList>(queryKeys.torrents(scope), (old) =>
      old ? { ...old, torrents: old.torrents.filter((t) => t.hash !== hash) } : old,
    );
  }
}

/**
 * After an assignment: the server's updated torrent replaces the cached one in "Tous les torrents"
 * and on its detail page; "Mes torrents" gains it when it now belongs to the user, loses it otherwise.
 */
export function storeTorrent(client: QueryClient, t: Torrent, userId: number | undefined): void {
  const replace = (list: readonly Torrent[]) => list.map((x) => (x.hash === t.hash ? t : x));
  client.setQueryData<TorrentList>(queryKeys.torrents('all'), (old) =>
    old ? { ...old, torrents: replace(old.torrents) } : old,
  );
  client.setQueryData<TorrentList>(queryKeys.torrents('mine'), (old) => {
    if (!old) return old;
    const mine = userId !== undefined && t.owner?.id === userId;
    const present = old.torrents.some((x) => x.hash === t.hash);
    if (!mine) return present ? { ...old, torrents: old.torrents.filter((x) => x.hash !== t.hash) } : old;
    return { ...old, torrents: present ? replace(old.torrents) : [...old.torrents, t] };
  });
  mergeDetail(client, t);
}

import type { Torrent } from '../../api/types';

/**
 * Whether a torrent still counts as a download in progress, as the server decides for
 * the dashboard (server/src/auth/limits.cpp `is_active`).
 */
export function isDownloading(t: Pick<Torrent, 'state' | 'progress' | 'removed'>): boolean {
  if (t.removed) return false;
  return (
    t.state === 'metadata' ||
    t.state === 'downloading' ||
    t.state === 'stalled' ||
    (t.state === 'queued' && t.progress < 1)
  );
}

/**
 * The dashboard's active torrents with the fresher copies the socket keeps in "Mes
 * torrents" (progress and speeds move every second), and whether one of them has since
 * stopped downloading (then the dashboard is asked again).
 */
export function overlayLive(
  active: readonly Torrent[],
  live: readonly Torrent[] | undefined,
): { torrents: Torrent[]; finished: string[] } {
  if (!live) return { torrents: [...active], finished: [] };
  const byHash = new Map(live.map((t) => [t.hash, t]));
  const finished: string[] = [];
  const torrents = active.map((t) => {
    const fresh = byHash.get(t.hash);
    if (fresh && !isDownloading(fresh)) finished.push(t.hash);
    return fresh ?? t;
  });
  return { torrents: torrents.filter((t) => !finished.includes(t.hash)), finished };
}

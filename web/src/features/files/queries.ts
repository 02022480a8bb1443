import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { queryKeys } from '../../api/queries';
import type { DownloadsInfo, TorrentFileList } from '../../api/types';
import { POLL_MS } from '../torrents/queries';

/** When the server says nothing about downloads (an older server): nothing may be downloaded. */
export const NO_DOWNLOADS: DownloadsInfo = { available: false, reason: null, direct: false, zip: false, ttl: 0 };

/** Nothing left to change: the torrent is finished and every wanted file is complete. */
function settled(data: TorrentFileList | undefined, finished: boolean): boolean {
  const files = data?.files ?? [];
  return finished && files.length > 0 && files.every((f) => f.progress >= 1 || f.priority === 0);
}

/**
 * The torrent's files and what may be downloaded (`GET /api/torrents/{hash}/files`);
 * refreshed while anything is still downloading (or there is no metadata yet).
 */
export function useFileList(hash: string, finished: boolean) {
  return useQuery({
    queryKey: queryKeys.torrentFiles(hash),
    queryFn: ({ signal }) => api.torrentFiles(hash, signal),
    select: (d): TorrentFileList => ({ files: d.files ?? [], downloads: d.downloads ?? NO_DOWNLOADS }),
    refetchInterval: (q) => (settled(q.state.data, finished) ? false : POLL_MS),
  });
}

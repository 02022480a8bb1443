import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { apiPaths, withQuery } from '../../api/paths';
import type { User } from '../../api/types';
import { useLiveOpen } from '../torrents/LiveProvider';
import { subscribeSpeed } from './liveSpeed';
import { appendSample, LIVE_WINDOW, parseSamples, RANGE_STEP, type SpeedRange, type SpeedSample } from './series';

/** A speed history as the pages keep it (samples already checked and sorted). */
export interface SpeedHistory {
  step: number;
  samples: readonly SpeedSample[];
}

export const chartKeys = {
  /** The whole instance (summed over the qBittorrent servers), or one server's (administrators). */
  global: (range: SpeedRange, server: number | null = null) =>
    server === null ? (['stats', 'speed', range] as const) : (['stats', 'speed', range, 'server', server] as const),
  /** Under the torrent's key, like its files (not one of the `['torrent', hash]` detail entries). */
  torrent: (hash: string) => ['torrent', hash, 'speed'] as const,
};

/** 1 h and 24 h are refreshed this often (the server adds a point every 10 s / 4 min). */
export const HISTORY_REFRESH_MS = 30_000;
/** The live 10 min, while the socket is down. */
export const LIVE_FALLBACK_MS = 10_000;

/** Permission `see_charts` (admins have every permission); the server answers 403 otherwise. */
export function canSeeCharts(u: Pick<User, 'role' | 'permissions'> | null | undefined): boolean {
  return !!u && (u.role === 'admin' || u.permissions.includes('see_charts'));
}

/** `server`: one qBittorrent server's history (administrators; the server answers 403 to anyone else). */
export async function fetchGlobalSpeed(
  range: SpeedRange,
  signal?: AbortSignal,
  server: number | null = null,
): Promise<SpeedHistory> {
  const body = await request<{ step?: unknown; samples?: unknown }>(
    withQuery(apiPaths.speed, { range, server: server ?? undefined }),
    { signal },
  );
  const step = typeof body.step === 'number' && body.step > 0 ? body.step : RANGE_STEP[range];
  return { step, samples: parseSamples(body.samples) };
}

export async function fetchTorrentSpeed(hash: string, signal?: AbortSignal): Promise<SpeedHistory> {
  const body = await request<{ samples?: unknown }>(apiPaths.torrent(hash, 'speed'), { signal });
  return { step: 1, samples: parseSamples(body.samples) };
}

/**
 * The global speed over `range`. "10 min" is fetched once then follows the socket's
 * `speed` frames (see `useLiveSpeedAppend`), polled only while the socket is down;
 * "1 h" and "24 h" are refetched every 30 s. One server's (`server`, administrators): the
 * socket's frames are the sum of every server, so its "10 min" is polled.
 */
export function useGlobalSpeed(range: SpeedRange, enabled: boolean, server: number | null = null) {
  const live = useLiveOpen();
  return useQuery({
    queryKey: chartKeys.global(range, server),
    queryFn: ({ signal }) => fetchGlobalSpeed(range, signal, server),
    enabled,
    refetchInterval: range === '10m' ? (live && server === null ? false : LIVE_FALLBACK_MS) : HISTORY_REFRESH_MS,
    // 403 (no see_charts) or 422 will not change by asking again.
    retry: false,
  });
}

/** While mounted, appends each live sample to the cached "10 min" history (dropping what is older). */
export function useLiveSpeedAppend(enabled: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    return subscribeSpeed((sample) => {
      client.setQueryData<SpeedHistory>(chartKeys.global('10m'), (old) => {
        if (!old) return old;
        const samples = appendSample(old.samples, sample, LIVE_WINDOW);
        return samples === old.samples ? old : { ...old, samples };
      });
    });
  }, [client, enabled]);
}

/** A torrent's last 10 minutes (`GET /api/torrents/{hash}/speed`); the detail page extends it live. */
export function useTorrentSpeed(hash: string, enabled: boolean) {
  const live = useLiveOpen();
  return useQuery({
    queryKey: chartKeys.torrent(hash),
    queryFn: ({ signal }) => fetchTorrentSpeed(hash, signal),
    enabled,
    refetchInterval: live ? false : LIVE_FALLBACK_MS,
    retry: false,
  });
}

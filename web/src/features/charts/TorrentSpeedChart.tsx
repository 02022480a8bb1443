import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../api/client';
import type { Torrent } from '../../api/types';
import { Alert } from '../../components/Alert';
import { subscribeSpeed } from './liveSpeed';
import { ChartsForbidden } from './GlobalSpeedChart';
import { chartKeys, useTorrentSpeed, type SpeedHistory } from './queries';
import { appendSample, LIVE_WINDOW, torrentSample } from './series';
import { SpeedGraph } from './SpeedGraph';

/**
 * A torrent's last 10 minutes: `GET /api/torrents/{hash}/speed` once, then one point a
 * second taken from the live torrent object (its `dlspeed`/`upspeed`, kept fresh in the
 * cache by the socket's deltas). The socket's `speed` frames give the clock: points are
 * stamped with the server's time, like the history, and keep coming when the speed does
 * not change (deltas only carry what changed). The caller checks `see_charts`.
 */
export function TorrentSpeedChart({ torrent }: { torrent: Torrent }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const history = useTorrentSpeed(torrent.hash, true);
  const current = useRef(torrent);
  current.current = torrent;

  useEffect(
    () =>
      subscribeSpeed((tick) => {
        const tor = current.current;
        client.setQueryData<SpeedHistory>(chartKeys.torrent(tor.hash), (old) => {
          if (!old) return old;
          const samples = appendSample(old.samples, torrentSample(tick[0], tor), LIVE_WINDOW);
          return samples === old.samples ? old : { ...old, samples };
        });
      }),
    [client],
  );

  if (history.error instanceof ApiError && history.error.status === 403) return <ChartsForbidden />;
  if (history.isError && !history.data) return <Alert>{errorMessage(history.error)}</Alert>;
  if (!history.data) {
    return (
      <div
        role="status"
        aria-label={t('app.loading')}
        className="h-[180px] w-full animate-pulse rounded-md bg-stone-100 dark:bg-stone-800"
      />
    );
  }
  return (
    <SpeedGraph
      samples={history.data.samples}
      step={history.data.step}
      windowSec={LIVE_WINDOW}
      windowName={t('charts.windows.10m')}
      height={180}
    />
  );
}

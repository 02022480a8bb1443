import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Info, ServerOff, WifiOff } from 'lucide-react';
import type { TorrentList } from '../../api/types';
import { useLive } from './LiveProvider';

/** The server's reason without its final full stop (the sentence goes on). */
const reason = (error: string | null) => (error ?? '').trim().replace(/[.\s]+$/, '');

/** A reconnection within this delay (the server restarting, a proxy timeout) shows no notice. */
export const LOST_NOTICE_DELAY_MS = 3_000;

/** True once `lost` has stayed true for `delay` ms. */
function useLostFor(lost: boolean, delay: number): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!lost) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), delay);
    return () => clearTimeout(timer);
  }, [lost, delay]);
  return lost && shown;
}

/**
 * Connection notices above the torrent pages (`role="status"`): qBittorrent
 * unreachable (from the socket's `status` messages, or from the last list
 * fetched while the socket is down; administrators also get the list's exact
 * `error_detail`), live connection lost, and live updates stopped in this tab
 * (the server closed its socket with 4001). The region is always there (empty,
 * no height) so that what appears in it is announced.
 */
export function LiveBanner({ fallback }: { fallback?: Pick<TorrentList, 'qbittorrent' | 'error' | 'error_detail'> }) {
  const { t } = useTranslation();
  const live = useLive();
  const fromSocket =
    live?.connection === 'open' && live.qbittorrent ? { qbittorrent: live.qbittorrent, error: live.error } : null;
  const qbt = fromSocket ?? fallback ?? null;
  // The socket carries no detail: the list's, while it agrees that qBittorrent is down.
  const detail = qbt?.qbittorrent === 'down' && fallback?.qbittorrent === 'down' ? fallback.error_detail?.trim() : '';
  const lost = useLostFor(live?.connection === 'lost', LOST_NOTICE_DELAY_MS);

  return (
    <div role="status" data-testid="live-banner">
      {qbt?.qbittorrent === 'down' && (
        <p className="mt-3 flex items-start gap-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100">
          <ServerOff aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>
            {t('torrents.live.qbtDown', { error: reason(qbt.error) || t('torrents.live.noReason') })}
            {detail && (
              <span data-testid="qbt-detail" className="mt-0.5 block font-mono text-xs [overflow-wrap:anywhere] opacity-90">
                {t('torrents.live.detail', { detail })}
              </span>
            )}
          </span>
        </p>
      )}
      {qbt?.qbittorrent === 'unconfigured' && (
        <p className="mt-3 flex items-start gap-2 rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-100">
          <ServerOff aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>{t('torrents.live.qbtUnconfigured')}</span>
        </p>
      )}
      {lost && (
        <p className="mt-3 flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
          <WifiOff aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>{t('torrents.live.lost')}</span>
        </p>
      )}
      {live?.connection === 'replaced' && (
        <p className="mt-3 flex items-start gap-2 rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-100">
          <Info aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>{t('torrents.live.replaced')}</span>
        </p>
      )}
    </div>
  );
}

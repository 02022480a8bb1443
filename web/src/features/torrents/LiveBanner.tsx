import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Info, ServerOff, WifiOff } from 'lucide-react';
import type { TorrentList } from '../../api/types';
import { useLive } from './LiveProvider';

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
 * The one connection notice above the torrent pages (`role="status"`), the most serious first:
 * qBittorrent unreachable (from the socket's `status` messages, or from the last list fetched
 * while the socket is down), not configured, some of several qBittorrent servers not answering
 * (how many, never which), live connection lost, live updates stopped in this
 * tab (the server closed its socket with 4001). Said once: never two notices at a time, never
 * the server's own wording of the same failure after ours, and never an address (the exact
 * failure is for administrators, in Réglages → Tester and on the dashboard). The region is
 * always there (empty, no height) so that what appears in it is announced.
 */
export function LiveBanner({ fallback }: { fallback?: Pick<TorrentList, 'qbittorrent' | 'servers_down'> }) {
  const { t } = useTranslation();
  const live = useLive();
  const fromSocket = live?.connection === 'open' && live.qbittorrent ? live.qbittorrent : null;
  const qbt = fromSocket ?? fallback?.qbittorrent ?? null;
  // Some qBittorrent servers down while others answer (several servers): how many, never which.
  const serversDown = (fromSocket ? live?.serversDown : undefined) ?? fallback?.servers_down ?? 0;
  const lost = useLostFor(live?.connection === 'lost', LOST_NOTICE_DELAY_MS);

  let notice = null;
  if (qbt === 'down') {
    notice = (
      <p className="mt-3 flex items-start gap-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100">
        <ServerOff aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>{t('torrents.live.qbtDown')}</span>
      </p>
    );
  } else if (qbt === 'unconfigured') {
    notice = (
      <p className="mt-3 flex items-start gap-2 rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-100">
        <ServerOff aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>{t('torrents.live.qbtUnconfigured')}</span>
      </p>
    );
  } else if (qbt === 'ok' && serversDown > 0) {
    notice = (
      <p
        data-servers-down={serversDown}
        className="mt-3 flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
      >
        <ServerOff aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>{t('torrents.live.serversDown', { count: serversDown })}</span>
      </p>
    );
  } else if (lost) {
    notice = (
      <p className="mt-3 flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
        <WifiOff aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>{t('torrents.live.lost')}</span>
      </p>
    );
  } else if (live?.connection === 'replaced') {
    notice = (
      <p className="mt-3 flex items-start gap-2 rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-100">
        <Info aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>{t('torrents.live.replaced')}</span>
      </p>
    );
  }
  return (
    <div role="status" data-testid="live-banner">
      {notice}
    </div>
  );
}

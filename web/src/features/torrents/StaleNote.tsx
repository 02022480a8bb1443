import { useTranslation } from 'react-i18next';
import i18n from '../../i18n';
import { History } from 'lucide-react';
import type { Torrent } from '../../api/types';
import { cx } from '../../lib/cx';
import { formatClock } from '../../lib/format';
import type { Liveness } from './liveness';

/** "Dernière valeur à 14:05" (browser time), "Valeurs non actualisées" when unknown; undefined while live. */
export function useStaleText(liveness: Liveness | undefined): string | undefined {
  const { t } = useTranslation();
  if (!liveness?.stale) return undefined;
  return liveness.since !== null
    ? t('torrents.live.staleSince', { time: formatClock(liveness.since) })
    : t('torrents.live.staleUnknown');
}

/** The visible marker next to values that are no longer live (nothing while they are). */
export function StaleNote({ liveness, className }: { liveness: Liveness | undefined; className?: string }) {
  const text = useStaleText(liveness);
  if (!text) return null;
  return (
    <span
      data-testid="stale-marker"
      className={cx('inline-flex items-center gap-1 text-xs font-medium text-stone-600 dark:text-stone-400', className)}
    >
      <History aria-hidden="true" className="size-3.5 shrink-0" />
      {text}
    </span>
  );
}

/**
 * The speeds and ETA of one torrent whose qBittorrent server is down or disabled (several servers,
 * `stale`), when the list as a whole is live: "Serveur injoignable : dernières valeurs connues".
 */
export function torrentStaleText(torrent: Pick<Torrent, 'stale'>, listStale: string | undefined): string | undefined {
  return listStale ?? (torrent.stale ? i18n.t('torrents.live.serverStale') : undefined);
}

/**
 * The note under the state of such a torrent (nothing when the whole list is stale: the page
 * already says so once). The explanation is the tooltip, and is read out after the note.
 */
export function ServerStaleNote({
  torrent,
  listStale,
  className,
}: {
  torrent: Pick<Torrent, 'stale'>;
  listStale: string | undefined;
  className?: string;
}) {
  const { t } = useTranslation();
  if (!torrent.stale || listStale) return null;
  return (
    <span
      data-server-stale=""
      title={t('torrents.live.serverStale')}
      className={cx(
        'inline-flex items-start gap-1 text-xs font-medium leading-tight text-stone-600 dark:text-stone-400',
        className,
      )}
    >
      <History aria-hidden="true" className="mt-px size-3 shrink-0" />
      <span>
        {t('torrents.live.serverStaleShort')}
        <span className="sr-only"> : {t('torrents.live.serverStaleHint')}</span>
      </span>
    </span>
  );
}

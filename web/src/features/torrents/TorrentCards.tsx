import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Torrent } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { cx } from '../../lib/cx';
import { etaText, ownerName, speedText } from './cells';
import type { Liveness } from './liveness';
import { LimitNote, SharedFolderBadge, StateBadge, progressTone } from './StateBadge';
import { ServerStaleNote, torrentStaleText, useStaleText } from './StaleNote';
import { torrentPage, useDetailLinkState } from './routes';
import { TorrentActions } from './TorrentActions';

/**
 * The torrent list below 1024 px: one compact card per torrent (at most ~150 px): the name on
 * two lines at most, Pause/Reprendre and the "Plus d'actions" menu, the progress bar, then the
 * state and the speeds/ETA on one line. The rest is on the detail page.
 */
export function TorrentCards({
  torrents,
  showOwner,
  showServer = false,
  caption,
  onDelete,
  onAssign,
  onError,
  liveness,
}: {
  torrents: readonly Torrent[];
  showOwner: boolean;
  /** Each card names its qBittorrent server (administrators, several servers). */
  showServer?: boolean;
  caption: string;
  onDelete: (t: Torrent) => void;
  onAssign?: (t: Torrent) => void;
  onError: (message: string) => void;
  liveness?: Liveness;
}) {
  const { t } = useTranslation();
  const linkState = useDetailLinkState();
  const listStale = useStaleText(liveness);
  return (
    <ul aria-label={caption} className="flex flex-col gap-2" data-testid="torrent-cards">
      {torrents.map((x) => {
        const dl = speedText(x, x.dlspeed);
        const up = speedText(x, x.upspeed);
        const eta = etaText(x);
        const stale = torrentStaleText(x, listStale);
        return (
          <li
            key={x.hash}
            data-hash={x.hash}
            className={cx(
              'rounded-lg border border-stone-200 bg-white px-3 py-2 shadow-sm dark:border-stone-800 dark:bg-stone-900',
              // Muted and dashed, not faded: an opacity would take the text below AA contrast.
              x.removed && 'border-dashed text-stone-600 dark:text-stone-400',
            )}
          >
            <article aria-label={x.name} className="flex flex-col gap-1.5">
              <div className="flex items-start justify-between gap-2">
                <h2 className="min-w-0 text-sm font-semibold leading-5">
                  <Link
                    to={torrentPage(x.hash)}
                    state={linkState}
                    title={x.name}
                    data-row-focus=""
                    className="line-clamp-2 [overflow-wrap:anywhere] underline-offset-2 hover:underline"
                  >
                    {x.name}
                  </Link>
                </h2>
                <TorrentActions torrent={x} onDelete={onDelete} onAssign={onAssign} onError={onError} compact className="-mr-1 -mt-0.5" />
              </div>
              <ProgressBar progress={x.progress} tone={progressTone(x)} label={t('torrents.progressOf', { name: x.name })} />
              <div className="flex min-w-0 items-center gap-2 text-xs">
                <StateBadge torrent={x} />
                <p
                  className={cx(
                    'min-w-0 truncate tabular-nums text-stone-600 dark:text-stone-400',
                    stale && 'italic',
                  )}
                  title={stale}
                >
                  <span className="sr-only">{t('torrents.columns.dlspeed')} </span>↓&nbsp;{dl}
                  <span aria-hidden="true"> · </span>
                  <span className="sr-only">{t('torrents.columns.upspeed')} </span>↑&nbsp;{up}
                  {x.progress < 1 && (
                    <>
                      <span aria-hidden="true"> · </span>
                      <span className="sr-only">{t('torrents.columns.eta')} </span>
                      {eta}
                    </>
                  )}
                  {showOwner && (
                    <>
                      <span aria-hidden="true"> · </span>
                      <span className="sr-only">{t('torrents.columns.owner')} </span>
                      {ownerName(x)}
                    </>
                  )}
                  {showServer && x.server_name && (
                    <>
                      <span aria-hidden="true"> · </span>
                      <span className="sr-only">{t('torrents.columns.server')} </span>
                      {x.server_name}
                    </>
                  )}
                </p>
              </div>
              <LimitNote torrent={x} className="self-start" />
              <ServerStaleNote torrent={x} listStale={listStale} className="self-start" />
              <SharedFolderBadge torrent={x} />
            </article>
          </li>
        );
      })}
    </ul>
  );
}

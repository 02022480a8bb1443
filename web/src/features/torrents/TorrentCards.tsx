import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Torrent } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { cx } from '../../lib/cx';
import { formatDate, formatRatio, formatSize, formatSpeed } from '../../lib/format';
import { etaText, ownerName, peersCount, sizeText } from './cells';
import { LimitNote, SharedFolderBadge, StateBadge, progressTone } from './StateBadge';
import { torrentPage, useDetailLinkState } from './routes';
import { TorrentActions } from './TorrentActions';

/** The torrent list on phones: one card per torrent, actions with visible labels. */
export function TorrentCards({
  torrents,
  showOwner,
  caption,
  onDelete,
  onAssign,
  onError,
}: {
  torrents: readonly Torrent[];
  showOwner: boolean;
  caption: string;
  onDelete: (t: Torrent) => void;
  onAssign?: (t: Torrent) => void;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();
  const linkState = useDetailLinkState();
  return (
    <ul aria-label={caption} className="flex flex-col gap-3" data-testid="torrent-cards">
      {torrents.map((x) => {
        const facts: Array<[string, string]> = [
          [t('torrents.columns.size'), sizeText(x)],
          [t('torrents.columns.downloaded'), formatSize(x.downloaded)],
          [t('torrents.columns.dlspeed'), formatSpeed(x.dlspeed)],
          [t('torrents.columns.upspeed'), formatSpeed(x.upspeed)],
          [t('torrents.columns.eta'), etaText(x)],
          [t('torrents.columns.peers'), `${peersCount(x.num_seeds, x.num_complete)} / ${peersCount(x.num_leechs, x.num_incomplete)}`],
          [t('torrents.columns.ratio'), formatRatio(x.ratio)],
          [t('torrents.columns.added'), formatDate(x.added_on)],
        ];
        if (showOwner) facts.push([t('torrents.columns.owner'), ownerName(x)]);
        return (
          <li
            key={x.hash}
            data-hash={x.hash}
            className={cx(
              'rounded-lg border border-stone-200 bg-white p-3 shadow-sm dark:border-stone-800 dark:bg-stone-900',
              // Muted and dashed, not faded: an opacity would take the text below AA contrast.
              x.removed && 'border-dashed text-stone-600 dark:text-stone-400',
            )}
          >
            <article aria-label={x.name} className="flex flex-col gap-3">
              <div className="flex items-start justify-between gap-2">
                <h2 className="min-w-0 font-semibold [overflow-wrap:anywhere]">
                  <Link to={torrentPage(x.hash)} state={linkState} className="underline-offset-2 hover:underline">
                    {x.name}
                  </Link>
                </h2>
                <StateBadge torrent={x} />
              </div>
              <LimitNote torrent={x} className="self-start" />
              <SharedFolderBadge torrent={x} />
              <ProgressBar progress={x.progress} tone={progressTone(x)} label={t('torrents.progressOf', { name: x.name })} />
              <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
                {facts.map(([label, value]) => (
                  <div key={label} className="flex min-w-0 flex-col">
                    <dt className="text-stone-500 dark:text-stone-400">{label}</dt>
                    <dd className="truncate tabular-nums">{value}</dd>
                  </div>
                ))}
              </dl>
              <TorrentActions torrent={x} onDelete={onDelete} onAssign={onAssign} onError={onError} variant="buttons" />
            </article>
          </li>
        );
      })}
    </ul>
  );
}

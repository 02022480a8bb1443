import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Torrent } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { ProgressBar } from '../../components/ProgressBar';
import { formatDate, formatRatio, formatSize, formatSpeed } from '../../lib/format';
import { etaText, ownerName, peersCount, sizeText } from './cells';
import type { ListView, SortKey } from './listView';
import { LimitNote, SharedFolderBadge, StateBadge, progressTone } from './StateBadge';
import { torrentPage, useDetailLinkState } from './routes';
import { TorrentActions } from './TorrentActions';

// Zero speeds are quieter than the others, yet readable (WCAG AA: 4.8:1 on white, 6.8:1 on stone-900).
const muted = (zero: boolean, text: string) => (zero ? <span className="text-stone-500 dark:text-stone-400">{text}</span> : text);

export interface TableProps {
  torrents: readonly Torrent[];
  view: ListView;
  onSort: (key: SortKey) => void;
  showOwner: boolean;
  caption: string;
  onDelete: (t: Torrent) => void;
  /** "Attribuer…" on each row (administrators, "Tous les torrents"). */
  onAssign?: (t: Torrent) => void;
  onError: (message: string) => void;
}

/** The torrent list on wide screens: sortable headers (`aria-sort`), one row per torrent. */
export function TorrentTable({ torrents, view, onSort, showOwner, caption, onDelete, onAssign, onError }: TableProps) {
  const { t } = useTranslation();
  const linkState = useDetailLinkState();
  const columns: Column<Torrent, SortKey | 'actions'>[] = [
    {
      key: 'name',
      header: t('torrents.columns.name'),
      rowHeader: true,
      // Narrower on "Tous les torrents", which also has the owner column.
      className: showOwner ? 'min-w-32 max-w-36' : 'min-w-36 max-w-52',
      cell: (x) => (
        <Link
          to={torrentPage(x.hash)}
          state={linkState}
          title={x.name}
          className="block truncate font-medium text-stone-900 underline-offset-2 hover:underline dark:text-stone-100"
        >
          {x.name}
        </Link>
      ),
    },
    {
      key: 'state',
      header: t('torrents.columns.state'),
      cell: (x) => (
        <span className="flex flex-col items-start gap-1">
          <StateBadge torrent={x} wrap />
          <LimitNote torrent={x} className="max-w-36" />
          <SharedFolderBadge torrent={x} />
        </span>
      ),
    },
    {
      key: 'progress',
      header: t('torrents.columns.progress'),
      className: 'min-w-28',
      cell: (x) => (
        <ProgressBar
          progress={x.progress}
          tone={progressTone(x)}
          label={t('torrents.progressOf', { name: x.name })}
        />
      ),
    },
    { key: 'size', header: t('torrents.columns.size'), numeric: true, cell: (x) => sizeText(x) },
    {
      key: 'downloaded',
      header: t('torrents.columns.downloaded'),
      numeric: true,
      cell: (x) => formatSize(x.downloaded),
    },
    {
      key: 'dlspeed',
      header: `↓\u00a0${t('torrents.columns.dlspeedShort')}`,
      name: t('torrents.columns.dlspeed'),
      numeric: true,
      cell: (x) => muted(x.dlspeed === 0, formatSpeed(x.dlspeed)),
    },
    {
      key: 'upspeed',
      header: `↑\u00a0${t('torrents.columns.upspeedShort')}`,
      name: t('torrents.columns.upspeed'),
      numeric: true,
      cell: (x) => muted(x.upspeed === 0, formatSpeed(x.upspeed)),
    },
    { key: 'eta', header: t('torrents.columns.eta'), numeric: true, cell: (x) => etaText(x) },
    {
      key: 'seeds',
      header: t('torrents.columns.peers'),
      numeric: true,
      cell: (x) => (
        <span title={t('torrents.peersTip')} className="flex flex-col leading-tight">
          <span>{peersCount(x.num_seeds, x.num_complete)}</span>
          <span className="text-stone-500 dark:text-stone-400">{peersCount(x.num_leechs, x.num_incomplete)}</span>
        </span>
      ),
    },
    { key: 'ratio', header: t('torrents.columns.ratio'), numeric: true, cell: (x) => formatRatio(x.ratio) },
    {
      key: 'added_on',
      header: t('torrents.columns.added'),
      className: 'w-24 min-w-24',
      cell: (x) => <span className="text-xs">{formatDate(x.added_on)}</span>,
    },
  ];
  if (showOwner) {
    columns.push({
      key: 'owner',
      header: t('torrents.columns.owner'),
      className: 'max-w-28',
      cell: (x) =>
        x.owner ? (
          <span className="block truncate" title={ownerName(x)}>
            {ownerName(x)}
          </span>
        ) : (
          <span className="italic text-stone-500 dark:text-stone-400">{t('torrents.noOwner')}</span>
        ),
    });
  }

  columns.push({
    key: 'actions',
    name: t('torrents.columns.actions'),
    end: true,
    sticky: 'end',
    tight: true,
    cellClassName: 'pr-2',
    cell: (x) => <TorrentActions torrent={x} onDelete={onDelete} onAssign={onAssign} onError={onError} compact />,
  });

  return (
    <DataTable
      columns={columns}
      rows={torrents}
      rowKey={(x) => x.hash}
      caption={caption}
      sort={{ key: view.sort, dir: view.dir, onSort: (key) => key !== 'actions' && onSort(key) }}
      rowProps={(x) => ({
        'data-hash': x.hash,
        // Muted, not faded: an opacity would take the text below AA contrast.
        className: x.removed ? 'text-stone-500 dark:text-stone-400' : undefined,
      })}
      density="compact"
      className="text-[0.8125rem]"
      testId="torrent-table"
    />
  );
}

import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ArrowDown, ArrowUp } from 'lucide-react';
import type { Torrent } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { cx } from '../../lib/cx';
import { formatDate, formatRatio, formatSize, formatSpeed } from '../../lib/format';
import { etaText, ownerName, peersCount, sizeText } from './cells';
import type { ListView, SortKey } from './listView';
import { LimitNote, SharedFolderBadge, StateBadge, progressTone } from './StateBadge';
import { TorrentActions, torrentPath, useDetailLinkState } from './TorrentActions';

interface Column {
  key: SortKey;
  label: string;
  /** Accessible name of the header when the visible label is abbreviated. */
  name?: string;
  numeric?: boolean;
  cell: (t: Torrent) => ReactNode;
  className?: string;
}

/** The actions stay in view when the table scrolls sideways. */
const stickyCell = 'sticky right-0 z-10 shadow-[-6px_0_6px_-6px_rgb(0_0_0/0.25)]';

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
  const columns: Column[] = [
    {
      key: 'name',
      label: t('torrents.columns.name'),
      // Narrower on "Tous les torrents", which also has the owner column.
      className: showOwner ? 'min-w-32 max-w-36' : 'min-w-36 max-w-52',
      cell: (x) => (
        <Link
          to={torrentPath(x.hash)}
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
      label: t('torrents.columns.state'),
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
      label: t('torrents.columns.progress'),
      className: 'min-w-28',
      cell: (x) => (
        <ProgressBar
          progress={x.progress}
          tone={progressTone(x)}
          label={t('torrents.progressOf', { name: x.name })}
        />
      ),
    },
    { key: 'size', label: t('torrents.columns.size'), numeric: true, cell: (x) => sizeText(x) },
    { key: 'downloaded', label: t('torrents.columns.downloaded'), numeric: true, cell: (x) => formatSize(x.downloaded) },
    {
      key: 'dlspeed',
      label: `↓\u00a0${t('torrents.columns.dlspeedShort')}`,
      name: t('torrents.columns.dlspeed'),
      numeric: true,
      cell: (x) => muted(x.dlspeed === 0, formatSpeed(x.dlspeed)),
    },
    {
      key: 'upspeed',
      label: `↑\u00a0${t('torrents.columns.upspeedShort')}`,
      name: t('torrents.columns.upspeed'),
      numeric: true,
      cell: (x) => muted(x.upspeed === 0, formatSpeed(x.upspeed)),
    },
    { key: 'eta', label: t('torrents.columns.eta'), numeric: true, cell: (x) => etaText(x) },
    {
      key: 'seeds',
      label: t('torrents.columns.peers'),
      numeric: true,
      cell: (x) => (
        <span title={t('torrents.peersTip')} className="flex flex-col leading-tight">
          <span>{peersCount(x.num_seeds, x.num_complete)}</span>
          <span className="text-stone-500 dark:text-stone-400">{peersCount(x.num_leechs, x.num_incomplete)}</span>
        </span>
      ),
    },
    { key: 'ratio', label: t('torrents.columns.ratio'), numeric: true, cell: (x) => formatRatio(x.ratio) },
    {
      key: 'added_on',
      label: t('torrents.columns.added'),
      className: 'w-24 min-w-24',
      cell: (x) => <span className="text-xs">{formatDate(x.added_on)}</span>,
    },
  ];
  if (showOwner) {
    columns.push({
      key: 'owner',
      label: t('torrents.columns.owner'),
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

  return (
    // `relative`: the visually hidden labels (absolutely positioned) stay inside the scrolling box.
    <div className="relative overflow-x-auto rounded-lg border border-stone-200 bg-white shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <table className="w-full border-collapse text-[0.8125rem]" data-testid="torrent-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-stone-100 text-xs text-stone-600 dark:bg-stone-800 dark:text-stone-300">
          <tr>
            {columns.map((c) => {
              const active = view.sort === c.key;
              const Icon = view.dir === 'asc' ? ArrowUp : ArrowDown;
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={active ? (view.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  className={cx('px-1.5 py-2 align-bottom font-semibold first:pl-3', c.numeric ? 'text-right' : 'text-left')}
                >
                  <button
                    type="button"
                    onClick={() => onSort(c.key)}
                    className={cx(
                      'inline-flex items-center gap-1 rounded px-1 py-0.5 text-left underline-offset-2 hover:text-stone-900 hover:underline dark:hover:text-white',
                      c.numeric && 'flex-row-reverse text-right',
                      active && 'text-stone-900 dark:text-white',
                    )}
                  >
                    {c.name ? (
                      <>
                        <span aria-hidden="true">{c.label}</span>
                        <span className="sr-only">{c.name}</span>
                      </>
                    ) : (
                      c.label
                    )}
                    {/* Only the sorted column shows an arrow: the others keep their width for data. */}
                    {active && <Icon aria-hidden="true" className="size-3.5 shrink-0" />}
                  </button>
                </th>
              );
            })}
            <th scope="col" className={cx('px-1.5 py-2 pr-3 text-right', stickyCell, 'bg-stone-100 dark:bg-stone-800')}>
              <span className="sr-only">{t('torrents.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-200 dark:divide-stone-800">
          {torrents.map((x) => (
            <tr
              key={x.hash}
              data-hash={x.hash}
              className={cx(
                'group align-middle hover:bg-stone-50 dark:hover:bg-stone-800',
                // Muted, not faded: an opacity would take the text below AA contrast.
                x.removed && 'text-stone-500 dark:text-stone-400',
              )}
            >
              {columns.map((c) => {
                const Cell = c.key === 'name' ? 'th' : 'td';
                return (
                  <Cell
                    key={c.key}
                    scope={c.key === 'name' ? 'row' : undefined}
                    className={cx(
                      'px-1.5 py-2 font-normal first:pl-3',
                      c.numeric ? 'text-right tabular-nums whitespace-nowrap' : 'text-left',
                      c.className,
                    )}
                  >
                    {c.cell(x)}
                  </Cell>
                );
              })}
              <td
                className={cx(
                  'px-1.5 py-1 pr-2',
                  stickyCell,
                  'bg-white group-hover:bg-stone-50 dark:bg-stone-900 dark:group-hover:bg-stone-800',
                )}
              >
                <TorrentActions torrent={x} onDelete={onDelete} onAssign={onAssign} onError={onError} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

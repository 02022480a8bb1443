import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Torrent } from '../../api/types';
import { DataTable, type Column, type TableSelection } from '../../components/DataTable';
import { ProgressBar } from '../../components/ProgressBar';
import { cx } from '../../lib/cx';
import { formatCompactDate, formatDate, formatRatio, formatSize } from '../../lib/format';
import { etaText, ownerName, peersCount, sizeText, speedText } from './cells';
import { DEFAULT_PREFS, chosenColumns, nextFit, type ColumnKey, type ColumnPrefs } from './columnPrefs';
import type { ListView, SortKey } from './listView';
import type { Liveness } from './liveness';
import { LimitNote, SharedFolderBadge, StateBadge, progressTone } from './StateBadge';
import { ServerStaleNote, torrentStaleText, useStaleText } from './StaleNote';
import { torrentPage, useDetailLinkState } from './routes';
import { TorrentActions } from './TorrentActions';

// Idle and zero speeds are quieter than the others, yet readable (WCAG AA: 4.8:1 on white, 6.8:1 on stone-900).
const MUTED = 'text-stone-500 dark:text-stone-400';
const muted = (quiet: boolean, text: string, title?: string) =>
  quiet || title ? (
    <span className={cx(quiet && MUTED)} title={title}>
      {text}
    </span>
  ) : (
    text
  );

export interface TableProps {
  torrents: readonly Torrent[];
  view: ListView;
  onSort: (key: SortKey) => void;
  showOwner: boolean;
  /** The "Serveur" column may be shown (administrators; the server names it). */
  showServer?: boolean;
  caption: string;
  onDelete: (t: Torrent) => void;
  /** "Attribuer…" on each row (administrators, "Tous les torrents"). */
  onAssign?: (t: Torrent) => void;
  onError: (message: string) => void;
  /** The user's columns ("Colonnes"; the defaults when left out). */
  prefs?: ColumnPrefs;
  /** Told which chosen columns the width left out (the degrade rule, columnPrefs.ts). */
  onLeftOut?: (keys: ColumnKey[]) => void;
  selection?: TableSelection<Torrent>;
  /** Not live any more: speeds and ETA greyed, with when they were. */
  liveness?: Liveness;
}

/**
 * How many of the chosen columns fit (columnPrefs.ts, `nextFit`): measured after each render,
 * one column less at a time; all of them again when the frame's width or the choice changes.
 */
function useFit(chosen: readonly ColumnKey[]) {
  const frame = useRef<HTMLDivElement>(null);
  const key = chosen.join(',');
  const [fit, setFit] = useState({ key, count: chosen.length });
  const count = fit.key === key ? fit.count : chosen.length;
  if (fit.key !== key) setFit({ key, count });

  useLayoutEffect(() => {
    const f = frame.current;
    const table = f?.querySelector('table');
    const name = f?.querySelector<HTMLElement>('th[data-col="name"]');
    if (!f || !table || !name) return;
    const next = nextFit(count, { name: name.offsetWidth, table: table.offsetWidth, frame: f.clientWidth });
    if (next !== count) setFit({ key, count: next });
  });

  useEffect(() => {
    const f = frame.current;
    if (!f || typeof ResizeObserver === 'undefined') return;
    let width = f.clientWidth;
    const ro = new ResizeObserver(() => {
      if (f.clientWidth === width) return;
      width = f.clientWidth;
      setFit({ key, count: chosen.length });
    });
    ro.observe(f);
    return () => ro.disconnect();
  }, [key, chosen.length]);

  return { frame, shown: chosen.slice(0, count) };
}

/** The torrent list on wide screens: sortable headers (`aria-sort`), one row per torrent. */
export function TorrentTable({
  torrents,
  view,
  onSort,
  showOwner,
  showServer = false,
  caption,
  onDelete,
  onAssign,
  onError,
  prefs = DEFAULT_PREFS,
  onLeftOut,
  selection,
  liveness,
}: TableProps) {
  const { t } = useTranslation();
  const linkState = useDetailLinkState();
  const staleText = useStaleText(liveness);
  const chosen = chosenColumns(prefs, showOwner, showServer);
  const { frame, shown } = useFit(chosen);
  const leftOut = chosen.slice(shown.length).join(',');
  useEffect(() => {
    onLeftOut?.(leftOut ? (leftOut.split(',') as ColumnKey[]) : []);
  }, [leftOut, onLeftOut]);

  const defs: Record<ColumnKey, Column<Torrent, SortKey | 'actions'>> = {
    state: {
      key: 'state',
      header: t('torrents.columns.state'),
      cell: (x) => (
        <span className="flex flex-col items-start gap-1">
          <StateBadge torrent={x} wrap />
          <LimitNote torrent={x} className="max-w-36" />
          <ServerStaleNote torrent={x} listStale={staleText} className="max-w-36" />
          <SharedFolderBadge torrent={x} />
        </span>
      ),
    },
    progress: {
      key: 'progress',
      header: t('torrents.columns.progress'),
      className: 'min-w-28',
      cell: (x) => (
        <ProgressBar progress={x.progress} tone={progressTone(x)} label={t('torrents.progressOf', { name: x.name })} />
      ),
    },
    size: { key: 'size', header: t('torrents.columns.size'), numeric: true, cell: (x) => sizeText(x) },
    downloaded: {
      key: 'downloaded',
      header: t('torrents.columns.downloaded'),
      numeric: true,
      cell: (x) => formatSize(x.downloaded),
    },
    dlspeed: {
      key: 'dlspeed',
      header: `↓\u00a0${t('torrents.columns.dlspeedShort')}`,
      name: t('torrents.columns.dlspeed'),
      numeric: true,
      cell: (x) => {
        const text = speedText(x, x.dlspeed);
        const stale = torrentStaleText(x, staleText);
        return muted(!!stale || x.dlspeed === 0 || text === '—', text, stale);
      },
    },
    upspeed: {
      key: 'upspeed',
      header: `↑\u00a0${t('torrents.columns.upspeedShort')}`,
      name: t('torrents.columns.upspeed'),
      numeric: true,
      cell: (x) => {
        const text = speedText(x, x.upspeed);
        const stale = torrentStaleText(x, staleText);
        return muted(!!stale || x.upspeed === 0 || text === '—', text, stale);
      },
    },
    eta: {
      key: 'eta',
      header: t('torrents.columns.eta'),
      numeric: true,
      cell: (x) => {
        const stale = torrentStaleText(x, staleText);
        return muted(!!stale, etaText(x), stale);
      },
    },
    seeds: {
      key: 'seeds',
      header: (
        <span title={t('torrents.peersTip')} className="underline decoration-dotted underline-offset-2">
          {t('torrents.columns.peers')}
        </span>
      ),
      name: `${t('torrents.columns.peers')} (${t('torrents.peersTip')})`,
      numeric: true,
      cell: (x) => (
        <span title={t('torrents.peersTip')} className="flex flex-col leading-tight">
          <span>{peersCount(x.num_seeds, x.num_complete)}</span>
          <span className={MUTED}>{peersCount(x.num_leechs, x.num_incomplete)}</span>
        </span>
      ),
    },
    ratio: { key: 'ratio', header: t('torrents.columns.ratio'), numeric: true, cell: (x) => formatRatio(x.ratio) },
    added_on: {
      key: 'added_on',
      header: t('torrents.columns.added'),
      cellClassName: 'whitespace-nowrap',
      cell: (x) => (
        <time
          className="text-xs"
          dateTime={x.added_on > 0 ? new Date(x.added_on * 1000).toISOString() : undefined}
          title={formatDate(x.added_on)}
        >
          {formatCompactDate(x.added_on)}
        </time>
      ),
    },
    owner: {
      key: 'owner',
      header: t('torrents.columns.owner'),
      cellClassName: 'max-w-32',
      cell: (x) =>
        x.owner ? (
          <span className="block truncate" title={ownerName(x)}>
            {ownerName(x)}
          </span>
        ) : (
          <span className={cx('italic', MUTED)}>{t('torrents.noOwner')}</span>
        ),
    },
    server: {
      key: 'server',
      header: t('torrents.columns.server'),
      cellClassName: 'max-w-32',
      cell: (x) =>
        x.server_name ? (
          <span className="block truncate" title={x.server_name}>
            {x.server_name}
          </span>
        ) : (
          <span className={MUTED}>—</span>
        ),
    },
  };

  const columns: Column<Torrent, SortKey | 'actions'>[] = [
    {
      key: 'name',
      header: t('torrents.columns.name'),
      rowHeader: true,
      // All the width the other columns leave; the full name on hover and focus.
      className: 'w-full min-w-40',
      cell: (x) => (
        <Link
          to={torrentPage(x.hash)}
          state={linkState}
          title={x.name}
          data-row-focus=""
          className="line-clamp-2 font-medium text-stone-900 [overflow-wrap:anywhere] underline-offset-2 hover:line-clamp-none hover:underline focus-visible:line-clamp-none dark:text-stone-100"
        >
          {x.name}
        </Link>
      ),
    },
    ...shown.map((k) => defs[k]),
    {
      key: 'actions',
      name: t('torrents.columns.actions'),
      end: true,
      sticky: 'end',
      tight: true,
      cellClassName: 'pr-2',
      cell: (x) => <TorrentActions torrent={x} onDelete={onDelete} onAssign={onAssign} onError={onError} compact />,
    },
  ];

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
        className: x.removed ? MUTED : undefined,
      })}
      density="compact"
      className="text-[0.8125rem]"
      testId="torrent-table"
      selection={selection}
      frameRef={frame}
    />
  );
}

import { useTranslation } from 'react-i18next';
import { ExternalLink } from 'lucide-react';
import type { SearchResult } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { Term } from '../../components/Term';
import { formatDate, formatSize } from '../../lib/format';
import { AddResultCell, type AddState } from './AddResultCell';
import { categoriesLabel } from './categories';
import type { ResultSort, ResultSortKey } from './searchView';

export interface ResultsProps {
  results: readonly SearchResult[];
  caption: string;
  addStates: Readonly<Record<string, AddState>>;
  onAdd: (r: SearchResult) => void;
}

const dash = '—';
export const sizeCell = (r: SearchResult) => (r.size === null ? dash : formatSize(r.size));
export const countCell = (n: number | null) => (n === null ? dash : String(n));

/** The result's categories in French ("Films · HD"), Jackett's own names on hover. */
function Category({ r }: { r: SearchResult }) {
  const { t } = useTranslation();
  const label = categoriesLabel(r.category);
  if (!label) return <>{dash}</>;
  return <span title={label === r.category ? undefined : t('search.categoryOriginal', { name: r.category })}>{label}</span>;
}

function DetailsLink({ r }: { r: SearchResult }) {
  const { t } = useTranslation();
  if (!r.details_url) return null;
  return (
    <a
      href={r.details_url}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={t('search.detailsNamed', { title: r.title })}
      className="inline-flex items-center gap-1 text-amber-800 underline underline-offset-2 hover:no-underline dark:text-amber-300"
    >
      {t('search.details')}
      <ExternalLink aria-hidden="true" className="size-3" />
    </a>
  );
}

function Freeleech({ r }: { r: SearchResult }) {
  const { t } = useTranslation();
  if (!r.freeleech) return null;
  return (
    <span className="rounded bg-emerald-100 px-1.5 py-0.5 font-semibold text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-200">
      {t('search.freeleech')}
    </span>
  );
}

function TitleCell({ r }: { r: SearchResult }) {
  return (
    <div className="flex flex-col gap-0.5">
      <span className="font-medium break-words text-stone-900 dark:text-stone-100">{r.title}</span>
      <span className="flex flex-wrap items-center gap-2 text-xs empty:hidden">
        <Freeleech r={r} />
        <DetailsLink r={r} />
      </span>
    </div>
  );
}

/** Results on wide screens: sortable headers (`aria-sort`). */
export function ResultsTable({
  results,
  caption,
  addStates,
  onAdd,
  sort,
  onSort,
}: ResultsProps & { sort: ResultSort; onSort: (key: ResultSortKey) => void }) {
  const { t } = useTranslation();
  const columns: Column<SearchResult, ResultSortKey | 'tracker' | 'category' | 'actions'>[] = [
    {
      key: 'title',
      header: t('search.columns.title'),
      rowHeader: true,
      className: 'min-w-64',
      cell: (r) => <TitleCell r={r} />,
    },
    { key: 'tracker', sortable: false, header: t('search.columns.tracker'), cell: (r) => r.tracker },
    { key: 'size', header: t('search.columns.size'), numeric: true, cell: sizeCell },
    {
      key: 'seeders',
      // The header is a sort button: the explanation is for the eye there (the detail page's is focusable).
      header: (
        <Term focusable={false} align="end" help={t('swarm.seedsHelp')}>
          {t('search.columns.seeders')}
        </Term>
      ),
      name: t('search.columns.seeders'),
      numeric: true,
      cell: (r) => countCell(r.seeders),
    },
    {
      key: 'leechers',
      header: (
        <Term focusable={false} align="end" help={t('swarm.peersHelp')}>
          {t('search.columns.leechers')}
        </Term>
      ),
      name: t('search.columns.leechers'),
      numeric: true,
      cell: (r) => countCell(r.leechers),
    },
    {
      key: 'published',
      header: t('search.columns.published'),
      className: 'w-28 min-w-28',
      cell: (r) => <span className="text-xs">{formatDate(r.published)}</span>,
    },
    {
      key: 'category',
      sortable: false,
      header: t('search.columns.category'),
      className: 'max-w-40',
      cell: (r) => (
        <span className="text-xs">
          <Category r={r} />
        </span>
      ),
    },
    {
      key: 'actions',
      name: t('search.columns.actions'),
      end: true,
      tight: true,
      cellClassName: 'pr-3',
      cell: (r) => <AddResultCell result={r} state={addStates[r.id]} onAdd={onAdd} compact />,
    },
  ];

  return (
    <DataTable
      columns={columns}
      rows={results}
      rowKey={(r) => r.id}
      caption={caption}
      sort={{ key: sort.sort, dir: sort.dir, onSort: (key) => onSort(key as ResultSortKey) }}
      rowProps={(r) => ({ 'data-id': r.id })}
      className="text-[0.8125rem]"
      testId="search-table"
    />
  );
}

/**
 * Results on phones: compact cards, the title and "Ajouter" side by side, then one line of
 * figures (size, sources, pairs, date) and one of where it comes from (indexer, category).
 */
export function ResultCards({ results, caption, addStates, onAdd }: ResultsProps) {
  const { t } = useTranslation();
  const seeds = (n: number | null) => (n === null ? t('search.seedsUnknown') : t('search.seedsCount', { count: n }));
  const peers = (n: number | null) => (n === null ? t('search.peersUnknown') : t('search.peersCount', { count: n }));
  return (
    <ul aria-label={caption} className="flex flex-col gap-2" data-testid="search-cards">
      {results.map((r) => (
        <li
          key={r.id}
          data-id={r.id}
          className="flex items-start gap-3 rounded-lg border border-stone-200 bg-white px-3 py-2.5 shadow-sm dark:border-stone-800 dark:bg-stone-900"
        >
          <div className="flex min-w-0 flex-1 flex-col gap-1">
            <p className="text-sm font-medium break-words text-stone-900 dark:text-stone-100">{r.title}</p>
            <p className="flex flex-wrap gap-x-2 text-xs text-stone-700 tabular-nums dark:text-stone-300">
              <span>{sizeCell(r)}</span>
              <span aria-hidden="true">·</span>
              <Term focusable={false} help={t('swarm.seedsHelp')}>
                {seeds(r.seeders)}
              </Term>
              <span aria-hidden="true">·</span>
              <Term focusable={false} help={t('swarm.peersHelp')}>
                {peers(r.leechers)}
              </Term>
              <span aria-hidden="true">·</span>
              <span>{formatDate(r.published)}</span>
            </p>
            <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-stone-600 dark:text-stone-400">
              <span>{r.tracker}</span>
              <span aria-hidden="true">·</span>
              <Category r={r} />
              <Freeleech r={r} />
              <DetailsLink r={r} />
            </p>
          </div>
          <div className="shrink-0">
            <AddResultCell result={r} state={addStates[r.id]} onAdd={onAdd} compact />
          </div>
        </li>
      ))}
    </ul>
  );
}

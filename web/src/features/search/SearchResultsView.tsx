import { useTranslation } from 'react-i18next';
import { ExternalLink } from 'lucide-react';
import type { SearchResult } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { formatDate, formatSize } from '../../lib/format';
import { AddResultCell, type AddState } from './AddResultCell';
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

function TitleCell({ r }: { r: SearchResult }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col gap-0.5">
      <span className="font-medium break-words text-stone-900 dark:text-stone-100">{r.title}</span>
      <span className="flex flex-wrap items-center gap-2 text-xs">
        {r.freeleech && (
          <span className="rounded bg-emerald-100 px-1.5 py-0.5 font-semibold text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-200">
            {t('search.freeleech')}
          </span>
        )}
        {r.details_url && (
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
        )}
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
    { key: 'seeders', header: t('search.columns.seeders'), numeric: true, cell: (r) => countCell(r.seeders) },
    { key: 'leechers', header: t('search.columns.leechers'), numeric: true, cell: (r) => countCell(r.leechers) },
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
      cell: (r) => <span className="text-xs">{r.category || dash}</span>,
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

/** Results on phones: one card each. */
export function ResultCards({ results, caption, addStates, onAdd }: ResultsProps) {
  const { t } = useTranslation();
  return (
    <ul aria-label={caption} className="flex flex-col gap-3" data-testid="search-cards">
      {results.map((r) => (
        <li
          key={r.id}
          data-id={r.id}
          className="flex flex-col gap-3 rounded-lg border border-stone-200 bg-white p-4 shadow-sm dark:border-stone-800 dark:bg-stone-900"
        >
          <TitleCell r={r} />
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
            {(
              [
                ['tracker', r.tracker],
                ['size', sizeCell(r)],
                ['seeders', countCell(r.seeders)],
                ['leechers', countCell(r.leechers)],
                ['published', formatDate(r.published)],
                ['category', r.category || dash],
              ] as const
            ).map(([key, value]) => (
              <div key={key} className="flex flex-col">
                <dt className="text-xs text-stone-500 dark:text-stone-400">{t(`search.columns.${key}`)}</dt>
                <dd className="break-words">{value}</dd>
              </div>
            ))}
          </dl>
          <AddResultCell result={r} state={addStates[r.id]} onAdd={onAdd} />
        </li>
      ))}
    </ul>
  );
}

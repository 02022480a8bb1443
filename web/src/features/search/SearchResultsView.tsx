import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowDown, ArrowUp, ExternalLink } from 'lucide-react';
import type { SearchResult } from '../../api/types';
import { cx } from '../../lib/cx';
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

interface Column {
  key: ResultSortKey | 'tracker' | 'category';
  sortable: boolean;
  label: string;
  numeric?: boolean;
  cell: (r: SearchResult) => ReactNode;
  className?: string;
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
  const columns: Column[] = [
    { key: 'title', sortable: true, label: t('search.columns.title'), className: 'min-w-64', cell: (r) => <TitleCell r={r} /> },
    { key: 'tracker', sortable: false, label: t('search.columns.tracker'), cell: (r) => r.tracker },
    { key: 'size', sortable: true, label: t('search.columns.size'), numeric: true, cell: sizeCell },
    { key: 'seeders', sortable: true, label: t('search.columns.seeders'), numeric: true, cell: (r) => countCell(r.seeders) },
    { key: 'leechers', sortable: true, label: t('search.columns.leechers'), numeric: true, cell: (r) => countCell(r.leechers) },
    {
      key: 'published',
      sortable: true,
      label: t('search.columns.published'),
      className: 'w-28 min-w-28',
      cell: (r) => <span className="text-xs">{formatDate(r.published)}</span>,
    },
    {
      key: 'category',
      sortable: false,
      label: t('search.columns.category'),
      className: 'max-w-40',
      cell: (r) => <span className="text-xs">{r.category || dash}</span>,
    },
  ];

  return (
    <div className="relative overflow-x-auto rounded-lg border border-stone-200 bg-white shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <table className="w-full border-collapse text-[0.8125rem]" data-testid="search-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-stone-100 text-xs text-stone-600 dark:bg-stone-800 dark:text-stone-300">
          <tr>
            {columns.map((c) => {
              const active = c.sortable && sort.sort === c.key;
              const Icon = sort.dir === 'asc' ? ArrowUp : ArrowDown;
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  className={cx('px-2 py-2 align-bottom font-semibold first:pl-3', c.numeric ? 'text-right' : 'text-left')}
                >
                  {c.sortable ? (
                    <button
                      type="button"
                      onClick={() => onSort(c.key as ResultSortKey)}
                      className={cx(
                        'inline-flex items-center gap-1 rounded px-1 py-0.5 underline-offset-2 hover:text-stone-900 hover:underline dark:hover:text-white',
                        c.numeric && 'flex-row-reverse',
                        active && 'text-stone-900 dark:text-white',
                      )}
                    >
                      {c.label}
                      {active && <Icon aria-hidden="true" className="size-3.5 shrink-0" />}
                    </button>
                  ) : (
                    <span className="px-1">{c.label}</span>
                  )}
                </th>
              );
            })}
            <th scope="col" className="px-2 py-2 pr-3 text-right">
              <span className="sr-only">{t('search.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-200 dark:divide-stone-800">
          {results.map((r) => (
            <tr key={r.id} data-id={r.id} className="align-middle hover:bg-stone-50 dark:hover:bg-stone-800">
              {columns.map((c) => {
                const Cell = c.key === 'title' ? 'th' : 'td';
                return (
                  <Cell
                    key={c.key}
                    scope={c.key === 'title' ? 'row' : undefined}
                    className={cx(
                      'px-2 py-2 font-normal first:pl-3',
                      c.numeric ? 'text-right tabular-nums whitespace-nowrap' : 'text-left',
                      c.className,
                    )}
                  >
                    {c.cell(r)}
                  </Cell>
                );
              })}
              <td className="px-2 py-1.5 pr-3 text-right">
                <AddResultCell result={r} state={addStates[r.id]} onAdd={onAdd} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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

import { useEffect, useRef, type HTMLAttributes, type ReactNode, type Ref } from 'react';
import { ArrowDown, ArrowUp } from 'lucide-react';
import { cx } from '../lib/cx';

export type SortDir = 'asc' | 'desc';

export interface Column<T, K extends string = string> {
  key: K;
  /** The visible header; leave it out for a column named only for screen readers (the actions). */
  header?: ReactNode;
  /** The header's accessible name, when `header` is abbreviated ("↓ Récep.") or left out. */
  name?: string;
  cell: (row: T) => ReactNode;
  /** This column's cell names the row (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Figures: right-aligned, tabular, on one line. */
  numeric?: boolean;
  /** Right-aligned (the actions). */
  end?: boolean;
  /** Whether the header sorts the table, when the table has a `sort`: yes unless it has no visible header. */
  sortable?: boolean;
  /** Stays in view while the table scrolls sideways: `end` for the actions, `start` for a first column. */
  sticky?: 'start' | 'end';
  /** Less vertical room in the body (cells of buttons). */
  tight?: boolean;
  /** The row header in medium weight (rather than normal). */
  emphasis?: boolean;
  /** Classes of the header and the cells (widths, `hidden md:table-cell`…). */
  className?: string;
  /** Classes of the body cells only. */
  cellClassName?: string;
  /** In the `cards` layout: a whole line of the card (long text) rather than half of one. */
  wideInCard?: boolean;
}

export interface TableSort<K extends string> {
  key: K;
  dir: SortDir;
  onSort: (key: K) => void;
}

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | number | undefined };

/**
 * Checkboxes in a first column: one per row, and "Tout sélectionner" in the header (checked,
 * unchecked or mixed). `onRow` gets whether Shift was held (ranges: lib/selection.ts).
 */
export interface TableSelection<T> {
  isSelected: (row: T) => boolean;
  onRow: (row: T, shift: boolean) => void;
  /** The header box: all shown rows selected, none, or some. */
  all: boolean | 'mixed';
  onAll: () => void;
  /** Accessible names: the header box's, and a row's (e.g. "Sélectionner « name »"). */
  allLabel: string;
  rowLabel: (row: T) => string;
}

export interface DataTableProps<T, K extends string> {
  columns: readonly Column<T, K>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  /** Names the table for screen readers (a visually hidden caption). */
  caption: string;
  /** Shown instead of the table when there are no rows (a text, or an element of its own). */
  empty?: ReactNode;
  sort?: TableSort<K>;
  /** More attributes of a row (`data-*`, a class). */
  rowProps?: (row: T) => RowAttributes;
  /** `card`: a framed box with a tinted header (a page's list); `plain`: lines only (inside a card). */
  variant?: 'card' | 'plain';
  /** Horizontal room in the cells. */
  density?: 'compact' | 'normal' | 'roomy';
  /** While other rows are on their way (dimmed, `aria-busy`). */
  busy?: boolean;
  /** Classes of the `<table>` (its font size). */
  className?: string;
  testId?: string;
  /**
   * `cards` (phones): one card per row, with no sideways scrolling: the row header's cell as
   * the title, every labelled column as a "label: value" pair, the unlabelled ones (the
   * actions) at the foot. The same columns as the table: nothing is written twice.
   */
  layout?: 'table' | 'cards';
  selection?: TableSelection<T>;
  /** The scrolling frame (e.g. to measure what fits). */
  frameRef?: Ref<HTMLDivElement>;
}

const FRAME = {
  card: 'relative overflow-x-auto rounded-lg border border-stone-200 bg-white shadow-sm dark:border-stone-800 dark:bg-stone-900',
  plain: 'relative overflow-x-auto',
};
const HEAD = {
  card: 'bg-stone-100 text-xs text-stone-600 dark:bg-stone-800 dark:text-stone-300',
  plain: 'border-b border-stone-200 text-xs text-stone-600 dark:border-stone-700 dark:text-stone-400',
};
const BODY = {
  card: 'divide-y divide-stone-200 dark:divide-stone-800',
  plain: 'divide-y divide-stone-100 dark:divide-stone-800',
};
/** The first cells keep off the frame (card), or line up with the content around (plain). */
const EDGES = { card: 'first:pl-3', plain: 'first:pl-0 last:pr-0' };
const PAD_X = { compact: 'px-1.5', normal: 'px-2', roomy: 'px-3' };
const STICKY = {
  start: 'sticky left-0 z-10 shadow-[6px_0_6px_-6px_rgb(0_0_0/0.25)]',
  end: 'sticky right-0 z-10 shadow-[-6px_0_6px_-6px_rgb(0_0_0/0.25)]',
};
/** A sticky cell hides what scrolls under it: the background of its row. */
const STICKY_HEAD_BG = 'bg-stone-100 dark:bg-stone-800';
const STICKY_CELL_BG = 'bg-white group-hover:bg-stone-50 dark:bg-stone-900 dark:group-hover:bg-stone-800';
const STICKY_PICKED_BG = 'bg-amber-50 dark:bg-stone-800';
const ROW_HOVER = 'group hover:bg-stone-50 dark:hover:bg-stone-800';

const BOX = 'size-4 cursor-pointer accent-amber-600 align-middle';

function AllBox({ state, label, onToggle }: { state: boolean | 'mixed'; label: string; onToggle: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === 'mixed';
  }, [state]);
  return (
    <input
      ref={ref}
      type="checkbox"
      data-select-all=""
      aria-label={label}
      checked={state === true}
      onChange={onToggle}
      className={BOX}
    />
  );
}

/** The header's text: the visible label, and the full name for screen readers when it differs. */
function HeaderLabel({ header, name }: { header?: ReactNode; name?: string }) {
  if (header === undefined || header === '') return name ? <span className="sr-only">{name}</span> : null;
  if (!name) return <>{header}</>;
  return (
    <>
      <span aria-hidden="true">{header}</span>
      <span className="sr-only">{name}</span>
    </>
  );
}

/**
 * A table of rows: a hidden caption, column headers (`scope="col"`), each row named by its
 * `rowHeader` cell, sortable headers as buttons with `aria-sort`, sticky columns, and an empty
 * state. Scrolls sideways inside its frame on narrow screens.
 */
export function DataTable<T, K extends string>({
  columns,
  rows,
  rowKey,
  caption,
  empty,
  sort,
  rowProps,
  variant = 'card',
  density = 'normal',
  busy = false,
  className = 'text-sm',
  testId,
  layout = 'table',
  selection,
  frameRef,
}: DataTableProps<T, K>) {
  if (rows.length === 0 && empty !== undefined) {
    return typeof empty === 'string' ? <p className="text-stone-600 dark:text-stone-400">{empty}</p> : empty;
  }
  if (layout === 'cards') {
    return <DataCards columns={columns} rows={rows} rowKey={rowKey} caption={caption} rowProps={rowProps} busy={busy} testId={testId} />;
  }
  const cellBase = cx(PAD_X[density], EDGES[variant]);
  const align = (c: Column<T, K>) => (c.numeric || c.end ? 'text-right' : 'text-left');
  const Arrow = sort?.dir === 'asc' ? ArrowUp : ArrowDown;

  return (
    // `relative`: the visually hidden labels (absolutely positioned) stay inside the scrolling box.
    // A focusable named region: when it scrolls sideways (phones) the keyboard can scroll it too.
    <div
      ref={frameRef}
      className={FRAME[variant]}
      aria-busy={busy || undefined}
      tabIndex={0}
      role="region"
      aria-label={caption}
    >
      <table className={cx('w-full border-collapse', className)} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className={HEAD[variant]}>
          <tr>
            {selection && (
              <th scope="col" className={cx(cellBase, 'w-8 py-2 align-bottom')}>
                <AllBox state={selection.all} label={selection.allLabel} onToggle={selection.onAll} />
              </th>
            )}
            {columns.map((c) => {
              const sortable = sort !== undefined && (c.sortable ?? !!c.header);
              const active = sortable && sort.key === c.key;
              return (
                <th
                  key={c.key}
                  data-col={c.key}
                  scope="col"
                  aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  className={cx(
                    cellBase,
                    'py-2 align-bottom font-semibold',
                    align(c),
                    c.sticky && `${STICKY[c.sticky]} ${STICKY_HEAD_BG}`,
                    c.className,
                  )}
                >
                  {sortable ? (
                    <button
                      type="button"
                      onClick={() => sort?.onSort(c.key)}
                      className={cx(
                        'inline-flex items-center gap-1 rounded px-1 py-0.5 text-left underline-offset-2 hover:text-stone-900 hover:underline dark:hover:text-white',
                        c.numeric && 'flex-row-reverse text-right',
                        active && 'text-stone-900 dark:text-white',
                      )}
                    >
                      <HeaderLabel header={c.header} name={c.name} />
                      {/* Only the sorted column shows an arrow: the others keep their width for data. */}
                      {active && <Arrow aria-hidden="true" className="size-3.5 shrink-0" />}
                    </button>
                  ) : sort && c.header ? (
                    // Lined up with the sort buttons' text.
                    <span className="px-1">
                      <HeaderLabel header={c.header} name={c.name} />
                    </span>
                  ) : (
                    <HeaderLabel header={c.header} name={c.name} />
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className={cx(BODY[variant], busy && 'opacity-60')}>
          {rows.map((row) => {
            const extra = rowProps?.(row);
            const picked = selection?.isSelected(row) ?? false;
            return (
              <tr
                key={rowKey(row)}
                {...extra}
                data-selected={picked || undefined}
                className={cx(
                  variant === 'card' && ROW_HOVER,
                  picked && 'bg-amber-50 dark:bg-stone-800',
                  extra?.className,
                )}
              >
                {selection && (
                  <td className={cx(cellBase, 'w-8 py-1')}>
                    <input
                      type="checkbox"
                      data-select-row=""
                      aria-label={selection.rowLabel(row)}
                      checked={picked}
                      // Click (not change): it carries Shift, for ranges; Space on the box clicks too.
                      onClick={(e) => selection.onRow(row, e.shiftKey)}
                      onChange={() => {}}
                      className={BOX}
                    />
                  </td>
                )}
                {columns.map((c) => {
                  const Cell = c.rowHeader ? 'th' : 'td';
                  return (
                    <Cell
                      key={c.key}
                      scope={c.rowHeader ? 'row' : undefined}
                      className={cx(
                        cellBase,
                        c.tight ? 'py-1' : 'py-2',
                        align(c),
                        c.rowHeader && (c.emphasis ? 'font-medium' : 'font-normal'),
                        c.numeric && 'tabular-nums whitespace-nowrap',
                        c.sticky && `${STICKY[c.sticky]} ${picked ? STICKY_PICKED_BG : STICKY_CELL_BG}`,
                        c.className,
                        c.cellClassName,
                      )}
                    >
                      {c.cell(row)}
                    </Cell>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The `cards` layout of DataTable (see `layout`). */
function DataCards<T, K extends string>({
  columns,
  rows,
  rowKey,
  caption,
  rowProps,
  busy,
  testId,
}: Pick<DataTableProps<T, K>, 'columns' | 'rows' | 'rowKey' | 'caption' | 'rowProps' | 'busy' | 'testId'>) {
  const title = columns.find((c) => c.rowHeader);
  const labelled = columns.filter((c) => c !== title && c.header !== undefined && c.header !== '');
  const foot = columns.filter((c) => c !== title && (c.header === undefined || c.header === ''));
  return (
    <ul aria-label={caption} aria-busy={busy || undefined} data-testid={testId} className={cx('flex flex-col gap-3', busy && 'opacity-60')}>
      {rows.map((row) => {
        const { className: rowClass, ...extra } = rowProps?.(row) ?? {};
        return (
          <li
            key={rowKey(row)}
            {...(extra as HTMLAttributes<HTMLLIElement>)}
            className={cx(
              'flex flex-col gap-2 rounded-lg border border-stone-200 bg-white p-3 text-sm shadow-sm dark:border-stone-800 dark:bg-stone-900',
              rowClass,
            )}
          >
            {title && <div className="min-w-0 [overflow-wrap:anywhere]">{title.cell(row)}</div>}
            {labelled.length > 0 && (
              <dl className="grid grid-cols-2 gap-x-4 gap-y-1.5">
                {labelled.map((c) => (
                  <div key={c.key} className={cx('min-w-0', c.wideInCard && 'col-span-2')}>
                    <dt className="text-xs text-stone-600 dark:text-stone-400">{c.header}</dt>
                    <dd className="[overflow-wrap:anywhere]">{c.cell(row)}</dd>
                  </div>
                ))}
              </dl>
            )}
            {foot.map((c) => (
              <div key={c.key} className="border-t border-stone-200 pt-2 dark:border-stone-800">
                {c.cell(row)}
              </div>
            ))}
          </li>
        );
      })}
    </ul>
  );
}

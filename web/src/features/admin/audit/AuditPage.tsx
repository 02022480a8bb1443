import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ChevronLeft, ChevronRight, Filter, RotateCcw } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import { useMe } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { DataTable, type Column } from '../../../components/DataTable';
import { LoadError } from '../../../components/LoadError';
import { Loading } from '../../../components/Loading';
import { TextField } from '../../../components/TextField';
import { cx } from '../../../lib/cx';
import { formatDate } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/useDocumentTitle';
import { WIDE_SCREEN, useMediaQuery } from '../../../lib/useMediaQuery';
import { isAdmin } from '../AdminNav';
import { useAuditLog, type AuditEntry } from './api';
import {
  NO_FILTERS,
  actionLabel,
  actorView,
  dayStart,
  detailLine,
  filtersFromParams,
  filtersToParams,
  pageCount,
  pageFromParams,
  targetView,
  toQuery,
  type AuditFilters,
  type TargetView,
} from './auditView';

const selectClass =
  'min-h-10 w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base text-stone-900 shadow-sm sm:text-sm dark:border-stone-600 dark:bg-stone-900 dark:text-stone-100';

/** "Journal" (administrators): the audit log, read-only, filters in the address bar. */
export function AuditPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('adminAudit.title'));
  const { data: me } = useMe();
  const admin = isAdmin(me);
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const page = pageFromParams(params);
  const log = useAuditLog(toQuery(filters, page), admin);

  const header = (
    <div>
      <h1 className="text-2xl font-bold">{t('adminAudit.title')}</h1>
      <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">{t('adminAudit.intro')}</p>
    </div>
  );

  if (me === undefined) return <Loading />;
  if (!admin) {
    return (
      <div className="flex flex-col gap-4">
        {header}
        <Alert>{t('admin.forbidden')}</Alert>
      </div>
    );
  }

  const go = (f: AuditFilters, p: number) => setParams(filtersToParams(f, p));
  const data = log.data;
  const pages = data ? pageCount(data.total, data.per_page) : 1;
  const filtered = filtersToParams(filters).toString() !== '';

  let body;
  if (log.isPending) {
    body = <Loading />;
  } else if (log.isError && !data) {
    body = (
      <LoadError query={log} />
    );
  } else if (data) {
    body = (
      <>
        {log.isError && <Alert>{errorMessage(log.error)}</Alert>}
        <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
          {t('adminAudit.total', { count: data.total })}
        </p>
        <AuditTable
          entries={data.entries}
          busy={log.isPlaceholderData}
          empty={
            <p className="rounded-lg border border-dashed border-stone-300 px-4 py-10 text-center dark:border-stone-700">
              {filtered || page > 1 ? t('adminAudit.noMatch') : t('adminAudit.empty')}
            </p>
          }
        />
        {(pages > 1 || page > 1) && (
          <nav aria-label={t('adminAudit.pagination')} className="flex flex-wrap items-center justify-between gap-3">
            <Button
              variant="secondary"
              disabled={page <= 1}
              onClick={() => go(filters, Math.min(page - 1, pages))}
              icon={<ChevronLeft aria-hidden="true" className="size-4" />}
            >
              {t('adminAudit.previous')}
            </Button>
            <span className="text-sm text-stone-700 dark:text-stone-300" aria-live="polite">
              {t('adminAudit.page', { page, pages })}
            </span>
            <Button variant="secondary" disabled={page >= pages} onClick={() => go(filters, page + 1)}>
              <span className="flex items-center gap-2">
                {t('adminAudit.next')}
                <ChevronRight aria-hidden="true" className="size-4" />
              </span>
            </Button>
          </nav>
        )}
      </>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      {header}
      <FiltersForm
        // A new address (back button, link) refills the form.
        key={filtersToParams(filters).toString()}
        value={filters}
        actions={data?.actions ?? []}
        onApply={(f) => go(f, 1)}
        onReset={() => go(NO_FILTERS, 1)}
        canReset={filtered}
      />
      {body}
    </div>
  );
}

function FiltersForm({
  value,
  actions,
  onApply,
  onReset,
  canReset,
}: {
  value: AuditFilters;
  actions: readonly string[];
  onApply: (f: AuditFilters) => void;
  onReset: () => void;
  canReset: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [form, setForm] = useState<AuditFilters>(value);
  const [rangeError, setRangeError] = useState<string | undefined>();
  const toRef = useRef<HTMLInputElement>(null);

  // Known actions by French label; the one in the address stays selectable even if absent.
  const options = [...new Set([...actions, ...(form.action ? [form.action] : [])])]
    .map((a) => ({ value: a, label: actionLabel(a).known ? actionLabel(a).label : `${actionLabel(a).label} (${a})` }))
    .sort((a, b) => a.label.localeCompare(b.label, 'fr'));

  function submit(e: FormEvent) {
    e.preventDefault();
    const from = form.from ? dayStart(form.from) : null;
    const to = form.to ? dayStart(form.to) : null;
    if (from !== null && to !== null && from > to) {
      setRangeError(t('adminAudit.filters.rangeInvalid'));
      toRef.current?.focus();
      return;
    }
    setRangeError(undefined);
    onApply(form);
  }

  return (
    <form noValidate onSubmit={submit} role="search" aria-label={t('adminAudit.filters.legend')}>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto_auto_auto] lg:items-start">
        <TextField
          label={t('adminAudit.filters.actor')}
          type="search"
          name="actor"
          autoComplete="off"
          placeholder={t('adminAudit.filters.actorPlaceholder')}
          value={form.actor}
          onChange={(e) => setForm({ ...form, actor: e.target.value })}
        />
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-action`} className="text-sm font-medium text-stone-800 dark:text-stone-200">
            {t('adminAudit.filters.action')}
          </label>
          <select
            id={`${id}-action`}
            name="action"
            value={form.action}
            onChange={(e) => setForm({ ...form, action: e.target.value })}
            className={selectClass}
          >
            <option value="">{t('adminAudit.filters.all')}</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label={t('adminAudit.filters.from')}
          type="date"
          name="from"
          value={form.from}
          onChange={(e) => setForm({ ...form, from: e.target.value })}
        />
        <TextField
          label={t('adminAudit.filters.to')}
          type="date"
          name="to"
          value={form.to}
          min={form.from || undefined}
          onChange={(e) => setForm({ ...form, to: e.target.value })}
          error={rangeError}
          inputRef={toRef}
        />
        <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-1 lg:self-end">
          <Button type="submit" icon={<Filter aria-hidden="true" className="size-4" />}>
            {t('adminAudit.filters.submit')}
          </Button>
          {canReset && (
            <Button variant="ghost" onClick={onReset} icon={<RotateCcw aria-hidden="true" className="size-4" />}>
              {t('adminAudit.filters.reset')}
            </Button>
          )}
        </div>
      </div>
    </form>
  );
}

function Details({ details }: { details: AuditEntry['details'] }) {
  const lines = details
    ? Object.entries(details)
        .map(([k, v]) => detailLine(k, v))
        .filter((l) => l !== null)
    : [];
  if (lines.length === 0) return <span aria-hidden="true">—</span>;
  return (
    <dl className="flex flex-col gap-0.5">
      {lines.map((l) => (
        <div key={l.label} className="flex flex-wrap gap-x-1">
          <dt className="text-stone-600 dark:text-stone-400">{l.label} :</dt>
          <dd className="[overflow-wrap:anywhere]">{l.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A name, linked to its page when it still has one, muted when it is gone; the id on hover. */
function Named({ view }: { view: TargetView | null }) {
  if (!view) return <span aria-hidden="true">—</span>;
  if (view.to) {
    return (
      <Link
        to={view.to}
        title={view.title}
        aria-label={view.linkLabel}
        className="font-medium text-amber-800 underline underline-offset-2 [overflow-wrap:anywhere] hover:no-underline dark:text-amber-300"
      >
        {view.text}
      </Link>
    );
  }
  return (
    <span title={view.title} className={cx('[overflow-wrap:anywhere]', view.gone && 'italic text-stone-600 dark:text-stone-400')}>
      {view.text}
    </span>
  );
}

/** The action in French; a code the interface does not know yet is in the tooltip. */
function ActionCell({ action, details }: { action: string; details: AuditEntry['details'] }) {
  const { t } = useTranslation();
  const { label, known } = actionLabel(action, details);
  if (known) return <span className="font-medium">{label}</span>;
  const code = t('adminAudit.actionCode', { code: action });
  return (
    <span className="font-medium" title={code}>
      {label}
      <span className="sr-only"> ({code})</span>
    </span>
  );
}

function AuditTable({ entries, busy, empty }: { entries: readonly AuditEntry[]; busy: boolean; empty: ReactNode }) {
  const { t } = useTranslation();
  // Phones and tablets: one card per entry, no sideways scrolling.
  const wide = useMediaQuery(WIDE_SCREEN);
  const columns: Column<AuditEntry>[] = [
    {
      key: 'date',
      header: t('adminAudit.columns.date'),
      cellClassName: 'whitespace-nowrap',
      cell: (e) => <time dateTime={new Date(e.at * 1000).toISOString()}>{formatDate(e.at)}</time>,
    },
    {
      key: 'actor',
      header: t('adminAudit.columns.actor'),
      cellClassName: 'max-w-40',
      cell: (e) => <Named view={actorView(e)} />,
    },
    {
      key: 'action',
      header: t('adminAudit.columns.action'),
      cellClassName: 'min-w-36',
      cell: (e) => <ActionCell action={e.action} details={e.details} />,
    },
    {
      key: 'target',
      header: t('adminAudit.columns.target'),
      cellClassName: 'max-w-56',
      cell: (e) => <Named view={targetView(e)} />,
    },
    {
      key: 'details',
      header: t('adminAudit.columns.details'),
      cellClassName: 'max-w-md',
      wideInCard: true,
      cell: (e) => <Details details={e.details} />,
    },
    {
      key: 'ip',
      header: t('adminAudit.columns.ip'),
      cellClassName: 'font-mono text-xs whitespace-nowrap',
      cell: (e) => e.ip || '—',
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={entries}
      rowKey={(e) => e.id}
      caption={t('adminAudit.caption')}
      empty={empty}
      rowProps={() => ({ className: 'align-top' })}
      density="roomy"
      busy={busy}
      testId="audit-table"
      layout={wide ? 'table' : 'cards'}
    />
  );
}

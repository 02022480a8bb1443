import { useCallback, useId, useRef, useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { ChevronDown, Search, SlidersHorizontal, X } from 'lucide-react';
import { errorMessage } from '../../api/client';
import { useMe } from '../../api/queries';
import type { SearchCategory, SearchIndexer, SearchParams, SearchResult } from '../../api/types';
import i18n from '../../i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { controlBorder, controlClass } from '../../components/Field';
import { SortPicker } from '../../components/SortPicker';
import { Loading } from '../../components/Loading';
import { TextField } from '../../components/TextField';
import { cx } from '../../lib/cx';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { WIDE_SCREEN, useMediaQuery } from '../../lib/useMediaQuery';
import type { AddState } from './AddResultCell';
import { maySearch } from './permissions';
import { RecentSearches } from './RecentSearches';
import { useAddSearchResult, useSearchIndexers, useSearchResults } from './queries';
import { ResultCards, ResultsTable } from './SearchResultsView';
import {
  CATEGORIES,
  DEFAULT_SORT,
  NO_FILTERS,
  RESULT_SORT_KEYS,
  activeFilters,
  applyResultView,
  failedIndexers,
  hasFilters,
  nextSort,
  type ResultFilters,
  type ResultSort,
  type ResultSortKey,
} from './searchView';

const fieldClass = cx(controlClass, controlBorder());

/** The server's French message, or ours for the code when it sent none. */
function addErrorText(error: { code: string; message: string }): string {
  if (error.message?.trim()) return error.message;
  const key = `errors.codes.${error.code}`;
  return i18n.exists(key) ? i18n.t(key as 'errors.codes.duplicate_torrent') : i18n.t('errors.unexpected');
}

/** What the form shows: typed, or filled from a recent search. */
const EMPTY_FORM: SearchParams = { q: '', category: 'tout', indexer: '' };

function SearchForm({
  value,
  onChange,
  error,
  busy,
  onSubmit,
  queryRef,
  indexers,
}: {
  value: SearchParams;
  onChange: (v: SearchParams) => void;
  error: string | undefined;
  busy: boolean;
  onSubmit: () => void;
  queryRef: Ref<HTMLInputElement>;
  /** For the select; a failure just leaves "Tous les indexeurs". */
  indexers: readonly SearchIndexer[] | undefined;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { q, category, indexer } = value;
  const list = indexers ?? [];

  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }

  return (
    <form role="search" onSubmit={submit} noValidate className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start">
      <TextField
        label={t('search.form.query')}
        type="search"
        required
        value={q}
        onChange={(e) => onChange({ ...value, q: e.target.value })}
        inputRef={queryRef}
        placeholder={t('search.form.queryPlaceholder')}
        error={error}
        autoComplete="off"
        className="sm:min-w-72 sm:flex-1"
      />
      {/* Side by side on phones too: the results start higher. */}
      <div className="grid grid-cols-2 gap-3 sm:contents">
        <div className="flex min-w-0 flex-col gap-1 sm:w-44">
          <label htmlFor={`${id}-cat`} className="text-sm font-medium text-stone-800 dark:text-stone-200">
            {t('search.form.category')}
          </label>
          <select
            id={`${id}-cat`}
            value={category}
            onChange={(e) => onChange({ ...value, category: e.target.value as SearchCategory })}
            className={fieldClass}
          >
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`search.categories.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="flex min-w-0 flex-col gap-1 sm:w-52">
          <label htmlFor={`${id}-idx`} className="text-sm font-medium text-stone-800 dark:text-stone-200">
            {t('search.form.indexer')}
          </label>
          <select
            id={`${id}-idx`}
            value={indexer}
            onChange={(e) => onChange({ ...value, indexer: e.target.value })}
            className={fieldClass}
          >
            <option value="">{t('search.form.allIndexers')}</option>
            {list.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
            {/* A recent search's indexer that is no longer listed (or not yet): shown by its id. */}
            {indexer !== '' && !list.some((i) => i.id === indexer) && <option value={indexer}>{indexer}</option>}
          </select>
        </div>
      </div>
      <Button
        type="submit"
        busy={busy}
        busyLabel={t('search.form.busy')}
        icon={<Search aria-hidden="true" className="size-4" />}
        className="sm:mt-6"
      >
        {t('search.form.submit')}
      </Button>
    </form>
  );
}

/**
 * The filters of the results (and, on phones, the sort). On phones they fold behind a
 * "Filtres" button (with how many are set), so that the first result stays near the top.
 */
function Filters({
  filters,
  setFilters,
  sort,
  setSort,
  wide,
}: {
  filters: ResultFilters;
  setFilters: (f: ResultFilters) => void;
  sort: ResultSort;
  setSort: (s: ResultSort) => void;
  wide: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const active = activeFilters(filters);
  const field = (key: keyof ResultFilters, label: string, type: 'number' | 'text', extra: string) => (
    <div className={`flex flex-col gap-1 ${extra}`}>
      <label htmlFor={`${id}-${key}`} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={`${id}-${key}`}
        type={type === 'number' ? 'text' : 'search'}
        inputMode={type === 'number' ? 'decimal' : undefined}
        value={filters[key]}
        onChange={(e) => setFilters({ ...filters, [key]: e.target.value })}
        autoComplete="off"
        className={fieldClass}
      />
    </div>
  );
  const shown = wide || open;
  return (
    <div className="flex flex-col gap-3">
      {!wide && (
        <Button
          variant="secondary"
          className="self-start"
          aria-expanded={open}
          aria-controls={`${id}-filters`}
          onClick={() => setOpen(!open)}
          icon={<SlidersHorizontal aria-hidden="true" className="size-4" />}
        >
          <span className="flex items-center gap-1">
            {active > 0 ? t('search.filters.toggleActive', { count: active }) : t('search.filters.toggle')}
            <ChevronDown aria-hidden="true" className={cx('size-4 transition-transform', open && 'rotate-180')} />
          </span>
        </Button>
      )}
      <fieldset id={`${id}-filters`} hidden={!shown} className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
        <legend className="sr-only">{t('search.filters.legend')}</legend>
        {field('title', t('search.filters.title'), 'text', 'sm:w-60')}
        {field('minSeeders', t('search.filters.minSeeders'), 'number', 'sm:w-36')}
        {field('minSizeGo', t('search.filters.minSize'), 'number', 'sm:w-40')}
        {field('maxSizeGo', t('search.filters.maxSize'), 'number', 'sm:w-40')}
        {!wide && (
          <SortPicker
            id={`${id}-sort`}
            label={t('search.filters.sort')}
            keys={RESULT_SORT_KEYS}
            value={sort.sort}
            keyLabel={(k) => t(`search.columns.${k}`)}
            onKey={(k) => setSort(nextSort({ ...sort, sort: '' as ResultSortKey }, k))}
            dir={sort.dir}
            onFlip={() => setSort({ ...sort, dir: sort.dir === 'asc' ? 'desc' : 'asc' })}
            ascending={t('search.filters.ascending')}
            descending={t('search.filters.descending')}
          />
        )}
        {hasFilters(filters) && (
          <Button variant="ghost" icon={<X aria-hidden="true" className="size-4" />} onClick={() => setFilters(NO_FILTERS)}>
            {t('search.filters.clear')}
          </Button>
        )}
      </fieldset>
    </div>
  );
}

/** "Recherche": Jackett search through the server, results sorted and filtered here, "Ajouter" on each. */
export function SearchPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('search.title'));
  const { data: me } = useMe();
  const allowed = maySearch(me);
  const wide = useMediaQuery(WIDE_SCREEN);
  const [params, setParams] = useState<SearchParams | null>(null);
  const search = useSearchResults(allowed ? params : null);
  const indexers = useSearchIndexers(allowed);
  const [form, setForm] = useState<SearchParams>(EMPTY_FORM);
  const [queryError, setQueryError] = useState<string | undefined>();
  const queryRef = useRef<HTMLInputElement>(null);
  const focusQuery = useCallback(() => queryRef.current?.focus(), []);
  const [sort, setSort] = useState<ResultSort>(DEFAULT_SORT);
  const [filters, setFilters] = useState<ResultFilters>(NO_FILTERS);
  const [addStates, setAddStates] = useState<Record<string, AddState>>({});
  const add = useAddSearchResult();

  function runSearch(p: SearchParams) {
    setSort(DEFAULT_SORT);
    if (params && p.q === params.q && p.category === params.category && p.indexer === params.indexer) {
      void search.refetch();
    } else {
      setParams(p);
    }
  }

  function submitForm() {
    const q = form.q.trim();
    if (!q) {
      setQueryError(t('search.form.queryRequired'));
      return;
    }
    setQueryError(undefined);
    runSearch({ ...form, q });
  }

  /** A recent search's chip: fills the form with it and runs it. */
  function replay(p: SearchParams) {
    setForm(p);
    setQueryError(undefined);
    runSearch(p);
  }

  async function addResult(r: SearchResult) {
    const put = (s: AddState | null) =>
      setAddStates((prev) => {
        const next = { ...prev };
        if (s) next[r.id] = s;
        else delete next[r.id];
        return next;
      });
    put({ status: 'pending' });
    try {
      const res = await add.mutateAsync(r.id);
      put(res.ok ? null : { status: 'error', message: addErrorText(res.error) });
    } catch (e) {
      put({ status: 'error', message: errorMessage(e) });
    }
  }

  const header = (
    <div>
      <h1 className="text-2xl font-bold">{t('search.title')}</h1>
      <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">{t('search.intro')}</p>
    </div>
  );

  if (me && !allowed) {
    return (
      <div className="flex flex-col gap-4">
        {header}
        <Alert>{t('search.forbidden')}</Alert>
      </div>
    );
  }

  const data = search.data;
  let body = null;
  if (params && search.isPending) {
    body = <Loading />;
  } else if (search.isError) {
    body = <Alert>{errorMessage(search.error)}</Alert>;
  } else if (params && data) {
    const shown = applyResultView(data.results, sort, filters);
    const total = data.results.length;
    const caption = t('search.resultsCaption', { q: params.q });
    body = (
      <div className="flex flex-col gap-4" aria-busy={search.isFetching || undefined}>
        {data.failed.length > 0 && (
          <Alert tone="info">{t('search.failed', { list: failedIndexers(data.failed, data.indexers) })}</Alert>
        )}
        {total === 0 ? (
          <p role="status" className="rounded-lg border border-dashed border-stone-300 px-4 py-10 text-center dark:border-stone-700">
            {t('search.empty', { q: params.q })}
          </p>
        ) : (
          <>
            <Filters filters={filters} setFilters={setFilters} sort={sort} setSort={setSort} wide={wide} />
            <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
              {shown.length === total
                ? t('search.shownAll', { count: total })
                : t('search.shownSome', { count: shown.length, total })}
            </p>
            {shown.length === 0 ? (
              <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed border-stone-300 px-4 py-10 text-center dark:border-stone-700">
                <p>{t('search.noMatch')}</p>
                <Button variant="secondary" icon={<X aria-hidden="true" className="size-4" />} onClick={() => setFilters(NO_FILTERS)}>
                  {t('search.filters.clear')}
                </Button>
              </div>
            ) : wide ? (
              <ResultsTable
                results={shown}
                caption={caption}
                addStates={addStates}
                onAdd={(r) => void addResult(r)}
                sort={sort}
                onSort={(key) => setSort(nextSort(sort, key))}
              />
            ) : (
              <ResultCards results={shown} caption={caption} addStates={addStates} onAdd={(r) => void addResult(r)} />
            )}
          </>
        )}
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      {header}
      <SearchForm
        value={form}
        onChange={setForm}
        error={queryError}
        busy={search.isFetching}
        onSubmit={submitForm}
        queryRef={queryRef}
        indexers={indexers.data}
      />
      <RecentSearches enabled={allowed} indexers={indexers.data} onReplay={replay} onEmptied={focusQuery} />
      {body}
    </div>
  );
}

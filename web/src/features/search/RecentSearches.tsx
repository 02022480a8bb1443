import { Fragment, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { History, LoaderCircle, Trash2, X } from 'lucide-react';
import { errorMessage } from '../../api/client';
import type { RecentSearch, SearchIndexer, SearchParams } from '../../api/types';
import { Alert } from '../../components/Alert';
import { IconButton } from '../../components/IconAction';
import { cx } from '../../lib/cx';
import { formatDate } from '../../lib/format';
import { useForgetRecentSearch, useRecentSearches } from './queries';

/** Chips shown before "Afficher les N recherches": the results stay close to the form. */
export const RECENT_SHOWN = 8;

/** The section's own small text buttons (a `Button` is too tall beside the chips). */
const smallButton =
  'inline-flex min-h-8 items-center gap-1.5 rounded-md px-2 py-1 text-xs font-semibold text-stone-700 transition-colors hover:bg-stone-200/70 aria-disabled:cursor-wait aria-disabled:opacity-80 dark:text-stone-200 dark:hover:bg-stone-800';

/** A drawn "·" between the parts of a chip (its aria-label has commas instead). */
function Dot() {
  return (
    <span aria-hidden="true" className="mx-1 text-stone-500 dark:text-stone-400">
      ·
    </span>
  );
}

/**
 * "Recherches récentes" under the search form: one chip per search (query, then the category
 * and the indexer when they are not "Tout" and "Tous les indexeurs", then the date). A chip
 * replays its search; its × forgets it. Hidden while the list is empty or cannot be fetched.
 */
export function RecentSearches({
  enabled,
  indexers,
  onReplay,
  onEmptied,
}: {
  enabled: boolean;
  /** From `useSearchIndexers`, for the names; the id is shown when unknown. */
  indexers: readonly SearchIndexer[] | undefined;
  onReplay: (p: SearchParams) => void;
  /** The list was emptied from here: focus goes back to the search field. */
  onEmptied: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const recent = useRecentSearches(enabled);
  const forget = useForgetRecentSearch();
  const [pending, setPending] = useState<ReadonlySet<number | 'all'>>(new Set());
  const [error, setError] = useState<string | undefined>();
  const [expanded, setExpanded] = useState(false);
  const chips = useRef(new Map<number, HTMLButtonElement>());
  /** A chip being forgotten: once it is gone, focus goes to the chip now at its place. */
  const refocus = useRef<{ id: number; index: number } | null>(null);

  const searches = recent.data ?? [];
  useEffect(() => {
    const r = refocus.current;
    if (!r || !recent.data || recent.data.some((s) => s.id === r.id)) return;
    refocus.current = null;
    const next = recent.data[Math.min(r.index, recent.data.length - 1)];
    const el = next && chips.current.get(next.id);
    if (el) el.focus();
    else onEmptied();
  }, [recent.data, onEmptied]);

  async function run(target: RecentSearch | null) {
    const key = target ? target.id : 'all';
    setPending((p) => new Set(p).add(key));
    if (target) refocus.current = { id: target.id, index: Math.max(0, searches.indexOf(target)) };
    try {
      await forget.mutateAsync(target ? target.id : null);
      setError(undefined);
      if (!target) {
        setExpanded(false);
        onEmptied();
      }
    } catch (e) {
      if (target && refocus.current?.id === target.id) refocus.current = null;
      setError(errorMessage(e));
    } finally {
      setPending((p) => {
        const next = new Set(p);
        next.delete(key);
        return next;
      });
    }
  }

  if (searches.length === 0) return null;

  const indexerName = (idx: string) => indexers?.find((i) => i.id === idx)?.name ?? idx;
  const shown = expanded ? searches : searches.slice(0, RECENT_SHOWN);
  const clearing = pending.has('all');
  const headingId = `${id}-title`;
  const listId = `${id}-list`;

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <h2 id={headingId} className="flex items-center gap-1.5 text-sm font-semibold text-stone-700 dark:text-stone-300">
          <History aria-hidden="true" className="size-4" />
          {t('search.recent.title')}
        </h2>
        <button
          type="button"
          aria-disabled={clearing || undefined}
          aria-busy={clearing || undefined}
          onClick={() => {
            if (!clearing) void run(null);
          }}
          className={smallButton}
        >
          {clearing ? (
            <LoaderCircle aria-hidden="true" className="size-3.5 animate-spin" />
          ) : (
            <Trash2 aria-hidden="true" className="size-3.5" />
          )}
          {clearing ? t('search.recent.clearing') : t('search.recent.clear')}
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      <ul id={listId} className="flex flex-wrap gap-2">
        {shown.map((s) => {
          const details = [
            s.category !== 'tout' ? t(`search.categories.${s.category}`) : null,
            s.indexer !== '' ? indexerName(s.indexer) : null,
          ].filter((d): d is string => d !== null);
          const date = formatDate(s.searched_at);
          return (
            <li
              key={s.id}
              className="flex max-w-full items-center rounded-full border border-stone-300 bg-white text-sm shadow-sm dark:border-stone-600 dark:bg-stone-900"
            >
              <button
                type="button"
                ref={(el) => {
                  if (el) chips.current.set(s.id, el);
                  else chips.current.delete(s.id);
                }}
                aria-label={[s.q, ...details, date].join(', ')}
                onClick={() => onReplay({ q: s.q, category: s.category, indexer: s.indexer })}
                className="flex min-h-8 min-w-0 items-center rounded-l-full py-1 pl-3 pr-1 text-left hover:bg-stone-100 dark:hover:bg-stone-800"
              >
                <span className="max-w-56 truncate font-medium" title={s.q}>
                  {s.q}
                </span>
                <span className="shrink-0 text-stone-600 dark:text-stone-400">
                  {details.map((d, i) => (
                    <Fragment key={i}>
                      <Dot />
                      {d}
                    </Fragment>
                  ))}
                  <Dot />
                  <time dateTime={new Date(s.searched_at * 1000).toISOString()} className="text-xs">
                    {date}
                  </time>
                </span>
              </button>
              <IconButton
                small
                label={t('search.recent.forgetNamed', { q: s.q })}
                tip={t('search.recent.forget')}
                icon={<X aria-hidden="true" className="size-3.5" />}
                busy={pending.has(s.id)}
                onClick={() => void run(s)}
                className="mr-0.5"
              />
            </li>
          );
        })}
      </ul>
      {searches.length > RECENT_SHOWN && (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded(!expanded)}
          className={cx(smallButton, 'self-start')}
        >
          {expanded ? t('search.recent.showLess') : t('search.recent.showAll', { count: searches.length })}
        </button>
      )}
    </section>
  );
}

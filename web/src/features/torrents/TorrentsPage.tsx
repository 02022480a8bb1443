import { useId, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ArrowDown, ArrowUp, HardDriveDownload, Plus, Search, X } from 'lucide-react';
import { errorMessage } from '../../api/client';
import { useMe } from '../../api/queries';
import type { Torrent, TorrentScope } from '../../api/types';
import { Alert, DismissibleAlert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { LoadError } from '../../components/LoadError';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { WIDE_SCREEN, useMediaQuery } from '../../lib/useMediaQuery';
import { AddTorrentsDialog } from './AddTorrentsDialog';
import { AssignTorrentDialog } from './AssignTorrentDialog';
import { ownerName } from './cells';
import { DeleteTorrentDialog } from './DeleteTorrentDialog';
import { LiveBanner } from './LiveBanner';
import {
  SORT_KEYS,
  applyView,
  countByState,
  nextSort,
  parseView,
  viewToParams,
  type ListView,
  type SortKey,
  type StateFilter,
} from './listView';
import { useTorrentList } from './queries';
import { canSeeAll, mayAddFiles, mayAddMagnets, mayAssign } from './permissions';
import { TORRENT_STATES, stateLabel } from './states';
import { TorrentCards } from './TorrentCards';
import { TorrentTable } from './TorrentTable';

const fieldClass =
  'min-h-10 w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base text-stone-900 shadow-sm sm:text-sm dark:border-stone-600 dark:bg-stone-900 dark:text-stone-100';

function Toolbar({
  view,
  setView,
  counts,
  showOwner,
  wide,
}: {
  view: ListView;
  setView: (v: Partial<ListView>) => void;
  counts: ReturnType<typeof countByState>;
  showOwner: boolean;
  wide: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const sortKeys = SORT_KEYS.filter((k) => showOwner || k !== 'owner');
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end" role="search">
      <div className="flex flex-col gap-1 sm:w-72">
        <label htmlFor={`${id}-q`} className="text-sm font-medium">
          {t('torrents.filters.search')}
        </label>
        <div className="relative">
          <Search aria-hidden="true" className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-stone-500 dark:text-stone-400" />
          <input
            id={`${id}-q`}
            type="search"
            value={view.search}
            onChange={(e) => setView({ search: e.target.value })}
            placeholder={t('torrents.filters.searchPlaceholder')}
            autoComplete="off"
            className={`${fieldClass} pl-9`}
          />
        </div>
      </div>
      <div className="flex flex-col gap-1 sm:w-60">
        <label htmlFor={`${id}-state`} className="text-sm font-medium">
          {t('torrents.filters.state')}
        </label>
        <select
          id={`${id}-state`}
          value={view.state}
          onChange={(e) => setView({ state: e.target.value as StateFilter })}
          className={fieldClass}
        >
          <option value="all">{t('torrents.filters.allStates', { count: counts.all })}</option>
          {TORRENT_STATES.map((s) => (
            <option key={s} value={s}>
              {t('torrents.filters.stateOption', { label: stateLabel(s), count: counts[s] })}
            </option>
          ))}
        </select>
      </div>
      {!wide && (
        <div className="flex items-end gap-2">
          <div className="flex flex-1 flex-col gap-1">
            <label htmlFor={`${id}-sort`} className="text-sm font-medium">
              {t('torrents.filters.sort')}
            </label>
            <select
              id={`${id}-sort`}
              value={view.sort}
              onChange={(e) => setView(nextSort({ ...view, sort: '' as SortKey }, e.target.value as SortKey))}
              className={fieldClass}
            >
              {sortKeys.map((k) => (
                <option key={k} value={k}>
                  {t(`torrents.sortKeys.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <Button
            variant="secondary"
            onClick={() => setView({ dir: view.dir === 'asc' ? 'desc' : 'asc' })}
            icon={
              view.dir === 'asc' ? (
                <ArrowUp aria-hidden="true" className="size-4" />
              ) : (
                <ArrowDown aria-hidden="true" className="size-4" />
              )
            }
          >
            {view.dir === 'asc' ? t('torrents.filters.ascending') : t('torrents.filters.descending')}
          </Button>
        </div>
      )}
    </div>
  );
}

function EmptyState({ scope, onAdd }: { scope: TorrentScope; onAdd?: () => void }) {
  const { t } = useTranslation();
  return (
    <div data-testid="torrents-empty" className="flex flex-col items-center gap-3 rounded-lg border border-dashed border-stone-300 bg-white px-4 py-12 text-center dark:border-stone-700 dark:bg-stone-900">
      <HardDriveDownload aria-hidden="true" className="size-10 text-amber-600 dark:text-amber-400" />
      <h2 className="text-lg font-semibold">{scope === 'mine' ? t('torrents.empty.mineTitle') : t('torrents.empty.allTitle')}</h2>
      <p className="max-w-md text-stone-600 dark:text-stone-400">
        {scope === 'mine' ? t('torrents.empty.mineText') : t('torrents.empty.allText')}
      </p>
      {onAdd && (
        <Button onClick={onAdd} icon={<Plus aria-hidden="true" className="size-4" />}>
          {t('torrents.add.open')}
        </Button>
      )}
    </div>
  );
}

/** "Mes torrents" (scope mine) and "Tous les torrents" (scope all). */
export function TorrentsPage({ scope }: { scope: TorrentScope }) {
  const { t } = useTranslation();
  const title = scope === 'mine' ? t('torrents.mineTitle') : t('torrents.allTitle');
  useDocumentTitle(title);
  const { data: me } = useMe();
  const allowed = scope === 'mine' || canSeeAll(me);
  const canAdd = mayAddMagnets(me) || mayAddFiles(me);
  const list = useTorrentList(scope, allowed);
  const wide = useMediaQuery(WIDE_SCREEN);
  const [params, setParams] = useSearchParams();
  const showOwner = scope === 'all';
  const view = parseView(params, showOwner);
  const [adding, setAdding] = useState(false);
  const [toDelete, setToDelete] = useState<Torrent | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  // "Attribuer…" belongs to "Tous les torrents", for administrators.
  const canAssign = scope === 'all' && mayAssign(me);
  const [toAssign, setToAssign] = useState<Torrent | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (!allowed) return <Navigate to="/torrents" replace />;

  const setView = (next: Partial<ListView>) => setParams(viewToParams({ ...view, ...next }), { replace: true });
  const torrents = list.data?.torrents ?? [];
  const counts = countByState(torrents);
  const shown = applyView(torrents, view);

  let body;
  if (list.isPending) {
    body = <Loading />;
  } else if (list.isError && !list.data) {
    body = (
      <LoadError query={list} />
    );
  } else if (torrents.length === 0) {
    body = <EmptyState scope={scope} onAdd={canAdd ? () => setAdding(true) : undefined} />;
  } else {
    body = (
      <>
        <Toolbar view={view} setView={setView} counts={counts} showOwner={showOwner} wide={wide} />
        <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
          {shown.length === torrents.length
            ? t('torrents.shownAll', { count: torrents.length })
            : t('torrents.shownSome', { count: shown.length, total: torrents.length })}
        </p>
        {shown.length === 0 ? (
          <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed border-stone-300 px-4 py-10 text-center dark:border-stone-700">
            <p>{t('torrents.empty.noMatch')}</p>
            <Button
              variant="secondary"
              icon={<X aria-hidden="true" className="size-4" />}
              onClick={() => setView({ state: 'all', search: '' })}
            >
              {t('torrents.filters.clear')}
            </Button>
          </div>
        ) : wide ? (
          <TorrentTable
            torrents={shown}
            view={view}
            onSort={(key) => setView(nextSort(view, key))}
            showOwner={showOwner}
            caption={title}
            onDelete={setToDelete}
            onAssign={canAssign ? setToAssign : undefined}
            onError={setActionError}
          />
        ) : (
          <TorrentCards
            torrents={shown}
            showOwner={showOwner}
            caption={title}
            onDelete={setToDelete}
            onAssign={canAssign ? setToAssign : undefined}
            onError={setActionError}
          />
        )}
      </>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      <div>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div>
            <h1 className="text-2xl font-bold">{title}</h1>
            <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">
              {scope === 'mine' ? t('torrents.mineIntro') : t('torrents.allIntro')}
            </p>
          </div>
          {canAdd && (
            <Button onClick={() => setAdding(true)} icon={<Plus aria-hidden="true" className="size-4" />}>
              {t('torrents.add.open')}
            </Button>
          )}
        </div>
        <LiveBanner fallback={list.data} />
        {list.isError && list.data && (
          <Alert className="mt-3">{t('torrents.refreshFailed', { message: errorMessage(list.error) })}</Alert>
        )}
        {actionError && (
          <DismissibleAlert className="mt-3" dismissLabel={t('torrents.dismiss')} onDismiss={() => setActionError(null)}>
            {actionError}
          </DismissibleAlert>
        )}
        {notice && (
          <DismissibleAlert
            tone="success"
            className="mt-3"
            dismissLabel={t('torrents.dismiss')}
            onDismiss={() => setNotice(null)}
          >
            {notice}
          </DismissibleAlert>
        )}
      </div>
      {body}
      {canAdd && <AddTorrentsDialog open={adding} onOpenChange={setAdding} />}
      <DeleteTorrentDialog torrent={toDelete} onClose={() => setToDelete(null)} />
      {canAssign && (
        <AssignTorrentDialog
          torrent={toAssign}
          onClose={() => setToAssign(null)}
          onAssigned={(x) => setNotice(t('torrents.assign.done', { name: x.name, user: ownerName(x) }))}
        />
      )}
    </div>
  );
}

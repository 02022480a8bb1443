import { useCallback, useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { HardDriveDownload, Keyboard, ListFilter, Plus, Search, X } from 'lucide-react';
import { errorMessage } from '../../api/client';
import { useMe } from '../../api/queries';
import type { Torrent, TorrentScope } from '../../api/types';
import { Alert, DismissibleAlert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { controlBorder, controlClass } from '../../components/Field';
import { SortPicker } from '../../components/SortPicker';
import { cx } from '../../lib/cx';
import { LoadError } from '../../components/LoadError';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { SMALL_SCREEN, WIDE_SCREEN, useMediaQuery } from '../../lib/useMediaQuery';
import { allState, clickRow, emptySelection, keepShown, toggleAll, type SelectionState } from '../../lib/selection';
import { useShortcuts } from '../../lib/useShortcuts';
import { IconButton } from '../../components/IconAction';
import { BulkBar } from './BulkBar';
import { isAdmin } from '../admin/AdminNav';
import { useServerChoices } from '../admin/servers/queries';
import { ColumnsMenu, useColumnPrefs } from './ColumnsMenu';
import { resolvePrefs, type ColumnKey } from './columnPrefs';
import { ShortcutsHelp } from './ShortcutsHelp';
import { StaleNote } from './StaleNote';
import { AddTorrentsDialog } from './AddTorrentsDialog';
import { AssignTorrentDialog } from './AssignTorrentDialog';
import { ownerName } from './cells';
import { DeleteTorrentDialog } from './DeleteTorrentDialog';
import { LiveBanner } from './LiveBanner';
import { useLive, useLiveness } from './LiveProvider';
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

const fieldClass = cx(controlClass, controlBorder());

function Toolbar({
  view,
  setView,
  counts,
  showOwner,
  showServer,
  wide,
  phone,
  searchRef,
  filtersOpen,
  setFiltersOpen,
  status,
  extra,
}: {
  view: ListView;
  setView: (v: Partial<ListView>) => void;
  counts: ReturnType<typeof countByState>;
  showOwner: boolean;
  showServer: boolean;
  wide: boolean;
  /** Below 640 px: the fields hide behind "Filtres". */
  phone: boolean;
  searchRef: RefObject<HTMLInputElement | null>;
  filtersOpen: boolean;
  setFiltersOpen: (open: boolean) => void;
  /** The count line (next to "Filtres" on phones). */
  status: ReactNode;
  /** "Colonnes", "Raccourcis clavier" (wide screens). */
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const sortKeys = SORT_KEYS.filter((k) => (showOwner || k !== 'owner') && (showServer || k !== 'server'));
  const active = (view.state !== 'all' ? 1 : 0) + (view.search !== '' ? 1 : 0);
  const fieldsShown = !phone || filtersOpen;
  return (
    <div className="flex flex-col gap-3">
      {phone && (
        <div className="flex items-center justify-between gap-3">
          <Button
            variant="secondary"
            aria-expanded={filtersOpen}
            aria-controls={`${id}-filters`}
            onClick={() => setFiltersOpen(!filtersOpen)}
            icon={<ListFilter aria-hidden="true" className="size-4" />}
          >
            {active > 0 ? t('torrents.filters.toggleActive', { count: active }) : t('torrents.filters.toggle')}
          </Button>
          {status}
        </div>
      )}
      <div
        id={`${id}-filters`}
        hidden={!fieldsShown}
        className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end"
        role="search"
      >
        <div className="flex flex-col gap-1 sm:w-72">
          <label htmlFor={`${id}-q`} className="text-sm font-medium">
            {t('torrents.filters.search')}
          </label>
          <div className="relative">
            <Search aria-hidden="true" className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-stone-500 dark:text-stone-400" />
            <input
              ref={searchRef}
              id={`${id}-q`}
              type="search"
              value={view.search}
              onChange={(e) => setView({ search: e.target.value })}
              placeholder={t('torrents.filters.searchPlaceholder')}
              autoComplete="off"
              aria-keyshortcuts="/"
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
          <SortPicker
            id={`${id}-sort`}
            label={t('torrents.filters.sort')}
            keys={sortKeys}
            value={view.sort}
            keyLabel={(k) => t(`torrents.sortKeys.${k}`)}
            onKey={(k) => setView(nextSort({ ...view, sort: '' as SortKey }, k))}
            dir={view.dir}
            onFlip={() => setView({ dir: view.dir === 'asc' ? 'desc' : 'asc' })}
            ascending={t('torrents.filters.ascending')}
            descending={t('torrents.filters.descending')}
          />
        )}
        {extra && <div className="flex items-end gap-2 sm:ml-auto">{extra}</div>}
      </div>
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

/** Focus after a row's torrent left the list: the same row if still there, else the next, else the previous. */
function focusRowAfter(hash: string, order: readonly string[], fallback: HTMLElement | null) {
  // After the list has re-rendered without it.
  setTimeout(() => {
    const i = order.indexOf(hash);
    const candidates = [hash, ...order.slice(i + 1), ...order.slice(0, Math.max(0, i)).reverse()];
    for (const h of candidates) {
      const row = document.querySelector(`[data-hash="${h}"]`);
      const el = row?.querySelector<HTMLElement>(h === hash ? '[data-row-menu]' : '[data-row-focus]');
      if (el) {
        el.focus();
        return;
      }
    }
    fallback?.focus();
  }, 0);
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
  const phone = !useMediaQuery(SMALL_SCREEN);
  const [params, setParams] = useSearchParams();
  const showOwner = scope === 'all';
  // Administrators may show each torrent's qBittorrent server (by default when there are several).
  const showServer = isAdmin(me);
  const { several: severalServers } = useServerChoices(me);
  const view = parseView(params, showOwner, showServer);
  const [adding, setAdding] = useState(false);
  const [toDelete, setToDelete] = useState<Torrent[] | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  // "Attribuer…" belongs to "Tous les torrents", for administrators.
  const canAssign = scope === 'all' && mayAssign(me);
  const [toAssign, setToAssign] = useState<Torrent | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [storedPrefs, setPrefs] = useColumnPrefs(me?.id);
  const prefs = resolvePrefs(storedPrefs, severalServers);
  const [leftOut, setLeftOut] = useState<ColumnKey[]>([]);
  const [selection, setSelection] = useState<SelectionState>(emptySelection);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [help, setHelp] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const [focusSearch, setFocusSearch] = useState(0);
  const liveness = useLiveness(list);
  const live = useLive();

  const torrents = list.data?.torrents ?? [];
  const shown = applyView(torrents, view);
  const order = shown.map((x) => x.hash);
  // Only what is on screen stays selected (a filter changed, a torrent went away).
  const kept = keepShown(selection, order);
  if (kept !== selection) setSelection(kept);
  const selected = shown.filter((x) => kept.selected.has(x.hash));
  const orderRef = useRef(order);
  orderRef.current = order;

  useEffect(() => {
    if (focusSearch === 0) return;
    searchRef.current?.focus();
    searchRef.current?.select();
  }, [focusSearch]);

  useShortcuts({
    '/': () => {
      setFiltersOpen(true);
      setFocusSearch((n) => n + 1);
    },
    a: canAdd ? () => setAdding(true) : undefined,
    '?': () => setHelp(true),
    Escape: kept.selected.size > 0 ? () => setSelection(emptySelection) : undefined,
  });

  const onDeleteRow = useCallback((x: Torrent) => setToDelete([x]), []);
  // What the delete dialog was about, still known when it has closed (its focus goes by it).
  const lastDelete = useRef<Torrent[] | null>(null);
  if (toDelete) lastDelete.current = toDelete;

  if (!allowed) return <Navigate to="/torrents" replace />;

  const setView = (next: Partial<ListView>) => setParams(viewToParams({ ...view, ...next }), { replace: true });
  const counts = countByState(torrents);

  const status = (
    <p role="status" className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-600 dark:text-stone-400">
      <span>
        {shown.length === torrents.length
          ? t('torrents.shownAll', { count: torrents.length })
          : t('torrents.shownSome', { count: shown.length, total: torrents.length })}
      </span>
      <StaleNote liveness={liveness} />
    </p>
  );

  let body;
  if (list.isPending) {
    body = <Loading />;
  } else if (list.isError && !list.data) {
    body = <LoadError query={list} />;
  } else if (torrents.length === 0) {
    body = <EmptyState scope={scope} onAdd={canAdd ? () => setAdding(true) : undefined} />;
  } else {
    body = (
      <>
        <Toolbar
          view={view}
          setView={setView}
          counts={counts}
          showOwner={showOwner}
          showServer={showServer}
          wide={wide}
          phone={phone}
          searchRef={searchRef}
          filtersOpen={filtersOpen}
          setFiltersOpen={setFiltersOpen}
          status={selected.length === 0 && status}
          extra={
            !phone && (
              <>
                {wide && (
                  <ColumnsMenu
                    prefs={prefs}
                    onChange={setPrefs}
                    showOwner={showOwner}
                    showServer={showServer}
                    leftOut={leftOut}
                  />
                )}
                <IconButton
                  label={t('torrents.shortcuts.open')}
                  tip={t('torrents.shortcuts.open')}
                  aria-keyshortcuts="?"
                  icon={<Keyboard aria-hidden="true" className="size-5" />}
                  className="size-10"
                  onClick={() => setHelp(true)}
                />
              </>
            )
          }
        />
        {selected.length > 0 ? (
          <BulkBar
            selected={selected}
            onDelete={setToDelete}
            onClear={() => {
              setSelection(emptySelection);
              document.querySelector<HTMLElement>('[data-select-all]')?.focus();
            }}
            onError={setActionError}
          />
        ) : (
          !phone && status
        )}
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
            showServer={showServer}
            caption={title}
            onDelete={onDeleteRow}
            onAssign={canAssign ? setToAssign : undefined}
            onError={setActionError}
            prefs={prefs}
            onLeftOut={setLeftOut}
            liveness={liveness}
            selection={{
              isSelected: (x) => kept.selected.has(x.hash),
              onRow: (x, shift) => setSelection(clickRow(kept, order, x.hash, shift)),
              all: allState(kept.selected, order),
              onAll: () => setSelection(toggleAll(kept, order)),
              allLabel: t('torrents.select.all'),
              rowLabel: (x) => t('torrents.select.row', { name: x.name }),
            }}
          />
        ) : (
          <TorrentCards
            torrents={shown}
            showOwner={showOwner}
            showServer={showServer && !prefs.hidden.includes('server')}
            caption={title}
            onDelete={onDeleteRow}
            onAssign={canAssign ? setToAssign : undefined}
            onError={setActionError}
            liveness={liveness}
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
            <p className="mt-1 hidden text-sm text-stone-600 sm:block dark:text-stone-400">
              {scope === 'mine' ? t('torrents.mineIntro') : t('torrents.allIntro')}
            </p>
          </div>
          {canAdd && (
            <Button
              onClick={() => setAdding(true)}
              aria-keyshortcuts="a"
              aria-label={phone ? t('torrents.add.open') : undefined}
              icon={<Plus aria-hidden="true" className="size-4" />}
            >
              {phone ? t('torrents.add.submit') : t('torrents.add.open')}
            </Button>
          )}
        </div>
        <LiveBanner fallback={list.data} />
        {/* Said once: while the socket is down the banner already says the list is not live. */}
        {list.isError && list.data && (!live || live.connection === 'open') && (
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
      <ShortcutsHelp open={help} onOpenChange={setHelp} canAdd={canAdd} />
      <DeleteTorrentDialog
        torrents={toDelete}
        onClose={() => setToDelete(null)}
        onDeleted={(x) =>
          setSelection((s) => {
            if (!s.selected.has(x.hash)) return s;
            const next = new Set(s.selected);
            next.delete(x.hash);
            return { selected: next, anchor: s.anchor === x.hash ? null : s.anchor };
          })
        }
        onCloseAutoFocus={(e) => {
          // One row: its menu, or the next row once it is gone. Several: the header box.
          const was = lastDelete.current;
          if (!was) return;
          e.preventDefault();
          if (was.length === 1) focusRowAfter(was[0]!.hash, orderRef.current, searchRef.current);
          else
            setTimeout(
              () => (document.querySelector<HTMLElement>('[data-select-all]') ?? searchRef.current)?.focus(),
              0,
            );
        }}
      />
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

import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FolderInput } from 'lucide-react';
import { ApiError, errorMessage } from '../../../api/client';
import type { StorageItem, StorageMove, StorageState } from '../../../api/types';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { DialogButtons } from '../../../components/ItemDialog';
import { LoadError } from '../../../components/LoadError';
import { Loading } from '../../../components/Loading';
import { Modal } from '../../../components/Modal';
import { ProgressBar } from '../../../components/ProgressBar';
import { cx } from '../../../lib/cx';
import { formatDate } from '../../../lib/format';
import { useMoveToUserFolders, useStorage } from './queries';
import { countsSentence, handled, itemStatusLabel, moveSummary, unownedShared } from './storageView';

const statusTone: Record<string, string> = {
  waiting: 'bg-stone-200 text-stone-800 ring-stone-300 dark:bg-stone-800 dark:text-stone-200 dark:ring-stone-600',
  moving: 'bg-sky-100 text-sky-900 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800',
  done: 'bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800',
  failed: 'bg-red-100 text-red-900 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800',
};

const code = 'rounded bg-stone-100 px-1 font-mono text-xs [overflow-wrap:anywhere] dark:bg-stone-800';

/**
 * "Stockage" (Réglages, administrators): where the users' folders are, how many torrents are
 * in them, the torrents still in the shared folder of the versions before per-user folders, and
 * moving them (`POST /api/admin/storage/move`, then `GET` every second while it runs).
 */
export function StorageSection() {
  const { t } = useTranslation();
  const storage = useStorage();

  if (storage.isPending) return <Loading />;
  if (storage.isError && !storage.data) {
    return (
      <LoadError query={storage} message={t('adminStorage.loadFailed', { message: errorMessage(storage.error) })} />
    );
  }
  return <StorageBody state={storage.data} />;
}

function StorageBody({ state }: { state: StorageState }) {
  const { t } = useTranslation();
  const running = state.move?.running === true;
  // Without a root nothing can be moved anyway; with one, the shared torrents not listed have no owner.
  const unowned = state.root ? unownedShared(state) : 0;
  const allHome = state.counts.shared === 0 && state.shared.length === 0 && !running;

  return (
    <div className="flex flex-col gap-4" data-testid="storage">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr] sm:gap-y-2.5">
        <dt className="font-medium text-stone-600 dark:text-stone-400">{t('adminStorage.root')}</dt>
        <dd className="mb-2 min-w-0 sm:mb-0">
          {state.root ? (
            <code className={code}>{state.root}</code>
          ) : (
            <>
              <span className="italic">{t('adminStorage.rootUnknown')}</span>
              <span className="block text-stone-600 dark:text-stone-400">{t('adminStorage.rootUnknownHint')}</span>
            </>
          )}
        </dd>
        <dt className="font-medium text-stone-600 dark:text-stone-400">{t('adminStorage.rootFrom')}</dt>
        <dd className="mb-2 sm:mb-0">
          {state.root_from === 'download_root'
            ? t('adminStorage.rootFromValues.download_root')
            : t('adminStorage.rootFromValues.qbittorrent')}
        </dd>
        <dt className="font-medium text-stone-600 dark:text-stone-400">{t('adminStorage.layout')}</dt>
        <dd className="mb-2 min-w-0 sm:mb-0">
          <code className={code}>{state.layout}</code>
        </dd>
        <dt className="font-medium text-stone-600 dark:text-stone-400">{t('adminStorage.countsLabel')}</dt>
        <dd data-testid="storage-counts">{countsSentence(state.counts)}</dd>
      </dl>
      {state.counts.elsewhere > 0 && (
        <p className="text-sm text-stone-600 dark:text-stone-400">{t('adminStorage.elsewhereHint')}</p>
      )}

      {state.move && <MoveReport move={state.move} />}

      {allHome ? (
        <Alert tone="success">{t('adminStorage.empty')}</Alert>
      ) : (
        (state.shared.length > 0 || running) && <SharedTorrents items={state.shared} running={running} />
      )}
      {unowned > 0 && !running && <Alert tone="info">{t('adminStorage.unowned', { count: unowned })}</Alert>}
    </div>
  );
}

/** The torrents still in the shared folder, and "Tout déplacer…" (busy, list folded, while a move runs). */
function SharedTorrents({ items, running }: { items: StorageItem[]; running: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const move = useMoveToUserFolders();
  const [confirming, setConfirming] = useState(false);
  // Refusals that the refreshed state explains (already running, nothing left): beside the button.
  const [notice, setNotice] = useState<string | null>(null);

  function start() {
    setNotice(null);
    move.mutate(undefined, {
      onSuccess: () => setConfirming(false),
      onError: (e) => {
        if (e instanceof ApiError && (e.code === 'move_running' || e.code === 'nothing_to_move')) {
          setConfirming(false);
          setNotice(e.message);
        }
      },
    });
  }

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3">
      <div>
        <h3 id={`${id}-title`} className="text-base font-semibold">
          {t('adminStorage.sharedTitle')}
        </h3>
        {items.length > 0 && (
          <p className="text-sm text-stone-600 dark:text-stone-400">
            {t('adminStorage.sharedCount', { count: items.length })}
          </p>
        )}
      </div>
      {!running && items.length > 0 && (
        <ul
          role="list"
          aria-labelledby={`${id}-title`}
          data-testid="storage-shared"
          className="flex flex-col divide-y divide-stone-200 rounded-md border border-stone-200 px-3 dark:divide-stone-800 dark:border-stone-800"
        >
          {items.map((item) => (
            <li key={item.hash} className="py-2">
              <ItemLines item={item} />
            </li>
          ))}
        </ul>
      )}
      {notice && <Alert tone="info">{notice}</Alert>}
      <div>
        <Button
          busy={running}
          busyLabel={t('adminStorage.runningTitle')}
          icon={<FolderInput aria-hidden="true" className="size-4" />}
          onClick={() => {
            move.reset();
            setConfirming(true);
          }}
        >
          {t('adminStorage.moveAll')}
        </Button>
      </div>
      <Modal
        open={confirming}
        onOpenChange={(open) => {
          if (!open) setConfirming(false);
        }}
        title={t('adminStorage.confirm.title', { count: items.length })}
        description={t('adminStorage.confirm.text')}
      >
        <div className="flex flex-col gap-4">
          {move.isError && !notice && <Alert>{errorMessage(move.error)}</Alert>}
          <DialogButtons>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {t('adminStorage.confirm.cancel')}
            </Button>
            <Button
              busy={move.isPending}
              busyLabel={t('adminStorage.confirm.submitting')}
              icon={<FolderInput aria-hidden="true" className="size-4" />}
              onClick={start}
            >
              {t('adminStorage.confirm.submit')}
            </Button>
          </DialogButtons>
        </div>
      </Modal>
    </section>
  );
}

/** The name, the owner and "from → to" of one torrent to move. */
function ItemLines({ item }: { item: StorageItem }) {
  const { t } = useTranslation();
  const owner = item.owner?.display_name || item.owner?.username;
  return (
    <div className="flex min-w-0 flex-col gap-0.5 text-sm">
      <span className="font-medium [overflow-wrap:anywhere]">{item.name}</span>
      <span className="text-xs text-stone-600 dark:text-stone-400">
        {owner ? t('adminStorage.owner', { name: owner }) : <span className="italic">{t('adminStorage.noOwner')}</span>}
      </span>
      <span className="font-mono text-xs text-stone-700 [overflow-wrap:anywhere] dark:text-stone-300">
        <span className="sr-only">{t('adminStorage.from')} </span>
        {item.from}
        <span aria-hidden="true"> → </span>
        <span className="sr-only"> {t('adminStorage.to')} </span>
        {item.to}
      </span>
    </div>
  );
}

/** The running move (progress, each torrent's status) or the report of the last one. */
function MoveReport({ move }: { move: StorageMove }) {
  const { t } = useTranslation();
  const id = useId();
  const total = Math.max(move.total, move.items.length);
  const progress = total > 0 ? handled(move) / total : 1;
  const list = (
    <ul role="list" data-testid="storage-move-items" className="flex flex-col divide-y divide-stone-200 dark:divide-stone-800">
      {move.items.map((item) => (
        <li
          key={item.hash}
          data-status={item.status}
          className="flex flex-col gap-1 py-2 sm:flex-row sm:items-start sm:justify-between sm:gap-3"
        >
          <div className="min-w-0 flex-1">
            <ItemLines item={item} />
            {item.status === 'failed' && item.message && (
              <p className="mt-1 text-sm text-red-800 [overflow-wrap:anywhere] dark:text-red-300">{item.message}</p>
            )}
          </div>
          <span
            className={cx(
              'inline-flex w-fit shrink-0 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset whitespace-nowrap',
              statusTone[item.status] ?? statusTone.waiting,
            )}
          >
            {itemStatusLabel(item.status)}
          </span>
        </li>
      ))}
    </ul>
  );

  return (
    <section
      aria-labelledby={`${id}-title`}
      data-testid="storage-move"
      className="flex flex-col gap-2 rounded-md border border-stone-200 p-3 dark:border-stone-800"
    >
      <h3 id={`${id}-title`} className="text-base font-semibold">
        {move.running ? t('adminStorage.runningTitle') : t('adminStorage.lastTitle')}
      </h3>
      <p role="status" className="text-sm">
        {move.running
          ? t('adminStorage.progress', { done: handled(move), total })
          : t('adminStorage.finished', { date: formatDate(move.finished_at ?? move.started_at), summary: moveSummary(move) })}
      </p>
      {move.running && (
        <p className="text-xs text-stone-600 dark:text-stone-400">
          {t('adminStorage.startedAt', { date: formatDate(move.started_at) })}
        </p>
      )}
      <ProgressBar
        progress={progress}
        label={t('adminStorage.progressLabel')}
        tone={move.failed > 0 ? 'amber' : move.running ? 'blue' : 'green'}
      />
      {move.items.length > 0 &&
        (move.running ? (
          list
        ) : (
          <details open={move.failed > 0} className="group">
            <summary className="cursor-pointer rounded text-sm font-medium text-amber-800 underline underline-offset-2 dark:text-amber-300">
              {t('adminStorage.items')}
            </summary>
            {list}
          </details>
        ))}
    </section>
  );
}

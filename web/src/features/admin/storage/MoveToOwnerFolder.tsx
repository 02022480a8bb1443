import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { FolderInput } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import { queryKeys } from '../../../api/queries';
import type { Torrent } from '../../../api/types';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { useMoveToUserFolders, useStorage } from './queries';

/**
 * On the detail page of a torrent still in the shared folder (administrators): why, and
 * "Déplacer dans le dossier de son propriétaire". Once started, the move's state is followed
 * (every second while it runs) and this torrent's status shown; when it is done the torrent and
 * its files are fetched again (its placement, and what may be downloaded, changed) and the
 * outcome stays. Renders nothing for a torrent elsewhere that was not moved from here.
 */
export function MoveToOwnerFolder({ torrent }: { torrent: Pick<Torrent, 'hash' | 'owner' | 'placement'> }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const move = useMoveToUserFolders();
  const [started, setStarted] = useState(false);
  const storage = useStorage(started);
  const item = started ? storage.data?.move?.items.find((i) => i.hash === torrent.hash) : undefined;
  const status = item?.status;

  const doneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (status !== 'done') return;
    // The detail and its files (now downloadable); the lists follow the socket.
    void client.invalidateQueries({ queryKey: queryKeys.torrent(torrent.hash) });
    // The button went away with the focus on it: the outcome takes it.
    if (document.activeElement === document.body || document.activeElement === null) doneRef.current?.focus();
  }, [status, client, torrent.hash]);

  const shared = torrent.placement === 'shared';
  if (!shared && !started) return null;

  let outcome = null;
  if (status === 'waiting') outcome = <Alert tone="info">{t('torrents.move.waiting')}</Alert>;
  else if (status === 'moving') outcome = <Alert tone="info">{t('torrents.move.moving')}</Alert>;
  else if (status === 'done') {
    outcome = (
      <Alert tone="success" alertRef={doneRef}>
        {t('torrents.move.done')}
      </Alert>
    );
  }
  else if (status === 'failed') {
    outcome = (
      <Alert>
        {item?.message ? t('torrents.move.failed', { message: item.message }) : t('torrents.move.failedUnknown')}
      </Alert>
    );
  }

  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="move-to-owner">
      {shared && <p className="text-stone-700 dark:text-stone-300">{t('torrents.placement.sharedHint')}</p>}
      {torrent.owner ? (
        <>
          {shared && status !== 'done' && (
            <div className="flex flex-col items-start gap-1">
              <Button
                variant="secondary"
                busy={move.isPending || status === 'waiting' || status === 'moving'}
                busyLabel={move.isPending ? t('torrents.move.submitting') : t('adminStorage.runningTitle')}
                icon={<FolderInput aria-hidden="true" className="size-4" />}
                onClick={() =>
                  move.mutate([torrent.hash], {
                    onSuccess: () => setStarted(true),
                  })
                }
              >
                {t('torrents.move.submit')}
              </Button>
              <span className="text-xs text-stone-600 dark:text-stone-400">{t('torrents.move.hint')}</span>
            </div>
          )}
          {move.isError && <Alert>{errorMessage(move.error)}</Alert>}
          {outcome}
        </>
      ) : (
        <p className="text-stone-600 dark:text-stone-400">{t('torrents.move.noOwner')}</p>
      )}
    </div>
  );
}

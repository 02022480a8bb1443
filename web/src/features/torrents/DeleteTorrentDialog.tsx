import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Trash2 } from 'lucide-react';
import { ApiError } from '../../api/client';
import type { Torrent } from '../../api/types';
import { Alert } from '../../components/Alert';
import { DialogForm, ItemDialog } from '../../components/ItemDialog';
import { useMe } from '../../api/queries';
import { mayDeleteData } from './permissions';
import { useDeleteTorrent } from './queries';

/**
 * "Supprimer « name » ?" (or "Supprimer 3 torrents ?", the selection's bulk delete) with
 * "Supprimer aussi les fichiers sur le serveur" checked by default. Open while `torrent` (or
 * `torrents`) is set. The server's refusals to delete the files (`outside_user_folder`,
 * `content_shared`) show as they come; an administrator deleting the files of a torrent outside
 * its owner's folder first gets the server's warning naming what would be deleted
 * (`confirm_required`), then "Supprimer quand même" sends `confirm=true`. `onDeleted` gets each
 * deleted torrent.
 */
export function DeleteTorrentDialog({
  torrent,
  torrents,
  onClose,
  onDeleted,
  onCloseAutoFocus,
}: {
  torrent?: Torrent | null;
  /** Several at once (one request, `POST /api/torrents/delete`). */
  torrents?: readonly Torrent[] | null;
  onClose: () => void;
  onDeleted?: (t: Torrent) => void;
  /** Where focus goes once closed (Radix's `onCloseAutoFocus`; `preventDefault` to place it yourself). */
  onCloseAutoFocus?: (e: Event) => void;
}) {
  const { t } = useTranslation();
  const list = torrents && torrents.length > 0 ? torrents : torrent ? [torrent] : null;
  return (
    <ItemDialog
      item={list}
      itemKey={(xs) => xs.map((x) => x.hash).join(',')}
      onClose={onClose}
      onCloseAutoFocus={onCloseAutoFocus}
      title={(xs) =>
        xs.length === 1 ? t('torrents.delete.title', { name: xs[0]!.name }) : t('torrents.delete.titleMany', { count: xs.length })
      }
      description={(xs) =>
        xs.length > 1
          ? t('torrents.delete.introMany')
          : xs[0]!.removed
            ? t('torrents.delete.introRemoved')
            : t('torrents.delete.intro')
      }
    >
      {(xs) => <DeleteForm torrents={xs} onClose={onClose} onDeleted={onDeleted} />}
    </ItemDialog>
  );
}

function DeleteForm({
  torrents,
  onClose,
  onDeleted,
}: {
  torrents: readonly Torrent[];
  onClose: () => void;
  onDeleted?: (t: Torrent) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { data: me } = useMe();
  // Without delete_own_data (or act_all) the server refuses delete_files=true: unchecked, locked.
  const mayData = mayDeleteData(me);
  // qBittorrent no longer has a removed torrent: there are no files to delete through it.
  const allRemoved = torrents.every((x) => x.removed);
  const [withFiles, setWithFiles] = useState(!allRemoved && mayData);
  // The server's warning (`confirm_required`): the next submit confirms.
  const [warning, setWarning] = useState<string | null>(null);
  const del = useDeleteTorrent();
  const confirming = warning !== null && withFiles;

  function submit() {
    del.mutate(
      { hashes: torrents.map((x) => x.hash), deleteFiles: withFiles, confirm: confirming },
      {
        onSuccess: () => {
          for (const x of torrents) onDeleted?.(x);
          onClose();
        },
        onError: (e) => {
          if (withFiles && e instanceof ApiError && e.code === 'confirm_required') setWarning(e.message);
        },
      },
    );
  }

  const refused = del.isError && !(del.error instanceof ApiError && del.error.code === 'confirm_required');

  return (
    <DialogForm
      onSubmit={submit}
      busy={del.isPending}
      error={refused && del.error}
      cancelLabel={t('torrents.delete.cancel')}
      onCancel={onClose}
      submit={{
        variant: 'danger',
        children: confirming ? t('torrents.delete.confirmAnyway') : t('torrents.delete.submit'),
        busyLabel: t('torrents.delete.submitting'),
        icon: <Trash2 aria-hidden="true" className="size-4" />,
      }}
    >
      {confirming && !refused && <Alert tone="warning">{warning}</Alert>}
      {!allRemoved && (
        <div className="flex items-start gap-3">
          <input
            id={`${id}-files`}
            type="checkbox"
            checked={withFiles}
            disabled={!mayData}
            onChange={(e) => {
              setWithFiles(e.target.checked);
              // The warning was about the files: asked again if they are chosen again.
              setWarning(null);
              del.reset();
            }}
            aria-describedby={`${id}-files-hint`}
            className="mt-0.5 size-5 shrink-0 accent-red-700 disabled:opacity-50 dark:accent-red-500"
          />
          <div>
            <label htmlFor={`${id}-files`} className="text-sm font-medium">
              {t('torrents.delete.withFiles')}
            </label>
            <p id={`${id}-files-hint`} className="text-sm text-stone-600 dark:text-stone-400">
              {!mayData
                ? t('torrents.delete.noDataPermission')
                : withFiles
                  ? t('torrents.delete.withFilesHint')
                  : t('torrents.delete.keepFilesHint')}
            </p>
          </div>
        </div>
      )}
    </DialogForm>
  );
}

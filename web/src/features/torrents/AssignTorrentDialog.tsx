import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoaderCircle, UserPlus } from 'lucide-react';
import { errorMessage } from '../../api/client';
import type { AdminUser, Torrent } from '../../api/types';
import { DialogForm, ItemDialog } from '../../components/ItemDialog';
import { LoadError } from '../../components/LoadError';
import { SelectField } from '../../components/SelectField';
import { ownerName } from './cells';
import { useAdminUsers, useAssignTorrent } from './queries';

/**
 * "Attribuer « name » à un utilisateur" (administrators): a list of the accounts
 * (`GET /api/admin/users`), then `POST /api/torrents/{hash}/owner`. Open while `torrent` is set.
 */
export function AssignTorrentDialog({
  torrent,
  onClose,
  onAssigned,
}: {
  torrent: Torrent | null;
  onClose: () => void;
  /** Receives the server's updated torrent (`owner` filled). */
  onAssigned?: (t: Torrent) => void;
}) {
  const { t } = useTranslation();
  return (
    <ItemDialog
      item={torrent}
      itemKey={(x) => x.hash}
      onClose={onClose}
      title={(x) => t('torrents.assign.title', { name: x.name })}
      description={(x) =>
        x.owner ? t('torrents.assign.introOwned', { owner: ownerName(x) }) : t('torrents.assign.introUnowned')
      }
    >
      {(x) => <AssignForm torrent={x} onClose={onClose} onAssigned={onAssigned} />}
    </ItemDialog>
  );
}

function userLabel(u: AdminUser): string {
  return u.display_name && u.display_name !== u.username ? `${u.display_name} (${u.username})` : u.username;
}

function AssignForm({
  torrent,
  onClose,
  onAssigned,
}: {
  torrent: Torrent;
  onClose: () => void;
  onAssigned?: (t: Torrent) => void;
}) {
  const { t } = useTranslation();
  const users = useAdminUsers();
  const assign = useAssignTorrent();
  // The current owner comes first selected.
  const [picked, setPicked] = useState(torrent.owner ? String(torrent.owner.id) : '');
  const [missing, setMissing] = useState(false);
  const selectRef = useRef<HTMLSelectElement>(null);
  const loaded = users.isSuccess;
  const list = users.data ?? [];
  // A choice missing from the list (e.g. the owner's account is gone) falls back to "Choisissez…".
  const choice = list.some((u) => String(u.id) === picked) ? picked : '';

  function submit() {
    if (!loaded) return;
    if (choice === '') {
      setMissing(true);
      selectRef.current?.focus();
      return;
    }
    assign.mutate(
      { hash: torrent.hash, userId: Number(choice) },
      {
        onSuccess: (updated) => {
          onAssigned?.(updated);
          onClose();
        },
      },
    );
  }

  let field;
  if (users.isPending) {
    field = (
      <div role="status" className="flex items-center gap-2 py-2 text-sm text-stone-600 dark:text-stone-300">
        <LoaderCircle aria-hidden="true" className="size-4 animate-spin" />
        <span>{t('torrents.assign.loadingUsers')}</span>
      </div>
    );
  } else if (users.isError) {
    field = (
      <LoadError query={users} message={t('torrents.assign.usersFailed', { message: errorMessage(users.error) })} />
    );
  } else if (list.length === 0) {
    field = <p className="text-sm text-stone-600 dark:text-stone-400">{t('torrents.assign.noUsers')}</p>;
  } else {
    field = (
      <SelectField
        label={t('torrents.assign.user')}
        selectRef={selectRef}
        value={choice}
        onChange={(e) => {
          setPicked(e.target.value);
          setMissing(false);
        }}
        error={missing ? t('torrents.assign.userRequired') : undefined}
      >
        <option value="" disabled>
          {t('torrents.assign.choose')}
        </option>
        {list.map((u) => (
          <option key={u.id} value={String(u.id)}>
            {u.id === torrent.owner?.id ? t('torrents.assign.currentOwner', { label: userLabel(u) }) : userLabel(u)}
          </option>
        ))}
      </SelectField>
    );
  }

  return (
    <DialogForm
      onSubmit={submit}
      busy={assign.isPending}
      error={assign.error}
      cancelLabel={t('torrents.assign.cancel')}
      onCancel={onClose}
      submit={{
        children: t('torrents.assign.submit'),
        busyLabel: t('torrents.assign.submitting'),
        disabled: !loaded || list.length === 0,
        icon: <UserPlus aria-hidden="true" className="size-4" />,
      }}
    >
      {field}
    </DialogForm>
  );
}

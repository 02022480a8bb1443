import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pencil, PlugZap, Plus, Trash2 } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import type { AdminServer, ServerState } from '../../../api/types';
import { DismissibleAlert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { DataTable, type Column } from '../../../components/DataTable';
import { IconButton } from '../../../components/IconAction';
import { DialogForm, ItemDialog } from '../../../components/ItemDialog';
import { LoadError } from '../../../components/LoadError';
import { Loading } from '../../../components/Loading';
import { StatusDot } from '../../../components/StatusDot';
import { cx } from '../../../lib/cx';
import { formatSize } from '../../../lib/format';
import { WIDE_SCREEN, useMediaQuery } from '../../../lib/useMediaQuery';
import { SERVERS_POLL_MS, useAdminServers, useDeleteServer } from './queries';
import { ServerFormDialog, type ServerFormTarget } from './ServerFormDialog';
import { ServerTestDialog } from './ServerTestDialog';
import { SpeedPair } from './SpeedPair';
import { deleteBlockedReason, linkTone, serverLinkLabel, serverStateLabel } from './serversView';

const stateTone: Record<ServerState, string> = {
  active: 'bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800',
  draining: 'bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800',
  disabled: 'bg-stone-200 text-stone-800 ring-stone-300 dark:bg-stone-800 dark:text-stone-200 dark:ring-stone-600',
};

const MUTED = 'text-stone-600 dark:text-stone-400';

/**
 * "Serveurs qBittorrent" (Réglages, administrators): every qBittorrent server with its state, its
 * link, its torrents, free space and speeds (fetched again every 5 s while shown); add, edit, test
 * and delete one. Server 1 is the one of the "qBittorrent" and "Téléchargements" sections.
 */
export function ServersSection() {
  const { t } = useTranslation();
  const servers = useAdminServers(true, SERVERS_POLL_MS);
  const [editing, setEditing] = useState<ServerFormTarget | null>(null);
  const [testing, setTesting] = useState<AdminServer | null>(null);
  const [deleting, setDeleting] = useState<AdminServer | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  let content;
  if (servers.isPending) {
    content = <Loading />;
  } else if (servers.isError && !servers.data) {
    content = <LoadError query={servers} message={t('adminServers.loadFailed', { message: errorMessage(servers.error) })} />;
  } else {
    content = (
      <ServerTable
        servers={servers.data}
        onEdit={(s) => {
          setNotice(null);
          setEditing({ server: s });
        }}
        onTest={setTesting}
        onDelete={(s) => {
          setNotice(null);
          setDeleting(s);
        }}
      />
    );
  }

  return (
    <div className="flex flex-col gap-4" data-testid="servers">
      <p className={cx('text-sm', MUTED)}>{t('adminServers.help')}</p>
      <div>
        <Button
          variant="secondary"
          icon={<Plus aria-hidden="true" className="size-4" />}
          onClick={() => {
            setNotice(null);
            setEditing({ server: null });
          }}
        >
          {t('adminServers.add')}
        </Button>
      </div>
      {notice && (
        <DismissibleAlert tone="success" dismissLabel={t('adminServers.dismiss')} onDismiss={() => setNotice(null)}>
          {notice}
        </DismissibleAlert>
      )}
      {content}
      <ServerFormDialog
        target={editing}
        onClose={() => setEditing(null)}
        onSaved={(s, created) => {
          setEditing(null);
          setNotice(t(created ? 'adminServers.created' : 'adminServers.saved', { name: s.name }));
        }}
      />
      <ServerTestDialog server={testing} onClose={() => setTesting(null)} />
      <DeleteServerDialog
        server={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(s) => {
          setDeleting(null);
          setNotice(t('adminServers.deleted', { name: s.name }));
        }}
      />
    </div>
  );
}

/** "Connecté", or "Injoignable" with the French reason and, folded, the exact failure. */
function LinkCell({ server }: { server: AdminServer }) {
  const { t } = useTranslation();
  const detail = server.link === 'down' ? server.detail?.trim() : '';
  return (
    <div className="flex min-w-0 flex-col gap-0.5" data-link={server.link}>
      <span className="flex items-center gap-2 whitespace-nowrap">
        <StatusDot tone={linkTone(server.link)} />
        {serverLinkLabel(server.link)}
      </span>
      {server.link === 'down' && server.error && (
        <span className="text-xs text-red-800 [overflow-wrap:anywhere] dark:text-red-300" title={detail || undefined}>
          {server.error}
        </span>
      )}
      {detail && (
        <details className="text-xs">
          <summary className="cursor-pointer rounded font-medium text-amber-800 underline underline-offset-2 dark:text-amber-300">
            {t('adminServers.detail')}
          </summary>
          <span data-testid="server-detail" className={cx('mt-1 block font-mono [overflow-wrap:anywhere]', MUTED)}>
            {detail}
          </span>
        </details>
      )}
    </div>
  );
}

function ServerTable({
  servers,
  onEdit,
  onTest,
  onDelete,
}: {
  servers: readonly AdminServer[];
  onEdit: (s: AdminServer) => void;
  onTest: (s: AdminServer) => void;
  onDelete: (s: AdminServer) => void;
}) {
  const { t } = useTranslation();
  // Phones and tablets: one card per server, no sideways scrolling.
  const wide = useMediaQuery(WIDE_SCREEN);
  const columns: Column<AdminServer>[] = [
    {
      key: 'name',
      header: t('adminServers.columns.name'),
      rowHeader: true,
      emphasis: true,
      cellClassName: 'break-words',
      cell: (s) => (
        <span className="flex flex-col gap-0.5">
          <span>{s.name}</span>
          {s.version && (
            <span className={cx('text-xs font-normal whitespace-nowrap', MUTED)}>
              {t('adminServers.version', { version: s.version })}
            </span>
          )}
        </span>
      ),
    },
    {
      key: 'url',
      header: t('adminServers.columns.url'),
      cellClassName: 'min-w-44 max-w-64',
      wideInCard: true,
      cell: (s) => <span className="font-mono text-xs [overflow-wrap:anywhere]">{s.url}</span>,
    },
    {
      key: 'state',
      header: t('adminServers.columns.state'),
      cell: (s) => (
        <span
          data-state={s.state}
          className={cx(
            'inline-flex w-fit rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset whitespace-nowrap',
            stateTone[s.state] ?? stateTone.disabled,
          )}
        >
          {serverStateLabel(s.state)}
        </span>
      ),
    },
    {
      key: 'link',
      header: t('adminServers.columns.link'),
      cellClassName: 'min-w-36',
      cell: (s) => <LinkCell server={s} />,
    },
    { key: 'torrents', header: t('adminServers.columns.torrents'), numeric: true, cell: (s) => s.torrents },
    {
      key: 'free',
      header: t('adminServers.columns.freeSpace'),
      numeric: true,
      cell: (s) =>
        s.free_space >= 0 ? formatSize(s.free_space) : <span className={MUTED}>{t('adminServers.freeSpaceUnknown')}</span>,
    },
    {
      key: 'speeds',
      header: t('adminServers.columns.speeds'),
      numeric: true,
      cell: (s) => <SpeedPair down={s.dlspeed} up={s.upspeed} />,
    },
    {
      key: 'actions',
      name: t('adminServers.columns.actions'),
      tight: true,
      cell: (s) => {
        const blocked = deleteBlockedReason(s);
        return (
          <div className="flex flex-col gap-1">
            <div className="flex justify-end gap-1">
              <IconButton
                small
                label={t('adminServers.actions.editLabel', { name: s.name })}
                tip={t('adminServers.actions.edit')}
                icon={<Pencil aria-hidden="true" className="size-4" />}
                onClick={() => onEdit(s)}
              />
              <IconButton
                small
                label={t('adminServers.actions.testLabel', { name: s.name })}
                tip={t('adminServers.actions.test')}
                icon={<PlugZap aria-hidden="true" className="size-4" />}
                onClick={() => onTest(s)}
              />
              <IconButton
                small
                tone="danger"
                label={t('adminServers.actions.deleteLabel', { name: s.name })}
                tip={t('adminServers.actions.delete')}
                unavailable={blocked}
                icon={<Trash2 aria-hidden="true" className="size-4" />}
                onClick={() => onDelete(s)}
              />
            </div>
            {/* No tooltip on a touch screen: the reason is written under the buttons. */}
            {!wide && blocked && (
              <p aria-hidden="true" className={cx('text-right text-xs', MUTED)}>
                {blocked}
              </p>
            )}
          </div>
        );
      },
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={servers}
      rowKey={(s) => s.id}
      caption={t('adminServers.caption')}
      empty={t('adminServers.empty')}
      rowProps={(s) => ({ 'data-server-id': s.id })}
      variant="plain"
      testId="server-table"
      layout={wide ? 'table' : 'cards'}
    />
  );
}

/** "Supprimer le serveur « X » ?": the server refuses server 1 and one holding torrents (its message shows). */
function DeleteServerDialog({
  server,
  onClose,
  onDeleted,
}: {
  server: AdminServer | null;
  onClose: () => void;
  onDeleted: (s: AdminServer) => void;
}) {
  const { t } = useTranslation();
  return (
    <ItemDialog
      item={server}
      itemKey={(s) => s.id}
      onClose={onClose}
      title={(s) => t('adminServers.delete.title', { name: s.name })}
      description={() => t('adminServers.delete.text')}
    >
      {(s) => <DeleteServerForm server={s} onClose={onClose} onDeleted={onDeleted} />}
    </ItemDialog>
  );
}

function DeleteServerForm({
  server,
  onClose,
  onDeleted,
}: {
  server: AdminServer;
  onClose: () => void;
  onDeleted: (s: AdminServer) => void;
}) {
  const { t } = useTranslation();
  const del = useDeleteServer();
  return (
    <DialogForm
      onSubmit={() => del.mutate(server.id, { onSuccess: () => onDeleted(server) })}
      busy={del.isPending}
      error={del.error}
      cancelLabel={t('adminServers.delete.cancel')}
      onCancel={onClose}
      submit={{
        variant: 'danger',
        children: t('adminServers.delete.submit'),
        busyLabel: t('adminServers.delete.submitting'),
        icon: <Trash2 aria-hidden="true" className="size-4" />,
      }}
    />
  );
}

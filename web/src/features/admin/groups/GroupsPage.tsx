import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WIDE_SCREEN, useMediaQuery } from '../../../lib/useMediaQuery';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import { DismissibleAlert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { DataTable, type Column } from '../../../components/DataTable';
import { IconButton } from '../../../components/IconAction';
import { LoadError } from '../../../components/LoadError';
import { Loading } from '../../../components/Loading';
import { DialogForm, ItemDialog } from '../../../components/ItemDialog';
import { AdminGate } from '../users/ui';
import { PERMISSIONS, type Group } from './api';
import { GroupFormDialog } from './GroupFormDialog';
import { limitsSummary } from './limits';
import { useDeleteGroup, useGroups } from './queries';

/** "Groupes" (/admin/groupes): the groups, their members, permissions and limits. */
export function GroupsPage() {
  const { t } = useTranslation();
  return (
    <AdminGate title={t('adminGroups.title')}>
      <GroupsContent />
    </AdminGate>
  );
}

function GroupsContent() {
  const { t } = useTranslation();
  const groups = useGroups();
  const [editing, setEditing] = useState<Group | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Group | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const permissions = groups.data?.permissions?.length ? groups.data.permissions : [...PERMISSIONS];

  let content;
  if (groups.isPending) {
    content = <Loading />;
  } else if (groups.isError) {
    content = (
      <LoadError query={groups} message={t('adminGroups.loadFailed', { message: errorMessage(groups.error) })} />
    );
  } else {
    content = (
      <GroupTable
        groups={groups.data.groups}
        total={permissions.length}
        onEdit={(g) => {
          setNotice(null);
          setEditing(g);
        }}
        onDelete={(g) => {
          setNotice(null);
          setDeleting(g);
        }}
      />
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold">{t('adminGroups.title')}</h1>
          <p className="mt-1 text-stone-600 dark:text-stone-400">{t('adminGroups.intro')}</p>
        </div>
        <Button
          onClick={() => {
            setNotice(null);
            setEditing('new');
          }}
          icon={<Plus aria-hidden="true" className="size-4" />}
        >
          {t('adminGroups.create')}
        </Button>
      </div>
      {notice && (
        <DismissibleAlert tone="success" dismissLabel={t('adminUsers.dismiss')} onDismiss={() => setNotice(null)}>
          {notice}
        </DismissibleAlert>
      )}
      {content}
      <GroupFormDialog
        group={editing === 'new' ? null : editing}
        open={editing !== null}
        permissions={permissions}
        onClose={() => setEditing(null)}
        onSaved={(g, created) => {
          setEditing(null);
          setNotice(t(created ? 'adminGroups.created' : 'adminGroups.saved', { name: g.name }));
        }}
      />
      <DeleteGroupDialog
        group={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(g) => {
          setDeleting(null);
          setNotice(t('adminGroups.delete.deleted', { name: g.name }));
        }}
      />
    </div>
  );
}

function GroupTable({
  groups,
  total,
  onEdit,
  onDelete,
}: {
  groups: Group[];
  total: number;
  onEdit: (g: Group) => void;
  onDelete: (g: Group) => void;
}) {
  const { t } = useTranslation();
  // Phones and tablets: one card per group, no sideways scrolling.
  const wide = useMediaQuery(WIDE_SCREEN);
  const columns: Column<Group>[] = [
    {
      key: 'name',
      header: t('adminGroups.columns.name'),
      rowHeader: true,
      emphasis: true,
      cellClassName: 'break-words',
      cell: (g) => g.name,
    },
    { key: 'members', header: t('adminGroups.columns.members'), numeric: true, cell: (g) => g.members },
    {
      key: 'permissions',
      header: t('adminGroups.columns.permissions'),
      numeric: true,
      cell: (g) => t('adminGroups.permissionsCount', { count: g.permissions.length, total }),
    },
    {
      key: 'limits',
      header: t('adminGroups.columns.limits'),
      cellClassName: 'min-w-48',
      wideInCard: true,
      cell: (g) => {
        const summary = limitsSummary(g.limits);
        return summary.length === 0 ? (
          <span className="text-stone-500 dark:text-stone-400">{t('adminGroups.summary.none')}</span>
        ) : (
          summary.join(' · ')
        );
      },
    },
    {
      key: 'actions',
      name: t('adminGroups.columns.actions'),
      sticky: 'end',
      cell: (g) => (
        <div className="flex justify-end gap-1">
          <IconButton
            label={t('adminGroups.actions.editLabel', { name: g.name })}
            tip={t('adminGroups.actions.edit')}
            icon={<Pencil aria-hidden="true" className="size-4" />}
            onClick={() => onEdit(g)}
          />
          <IconButton
            label={t('adminGroups.actions.deleteLabel', { name: g.name })}
            tip={t('adminGroups.actions.delete')}
            tone="danger"
            icon={<Trash2 aria-hidden="true" className="size-4" />}
            onClick={() => onDelete(g)}
          />
        </div>
      ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={groups}
      rowKey={(g) => g.id}
      caption={t('adminGroups.caption')}
      empty={t('adminGroups.empty')}
      rowProps={(g) => ({ 'data-group-id': g.id })}
      testId="group-table"
      layout={wide ? 'table' : 'cards'}
    />
  );
}

/** "Supprimer le groupe « X » ?": the server refuses a group with members or the default one (its message shows). */
function DeleteGroupDialog({
  group,
  onClose,
  onDeleted,
}: {
  group: Group | null;
  onClose: () => void;
  onDeleted: (g: Group) => void;
}) {
  const { t } = useTranslation();
  return (
    <ItemDialog
      item={group}
      itemKey={(g) => g.id}
      onClose={onClose}
      title={(g) => t('adminGroups.delete.title', { name: g.name })}
      description={() => t('adminGroups.delete.text')}
    >
      {(g) => <DeleteGroupForm group={g} onClose={onClose} onDeleted={onDeleted} />}
    </ItemDialog>
  );
}

function DeleteGroupForm({
  group,
  onClose,
  onDeleted,
}: {
  group: Group;
  onClose: () => void;
  onDeleted: (g: Group) => void;
}) {
  const { t } = useTranslation();
  const del = useDeleteGroup();
  return (
    <DialogForm
      onSubmit={() => del.mutate(group.id, { onSuccess: () => onDeleted(group) })}
      busy={del.isPending}
      error={del.error}
      cancelLabel={t('adminGroups.delete.cancel')}
      onCancel={onClose}
      submit={{
        variant: 'danger',
        children: t('adminGroups.delete.submit'),
        busyLabel: t('adminGroups.delete.submitting'),
        icon: <Trash2 aria-hidden="true" className="size-4" />,
      }}
    >
      {group.members > 0 && (
        <p className="text-sm text-stone-700 dark:text-stone-300">
          {t('adminGroups.delete.members', { count: group.members })}
        </p>
      )}
    </DialogForm>
  );
}

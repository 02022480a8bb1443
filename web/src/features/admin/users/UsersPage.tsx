import { useEffect, useId, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { FilterX, IdCard, KeyRound, Pencil, Search, Trash2, UserCheck, UserPlus, UserX } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import { useInstance, useMe } from '../../../api/queries';
import { Alert, DismissibleAlert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { DataTable, type Column } from '../../../components/DataTable';
import { controlBorder, controlClass } from '../../../components/Field';
import { IconButton } from '../../../components/IconAction';
import { LoadError } from '../../../components/LoadError';
import { Loading } from '../../../components/Loading';
import { SelectField } from '../../../components/SelectField';
import { cx } from '../../../lib/cx';
import { formatDate, formatSize } from '../../../lib/format';
import { WIDE_SCREEN, useMediaQuery } from '../../../lib/useMediaQuery';
import { AdminTokensSection } from '../../tokens/AdminTokensSection';
import { useGroups } from '../groups/queries';
import { NO_FILTERS, type ManagedUser, type UserFilters } from './api';
import { ResetPasswordDialog, ToggleUserDialog } from './ConfirmDialogs';
import { DeleteUserDialog } from './DeleteUserDialog';
import { IdentityDialog } from './IdentityDialog';
import { useManagedUsers } from './queries';
import { AdminGate } from './ui';
import { UserFormDialog, type UserFormTarget } from './UserFormDialog';

const dayFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric' });
/** "26 nov. 2026" (the time is in the tooltip). */
const formatDay = (unixSeconds: number) => dayFormat.format(new Date(unixSeconds * 1000));

/** Typing in the search box asks the server this long after the last key. */
export const SEARCH_DELAY_MS = 300;

/** "Utilisateurs" (/admin/utilisateurs): every account, filters, and what an administrator does to them. */
export function UsersPage() {
  const { t } = useTranslation();
  return (
    <AdminGate title={t('adminUsers.title')}>
      <UsersContent />
    </AdminGate>
  );
}

type Action = 'toggle' | 'reset' | 'delete' | 'identity';

function UsersContent() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  // Accounts are linked to the provider's identities while single sign-on is configured.
  const sso = useInstance().data?.sso !== undefined;
  const [filters, setFilters] = useState<UserFilters>(NO_FILTERS);
  const [search, setSearch] = useState('');
  const users = useManagedUsers(filters);
  const [form, setForm] = useState<UserFormTarget | null>(null);
  const [action, setAction] = useState<{ kind: Action; user: ManagedUser } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);

  // `?utilisateur=<id>` (the journal's links to an account): its dialog opens once the list is
  // here, and the address loses the parameter (closing the dialog leaves the list).
  const [params, setParams] = useSearchParams();
  const wanted = params.get('utilisateur');
  useEffect(() => {
    if (wanted === null || !users.data) return;
    const user = users.data.find((u) => String(u.id) === wanted);
    if (user) setForm({ kind: 'edit', user });
    setMissing(!user);
    setParams(
      (p) => {
        p.delete('utilisateur');
        return p;
      },
      { replace: true },
    );
  }, [wanted, users.data, setParams]);

  // The search box reaches the query string once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === search ? f : { ...f, q: search })), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const filtered = filters.q.trim() !== '' || filters.group_id !== '' || filters.role !== '' || filters.state !== '';
  const open = (kind: Action, user: ManagedUser) => {
    setNotice(null);
    setAction({ kind, user });
  };
  const closeAction = () => setAction(null);
  const done = (message: string) => {
    setAction(null);
    setForm(null);
    setNotice(message);
  };

  let content;
  if (users.isPending) {
    content = <Loading />;
  } else if (users.isError && !users.data) {
    content = (
      <LoadError query={users} message={t('adminUsers.loadFailed', { message: errorMessage(users.error) })} />
    );
  } else {
    content = (
      <UserTable
        users={users.data}
        meId={me?.id}
        sso={sso}
        onEdit={(u) => {
          setNotice(null);
          setForm({ kind: 'edit', user: u });
        }}
        onAction={open}
      />
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold">{t('adminUsers.title')}</h1>
          <p className="mt-1 text-stone-600 dark:text-stone-400">{t('adminUsers.intro')}</p>
        </div>
        <Button
          onClick={() => {
            setNotice(null);
            setForm({ kind: 'create', groupId: filters.group_id });
          }}
          icon={<UserPlus aria-hidden="true" className="size-4" />}
        >
          {t('adminUsers.create')}
        </Button>
      </div>

      <Filters
        filters={filters}
        search={search}
        onSearch={setSearch}
        onChange={(patch) => setFilters((f) => ({ ...f, ...patch }))}
        onReset={
          filtered || search !== ''
            ? () => {
                setSearch('');
                setFilters(NO_FILTERS);
              }
            : undefined
        }
      />

      {missing && (
        <DismissibleAlert tone="info" dismissLabel={t('adminUsers.dismiss')} onDismiss={() => setMissing(false)}>
          {t('adminUsers.gone')}
        </DismissibleAlert>
      )}
      {notice && (
        <DismissibleAlert tone="success" dismissLabel={t('adminUsers.dismiss')} onDismiss={() => setNotice(null)}>
          {notice}
        </DismissibleAlert>
      )}

      <div className="flex flex-col gap-2">
        {users.data && (
          <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
            {t('adminUsers.count', { count: users.data.length })}
          </p>
        )}
        {users.isError && users.data && <Alert>{t('adminUsers.loadFailed', { message: errorMessage(users.error) })}</Alert>}
        {content}
      </div>

      <AdminTokensSection />

      <UserFormDialog
        target={form}
        onClose={() => setForm(null)}
        onCreated={(u) => done(t('adminUsers.createDialog.created', { name: u.username }))}
        onSaved={(u) => done(t('adminUsers.editDialog.saved', { name: u.username }))}
      />
      <ToggleUserDialog
        user={action?.kind === 'toggle' ? action.user : null}
        onClose={closeAction}
        onDone={(u, disabled) =>
          done(t(disabled ? 'adminUsers.toggle.disabled' : 'adminUsers.toggle.enabled', { name: u.username }))
        }
      />
      <ResetPasswordDialog
        user={action?.kind === 'reset' ? action.user : null}
        onClose={closeAction}
        onDone={(u) => done(t('adminUsers.reset.done', { name: u.username }))}
      />
      <IdentityDialog
        user={action?.kind === 'identity' ? action.user : null}
        onClose={closeAction}
        onLinked={(u, subject) => done(t('adminUsers.identity.linked', { name: u.username, subject }))}
        onUnlinked={(u) => done(t('adminUsers.identity.unlinked', { name: u.username }))}
      />
      <DeleteUserDialog
        user={action?.kind === 'delete' ? action.user : null}
        onClose={closeAction}
        onDeleted={(u) => done(t('adminUsers.delete.deleted', { name: u.username }))}
      />
    </div>
  );
}

function Filters({
  filters,
  search,
  onSearch,
  onChange,
  onReset,
}: {
  filters: UserFilters;
  search: string;
  onSearch: (q: string) => void;
  onChange: (patch: Partial<UserFilters>) => void;
  /** Absent while no filter is set. */
  onReset?: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const groups = useGroups();
  return (
    <div
      role="search"
      aria-label={t('adminUsers.filters.label')}
      className="grid grid-cols-2 gap-3 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))_auto] lg:items-end"
    >
      <div className="col-span-2 flex flex-col gap-1 lg:col-span-1">
        <label htmlFor={`${id}-q`} className="text-sm font-medium">
          {t('adminUsers.filters.search')}
        </label>
        <div className="relative">
          <Search aria-hidden="true" className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-stone-500 dark:text-stone-400" />
          <input
            id={`${id}-q`}
            type="search"
            value={search}
            onChange={(e) => onSearch(e.target.value)}
            placeholder={t('adminUsers.filters.searchPlaceholder')}
            autoComplete="off"
            className={cx(controlClass, controlBorder(), 'pl-9')}
          />
        </div>
      </div>
      <SelectField
        className="col-span-2 sm:col-span-1"
        label={t('adminUsers.filters.group')}
        value={filters.group_id}
        onChange={(e) => onChange({ group_id: e.target.value })}
      >
        <option value="">{t('adminUsers.filters.allGroups')}</option>
        {(groups.data?.groups ?? []).map((g) => (
          <option key={g.id} value={String(g.id)}>
            {g.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('adminUsers.filters.role')}
        value={filters.role}
        onChange={(e) => onChange({ role: e.target.value as UserFilters['role'] })}
      >
        <option value="">{t('adminUsers.filters.allRoles')}</option>
        <option value="admin">{t('adminUsers.roles.admin')}</option>
        <option value="user">{t('adminUsers.roles.user')}</option>
      </SelectField>
      <SelectField
        label={t('adminUsers.filters.state')}
        value={filters.state}
        onChange={(e) => onChange({ state: e.target.value as UserFilters['state'] })}
      >
        <option value="">{t('adminUsers.filters.allStates')}</option>
        <option value="active">{t('adminUsers.states.active')}</option>
        <option value="disabled">{t('adminUsers.states.disabled')}</option>
      </SelectField>
      <div className="col-span-2 flex items-end empty:hidden sm:col-span-1">
        {onReset && (
          <Button variant="ghost" onClick={onReset} icon={<FilterX aria-hidden="true" className="size-4" />}>
            {t('adminUsers.filters.reset')}
          </Button>
        )}
      </div>
    </div>
  );
}

function UserTable({
  users,
  meId,
  sso,
  onEdit,
  onAction,
}: {
  users: ManagedUser[];
  meId: number | undefined;
  /** Single sign-on is configured: offer to link accounts to the provider's identities. */
  sso: boolean;
  onEdit: (u: ManagedUser) => void;
  onAction: (kind: Action, u: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  // Phones and tablets: one card per account, no sideways scrolling.
  const wide = useMediaQuery(WIDE_SCREEN);
  const muted = 'text-stone-500 dark:text-stone-400';
  const none = <span className={muted}>{t('adminUsers.none')}</span>;
  const columns: Column<ManagedUser>[] = [
    {
      key: 'user',
      header: t('adminUsers.columns.user'),
      rowHeader: true,
      className: 'max-w-64 min-w-40',
      // Who: the username (the row's name), then the display name and the e-mail address.
      cell: (u) => (
        <>
          <span className="font-semibold">{u.username}</span>
          {u.id === meId && <span className={cx('ml-1', muted)}>({t('adminUsers.you')})</span>}
          <span className="block break-words">{u.display_name}</span>
          {u.email ? (
            <span className={cx('block truncate text-xs', muted)} title={u.email}>
              {u.email}
            </span>
          ) : (
            <span className={cx('block text-xs', muted)}>{t('adminUsers.noEmail')}</span>
          )}
          {(u.identities ?? []).map((i) => (
            <span
              key={`${i.kind}:${i.subject}`}
              className={cx('mt-0.5 flex items-center gap-1 text-xs', muted)}
              title={t('adminUsers.identity.subjectTitle', { subject: i.subject })}
            >
              <IdCard aria-hidden="true" className="size-3.5 shrink-0" />
              <span className="truncate">
                {i.kind === 'proxy' ? t('adminUsers.identity.viaProxy') : t('adminUsers.identity.viaProvider')}
              </span>
            </span>
          ))}
        </>
      ),
    },
    {
      key: 'role',
      header: t('adminUsers.columns.role'),
      cellClassName: 'whitespace-nowrap',
      cell: (u) => (u.role === 'admin' ? t('adminUsers.roles.admin') : t('adminUsers.roles.user')),
    },
    {
      key: 'group',
      header: t('adminUsers.columns.group'),
      cellClassName: 'whitespace-nowrap',
      cell: (u) => u.group?.name ?? none,
    },
    {
      key: 'folder',
      header: t('adminUsers.columns.folder'),
      className: 'hidden md:table-cell',
      cellClassName: 'max-w-40',
      cell: (u) =>
        u.folder ? (
          <code className="block truncate font-mono text-xs" title={u.folder}>
            {u.folder}
          </code>
        ) : (
          none
        ),
    },
    {
      key: 'state',
      header: t('adminUsers.columns.state'),
      cell: (u) => (
        <span
          className={cx(
            'inline-flex rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap',
            u.disabled
              ? 'bg-stone-200 text-stone-700 dark:bg-stone-700 dark:text-stone-200'
              : 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
          )}
        >
          {u.disabled ? t('adminUsers.states.disabled') : t('adminUsers.states.active')}
        </span>
      ),
    },
    { key: 'torrents', header: t('adminUsers.columns.torrents'), numeric: true, cell: (u) => u.torrents },
    { key: 'disk', header: t('adminUsers.columns.diskUsed'), numeric: true, cell: (u) => formatSize(u.disk_used) },
    {
      key: 'lastLogin',
      header: t('adminUsers.columns.lastLogin'),
      cellClassName: 'whitespace-nowrap',
      cell: (u) =>
        u.last_login_at ? (
          <time dateTime={new Date(u.last_login_at * 1000).toISOString()} title={formatDate(u.last_login_at)}>
            {formatDay(u.last_login_at)}
          </time>
        ) : (
          <span className={muted}>{t('adminUsers.never')}</span>
        ),
    },
    {
      key: 'actions',
      name: t('adminUsers.columns.actions'),
      sticky: 'end',
      cell: (u) => <UserActions user={u} self={u.id === meId} sso={sso} onEdit={onEdit} onAction={onAction} />,
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={users}
      rowKey={(u) => u.id}
      caption={t('adminUsers.caption')}
      empty={t('adminUsers.empty')}
      rowProps={(u) => ({ 'data-user-id': u.id, className: u.disabled ? muted : undefined })}
      testId="user-table"
      layout={wide ? 'table' : 'cards'}
    />
  );
}

function UserActions({
  user: u,
  self,
  sso,
  onEdit,
  onAction,
}: {
  user: ManagedUser;
  self: boolean;
  sso: boolean;
  onEdit: (u: ManagedUser) => void;
  onAction: (kind: Action, u: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="flex justify-end gap-0.5">
      <IconButton
        small
        label={t('adminUsers.actions.editLabel', { name: u.username })}
        tip={t('adminUsers.actions.edit')}
        icon={<Pencil aria-hidden="true" className="size-4" />}
        onClick={() => onEdit(u)}
      />
      {sso && (
        <IconButton
          small
          label={t('adminUsers.actions.identityLabel', { name: u.username })}
          tip={t('adminUsers.actions.identity')}
          icon={<IdCard aria-hidden="true" className="size-4" />}
          onClick={() => onAction('identity', u)}
        />
      )}
      {/* Their own password, state and account: from "Mon compte", never locking themself out here. */}
      {!self && (
        <>
          <IconButton
            small
            label={t('adminUsers.actions.resetPasswordLabel', { name: u.username })}
            tip={t('adminUsers.actions.resetPassword')}
            icon={<KeyRound aria-hidden="true" className="size-4" />}
            onClick={() => onAction('reset', u)}
          />
          <IconButton
            small
            label={
              u.disabled
                ? t('adminUsers.actions.enableLabel', { name: u.username })
                : t('adminUsers.actions.disableLabel', { name: u.username })
            }
            tip={u.disabled ? t('adminUsers.actions.enable') : t('adminUsers.actions.disable')}
            icon={
              u.disabled ? (
                <UserCheck aria-hidden="true" className="size-4" />
              ) : (
                <UserX aria-hidden="true" className="size-4" />
              )
            }
            onClick={() => onAction('toggle', u)}
          />
          <IconButton
            small
            tone="danger"
            label={t('adminUsers.actions.deleteLabel', { name: u.username })}
            tip={t('adminUsers.actions.delete')}
            icon={<Trash2 aria-hidden="true" className="size-4" />}
            onClick={() => onAction('delete', u)}
          />
        </>
      )}
    </div>
  );
}

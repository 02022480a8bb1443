import { useState, type ChangeEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Save, UserPlus } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import type { Role } from '../../../api/types';
import { Alert } from '../../../components/Alert';
import { DialogForm } from '../../../components/ItemDialog';
import { Modal } from '../../../components/Modal';
import { SelectField } from '../../../components/SelectField';
import { TextField } from '../../../components/TextField';
import { useFormErrors } from '../../../lib/useFormErrors';
import { validateDisplayName, validateEmail, validateNewPassword, validateUsername } from '../../../lib/validation';
import { useGroups } from '../groups/queries';
import type { CreatedUser, ManagedUser, UserPatch } from './api';
import { PasswordReveal } from './PasswordReveal';
import { useCreateUser, useUpdateUser } from './queries';

export type UserFormTarget = { kind: 'create'; groupId: string } | { kind: 'edit'; user: ManagedUser };

/**
 * "Créer un utilisateur" (then, when the server generated the password, that password once)
 * or "Modifier « name »". Open while `target` is set.
 */
export function UserFormDialog({
  target,
  onClose,
  onCreated,
  onSaved,
}: {
  target: UserFormTarget | null;
  onClose: () => void;
  /** Once the dialog is done with it (after the generated password was shown). */
  onCreated: (user: ManagedUser) => void;
  onSaved: (user: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedUser | null>(null);

  function close() {
    // The generated password lives only here: closing forgets it.
    const done = created;
    setCreated(null);
    if (done) onCreated(done.user);
    else onClose();
  }

  const title = created
    ? t('adminUsers.password.createdTitle', { name: created.user.username })
    : target?.kind === 'edit'
      ? t('adminUsers.editDialog.title', { name: target.user.username })
      : t('adminUsers.createDialog.title');

  return (
    <Modal
      open={target !== null}
      onOpenChange={(open) => {
        if (!open) close();
      }}
      title={title}
    >
      {created?.password ? (
        <PasswordReveal password={created.password} onDone={close} />
      ) : target ? (
        <UserForm
          key={target.kind === 'edit' ? target.user.id : 'new'}
          target={target}
          onCancel={onClose}
          onCreated={(res) => {
            if (res.password) setCreated(res);
            else onCreated(res.user);
          }}
          onSaved={onSaved}
        />
      ) : null}
    </Modal>
  );
}

/** The group `<select>` (its own loading and error states). */
function GroupSelect({
  value,
  onChange,
  error,
  selectRef,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string;
  selectRef?: Ref<HTMLSelectElement>;
}) {
  const { t } = useTranslation();
  const groups = useGroups();
  if (groups.isPending) {
    return (
      <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
        {t('adminUsers.form.groupsLoading')}
      </p>
    );
  }
  if (groups.isError) {
    return <Alert>{t('adminUsers.form.groupsFailed', { message: errorMessage(groups.error) })}</Alert>;
  }
  const list = groups.data.groups;
  return (
    <SelectField
      label={t('adminUsers.form.group')}
      value={list.some((g) => String(g.id) === value) ? value : ''}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      selectRef={selectRef}
    >
      <option value="" disabled>
        {t('adminUsers.form.chooseGroup')}
      </option>
      {list.map((g) => (
        <option key={g.id} value={String(g.id)}>
          {g.name}
        </option>
      ))}
    </SelectField>
  );
}

function RoleSelect({ value, onChange }: { value: Role; onChange: (r: Role) => void }) {
  const { t } = useTranslation();
  return (
    <SelectField label={t('adminUsers.form.role')} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      <option value="user">{t('adminUsers.roles.user')}</option>
      <option value="admin">{t('adminUsers.roles.admin')}</option>
    </SelectField>
  );
}

const FIELDS = ['username', 'display_name', 'email', 'group_id', 'password'] as const;
type Field = (typeof FIELDS)[number];

/**
 * The account's fields. Creating: the username, the optional display name and password (the
 * server generates one when it is left empty). Editing: the display name (required) and, read
 * only, the user's folder; only what changed is sent.
 */
function UserForm({
  target,
  onCancel,
  onCreated,
  onSaved,
}: {
  target: UserFormTarget;
  onCancel: () => void;
  onCreated: (res: CreatedUser) => void;
  onSaved: (u: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  const user = target.kind === 'edit' ? target.user : null;
  const create = useCreateUser();
  const update = useUpdateUser();
  const [values, setValues] = useState<Record<Exclude<Field, 'group_id'>, string>>({
    username: '',
    display_name: user?.display_name ?? '',
    email: user?.email ?? '',
    password: '',
  });
  const [role, setRole] = useState<Role>(user?.role ?? 'user');
  const [group, setGroup] = useState(target.kind === 'edit' ? String(target.user.group?.id ?? '') : target.groupId);
  const { fieldErrors, formError, fieldRef, alertRef, validate, showApiError } = useFormErrors(FIELDS);
  const text = (name: Exclude<Field, 'group_id'>) => ({
    name,
    autoComplete: 'off',
    value: values[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [name]: e.target.value })),
    error: fieldErrors[name],
    inputRef: fieldRef(name),
  });
  const displayName = values.display_name.trim();
  const email = values.email.trim();

  function submit() {
    const valid = validate({
      username: user ? undefined : validateUsername(values.username),
      display_name: validateDisplayName(values.display_name, user !== null),
      email: validateEmail(values.email),
      group_id: group === '' ? t('adminUsers.form.groupRequired') : undefined,
      password: user || values.password === '' ? undefined : validateNewPassword(values.password),
    });
    if (!valid) return;
    if (!user) {
      create.mutate(
        {
          username: values.username.trim(),
          ...(displayName ? { display_name: displayName } : {}),
          ...(email ? { email } : {}),
          role,
          group_id: Number(group),
          ...(values.password ? { password: values.password } : {}),
        },
        { onSuccess: onCreated, onError: showApiError },
      );
      return;
    }
    // Only what changed: the audit log lists the keys, and an untouched role never trips `last_admin`.
    const patch: UserPatch = {};
    if (displayName !== user.display_name) patch.display_name = displayName;
    if ((email || null) !== (user.email || null)) patch.email = email || null;
    if (role !== user.role) patch.role = role;
    if (Number(group) !== user.group?.id) patch.group_id = Number(group);
    if (Object.keys(patch).length === 0) return onSaved(user);
    update.mutate({ id: user.id, patch }, { onSuccess: onSaved, onError: showApiError });
  }

  return (
    <DialogForm
      onSubmit={submit}
      busy={create.isPending || update.isPending}
      cancelLabel={t('adminUsers.form.cancel')}
      onCancel={onCancel}
      submit={
        user
          ? {
              children: t('adminUsers.editDialog.submit'),
              busyLabel: t('adminUsers.editDialog.submitting'),
              icon: <Save aria-hidden="true" className="size-4" />,
            }
          : {
              children: t('adminUsers.createDialog.submit'),
              busyLabel: t('adminUsers.createDialog.submitting'),
              icon: <UserPlus aria-hidden="true" className="size-4" />,
            }
      }
    >
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      {!user && (
        <TextField
          label={t('adminUsers.form.username')}
          hint={t('adminUsers.form.usernameHint')}
          required
          {...text('username')}
        />
      )}
      <TextField
        label={t('adminUsers.form.displayName')}
        required={user !== null}
        optional={user === null}
        {...text('display_name')}
      />
      <TextField label={t('adminUsers.form.email')} type="email" optional {...text('email')} />
      <div className="grid gap-4 sm:grid-cols-2">
        <RoleSelect value={role} onChange={setRole} />
        <GroupSelect
          value={group}
          onChange={setGroup}
          error={fieldErrors.group_id}
          // useFormErrors only needs `focus()`, which a <select> has too.
          selectRef={fieldRef('group_id') as unknown as Ref<HTMLSelectElement>}
        />
      </div>
      {!user && (
        <TextField
          label={t('adminUsers.form.password')}
          hint={t('adminUsers.form.passwordHint')}
          type="password"
          optional
          {...text('password')}
          autoComplete="new-password"
        />
      )}
      {user?.folder && (
        // Read only: chosen by the server at creation, where the user's torrents are saved.
        <dl className="text-sm" data-testid="user-folder">
          <dt className="font-medium text-stone-800 dark:text-stone-200">{t('adminUsers.form.folder')}</dt>
          <dd className="mt-1">
            <code className="rounded bg-stone-100 px-1 font-mono text-xs [overflow-wrap:anywhere] dark:bg-stone-800">
              {user.folder}
            </code>
          </dd>
          <dd className="mt-1 text-stone-600 dark:text-stone-400">{t('adminUsers.form.folderHint')}</dd>
        </dl>
      )}
    </DialogForm>
  );
}

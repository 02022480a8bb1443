import { useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Save, UserPlus } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import type { Role } from '../../../api/types';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { Modal } from '../../../components/Modal';
import { TextField } from '../../../components/TextField';
import { useFormErrors } from '../../../lib/useFormErrors';
import { compact, validateDisplayName, validateEmail, validateNewPassword, validateUsername } from '../../../lib/validation';
import { useGroups } from '../groups/queries';
import type { CreatedUser, ManagedUser, UserPatch } from './api';
import { PasswordReveal } from './PasswordReveal';
import { useCreateUser, useUpdateUser } from './queries';
import { DialogButtons, SelectField } from './ui';

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
      ) : target?.kind === 'create' ? (
        <CreateForm
          groupId={target.groupId}
          onCancel={onClose}
          onCreated={(res) => {
            if (res.password) setCreated(res);
            else onCreated(res.user);
          }}
        />
      ) : target?.kind === 'edit' ? (
        <EditForm key={target.user.id} user={target.user} onCancel={onClose} onSaved={onSaved} />
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

const CREATE_FIELDS = ['username', 'display_name', 'email', 'group_id', 'password'] as const;

function CreateForm({
  groupId,
  onCancel,
  onCreated,
}: {
  groupId: string;
  onCancel: () => void;
  onCreated: (res: CreatedUser) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [group, setGroup] = useState(groupId);
  const [password, setPassword] = useState('');
  const { fieldErrors, formError, fieldRef, alertRef, show, showApiError, clear } = useFormErrors(CREATE_FIELDS);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (create.isPending) return;
    const errors = compact({
      username: validateUsername(username),
      display_name: validateDisplayName(displayName, false),
      email: validateEmail(email),
      group_id: group === '' ? t('adminUsers.form.groupRequired') : undefined,
      password: password === '' ? undefined : validateNewPassword(password),
    });
    if (Object.keys(errors).length > 0) return show(errors);
    clear();
    create.mutate(
      {
        username: username.trim(),
        ...(displayName.trim() ? { display_name: displayName.trim() } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
        role,
        group_id: Number(group),
        ...(password ? { password } : {}),
      },
      { onSuccess: onCreated, onError: showApiError },
    );
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('adminUsers.form.username')}
        hint={t('adminUsers.form.usernameHint')}
        name="username"
        autoComplete="off"
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={fieldErrors.username}
        inputRef={fieldRef('username')}
      />
      <TextField
        label={t('adminUsers.form.displayName')}
        name="display_name"
        autoComplete="off"
        optional
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        error={fieldErrors.display_name}
        inputRef={fieldRef('display_name')}
      />
      <TextField
        label={t('adminUsers.form.email')}
        name="email"
        type="email"
        autoComplete="off"
        optional
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email}
        inputRef={fieldRef('email')}
      />
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
      <TextField
        label={t('adminUsers.form.password')}
        hint={t('adminUsers.form.passwordHint')}
        name="password"
        type="password"
        autoComplete="new-password"
        optional
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
        inputRef={fieldRef('password')}
      />
      <DialogButtons>
        <Button variant="secondary" onClick={onCancel}>
          {t('adminUsers.form.cancel')}
        </Button>
        <Button
          type="submit"
          busy={create.isPending}
          busyLabel={t('adminUsers.createDialog.submitting')}
          icon={<UserPlus aria-hidden="true" className="size-4" />}
        >
          {t('adminUsers.createDialog.submit')}
        </Button>
      </DialogButtons>
    </form>
  );
}

const EDIT_FIELDS = ['display_name', 'email', 'group_id'] as const;

function EditForm({
  user,
  onCancel,
  onSaved,
}: {
  user: ManagedUser;
  onCancel: () => void;
  onSaved: (u: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const [displayName, setDisplayName] = useState(user.display_name);
  const [email, setEmail] = useState(user.email ?? '');
  const [role, setRole] = useState<Role>(user.role);
  const [group, setGroup] = useState(user.group ? String(user.group.id) : '');
  const { fieldErrors, formError, fieldRef, alertRef, show, showApiError, clear } = useFormErrors(EDIT_FIELDS);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (update.isPending) return;
    const errors = compact({
      display_name: validateDisplayName(displayName, true),
      email: validateEmail(email),
      group_id: group === '' ? t('adminUsers.form.groupRequired') : undefined,
    });
    if (Object.keys(errors).length > 0) return show(errors);
    clear();
    // Only what changed: the audit log lists the keys, and an untouched role never trips `last_admin`.
    const patch: UserPatch = {};
    if (displayName.trim() !== user.display_name) patch.display_name = displayName.trim();
    if ((email.trim() || null) !== (user.email || null)) patch.email = email.trim() || null;
    if (role !== user.role) patch.role = role;
    if (Number(group) !== user.group?.id) patch.group_id = Number(group);
    if (Object.keys(patch).length === 0) return onSaved(user);
    update.mutate({ id: user.id, patch }, { onSuccess: onSaved, onError: showApiError });
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('adminUsers.form.displayName')}
        name="display_name"
        autoComplete="off"
        required
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        error={fieldErrors.display_name}
        inputRef={fieldRef('display_name')}
      />
      <TextField
        label={t('adminUsers.form.email')}
        name="email"
        type="email"
        autoComplete="off"
        optional
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email}
        inputRef={fieldRef('email')}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <RoleSelect value={role} onChange={setRole} />
        <GroupSelect
          value={group}
          onChange={setGroup}
          error={fieldErrors.group_id}
          selectRef={fieldRef('group_id') as unknown as Ref<HTMLSelectElement>}
        />
      </div>
      {user.folder && (
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
      <DialogButtons>
        <Button variant="secondary" onClick={onCancel}>
          {t('adminUsers.form.cancel')}
        </Button>
        <Button
          type="submit"
          busy={update.isPending}
          busyLabel={t('adminUsers.editDialog.submitting')}
          icon={<Save aria-hidden="true" className="size-4" />}
        >
          {t('adminUsers.editDialog.submit')}
        </Button>
      </DialogButtons>
    </form>
  );
}

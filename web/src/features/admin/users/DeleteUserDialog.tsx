import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Trash2 } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import { Alert } from '../../../components/Alert';
import { DialogForm, ItemDialog } from '../../../components/ItemDialog';
import { SelectField } from '../../../components/SelectField';
import { cx } from '../../../lib/cx';
import { formatSize } from '../../../lib/format';
import { NO_FILTERS, type ManagedUser } from './api';
import { useDeleteUser, useManagedUsers } from './queries';

/**
 * "Supprimer « name » ?": the admin must say what becomes of the user's torrents — given to
 * another user (`?torrents=reassign&to=ID`) or deleted with their data (`?torrents=delete`,
 * confirmed by a checkbox). Nothing is preselected.
 */
export function DeleteUserDialog({
  user,
  onClose,
  onDeleted,
}: {
  user: ManagedUser | null;
  onClose: () => void;
  onDeleted: (u: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  return (
    <ItemDialog
      item={user}
      itemKey={(u) => u.id}
      onClose={onClose}
      title={(u) => t('adminUsers.delete.title', { name: u.username })}
      description={() => t('adminUsers.delete.intro')}
    >
      {(u) => <DeleteForm user={u} onClose={onClose} onDeleted={onDeleted} />}
    </ItemDialog>
  );
}

type Choice = '' | 'reassign' | 'delete';
type Problem = 'choice' | 'user' | 'confirm' | null;

function label(u: ManagedUser): string {
  return u.display_name && u.display_name !== u.username ? `${u.display_name} (${u.username})` : u.username;
}

function DeleteForm({
  user,
  onClose,
  onDeleted,
}: {
  user: ManagedUser;
  onClose: () => void;
  onDeleted: (u: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const del = useDeleteUser();
  const [choice, setChoice] = useState<Choice>('');
  const [to, setTo] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [problem, setProblem] = useState<Problem>(null);
  const firstRadio = useRef<HTMLInputElement>(null);
  const selectRef = useRef<HTMLSelectElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  // Every account (the list without filters), except the one being deleted.
  const all = useManagedUsers(NO_FILTERS, choice === 'reassign');
  const others = (all.data ?? []).filter((u) => u.id !== user.id);

  function submit() {
    if (choice === '') {
      setProblem('choice');
      firstRadio.current?.focus();
      return;
    }
    if (choice === 'reassign' && !others.some((u) => String(u.id) === to)) {
      setProblem('user');
      selectRef.current?.focus();
      return;
    }
    if (choice === 'delete' && !confirmed) {
      setProblem('confirm');
      confirmRef.current?.focus();
      return;
    }
    setProblem(null);
    del.mutate(
      { id: user.id, fate: choice === 'reassign' ? { torrents: 'reassign', to: Number(to) } : { torrents: 'delete' } },
      { onSuccess: () => onDeleted(user) },
    );
  }

  const radio = (value: Exclude<Choice, ''>, text: string, first = false) => (
    <label className="flex items-start gap-2 text-sm font-medium">
      <input
        ref={first ? firstRadio : undefined}
        type="radio"
        name={`${id}-fate`}
        value={value}
        checked={choice === value}
        onChange={() => {
          setChoice(value);
          setProblem(null);
        }}
        aria-describedby={problem === 'choice' ? `${id}-choice-error` : undefined}
        className={cx('mt-0.5 size-4 shrink-0', value === 'delete' ? 'accent-red-700' : 'accent-amber-700')}
      />
      {text}
    </label>
  );

  let reassignField = null;
  if (choice === 'reassign') {
    if (all.isPending) {
      reassignField = (
        <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
          {t('adminUsers.delete.usersLoading')}
        </p>
      );
    } else if (all.isError) {
      reassignField = <Alert>{errorMessage(all.error)}</Alert>;
    } else if (others.length === 0) {
      reassignField = <p className="text-sm text-stone-600 dark:text-stone-400">{t('adminUsers.delete.noOtherUser')}</p>;
    } else {
      reassignField = (
        <SelectField
          label={t('adminUsers.delete.reassignTo')}
          value={others.some((u) => String(u.id) === to) ? to : ''}
          onChange={(e) => {
            setTo(e.target.value);
            setProblem(null);
          }}
          error={problem === 'user' ? t('adminUsers.delete.userRequired') : undefined}
          selectRef={selectRef}
        >
          <option value="" disabled>
            {t('adminUsers.delete.chooseUser')}
          </option>
          {others.map((u) => (
            <option key={u.id} value={String(u.id)}>
              {u.disabled ? t('adminUsers.delete.disabledUser', { label: label(u) }) : label(u)}
            </option>
          ))}
        </SelectField>
      );
    }
  }

  return (
    <DialogForm
      onSubmit={submit}
      busy={del.isPending}
      error={del.error}
      cancelLabel={t('adminUsers.form.cancel')}
      onCancel={onClose}
      submit={{
        variant: 'danger',
        children: t('adminUsers.delete.submit'),
        busyLabel: t('adminUsers.delete.submitting'),
        icon: <Trash2 aria-hidden="true" className="size-4" />,
      }}
    >
      <fieldset className="flex flex-col gap-3">
        <legend className="text-base font-semibold">{t('adminUsers.delete.legend')}</legend>
        <p className="-mt-1 text-sm text-stone-600 dark:text-stone-400">
          {t('adminUsers.delete.owns', { count: user.torrents, size: formatSize(user.disk_used) })}
        </p>
        {radio('reassign', t('adminUsers.delete.reassign'), true)}
        {reassignField && <div className="pl-6">{reassignField}</div>}
        {radio('delete', t('adminUsers.delete.deleteData'))}
        {choice === 'delete' && (
          <div className="flex flex-col gap-2 pl-6">
            <p className="text-sm text-stone-600 dark:text-stone-400">{t('adminUsers.delete.deleteDataHint')}</p>
            <div className="flex items-start gap-2">
              <input
                id={`${id}-confirm`}
                ref={confirmRef}
                type="checkbox"
                checked={confirmed}
                onChange={(e) => {
                  setConfirmed(e.target.checked);
                  setProblem(null);
                }}
                aria-invalid={problem === 'confirm' || undefined}
                aria-describedby={problem === 'confirm' ? `${id}-confirm-error` : undefined}
                className="mt-0.5 size-5 shrink-0 accent-red-700 dark:accent-red-500"
              />
              <label htmlFor={`${id}-confirm`} className="text-sm font-medium">
                {t('adminUsers.delete.confirmData')}
              </label>
            </div>
            {problem === 'confirm' && (
              <p id={`${id}-confirm-error`} className="text-sm font-medium text-red-700 dark:text-red-300">
                {t('adminUsers.delete.confirmRequired')}
              </p>
            )}
          </div>
        )}
        {problem === 'choice' && (
          <p id={`${id}-choice-error`} className="text-sm font-medium text-red-700 dark:text-red-300">
            {t('adminUsers.delete.choiceRequired')}
          </p>
        )}
      </fieldset>
    </DialogForm>
  );
}

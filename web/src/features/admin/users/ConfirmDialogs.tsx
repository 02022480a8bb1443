import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeyRound, UserCheck, UserX } from 'lucide-react';
import { DialogForm, ItemDialog } from '../../../components/ItemDialog';
import { Modal } from '../../../components/Modal';
import type { ManagedUser } from './api';
import { PasswordReveal } from './PasswordReveal';
import { useResetPassword, useUpdateUser } from './queries';

/**
 * "Désactiver « name » ?" (sessions end at once) or "Réactiver « name » ?", then
 * `PATCH {disabled}`. A refusal (409 `last_admin`…) shows the server's message.
 */
export function ToggleUserDialog({
  user,
  onClose,
  onDone,
}: {
  user: ManagedUser | null;
  onClose: () => void;
  onDone: (u: ManagedUser, disabled: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <ItemDialog
      item={user}
      itemKey={(u) => u.id}
      onClose={onClose}
      title={(u) =>
        u.disabled
          ? t('adminUsers.toggle.enableTitle', { name: u.username })
          : t('adminUsers.toggle.disableTitle', { name: u.username })
      }
      description={(u) => (u.disabled ? t('adminUsers.toggle.enableText') : t('adminUsers.toggle.disableText'))}
    >
      {(u) => <ToggleForm user={u} onClose={onClose} onDone={onDone} />}
    </ItemDialog>
  );
}

function ToggleForm({
  user,
  onClose,
  onDone,
}: {
  user: ManagedUser;
  onClose: () => void;
  onDone: (u: ManagedUser, disabled: boolean) => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const disabling = !user.disabled;
  return (
    <DialogForm
      onSubmit={() =>
        update.mutate({ id: user.id, patch: { disabled: disabling } }, { onSuccess: (u) => onDone(u ?? user, disabling) })
      }
      busy={update.isPending}
      error={update.error}
      cancelLabel={t('adminUsers.form.cancel')}
      onCancel={onClose}
      submit={{
        variant: disabling ? 'danger' : 'primary',
        children: disabling ? t('adminUsers.toggle.disableSubmit') : t('adminUsers.toggle.enableSubmit'),
        busyLabel: disabling ? t('adminUsers.toggle.disabling') : t('adminUsers.toggle.enabling'),
        icon: disabling ? (
          <UserX aria-hidden="true" className="size-4" />
        ) : (
          <UserCheck aria-hidden="true" className="size-4" />
        ),
      }}
    />
  );
}

/**
 * "Réinitialiser le mot de passe de « name » ?", then the generated password, once.
 * Closing the dialog forgets it.
 */
export function ResetPasswordDialog({
  user,
  onClose,
  onDone,
}: {
  user: ManagedUser | null;
  onClose: () => void;
  /** After the password was shown (or when the server sent none). */
  onDone: (u: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  const [password, setPassword] = useState<string | null>(null);

  function finish() {
    setPassword(null);
    if (user) onDone(user);
  }

  return (
    <Modal
      open={user !== null}
      onOpenChange={(open) => {
        if (open) return;
        if (password !== null) finish();
        else onClose();
      }}
      title={
        user
          ? password !== null
            ? t('adminUsers.password.resetTitle', { name: user.username })
            : t('adminUsers.reset.title', { name: user.username })
          : ''
      }
      description={password === null ? t('adminUsers.reset.text') : undefined}
    >
      {user &&
        (password !== null ? (
          <PasswordReveal password={password} onDone={finish} />
        ) : (
          <ResetForm
            key={user.id}
            user={user}
            onClose={onClose}
            onReset={(p) => {
              if (p) setPassword(p);
              else onDone(user);
            }}
          />
        ))}
    </Modal>
  );
}

function ResetForm({
  user,
  onClose,
  onReset,
}: {
  user: ManagedUser;
  onClose: () => void;
  onReset: (password: string | null) => void;
}) {
  const { t } = useTranslation();
  const reset = useResetPassword();
  return (
    <DialogForm
      onSubmit={() => reset.mutate(user.id, { onSuccess: (res) => onReset(res?.password ?? null) })}
      busy={reset.isPending}
      error={reset.error}
      cancelLabel={t('adminUsers.form.cancel')}
      onCancel={onClose}
      submit={{
        variant: 'danger',
        children: t('adminUsers.reset.submit'),
        busyLabel: t('adminUsers.reset.submitting'),
        icon: <KeyRound aria-hidden="true" className="size-4" />,
      }}
    />
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeyRound, UserCheck, UserX } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { Modal } from '../../../components/Modal';
import type { ManagedUser } from './api';
import { PasswordReveal } from './PasswordReveal';
import { useResetPassword, useUpdateUser } from './queries';
import { DialogButtons } from './ui';

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
  const disabling = user ? !user.disabled : true;
  return (
    <Modal
      open={user !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={
        user
          ? disabling
            ? t('adminUsers.toggle.disableTitle', { name: user.username })
            : t('adminUsers.toggle.enableTitle', { name: user.username })
          : ''
      }
      description={disabling ? t('adminUsers.toggle.disableText') : t('adminUsers.toggle.enableText')}
    >
      {user && <ToggleForm key={user.id} user={user} onClose={onClose} onDone={onDone} />}
    </Modal>
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
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (update.isPending) return;
        update.mutate(
          { id: user.id, patch: { disabled: disabling } },
          { onSuccess: (u) => onDone(u ?? user, disabling) },
        );
      }}
      className="flex flex-col gap-4"
    >
      {update.isError && <Alert>{errorMessage(update.error)}</Alert>}
      <DialogButtons>
        <Button variant="secondary" onClick={onClose}>
          {t('adminUsers.form.cancel')}
        </Button>
        <Button
          type="submit"
          variant={disabling ? 'danger' : 'primary'}
          busy={update.isPending}
          busyLabel={disabling ? t('adminUsers.toggle.disabling') : t('adminUsers.toggle.enabling')}
          icon={
            disabling ? (
              <UserX aria-hidden="true" className="size-4" />
            ) : (
              <UserCheck aria-hidden="true" className="size-4" />
            )
          }
        >
          {disabling ? t('adminUsers.toggle.disableSubmit') : t('adminUsers.toggle.enableSubmit')}
        </Button>
      </DialogButtons>
    </form>
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
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!reset.isPending) reset.mutate(user.id, { onSuccess: (res) => onReset(res?.password ?? null) });
      }}
      className="flex flex-col gap-4"
    >
      {reset.isError && <Alert>{errorMessage(reset.error)}</Alert>}
      <DialogButtons>
        <Button variant="secondary" onClick={onClose}>
          {t('adminUsers.form.cancel')}
        </Button>
        <Button
          type="submit"
          variant="danger"
          busy={reset.isPending}
          busyLabel={t('adminUsers.reset.submitting')}
          icon={<KeyRound aria-hidden="true" className="size-4" />}
        >
          {t('adminUsers.reset.submit')}
        </Button>
      </DialogButtons>
    </form>
  );
}

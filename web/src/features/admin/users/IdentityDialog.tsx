import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link2, Unlink } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { DialogForm, ItemDialog } from '../../../components/ItemDialog';
import { TextField } from '../../../components/TextField';
import { useFormErrors } from '../../../lib/useFormErrors';
import type { ManagedUser } from './api';
import { useLinkIdentity, useUnlinkIdentity } from './queries';

const FIELDS = ['subject'] as const;

/**
 * "Identité de « name » chez le fournisseur": links the account to the provider's `sub`
 * (`PUT /api/admin/users/{id}/oidc`), or unlinks the one it has (`DELETE`). The server's
 * refusals (409 `identity_taken`, `oidc_disabled`, 404 `identity_not_found`…) are shown in French.
 */
export function IdentityDialog({
  user,
  onClose,
  onLinked,
  onUnlinked,
}: {
  user: ManagedUser | null;
  onClose: () => void;
  onLinked: (u: ManagedUser, subject: string) => void;
  onUnlinked: (u: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  return (
    <ItemDialog
      item={user}
      itemKey={(u) => u.id}
      onClose={onClose}
      title={(u) => t('adminUsers.identity.title', { name: u.username })}
      description={() => t('adminUsers.identity.text')}
    >
      {(u) => <IdentityForms user={u} onClose={onClose} onLinked={onLinked} onUnlinked={onUnlinked} />}
    </ItemDialog>
  );
}

function IdentityForms({
  user,
  onClose,
  onLinked,
  onUnlinked,
}: {
  user: ManagedUser;
  onClose: () => void;
  onLinked: (u: ManagedUser, subject: string) => void;
  onUnlinked: (u: ManagedUser) => void;
}) {
  const { t } = useTranslation();
  const [subject, setSubject] = useState('');
  const link = useLinkIdentity();
  const unlink = useUnlinkIdentity();
  // 422 `invalid_subject` goes next to the field, anything else at the top.
  const { fieldErrors, formError, fieldRef, alertRef, validate, showApiError, clear } = useFormErrors(FIELDS);

  function submit() {
    unlink.reset();
    const value = subject.trim();
    if (!validate({ subject: value === '' ? t('adminUsers.identity.subjectRequired') : undefined })) return;
    link.mutate({ id: user.id, subject: value }, { onSuccess: () => onLinked(user, value), onError: showApiError });
  }

  const linked = (user.identities ?? []).find((i) => i.kind === 'oidc');
  return (
    <div className="flex flex-col gap-6">
      <p className="text-sm" data-testid="identity-current">
        {linked ? t('adminUsers.identity.current', { subject: linked.subject }) : t('adminUsers.identity.none')}
      </p>
      <DialogForm
        onSubmit={submit}
        busy={link.isPending}
        cancelLabel={t('adminUsers.form.cancel')}
        onCancel={onClose}
        submit={{
          children: t('adminUsers.identity.link'),
          busyLabel: t('adminUsers.identity.linking'),
          icon: <Link2 aria-hidden="true" className="size-4" />,
        }}
      >
        {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
        <TextField
          label={t('adminUsers.identity.subject')}
          hint={t('adminUsers.identity.subjectHint')}
          name="subject"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          error={fieldErrors.subject}
          inputRef={fieldRef('subject')}
        />
      </DialogForm>
      <div className="flex flex-col gap-2 border-t border-stone-200 pt-4 dark:border-stone-700">
        <h3 className="text-base font-semibold">{t('adminUsers.identity.unlinkTitle')}</h3>
        <p className="text-sm text-stone-600 dark:text-stone-400">{t('adminUsers.identity.unlinkText')}</p>
        {unlink.isError && <Alert>{errorMessage(unlink.error)}</Alert>}
        <div>
          <Button
            variant="secondary"
            busy={unlink.isPending}
            busyLabel={t('adminUsers.identity.unlinking')}
            icon={<Unlink aria-hidden="true" className="size-4" />}
            onClick={() => {
              clear();
              unlink.mutate(user.id, { onSuccess: () => onUnlinked(user) });
            }}
          >
            {t('adminUsers.identity.unlink')}
          </Button>
        </div>
      </div>
    </div>
  );
}

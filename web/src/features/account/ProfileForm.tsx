import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { Save } from 'lucide-react';
import { api } from '../../api/endpoints';
import { queryKeys } from '../../api/queries';
import type { User } from '../../api/types';
import { Alert } from '../../components/Alert';
import { SaveFooter } from '../../components/SaveFooter';
import { TextField } from '../../components/TextField';
import { useFormMutation } from '../../lib/useFormErrors';
import { validateDisplayName, validateEmail } from '../../lib/validation';

const FIELDS = ['display_name', 'email'] as const;

export function ProfileForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [displayName, setDisplayName] = useState(user.display_name);
  const [email, setEmail] = useState(user.email ?? '');
  const [saved, setSaved] = useState(false);
  const { fieldErrors, formError, fieldRef, alertRef, validate, mutate, busy } = useFormMutation(FIELDS, {
    mutationFn: api.updateMe,
    onSuccess: (updated: User) => {
      client.setQueryData(queryKeys.me, updated);
      setDisplayName(updated.display_name);
      setEmail(updated.email ?? '');
      setSaved(true);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setSaved(false);
    const valid = validate({
      display_name: validateDisplayName(displayName, true),
      email: validateEmail(email),
    });
    if (valid) mutate({ display_name: displayName.trim(), email: email.trim() || null });
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('account.profile.displayName')}
        name="display_name"
        autoComplete="nickname"
        required
        value={displayName}
        onChange={(e) => {
          setDisplayName(e.target.value);
          setSaved(false);
        }}
        error={fieldErrors.display_name}
        inputRef={fieldRef('display_name')}
      />
      <TextField
        label={t('account.profile.email')}
        hint={t('account.profile.emailHint')}
        name="email"
        type="email"
        autoComplete="email"
        optional
        value={email}
        onChange={(e) => {
          setEmail(e.target.value);
          setSaved(false);
        }}
        error={fieldErrors.email}
        inputRef={fieldRef('email')}
      />
      <SaveFooter
        saved={saved}
        savedText={t('account.profile.saved')}
        busy={busy}
        label={t('account.profile.submit')}
        busyLabel={t('account.profile.submitting')}
        icon={<Save aria-hidden="true" className="size-4" />}
      />
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { KeyRound } from 'lucide-react';
import { api } from '../../api/endpoints';
import { Alert } from '../../components/Alert';
import { SaveFooter } from '../../components/SaveFooter';
import { TextField } from '../../components/TextField';
import { useFormMutation } from '../../lib/useFormErrors';
import { validateConfirmation, validateNewPassword } from '../../lib/validation';

const FIELDS = ['current_password', 'new_password', 'confirm'] as const;

export function PasswordForm() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [saved, setSaved] = useState(false);
  const { fieldErrors, formError, fieldRef, alertRef, validate, mutate, busy } = useFormMutation(FIELDS, {
    mutationFn: api.changePassword,
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      setSaved(true);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setSaved(false);
    const valid = validate({
      current_password: current === '' ? t('validation.currentPasswordRequired') : undefined,
      new_password: validateNewPassword(next),
      confirm: validateConfirmation(next, confirm),
    });
    if (valid) mutate({ current_password: current, new_password: next });
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('account.password.current')}
        name="current_password"
        type="password"
        autoComplete="current-password"
        required
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        error={fieldErrors.current_password}
        inputRef={fieldRef('current_password')}
      />
      <TextField
        label={t('account.password.new')}
        hint={t('account.password.newHint')}
        name="new_password"
        type="password"
        autoComplete="new-password"
        required
        value={next}
        onChange={(e) => setNext(e.target.value)}
        error={fieldErrors.new_password}
        inputRef={fieldRef('new_password')}
      />
      <TextField
        label={t('account.password.confirm')}
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={fieldErrors.confirm}
        inputRef={fieldRef('confirm')}
      />
      <SaveFooter
        saved={saved}
        savedText={t('account.password.saved')}
        busy={busy}
        label={t('account.password.submit')}
        busyLabel={t('account.password.submitting')}
        icon={<KeyRound aria-hidden="true" className="size-4" />}
      />
    </form>
  );
}

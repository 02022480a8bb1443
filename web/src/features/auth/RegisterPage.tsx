import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { UserPlus } from 'lucide-react';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import { useInstance } from '../../api/queries';
import { startSession } from './session';
import type { RegisterInput } from '../../api/types';
import { Alert } from '../../components/Alert';
import { AuthShell } from '../../components/AuthShell';
import { Button } from '../../components/Button';
import { Loading } from '../../components/Loading';
import { TextField } from '../../components/TextField';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useFormMutation } from '../../lib/useFormErrors';
import {
  validateConfirmation,
  validateDisplayName,
  validateEmail,
  validateNewPassword,
  validateUsername,
} from '../../lib/validation';

const FIELDS = ['username', 'display_name', 'email', 'password', 'confirm'] as const;
type Field = (typeof FIELDS)[number];

function RegisterForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [values, setValues] = useState<Record<Field, string>>({
    username: '',
    display_name: '',
    email: '',
    password: '',
    confirm: '',
  });
  const { fieldErrors, formError, fieldRef, alertRef, validate, mutate, busy } = useFormMutation(FIELDS, {
    mutationFn: api.register,
    onSuccess: (user) => startSession(client, user),
  });

  // An error that states the rule replaces the hint (which says the same); "required" keeps it.
  const hint = (name: Field, text: string, required?: string) =>
    fieldErrors[name] && fieldErrors[name] !== required ? undefined : text;

  const bind = (name: Field) => ({
    name,
    value: values[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [name]: e.target.value })),
    error: fieldErrors[name],
    inputRef: fieldRef(name),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const valid = validate({
      username: validateUsername(values.username.trim()),
      display_name: validateDisplayName(values.display_name, false),
      email: validateEmail(values.email),
      password: validateNewPassword(values.password),
      confirm: validateConfirmation(values.password, values.confirm, true),
    });
    if (!valid) return;
    const input: RegisterInput = { username: values.username.trim(), password: values.password };
    if (values.email.trim()) input.email = values.email.trim();
    if (values.display_name.trim()) input.display_name = values.display_name.trim();
    mutate(input);
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('auth.register.username')}
        hint={hint('username', t('auth.register.usernameHint'), t('validation.usernameRequired'))}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        {...bind('username')}
      />
      <TextField
        label={t('auth.register.displayName')}
        hint={t('auth.register.displayNameHint')}
        autoComplete="nickname"
        optional
        {...bind('display_name')}
      />
      <TextField label={t('auth.register.email')} type="email" autoComplete="email" optional {...bind('email')} />
      <TextField
        label={t('auth.register.password')}
        hint={hint('password', t('auth.register.passwordHint'))}
        type="password"
        autoComplete="new-password"
        required
        {...bind('password')}
      />
      <TextField
        label={t('auth.register.confirm')}
        type="password"
        autoComplete="new-password"
        required
        {...bind('confirm')}
      />
      <Button
        type="submit"
        busy={busy}
        busyLabel={t('auth.register.submitting')}
        icon={<UserPlus aria-hidden="true" className="size-4" />}
      >
        {t('auth.register.submit')}
      </Button>
    </form>
  );
}

export function RegisterPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.register.title'));
  const instance = useInstance();
  const site = instance.data?.site_name || t('app.defaultSiteName');

  return (
    <AuthShell>
      <h1 className="text-2xl font-bold">{t('auth.register.title')}</h1>
      {instance.isPending ? (
        <Loading />
      ) : instance.data?.registration_open ? (
        <>
          <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">{t('auth.register.intro', { site })}</p>
          <div className="mt-6">
            <RegisterForm />
          </div>
        </>
      ) : instance.isError ? (
        <Alert className="mt-4">{errorMessage(instance.error)}</Alert>
      ) : (
        <Alert tone="info" className="mt-4">
          <strong className="block">{t('auth.register.closedTitle')}</strong>
          {t('auth.register.closed')}
        </Alert>
      )}
      <p className="mt-6 text-center text-sm text-stone-600 dark:text-stone-400">
        {t('auth.register.haveAccount')}{' '}
        <Link to="/connexion" className="font-semibold text-amber-800 underline dark:text-amber-300">
          {t('auth.register.loginLink')}
        </Link>
      </p>
    </AuthShell>
  );
}

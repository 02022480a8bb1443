import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { LogIn } from 'lucide-react';
import { api } from '../../api/endpoints';
import { useInstance } from '../../api/queries';
import { Alert } from '../../components/Alert';
import { AuthShell } from '../../components/AuthShell';
import { Button } from '../../components/Button';
import { TextField } from '../../components/TextField';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useFormMutation } from '../../lib/useFormErrors';
import type { LoginState } from './guards';
import { startSession } from './session';

const FIELDS = ['username', 'password'] as const;

/** On success the session starts; the GuestOnly guard then leaves the page. */
export function LoginForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { fieldErrors, formError, fieldRef, alertRef, validate, mutate, busy } = useFormMutation(FIELDS, {
    mutationFn: api.login,
    onSuccess: (user) => startSession(client, user),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const valid = validate({
      username: username.trim() === '' ? t('validation.usernameRequired') : undefined,
      password: password === '' ? t('validation.passwordRequired') : undefined,
    });
    if (valid) mutate({ username: username.trim(), password });
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('auth.login.username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={fieldErrors.username}
        inputRef={fieldRef('username')}
      />
      <TextField
        label={t('auth.login.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
        inputRef={fieldRef('password')}
      />
      <Button
        type="submit"
        busy={busy}
        busyLabel={t('auth.login.submitting')}
        icon={<LogIn aria-hidden="true" className="size-4" />}
      >
        {t('auth.login.submit')}
      </Button>
    </form>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.login.title'));
  const location = useLocation();
  const state = (location.state ?? {}) as LoginState;
  const { data: instance } = useInstance();

  return (
    <AuthShell>
      <h1 className="text-2xl font-bold">{t('auth.login.title')}</h1>
      <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">{t('auth.login.intro')}</p>
      {state.notice === 'expired' && (
        <Alert tone="info" className="mt-4">
          {t('auth.login.sessionExpired')}
        </Alert>
      )}
      {state.notice === 'loggedOut' && (
        <Alert tone="success" className="mt-4">
          {t('auth.login.loggedOut')}
        </Alert>
      )}
      <div className="mt-6">
        <LoginForm />
      </div>
      {instance?.registration_open && (
        <p className="mt-6 text-center text-sm text-stone-600 dark:text-stone-400">
          {t('auth.login.noAccount')}{' '}
          <Link to="/inscription" className="font-semibold text-amber-800 underline dark:text-amber-300">
            {t('auth.login.registerLink')}
          </Link>
        </p>
      )}
    </AuthShell>
  );
}

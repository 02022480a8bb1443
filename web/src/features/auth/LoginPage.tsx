import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { ChevronDown, KeyRound, LogIn } from 'lucide-react';
import { api } from '../../api/endpoints';
import { withQuery } from '../../api/paths';
import { useInstance } from '../../api/queries';
import type { InstanceSso } from '../../api/types';
import { Alert } from '../../components/Alert';
import { AuthShell } from '../../components/AuthShell';
import { Button, buttonClass } from '../../components/Button';
import { TextField } from '../../components/TextField';
import i18n from '../../i18n';
import { cx } from '../../lib/cx';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useFormMutation } from '../../lib/useFormErrors';
import { afterLoginTarget, type LoginState } from './guards';
import { startSession } from './session';

const FIELDS = ['username', 'password'] as const;

/**
 * Why single sign-on sent the browser back here (`/connexion?sso=<code>`, docs/api-auth.md), in
 * French; a code this version does not know gets a general sentence.
 */
export function ssoErrorMessage(code: string): string {
  const key = `auth.login.ssoErrors.${code}`;
  return /^[a-z_]+$/.test(code) && i18n.exists(key)
    ? i18n.t(key as 'auth.login.ssoErrors.other')
    : i18n.t('auth.login.ssoErrors.other');
}

/** The provider's sign-in address, coming back to `target` (a local path) afterwards. */
export function ssoHref(sso: InstanceSso, target: string): string {
  return withQuery(sso.start, { return_to: target });
}

/** On success the session starts; the GuestOnly guard then leaves the page. */
export function LoginForm({ secondary = false }: { secondary?: boolean }) {
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
        variant={secondary ? 'secondary' : 'primary'}
        busy={busy}
        busyLabel={t('auth.login.submitting')}
        icon={<LogIn aria-hidden="true" className="size-4" />}
      >
        {t('auth.login.submit')}
      </Button>
    </form>
  );
}

/**
 * The password form behind a disclosure, when passwords are off for everyone but the break-glass
 * administrator. Opening it moves the focus to the first field.
 */
function BreakGlassLogin() {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) panel.current?.querySelector('input')?.focus();
  }, [open]);

  return (
    <div className="flex flex-col gap-4">
      <div className="border-t border-stone-200 pt-4 dark:border-stone-800">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={`${id}-panel`}
          onClick={() => setOpen((o) => !o)}
          className="flex min-h-10 w-full items-center gap-2 rounded-md px-2 py-2 text-left text-sm font-semibold text-stone-700 hover:bg-stone-200/70 dark:text-stone-200 dark:hover:bg-stone-800"
        >
          <ChevronDown aria-hidden="true" className={cx('size-4 shrink-0 transition-transform', open && 'rotate-180')} />
          {t('auth.login.breakGlass')}
        </button>
      </div>
      <div id={`${id}-panel`} ref={panel} hidden={!open}>
        {open && (
          <div className="flex flex-col gap-4">
            <p className="text-sm text-stone-600 dark:text-stone-400">{t('auth.login.breakGlassHint')}</p>
            <LoginForm secondary />
          </div>
        )}
      </div>
    </div>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.login.title'));
  const location = useLocation();
  const state = (location.state ?? {}) as LoginState;
  const [params] = useSearchParams();
  const ssoError = params.get('sso');
  const { data: instance } = useInstance();
  const sso = instance?.sso;
  // Older servers do not say: passwords sign in. Without a provider, the form is the only way in.
  const passwordsOff = instance?.local_login === false && sso !== undefined;

  return (
    <AuthShell>
      <h1 className="text-2xl font-bold">{t('auth.login.title')}</h1>
      <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">{t('auth.login.intro')}</p>
      {state.notice === 'expired' && (
        <Alert tone="info" className="mt-4">
          {t('auth.login.sessionExpired')}
        </Alert>
      )}
      {/* After a logout at the provider, it sends the browser back with ?state=deconnexion. */}
      {(state.notice === 'loggedOut' || params.get('state') === 'deconnexion') && (
        <Alert tone="success" className="mt-4">
          {t('auth.login.loggedOut')}
        </Alert>
      )}
      {ssoError !== null && (
        <Alert className="mt-4">{ssoErrorMessage(ssoError)}</Alert>
      )}
      {sso && (
        <div className="mt-6">
          {/* A plain link: the server answers with a redirect to the provider. */}
          <a href={ssoHref(sso, afterLoginTarget(location.state))} className={buttonClass('primary', 'w-full')}>
            <KeyRound aria-hidden="true" className="size-4" />
            <span>{t('auth.login.sso', { name: sso.display_name })}</span>
          </a>
        </div>
      )}
      {instance?.proxy_sign_in && (
        <div className="mt-4">
          {/* A plain link: the server signs in whom the proxy names, then redirects. */}
          <a
            href={withQuery(instance.proxy_sign_in, { return_to: afterLoginTarget(location.state) })}
            className={buttonClass('secondary', 'w-full')}
          >
            <span>{t('auth.login.proxy')}</span>
          </a>
        </div>
      )}
      {passwordsOff ? (
        <div className="mt-6">
          <BreakGlassLogin />
        </div>
      ) : (
        <>
          {sso && (
            <p className="mt-6 flex items-center gap-3 text-sm text-stone-600 dark:text-stone-400">
              <span aria-hidden="true" className="h-px flex-1 bg-stone-200 dark:bg-stone-700" />
              {t('auth.login.or')}
              <span aria-hidden="true" className="h-px flex-1 bg-stone-200 dark:bg-stone-700" />
            </p>
          )}
          <div className={sso ? 'mt-4' : 'mt-6'}>
            <LoginForm secondary={sso !== undefined} />
          </div>
        </>
      )}
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

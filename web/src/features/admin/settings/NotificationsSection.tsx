import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Send } from 'lucide-react';
import { useMe } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { CheckboxField } from '../../../components/CheckboxField';
import { TextField } from '../../../components/TextField';
import { useFormMutation } from '../../../lib/useFormErrors';
import { validateEmail } from '../../../lib/validation';
import { settingsApi, type NotificationSettings, type SettingsUpdate, type SmtpTest } from './api';
import { SecretField, SectionFooter, TestOutcome, useSectionSave, type TestState } from './fields';

const FIELDS = [
  'notifications.smtp_host',
  'notifications.smtp_port',
  'notifications.smtp_username',
  'notifications.smtp_password',
  'notifications.smtp_from',
  'notifications.smtp_starttls',
  'notifications.smtp_verify_tls',
] as const;

const TEST_FIELDS = ['to'] as const;

export const PORT_MIN = 1;
export const PORT_MAX = 65535;

/** A whole port number between 1 and 65535, or null. */
export function parsePort(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= PORT_MIN && n <= PORT_MAX ? n : null;
}

/**
 * "E-mails et webhooks": the SMTP server that sends the notification e-mails. Whether webhooks
 * may reach local addresses is "Général" → "Autoriser les adresses locales et privées".
 */
export function NotificationsSection({ initial, titleId }: { initial: NotificationSettings; titleId: string }) {
  const { t } = useTranslation();
  const [host, setHost] = useState(initial.smtp_host);
  const [port, setPort] = useState(String(initial.smtp_port));
  const [username, setUsername] = useState(initial.smtp_username);
  // Empty = keep the stored password.
  const [password, setPassword] = useState('');
  const [passwordSet, setPasswordSet] = useState(initial.smtp_password_set);
  const [from, setFrom] = useState(initial.smtp_from);
  const [starttls, setStarttls] = useState(initial.smtp_starttls);
  const [verifyTls, setVerifyTls] = useState(initial.smtp_verify_tls);
  const form = useSectionSave(FIELDS);
  const { fieldErrors, formError, fieldRef, alertRef, edited } = form;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.busy) return;
    const portNumber = parsePort(port);
    const local =
      portNumber === null ? { 'notifications.smtp_port': t('adminSettings.notifications.portInvalid') } : {};
    const body: SettingsUpdate = {
      notifications: {
        smtp_host: host.trim(),
        ...(portNumber !== null ? { smtp_port: portNumber } : {}),
        smtp_username: username,
        ...(password !== '' ? { smtp_password: password } : {}),
        smtp_from: from.trim(),
        smtp_starttls: starttls,
        smtp_verify_tls: verifyTls,
      },
    };
    form.save(local, body, (s) => {
      const n = s.notifications;
      setHost(n.smtp_host);
      setPort(String(n.smtp_port));
      setUsername(n.smtp_username);
      setPassword('');
      setPasswordSet(n.smtp_password_set);
      setFrom(n.smtp_from);
      setStarttls(n.smtp_starttls);
      setVerifyTls(n.smtp_verify_tls);
    });
  }

  return (
    <div className="flex flex-col gap-6">
      <form noValidate onSubmit={submit} aria-labelledby={titleId} className="flex flex-col gap-4">
        {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_8rem]">
          <TextField
            label={t('adminSettings.notifications.host')}
            hint={t('adminSettings.notifications.hostHint')}
            name="smtp-host"
            autoComplete="off"
            spellCheck={false}
            value={host}
            onChange={(e) => {
              setHost(e.target.value);
              edited();
            }}
            error={fieldErrors['notifications.smtp_host']}
            inputRef={fieldRef('notifications.smtp_host')}
          />
          <TextField
            label={t('adminSettings.notifications.port')}
            hint={t('adminSettings.notifications.portHint')}
            name="smtp-port"
            type="number"
            inputMode="numeric"
            min={PORT_MIN}
            max={PORT_MAX}
            step={1}
            value={port}
            onChange={(e) => {
              setPort(e.target.value);
              edited();
            }}
            error={fieldErrors['notifications.smtp_port']}
            inputRef={fieldRef('notifications.smtp_port')}
          />
        </div>
        <TextField
          label={t('adminSettings.notifications.username')}
          hint={t('adminSettings.notifications.usernameHint')}
          name="smtp-username"
          autoComplete="off"
          spellCheck={false}
          value={username}
          onChange={(e) => {
            setUsername(e.target.value);
            edited();
          }}
          error={fieldErrors['notifications.smtp_username']}
          inputRef={fieldRef('notifications.smtp_username')}
        />
        <SecretField
          label={t('adminSettings.notifications.password')}
          name="smtp-password"
          isSet={passwordSet}
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            edited();
          }}
          error={fieldErrors['notifications.smtp_password']}
          inputRef={fieldRef('notifications.smtp_password')}
        />
        <TextField
          label={t('adminSettings.notifications.from')}
          hint={t('adminSettings.notifications.fromHint')}
          name="smtp-from"
          autoComplete="off"
          spellCheck={false}
          value={from}
          onChange={(e) => {
            setFrom(e.target.value);
            edited();
          }}
          error={fieldErrors['notifications.smtp_from']}
          inputRef={fieldRef('notifications.smtp_from')}
        />
        <CheckboxField
          label={t('adminSettings.notifications.starttls')}
          hint={t('adminSettings.notifications.starttlsHint')}
          name="smtp-starttls"
          checked={starttls}
          onChange={(v) => {
            setStarttls(v);
            edited();
          }}
          error={fieldErrors['notifications.smtp_starttls']}
          inputRef={fieldRef('notifications.smtp_starttls')}
        />
        <CheckboxField
          label={t('adminSettings.notifications.verifyTls')}
          hint={t('adminSettings.notifications.verifyTlsHint')}
          name="smtp-verify-tls"
          checked={verifyTls}
          onChange={(v) => {
            setVerifyTls(v);
            edited();
          }}
          error={fieldErrors['notifications.smtp_verify_tls']}
          inputRef={fieldRef('notifications.smtp_verify_tls')}
        />
        {!verifyTls && <Alert tone="warning">{t('adminSettings.notifications.verifyTlsOff')}</Alert>}
        <SectionFooter busy={form.busy} saved={form.saved} savedText={t('adminSettings.notifications.saved')} />
      </form>
      <TestEmail />
    </div>
  );
}

/**
 * "Envoyer un e-mail de test": its own little form (Enter in the address sends the test, not
 * the settings). The server uses the saved settings; the address defaults to the admin's own.
 */
function TestEmail() {
  const { t } = useTranslation();
  const id = useId();
  const { data: me } = useMe();
  const ownEmail = me?.email?.trim() ?? '';
  const [to, setTo] = useState('');
  // 422 `email_required` goes next to the address; anything else at the top.
  const { fieldErrors, formError, fieldRef, alertRef, validate, mutation, busy } = useFormMutation(TEST_FIELDS, {
    mutationFn: (address: string | undefined) => settingsApi.testSmtp(address),
  });
  const state: TestState<SmtpTest> = mutation.isSuccess ? { status: 'done', result: mutation.data } : { status: 'idle' };

  function send(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    mutation.reset();
    if (validate({ to: validateEmail(to) })) mutation.mutate(to.trim() || undefined);
  }

  return (
    <form
      noValidate
      onSubmit={send}
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-3 border-t border-stone-200 pt-4 dark:border-stone-800"
    >
      <div>
        <h3 id={`${id}-title`} className="text-base font-semibold">
          {t('adminSettings.notifications.testTitle')}
        </h3>
        <p className="text-sm text-stone-600 dark:text-stone-400">{t('adminSettings.notifications.testHint')}</p>
      </div>
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('adminSettings.notifications.testTo')}
        hint={
          ownEmail
            ? t('adminSettings.notifications.testToHint', { email: ownEmail })
            : t('adminSettings.notifications.testToHintNoEmail')
        }
        optional
        name="smtp-test-to"
        type="email"
        autoComplete="off"
        spellCheck={false}
        className="sm:max-w-md"
        value={to}
        onChange={(e) => setTo(e.target.value)}
        error={fieldErrors.to}
        inputRef={fieldRef('to')}
      />
      <div>
        <Button
          type="submit"
          variant="secondary"
          busy={busy}
          busyLabel={t('adminSettings.notifications.testSending')}
          icon={<Send aria-hidden="true" className="size-4" />}
        >
          {t('adminSettings.notifications.test')}
        </Button>
      </div>
      <TestOutcome state={state} success={(r) => <p>{t('adminSettings.notifications.testOk', { to: r.to })}</p>} />
    </form>
  );
}

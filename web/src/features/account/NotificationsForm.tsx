import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { Save } from 'lucide-react';
import { queryKeys } from '../../api/queries';
import type { User } from '../../api/types';
import { Alert } from '../../components/Alert';
import { CheckboxField } from '../../components/CheckboxField';
import { SaveFooter } from '../../components/SaveFooter';
import { TextField } from '../../components/TextField';
import { useFormMutation } from '../../lib/useFormErrors';
import { accountApi } from './api';

const FIELDS = ['notify_email', 'webhook_url'] as const;

/** '' or an http(s) address; anything else is refused before asking the server. */
export function isWebhookUrl(text: string): boolean {
  const s = text.trim();
  if (s === '') return true;
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    const url = new URL(s);
    return url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The user's notification channels (`PATCH /api/me` `notify_email`, `webhook_url`):
 * e-mail needs the account's saved address, the webhook is any http(s) address.
 */
export function NotificationsForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  // The saved address (the profile form updates the cached account when it saves one).
  const email = user.email?.trim() ?? '';
  const hasEmail = email !== '';
  const [notifyEmail, setNotifyEmail] = useState(user.notify_email === true);
  const [webhook, setWebhook] = useState(user.webhook_url ?? '');
  const [saved, setSaved] = useState(false);
  const { fieldErrors, formError, fieldRef, alertRef, validate, mutate, busy } = useFormMutation(FIELDS, {
    mutationFn: accountApi.updateChannels,
    onSuccess: (updated: User) => {
      client.setQueryData(queryKeys.me, updated);
      setNotifyEmail(updated.notify_email === true);
      setWebhook(updated.webhook_url ?? '');
      setSaved(true);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setSaved(false);
    const valid = validate({
      webhook_url: isWebhookUrl(webhook) ? undefined : t('account.notifications.webhookInvalid'),
    });
    if (valid) mutate({ notify_email: hasEmail && notifyEmail, webhook_url: webhook.trim() || null });
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <CheckboxField
        label={t('account.notifications.email')}
        hint={
          hasEmail
            ? t('account.notifications.emailHint', { email })
            : t('account.notifications.emailNeedsAddress')
        }
        name="notify_email"
        checked={hasEmail && notifyEmail}
        disabled={!hasEmail}
        onChange={(v) => {
          setNotifyEmail(v);
          setSaved(false);
        }}
        error={fieldErrors.notify_email}
        inputRef={fieldRef('notify_email')}
      />
      <TextField
        label={t('account.notifications.webhook')}
        hint={t('account.notifications.webhookHint')}
        name="webhook_url"
        optional
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="https://gotify.example/message?token=…"
        value={webhook}
        onChange={(e) => {
          setWebhook(e.target.value);
          setSaved(false);
        }}
        error={fieldErrors.webhook_url}
        inputRef={fieldRef('webhook_url')}
      />
      <SaveFooter
        saved={saved}
        savedText={t('account.notifications.saved')}
        busy={busy}
        label={t('account.notifications.submit')}
        busyLabel={t('account.notifications.submitting')}
        icon={<Save aria-hidden="true" className="size-4" />}
      />
    </form>
  );
}

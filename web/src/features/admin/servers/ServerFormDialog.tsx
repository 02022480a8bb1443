import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Save } from 'lucide-react';
import { ApiError } from '../../../api/client';
import { api } from '../../../api/endpoints';
import type { AdminServer, ServerState } from '../../../api/types';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { DialogButtons, ItemDialog } from '../../../components/ItemDialog';
import { SelectField } from '../../../components/SelectField';
import { TextField } from '../../../components/TextField';
import { useFormMutation } from '../../../lib/useFormErrors';
import { SecretField, TestButton, useConnectionTest } from '../settings/fields';
import { ServerTestOutcome } from './ServerTestOutcome';
import { saveServer, useRefreshServers } from './queries';
import {
  DEFAULT_SERVER_ID,
  EMPTY_SERVER_FORM,
  SERVER_FIELDS,
  SERVER_STATES,
  fieldOfError,
  formToInput,
  serverStateLabel,
  serverToForm,
  validateServerForm,
  type ServerForm,
} from './serversView';

/** What the dialog is about: a new server (`server` null) or an existing one. */
export interface ServerFormTarget {
  server: AdminServer | null;
}

/** A refusal named by its code only (`name_taken`…) goes next to its field, like one naming it. */
function withField(e: unknown): unknown {
  if (!(e instanceof ApiError) || e.field) return e;
  const field = fieldOfError(e.code);
  return field ? new ApiError(e.status, e.code, e.message, field, e.retryAfter) : e;
}

/** "Ajouter un serveur" and "Modifier le serveur « X »": one form for both. */
export function ServerFormDialog({
  target,
  onClose,
  onSaved,
}: {
  target: ServerFormTarget | null;
  onClose: () => void;
  onSaved: (s: AdminServer, created: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <ItemDialog
      item={target}
      itemKey={(x) => x.server?.id ?? 'new'}
      onClose={onClose}
      wide
      title={(x) =>
        x.server ? t('adminServers.form.editTitle', { name: x.server.name }) : t('adminServers.form.createTitle')
      }
    >
      {(x) => <ServerFormBody server={x.server} onClose={onClose} onSaved={onSaved} />}
    </ItemDialog>
  );
}

function ServerFormBody({
  server,
  onClose,
  onSaved,
}: {
  server: AdminServer | null;
  onClose: () => void;
  onSaved: (s: AdminServer, created: boolean) => void;
}) {
  const { t } = useTranslation();
  const refresh = useRefreshServers();
  const [form, setForm] = useState<ServerForm>(() => (server ? serverToForm(server) : EMPTY_SERVER_FORM));
  const { fieldErrors, formError, fieldRef, alertRef, validate, mutate, busy } = useFormMutation(SERVER_FIELDS, {
    mutationFn: (input: Parameters<typeof saveServer>[0]) =>
      saveServer(input).catch((e: unknown) => {
        throw withField(e);
      }),
    onSuccess: (saved) => {
      void refresh();
      onSaved(saved, server === null);
    },
  });
  // The values typed, even unsaved; without a new password, the stored one (`id`).
  const test = useConnectionTest(() =>
    api.testServer({
      url: form.url.trim(),
      username: form.username,
      ...(form.password !== '' ? { password: form.password } : {}),
      ...(server ? { id: server.id } : {}),
    }),
  );

  const set = (patch: Partial<ServerForm>) => setForm((f) => ({ ...f, ...patch }));

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!validate(validateServerForm(form))) return;
    mutate({ id: server?.id ?? null, input: formToInput(form) });
  }

  const text = (field: Exclude<keyof ServerForm, 'password' | 'state'>, label: string, hint?: string, url = false) => (
    <TextField
      label={label}
      hint={hint}
      name={`server-${field.replace(/_/g, '-')}`}
      autoComplete="off"
      spellCheck={false}
      {...(url ? { type: 'url', inputMode: 'url' as const } : {})}
      value={form[field]}
      onChange={(e) => set({ [field]: e.target.value })}
      error={fieldErrors[field]}
      inputRef={fieldRef(field)}
    />
  );

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      {server?.id === DEFAULT_SERVER_ID && <Alert tone="info">{t('adminServers.form.defaultNote')}</Alert>}
      {text('name', t('adminServers.form.name'), t('adminServers.form.nameHint'))}
      {text('url', t('adminServers.form.url'), t('adminServers.form.urlHint'), true)}
      <div className="grid gap-4 sm:grid-cols-2">
        {text('username', t('adminServers.form.username'))}
        <SecretField
          isSet={server?.password_set ?? false}
          label={t('adminServers.form.password')}
          name="server-password"
          value={form.password}
          onChange={(e) => set({ password: e.target.value })}
          error={fieldErrors.password}
          inputRef={fieldRef('password')}
        />
      </div>
      {text('download_root', t('adminServers.form.root'), t('adminServers.form.rootHint'))}
      {text('download_base_url', t('adminServers.form.baseUrl'), t('adminServers.form.baseUrlHint'), true)}
      <SelectField
        label={t('adminServers.form.state')}
        hint={t('adminServers.form.stateHint')}
        name="server-state"
        value={form.state}
        onChange={(e) => set({ state: e.target.value as ServerState })}
      >
        {SERVER_STATES.map((s) => (
          <option key={s} value={s}>
            {serverStateLabel(s)}
          </option>
        ))}
      </SelectField>
      <div className="flex flex-col gap-2">
        <div>
          <TestButton test={test}>{t('adminServers.form.test')}</TestButton>
        </div>
        <p className="text-sm text-stone-600 dark:text-stone-400">{t('adminServers.form.testHint')}</p>
        <ServerTestOutcome state={test.state} />
      </div>
      <DialogButtons>
        <Button variant="secondary" onClick={onClose}>
          {t('adminServers.form.cancel')}
        </Button>
        <Button
          type="submit"
          busy={busy}
          busyLabel={t('adminServers.form.submitting')}
          icon={<Save aria-hidden="true" className="size-4" />}
        >
          {server ? t('adminServers.form.submitEdit') : t('adminServers.form.submitCreate')}
        </Button>
      </DialogButtons>
    </form>
  );
}

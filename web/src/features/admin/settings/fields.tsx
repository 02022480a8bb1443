import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { PlugZap, Save } from 'lucide-react';
import { errorMessage } from '../../../api/client';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { SaveFooter } from '../../../components/SaveFooter';
import { TextField, type TextFieldProps } from '../../../components/TextField';
import { useFormMutation, type FieldErrors } from '../../../lib/useFormErrors';
import { settingsApi, settingsKeys, type AdminSettings, type SettingsUpdate, type TestFailure } from './api';

/**
 * A stored secret: never shown, never prefilled. Empty means "keep the stored value",
 * hence the "••••• (inchangé)" placeholder when one is set. `new-password` keeps the
 * browser from filling in the administrator's own password.
 */
export function SecretField({
  isSet,
  hint,
  ...rest
}: Omit<TextFieldProps, 'type' | 'placeholder'> & { isSet: boolean }) {
  const { t } = useTranslation();
  const keepHint = isSet ? t('adminSettings.secretKeepHint') : t('adminSettings.secretUnsetHint');
  return (
    <TextField
      type="password"
      autoComplete="new-password"
      spellCheck={false}
      placeholder={isSet ? t('adminSettings.secretSet') : t('adminSettings.secretUnset')}
      hint={hint ? `${hint} ${keepHint}` : keepHint}
      {...rest}
    />
  );
}

/**
 * Saving one section: `PUT /api/admin/settings` with that section only, the answer
 * replaces the cached settings (the other sections' forms keep what is typed in them),
 * 422 errors go next to their field (`"qbittorrent.url"`…).
 */
export function useSectionSave<F extends string>(order: readonly F[]) {
  const client = useQueryClient();
  const [saved, setSaved] = useState(false);
  const form = useFormMutation(order, {
    mutationFn: ({ body }: { body: SettingsUpdate; onSaved: (settings: AdminSettings) => void }) =>
      settingsApi.update(body),
    onSuccess: (settings, { onSaved }) => {
      client.setQueryData(settingsKeys.settings, settings);
      onSaved(settings);
      setSaved(true);
    },
  });
  const { validate, mutate } = form;

  const save = useCallback(
    (local: FieldErrors<F>, body: SettingsUpdate, onSaved: (settings: AdminSettings) => void) => {
      setSaved(false);
      if (validate(local)) mutate({ body, onSaved });
    },
    [validate, mutate],
  );

  /** Any edit hides the "saved" message. */
  const edited = useCallback(() => setSaved(false), []);

  return { ...form, saved, save, edited };
}

/** The section's "Enregistrer" button and its confirmation. */
export function SectionFooter({
  busy,
  saved,
  savedText,
  children,
}: {
  busy: boolean;
  saved: boolean;
  savedText: string;
  /** Other buttons (tests) shown beside "Enregistrer". */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col gap-3">
      <SaveFooter
        saved={saved}
        savedText={savedText}
        busy={busy}
        label={t('adminSettings.save')}
        busyLabel={t('adminSettings.saving')}
        icon={<Save aria-hidden="true" className="size-4" />}
      >
        {children}
      </SaveFooter>
    </div>
  );
}

/** State of a "Tester" button: the answer, or a transport error already in French. */
export type TestState<T> =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'done'; result: T }
  | { status: 'error'; message: string };

/** The outcome of a connection test: success content, or the server's French message. */
export function TestOutcome<T extends { ok: boolean }>({
  state,
  success,
}: {
  state: TestState<T>;
  success: (result: Exclude<T, TestFailure>) => ReactNode;
}) {
  const { t } = useTranslation();
  if (state.status === 'idle' || state.status === 'busy') return null;
  if (state.status === 'error') return <Alert>{state.message}</Alert>;
  const result = state.result;
  if (result.ok) return <Alert tone="success">{success(result as Exclude<T, TestFailure>)}</Alert>;
  const failure = result as unknown as TestFailure;
  return (
    <Alert>
      <p>{failure.message || t('errors.unexpected')}</p>
      {failure.status !== undefined && failure.status !== null && (
        <p>{t('adminSettings.testHttpStatus', { status: failure.status })}</p>
      )}
    </Alert>
  );
}

/** Runs a connection test; a new run replaces the previous outcome. */
export function useConnectionTest<T>(run: () => Promise<T>) {
  const test = useMutation({ mutationFn: run });
  const state: TestState<T> = test.isPending
    ? { status: 'busy' }
    : test.isSuccess
      ? { status: 'done', result: test.data }
      : test.isError
        ? { status: 'error', message: errorMessage(test.error) }
        : { status: 'idle' };
  return { state, start: () => test.mutate(), busy: test.isPending };
}

/** The "Tester" button of a connection test (useConnectionTest): busy while it runs. */
export function TestButton({
  test,
  variant = 'secondary',
  children,
}: {
  test: { start: () => void; busy: boolean };
  variant?: 'primary' | 'secondary';
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Button
      variant={variant}
      onClick={test.start}
      busy={test.busy}
      busyLabel={t('adminSettings.testing')}
      icon={<PlugZap aria-hidden="true" className="size-4" />}
    >
      {children}
    </Button>
  );
}

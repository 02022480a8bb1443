import { useMemo, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../../components/Alert';
import { TextField, type TextFieldProps } from '../../../components/TextField';
import type { AdminSettings, SettingsUpdate, TestFailure } from './api';
import { SecretField, SectionFooter, TestButton, TestOutcome, useConnectionTest, useSectionSave } from './fields';

/** A section of "Réglages" that connects to another service: its fields, "Tester", "Enregistrer". */
type Section = 'qbittorrent' | 'jackett';

/** One field of the section: a setting of `AdminSettings[section]`. */
export interface ConnectionField {
  /** Its name in the section's settings; the server's errors name it `section.key`. */
  key: string;
  label: string;
  hint?: string;
  /**
   * `text`: sent as typed; `url`: trimmed; `secret`: never shown, sent only when typed (whether
   * one is stored is `<key>_set`); `number`: sent when `parse` accepts it, `invalid` otherwise.
   */
  kind: 'text' | 'url' | 'secret' | 'number';
  parse?: (text: string) => number | null;
  invalid?: string;
  /** More of the input's attributes (`min`, `max`, a width…). */
  input?: Partial<TextFieldProps>;
}

const KIND_INPUT: Record<ConnectionField['kind'], Partial<TextFieldProps>> = {
  text: { autoComplete: 'off', spellCheck: false },
  url: { type: 'url', inputMode: 'url', autoComplete: 'off', spellCheck: false },
  secret: {},
  number: { type: 'number', inputMode: 'numeric', step: 1 },
};

type Saved = Record<string, unknown>;

/** The form's values from the saved settings (secrets empty: "keep the stored one"). */
const valuesOf = (fields: readonly ConnectionField[], saved: Saved) =>
  Object.fromEntries(fields.map((f) => [f.key, f.kind === 'secret' ? '' : String(saved[f.key] ?? '')]));

/** What the server gets, for a test or a save: a secret only when one was typed, a number only when valid. */
function inputOf(fields: readonly ConnectionField[], values: Record<string, string>) {
  const out: Record<string, string | number> = {};
  for (const f of fields) {
    const v = values[f.key] ?? '';
    const sent =
      f.kind === 'url' ? v.trim() : f.kind === 'number' ? (f.parse?.(v) ?? null) : f.kind === 'secret' && !v ? null : v;
    if (sent !== null) out[f.key] = sent;
  }
  return out;
}

/**
 * The qBittorrent and Jackett sections: the fields, "Enregistrer" (the section only, errors next
 * to their field) and "Tester" with the unsaved values, then the test's outcome.
 */
export function ConnectionSection<R extends { ok: boolean }>({
  section,
  initial,
  titleId,
  fields,
  test,
  testSuccess,
  notice,
  testHint,
  onSaved,
}: {
  section: Section;
  initial: AdminSettings[Section];
  titleId: string;
  fields: readonly ConnectionField[];
  test: (input: Record<string, string | number>) => Promise<R>;
  testSuccess: (result: Exclude<R, TestFailure>) => ReactNode;
  /** Above the fields. */
  notice?: ReactNode;
  /** Under the buttons. */
  testHint?: ReactNode;
  /** After a save (the section's settings are already in the cache). */
  onSaved?: () => void;
}) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(initial as unknown as Saved);
  const [values, setValues] = useState(() => valuesOf(fields, saved));
  // A section's fields never change: the order of its errors is fixed.
  const order = useMemo(() => fields.map((f) => `${section}.${f.key}`), [section]);
  const form = useSectionSave(order);
  const { fieldErrors, formError, fieldRef, alertRef, edited } = form;
  const runTest = useConnectionTest(() => test(inputOf(fields, values)));

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.busy) return;
    const local = Object.fromEntries(
      fields
        .filter((f) => f.kind === 'number' && f.parse?.(values[f.key] ?? '') === null)
        .map((f) => [`${section}.${f.key}`, f.invalid ?? t('errors.unexpected')]),
    );
    form.save(local, { [section]: inputOf(fields, values) } as SettingsUpdate, (s) => {
      const now = s[section] as unknown as Saved;
      setSaved(now);
      setValues(valuesOf(fields, now));
      onSaved?.();
    });
  }

  return (
    <form noValidate onSubmit={submit} aria-labelledby={titleId} className="flex flex-col gap-4">
      {notice}
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      {fields.map((f) => {
        const name = `${section}.${f.key}`;
        const props = {
          label: f.label,
          hint: f.hint,
          name: `${section}-${f.key.replace(/_/g, '-')}`,
          value: values[f.key] ?? '',
          onChange: (e: ChangeEvent<HTMLInputElement>) => {
            const v = e.target.value;
            setValues((old) => ({ ...old, [f.key]: v }));
            edited();
          },
          error: fieldErrors[name],
          inputRef: fieldRef(name),
        };
        return f.kind === 'secret' ? (
          <SecretField key={f.key} isSet={saved[`${f.key}_set`] === true} {...props} />
        ) : (
          <TextField key={f.key} {...KIND_INPUT[f.kind]} {...f.input} {...props} />
        );
      })}
      <SectionFooter busy={form.busy} saved={form.saved} savedText={t(`adminSettings.${section}.saved`)}>
        <TestButton test={runTest}>{t(`adminSettings.${section}.test`)}</TestButton>
      </SectionFooter>
      {testHint}
      <TestOutcome state={runTest.state} success={testSuccess} />
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PlugZap } from 'lucide-react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { TextField } from '../../../components/TextField';
import { settingsApi, type JackettSettings, type JackettTestInput } from './api';
import { SecretField, SectionFooter, TestOutcome, useConnectionTest, useSectionSave } from './fields';

const FIELDS = ['jackett.url', 'jackett.api_key', 'jackett.timeout'] as const;

export const TIMEOUT_MIN = 1;
export const TIMEOUT_MAX = 300;

/** Whole seconds between 1 and 300, or null. */
export function parseTimeout(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= TIMEOUT_MIN && n <= TIMEOUT_MAX ? n : null;
}

export function JackettSection({ initial, titleId }: { initial: JackettSettings; titleId: string }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState(initial.url);
  const [apiKey, setApiKey] = useState('');
  const [apiKeySet, setApiKeySet] = useState(initial.api_key_set);
  const [timeout, setTimeoutText] = useState(String(initial.timeout));
  const form = useSectionSave(FIELDS);
  const { fieldErrors, formError, fieldRef, alertRef, edited } = form;

  function current(): JackettTestInput {
    const seconds = parseTimeout(timeout);
    return {
      url: url.trim(),
      ...(apiKey !== '' ? { api_key: apiKey } : {}),
      ...(seconds !== null ? { timeout: seconds } : {}),
    };
  }

  const test = useConnectionTest(() => settingsApi.testJackett(current()));

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.busy) return;
    const local = parseTimeout(timeout) === null ? { 'jackett.timeout': t('adminSettings.jackett.timeoutInvalid') } : {};
    form.save(local, { jackett: current() }, (s) => {
      setUrl(s.jackett.url);
      setApiKey('');
      setApiKeySet(s.jackett.api_key_set);
      setTimeoutText(String(s.jackett.timeout));
    });
  }

  return (
    <form noValidate onSubmit={submit} aria-labelledby={titleId} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('adminSettings.jackett.url')}
        hint={t('adminSettings.jackett.urlHint')}
        name="jackett-url"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        value={url}
        onChange={(e) => {
          setUrl(e.target.value);
          edited();
        }}
        error={fieldErrors['jackett.url']}
        inputRef={fieldRef('jackett.url')}
      />
      <SecretField
        label={t('adminSettings.jackett.apiKey')}
        name="jackett-api-key"
        isSet={apiKeySet}
        value={apiKey}
        onChange={(e) => {
          setApiKey(e.target.value);
          edited();
        }}
        error={fieldErrors['jackett.api_key']}
        inputRef={fieldRef('jackett.api_key')}
      />
      <TextField
        label={t('adminSettings.jackett.timeout')}
        hint={t('adminSettings.jackett.timeoutHint')}
        name="jackett-timeout"
        type="number"
        inputMode="numeric"
        min={TIMEOUT_MIN}
        max={TIMEOUT_MAX}
        step={1}
        className="sm:max-w-xs"
        value={timeout}
        onChange={(e) => {
          setTimeoutText(e.target.value);
          edited();
        }}
        error={fieldErrors['jackett.timeout']}
        inputRef={fieldRef('jackett.timeout')}
      />
      <SectionFooter busy={form.busy} saved={form.saved} savedText={t('adminSettings.jackett.saved')}>
        <Button
          variant="secondary"
          onClick={() => void test.start()}
          busy={test.busy}
          busyLabel={t('adminSettings.testing')}
          icon={<PlugZap aria-hidden="true" className="size-4" />}
        >
          {t('adminSettings.jackett.test')}
        </Button>
      </SectionFooter>
      <TestOutcome
        state={test.state}
        success={(r) =>
          r.indexers.length === 0 ? (
            <p>{t('adminSettings.jackett.testNone')}</p>
          ) : (
            <>
              <p>{t('adminSettings.jackett.testOk', { count: r.indexers.length })}</p>
              <ul className="mt-1 list-disc pl-5" aria-label={t('adminSettings.jackett.indexers')}>
                {r.indexers.map((i) => (
                  <li key={i.id}>{i.name}</li>
                ))}
              </ul>
            </>
          )
        }
      />
    </form>
  );
}

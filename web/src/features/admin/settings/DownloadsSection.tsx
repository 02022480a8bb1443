import { useId, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link2 } from 'lucide-react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { CheckboxField } from '../../../components/CheckboxField';
import { CopyButton } from '../../../components/CopyButton';
import { TextField } from '../../../components/TextField';
import { settingsApi, type DownloadsSettings, type SettingsUpdate } from './api';
import { SecretField, SectionFooter, TestOutcome, useConnectionTest, useSectionSave } from './fields';

const FIELDS = [
  'downloads.base_url',
  'downloads.root',
  'downloads.secret',
  'downloads.ttl',
  'downloads.bind_ip',
  'downloads.direct',
] as const;

export const TTL_MIN = 60;
export const TTL_MAX = 30 * 24 * 3600;
export const SECRET_MIN = 16;

/** Seconds shown as hours and minutes (`21600` → 6 h 0 min; seconds below a minute are not shown). */
export function splitTtl(seconds: number): { hours: string; minutes: string } {
  const s = Math.max(0, Math.floor(seconds));
  return { hours: String(Math.floor(s / 3600)), minutes: String(Math.floor((s % 3600) / 60)) };
}

/** Hours and minutes typed → seconds, or null when not whole numbers within 1 min … 30 days. */
export function joinTtl(hours: string, minutes: string): number | null {
  const h = hours.trim() === '' ? 0 : Number(hours);
  const m = minutes.trim() === '' ? 0 : Number(minutes);
  if (!Number.isInteger(h) || !Number.isInteger(m) || h < 0 || m < 0 || m > 59) return null;
  const total = h * 3600 + m * 60;
  return total >= TTL_MIN && total <= TTL_MAX ? total : null;
}

export function DownloadsSection({ initial, titleId }: { initial: DownloadsSettings; titleId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [baseUrl, setBaseUrl] = useState(initial.base_url);
  const [root, setRoot] = useState(initial.root);
  const [secret, setSecret] = useState('');
  const [secretSet, setSecretSet] = useState(initial.secret_set);
  // The stored value and its hours/minutes: untouched fields send it back as it was (even with seconds).
  const [storedTtl, setStoredTtl] = useState(initial.ttl);
  const [hours, setHours] = useState(splitTtl(initial.ttl).hours);
  const [minutes, setMinutes] = useState(splitTtl(initial.ttl).minutes);
  const [bindIp, setBindIp] = useState(initial.bind_ip);
  const [direct, setDirect] = useState(initial.direct);
  const form = useSectionSave(FIELDS);
  const { fieldErrors, formError, fieldRef, alertRef, edited } = form;
  const test = useConnectionTest(() => settingsApi.testDownloads());

  function ttlSeconds(): number | null {
    const stored = splitTtl(storedTtl);
    if (hours === stored.hours && minutes === stored.minutes) return storedTtl;
    return joinTtl(hours, minutes);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.busy) return;
    const ttl = ttlSeconds();
    const local: Partial<Record<(typeof FIELDS)[number], string>> = {};
    if (secret !== '' && [...secret].length < SECRET_MIN) local['downloads.secret'] = t('adminSettings.downloads.secretTooShort');
    if (ttl === null) local['downloads.ttl'] = t('adminSettings.downloads.ttlInvalid');
    const body: SettingsUpdate = {
      downloads: {
        base_url: baseUrl.trim(),
        root: root.trim(),
        ...(secret !== '' ? { secret } : {}),
        ...(ttl !== null ? { ttl } : {}),
        bind_ip: bindIp,
        direct,
      },
    };
    form.save(local, body, (s) => {
      const d = s.downloads;
      setBaseUrl(d.base_url);
      setRoot(d.root);
      setSecret('');
      setSecretSet(d.secret_set);
      setStoredTtl(d.ttl);
      setHours(splitTtl(d.ttl).hours);
      setMinutes(splitTtl(d.ttl).minutes);
      setBindIp(d.bind_ip);
      setDirect(d.direct);
    });
  }

  const ttlError = fieldErrors['downloads.ttl'];
  const ttlDescribedBy = [ttlError && `${id}-ttl-error`, `${id}-ttl-hint`].filter(Boolean).join(' ');

  return (
    <form noValidate onSubmit={submit} aria-labelledby={titleId} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('adminSettings.downloads.baseUrl')}
        hint={t('adminSettings.downloads.baseUrlHint')}
        name="downloads-base-url"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        value={baseUrl}
        onChange={(e) => {
          setBaseUrl(e.target.value);
          edited();
        }}
        error={fieldErrors['downloads.base_url']}
        inputRef={fieldRef('downloads.base_url')}
      />
      <TextField
        label={t('adminSettings.downloads.root')}
        hint={t('adminSettings.downloads.rootHint')}
        name="downloads-root"
        autoComplete="off"
        spellCheck={false}
        value={root}
        onChange={(e) => {
          setRoot(e.target.value);
          edited();
        }}
        error={fieldErrors['downloads.root']}
        inputRef={fieldRef('downloads.root')}
      />
      <SecretField
        label={t('adminSettings.downloads.secret')}
        hint={t('adminSettings.downloads.secretHint')}
        name="downloads-secret"
        isSet={secretSet}
        value={secret}
        onChange={(e) => {
          setSecret(e.target.value);
          edited();
        }}
        error={fieldErrors['downloads.secret']}
        inputRef={fieldRef('downloads.secret')}
      />
      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-medium text-stone-800 dark:text-stone-200">
          {t('adminSettings.downloads.ttl')}
        </legend>
        <div className="mt-1 flex gap-3">
          <TextField
            label={t('adminSettings.downloads.ttlHours')}
            name="downloads-ttl-hours"
            type="number"
            inputMode="numeric"
            min={0}
            max={TTL_MAX / 3600}
            step={1}
            className="w-28"
            value={hours}
            onChange={(e) => {
              setHours(e.target.value);
              edited();
            }}
            aria-invalid={ttlError ? true : undefined}
            aria-describedby={ttlDescribedBy}
            inputRef={fieldRef('downloads.ttl')}
          />
          <TextField
            label={t('adminSettings.downloads.ttlMinutes')}
            name="downloads-ttl-minutes"
            type="number"
            inputMode="numeric"
            min={0}
            max={59}
            step={1}
            className="w-28"
            value={minutes}
            onChange={(e) => {
              setMinutes(e.target.value);
              edited();
            }}
            aria-invalid={ttlError ? true : undefined}
            aria-describedby={ttlDescribedBy}
          />
        </div>
        {ttlError && (
          <p id={`${id}-ttl-error`} className="text-sm font-medium text-red-700 dark:text-red-300">
            {ttlError}
          </p>
        )}
        <p id={`${id}-ttl-hint`} className="text-sm text-stone-600 dark:text-stone-400">
          {t('adminSettings.downloads.ttlHint')}
        </p>
      </fieldset>
      <CheckboxField
        label={t('adminSettings.downloads.bindIp')}
        hint={t('adminSettings.downloads.bindIpHint')}
        name="downloads-bind-ip"
        checked={bindIp}
        onChange={(v) => {
          setBindIp(v);
          edited();
        }}
        error={fieldErrors['downloads.bind_ip']}
        inputRef={fieldRef('downloads.bind_ip')}
      />
      <CheckboxField
        label={t('adminSettings.downloads.direct')}
        hint={t('adminSettings.downloads.directHint')}
        name="downloads-direct"
        checked={direct}
        onChange={(v) => {
          setDirect(v);
          edited();
        }}
        error={fieldErrors['downloads.direct']}
        inputRef={fieldRef('downloads.direct')}
      />
      <SectionFooter busy={form.busy} saved={form.saved} savedText={t('adminSettings.downloads.saved')}>
        <Button
          variant="secondary"
          onClick={() => void test.start()}
          busy={test.busy}
          busyLabel={t('adminSettings.testing')}
          icon={<Link2 aria-hidden="true" className="size-4" />}
        >
          {t('adminSettings.downloads.test')}
        </Button>
      </SectionFooter>
      <p className="text-sm text-stone-600 dark:text-stone-400">{t('adminSettings.downloads.testHint')}</p>
      <TestOutcome
        state={test.state}
        success={(r) => (
          <>
            <p>{t('adminSettings.downloads.testOk', { status: r.status, file: r.file })}</p>
            {r.url && (
              <a href={r.url} target="_blank" rel="noreferrer" className="font-medium underline underline-offset-2">
                {t('adminSettings.downloads.testOpen')}
              </a>
            )}
          </>
        )}
      />
      <NginxSnippet snippet={initial.nginx_snippet} />
    </form>
  );
}

/** The server's nginx configuration, to paste by hand (read-only). */
function NginxSnippet({ snippet }: { snippet: string }) {
  const { t } = useTranslation();
  const id = useId();
  if (!snippet) return null;
  return (
    <div className="flex flex-col gap-2 border-t border-stone-200 pt-4 dark:border-stone-800">
      <div className="flex items-center justify-between gap-3">
        <h3 id={`${id}-title`} className="text-base font-semibold">
          {t('adminSettings.downloads.snippet')}
        </h3>
        <CopyButton text={snippet} label={t('adminSettings.downloads.snippetCopy')} />
      </div>
      <p id={`${id}-note`} className="text-sm text-stone-600 dark:text-stone-400">
        <Trans
          i18nKey="adminSettings.downloads.snippetNote"
          components={{ code: <code className="rounded bg-stone-100 px-1 font-mono text-xs dark:bg-stone-800" /> }}
        />
      </p>
      <pre
        // Scrollable: reachable with the keyboard, named by its heading.
        tabIndex={0}
        role="region"
        aria-labelledby={`${id}-title`}
        data-testid="nginx-snippet"
        className="max-h-96 overflow-auto rounded-md border border-stone-200 bg-stone-50 p-3 font-mono text-xs leading-relaxed text-stone-800 dark:border-stone-700 dark:bg-stone-950 dark:text-stone-200"
      >
        {snippet}
      </pre>
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { PlugZap } from 'lucide-react';
import { queryKeys } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { TextField } from '../../../components/TextField';
import { formatSize } from '../../../lib/format';
import { settingsApi, type QbittorrentSettings, type QbittorrentTestInput } from './api';
import { SecretField, SectionFooter, TestOutcome, useConnectionTest, useSectionSave } from './fields';

const FIELDS = ['qbittorrent.url', 'qbittorrent.username', 'qbittorrent.password'] as const;

export function QbittorrentSection({ initial, titleId }: { initial: QbittorrentSettings; titleId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [url, setUrl] = useState(initial.url);
  const [username, setUsername] = useState(initial.username);
  // Empty = keep the stored password.
  const [password, setPassword] = useState('');
  const [passwordSet, setPasswordSet] = useState(initial.password_set);
  const form = useSectionSave(FIELDS);
  const { fieldErrors, formError, fieldRef, alertRef, edited } = form;

  /** The unsaved values; the password only when one was typed. */
  function current(): QbittorrentTestInput {
    return { url: url.trim(), username, ...(password !== '' ? { password } : {}) };
  }

  const test = useConnectionTest(() => settingsApi.testQbittorrent(current()));

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.busy) return;
    form.save({}, { qbittorrent: current() }, (s) => {
      setUrl(s.qbittorrent.url);
      setUsername(s.qbittorrent.username);
      setPassword('');
      setPasswordSet(s.qbittorrent.password_set);
      // The sync loop reconnects with the new values: the health badge follows.
      void client.invalidateQueries({ queryKey: queryKeys.health });
    });
  }

  return (
    <form noValidate onSubmit={submit} aria-labelledby={titleId} className="flex flex-col gap-4">
      {initial.managed && <Alert tone="info">{t('adminSettings.qbittorrent.managed')}</Alert>}
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('adminSettings.qbittorrent.url')}
        hint={t('adminSettings.qbittorrent.urlHint')}
        name="qbittorrent-url"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        value={url}
        onChange={(e) => {
          setUrl(e.target.value);
          edited();
        }}
        error={fieldErrors['qbittorrent.url']}
        inputRef={fieldRef('qbittorrent.url')}
      />
      <TextField
        label={t('adminSettings.qbittorrent.username')}
        name="qbittorrent-username"
        autoComplete="off"
        spellCheck={false}
        value={username}
        onChange={(e) => {
          setUsername(e.target.value);
          edited();
        }}
        error={fieldErrors['qbittorrent.username']}
        inputRef={fieldRef('qbittorrent.username')}
      />
      <SecretField
        label={t('adminSettings.qbittorrent.password')}
        name="qbittorrent-password"
        isSet={passwordSet}
        value={password}
        onChange={(e) => {
          setPassword(e.target.value);
          edited();
        }}
        error={fieldErrors['qbittorrent.password']}
        inputRef={fieldRef('qbittorrent.password')}
      />
      <SectionFooter busy={form.busy} saved={form.saved} savedText={t('adminSettings.qbittorrent.saved')}>
        <Button
          variant="secondary"
          onClick={() => void test.start()}
          busy={test.busy}
          busyLabel={t('adminSettings.testing')}
          icon={<PlugZap aria-hidden="true" className="size-4" />}
        >
          {t('adminSettings.qbittorrent.test')}
        </Button>
      </SectionFooter>
      <p className="text-sm text-stone-600 dark:text-stone-400">{t('adminSettings.qbittorrent.testHint')}</p>
      <TestOutcome
        state={test.state}
        success={(r) => (
          <>
            <p>{t('adminSettings.qbittorrent.testOk', { version: r.version, api: r.api_version })}</p>
            {typeof r.free_space === 'number' && (
              <p>{t('adminSettings.qbittorrent.freeSpace', { size: formatSize(r.free_space) })}</p>
            )}
          </>
        )}
      />
    </form>
  );
}

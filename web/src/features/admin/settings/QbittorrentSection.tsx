import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { formatSize } from '../../../lib/format';
import { settingsApi, type QbittorrentSettings } from './api';
import { ConnectionSection } from './ConnectionSection';

export function QbittorrentSection({ initial, titleId }: { initial: QbittorrentSettings; titleId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  return (
    <ConnectionSection
      section="qbittorrent"
      initial={initial}
      titleId={titleId}
      notice={initial.managed && <Alert tone="info">{t('adminSettings.qbittorrent.managed')}</Alert>}
      fields={[
        {
          key: 'url',
          kind: 'url',
          label: t('adminSettings.qbittorrent.url'),
          hint: t('adminSettings.qbittorrent.urlHint'),
        },
        { key: 'username', kind: 'text', label: t('adminSettings.qbittorrent.username') },
        { key: 'password', kind: 'secret', label: t('adminSettings.qbittorrent.password') },
      ]}
      test={settingsApi.testQbittorrent}
      testHint={<p className="text-sm text-stone-600 dark:text-stone-400">{t('adminSettings.qbittorrent.testHint')}</p>}
      testSuccess={(r) => (
        <>
          <p>{t('adminSettings.qbittorrent.testOk', { version: r.version, api: r.api_version })}</p>
          {typeof r.free_space === 'number' && (
            <p>{t('adminSettings.qbittorrent.freeSpace', { size: formatSize(r.free_space) })}</p>
          )}
        </>
      )}
      // The sync loop reconnects with the new values: the health badge follows.
      onSaved={() => void client.invalidateQueries({ queryKey: queryKeys.health })}
    />
  );
}

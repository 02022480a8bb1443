import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { Card } from '../../../components/Card';
import { LoadError } from '../../../components/LoadError';
import { Loading } from '../../../components/Loading';
import { SectionNav, type SectionLink } from '../../../components/SectionNav';
import { useDocumentTitle } from '../../../lib/useDocumentTitle';
import { isAdmin } from '../AdminNav';
import { StorageSection } from '../storage/StorageSection';
import { allowPrivateTargets, useAdminSettings } from './api';
import { DownloadsSection } from './DownloadsSection';
import { GeneralSection } from './GeneralSection';
import { JackettSection } from './JackettSection';
import { NotificationsSection } from './NotificationsSection';
import { QbittorrentSection } from './QbittorrentSection';

/**
 * "Réglages" (administrators): five independent forms, each saved on its own, and "Stockage"
 * (the users' folders, moving torrents out of the shared folder), which has its own calls.
 */
export function SettingsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('adminSettings.title'));
  const { data: me } = useMe();
  const admin = isAdmin(me);
  const settings = useAdminSettings(admin);

  const header = (
    <div>
      <h1 className="text-2xl font-bold">{t('adminSettings.title')}</h1>
      <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">{t('adminSettings.intro')}</p>
    </div>
  );

  if (me === undefined) return <Loading />;
  if (!admin) {
    return (
      <div className="flex flex-col gap-4">
        {header}
        <Alert>{t('admin.forbidden')}</Alert>
      </div>
    );
  }

  let body;
  if (settings.isPending) {
    body = <Loading />;
  } else if (settings.isError) {
    body = (
      <LoadError query={settings} />
    );
  } else {
    const s = settings.data;
    const sections: SectionLink[] = [
      { id: 'reglages-qbittorrent', label: t('adminSettings.qbittorrent.title') },
      { id: 'reglages-jackett', label: t('adminSettings.jackett.title') },
      { id: 'reglages-telechargements', label: t('adminSettings.downloads.title') },
      { id: 'reglages-stockage', label: t('adminStorage.title') },
      { id: 'reglages-general', label: t('adminSettings.general.title') },
    ];
    if (s.notifications) sections.push({ id: 'reglages-notifications', label: t('adminSettings.notifications.title') });
    // The page is long (six forms): links to each, beside them on wide screens, above on phones.
    body = (
      <div className="flex flex-col gap-6 lg:grid lg:grid-cols-[12rem_minmax(0,1fr)] lg:items-start lg:gap-8">
        <SectionNav label={t('adminSettings.sectionsNav')} sections={sections} />
        <div className="flex min-w-0 flex-col gap-6">
          <Card
            className="scroll-mt-20"
            title={t('adminSettings.qbittorrent.title')}
            titleId="reglages-qbittorrent"
            description={t('adminSettings.qbittorrent.description')}
          >
            <QbittorrentSection initial={s.qbittorrent} titleId="reglages-qbittorrent" />
          </Card>
          <Card
            className="scroll-mt-20"
            title={t('adminSettings.jackett.title')}
            titleId="reglages-jackett"
            description={t('adminSettings.jackett.description')}
          >
            <JackettSection initial={s.jackett} titleId="reglages-jackett" />
          </Card>
          <Card
            className="scroll-mt-20"
            title={t('adminSettings.downloads.title')}
            titleId="reglages-telechargements"
            description={t('adminSettings.downloads.description')}
          >
            <DownloadsSection initial={s.downloads} titleId="reglages-telechargements" />
          </Card>
          <Card
            className="scroll-mt-20"
            title={t('adminStorage.title')}
            titleId="reglages-stockage"
            description={t('adminStorage.description')}
          >
            <StorageSection />
          </Card>
          <Card
            className="scroll-mt-20"
            title={t('adminSettings.general.title')}
            titleId="reglages-general"
            description={t('adminSettings.general.description')}
          >
            <GeneralSection
              initial={{ ...s.general, allow_private_targets: allowPrivateTargets(s) }}
              titleId="reglages-general"
            />
          </Card>
          {s.notifications && (
            <Card
              className="scroll-mt-20"
              title={t('adminSettings.notifications.title')}
              titleId="reglages-notifications"
              description={t('adminSettings.notifications.description')}
            >
              <NotificationsSection initial={s.notifications} titleId="reglages-notifications" />
            </Card>
          )}
        </div>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      {header}
      {body}
    </div>
  );
}

import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { Card } from '../../../components/Card';
import { LoadError } from '../../../components/LoadError';
import { Loading } from '../../../components/Loading';
import { SectionNav, type SectionLink } from '../../../components/SectionNav';
import { useDocumentTitle } from '../../../lib/useDocumentTitle';
import { isAdmin } from '../AdminNav';
import { serversUnsupported, useAdminServers } from '../servers/queries';
import { ServersSection } from '../servers/ServersSection';
import { SERVERS_ANCHOR } from '../servers/serversView';
import { StorageSection } from '../storage/StorageSection';
import { allowPrivateTargets, useAdminSettings } from './api';
import { DownloadsSection } from './DownloadsSection';
import { GeneralSection } from './GeneralSection';
import { JackettSection } from './JackettSection';
import { NotificationsSection } from './NotificationsSection';
import { OidcSection } from './OidcSection';
import { ProxyAuthSection } from './ProxyAuthSection';
import { QbittorrentSection } from './QbittorrentSection';
import { OIDC_ANCHOR, PROXY_AUTH_ANCHOR } from './anchors';

/**
 * "Réglages" (administrators): independent forms, each saved on its own (single sign-on and the
 * authenticating proxy from issue 22 on), "Serveurs
 * qBittorrent" (several qBittorrent servers) and "Stockage" (the users' folders, moving torrents
 * out of the shared folder), which have their own calls.
 */
export function SettingsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('adminSettings.title'));
  const { data: me } = useMe();
  const admin = isAdmin(me);
  const settings = useAdminSettings(admin);
  // A server before several qBittorrent servers has no such list (404): no such section then.
  const servers = useAdminServers(admin);
  const hasServers = servers.data !== undefined || (servers.isError && !serversUnsupported(servers.error));

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
    // One list: the navigation's links and the cards, in the same order with the same ids.
    const sections: Array<SectionLink & { description: string; form: (titleId: string) => ReactNode }> = [
      {
        id: 'reglages-qbittorrent',
        label: t('adminSettings.qbittorrent.title'),
        description: t('adminSettings.qbittorrent.description'),
        form: (id) => <QbittorrentSection initial={s.qbittorrent} titleId={id} />,
      },
      ...(hasServers
        ? [
            {
              id: SERVERS_ANCHOR,
              label: t('adminServers.title'),
              description: t('adminServers.description'),
              form: () => <ServersSection />,
            },
          ]
        : []),
      {
        id: 'reglages-jackett',
        label: t('adminSettings.jackett.title'),
        description: t('adminSettings.jackett.description'),
        form: (id) => <JackettSection initial={s.jackett} titleId={id} />,
      },
      {
        id: 'reglages-telechargements',
        label: t('adminSettings.downloads.title'),
        description: t('adminSettings.downloads.description'),
        form: (id) => <DownloadsSection initial={s.downloads} titleId={id} />,
      },
      {
        id: 'reglages-stockage',
        label: t('adminStorage.title'),
        description: t('adminStorage.description'),
        form: () => <StorageSection />,
      },
      {
        id: 'reglages-general',
        label: t('adminSettings.general.title'),
        description: t('adminSettings.general.description'),
        form: (id) => (
          <GeneralSection initial={{ ...s.general, allow_private_targets: allowPrivateTargets(s) }} titleId={id} />
        ),
      },
    ];
    // Single sign-on (servers from issue 22 on).
    const oidc = s.oidc;
    if (oidc)
      sections.push({
        id: OIDC_ANCHOR,
        label: t('adminSettings.oidc.title'),
        description: t('adminSettings.oidc.description'),
        form: (id) => <OidcSection initial={oidc} titleId={id} />,
      });
    const proxyAuth = s.proxy_auth;
    if (proxyAuth)
      sections.push({
        id: PROXY_AUTH_ANCHOR,
        label: t('adminSettings.proxyAuth.title'),
        description: t('adminSettings.proxyAuth.description'),
        form: (id) => <ProxyAuthSection initial={proxyAuth} titleId={id} />,
      });
    const notifications = s.notifications;
    if (notifications)
      sections.push({
        id: 'reglages-notifications',
        label: t('adminSettings.notifications.title'),
        description: t('adminSettings.notifications.description'),
        form: (id) => <NotificationsSection initial={notifications} titleId={id} />,
      });
    // The page is long (up to ten sections): links to each, beside them on wide screens, above on phones.
    body = (
      <div className="flex flex-col gap-6 lg:grid lg:grid-cols-[12rem_minmax(0,1fr)] lg:items-start lg:gap-8">
        <SectionNav label={t('adminSettings.sectionsNav')} sections={sections} />
        <div className="flex min-w-0 flex-col gap-6">
          {sections.map((x) => (
            <Card key={x.id} className="scroll-mt-20" title={x.label} titleId={x.id} description={x.description}>
              {x.form(x.id)}
            </Card>
          ))}
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

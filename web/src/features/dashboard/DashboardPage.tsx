import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ArrowRight } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useInstance, useMe } from '../../api/queries';
import { Card } from '../../components/Card';
import { Loading } from '../../components/Loading';
import { AccountSummary } from '../account/AccountSummary';
import { UsageCard } from '../account/UsageSummary';
import { TorrentsSummary } from '../torrents/TorrentsSummary';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useLive } from '../torrents/LiveProvider';
import {
  ActiveDownloadsBody,
  FreeSpaceBody,
  GlobalSpeedBody,
  QbtStatusBody,
  RecentCompletionsBody,
  ServersBody,
  UserTotalsTable,
} from './DashboardCards';
import { useServerChoices } from '../admin/servers/queries';
import { DASHBOARD_REFRESH_MS, dashboardKey, useDashboard } from './queries';

/**
 * "Tableau de bord", the landing page: one `GET /api/dashboard` (refreshed every 10 s,
 * and at once when the socket reports a change of qBittorrent's state), whose cards
 * also follow the socket: live speeds, the active downloads' progress.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('dashboard.title'));
  const { data: user } = useMe();
  const { data: instance } = useInstance();
  const dashboard = useDashboard();
  // Administrators, several qBittorrent servers: their "Serveurs" card, refreshed with the rest.
  const { servers, several } = useServerChoices(user, DASHBOARD_REFRESH_MS);
  const client = useQueryClient();
  const qbtLive = useLive()?.qbittorrent ?? null;
  const lastQbt = useRef(qbtLive);
  useEffect(() => {
    // A change, not the first state the socket reports (the dashboard was just fetched).
    if (qbtLive && lastQbt.current && qbtLive !== lastQbt.current) {
      void client.invalidateQueries({ queryKey: dashboardKey, exact: true });
    }
    lastQbt.current = qbtLive ?? lastQbt.current;
  }, [client, qbtLive]);

  if (!user) return <Loading />;
  const site = instance?.site_name || t('app.defaultSiteName');
  const totals = user.role === 'admin' ? dashboard.data?.totals : undefined;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium uppercase tracking-wide text-amber-800 dark:text-amber-300">
          {t('dashboard.title')}
        </p>
        <h1 className="mt-1 text-2xl font-bold sm:text-3xl">{t('dashboard.welcome', { name: user.display_name })}</h1>
        <p className="mt-1 text-stone-600 dark:text-stone-400">{t('dashboard.intro', { site })}</p>
      </div>
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card title={t('dashboard.speedTitle')} titleId="vitesse-globale" className="min-w-0 lg:col-span-2 lg:row-span-2">
          <GlobalSpeedBody query={dashboard} />
        </Card>
        <Card title={t('dashboard.freeSpaceTitle')} titleId="espace-libre">
          <FreeSpaceBody query={dashboard} />
        </Card>
        <Card title={t('dashboard.qbtTitle')} titleId="etat-qbittorrent">
          <QbtStatusBody query={dashboard} />
        </Card>
      </div>
      <div className="grid items-start gap-6 md:grid-cols-2">
        {several && (
          <Card title={t('dashboard.serversTitle')} titleId="serveurs">
            <ServersBody servers={servers} />
          </Card>
        )}
        <Card title={t('dashboard.activeTitle')} titleId="en-cours">
          <ActiveDownloadsBody query={dashboard} />
        </Card>
        <Card title={t('dashboard.recentTitle')} titleId="termines-recemment">
          <RecentCompletionsBody query={dashboard} />
        </Card>
        <Card title={t('dashboard.torrentsTitle')} titleId="mes-torrents">
          <TorrentsSummary />
        </Card>
        <UsageCard title={t('usage.dashboardTitle')} titleId="votre-utilisation" />
        <Card title={t('dashboard.accountTitle')} titleId="votre-compte">
          <AccountSummary user={user} />
          <Link
            to="/compte"
            className="mt-4 inline-flex items-center gap-1 rounded-md text-sm font-semibold text-amber-800 underline dark:text-amber-300"
          >
            {t('dashboard.manageAccount')}
            <ArrowRight aria-hidden="true" className="size-4" />
          </Link>
        </Card>
      </div>
      {totals && (
        <Card title={t('dashboard.totalsTitle')} titleId="par-utilisateur">
          <UserTotalsTable totals={totals} />
        </Card>
      )}
    </div>
  );
}

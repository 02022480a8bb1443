import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ArrowRight, RefreshCw } from 'lucide-react';
import { useHealth, useInstance, useMe } from '../../api/queries';
import { Card } from '../../components/Card';
import { Loading } from '../../components/Loading';
import { AccountSummary } from '../account/AccountSummary';
import { UsageCard } from '../account/UsageSummary';
import { TorrentsSummary } from '../torrents/TorrentsSummary';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { cx } from '../../lib/cx';
import { errorMessage } from '../../api/client';

type Tone = 'ok' | 'bad' | 'neutral';

function Dot({ tone }: { tone: Tone }) {
  return (
    <span
      aria-hidden="true"
      className={cx(
        'inline-block size-2.5 shrink-0 rounded-full',
        tone === 'ok' && 'bg-emerald-500',
        tone === 'bad' && 'bg-red-500',
        tone === 'neutral' && 'bg-stone-400',
      )}
    />
  );
}

function ServerStatus() {
  const { t } = useTranslation();
  const health = useHealth();

  if (health.isPending) return <Loading />;

  let lines: Array<{ tone: Tone; text: string }>;
  if (health.isError) {
    lines = [{ tone: 'bad', text: `${t('dashboard.serverUnreachable')} ${errorMessage(health.error)}` }];
  } else {
    const q = health.data.qbittorrent;
    const qbtTone: Tone = q === 'ok' ? 'ok' : q === 'down' ? 'bad' : 'neutral';
    const qbtText =
      q === 'ok' || q === 'down' || q === 'unconfigured' ? t(`dashboard.qbt.${q}`) : t('dashboard.qbt.unknown');
    lines = [{ tone: qbtTone, text: t('dashboard.qbtLine', { state: qbtText }) }];
    if (health.data.database) {
      const ok = health.data.database === 'ok';
      lines.push({
        tone: ok ? 'ok' : 'bad',
        text: t('dashboard.databaseLine', { state: ok ? t('dashboard.database.ok') : t('dashboard.database.error') }),
      });
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col gap-2" data-testid="server-status">
        {lines.map((l) => (
          <li key={l.text} className="flex items-center gap-2">
            <Dot tone={l.tone} />
            <span>{l.text}</span>
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-stone-500 dark:text-stone-400">
        <span>{health.data?.version ? t('dashboard.version', { version: health.data.version }) : null}</span>
        <button
          type="button"
          onClick={() => void health.refetch()}
          className="inline-flex items-center gap-1 rounded-md px-2 py-1 font-medium text-stone-700 hover:bg-stone-200/70 dark:text-stone-300 dark:hover:bg-stone-800"
        >
          <RefreshCw aria-hidden="true" className={cx('size-4', health.isFetching && 'animate-spin')} />
          {t('dashboard.refresh')}
        </button>
      </div>
    </div>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('dashboard.title'));
  const { data: user } = useMe();
  const { data: instance } = useInstance();
  if (!user) return <Loading />;
  const site = instance?.site_name || t('app.defaultSiteName');

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium uppercase tracking-wide text-amber-800 dark:text-amber-300">
          {t('dashboard.title')}
        </p>
        <h1 className="mt-1 text-2xl font-bold sm:text-3xl">{t('dashboard.welcome', { name: user.display_name })}</h1>
        <p className="mt-1 text-stone-600 dark:text-stone-400">{t('dashboard.intro', { site })}</p>
      </div>
      <div className="grid items-start gap-6 md:grid-cols-2">
        <Card title={t('dashboard.torrentsTitle')} titleId="mes-torrents">
          <TorrentsSummary />
        </Card>
        <UsageCard title={t('usage.dashboardTitle')} titleId="votre-utilisation" />
        <Card title={t('dashboard.statusTitle')} titleId="etat-serveur">
          <ServerStatus />
        </Card>
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
    </div>
  );
}

import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ArrowDown, ArrowRight, ArrowUp, CircleCheck, RefreshCw } from 'lucide-react';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { useHealth } from '../../api/queries';
import type { AdminServer } from '../../api/types';
import { Alert } from '../../components/Alert';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusDot, type StatusTone } from '../../components/StatusDot';
import { cx } from '../../lib/cx';
import { formatDate, formatSize, formatSpeed } from '../../lib/format';
import { SpeedPair } from '../admin/servers/SpeedPair';
import { SERVERS_ANCHOR, linkTone, serverLinkLabel, serverStateLabel } from '../admin/servers/serversView';
import { GlobalSpeedChart } from '../charts/GlobalSpeedChart';
import { freshSpeed, useLatestSpeed } from '../charts/liveSpeed';
import { etaText, speedText } from '../torrents/cells';
import { useLive, useLiveness } from '../torrents/LiveProvider';
import { StaleNote, useStaleText } from '../torrents/StaleNote';
import { torrentPage } from '../torrents/routes';
import { useTorrentList } from '../torrents/queries';
import { progressTone } from '../torrents/StateBadge';
import { overlayLive } from './active';
import { dashboardKey, useDashboard, type UserTotals } from './queries';

type DashboardQuery = ReturnType<typeof useDashboard>;

/** Loading, or the error when the dashboard could not be fetched at all; null once there is data. */
function Pending({ query }: { query: DashboardQuery }) {
  if (query.data) return null;
  if (query.isError) return <Alert>{errorMessage(query.error)}</Alert>;
  return <Loading />;
}

function SpeedFigure({ kind, value, stale }: { kind: 'dl' | 'up'; value: number | null; stale?: string }) {
  const { t } = useTranslation();
  const Icon = kind === 'dl' ? ArrowDown : ArrowUp;
  return (
    <div className="flex flex-col">
      <dt className="text-sm font-medium text-stone-600 dark:text-stone-400">
        {t(kind === 'dl' ? 'charts.download' : 'charts.upload')}
      </dt>
      <dd
        className={cx('flex items-center gap-1 text-2xl font-bold tabular-nums', stale && 'text-stone-500 dark:text-stone-400')}
        title={stale}
      >
        <Icon
          aria-hidden="true"
          className={cx('size-5', kind === 'dl' ? 'text-sky-600 dark:text-sky-400' : 'text-amber-600 dark:text-amber-400')}
        />
        {value === null ? '—' : formatSpeed(value)}
      </dd>
    </div>
  );
}

/** "Vitesse globale": the whole server's speeds now (live when the socket sends them), and the chart. */
export function GlobalSpeedBody({ query }: { query: DashboardQuery }) {
  // Re-rendered by each live sample; the latest one wins while it is fresh.
  useLatestSpeed();
  const live = freshSpeed();
  const dl = live ? live[1] : (query.data?.speed.dl ?? null);
  const up = live ? live[2] : (query.data?.speed.up ?? null);
  // qBittorrent down or the socket lost: the last figures, greyed and dated.
  const liveness = useLiveness(query);
  const stale = useStaleText(liveness);
  return (
    <div className="flex min-w-0 flex-col gap-4">
      {query.isError && !query.data && !live ? (
        <Alert>{errorMessage(query.error)}</Alert>
      ) : (
        <dl className="flex flex-wrap gap-x-8 gap-y-2" data-testid="global-speed">
          <SpeedFigure kind="dl" value={dl} stale={stale} />
          <SpeedFigure kind="up" value={up} stale={stale} />
        </dl>
      )}
      <StaleNote liveness={liveness} />
      <GlobalSpeedChart />
    </div>
  );
}

/** "Espace libre sur le serveur". */
export function FreeSpaceBody({ query }: { query: DashboardQuery }) {
  const { t } = useTranslation();
  if (!query.data) return <Pending query={query} />;
  const free = query.data.free_space;
  return (
    <div data-testid="free-space">
      {typeof free === 'number' && free >= 0 ? (
        <p className="text-2xl font-bold tabular-nums">{formatSize(free)}</p>
      ) : (
        <p className="text-stone-600 dark:text-stone-400">{t('dashboard.freeSpaceUnknown')}</p>
      )}
      <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">{t('dashboard.freeSpaceHint')}</p>
    </div>
  );
}

type Tone = StatusTone;
const Dot = StatusDot;

/**
 * "État de qBittorrent": connecté / injoignable (with the error) / non configuré. The
 * socket's `status` frames are the freshest source, then the dashboard, then
 * `/api/health` (which also tells about the database and the version).
 */
export function QbtStatusBody({ query }: { query: DashboardQuery }) {
  const { t } = useTranslation();
  const health = useHealth();
  const live = useLive();

  const liveState = live?.connection === 'open' ? live.qbittorrent : null;
  const state = liveState ?? query.data?.qbittorrent ?? health.data?.qbittorrent;
  const error = (liveState ? live?.error : query.data?.qbittorrent_error) || '';
  // Administrators: the exact failure (refreshed with the dashboard, every 10 s).
  const detail = query.data?.qbittorrent === 'down' ? query.data.qbittorrent_detail?.trim() || '' : '';

  if (!state) {
    if (health.isError && query.isError) {
      return <Alert>{`${t('dashboard.serverUnreachable')} ${errorMessage(health.error)}`}</Alert>;
    }
    return <Loading />;
  }

  const known = state === 'ok' || state === 'down' || state === 'unconfigured';
  const tone: Tone = state === 'ok' ? 'ok' : state === 'down' ? 'bad' : 'neutral';
  const lines: Array<{ tone: Tone; text: string; detail?: string; more?: string }> = [
    {
      tone,
      text: t('dashboard.qbtLine', { state: known ? t(`dashboard.qbt.${state}`) : t('dashboard.qbt.unknown') }),
      detail: state === 'down' && error ? error : undefined,
      more: state === 'down' && detail ? detail : undefined,
    },
  ];
  if (health.data?.database) {
    const ok = health.data.database === 'ok';
    lines.push({
      tone: ok ? 'ok' : 'bad',
      text: t('dashboard.databaseLine', { state: ok ? t('dashboard.database.ok') : t('dashboard.database.error') }),
    });
  }
  const fetching = health.isFetching || query.isFetching;

  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col gap-2" data-testid="server-status">
        {lines.map((l) => (
          <li key={l.text} className="flex flex-col gap-0.5">
            <span className="flex items-center gap-2">
              <Dot tone={l.tone} />
              <span>{l.text}</span>
            </span>
            {l.detail && (
              <span className="pl-4.5 text-sm text-red-800 [overflow-wrap:anywhere] dark:text-red-300">
                {t('dashboard.qbtError', { error: l.detail })}
              </span>
            )}
            {l.more && (
              <span
                data-testid="qbt-detail"
                className="pl-4.5 font-mono text-xs text-stone-600 [overflow-wrap:anywhere] dark:text-stone-400"
              >
                {t('dashboard.qbtDetail', { detail: l.more })}
              </span>
            )}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-stone-500 dark:text-stone-400">
        <span>{health.data?.version ? t('dashboard.version', { version: health.data.version }) : null}</span>
        <button
          type="button"
          onClick={() => {
            void health.refetch();
            void query.refetch();
          }}
          className="inline-flex items-center gap-1 rounded-md px-2 py-1 font-medium text-stone-700 hover:bg-stone-200/70 dark:text-stone-300 dark:hover:bg-stone-800"
        >
          <RefreshCw aria-hidden="true" className={cx('size-4', fetching && 'animate-spin')} />
          {t('dashboard.refresh')}
        </button>
      </div>
    </div>
  );
}

/**
 * "Mes téléchargements en cours": the dashboard's list, with progress and speeds taken
 * from the live "Mes torrents" (the socket keeps it current); one that finished makes
 * the dashboard refresh at once (it then shows under "Terminés récemment").
 */
export function ActiveDownloadsBody({ query }: { query: DashboardQuery }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const mine = useTorrentList('mine');
  const { torrents, finished } = overlayLive(query.data?.active ?? [], mine.data?.torrents);
  const finishedKey = finished.join(',');
  useEffect(() => {
    if (finishedKey) void client.invalidateQueries({ queryKey: dashboardKey, exact: true });
  }, [client, finishedKey]);

  if (!query.data) return <Pending query={query} />;
  const link = (
    <Link
      to="/torrents"
      className="mt-4 inline-flex items-center gap-1 rounded-md text-sm font-semibold text-amber-800 underline dark:text-amber-300"
    >
      {t('dashboard.torrentsLink')}
      <ArrowRight aria-hidden="true" className="size-4" />
    </Link>
  );
  if (torrents.length === 0) {
    return (
      <div data-testid="active-downloads">
        <p className="text-stone-600 dark:text-stone-400">{t('dashboard.activeNone')}</p>
        {link}
      </div>
    );
  }
  return (
    <div data-testid="active-downloads">
      <ul role="list" className="flex flex-col divide-y divide-stone-200 dark:divide-stone-800">
        {torrents.map((tor) => (
          <li key={tor.hash} className="flex flex-col gap-1.5 py-3 first:pt-0 last:pb-0">
            <Link
              to={torrentPage(tor.hash)}
              className="min-w-0 font-semibold text-stone-900 underline-offset-2 [overflow-wrap:anywhere] hover:underline dark:text-stone-100"
            >
              {tor.name}
            </Link>
            <ProgressBar
              progress={tor.progress}
              tone={progressTone(tor)}
              label={t('torrents.progressOf', { name: tor.name })}
            />
            <p className="flex flex-wrap gap-x-4 text-xs text-stone-600 tabular-nums dark:text-stone-400">
              <span>{t('dashboard.activeSpeeds', { down: speedText(tor, tor.dlspeed), up: speedText(tor, tor.upspeed) })}</span>
              <span>{t('dashboard.activeEta', { eta: etaText(tor) })}</span>
            </p>
          </li>
        ))}
      </ul>
      {link}
    </div>
  );
}

/** "Terminés récemment": the user's last completion notifications. */
export function RecentCompletionsBody({ query }: { query: DashboardQuery }) {
  const { t } = useTranslation();
  if (!query.data) return <Pending query={query} />;
  const items = query.data.recent_completions;
  if (items.length === 0) {
    return (
      <p className="text-stone-600 dark:text-stone-400" data-testid="recent-completions">
        {t('dashboard.recentNone')}
      </p>
    );
  }
  return (
    <ul role="list" className="flex flex-col gap-3" data-testid="recent-completions">
      {items.map((n) => {
        const name = n.torrent_name || n.message;
        return (
          <li key={n.id} className="flex items-start gap-2">
            <CircleCheck aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
            <div className="flex min-w-0 flex-col">
              {n.torrent_hash ? (
                <Link
                  to={torrentPage(n.torrent_hash)}
                  className="font-semibold text-stone-900 underline-offset-2 [overflow-wrap:anywhere] hover:underline dark:text-stone-100"
                >
                  {name}
                </Link>
              ) : (
                <span className="font-semibold [overflow-wrap:anywhere]">{name}</span>
              )}
              <span className="text-xs text-stone-600 dark:text-stone-400">
                {t('dashboard.recentAt', { date: formatDate(n.created_at) })}
              </span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** Administrators' "Par utilisateur": torrents, active ones and disk used per account. */
export function UserTotalsTable({ totals }: { totals: readonly UserTotals[] }) {
  const { t } = useTranslation();
  const columns: Column<UserTotals>[] = [
    {
      key: 'user',
      header: t('dashboard.totals.user'),
      rowHeader: true,
      emphasis: true,
      cell: (u) => (
        <>
          {u.display_name || u.username}
          {u.display_name && u.display_name !== u.username && (
            <>
              {' '}
              <span className="font-normal text-stone-500 dark:text-stone-400">({u.username})</span>
            </>
          )}
        </>
      ),
    },
    { key: 'torrents', header: t('dashboard.totals.torrents'), numeric: true, cell: (u) => u.torrents },
    { key: 'active', header: t('dashboard.totals.active'), numeric: true, cell: (u) => u.active },
    { key: 'disk', header: t('dashboard.totals.disk'), numeric: true, cell: (u) => formatSize(u.disk_used) },
  ];
  return (
    <DataTable
      columns={columns}
      rows={totals}
      rowKey={(u) => u.id}
      caption={t('dashboard.totalsCaption')}
      empty={t('dashboard.totalsNone')}
      variant="plain"
      density="roomy"
      className="min-w-[28rem] text-sm"
      testId="user-totals"
    />
  );
}

/**
 * Administrators' "Serveurs" (several qBittorrent servers): each one's name, whether essaim
 * reaches it, its torrents and speeds (`GET /api/admin/servers`, refreshed with the dashboard).
 */
export function ServersBody({ servers }: { servers: readonly AdminServer[] }) {
  const { t } = useTranslation();
  return (
    <div data-testid="dashboard-servers">
      <ul role="list" aria-label={t('dashboard.serversCaption')} className="flex flex-col divide-y divide-stone-200 dark:divide-stone-800">
        {servers.map((s) => (
          <li key={s.id} data-server-id={s.id} className="flex items-start justify-between gap-3 py-2.5 first:pt-0 last:pb-0">
            <div className="flex min-w-0 flex-col gap-0.5">
              <span className="font-semibold [overflow-wrap:anywhere]">{s.name}</span>
              <span className="flex flex-wrap items-center gap-x-2 text-sm">
                <Dot tone={linkTone(s.link)} />
                <span>{serverLinkLabel(s.link)}</span>
                {s.state === 'draining' && (
                  <span className="text-stone-600 dark:text-stone-400">· {serverStateLabel(s.state)}</span>
                )}
              </span>
              <span className="text-xs text-stone-600 tabular-nums dark:text-stone-400">
                {t('dashboard.serverTorrents', { count: s.torrents })}
              </span>
            </div>
            <span className="shrink-0 text-right text-sm">
              <SpeedPair down={s.dlspeed} up={s.upspeed} />
            </span>
          </li>
        ))}
      </ul>
      <Link
        to={`/admin/reglages#${SERVERS_ANCHOR}`}
        className="mt-4 inline-flex items-center gap-1 rounded-md text-sm font-semibold text-amber-800 underline dark:text-amber-300"
      >
        {t('dashboard.serversLink')}
        <ArrowRight aria-hidden="true" className="size-4" />
      </Link>
    </div>
  );
}

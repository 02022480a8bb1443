import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ArrowRight } from 'lucide-react';
import { errorMessage } from '../../api/client';
import { Alert } from '../../components/Alert';
import { Loading } from '../../components/Loading';
import { formatSpeed } from '../../lib/format';
import { countByState } from './listView';
import { useTorrentList } from './queries';
import { StateBadgeFor } from './StateBadge';
import { TORRENT_STATES } from './states';

/** Dashboard card body: the user's torrents counted by state, from the same query as "Mes torrents". */
export function TorrentsSummary() {
  const { t } = useTranslation();
  const list = useTorrentList('mine');
  const link = (
    <Link
      to="/torrents"
      className="mt-4 inline-flex items-center gap-1 rounded-md text-sm font-semibold text-amber-800 underline dark:text-amber-300"
    >
      {t('dashboard.torrentsLink')}
      <ArrowRight aria-hidden="true" className="size-4" />
    </Link>
  );

  if (list.isPending) return <Loading />;
  if (list.isError && !list.data) {
    return (
      <>
        <Alert>{errorMessage(list.error)}</Alert>
        {link}
      </>
    );
  }
  const torrents = list.data.torrents;
  const counts = countByState(torrents);
  const down = torrents.reduce((s, x) => s + (x.removed ? 0 : x.dlspeed), 0);
  const up = torrents.reduce((s, x) => s + (x.removed ? 0 : x.upspeed), 0);

  return (
    <div data-testid="torrents-summary">
      {torrents.length === 0 ? (
        <p className="text-stone-600 dark:text-stone-400">{t('dashboard.torrentsNone')}</p>
      ) : (
        <>
          <p className="text-2xl font-bold tabular-nums">{t('torrents.shownAll', { count: torrents.length })}</p>
          <ul className="mt-3 flex flex-wrap gap-2" aria-label={t('dashboard.torrentsByState')}>
            {TORRENT_STATES.filter((s) => counts[s] > 0).map((s) => (
              <li key={s} className="inline-flex items-center gap-1.5 text-sm">
                <StateBadgeFor state={s} />
                <span className="font-semibold tabular-nums">{counts[s]}</span>
              </li>
            ))}
          </ul>
          <p className="mt-3 text-sm text-stone-600 dark:text-stone-400">
            {t('dashboard.torrentsSpeeds', { down: formatSpeed(down), up: formatSpeed(up) })}
          </p>
        </>
      )}
      {link}
    </div>
  );
}

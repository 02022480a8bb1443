import { useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ArrowLeft } from 'lucide-react';
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client';
import { useMe } from '../../api/queries';
import type { TorrentDetail, Tracker, User } from '../../api/types';
import { Alert, DismissibleAlert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { CopyButton } from '../../components/CopyButton';
import { Loading } from '../../components/Loading';
import { LoadError } from '../../components/LoadError';
import { useNavSection } from '../../components/navSection';
import { ProgressBar } from '../../components/ProgressBar';
import { Term } from '../../components/Term';
import { cx } from '../../lib/cx';
import { formatDate, formatRatio, formatSize, formatSpeed } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { etaText, ownerName, peersCount, sizeText } from './cells';
import { AssignTorrentDialog } from './AssignTorrentDialog';
import { DeleteTorrentDialog } from './DeleteTorrentDialog';
import { LiveBanner } from './LiveBanner';
import { useTorrentDetail } from './queries';
import { SharedFolderBadge, StateBadge, progressTone } from './StateBadge';
import { ServerStaleNote } from './StaleNote';
import { canSeeAll, mayAssign } from './permissions';
import { trackerStatusLabel } from './states';
import { FILES_ANCHOR, type DetailLinkState } from './routes';
import { TorrentActions } from './TorrentActions';
import { TorrentFiles } from '../files/TorrentFiles';
import { canSeeCharts } from '../charts/queries';
import { TorrentSpeedChart } from '../charts/TorrentSpeedChart';
import { MoveToOwnerFolder } from '../admin/storage/MoveToOwnerFolder';
import { isAdmin } from '../admin/AdminNav';

function Facts({ rows }: { rows: Array<[ReactNode, ReactNode]> }) {
  return (
    <dl className="grid grid-cols-[8.5rem_1fr] gap-x-4 gap-y-2.5 text-sm sm:grid-cols-[max-content_1fr] sm:gap-x-6">
      {rows.map(([label, value], i) => (
        <div key={i} className="contents">
          <dt className="font-medium text-stone-600 dark:text-stone-400">{label}</dt>
          <dd className="min-w-0 [overflow-wrap:anywhere]">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const trackerTone: Record<string, string> = {
  working: 'text-emerald-800 dark:text-emerald-300',
  not_working: 'text-red-800 dark:text-red-300',
  updating: 'text-sky-800 dark:text-sky-300',
};

function Trackers({ trackers }: { trackers: readonly Tracker[] }) {
  const { t } = useTranslation();
  if (trackers.length === 0) return <p className="text-sm text-stone-600 dark:text-stone-400">{t('torrents.detail.noTrackers')}</p>;
  return (
    <ul role="list" className="flex flex-col divide-y divide-stone-200 dark:divide-stone-800" data-testid="trackers">
      {trackers.map((tr, i) => (
        <li key={`${i}-${tr.url}`} className="flex flex-col gap-0.5 py-2 text-sm first:pt-0 last:pb-0">
          <span className="font-mono text-xs [overflow-wrap:anywhere]">{tr.url}</span>
          <span>
            <span className={cx('font-semibold', trackerTone[tr.status] ?? 'text-stone-700 dark:text-stone-300')}>
              {trackerStatusLabel(tr.status)}
            </span>
            {tr.message && <span className="text-stone-600 dark:text-stone-400"> — {tr.message}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Hash({ copyLabel, value }: { copyLabel: string; value: string | null }) {
  const { t } = useTranslation();
  if (!value) return <span className="text-stone-500 dark:text-stone-400">{t('torrents.detail.noHash')}</span>;
  return (
    <span className="flex items-center gap-1">
      <code className="min-w-0 font-mono text-xs [overflow-wrap:anywhere]">{value}</code>
      <CopyButton text={value} label={copyLabel} />
    </span>
  );
}

/**
 * Where the files are. Administrators get the absolute `save_path` (and a "Dossier commun"
 * badge); everyone else the folder inside the owner's own: "Votre dossier / Films", never a
 * path of the server.
 */
function locationFact(torrent: TorrentDetail, me: User | null | undefined, t: TFunction): [string, ReactNode] {
  if (torrent.save_path !== undefined) {
    return [
      t('torrents.detail.savePath'),
      <span className="flex flex-col items-start gap-1">
        <code className="font-mono text-xs [overflow-wrap:anywhere]">{torrent.save_path || '—'}</code>
        <SharedFolderBadge torrent={torrent} />
      </span>,
    ];
  }
  const yours = torrent.owner !== null && torrent.owner.id === me?.id;
  let text: string;
  if (torrent.location === undefined) text = '—';
  else if (torrent.location === null) {
    text = yours ? t('torrents.detail.locationOutsideYours') : t('torrents.detail.locationOutside');
  } else {
    const folder = yours ? t('torrents.detail.locationYours') : t('torrents.detail.locationOf', { name: ownerName(torrent) });
    text = torrent.location ? `${folder} / ${torrent.location}` : folder;
  }
  return [t('torrents.detail.location'), <span data-testid="torrent-location">{text}</span>];
}

function Detail({ torrent }: { torrent: TorrentDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const canAssign = mayAssign(me);
  const [assigning, setAssigning] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // Back to the list the user came from (with its filters), else the one the torrent is in.
  const from = (useLocation().state as DetailLinkState | null)?.from;
  const fromAll = from ? /^\/tous(\?|$)/.test(from) : torrent.owner?.id !== me?.id && canSeeAll(me);
  const back = {
    to: from && /^\/(torrents|tous)(\?|$)/.test(from) ? from : fromAll ? '/tous' : '/torrents',
    label: fromAll ? t('nav.allTorrents') : t('nav.myTorrents'),
  };
  // The main navigation highlights the list the back link goes to.
  useNavSection(fromAll ? '/tous' : '/torrents');

  // Its qBittorrent server is down or disabled: the last known speeds and ETA, greyed.
  const staleText = torrent.stale ? t('torrents.live.serverStale') : undefined;
  const lastKnown = (text: string) =>
    staleText ? (
      <span className="text-stone-500 dark:text-stone-400" title={staleText}>
        {text}
      </span>
    ) : (
      text
    );
  const transfer: Array<[ReactNode, ReactNode]> = [
    [t('torrents.columns.size'), sizeText(torrent)],
    [t('torrents.columns.downloaded'), formatSize(torrent.downloaded)],
    [t('torrents.detail.uploaded'), formatSize(torrent.uploaded)],
    [t('torrents.columns.dlspeed'), lastKnown(formatSpeed(torrent.dlspeed))],
    [t('torrents.columns.upspeed'), lastKnown(formatSpeed(torrent.upspeed))],
    [t('torrents.columns.eta'), lastKnown(etaText(torrent))],
    [<Term help={t('swarm.seedsHelp')}>{t('torrents.detail.seeds')}</Term>, peersCount(torrent.num_seeds, torrent.num_complete)],
    [<Term help={t('swarm.peersHelp')}>{t('torrents.detail.leechs')}</Term>, peersCount(torrent.num_leechs, torrent.num_incomplete)],
    [t('torrents.columns.ratio'), formatRatio(torrent.ratio)],
  ];
  const info: Array<[ReactNode, ReactNode]> = [
    [
      t('torrents.columns.owner'),
      torrent.owner ? ownerName(torrent) : <span className="italic">{t('torrents.noOwner')}</span>,
    ],
    locationFact(torrent, me, t),
    [t('torrents.columns.added'), formatDate(torrent.added_on)],
    [t('torrents.detail.completed'), torrent.completion_on ? formatDate(torrent.completion_on) : t('torrents.detail.notCompleted')],
    [t('torrents.detail.pieceSize'), torrent.piece_size ? formatSize(torrent.piece_size) : '—'],
  ];
  // qBittorrent's own state name ("stalledUP") is for administrators; the badge says it in French.
  if (isAdmin(me)) info.push([t('torrents.detail.qbtState'), <code className="font-mono text-xs">{torrent.qbt_state || '—'}</code>]);
  // Administrators: the qBittorrent server holding it (several servers).
  if (torrent.server_name) info.push([t('torrents.columns.server'), torrent.server_name]);
  if (torrent.comment) info.push([t('torrents.detail.comment'), torrent.comment]);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3">
        <Link
          to={back.to}
          className="inline-flex w-fit items-center gap-1 rounded-md text-sm font-semibold text-amber-800 underline dark:text-amber-300"
        >
          <ArrowLeft aria-hidden="true" className="size-4" />
          {back.label}
        </Link>
        <div className="flex flex-col items-start gap-2 sm:flex-row sm:gap-3">
          <h1
            className={cx(
              'min-w-0 text-xl font-bold [overflow-wrap:anywhere] sm:flex-1 sm:text-2xl',
              torrent.removed && 'text-stone-500',
            )}
          >
            {torrent.name}
          </h1>
          <span className="sm:mt-1.5">
            <StateBadge torrent={torrent} />
          </span>
        </div>
        <ProgressBar
          size="lg"
          progress={torrent.progress}
          tone={progressTone(torrent)}
          label={t('torrents.progressOf', { name: torrent.name })}
        />
        <TorrentActions
          torrent={torrent}
          variant="buttons"
          showDetails={false}
          files="here"
          onDelete={() => setDeleting(true)}
          onAssign={canAssign ? () => setAssigning(true) : undefined}
          onError={setActionError}
        />
        <LiveBanner />
        {torrent.removed && <Alert tone="info">{t('torrents.detail.removedNotice')}</Alert>}
        {torrent.limit && (
          <Alert tone="warning">
            {torrent.limit.state === 'queued' ? (
              t('torrents.limit.queuedDetail')
            ) : (
              <>
                <strong>{t('torrents.limit.stopped')}.</strong>{' '}
                {torrent.limit.reason || t('torrents.limit.stoppedUnknown')}
              </>
            )}
          </Alert>
        )}
        {actionError && <Alert>{actionError}</Alert>}
        {notice && (
          <DismissibleAlert tone="success" dismissLabel={t('torrents.dismiss')} onDismiss={() => setNotice(null)}>
            {notice}
          </DismissibleAlert>
        )}
      </div>

      <div className="grid items-start gap-6 lg:grid-cols-2">
        <Card title={t('torrents.detail.transfer')} titleId="transfert">
          <ServerStaleNote torrent={torrent} listStale={undefined} className="mb-3" />
          <Facts rows={transfer} />
        </Card>
        <Card title={t('torrents.detail.info')} titleId="informations">
          <Facts rows={info} />
          {torrent.save_path !== undefined && (
            <div className="mt-4 border-t border-stone-200 pt-4 empty:hidden dark:border-stone-800">
              <MoveToOwnerFolder torrent={torrent} />
            </div>
          )}
        </Card>
        <Card title={t('torrents.detail.hashes')} titleId="empreintes">
          <Facts
            rows={[
              [t('torrents.detail.hashV1'), <Hash copyLabel={t('torrents.detail.copyV1')} value={torrent.info_hash_v1} />],
              [t('torrents.detail.hashV2'), <Hash copyLabel={t('torrents.detail.copyV2')} value={torrent.info_hash_v2} />],
            ]}
          />
        </Card>
        <Card title={t('torrents.detail.trackers')} titleId="trackers">
          <Trackers trackers={torrent.trackers ?? []} />
        </Card>
      </div>
      {canSeeCharts(me) && (
        <Card title={t('charts.torrentTitle')} titleId="vitesse" description={t('charts.torrentIntro')} className="min-w-0">
          <TorrentSpeedChart torrent={torrent} />
        </Card>
      )}
      <Card title={t('torrents.detail.files')} titleId={FILES_ANCHOR} className="scroll-mt-20">
        <TorrentFiles torrent={torrent} headingId={FILES_ANCHOR} />
      </Card>

      <DeleteTorrentDialog
        torrent={deleting ? torrent : null}
        onClose={() => setDeleting(false)}
        onDeleted={() => navigate(back.to, { replace: true })}
      />
      {canAssign && (
        <AssignTorrentDialog
          torrent={assigning ? torrent : null}
          onClose={() => setAssigning(false)}
          onAssigned={(x) => setNotice(t('torrents.assign.done', { name: x.name, user: ownerName(x) }))}
        />
      )}
    </div>
  );
}

/** `/torrents/:hash`. */
export function TorrentDetailPage() {
  const { t } = useTranslation();
  const { hash = '' } = useParams();
  const detail = useTorrentDetail(hash);
  const notFound = detail.error instanceof ApiError && detail.error.status === 404;
  useDocumentTitle(
    detail.data && !notFound ? detail.data.name : notFound ? t('torrents.detail.notFoundTitle') : t('torrents.detail.title'),
  );

  if (detail.isPending) return <Loading />;
  if (notFound) {
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-bold">{t('torrents.detail.notFoundTitle')}</h1>
        <p className="text-stone-600 dark:text-stone-400">{t('torrents.detail.notFoundText')}</p>
        <p>
          <Link to="/torrents" className="font-semibold text-amber-800 underline dark:text-amber-300">
            {t('torrents.detail.backToList')}
          </Link>
        </p>
      </div>
    );
  }
  if (detail.isError && !detail.data) {
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-bold">{t('torrents.detail.title')}</h1>
        <LoadError query={detail} />
      </div>
    );
  }
  return <Detail torrent={detail.data} />;
}

import { useTranslation } from 'react-i18next';
import { FolderOpen, Hourglass, OctagonX } from 'lucide-react';
import type { Torrent } from '../../api/types';
import type { ProgressTone } from '../../components/ProgressBar';
import { cx } from '../../lib/cx';
import { effectiveState, stateLabel, stateTone, type Tone } from './states';

const badge: Record<Tone, string> = {
  blue: 'bg-sky-100 text-sky-900 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800',
  green: 'bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800',
  teal: 'bg-teal-100 text-teal-900 ring-teal-300 dark:bg-teal-950 dark:text-teal-200 dark:ring-teal-800',
  amber: 'bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800',
  violet: 'bg-violet-100 text-violet-900 ring-violet-300 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-800',
  indigo: 'bg-indigo-100 text-indigo-900 ring-indigo-300 dark:bg-indigo-950 dark:text-indigo-200 dark:ring-indigo-800',
  cyan: 'bg-cyan-100 text-cyan-900 ring-cyan-300 dark:bg-cyan-950 dark:text-cyan-200 dark:ring-cyan-800',
  stone: 'bg-stone-200 text-stone-800 ring-stone-300 dark:bg-stone-800 dark:text-stone-200 dark:ring-stone-600',
  red: 'bg-red-100 text-red-900 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800',
  muted: 'bg-transparent text-stone-600 ring-stone-300 dark:text-stone-400 dark:ring-stone-700',
};

const dot: Record<Tone, string> = {
  blue: 'bg-sky-600 dark:bg-sky-400',
  green: 'bg-emerald-600 dark:bg-emerald-400',
  teal: 'bg-teal-600 dark:bg-teal-400',
  amber: 'bg-amber-600 dark:bg-amber-400',
  violet: 'bg-violet-600 dark:bg-violet-400',
  indigo: 'bg-indigo-600 dark:bg-indigo-400',
  cyan: 'bg-cyan-600 dark:bg-cyan-400',
  stone: 'bg-stone-500 dark:bg-stone-400',
  red: 'bg-red-600 dark:bg-red-400',
  muted: 'bg-stone-400 dark:bg-stone-600',
};

/** Colour of a state as a badge, by state name (used by the dashboard counts too). */
export function StateBadgeFor({ state, title, wrap = false }: { state: string; title?: string; wrap?: boolean }) {
  const tone = stateTone(state);
  return (
    <span
      title={title}
      data-state={state}
      className={cx(
        'inline-flex items-center gap-1.5 px-2 py-0.5 text-xs font-semibold ring-1 ring-inset',
        wrap ? 'max-w-36 rounded-xl leading-tight' : 'rounded-full whitespace-nowrap',
        badge[tone],
      )}
    >
      <span aria-hidden="true" className={cx('size-1.5 shrink-0 rounded-full', dot[tone])} />
      {stateLabel(state)}
    </span>
  );
}

/** The torrent's state in French, with qBittorrent's raw state as a tooltip. */
export function StateBadge({ torrent, wrap }: { torrent: Torrent; wrap?: boolean }) {
  const { t } = useTranslation();
  return (
    <StateBadgeFor
      state={effectiveState(torrent)}
      wrap={wrap}
      title={torrent.qbt_state ? t('torrents.qbtState', { state: torrent.qbt_state }) : undefined}
    />
  );
}

/** Why a group limit holds the torrent back, under its state in the lists (nothing when it does not). */
export function LimitNote({ torrent, className }: { torrent: Torrent; className?: string }) {
  const { t } = useTranslation();
  const limit = torrent.limit;
  if (!limit) return null;
  const queued = limit.state === 'queued';
  const Icon = queued ? Hourglass : OctagonX;
  // The server's reason (stopped) is the tooltip, and is read out after the note.
  const reason = queued ? '' : limit.reason || t('torrents.limit.stoppedUnknown');
  return (
    <span
      data-limit={limit.state}
      title={queued ? t('torrents.limit.queuedDetail') : reason}
      className={cx(
        'inline-flex items-start gap-1 text-xs font-medium leading-tight',
        queued ? 'text-amber-800 dark:text-amber-300' : 'text-red-800 dark:text-red-300',
        className,
      )}
    >
      <Icon aria-hidden="true" className="mt-px size-3 shrink-0" />
      <span>
        {queued ? t('torrents.limit.queued') : t('torrents.limit.stopped')}
        {reason && <span className="sr-only"> : {reason}</span>}
      </span>
    </span>
  );
}

/**
 * "Dossier commun": the torrent's files are still in the shared folder of the versions before
 * per-user folders (`placement`, which only administrators get). The explanation is the tooltip,
 * and is read out after the badge. Nothing for any other placement.
 */
export function SharedFolderBadge({ torrent, className }: { torrent: Pick<Torrent, 'placement'>; className?: string }) {
  const { t } = useTranslation();
  if (torrent.placement !== 'shared') return null;
  const hint = t('torrents.placement.sharedHint');
  return (
    <span
      data-placement="shared"
      title={hint}
      className={cx(
        'inline-flex w-fit items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset',
        'bg-orange-50 text-orange-900 ring-orange-300 dark:bg-orange-950/60 dark:text-orange-200 dark:ring-orange-800',
        className,
      )}
    >
      <FolderOpen aria-hidden="true" className="size-3 shrink-0" />
      {t('torrents.placement.shared')}
      <span className="sr-only"> : {hint}</span>
    </span>
  );
}

/** Progress bar colour for a torrent. */
export function progressTone(torrent: Torrent): ProgressTone {
  switch (effectiveState(torrent)) {
    case 'seeding':
    case 'completed':
      return 'green';
    case 'error':
      return 'red';
    case 'paused':
    case 'removed':
      return 'stone';
    case 'stalled':
    case 'metadata':
      return 'amber';
    default:
      return 'blue';
  }
}

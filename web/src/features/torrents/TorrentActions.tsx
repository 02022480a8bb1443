import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { FolderOpen, Info, Pause, Play, Trash2, UserPlus } from 'lucide-react';
import { errorMessage } from '../../api/client';
import type { Torrent } from '../../api/types';
import { Button } from '../../components/Button';
import { IconButton } from '../../components/IconAction';
import { ActionMenu, type MenuItem } from '../../components/Menu';
import { cx } from '../../lib/cx';
import { useMe } from '../../api/queries';
import { mayAssign, mayDelete, mayPause } from './permissions';
import { useTorrentAction } from './queries';
import { FILES_ANCHOR, torrentFilesPage, torrentPage, useDetailLinkState } from './routes';
import { canPause, canResume } from './states';

export interface ActionsProps {
  torrent: Torrent;
  onDelete: (t: Torrent) => void;
  /** Opens "Attribuer…" (administrators only; pages that do not offer it leave it out). */
  onAssign?: (t: Torrent) => void;
  /** Reports a failed pause/resume in French. */
  onError: (message: string) => void;
  /**
   * `icons`: the lists (table rows and phone cards): Pause/Reprendre as one button, everything
   * else in the "Plus d'actions" menu; `buttons`: the detail page (visible labels).
   */
  variant?: 'icons' | 'buttons';
  showDetails?: boolean;
  /**
   * "Fichiers" (browse and download the files): `named` in the lists ("Fichiers de « name »"),
   * `here` on the detail page itself (just "Fichiers", keeps the folder shown).
   */
  files?: 'named' | 'here';
  /** Smaller icon buttons (table rows). */
  compact?: boolean;
  className?: string;
}

/**
 * Pause or Reprendre (depending on the state), Fichiers, Détails, Attribuer…, Supprimer. Pause,
 * Reprendre and Supprimer only when the server says the user may act on this
 * torrent (`can_act`) and the user's group allows it (permissions.ts); Attribuer…
 * only for administrators, highlighted when the torrent has no owner.
 */
export function TorrentActions({
  torrent,
  onDelete,
  onAssign,
  onError,
  variant = 'icons',
  showDetails = true,
  files = 'named',
  compact = false,
  className,
}: ActionsProps) {
  const { t } = useTranslation();
  const location = useLocation();
  const pause = useTorrentAction('pause');
  const resume = useTorrentAction('resume');
  const name = torrent.name;
  const { data: me } = useMe();
  const linkState = useDetailLinkState();
  const act = torrent.can_act;
  const pausable = act && mayPause(me);
  const deletable = act && mayDelete(me);
  const assignable = !!onAssign && mayAssign(me);
  const unowned = torrent.owner === null;
  const assignLabel = unowned
    ? t('torrents.actions.assignNamedUnowned', { name })
    : t('torrents.actions.assignNamed', { name });
  const filesLink =
    files === 'here'
      ? { to: `${location.pathname}${location.search}#${FILES_ANCHOR}`, state: location.state as unknown, label: undefined }
      : { to: torrentFilesPage(torrent.hash), state: linkState as unknown, label: t('files.openNamed', { name }) };
  const run = (m: typeof pause, verb: string) =>
    m.mutate(torrent.hash, {
      onError: (e) => onError(t('torrents.actions.failed', { action: verb, name, message: errorMessage(e) })),
    });

  if (variant === 'buttons') {
    return (
      <div className={cx('flex flex-wrap gap-2', className)}>
        {pausable && canPause(torrent) && (
          <Button
            variant="secondary"
            busy={pause.isPending}
            aria-label={t('torrents.actions.pauseNamed', { name })}
            icon={<Pause aria-hidden="true" className="size-4" />}
            onClick={() => run(pause, t('torrents.actions.pauseVerb'))}
          >
            {t('torrents.actions.pause')}
          </Button>
        )}
        {pausable && canResume(torrent) && (
          <Button
            variant="secondary"
            busy={resume.isPending}
            aria-label={t('torrents.actions.resumeNamed', { name })}
            icon={<Play aria-hidden="true" className="size-4" />}
            onClick={() => run(resume, t('torrents.actions.resumeVerb'))}
          >
            {t('torrents.actions.resume')}
          </Button>
        )}
        {assignable && (
          <Button
            variant={unowned ? 'primary' : 'secondary'}
            aria-label={assignLabel}
            icon={<UserPlus aria-hidden="true" className="size-4" />}
            onClick={() => onAssign?.(torrent)}
          >
            {t('torrents.actions.assign')}
          </Button>
        )}
        {deletable && (
          <Button
            variant="secondary"
            className="text-red-700 dark:text-red-300"
            aria-label={t('torrents.actions.deleteNamed', { name })}
            icon={<Trash2 aria-hidden="true" className="size-4" />}
            onClick={() => onDelete(torrent)}
          >
            {t('torrents.actions.delete')}
          </Button>
        )}
        <IconLinkButton
          to={filesLink.to}
          state={filesLink.state}
          label={filesLink.label}
          icon={<FolderOpen aria-hidden="true" className="size-4" />}
        >
          {t('files.open')}
        </IconLinkButton>
        {showDetails && (
          <IconLinkButton
            to={torrentPage(torrent.hash)}
            state={linkState}
            label={t('torrents.actions.detailsNamed', { name })}
            icon={<Info aria-hidden="true" className="size-4" />}
          >
            {t('torrents.actions.details')}
          </IconLinkButton>
        )}
      </div>
    );
  }

  // One button for both, kept across the change (pause → "Reprendre"): focus stays on it.
  const toggle = pausable && (canPause(torrent) || canResume(torrent));
  const pausing = canPause(torrent);
  const items: MenuItem[] = [
    {
      key: 'files',
      label: t('files.open'),
      icon: <FolderOpen aria-hidden="true" className="size-4" />,
      to: filesLink.to,
      state: filesLink.state,
    },
  ];
  if (showDetails) {
    items.push({
      key: 'details',
      label: t('torrents.actions.details'),
      icon: <Info aria-hidden="true" className="size-4" />,
      to: torrentPage(torrent.hash),
      state: linkState,
    });
  }
  if (assignable) {
    items.push({
      key: 'assign',
      label: unowned ? t('torrents.actions.assignUnowned') : t('torrents.actions.assign'),
      tone: unowned ? 'accent' : 'neutral',
      icon: <UserPlus aria-hidden="true" className="size-4" />,
      onSelect: () => onAssign?.(torrent),
    });
  }
  if (deletable) {
    items.push({
      key: 'delete',
      label: t('torrents.actions.delete'),
      tone: 'danger',
      icon: <Trash2 aria-hidden="true" className="size-4" />,
      onSelect: () => onDelete(torrent),
    });
  }

  return (
    <div className={cx('flex items-center justify-end gap-0.5', className)}>
      {toggle ? (
        <IconButton
          key="toggle"
          data-row-toggle=""
          label={pausing ? t('torrents.actions.pauseNamed', { name }) : t('torrents.actions.resumeNamed', { name })}
          tip={pausing ? t('torrents.actions.pause') : t('torrents.actions.resume')}
          busy={pause.isPending || resume.isPending}
          small={compact}
          icon={pausing ? <Pause aria-hidden="true" className="size-4" /> : <Play aria-hidden="true" className="size-4" />}
          onClick={() =>
            pausing ? run(pause, t('torrents.actions.pauseVerb')) : run(resume, t('torrents.actions.resumeVerb'))
          }
        />
      ) : (
        // Keeps the menus lined up in the column.
        <span aria-hidden="true" className={compact ? 'size-8' : 'size-9'} />
      )}
      <ActionMenu
        label={t('torrents.actions.moreNamed', { name })}
        tip={t('torrents.actions.more')}
        small={compact}
        items={items}
        buttonProps={{ 'data-row-menu': '' }}
      />
    </div>
  );
}

/** A link that looks like a secondary button. */
function IconLinkButton({
  to,
  state,
  label,
  icon,
  children,
}: {
  to: string;
  state: unknown;
  /** Accessible name, when the visible text needs more context. */
  label?: string;
  icon: ReactNode;
  children: string;
}) {
  return (
    <Link
      to={to}
      state={state}
      aria-label={label}
      className="inline-flex min-h-10 items-center justify-center gap-2 rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-semibold text-stone-900 hover:bg-stone-100 dark:border-stone-600 dark:bg-stone-900 dark:text-stone-100 dark:hover:bg-stone-800"
    >
      {icon}
      <span>{children}</span>
    </Link>
  );
}

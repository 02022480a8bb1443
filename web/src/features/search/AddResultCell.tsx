import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { CircleCheck, Plus } from 'lucide-react';
import { useMe } from '../../api/queries';
import type { SearchResult } from '../../api/types';
import { Button } from '../../components/Button';
import { cx } from '../../lib/cx';
import { canSeeAll } from '../torrents/permissions';
import { torrentPage } from '../torrents/routes';

/** What happened to "Ajouter" on one result, while the page is open. */
export type AddState = { status: 'pending' } | { status: 'error'; message: string };

const linkClass =
  'text-sm font-medium whitespace-nowrap text-amber-800 underline underline-offset-2 hover:no-underline dark:text-amber-300';

/**
 * "Ajouter"; "Ajouté" with a link to the torrent once it is the user's; "Déjà ajouté" when
 * the server already has it (someone else added it: an add would be refused), with a link when
 * the user may see every torrent. A failure shows under the button.
 */
export function AddResultCell({
  result,
  state,
  onAdd,
  compact,
}: {
  result: SearchResult;
  state: AddState | undefined;
  onAdd: (r: SearchResult) => void;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const box = compact ? 'flex flex-col items-end gap-0.5 text-right' : 'flex flex-wrap items-center gap-x-3 gap-y-1';
  if (result.added) {
    return (
      <div className={box}>
        <span className="inline-flex items-center gap-1 font-semibold whitespace-nowrap text-emerald-700 dark:text-emerald-300">
          <CircleCheck aria-hidden="true" className="size-4" />
          {t('search.added')}
        </span>
        <Link to={torrentPage(result.added.hash)} className={linkClass}>
          {t('search.seeInMine')}
        </Link>
      </div>
    );
  }
  if (result.on_server) {
    const hash = result.info_hash?.toLowerCase();
    return (
      <div className={box}>
        <span
          className="inline-flex items-center gap-1 font-semibold whitespace-nowrap text-stone-700 dark:text-stone-300"
          title={t('search.onServerHint')}
        >
          <CircleCheck aria-hidden="true" className="size-4" />
          {t('search.onServer')}
        </span>
        {hash && canSeeAll(me) ? (
          <Link to={torrentPage(hash)} className={linkClass} aria-label={t('search.seeOnServerNamed', { title: result.title })}>
            {t('search.seeOnServer')}
          </Link>
        ) : (
          <span className={cx('text-xs text-stone-600 dark:text-stone-400', compact && 'max-w-32')}>{t('search.onServerHint')}</span>
        )}
      </div>
    );
  }
  const busy = state?.status === 'pending';
  return (
    <div className={compact ? 'flex flex-col items-end gap-1' : 'flex flex-col items-start gap-1'}>
      <Button
        variant="secondary"
        className={compact ? 'min-h-8 px-3 py-1' : undefined}
        busy={busy}
        busyLabel={t('search.adding')}
        aria-label={busy ? undefined : t('search.addNamed', { title: result.title })}
        icon={<Plus aria-hidden="true" className="size-4" />}
        onClick={() => onAdd(result)}
      >
        {t('search.add')}
      </Button>
      {state?.status === 'error' && (
        <p role="alert" className="max-w-56 text-sm font-medium text-red-700 dark:text-red-300">
          {t('search.addFailed', { message: state.message })}
        </p>
      )}
    </div>
  );
}

import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { CircleCheck, Plus } from 'lucide-react';
import type { SearchResult } from '../../api/types';
import { Button } from '../../components/Button';
import { torrentPage } from '../torrents/routes';

/** What happened to "Ajouter" on one result, while the page is open. */
export type AddState = { status: 'pending' } | { status: 'error'; message: string };

/** "Ajouter", then "Ajouté" with a link to the torrent, or the French error under the button. */
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
  if (result.added) {
    return (
      <div className={compact ? 'flex flex-col items-end gap-0.5 text-right' : 'flex flex-wrap items-center gap-x-3 gap-y-1'}>
        <span className="inline-flex items-center gap-1 font-semibold text-emerald-700 dark:text-emerald-300">
          <CircleCheck aria-hidden="true" className="size-4" />
          {t('search.added')}
        </span>
        <Link
          to={torrentPage(result.added.hash)}
          className="text-sm font-medium whitespace-nowrap text-amber-800 underline underline-offset-2 hover:no-underline dark:text-amber-300"
        >
          {t('search.seeInMine')}
        </Link>
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

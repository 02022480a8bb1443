import { useTranslation } from 'react-i18next';
import { Pause, Play, Trash2, X } from 'lucide-react';
import { errorMessage } from '../../api/client';
import type { Torrent } from '../../api/types';
import { Button } from '../../components/Button';
import { useMe } from '../../api/queries';
import { mayDelete, mayPause } from './permissions';
import { useBulkAction } from './queries';

/**
 * The selection's actions (`POST /api/torrents/pause|resume`, Supprimer through the delete
 * dialog): only the torrents the user may act on are sent; the server checks them all first
 * and refuses the whole request on one refusal (its French message is shown).
 */
export function BulkBar({
  selected,
  onDelete,
  onClear,
  onError,
}: {
  selected: readonly Torrent[];
  onDelete: (ts: Torrent[]) => void;
  onClear: () => void;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const pause = useBulkAction('pause');
  const resume = useBulkAction('resume');
  const actable = selected.filter((x) => x.can_act && !x.removed);
  const hashes = actable.map((x) => x.hash);
  const run = (m: typeof pause, verb: string) =>
    m.mutate(hashes, { onError: (e) => onError(t('torrents.bulk.failed', { action: verb, message: errorMessage(e) })) });
  const deletable = selected.filter((x) => x.can_act);

  return (
    <div
      role="region"
      aria-label={t('torrents.bulk.label')}
      data-testid="bulk-bar"
      className="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-sm dark:border-amber-800 dark:bg-amber-950/50"
    >
      <span className="font-semibold">{t('torrents.bulk.selected', { count: selected.length })}</span>
      {mayPause(me) && (
        <>
          <Button
            variant="secondary"
            className="min-h-8 px-3 py-1"
            disabled={hashes.length === 0}
            busy={pause.isPending}
            icon={<Pause aria-hidden="true" className="size-4" />}
            onClick={() => run(pause, t('torrents.actions.pauseVerb'))}
          >
            {t('torrents.bulk.pause')}
          </Button>
          <Button
            variant="secondary"
            className="min-h-8 px-3 py-1"
            disabled={hashes.length === 0}
            busy={resume.isPending}
            icon={<Play aria-hidden="true" className="size-4" />}
            onClick={() => run(resume, t('torrents.actions.resumeVerb'))}
          >
            {t('torrents.bulk.resume')}
          </Button>
        </>
      )}
      {mayDelete(me) && (
        <Button
          variant="secondary"
          className="min-h-8 px-3 py-1 text-red-700 dark:text-red-300"
          disabled={deletable.length === 0}
          icon={<Trash2 aria-hidden="true" className="size-4" />}
          onClick={() => onDelete(deletable)}
        >
          {t('torrents.bulk.delete')}
        </Button>
      )}
      <Button variant="ghost" className="min-h-8 px-3 py-1" icon={<X aria-hidden="true" className="size-4" />} onClick={onClear}>
        {t('torrents.bulk.clear')}
      </Button>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { History } from 'lucide-react';
import { cx } from '../../lib/cx';
import { formatClock } from '../../lib/format';
import type { Liveness } from './liveness';

/** "Dernière valeur à 14:05" (browser time), "Valeurs non actualisées" when unknown; undefined while live. */
export function useStaleText(liveness: Liveness | undefined): string | undefined {
  const { t } = useTranslation();
  if (!liveness?.stale) return undefined;
  return liveness.since !== null
    ? t('torrents.live.staleSince', { time: formatClock(liveness.since) })
    : t('torrents.live.staleUnknown');
}

/** The visible marker next to values that are no longer live (nothing while they are). */
export function StaleNote({ liveness, className }: { liveness: Liveness | undefined; className?: string }) {
  const text = useStaleText(liveness);
  if (!text) return null;
  return (
    <span
      data-testid="stale-marker"
      className={cx('inline-flex items-center gap-1 text-xs font-medium text-stone-600 dark:text-stone-400', className)}
    >
      <History aria-hidden="true" className="size-3.5 shrink-0" />
      {text}
    </span>
  );
}

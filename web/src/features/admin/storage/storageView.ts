import i18n from '../../../i18n';
import type { StorageItemStatus, StorageMove, StorageState } from '../../../api/types';

/** "12 torrents dans le dossier de leur propriétaire, 3 dans le dossier commun[, 1 ailleurs]." */
export function countsSentence(counts: StorageState['counts']): string {
  const parts = [
    i18n.t('adminStorage.countsUserFolder', { count: counts.user_folder }),
    i18n.t('adminStorage.countsShared', { count: counts.shared }),
  ];
  if (counts.elsewhere > 0) parts.push(i18n.t('adminStorage.countsElsewhere', { count: counts.elsewhere }));
  const text = parts.join(', ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const STATUSES: readonly StorageItemStatus[] = ['waiting', 'moving', 'done', 'failed'];

/** "en attente", "en cours", "déplacé", "échec" (an unknown status reads as waiting). */
export function itemStatusLabel(status: string): string {
  const s = STATUSES.includes(status as StorageItemStatus) ? (status as StorageItemStatus) : 'waiting';
  return i18n.t(`adminStorage.status.${s}`);
}

/** Items handled so far (moved or failed), for the progress bar. */
export function handled(move: Pick<StorageMove, 'done' | 'failed'>): number {
  return move.done + move.failed;
}

/** "3 torrents déplacés, 1 échec" (the failures only when there are some). */
export function moveSummary(move: Pick<StorageMove, 'done' | 'failed'>): string {
  const moved = i18n.t('adminStorage.moved', { count: move.done });
  return move.failed > 0 ? `${moved}, ${i18n.t('adminStorage.failedCount', { count: move.failed })}` : moved;
}

/** Torrents in the shared folder that cannot be moved (no owner): counted but not listed. */
export function unownedShared(state: Pick<StorageState, 'counts' | 'shared'>): number {
  return Math.max(0, state.counts.shared - state.shared.length);
}

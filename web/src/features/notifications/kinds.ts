import { Bell, CircleCheck, CirclePause, Trash2, TriangleAlert, type LucideIcon } from 'lucide-react';
import type { AppNotification, NotificationKind } from '../../api/types';

const icons: Record<NotificationKind, { icon: LucideIcon; color: string }> = {
  completed: { icon: CircleCheck, color: 'text-emerald-600 dark:text-emerald-400' },
  limit_stopped: { icon: CirclePause, color: 'text-amber-600 dark:text-amber-400' },
  error: { icon: TriangleAlert, color: 'text-red-600 dark:text-red-400' },
  removed: { icon: Trash2, color: 'text-stone-500 dark:text-stone-400' },
};

const fallback = { icon: Bell, color: 'text-stone-500 dark:text-stone-400' };

/** The icon (and its colour classes) of a kind; a plain bell for a kind this version does not know. */
export function kindIcon(kind: NotificationKind | undefined): { icon: LucideIcon; color: string } {
  return (kind && icons[kind]) || fallback;
}

/**
 * The torrent's page, when the notification is about one that still exists
 * (a torrent an administrator removed would only answer "Torrent introuvable").
 */
export function torrentLink(n: Pick<AppNotification, 'kind' | 'torrent_hash'>): string | undefined {
  if (!n.torrent_hash || n.kind === 'removed') return undefined;
  return `/torrents/${encodeURIComponent(n.torrent_hash)}`;
}

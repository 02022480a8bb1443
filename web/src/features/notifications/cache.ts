import type { QueryClient } from '@tanstack/react-query';
import type { AppNotification, NotificationKind, NotificationList } from '../../api/types';

/** How many notifications the bell asks for (and keeps when new ones arrive live). */
export const NOTIFICATIONS_LIMIT = 50;

export const notificationsKey = ['notifications'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** A notification as the server sends it, or null when the value is not one. */
export function toNotification(v: unknown): AppNotification | null {
  if (!isObject(v)) return null;
  if (typeof v.id !== 'number' || typeof v.message !== 'string') return null;
  if (typeof v.kind !== 'string') return null;
  return {
    id: v.id,
    // A kind this version does not know is shown with a plain bell (see `kindIcon`).
    kind: v.kind as NotificationKind,
    torrent_hash: typeof v.torrent_hash === 'string' && v.torrent_hash !== '' ? v.torrent_hash : null,
    torrent_name: typeof v.torrent_name === 'string' && v.torrent_name !== '' ? v.torrent_name : null,
    message: v.message,
    created_at: typeof v.created_at === 'number' ? v.created_at : 0,
    read_at: typeof v.read_at === 'number' ? v.read_at : null,
  };
}

/** `GET /api/notifications`, tolerant of missing fields. */
export function toNotificationList(v: unknown): NotificationList {
  const raw = isObject(v) ? v : {};
  const notifications = Array.isArray(raw.notifications)
    ? raw.notifications.map(toNotification).filter((n): n is AppNotification => n !== null)
    : [];
  const unread = isCount(raw.unread) ? raw.unread : notifications.filter((n) => n.read_at === null).length;
  return { notifications, unread };
}

export interface NotificationFrame {
  notification: AppNotification;
  /** The user's unread count after it, when the server says. */
  unread: number | null;
}

/** Parses a WebSocket text frame `{"type":"notification",…}`; null for anything else. */
export function parseNotificationFrame(data: unknown): NotificationFrame | null {
  if (typeof data !== 'string') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(raw) || raw.type !== 'notification') return null;
  const notification = toNotification(raw.notification);
  if (!notification) return null;
  return { notification, unread: isCount(raw.unread) ? raw.unread : null };
}

/**
 * A live notification goes on top of the cached list (the server's unread count
 * replaces ours). Without a cached list there is nothing to update: the list is
 * fetched when the bell needs it.
 */
export function addNotification(client: QueryClient, { notification, unread }: NotificationFrame): void {
  const old = client.getQueryData<NotificationList>(notificationsKey);
  if (!old) {
    void client.invalidateQueries({ queryKey: notificationsKey, exact: true });
    return;
  }
  const known = old.notifications.some((n) => n.id === notification.id);
  const rest = old.notifications.filter((n) => n.id !== notification.id);
  client.setQueryData<NotificationList>(notificationsKey, {
    notifications: [notification, ...rest].slice(0, NOTIFICATIONS_LIMIT),
    unread: unread ?? old.unread + (known || notification.read_at !== null ? 0 : 1),
  });
}

/** Marks some notifications (or all of them, without `ids`) read in the cache, at `now` (Unix seconds). */
export function markReadInCache(client: QueryClient, ids: readonly number[] | undefined, now: number): void {
  client.setQueryData<NotificationList>(notificationsKey, (old) => {
    if (!old) return old;
    const wanted = ids ? new Set(ids) : null;
    let marked = 0;
    const notifications = old.notifications.map((n) => {
      if (n.read_at !== null || (wanted && !wanted.has(n.id))) return n;
      marked += 1;
      return { ...n, read_at: now };
    });
    return { notifications, unread: wanted ? Math.max(0, old.unread - marked) : 0 };
  });
}

/** The server's unread count after a change. */
export function setUnread(client: QueryClient, unread: number): void {
  client.setQueryData<NotificationList>(notificationsKey, (old) => (old ? { ...old, unread } : old));
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { NotificationList } from '../../api/types';
import { addNotification, markReadInCache, notificationsKey, parseNotificationFrame, toNotificationList } from './cache';
import { formatWhen } from './time';
import { ToastStore } from './toastStore';

afterEach(() => vi.useRealTimers());

const n = (id: number, read_at: number | null = null) => ({
  id,
  kind: 'completed' as const,
  torrent_hash: null,
  torrent_name: null,
  message: `M${id}`,
  created_at: 1_800_000_000,
  read_at,
});

describe('ToastStore', () => {
  it('keeps at most 3 toasts, the oldest leaving first', () => {
    const store = new ToastStore();
    for (let i = 1; i <= 4; i++) store.show({ message: `T${i}` });
    expect(store.getSnapshot().map((t) => t.message)).toEqual(['T2', 'T3', 'T4']);
    store.clear();
  });

  it('dismisses after 6 s, counting only the time it was not paused', () => {
    vi.useFakeTimers();
    const store = new ToastStore();
    const listener = vi.fn();
    store.subscribe(listener);
    store.show({ message: 'A' });
    vi.advanceTimersByTime(4000);
    store.pause('hidden');
    vi.advanceTimersByTime(60_000);
    expect(store.getSnapshot()).toHaveLength(1);
    store.pause('hover');
    store.resume('hidden');
    vi.advanceTimersByTime(60_000);
    expect(store.getSnapshot()).toHaveLength(1); // still hovered
    store.resume('hover');
    vi.advanceTimersByTime(1999);
    expect(store.getSnapshot()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(store.getSnapshot()).toHaveLength(0);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('shown while paused, a toast waits for the resume', () => {
    vi.useFakeTimers();
    const store = new ToastStore();
    store.pause('hidden');
    const id = store.show({ message: 'A' });
    vi.advanceTimersByTime(10_000);
    expect(store.getSnapshot().map((t) => t.id)).toEqual([id]);
    store.resume('hidden');
    vi.advanceTimersByTime(6000);
    expect(store.getSnapshot()).toEqual([]);
  });
});

describe('notification cache', () => {
  it('parses only notification frames', () => {
    expect(parseNotificationFrame(JSON.stringify({ type: 'notification', notification: { ...n(1), torrent_hash: '' }, unread: 4 }))).toEqual({
      notification: n(1),
      unread: 4,
    });
    expect(parseNotificationFrame(JSON.stringify({ type: 'notification', notification: n(1) }))?.unread).toBeNull();
    expect(parseNotificationFrame(JSON.stringify({ type: 'torrents', full: true, torrents: [] }))).toBeNull();
    expect(parseNotificationFrame('pas du json')).toBeNull();
    expect(parseNotificationFrame(JSON.stringify({ type: 'notification', notification: { id: 1 } }))).toBeNull();
  });

  it('reads a list tolerantly', () => {
    expect(toNotificationList({ notifications: [n(2), { id: 'x' }, n(1, 5)] })).toEqual({
      notifications: [n(2), n(1, 5)],
      unread: 1,
    });
    expect(toNotificationList(null)).toEqual({ notifications: [], unread: 0 });
  });

  it('prepends live notifications once, and marks read', () => {
    const client = new QueryClient();
    client.setQueryData<NotificationList>(notificationsKey, { notifications: [n(1)], unread: 1 });
    addNotification(client, { notification: n(2), unread: null });
    addNotification(client, { notification: n(2), unread: null });
    let data = client.getQueryData<NotificationList>(notificationsKey)!;
    expect(data.notifications.map((x) => x.id)).toEqual([2, 1]);
    expect(data.unread).toBe(2);
    addNotification(client, { notification: n(3), unread: 9 });
    expect(client.getQueryData<NotificationList>(notificationsKey)!.unread).toBe(9);

    markReadInCache(client, [3], 100);
    data = client.getQueryData<NotificationList>(notificationsKey)!;
    expect(data.notifications.map((x) => x.read_at)).toEqual([100, null, null]);
    expect(data.unread).toBe(8);
    markReadInCache(client, undefined, 200);
    data = client.getQueryData<NotificationList>(notificationsKey)!;
    expect(data.notifications.map((x) => x.read_at)).toEqual([100, 200, 200]);
    expect(data.unread).toBe(0);
  });
});

describe('formatWhen', () => {
  const now = 1_800_000_000;
  it('says how long ago in French, then the date', () => {
    expect(formatWhen(now - 10, now, "à l'instant")).toBe("à l'instant");
    expect(formatWhen(now - 5 * 60, now, '')).toBe('il y a 5 minutes');
    expect(formatWhen(now - 3 * 3600, now, '')).toBe('il y a 3 heures');
    expect(formatWhen(now - 86400 - 60, now, '')).toBe('hier');
    expect(formatWhen(now - 4 * 86400, now, '')).toBe('il y a 4 jours');
    expect(formatWhen(now - 30 * 86400, now, '')).toMatch(/^\d+ [a-zéû.]+ \d{4} à \d\d:\d\d$/);
  });
});

import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { NotificationList } from '../../api/types';
import { useLive } from '../torrents/LiveProvider';
import { NOTIFICATIONS_LIMIT, markReadInCache, notificationsKey, setUnread, toNotificationList } from './cache';

/**
 * The user's last notifications and unread count. The socket keeps them fresh;
 * without it they are polled every minute, and fetched again when it comes back
 * (it may have missed some).
 */
export function useNotifications() {
  const client = useQueryClient();
  const connection = useLive()?.connection;
  const query = useQuery({
    queryKey: notificationsKey,
    queryFn: async ({ signal }) => toNotificationList(await api.notifications(NOTIFICATIONS_LIMIT, signal)),
    staleTime: 30_000,
    refetchInterval: connection === 'open' ? false : 60_000,
  });

  const previous = useRef(connection);
  useEffect(() => {
    if (previous.current === 'lost' && connection === 'open') {
      void client.invalidateQueries({ queryKey: notificationsKey, exact: true });
    }
    previous.current = connection;
  }, [connection, client]);

  return query;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Marks notifications read (all of them without ids): at once in the cache, then on the server. */
export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: readonly number[] | undefined) => api.markNotificationsRead(ids),
    onMutate: (ids) => markReadInCache(client, ids, nowSeconds()),
    onSuccess: (res) => {
      if (res && typeof res.unread === 'number') setUnread(client, res.unread);
    },
    onError: () => client.invalidateQueries({ queryKey: notificationsKey, exact: true }),
  });
}

/** Deletes every notification of the user. */
export function useClearNotifications() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.clearNotifications(),
    onSuccess: () => client.setQueryData<NotificationList>(notificationsKey, { notifications: [], unread: 0 }),
  });
}

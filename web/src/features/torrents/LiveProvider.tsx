import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useMe } from '../../api/queries';
import { LiveClient, liveUrl, type LiveSnapshot, type SocketLike } from './live';
import { liveness, type Liveness } from './liveness';
import type { QbtStatus } from '../../api/types';
import { applyLiveMessage } from './liveCache';
import { canSeeAll } from './permissions';
import { receiveNotificationFrame } from '../notifications/live';
import { receiveSpeedFrame } from '../charts/liveSpeed';
import { ToastProvider } from '../notifications/Toaster';
import { ToastStore } from '../notifications/toastStore';

const LiveContext = createContext<LiveSnapshot | null>(null);

/** State of the live connection; null outside the logged-in pages (then lists simply poll). */
export function useLive(): LiveSnapshot | null {
  return useContext(LiveContext);
}

/** True when the socket keeps the cache fresh, so that queries need not poll. */
export function useLiveOpen(): boolean {
  return useLive()?.connection === 'open';
}

/**
 * Whether the values a page shows are still live (liveness.ts), from the socket and the page's
 * own query (its `qbittorrent`/`stale` fields, when it was fetched, whether the last fetch failed).
 */
export function useLiveness(query?: {
  data?: { qbittorrent?: QbtStatus; stale?: boolean } | null;
  dataUpdatedAt: number;
  isError: boolean;
}): Liveness {
  const live = useLive();
  const fetched = query
    ? {
        qbittorrent: query.data?.qbittorrent,
        stale: query.data?.stale,
        at: query.data ? query.dataUpdatedAt : 0,
        failing: query.isError,
      }
    : undefined;
  return liveness(live, fetched);
}

/**
 * Keeps one WebSocket to `/api/ws` open while the user is logged in and writes
 * its messages into the query cache. `createSocket` exists for tests.
 */
export function LiveProvider({
  children,
  createSocket,
}: {
  children: ReactNode;
  createSocket?: (url: string) => SocketLike;
}) {
  const client = useQueryClient();
  const { data: me } = useMe();
  const [asked] = useState(() => new Set<string>());
  const ctx = useRef({ userId: me?.id ?? -1, seeAll: canSeeAll(me), asked });
  ctx.current = { userId: me?.id ?? -1, seeAll: canSeeAll(me), asked };

  // Toasts (notifications arriving over the socket, and any page that wants one).
  const [toasts] = useState(() => new ToastStore());

  const [live] = useState(
    () =>
      new LiveClient({
        url: liveUrl(),
        createSocket,
        onMessage: (msg) => applyLiveMessage(client, msg, ctx.current),
        // `speed` frames feed the charts (features/charts); anything else may be a notification.
        onOtherFrame: (data) => {
          if (!receiveSpeedFrame(data)) receiveNotificationFrame(client, toasts, data);
        },
      }),
  );

  useEffect(() => {
    live.start();
    const online = () => live.retryNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      live.stop();
    };
  }, [live]);

  const snapshot = useSyncExternalStore(live.subscribe, live.getSnapshot);
  return (
    <LiveContext.Provider value={snapshot}>
      <ToastProvider store={toasts}>{children}</ToastProvider>
    </LiveContext.Provider>
  );
}

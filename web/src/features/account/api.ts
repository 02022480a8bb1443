import { useQuery } from '@tanstack/react-query';
import { request } from '../../api/client';
import { apiPaths } from '../../api/paths';
import type { AppNotification, User } from '../../api/types';

/* ---------- Shapes (docs/api-notifications.md, "E-mail and webhook") ---------- */

export interface ChannelsInput {
  notify_email?: boolean;
  /** null = no webhook. */
  webhook_url?: string | null;
}

export type DeliveryChannel = 'email' | 'webhook';
export type DeliveryStatus = 'pending' | 'sent' | 'failed';

/** One sending of a notification by e-mail or webhook (an outbox row). */
export interface Delivery {
  id: number;
  channel: DeliveryChannel;
  /** The e-mail address or the webhook's address. */
  target: string;
  status: DeliveryStatus;
  /** Attempts made so far (5 at most before `failed`). */
  attempts: number;
  /** French reason of the last failure. */
  last_error: string | null;
  /** Unix seconds. */
  updated_at: number;
  notification: AppNotification;
}

export interface DeliveryList {
  deliveries: Delivery[];
}

/* ---------- Calls ---------- */

export const accountApi = {
  /** `PATCH /api/me` with the notification channels only; answers the updated account. */
  updateChannels: (body: ChannelsInput) => request<User>(apiPaths.me, { method: 'PATCH', body }),
  /** The last 20 deliveries, newest first. */
  deliveries: (signal?: AbortSignal) => request<DeliveryList>(apiPaths.meDeliveries, { signal }),
};

/** Kept out of `['me']`, whose invalidations would otherwise refetch it too. */
export const accountKeys = {
  deliveries: ['account', 'deliveries'] as const,
};

/** Refresh period while some delivery is still pending. */
export const DELIVERIES_POLL_MS = 15_000;

export function hasPending(list: DeliveryList | undefined): boolean {
  return !!list?.deliveries.some((d) => d.status === 'pending');
}

export function useDeliveries() {
  return useQuery({
    queryKey: accountKeys.deliveries,
    queryFn: ({ signal }) => accountApi.deliveries(signal),
    refetchInterval: (query) => (hasPending(query.state.data) ? DELIVERIES_POLL_MS : false),
  });
}

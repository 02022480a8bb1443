import type { QueryClient } from '@tanstack/react-query';
import i18n from '../../i18n';
import { queryKeys } from '../../api/queries';
import type { Instance } from '../../api/types';
import { showBrowserNotification } from './browser';
import { addNotification, parseNotificationFrame } from './cache';
import { torrentLink } from './kinds';
import type { ToastStore } from './toastStore';

/**
 * Handles a WebSocket frame if it is a `notification` (returns whether it was):
 * the bell's list and count are updated, a toast appears, and a system
 * notification too when the user allowed them and the tab is hidden. The server
 * sends the frame to every open tab of the user, so each tab does this itself.
 */
export function receiveNotificationFrame(client: QueryClient, toasts: ToastStore, data: unknown): boolean {
  const frame = parseNotificationFrame(data);
  if (!frame) return false;
  const { notification } = frame;
  addNotification(client, frame);
  // "Terminés récemment" and the usage on the dashboard follow at once.
  void client.invalidateQueries({ queryKey: ['dashboard'] });
  toasts.show({ message: notification.message, kind: notification.kind, to: torrentLink(notification) });
  const siteName = client.getQueryData<Instance>(queryKeys.instance)?.site_name || i18n.t('app.defaultSiteName');
  showBrowserNotification(notification, siteName);
  return true;
}

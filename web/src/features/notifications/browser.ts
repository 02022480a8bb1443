import type { AppNotification } from '../../api/types';

/** Browser notifications: not available here, not asked yet, allowed, or refused. */
export type BrowserPermission = 'unsupported' | 'default' | 'granted' | 'denied';

function api(): typeof Notification | null {
  return typeof Notification === 'function' ? Notification : null;
}

export function browserPermission(): BrowserPermission {
  const N = api();
  if (!N) return 'unsupported';
  const p = N.permission;
  return p === 'granted' || p === 'denied' ? p : 'default';
}

/** Asks the browser (call it from a click only: browsers ignore or penalise asking on load). */
export async function requestBrowserPermission(): Promise<BrowserPermission> {
  const N = api();
  if (!N) return 'unsupported';
  try {
    // Old Safari only knows the callback form and returns undefined.
    const answer = await new Promise<NotificationPermission>((resolve, reject) => {
      const maybe = N.requestPermission(resolve);
      if (maybe && typeof maybe.then === 'function') maybe.then(resolve, reject);
    });
    return answer === 'granted' || answer === 'denied' ? answer : 'default';
  } catch {
    return browserPermission();
  }
}

/**
 * Shows a system notification when the user allowed them and this tab is hidden
 * (a visible tab has its toast). Every open tab gets the same message: the tag
 * makes the system show it once.
 */
export function showBrowserNotification(n: Pick<AppNotification, 'id' | 'message'>, title: string): void {
  const N = api();
  if (!N || N.permission !== 'granted' || document.visibilityState !== 'hidden') return;
  try {
    const shown = new N(title, { body: n.message, tag: `essaim-${n.id}` });
    shown.onclick = () => {
      window.focus();
      shown.close();
    };
  } catch {
    // Some mobile browsers only allow notifications from a service worker.
  }
}

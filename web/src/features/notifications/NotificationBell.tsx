import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import * as Dialog from '@radix-ui/react-dialog';
import { Bell, BellOff, BellRing, CheckCheck, Trash2, X } from 'lucide-react';
import type { AppNotification } from '../../api/types';
import { errorMessage } from '../../api/client';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Loading } from '../../components/Loading';
import { formatDate } from '../../lib/format';
import { cx } from '../../lib/cx';
import { browserPermission, requestBrowserPermission, type BrowserPermission } from './browser';
import { kindIcon, torrentLink } from './kinds';
import { useClearNotifications, useMarkRead, useNotifications } from './queries';
import { formatWhen } from './time';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const CLEAR_ID = 'notifications-clear';
const CANCEL_ID = 'notifications-clear-cancel';

/** The current time in Unix seconds, ticking every 30 s (relative dates). */
function useNow(): number {
  const [now, setNow] = useState(nowSeconds);
  useEffect(() => {
    const id = setInterval(() => setNow(nowSeconds()), 30_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

function NotificationItem({
  n,
  highlighted,
  now,
  onNavigate,
}: {
  n: AppNotification;
  highlighted: boolean;
  now: number;
  onNavigate: () => void;
}) {
  const { t } = useTranslation();
  const { icon: Icon, color } = kindIcon(n.kind);
  const to = torrentLink(n);
  return (
    <li
      data-testid="notification"
      data-unread={highlighted || undefined}
      className={cx(
        'flex gap-3 px-4 py-3',
        highlighted && 'bg-amber-50 dark:bg-amber-500/10',
      )}
    >
      <Icon aria-hidden="true" className={cx('mt-0.5 size-5 shrink-0', color)} />
      <div className="min-w-0 flex-1 text-sm">
        {highlighted && <span className="sr-only">{t('notifications.unreadItem')} </span>}
        {to ? (
          <Link
            to={to}
            onClick={onNavigate}
            className="break-words text-stone-900 underline-offset-2 hover:underline dark:text-stone-100"
          >
            {n.message}
          </Link>
        ) : (
          <p className="break-words text-stone-900 dark:text-stone-100">{n.message}</p>
        )}
        <p className="mt-0.5 text-xs text-stone-600 dark:text-stone-400">
          <time dateTime={new Date(n.created_at * 1000).toISOString()} title={formatDate(n.created_at)}>
            {formatWhen(n.created_at, now, t('notifications.justNow'))}
          </time>
        </p>
      </div>
      {highlighted && (
        <span aria-hidden="true" className="mt-1.5 size-2.5 shrink-0 rounded-full bg-amber-500 dark:bg-amber-400" />
      )}
    </li>
  );
}

/** The state of system notifications, and the button asking for them (never asked without a click). */
function BrowserNotifications() {
  const { t } = useTranslation();
  const [permission, setPermission] = useState<BrowserPermission>(browserPermission);
  const [asking, setAsking] = useState(false);

  async function ask() {
    setAsking(true);
    setPermission(await requestBrowserPermission());
    setAsking(false);
  }

  return (
    <div className="border-t border-stone-200 px-4 py-3 text-sm dark:border-stone-700" data-testid="browser-notifications">
      {permission === 'default' ? (
        <>
          <Button
            variant="secondary"
            className="w-full"
            onClick={ask}
            busy={asking}
            icon={<BellRing aria-hidden="true" className="size-4" />}
          >
            {t('notifications.browser.enable')}
          </Button>
          <p className="mt-2 text-xs text-stone-600 dark:text-stone-400">{t('notifications.browser.hint')}</p>
        </>
      ) : (
        <p role="status" className="flex items-start gap-2 text-stone-700 dark:text-stone-300">
          {permission === 'granted' ? (
            <BellRing aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
          ) : (
            <BellOff aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-stone-500 dark:text-stone-400" />
          )}
          <span>{t(`notifications.browser.${permission}`)}</span>
        </p>
      )}
    </div>
  );
}

/** The bell's panel: the list (marked read as it opens), its actions, and system notifications. */
function NotificationPanel({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const query = useNotifications();
  const markRead = useMarkRead();
  const clear = useClearNotifications();
  const now = useNow();
  const [confirming, setConfirming] = useState(false);
  const content = useRef<HTMLDivElement>(null);
  const focusById = (id: string) => document.getElementById(id)?.focus();

  const list = query.data?.notifications ?? [];
  const unread = query.data?.unread ?? 0;

  // Opening the panel reads what it shows: what was unread stays highlighted until it closes.
  const [seenUnread, setSeenUnread] = useState<ReadonlySet<number>>(() => new Set());
  const marked = useRef(false);
  const { mutate: mutateRead } = markRead;
  useEffect(() => {
    if (marked.current || !query.data) return;
    marked.current = true;
    const ids = query.data.notifications.filter((n) => n.read_at === null).map((n) => n.id);
    setSeenUnread(new Set(ids));
    if (query.data.unread === 0 && ids.length === 0) return;
    // More unread than listed: the others are too old to show; opening the bell reads them all.
    mutateRead(ids.length >= query.data.unread ? ids : undefined);
  }, [query.data, mutateRead]);

  // The question takes the place of the buttons: the focus goes to "Annuler", and back to "Effacer".
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) focusById(CANCEL_ID);
    else if (asked.current) focusById(CLEAR_ID);
    asked.current = confirming;
  }, [confirming]);

  function confirmClear() {
    clear.mutate(undefined, {
      onSuccess: () => {
        // The list is gone, and "Effacer" with it: the focus goes back to the panel.
        asked.current = false;
        setConfirming(false);
        content.current?.closest<HTMLElement>('[role="dialog"]')?.focus();
      },
    });
  }

  const error = markRead.error ?? clear.error;

  return (
    <div ref={content} className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-stone-200 px-4 py-3 dark:border-stone-700">
        <Dialog.Title className="flex-1 text-base font-semibold">{t('notifications.title')}</Dialog.Title>
        <Dialog.Close asChild>
          <button
            type="button"
            aria-label={t('notifications.close')}
            className="-mr-2 inline-flex size-9 items-center justify-center rounded-md text-stone-600 hover:bg-stone-200/70 dark:text-stone-300 dark:hover:bg-stone-800"
          >
            <X aria-hidden="true" className="size-5" />
          </button>
        </Dialog.Close>
      </div>

      {list.length > 0 && (
        <div className="flex flex-wrap items-center justify-end gap-2 border-b border-stone-200 px-4 py-2 dark:border-stone-700">
          {confirming ? (
            <div role="group" aria-labelledby="notifications-clear-question" className="flex w-full flex-wrap items-center gap-2">
              <p id="notifications-clear-question" className="mr-auto text-sm font-medium">
                {t('notifications.clearQuestion')}
              </p>
              <Button id={CANCEL_ID} variant="secondary" className="min-h-9 py-1" onClick={() => setConfirming(false)}>
                {t('notifications.cancel')}
              </Button>
              <Button
                variant="danger"
                className="min-h-9 py-1"
                onClick={confirmClear}
                busy={clear.isPending}
                busyLabel={t('notifications.clearing')}
              >
                {t('notifications.clearConfirm')}
              </Button>
            </div>
          ) : (
            <>
              {unread > 0 && (
                <Button
                  variant="ghost"
                  className="min-h-9 px-2 py-1"
                  onClick={() => markRead.mutate(undefined)}
                  icon={<CheckCheck aria-hidden="true" className="size-4" />}
                >
                  {t('notifications.markAllRead')}
                </Button>
              )}
              <Button
                variant="ghost"
                id={CLEAR_ID}
                className="min-h-9 px-2 py-1"
                onClick={() => setConfirming(true)}
                icon={<Trash2 aria-hidden="true" className="size-4" />}
              >
                {t('notifications.clear')}
              </Button>
            </>
          )}
        </div>
      )}

      {error && (
        <div className="px-4 pt-3">
          <Alert>{errorMessage(error)}</Alert>
        </div>
      )}

      <div className="min-h-0 flex-1 overflow-y-auto">
        {query.isPending ? (
          <div className="px-4">
            <Loading />
          </div>
        ) : query.isError && !query.data ? (
          <div className="flex flex-col items-start gap-2 px-4 py-3">
            <Alert className="w-full">{errorMessage(query.error)}</Alert>
            <Button variant="secondary" onClick={() => void query.refetch()}>
              {t('notifications.retry')}
            </Button>
          </div>
        ) : list.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-stone-600 dark:text-stone-400">{t('notifications.empty')}</p>
        ) : (
          <ul aria-label={t('notifications.listLabel')} className="divide-y divide-stone-200 dark:divide-stone-700">
            {list.map((n) => (
              <NotificationItem
                key={n.id}
                n={n}
                now={now}
                highlighted={n.read_at === null || seenUnread.has(n.id)}
                onNavigate={onNavigate}
              />
            ))}
          </ul>
        )}
      </div>

      <BrowserNotifications />
    </div>
  );
}

/**
 * The header's bell: the unread count, and a panel (a non-modal dialog: Escape
 * or a click elsewhere closes it, the focus goes into it and back to the bell).
 */
export function NotificationBell({ className }: { className?: string }) {
  const { t } = useTranslation();
  const { data } = useNotifications();
  const [open, setOpen] = useState(false);
  const unread = data?.unread ?? 0;

  return (
    <div className={cx('sm:relative', className)}>
      <Dialog.Root open={open} onOpenChange={setOpen} modal={false}>
        <Dialog.Trigger asChild>
          <button
            type="button"
            data-testid="notifications-bell"
            aria-label={unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell')}
            className={cx(
              'relative inline-flex size-10 shrink-0 items-center justify-center rounded-md text-stone-700 hover:bg-stone-200/70 dark:text-stone-200 dark:hover:bg-stone-800',
              open && 'bg-stone-200/70 dark:bg-stone-800',
            )}
          >
            <Bell aria-hidden="true" className="size-5" />
            {unread > 0 && (
              <span
                aria-hidden="true"
                data-testid="notifications-unread"
                className="absolute right-0.5 top-0.5 flex h-4.5 min-w-4.5 items-center justify-center rounded-full bg-red-600 px-1 text-[0.6875rem] font-bold leading-none text-white ring-2 ring-white dark:bg-red-500 dark:ring-stone-900"
              >
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </button>
        </Dialog.Trigger>
        <Dialog.Content
          aria-describedby={undefined}
          data-testid="notifications-panel"
          onOpenAutoFocus={(e) => {
            // The dialog itself, so that its title is read first (not the first button).
            e.preventDefault();
            (e.currentTarget as HTMLElement | null)?.focus();
          }}
          className={cx(
            'absolute inset-x-2 top-full z-40 mt-1 flex max-h-[calc(100dvh-4.5rem)] flex-col overflow-hidden rounded-lg border border-stone-200 bg-white text-stone-900 shadow-xl focus:outline-none',
            'sm:left-auto sm:right-0 sm:mt-2 sm:w-96',
            'dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100',
          )}
        >
          <NotificationPanel onNavigate={() => setOpen(false)} />
        </Dialog.Content>
      </Dialog.Root>
    </div>
  );
}

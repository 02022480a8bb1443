import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Info, X } from 'lucide-react';
import { cx } from '../../lib/cx';
import { kindIcon } from './kinds';
import type { Toast, ToastStore } from './toastStore';

const ToastContext = createContext<ToastStore | null>(null);

/** The toasts of the logged-in pages (null elsewhere): `useToasts()?.show({ message })`. */
export function useToasts(): ToastStore | null {
  return useContext(ToastContext);
}

/** Makes `store` available to the pages and shows its toasts. */
export function ToastProvider({ store, children }: { store: ToastStore; children: ReactNode }) {
  useEffect(() => () => store.clear(), [store]);
  return (
    <ToastContext.Provider value={store}>
      {children}
      <Toaster store={store} />
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const { t } = useTranslation();
  const { icon: Icon, color } = toast.kind ? kindIcon(toast.kind) : { icon: Info, color: 'text-sky-600 dark:text-sky-400' };
  return (
    <li
      data-testid="toast"
      className="pointer-events-auto flex items-start gap-3 rounded-lg border border-stone-200 bg-white p-3 text-sm text-stone-900 shadow-lg dark:border-stone-700 dark:bg-stone-800 dark:text-stone-100"
    >
      <Icon aria-hidden="true" className={cx('mt-0.5 size-5 shrink-0', color)} />
      <div className="min-w-0 flex-1 break-words">
        <p>{toast.message}</p>
        {toast.to && (
          <Link
            to={toast.to}
            onClick={() => onDismiss(toast.id)}
            className="mt-1 inline-block font-semibold text-amber-800 underline underline-offset-2 hover:text-amber-900 dark:text-amber-300 dark:hover:text-amber-200"
          >
            {t('notifications.toast.open')}
          </Link>
        )}
      </div>
      <button
        type="button"
        onClick={() => onDismiss(toast.id)}
        aria-label={t('notifications.toast.dismiss')}
        className="-m-1 inline-flex size-8 shrink-0 items-center justify-center rounded-md text-stone-500 hover:bg-stone-200/70 hover:text-stone-800 dark:text-stone-400 dark:hover:bg-stone-700 dark:hover:text-stone-100"
      >
        <X aria-hidden="true" className="size-4" />
      </button>
    </li>
  );
}

/**
 * The stack of toasts, bottom right (full width on phones). The region stays in
 * the page even when empty, so that screen readers announce what is added to it
 * (a polite `status`). The countdowns stop while the pointer is over it, while
 * it has the keyboard focus, and while the tab is hidden.
 */
export function Toaster({ store }: { store: ToastStore }) {
  const { t } = useTranslation();
  const toasts = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const region = useRef<HTMLDivElement>(null);

  // A toast removed under the pointer or with the focus fires no mouseleave/blur: do not stay paused.
  useEffect(() => {
    if (toasts.length === 0) store.resume('hover');
    if (!region.current?.contains(document.activeElement)) store.resume('focus');
  }, [toasts, store]);

  useEffect(() => {
    const sync = () => {
      if (document.visibilityState === 'hidden') store.pause('hidden');
      else store.resume('hidden');
    };
    sync();
    document.addEventListener('visibilitychange', sync);
    return () => {
      document.removeEventListener('visibilitychange', sync);
      store.resume('hidden');
    };
  }, [store]);

  return (
    <div
      ref={region}
      role="status"
      aria-live="polite"
      aria-label={t('notifications.toast.region')}
      data-testid="toasts"
      onMouseEnter={() => store.pause('hover')}
      onMouseLeave={() => store.resume('hover')}
      onFocus={() => store.pause('focus')}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) store.resume('focus');
      }}
      className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex justify-center p-3 sm:inset-x-auto sm:right-0 sm:justify-end sm:p-4"
    >
      <ul className="flex w-full max-w-sm flex-col gap-2">
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDismiss={store.dismiss} />
        ))}
      </ul>
    </div>
  );
}

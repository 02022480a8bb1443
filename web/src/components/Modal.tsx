import { useLayoutEffect, useRef, type ReactNode } from 'react';
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { cx } from '../lib/cx';

/** What takes the focus when a dialog opens: its first field, else its first button or link. */
const FIELDS = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';
const ACTIONABLE = 'button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"]), video[controls], audio[controls]';

/**
 * Focuses the element of `body` a dialog starts on: its first field, else its first button or
 * link, skipping what is hidden (a closed tab's panel). False when there is none.
 */
export function focusInitial(body: HTMLElement | null): boolean {
  if (!body) return false;
  const candidates = [...body.querySelectorAll<HTMLElement>(FIELDS), ...body.querySelectorAll<HTMLElement>(ACTIONABLE)];
  for (const el of candidates) {
    if (el.closest('[hidden], [inert]')) continue;
    el.focus();
    if (document.activeElement === el) return true;
  }
  return false;
}

/**
 * A dialog with a title, an optional description, and a close button (Radix: focus trapped
 * inside, Escape closes). On phones it takes the whole width.
 *
 * Focus, in this one place for every dialog of the app:
 * - on open it goes to the first field of the body (or its first button or link), never to the
 *   "Fermer" ✕ of the header, which is first in the page's order but rarely what one wants;
 * - on close (Escape, ✕, a Cancel button, after a submit) it returns to the element that had it
 *   when the dialog opened. Radix only does that for a `Dialog.Trigger`; here dialogs open from
 *   state (a row's button, a menu), so the opener is remembered when `open` turns true.
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  children,
  wide = false,
  onCloseAutoFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  wide?: boolean;
  /** Where focus goes once closed (default: back to the opener); `preventDefault` to place it yourself. */
  onCloseAutoFocus?: (e: Event) => void;
}) {
  const { t } = useTranslation();
  const bodyRef = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  // Runs before Radix's portal shows the content (its own layout effect renders it next):
  // the focus is still on what opened the dialog.
  useLayoutEffect(() => {
    if (!open) return;
    const active = document.activeElement;
    opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
  }, [open]);

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-stone-950/50" />
        <Dialog.Content
          {...(description ? {} : { 'aria-describedby': undefined })}
          onOpenAutoFocus={(e) => {
            // Nothing to focus in the body: Radix focuses the first focusable element (the ✕).
            if (focusInitial(bodyRef.current)) e.preventDefault();
          }}
          onCloseAutoFocus={(e) => {
            const back = opener.current;
            opener.current = null;
            // The caller places the focus itself (after a delete: the next row).
            onCloseAutoFocus?.(e);
            if (e.defaultPrevented) return;
            // An opener that is gone (a deleted row's button): the page keeps Radix's default.
            if (!back || !back.isConnected) return;
            e.preventDefault();
            back.focus();
          }}
          className={cx(
            'fixed left-1/2 top-4 z-50 max-h-[calc(100dvh-2rem)] w-[calc(100%-1.5rem)] -translate-x-1/2 overflow-y-auto',
            'rounded-lg border border-stone-200 bg-white p-4 text-stone-900 shadow-xl sm:top-1/2 sm:-translate-y-1/2 sm:p-6',
            'dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100',
            wide ? 'sm:max-w-2xl' : 'sm:max-w-md',
          )}
        >
          <div className="flex items-start justify-between gap-3">
            <Dialog.Title className="text-lg font-semibold break-words [overflow-wrap:anywhere]">{title}</Dialog.Title>
            <Dialog.Close asChild>
              <button
                type="button"
                className="-mr-2 -mt-2 inline-flex size-10 shrink-0 items-center justify-center rounded-md text-stone-600 hover:bg-stone-200/70 dark:text-stone-300 dark:hover:bg-stone-800"
                aria-label={t('app.close')}
              >
                <X aria-hidden="true" className="size-5" />
              </button>
            </Dialog.Close>
          </div>
          {description && (
            <Dialog.Description className="mt-1 text-sm text-stone-600 dark:text-stone-400">
              {description}
            </Dialog.Description>
          )}
          <div ref={bodyRef} className="mt-4">
            {children}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

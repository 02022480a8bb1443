import type { ReactNode } from 'react';
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { cx } from '../lib/cx';

/**
 * A dialog with a title, an optional description, and a close button (Radix:
 * focus trapped inside, Escape closes, focus returns to the opener). On phones
 * it takes the whole width.
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
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-stone-950/50" />
        <Dialog.Content
          onCloseAutoFocus={onCloseAutoFocus}
          {...(description ? {} : { 'aria-describedby': undefined })}
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
          <div className="mt-4">{children}</div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

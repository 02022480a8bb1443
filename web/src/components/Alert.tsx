import type { ReactNode, Ref } from 'react';
import { CircleAlert, CircleCheck, Info, TriangleAlert } from 'lucide-react';
import { cx } from '../lib/cx';
import { Button } from './Button';

type Tone = 'error' | 'success' | 'info' | 'warning';

const tones: Record<Tone, string> = {
  error: 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100',
  success:
    'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-100',
  info: 'border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-100',
  warning: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100',
};

const icons = { error: CircleAlert, success: CircleCheck, info: Info, warning: TriangleAlert };

export interface AlertProps {
  tone?: Tone;
  children: ReactNode;
  /** Focusable target (for moving focus to an error summary). */
  alertRef?: Ref<HTMLDivElement>;
  className?: string;
}

export interface DismissibleAlertProps extends Omit<AlertProps, 'alertRef'> {
  /** Label of the button that hides the message (already translated). */
  dismissLabel: string;
  onDismiss: () => void;
}

/** An Alert with a button beside it that hides it (action results on the torrent pages). */
export function DismissibleAlert({ dismissLabel, onDismiss, className, ...alert }: DismissibleAlertProps) {
  return (
    <div className={cx('flex items-start gap-2', className)}>
      <Alert {...alert} className="flex-1" />
      <Button variant="ghost" onClick={onDismiss}>
        {dismissLabel}
      </Button>
    </div>
  );
}

/** Errors are `role="alert"`; success, info and warning messages are polite `role="status"`. */
export function Alert({ tone = 'error', children, alertRef, className }: AlertProps) {
  const Icon = icons[tone];
  return (
    <div
      ref={alertRef}
      role={tone === 'error' ? 'alert' : 'status'}
      tabIndex={alertRef ? -1 : undefined}
      className={cx('flex items-start gap-2 rounded-md border px-3 py-2 text-sm', tones[tone], className)}
    >
      <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <div>{children}</div>
    </div>
  );
}

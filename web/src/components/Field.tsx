import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { cx } from '../lib/cx';

/** The look of a single-line control (`<input>`, `<select>`): its border follows `error`. */
export const controlClass =
  'min-h-10 w-full rounded-md border bg-white px-3 py-2 text-base text-stone-900 shadow-sm sm:text-sm dark:bg-stone-900 dark:text-stone-100 placeholder:text-stone-500 dark:placeholder:text-stone-400';
export const controlBorder = (error?: string) =>
  error ? 'border-red-600 dark:border-red-400' : 'border-stone-300 dark:border-stone-600';

/** The ids tying a control to its label, error and hint. */
export function useFieldIds(error?: string, hint?: string) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  return { id, errorId, hintId, describedBy: [errorId, hintId].filter(Boolean).join(' ') || undefined };
}

/** A control's frame: its label (and "facultatif"), the control, then its error and its hint. */
export function Field({
  ids,
  label,
  optional,
  error,
  hint,
  className,
  children,
}: {
  ids: ReturnType<typeof useFieldIds>;
  label: string;
  optional?: boolean;
  error?: string;
  hint?: string;
  className?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className={cx('flex flex-col gap-1', className)}>
      <label htmlFor={ids.id} className="text-sm font-medium text-stone-800 dark:text-stone-200">
        {label}
        {optional && <span className="ml-1 font-normal text-stone-500 dark:text-stone-400">{t('form.optional')}</span>}
      </label>
      {children}
      {error && (
        <p id={ids.errorId} className="text-sm font-medium text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      {hint && (
        <p id={ids.hintId} className="text-sm text-stone-600 dark:text-stone-400">
          {hint}
        </p>
      )}
    </div>
  );
}

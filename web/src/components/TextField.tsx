import { useId, type InputHTMLAttributes, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { cx } from '../lib/cx';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  hint?: string;
  error?: string;
  optional?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

export function TextField({
  label,
  hint,
  error,
  optional,
  inputRef,
  className,
  type = 'text',
  ...rest
}: TextFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;

  return (
    <div className={cx('flex flex-col gap-1', className)}>
      <label htmlFor={id} className="text-sm font-medium text-stone-800 dark:text-stone-200">
        {label}
        {optional && (
          <span className="ml-1 font-normal text-stone-500 dark:text-stone-400">{t('form.optional')}</span>
        )}
      </label>
      <input
        id={id}
        ref={inputRef}
        type={type}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={cx(
          'min-h-10 w-full rounded-md border bg-white px-3 py-2 text-base text-stone-900 shadow-sm sm:text-sm',
          'placeholder:text-stone-500 dark:bg-stone-900 dark:text-stone-100 dark:placeholder:text-stone-400',
          'focus-visible:outline-2 focus-visible:outline-offset-1',
          error
            ? 'border-red-600 dark:border-red-400'
            : 'border-stone-300 dark:border-stone-600',
        )}
        {...rest}
      />
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="text-sm text-stone-600 dark:text-stone-400">
          {hint}
        </p>
      )}
    </div>
  );
}

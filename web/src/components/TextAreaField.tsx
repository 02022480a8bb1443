import { useId, type Ref, type TextareaHTMLAttributes } from 'react';
import { cx } from '../lib/cx';
import { controlBorder } from './Field';

export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  hint?: string;
  /** Shown under the field, which is then marked invalid (like TextField). */
  error?: string;
  textareaRef?: Ref<HTMLTextAreaElement>;
}

/** A labelled multi-line field (same look as TextField). */
export function TextAreaField({ label, hint, error, textareaRef, className, rows = 5, ...rest }: TextAreaFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={cx('flex flex-col gap-1', className)}>
      <label htmlFor={id} className="text-sm font-medium text-stone-800 dark:text-stone-200">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-stone-600 dark:text-stone-400">
          {hint}
        </p>
      )}
      <textarea
        id={id}
        ref={textareaRef}
        rows={rows}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
        className={cx(
          'w-full rounded-md border bg-white px-3 py-2 font-mono text-sm text-stone-900 shadow-sm',
          'placeholder:text-stone-500 dark:placeholder:text-stone-400 dark:bg-stone-900 dark:text-stone-100',
          'focus-visible:outline-2 focus-visible:outline-offset-1',
          controlBorder(error),
        )}
        {...rest}
      />
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}

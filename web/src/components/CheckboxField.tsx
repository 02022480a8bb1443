import { useId, type Ref } from 'react';
import { cx } from '../lib/cx';

/** A labelled checkbox with an error and a hint (read after the label), like TextField. */
export function CheckboxField({
  label,
  hint,
  checked,
  onChange,
  name,
  error,
  disabled,
  inputRef,
}: {
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name: string;
  error?: string;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="flex items-start gap-3">
      <input
        id={id}
        ref={inputRef}
        name={name}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="mt-0.5 size-5 shrink-0 accent-amber-700 disabled:cursor-not-allowed disabled:opacity-50 dark:accent-amber-500"
      />
      <div>
        <label
          htmlFor={id}
          className={cx(
            'text-sm font-medium',
            disabled ? 'text-stone-500 dark:text-stone-400' : 'text-stone-800 dark:text-stone-200',
          )}
        >
          {label}
        </label>
        {error && (
          <p id={`${id}-error`} className="text-sm font-medium text-red-700 dark:text-red-300">
            {error}
          </p>
        )}
        {hint && (
          <p id={`${id}-hint`} className="text-sm text-stone-600 dark:text-stone-400">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

import type { InputHTMLAttributes, Ref } from 'react';
import { cx } from '../lib/cx';
import { Field, controlBorder, controlClass, useFieldIds } from './Field';

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
  const ids = useFieldIds(error, hint);
  return (
    <Field ids={ids} label={label} optional={optional} error={error} hint={hint} className={className}>
      <input
        id={ids.id}
        ref={inputRef}
        type={type}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        className={cx(
          controlClass,
          'focus-visible:outline-2 focus-visible:outline-offset-1',
          controlBorder(error),
        )}
        {...rest}
      />
    </Field>
  );
}

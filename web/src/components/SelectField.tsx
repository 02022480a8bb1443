import type { ReactNode, Ref, SelectHTMLAttributes } from 'react';
import { cx } from '../lib/cx';
import { Field, controlBorder, controlClass, useFieldIds } from './Field';

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: string;
  hint?: string;
  error?: string;
  selectRef?: Ref<HTMLSelectElement>;
  children: ReactNode;
}

/** A labelled `<select>` with an error and a hint, like TextField. */
export function SelectField({ label, hint, error, selectRef, className, children, ...rest }: SelectFieldProps) {
  const ids = useFieldIds(error, hint);
  return (
    <Field ids={ids} label={label} error={error} hint={hint} className={className}>
      <select
        id={ids.id}
        ref={selectRef}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        className={cx(controlClass, controlBorder(error))}
        {...rest}
      >
        {children}
      </select>
    </Field>
  );
}

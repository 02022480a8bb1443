import { useCallback, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { ApiError, errorMessage } from '../api/client';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/**
 * Error state of a form: one message per field plus one general message.
 * Showing errors moves the focus to the first invalid field (in `order`), or to
 * the general alert when there is no field error.
 */
export function useFormErrors<F extends string>(order: readonly F[]) {
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<F>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const fields = useRef<Partial<Record<F, HTMLInputElement | null>>>({});
  const alertRef = useRef<HTMLDivElement>(null);

  const fieldRef = useCallback(
    (name: F) => (el: HTMLInputElement | null) => {
      fields.current[name] = el;
    },
    [],
  );

  const show = useCallback(
    (errors: FieldErrors<F>, general: string | null = null) => {
      flushSync(() => {
        setFieldErrors(errors);
        setFormError(general);
      });
      const first = order.find((f) => errors[f]);
      if (general || !first) alertRef.current?.focus();
      else fields.current[first]?.focus();
    },
    [order],
  );

  /** Server error: next to its field when the form has it, otherwise at the top. */
  const showApiError = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.field && (order as readonly string[]).includes(e.field)) {
        show({ [e.field]: e.message } as FieldErrors<F>);
      } else {
        show({}, errorMessage(e));
      }
    },
    [order, show],
  );

  const clear = useCallback(() => {
    setFieldErrors({});
    setFormError(null);
  }, []);

  return { fieldErrors, formError, fieldRef, alertRef, show, showApiError, clear };
}

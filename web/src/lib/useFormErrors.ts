import { useCallback, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useMutation } from '@tanstack/react-query';
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

  /** The form's own checks before sending: shows what failed (false), or clears the errors (true). */
  const validate = useCallback(
    (errors: Partial<Record<F, string | undefined>>): boolean => {
      const failed = Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) as FieldErrors<F>;
      if (Object.keys(failed).length > 0) {
        show(failed);
        return false;
      }
      clear();
      return true;
    },
    [show, clear],
  );

  return { fieldErrors, formError, fieldRef, alertRef, show, showApiError, clear, validate };
}

/**
 * A form sent as one mutation: its errors (`useFormErrors`), the server's refusal shown next
 * to its field or at the top, and `busy` while it is on its way.
 */
export function useFormMutation<F extends string, V, R>(
  order: readonly F[],
  { mutationFn, onSuccess }: { mutationFn: (input: V) => Promise<R>; onSuccess?: (result: R, input: V) => unknown },
) {
  const errors = useFormErrors(order);
  const mutation = useMutation({ mutationFn, onSuccess, onError: errors.showApiError });
  return { ...errors, mutation, mutate: mutation.mutate, busy: mutation.isPending };
}

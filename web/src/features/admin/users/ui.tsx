import { useId, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { Loading } from '../../../components/Loading';
import { cx } from '../../../lib/cx';
import { useDocumentTitle } from '../../../lib/useDocumentTitle';

export const fieldClass =
  'min-h-10 w-full rounded-md border bg-white px-3 py-2 text-base text-stone-900 shadow-sm sm:text-sm dark:bg-stone-900 dark:text-stone-100';

/**
 * An administration page: its title, and for anyone but an administrator only
 * "Réservé aux administrateurs." (the server would answer 403 anyway). `children`
 * renders, and fetches, only for administrators.
 */
export function AdminGate({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  useDocumentTitle(title);
  const { data: me } = useMe();
  if (!me) return <Loading />;
  if (me.role !== 'admin') {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-bold">{title}</h1>
        <Alert tone="info">{t('adminUsers.adminOnly')}</Alert>
      </div>
    );
  }
  return <>{children}</>;
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: string;
  hint?: string;
  error?: string;
  selectRef?: Ref<HTMLSelectElement>;
  children: ReactNode;
}

/** A labelled `<select>` with an error and a hint, like TextField. */
export function SelectField({ label, hint, error, selectRef, className, children, ...rest }: SelectFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={cx('flex flex-col gap-1', className)}>
      <label htmlFor={id} className="text-sm font-medium text-stone-800 dark:text-stone-200">
        {label}
      </label>
      <select
        id={id}
        ref={selectRef}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
        className={cx(fieldClass, error ? 'border-red-600 dark:border-red-400' : 'border-stone-300 dark:border-stone-600')}
        {...rest}
      >
        {children}
      </select>
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

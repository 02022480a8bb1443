import type { ReactNode } from 'react';
import { cx } from '../lib/cx';

export function Card({
  title,
  titleId,
  description,
  children,
  className,
}: {
  title?: string;
  titleId?: string;
  description?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-labelledby={title ? titleId : undefined}
      className={cx(
        'rounded-lg border border-stone-200 bg-white p-4 shadow-sm sm:p-6 dark:border-stone-800 dark:bg-stone-900',
        className,
      )}
    >
      {title && (
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
      )}
      {description && <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">{description}</p>}
      <div className={title || description ? 'mt-4' : undefined}>{children}</div>
    </section>
  );
}

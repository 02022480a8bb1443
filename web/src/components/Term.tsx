import { useId, type ReactNode } from 'react';
import { cx } from '../lib/cx';

/**
 * A word with its explanation in a tooltip ("Sources": who has the whole file): dotted
 * underline, the explanation on hover and, when `focusable`, on keyboard focus too, where
 * screen readers read it as the word's description. Inside another control (a sortable
 * header's button) leave `focusable` off: the tooltip is then for the eye only, since the
 * control names itself.
 */
export function Term({
  children,
  help,
  focusable = true,
  align = 'start',
  className,
}: {
  children: ReactNode;
  help: string;
  focusable?: boolean;
  /** Which edge of the word the tooltip lines up with (`end` for right-aligned columns). */
  align?: 'start' | 'end';
  className?: string;
}) {
  const id = useId();
  return (
    <span
      tabIndex={focusable ? 0 : undefined}
      aria-describedby={focusable ? id : undefined}
      className={cx(
        'group/term relative inline-block cursor-help rounded-sm underline decoration-dotted decoration-1 underline-offset-[3px]',
        className,
      )}
    >
      {children}
      <span
        id={id}
        role={focusable ? 'tooltip' : undefined}
        aria-hidden={focusable ? undefined : true}
        className={cx(
          'pointer-events-none absolute top-full z-30 mt-1 hidden w-max max-w-64 rounded bg-stone-900 px-2 py-1 text-left text-xs font-normal whitespace-normal text-white normal-case shadow',
          'group-hover/term:block group-focus-visible/term:block dark:bg-stone-100 dark:text-stone-900',
          align === 'end' ? 'right-0' : 'left-0',
        )}
      >
        {help}
      </span>
    </span>
  );
}

import { cx } from '../lib/cx';
import { formatPercent, progressPercent } from '../lib/format';

export type ProgressTone = 'blue' | 'green' | 'red' | 'stone' | 'amber';

const fills: Record<ProgressTone, string> = {
  blue: 'bg-sky-600 dark:bg-sky-400',
  green: 'bg-emerald-600 dark:bg-emerald-400',
  red: 'bg-red-600 dark:bg-red-400',
  stone: 'bg-stone-500 dark:bg-stone-400',
  amber: 'bg-amber-600 dark:bg-amber-400',
};

/**
 * A progress bar with its percentage next to it. `progress` is 0..1; the
 * percentage is rounded down so that 100 % only shows when it is finished.
 */
export function ProgressBar({
  progress,
  label,
  tone = 'blue',
  size = 'sm',
  className,
}: {
  progress: number;
  /** Accessible name, e.g. "Progression de ubuntu.iso". */
  label: string;
  tone?: ProgressTone;
  size?: 'sm' | 'lg';
  className?: string;
}) {
  const pct = progressPercent(progress);
  const text = formatPercent(pct);
  return (
    <div className={cx('flex items-center gap-2', className)}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={text}
        className={cx(
          'min-w-10 flex-1 overflow-hidden rounded-full bg-stone-200 dark:bg-stone-700',
          size === 'lg' ? 'h-3' : 'h-2',
        )}
      >
        <div className={cx('h-full rounded-full transition-[width]', fills[tone])} style={{ width: `${pct}%` }} />
      </div>
      <span
        aria-hidden="true"
        className={cx('shrink-0 text-right tabular-nums', size === 'lg' ? 'w-16 text-base font-semibold' : 'w-12 text-xs')}
      >
        {text}
      </span>
    </div>
  );
}

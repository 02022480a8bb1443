import { cx } from '../lib/cx';

export type StatusTone = 'ok' | 'bad' | 'neutral';

/** A coloured dot beside a state written out in words (never the only sign): green, red or grey. */
export function StatusDot({ tone }: { tone: StatusTone }) {
  return (
    <span
      aria-hidden="true"
      className={cx(
        'inline-block size-2.5 shrink-0 rounded-full',
        tone === 'ok' && 'bg-emerald-500',
        tone === 'bad' && 'bg-red-500',
        tone === 'neutral' && 'bg-stone-400',
      )}
    />
  );
}

import { useId, type ButtonHTMLAttributes, type ReactNode, type Ref } from 'react';
import { Link } from 'react-router-dom';
import { LoaderCircle } from 'lucide-react';
import { cx } from '../lib/cx';

type Tone = 'neutral' | 'danger' | 'accent';

// `group/tip`, a named group: the tooltip answers to this button's own hover and focus only,
// not to a row's `group` around it (which showed every tooltip of a row at once).
const base =
  'group/tip relative inline-flex shrink-0 items-center justify-center rounded-md transition-colors aria-busy:cursor-wait';
const tones: Record<Tone, string> = {
  neutral: 'text-stone-700 hover:bg-stone-200/80 dark:text-stone-200 dark:hover:bg-stone-700/70',
  danger: 'text-red-700 hover:bg-red-100 dark:text-red-300 dark:hover:bg-red-950/70',
  /** Draws the eye (e.g. a torrent without owner waiting to be assigned). */
  accent:
    'bg-amber-100 text-amber-800 ring-1 ring-amber-300 hover:bg-amber-200 dark:bg-amber-950/70 dark:text-amber-300 dark:ring-amber-800 dark:hover:bg-amber-900/70',
};

/** Short label shown on hover and keyboard focus; screen readers get `label` instead. */
function Tip({ children, long = false }: { children: ReactNode; long?: boolean }) {
  return (
    <span
      aria-hidden="true"
      data-tooltip=""
      className={cx(
        'pointer-events-none absolute bottom-full right-0 z-20 mb-1 rounded bg-stone-900 px-2 py-1 text-xs font-medium text-white opacity-0 shadow',
        // A sentence (why the action is unavailable) wraps; a label stays on one line.
        long ? 'w-64 whitespace-normal text-left' : 'whitespace-nowrap',
        // Not while its menu is open (a menu button).
        'transition-opacity group-hover/tip:opacity-100 group-focus-visible/tip:opacity-100 group-aria-expanded/tip:hidden dark:bg-stone-100 dark:text-stone-900',
      )}
    >
      {children}
    </span>
  );
}

interface CommonProps {
  /** Accessible name (e.g. "Pause « ubuntu.iso »"). */
  label: string;
  /** Visible tooltip (e.g. "Pause"). */
  tip: string;
  icon: ReactNode;
  tone?: Tone;
  /** 32 px instead of 36 px (dense tables). */
  small?: boolean;
}

/**
 * An icon button with a tooltip. `unavailable`: why the action cannot be done here (a French
 * sentence): the button stays focusable but does nothing (`aria-disabled`), its tooltip shows
 * the reason and screen readers hear it as its description.
 */
export function IconButton({
  label,
  tip,
  icon,
  tone = 'neutral',
  small = false,
  busy = false,
  unavailable,
  onClick,
  className,
  ref,
  ...rest
}: CommonProps & { busy?: boolean; unavailable?: string | null; ref?: Ref<HTMLButtonElement> } & Omit<
    ButtonHTMLAttributes<HTMLButtonElement>,
    'children'
  >) {
  const reasonId = useId();
  return (
    <button
      ref={ref}
      type="button"
      aria-label={label}
      aria-disabled={busy || !!unavailable || undefined}
      aria-busy={busy || undefined}
      aria-describedby={unavailable ? reasonId : undefined}
      onClick={(e) => {
        if (!busy && !unavailable) onClick?.(e);
      }}
      className={cx(base, small ? 'size-8' : 'size-9', tones[tone], unavailable && 'cursor-not-allowed opacity-50', className)}
      {...rest}
    >
      {busy ? <LoaderCircle aria-hidden="true" className="size-4 animate-spin" /> : icon}
      <Tip long={!!unavailable}>{unavailable || tip}</Tip>
      {unavailable && (
        <span id={reasonId} className="sr-only">
          {unavailable}
        </span>
      )}
    </button>
  );
}

/** An icon link with a tooltip. */
export function IconLink({
  label,
  tip,
  icon,
  tone = 'neutral',
  small = false,
  to,
  state,
}: CommonProps & { to: string; state?: unknown }) {
  return (
    <Link to={to} state={state} aria-label={label} className={cx(base, small ? 'size-8' : 'size-9', tones[tone])}>
      {icon}
      <Tip>{tip}</Tip>
    </Link>
  );
}

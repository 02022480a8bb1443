import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Link } from 'react-router-dom';
import { MoreHorizontal } from 'lucide-react';
import { cx } from '../lib/cx';
import { IconButton } from './IconAction';

export interface MenuItem {
  key: string;
  label: string;
  icon?: ReactNode;
  tone?: 'neutral' | 'danger' | 'accent';
  /** A command… */
  onSelect?: () => void;
  /** …or a link. */
  to?: string;
  state?: unknown;
}

const itemClass: Record<NonNullable<MenuItem['tone']>, string> = {
  neutral: 'text-stone-800 dark:text-stone-100',
  danger: 'text-red-700 dark:text-red-300',
  accent: 'font-semibold text-amber-800 dark:text-amber-300',
};

/**
 * "Plus d'actions": an icon button opening a menu (`role="menu"`, WAI-ARIA menu button): ↓/↑,
 * Home/End move between the items, Enter/Space choose, Escape and Tab close; focus goes back
 * to the button when it closes, before the chosen command runs (so that a dialog it opens
 * returns focus there). Drawn in a portal at a fixed position, so that a scrolling table does
 * not clip it.
 */
export function ActionMenu({
  label,
  tip,
  items,
  small,
  buttonProps,
}: {
  /** The button's accessible name (e.g. "Plus d'actions pour « name »"). */
  label: string;
  tip: string;
  items: readonly MenuItem[];
  small?: boolean;
  buttonProps?: Record<`data-${string}`, string>;
}) {
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  const [pos, setPos] = useState<{ top?: number; bottom?: number; right: number } | null>(null);

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  }, []);

  useLayoutEffect(() => {
    if (!open || !button.current) return;
    const r = button.current.getBoundingClientRect();
    const height = menu.current?.offsetHeight ?? 200;
    const right = Math.max(8, window.innerWidth - r.right);
    setPos(r.bottom + 4 + height > window.innerHeight && r.top > height ? { bottom: window.innerHeight - r.top + 4, right } : { top: r.bottom + 4, right });
  }, [open]);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const outside = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) close(false);
    };
    const away = () => close(false);
    document.addEventListener('pointerdown', outside, true);
    window.addEventListener('resize', away);
    window.addEventListener('scroll', away, true);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      window.removeEventListener('resize', away);
      window.removeEventListener('scroll', away, true);
    };
  }, [open, close]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const list = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = list.indexOf(document.activeElement as HTMLElement);
    const go = (j: number) => list[(j + list.length) % list.length]?.focus();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(list.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') close(true);
    else return;
    e.preventDefault();
    e.stopPropagation();
  }

  const choose = (item: MenuItem) => {
    close(true);
    item.onSelect?.();
  };

  return (
    <>
      <IconButton
        ref={button}
        label={label}
        tip={tip}
        small={small}
        icon={<MoreHorizontal aria-hidden="true" className="size-4" />}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onClick={() => (open ? close(false) : setOpen(true))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
        {...buttonProps}
      />
      {open &&
        createPortal(
          <div
            ref={menu}
            id={`${id}-menu`}
            role="menu"
            aria-label={label}
            onKeyDown={onKeyDown}
            style={pos ?? { top: -9999, right: 0 }}
            className="fixed z-50 flex min-w-48 flex-col rounded-md border border-stone-200 bg-white py-1 text-sm shadow-lg dark:border-stone-700 dark:bg-stone-900"
          >
            {items.map((item) => {
              const cls = cx(
                'flex min-h-9 items-center gap-2 px-3 py-1.5 text-left hover:bg-stone-100 focus:bg-stone-100 focus:outline-none dark:hover:bg-stone-800 dark:focus:bg-stone-800',
                itemClass[item.tone ?? 'neutral'],
              );
              return item.to !== undefined ? (
                <Link key={item.key} role="menuitem" tabIndex={-1} to={item.to} state={item.state} className={cls} onClick={() => close(false)}>
                  {item.icon}
                  {item.label}
                </Link>
              ) : (
                <button key={item.key} type="button" role="menuitem" tabIndex={-1} className={cls} onClick={() => choose(item)}>
                  {item.icon}
                  {item.label}
                </button>
              );
            })}
          </div>,
          document.body,
        )}
    </>
  );
}

import { useEffect, useRef } from 'react';

/** Whether a key press belongs to what the user is typing (a field, an editable area, a menu). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
  }
  return false;
}

/**
 * The shortcut a key press means, or null: a single key without Ctrl, Alt nor Meta, not typed
 * in a field, not while a dialog is open. `keys` are `KeyboardEvent.key` values ("/", "a", "?").
 */
export function shortcutOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'target' | 'defaultPrevented'>, keys: readonly string[]): string | null {
  if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey) return null;
  if (isTyping(e.target)) return null;
  if (e.target instanceof Element && e.target.closest('[role="dialog"], [role="menu"]')) return null;
  return keys.includes(e.key) ? e.key : null;
}

/** Page-wide single-key shortcuts (document `keydown`); `handlers` may change on each render. */
export function useShortcuts(handlers: Record<string, (() => void) | undefined>): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('[role="dialog"]')) return;
      const keys = Object.keys(ref.current).filter((k) => ref.current[k]);
      const key = shortcutOf(e, keys);
      if (key === null) return;
      e.preventDefault();
      ref.current[key]?.();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

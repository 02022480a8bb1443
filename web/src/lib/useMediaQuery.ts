import { useCallback, useSyncExternalStore } from 'react';

/** Whether a CSS media query matches, kept up to date. Without `matchMedia` (tests), `fallback`. */
export function useMediaQuery(query: string, fallback = true): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (typeof window.matchMedia !== 'function') return () => {};
      const mql = window.matchMedia(query);
      mql.addEventListener('change', onChange);
      return () => mql.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => (typeof window.matchMedia === 'function' ? window.matchMedia(query).matches : fallback),
    () => fallback,
  );
}

/** Wide enough for the torrent table (Tailwind's `lg`); below, torrents are cards. */
export const WIDE_SCREEN = '(min-width: 1024px)';

/** Room for more than a phone (Tailwind's `sm`); below, the torrent lists fold their filters away. */
export const SMALL_SCREEN = '(min-width: 640px)';

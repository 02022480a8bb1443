import { createContext, useContext, useLayoutEffect } from 'react';

/**
 * Which entry of the main navigation is current when the address alone does not say: a
 * torrent's page (`/torrents/:hash`) belongs to "Mes torrents" or to "Tous les torrents"
 * (the list its back link goes to). Layout provides the setter; null: the address decides.
 */
export const NavSectionContext = createContext<(to: string | null) => void>(() => {});

/** While mounted, makes `to` ("/tous"…) the current entry of the main navigation. */
export function useNavSection(to: string | null) {
  const set = useContext(NavSectionContext);
  // Before paint: the bar never shows the other entry highlighted, even for a frame.
  useLayoutEffect(() => {
    set(to);
    return () => set(null);
  }, [set, to]);
}

import { useLocation } from 'react-router-dom';

/** The addresses of the torrent pages (App.tsx), and the state links towards them carry. */

/** A torrent's detail page. */
export function torrentPage(hash: string): string {
  return `/torrents/${encodeURIComponent(hash)}`;
}

/** Id of the detail page's "Fichiers" heading, and the anchor the "Fichiers" links go to. */
export const FILES_ANCHOR = 'fichiers';

/** The detail page, scrolled to its files. */
export function torrentFilesPage(hash: string): string {
  return `${torrentPage(hash)}#${FILES_ANCHOR}`;
}

/** Router state given to links towards a detail page: its "back" link returns to this list, filters included. */
export interface DetailLinkState {
  from?: string;
}

export function useDetailLinkState(): DetailLinkState {
  const { pathname, search } = useLocation();
  return { from: `${pathname}${search}` };
}

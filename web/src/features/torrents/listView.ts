import type { Torrent, TorrentState } from '../../api/types';
import { TORRENT_STATES, effectiveState } from './states';

export type SortKey =
  | 'name'
  | 'state'
  | 'progress'
  | 'size'
  | 'downloaded'
  | 'dlspeed'
  | 'upspeed'
  | 'eta'
  | 'seeds'
  | 'ratio'
  | 'added_on'
  | 'owner'
  /** Administrators only: the qBittorrent server's name. */
  | 'server';
export type SortDir = 'asc' | 'desc';
export type StateFilter = 'all' | TorrentState;

/** What the list shows: state filter, name search and sort. Kept in the address (?etat=…&recherche=…&tri=…&ordre=…). */
export interface ListView {
  state: StateFilter;
  search: string;
  sort: SortKey;
  dir: SortDir;
}

export const SORT_KEYS: readonly SortKey[] = [
  'name',
  'state',
  'progress',
  'size',
  'downloaded',
  'dlspeed',
  'upspeed',
  'eta',
  'seeds',
  'ratio',
  'added_on',
  'owner',
  'server',
];

export const DEFAULT_VIEW: ListView = { state: 'all', search: '', sort: 'added_on', dir: 'desc' };

/** Text columns sort A→Z first; numbers and dates biggest/newest first. */
export function firstDir(key: SortKey): SortDir {
  return key === 'name' || key === 'state' || key === 'owner' || key === 'server' || key === 'eta' ? 'asc' : 'desc';
}

/** Clicking a header: the same column flips its direction, another one starts with its natural direction. */
export function nextSort(view: ListView, key: SortKey): Pick<ListView, 'sort' | 'dir'> {
  if (view.sort === key) return { sort: key, dir: view.dir === 'asc' ? 'desc' : 'asc' };
  return { sort: key, dir: firstDir(key) };
}

/** Lower case without accents, so that "ete" finds "Été". */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('fr');
}

export function filterTorrents(list: readonly Torrent[], view: Pick<ListView, 'state' | 'search'>): Torrent[] {
  const words = foldText(view.search).split(/\s+/).filter(Boolean);
  return list.filter((t) => {
    if (view.state !== 'all' && effectiveState(t) !== view.state) return false;
    if (words.length === 0) return true;
    const name = foldText(t.name);
    return words.every((w) => name.includes(w));
  });
}

const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
const stateRank = (t: Torrent) => TORRENT_STATES.indexOf(effectiveState(t));
/** Finished torrents and unknown ETAs last when sorting by ETA. */
const etaValue = (t: Torrent) => (t.eta === null || t.progress >= 1 ? Number.POSITIVE_INFINITY : t.eta);

function compareBy(key: SortKey, a: Torrent, b: Torrent): number {
  switch (key) {
    case 'name':
      return collator.compare(a.name, b.name);
    case 'state':
      return stateRank(a) - stateRank(b);
    case 'owner': {
      // "sans propriétaire" after every name.
      if (!a.owner || !b.owner) return (a.owner ? 0 : 1) - (b.owner ? 0 : 1);
      return collator.compare(a.owner.display_name, b.owner.display_name);
    }
    case 'server': {
      // Torrents whose server is not named (an older server) after every name.
      if (!a.server_name || !b.server_name) return (a.server_name ? 0 : 1) - (b.server_name ? 0 : 1);
      return collator.compare(a.server_name, b.server_name);
    }
    case 'seeds':
      return a.num_seeds - b.num_seeds || a.num_complete - b.num_complete;
    case 'eta': {
      const x = etaValue(a);
      const y = etaValue(b);
      return x === y ? 0 : x < y ? -1 : 1;
    }
    default:
      return a[key] - b[key];
  }
}

/** A sorted copy; ties keep a stable order by name then hash. */
export function sortTorrents(list: readonly Torrent[], key: SortKey, dir: SortDir): Torrent[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...list].sort(
    (a, b) => sign * compareBy(key, a, b) || collator.compare(a.name, b.name) || (a.hash < b.hash ? -1 : 1),
  );
}

export function applyView(list: readonly Torrent[], view: ListView): Torrent[] {
  return sortTorrents(filterTorrents(list, view), view.sort, view.dir);
}

export type StateCounts = Record<TorrentState, number> & { all: number };

export function countByState(list: readonly Torrent[]): StateCounts {
  const counts = { all: list.length } as StateCounts;
  for (const s of TORRENT_STATES) counts[s] = 0;
  for (const t of list) counts[effectiveState(t)] += 1;
  return counts;
}

const STATE_SET = new Set<string>(TORRENT_STATES);
const SORT_SET = new Set<string>(SORT_KEYS);

/**
 * Reads the view from the address; anything unknown falls back to the default, and so does a
 * sort by a column the page does not have (the owner on "Mes torrents", the server for users).
 */
export function parseView(params: URLSearchParams, allowOwner: boolean, allowServer = false): ListView {
  const state = params.get('etat') ?? '';
  const sort = params.get('tri') ?? '';
  const dir = params.get('ordre');
  const sortKey =
    SORT_SET.has(sort) && (allowOwner || sort !== 'owner') && (allowServer || sort !== 'server')
      ? (sort as SortKey)
      : DEFAULT_VIEW.sort;
  return {
    state: STATE_SET.has(state) ? (state as TorrentState) : 'all',
    search: params.get('recherche') ?? '',
    sort: sortKey,
    dir: dir === 'asc' || dir === 'desc' ? dir : sortKey === DEFAULT_VIEW.sort ? DEFAULT_VIEW.dir : firstDir(sortKey),
  };
}

/** The address parameters for a view; default values are left out. */
export function viewToParams(view: ListView): URLSearchParams {
  const p = new URLSearchParams();
  if (view.state !== 'all') p.set('etat', view.state);
  if (view.search !== '') p.set('recherche', view.search);
  if (view.sort !== DEFAULT_VIEW.sort || view.dir !== DEFAULT_VIEW.dir) {
    p.set('tri', view.sort);
    p.set('ordre', view.dir);
  }
  return p;
}

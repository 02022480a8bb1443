import type { SearchCategory, SearchResult } from '../../api/types';
import { foldText } from '../torrents/listView';

export const CATEGORIES: readonly SearchCategory[] = ['tout', 'films', 'series', 'musique', 'livres', 'logiciels', 'jeux'];

export type ResultSortKey = 'title' | 'size' | 'published' | 'seeders' | 'leechers';
export type SortDir = 'asc' | 'desc';

export const RESULT_SORT_KEYS: readonly ResultSortKey[] = ['seeders', 'leechers', 'size', 'published', 'title'];

export interface ResultSort {
  sort: ResultSortKey;
  dir: SortDir;
}

/** As the server sends them: most seeders first. */
export const DEFAULT_SORT: ResultSort = { sort: 'seeders', dir: 'desc' };

/** Titles sort A→Z first; numbers and dates biggest/newest first. */
export function firstDir(key: ResultSortKey): SortDir {
  return key === 'title' ? 'asc' : 'desc';
}

/** Clicking a header: the same column flips its direction, another one starts with its natural direction. */
export function nextSort(current: ResultSort, key: ResultSortKey): ResultSort {
  if (current.sort === key) return { sort: key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { sort: key, dir: firstDir(key) };
}

/**
 * Client-side filters (they never query the server again). Fields are kept as typed:
 * '' means "no limit"; sizes are in Go (1 Go = 1024³ o), a decimal comma is accepted.
 */
export interface ResultFilters {
  minSeeders: string;
  minSizeGo: string;
  maxSizeGo: string;
  title: string;
}

export const NO_FILTERS: ResultFilters = { minSeeders: '', minSizeGo: '', maxSizeGo: '', title: '' };

const GO = 1024 ** 3;

/** A typed number ("1,5", " 2 "), or null when empty or not a number ≥ 0. */
export function parseAmount(text: string): number | null {
  const s = text.trim().replace(',', '.');
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export function hasFilters(f: ResultFilters): boolean {
  return activeFilters(f) > 0;
}

/** How many filters narrow the results (the phones' "Filtres (2)" button). */
export function activeFilters(f: ResultFilters): number {
  return [
    parseAmount(f.minSeeders) !== null,
    parseAmount(f.minSizeGo) !== null,
    parseAmount(f.maxSizeGo) !== null,
    f.title.trim() !== '',
  ].filter(Boolean).length;
}

/**
 * Keeps the results matching every set filter. A result whose seeders (or size) are unknown
 * does not pass a seeders (or size) filter. The title filter ignores case and accents; every
 * word must appear.
 */
export function filterResults(list: readonly SearchResult[], f: ResultFilters): SearchResult[] {
  const minSeeders = parseAmount(f.minSeeders);
  const minGo = parseAmount(f.minSizeGo);
  const maxGo = parseAmount(f.maxSizeGo);
  const words = foldText(f.title).split(/\s+/).filter(Boolean);
  return list.filter((r) => {
    if (minSeeders !== null && minSeeders > 0 && (r.seeders === null || r.seeders < minSeeders)) return false;
    if (minGo !== null && (r.size === null || r.size < minGo * GO)) return false;
    if (maxGo !== null && (r.size === null || r.size > maxGo * GO)) return false;
    if (words.length > 0) {
      const title = foldText(r.title);
      if (!words.every((w) => title.includes(w))) return false;
    }
    return true;
  });
}

const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });

function numberOf(r: SearchResult, key: Exclude<ResultSortKey, 'title'>): number | null {
  return r[key];
}

/**
 * A sorted copy. Unknown values (null) always come last, whatever the direction; ties keep
 * the most seeded first, then the title.
 */
export function sortResults(list: readonly SearchResult[], { sort, dir }: ResultSort): SearchResult[] {
  const sign = dir === 'asc' ? 1 : -1;
  const bySeeders = (a: SearchResult, b: SearchResult) => (b.seeders ?? -1) - (a.seeders ?? -1);
  return [...list].sort((a, b) => {
    let c = 0;
    if (sort === 'title') {
      c = sign * collator.compare(a.title, b.title);
    } else {
      const x = numberOf(a, sort);
      const y = numberOf(b, sort);
      if (x === null || y === null) c = (x === null ? 1 : 0) - (y === null ? 1 : 0);
      else c = sign * (x - y);
    }
    return c || bySeeders(a, b) || collator.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

export function applyResultView(list: readonly SearchResult[], sort: ResultSort, filters: ResultFilters): SearchResult[] {
  return sortResults(filterResults(list, filters), sort);
}

/** "Cpasbien (délai dépassé), Torrent9": the failed indexers with their error when the server gave one. */
export function failedIndexers(
  failed: readonly string[],
  indexers: readonly { name: string; error: string | null }[],
): string {
  return failed
    .map((name) => {
      const error = indexers.find((i) => i.name === name)?.error?.trim();
      return error ? `${name} (${error})` : name;
    })
    .join(', ');
}

import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../api/types';
import { makeResult } from '../../test/search';
import {
  DEFAULT_SORT,
  NO_FILTERS,
  applyResultView,
  failedIndexers,
  filterResults,
  hasFilters,
  nextSort,
  parseAmount,
  sortResults,
} from './searchView';

const GO = 1024 ** 3;

const a = makeResult({ id: 'a', title: 'Dune Été 2160p', seeders: 5, leechers: 9, size: 20 * GO, published: 300 });
const b = makeResult({ id: 'b', title: 'apollo 13', seeders: 50, leechers: null, size: 1.5 * GO, published: 100 });
const c = makeResult({ id: 'c', title: 'Casablanca', seeders: null, leechers: 2, size: null, published: null });
const d = makeResult({ id: 'd', title: 'dune 1984', seeders: 12, leechers: 0, size: 700 * 1024 ** 2, published: 200 });
const ids = (l: SearchResult[]) => l.map((r) => r.id);

describe('sortResults', () => {
  it('puts the most seeded first by default, unknown last', () => {
    expect(ids(sortResults([a, b, c, d], DEFAULT_SORT))).toEqual(['b', 'd', 'a', 'c']);
  });

  it('keeps unknown values last in both directions', () => {
    expect(ids(sortResults([a, b, c, d], { sort: 'seeders', dir: 'asc' }))).toEqual(['a', 'd', 'b', 'c']);
    expect(ids(sortResults([a, b, c, d], { sort: 'size', dir: 'desc' }))).toEqual(['a', 'b', 'd', 'c']);
    expect(ids(sortResults([a, b, c, d], { sort: 'size', dir: 'asc' }))).toEqual(['d', 'b', 'a', 'c']);
    expect(ids(sortResults([a, b, c, d], { sort: 'published', dir: 'desc' }))).toEqual(['a', 'd', 'b', 'c']);
    expect(ids(sortResults([a, b, c, d], { sort: 'leechers', dir: 'desc' }))).toEqual(['a', 'c', 'd', 'b']);
  });

  it('sorts titles alphabetically, ignoring case', () => {
    expect(ids(sortResults([a, b, c, d], { sort: 'title', dir: 'asc' }))).toEqual(['b', 'c', 'd', 'a']);
    expect(ids(sortResults([a, b, c, d], { sort: 'title', dir: 'desc' }))).toEqual(['a', 'd', 'c', 'b']);
  });

  it('does not change the given list', () => {
    const list = [a, b];
    sortResults(list, DEFAULT_SORT);
    expect(ids(list)).toEqual(['a', 'b']);
  });
});

describe('nextSort', () => {
  it('flips the same column and starts others in their natural direction', () => {
    expect(nextSort(DEFAULT_SORT, 'seeders')).toEqual({ sort: 'seeders', dir: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'title')).toEqual({ sort: 'title', dir: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'size')).toEqual({ sort: 'size', dir: 'desc' });
  });
});

describe('filters', () => {
  it('parses amounts with a decimal comma', () => {
    expect(parseAmount('1,5')).toBe(1.5);
    expect(parseAmount(' 2 ')).toBe(2);
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('abc')).toBeNull();
    expect(parseAmount('-1')).toBeNull();
  });

  it('keeps everything without filters', () => {
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(ids(filterResults([a, b, c, d], NO_FILTERS))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('filters by minimum seeders (unknown seeders excluded)', () => {
    expect(ids(filterResults([a, b, c, d], { ...NO_FILTERS, minSeeders: '10' }))).toEqual(['b', 'd']);
    // 0 is no limit at all.
    expect(ids(filterResults([a, b, c, d], { ...NO_FILTERS, minSeeders: '0' }))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('filters by size range in Go (unknown size excluded)', () => {
    expect(ids(filterResults([a, b, c, d], { ...NO_FILTERS, minSizeGo: '1' }))).toEqual(['a', 'b']);
    expect(ids(filterResults([a, b, c, d], { ...NO_FILTERS, maxSizeGo: '1,5' }))).toEqual(['b', 'd']);
    expect(ids(filterResults([a, b, c, d], { ...NO_FILTERS, minSizeGo: '1', maxSizeGo: '10' }))).toEqual(['b']);
  });

  it('filters by words of the title, ignoring case and accents', () => {
    const f = { ...NO_FILTERS, title: 'DUNE ete' };
    expect(hasFilters(f)).toBe(true);
    expect(ids(filterResults([a, b, c, d], f))).toEqual(['a']);
    expect(ids(filterResults([a, b, c, d], { ...NO_FILTERS, title: 'dune' }))).toEqual(['a', 'd']);
  });

  it('filters then sorts', () => {
    expect(ids(applyResultView([a, b, c, d], DEFAULT_SORT, { ...NO_FILTERS, title: 'dune' }))).toEqual(['d', 'a']);
  });
});

describe('failedIndexers', () => {
  it('lists the failed indexers with their error when known', () => {
    expect(
      failedIndexers(['Cpasbien', 'Torrent9'], [
        { name: 'Cpasbien', error: 'délai dépassé' },
        { name: 'Torrent9', error: null },
        { name: 'YGGtorrent', error: null },
      ]),
    ).toBe('Cpasbien (délai dépassé), Torrent9');
  });
});

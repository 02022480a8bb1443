import { describe, expect, it } from 'vitest';
import { makeTorrent } from '../../test/torrents';
import {
  DEFAULT_VIEW,
  applyView,
  countByState,
  filterTorrents,
  foldText,
  nextSort,
  parseView,
  sortTorrents,
  viewToParams,
  type SortKey,
} from './listView';

const alice = { id: 2, username: 'alice', display_name: 'Alice' };
const zoe = { id: 3, username: 'zoe', display_name: 'Zoé' };
const bruno = { id: 4, username: 'bruno', display_name: 'bruno' };

const a = makeTorrent({ hash: 'a', name: 'Été 2025', state: 'downloading', progress: 0.5, size: 300, downloaded: 150, dlspeed: 10, upspeed: 5, eta: 100, num_seeds: 2, ratio: 0.5, added_on: 30, owner: zoe });
const b = makeTorrent({ hash: 'b', name: 'debian-12.iso', state: 'seeding', progress: 1, size: 100, downloaded: 100, dlspeed: 0, upspeed: 50, eta: null, num_seeds: 0, ratio: 2, added_on: 10, owner: alice });
const c = makeTorrent({ hash: 'c', name: 'debian-2.iso', state: 'paused', progress: 0.1, size: 200, downloaded: 20, dlspeed: 0, upspeed: 0, eta: null, num_seeds: 5, ratio: 0, added_on: 20, owner: null });
const d = makeTorrent({ hash: 'd', name: 'archive', state: 'seeding', removed: true, progress: 1, size: 50, downloaded: 50, dlspeed: 0, upspeed: 0, eta: 5, num_seeds: 1, ratio: 1, added_on: 40, owner: bruno });
const all = [a, b, c, d];
const names = (list: { hash: string }[]) => list.map((t) => t.hash).join('');

describe('filterTorrents', () => {
  it('filters by state, a removed torrent counting as Supprimé', () => {
    expect(names(filterTorrents(all, { state: 'seeding', search: '' }))).toBe('b');
    expect(names(filterTorrents(all, { state: 'removed', search: '' }))).toBe('d');
    expect(names(filterTorrents(all, { state: 'all', search: '' }))).toBe('abcd');
    expect(names(filterTorrents(all, { state: 'error', search: '' }))).toBe('');
  });

  it('searches names without regard to case or accents, every word anywhere', () => {
    expect(names(filterTorrents(all, { state: 'all', search: 'ete' }))).toBe('a');
    expect(names(filterTorrents(all, { state: 'all', search: 'ÉTÉ' }))).toBe('a');
    expect(names(filterTorrents(all, { state: 'all', search: '  iso   debian ' }))).toBe('bc');
    expect(names(filterTorrents(all, { state: 'paused', search: 'debian' }))).toBe('c');
    expect(foldText('Crème BRÛLÉE')).toBe('creme brulee');
  });
});

describe('sortTorrents', () => {
  it.each<[SortKey, string, string]>([
    ['name', 'dcba', 'abcd'],
    ['added_on', 'bcad', 'dacb'],
    ['size', 'dbca', 'acbd'],
    ['downloaded', 'cdba', 'abdc'],
    // Ties (b and d both finished) always stay in name order.
    ['progress', 'cadb', 'dbac'],
    ['dlspeed', 'dcba', 'adcb'],
    ['upspeed', 'dcab', 'badc'],
    ['ratio', 'cadb', 'bdac'],
    ['seeds', 'bdac', 'cadb'],
  ])('by %s: %s ascending, %s descending', (key, asc, desc) => {
    expect(names(sortTorrents(all, key, 'asc'))).toBe(asc);
    expect(names(sortTorrents(all, key, 'desc'))).toBe(desc);
  });

  it('sorts names in French order, numbers as numbers, accents ignored', () => {
    const sorted = sortTorrents([a, b, c, d], 'name', 'asc').map((t) => t.name);
    expect(sorted).toEqual(['archive', 'debian-2.iso', 'debian-12.iso', 'Été 2025']);
  });

  it('puts unknown and finished ETAs last', () => {
    // a: 100 s; c: unknown; b and d: finished (then by name).
    expect(names(sortTorrents(all, 'eta', 'asc'))).toBe('adcb');
    expect(names(sortTorrents(all, 'eta', 'desc'))[3]).toBe('a');
  });

  it('orders states as the filter does, and "sans propriétaire" after every owner', () => {
    expect(names(sortTorrents(all, 'state', 'asc'))).toBe('abcd');
    expect(names(sortTorrents(all, 'owner', 'asc'))).toBe('bdac');
  });

  it('sorts by server name (administrators), torrents without one last', () => {
    const on = (t: typeof a, server_name?: string) => ({ ...t, server_name });
    const list = [on(a, 'Salon'), on(b, 'cave'), on(c), on(d, 'Salon')];
    // b (cave), then a and d (Salon, by name: d "archive" first), then c (no server).
    expect(names(sortTorrents(list, 'server', 'asc'))).toBe('bdac');
    expect(names(sortTorrents(list, 'server', 'desc'))).toBe('cdab');
  });

  it('does not change the given list', () => {
    const copy = [...all];
    sortTorrents(all, 'name', 'desc');
    expect(all).toEqual(copy);
  });
});

describe('nextSort', () => {
  it('flips the current column and starts others in their natural direction', () => {
    expect(nextSort(DEFAULT_VIEW, 'added_on')).toEqual({ sort: 'added_on', dir: 'asc' });
    expect(nextSort(DEFAULT_VIEW, 'name')).toEqual({ sort: 'name', dir: 'asc' });
    expect(nextSort(DEFAULT_VIEW, 'size')).toEqual({ sort: 'size', dir: 'desc' });
    expect(nextSort({ ...DEFAULT_VIEW, sort: 'name', dir: 'asc' }, 'name')).toEqual({ sort: 'name', dir: 'desc' });
  });
});

describe('view in the address', () => {
  it('round-trips and leaves defaults out', () => {
    expect(viewToParams(DEFAULT_VIEW).toString()).toBe('');
    const view = { state: 'paused', search: 'été', sort: 'name', dir: 'asc' } as const;
    const params = viewToParams(view);
    expect(params.toString()).toBe('etat=paused&recherche=%C3%A9t%C3%A9&tri=name&ordre=asc');
    expect(parseView(params, false)).toEqual(view);
  });

  it('ignores unknown values, and the owner column where there is none', () => {
    expect(parseView(new URLSearchParams('etat=nope&tri=hack&ordre=up'), true)).toEqual(DEFAULT_VIEW);
    expect(parseView(new URLSearchParams('tri=owner'), false).sort).toBe('added_on');
    expect(parseView(new URLSearchParams('tri=owner'), true)).toMatchObject({ sort: 'owner', dir: 'asc' });
  });

  it('sorts by server only where the column is offered (administrators)', () => {
    expect(parseView(new URLSearchParams('tri=server'), true).sort).toBe('added_on');
    expect(parseView(new URLSearchParams('tri=server'), false, true)).toMatchObject({ sort: 'server', dir: 'asc' });
  });
});

describe('countByState and applyView', () => {
  it('counts each state and the total', () => {
    const counts = countByState(all);
    expect(counts.all).toBe(4);
    expect(counts.seeding).toBe(1);
    expect(counts.removed).toBe(1);
    expect(counts.paused).toBe(1);
    expect(counts.error).toBe(0);
  });

  it('filters then sorts', () => {
    expect(names(applyView(all, { state: 'all', search: 'debian', sort: 'size', dir: 'asc' }))).toBe('bc');
  });
});

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PREFS,
  chosenColumns,
  loadPrefs,
  moveColumn,
  nextFit,
  normalizePrefs,
  prefsStorageKey,
  resolvePrefs,
  savePrefs,
  toggleColumn,
} from './columnPrefs';

describe('column prefs', () => {
  it('defaults: the main columns, the owner only on "Tous les torrents"', () => {
    expect(chosenColumns(DEFAULT_PREFS, true)).toEqual([
      'state',
      'progress',
      'owner',
      'dlspeed',
      'upspeed',
      'eta',
      'added_on',
      'size',
      'seeds',
    ]);
    expect(chosenColumns(DEFAULT_PREFS, false)).not.toContain('owner');
  });

  it('normalizes what was stored', () => {
    const p = normalizePrefs({ order: ['ratio', 'nope', 'ratio', 'state'], hidden: ['state', 'name'] });
    expect(p.order.slice(0, 2)).toEqual(['ratio', 'state']);
    expect(p.order).toHaveLength(DEFAULT_PREFS.order.length);
    expect(p.hidden).toContain('state');
    // Columns missing from the stored order come back as by default.
    expect(p.hidden).toContain('downloaded');
    expect(p.hidden).not.toContain('progress');
    expect(normalizePrefs('garbage')).toEqual(DEFAULT_PREFS);
  });

  it('a column shown again goes last; moves stop at the ends', () => {
    const p = toggleColumn(DEFAULT_PREFS, 'ratio');
    expect(p.hidden).not.toContain('ratio');
    expect(p.order.at(-1)).toBe('ratio');
    expect(toggleColumn(p, 'ratio').hidden).toContain('ratio');
    expect(moveColumn(p, 'state', -1)).toBe(p);
    expect(moveColumn(p, 'progress', -1).order.slice(0, 2)).toEqual(['progress', 'state']);
    expect(moveColumn(p, 'ratio', 1)).toBe(p);
  });

  it('is remembered per account', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const p = toggleColumn(DEFAULT_PREFS, 'state');
    savePrefs(7, p, storage);
    expect([...store.keys()]).toEqual([prefsStorageKey(7)]);
    expect(loadPrefs(7, storage)).toEqual(p);
    expect(loadPrefs(8, storage)).toEqual(DEFAULT_PREFS);
    store.set(prefsStorageKey(9), '{not json');
    expect(loadPrefs(9, storage)).toEqual(DEFAULT_PREFS);
  });

  it('offers the server column to administrators only, shown by default when there are several servers', () => {
    expect(chosenColumns(DEFAULT_PREFS, true, true)).not.toContain('server');
    expect(chosenColumns(resolvePrefs(DEFAULT_PREFS, false), true, true)).not.toContain('server');
    // Right after the owner, so that it survives the degrade rule on narrower windows.
    expect(chosenColumns(resolvePrefs(DEFAULT_PREFS, true), true, true).slice(0, 4)).toEqual(['state', 'progress', 'owner', 'server']);
    // Not an administrator: never, whatever the prefs.
    expect(chosenColumns(resolvePrefs(DEFAULT_PREFS, true), true, false)).not.toContain('server');
    // Nothing to resolve: the same object (no re-render loop).
    const single = resolvePrefs(DEFAULT_PREFS, false);
    expect(resolvePrefs(single, false)).toBe(single);
  });

  it('keeps the choice of a user who ticked or unticked the server column, whatever the number of servers', () => {
    const shown = toggleColumn(resolvePrefs(DEFAULT_PREFS, false), 'server');
    expect(shown.auto).toEqual([]);
    expect(chosenColumns(resolvePrefs(shown, false), true, true)).toContain('server');
    const hidden = toggleColumn(resolvePrefs(DEFAULT_PREFS, true), 'server');
    expect(chosenColumns(resolvePrefs(hidden, true), true, true)).not.toContain('server');
    // Another column's change leaves the server column to follow the instance.
    const other = toggleColumn(DEFAULT_PREFS, 'ratio');
    expect(other.auto).toEqual(['server']);
    expect(chosenColumns(resolvePrefs(normalizePrefs(JSON.parse(JSON.stringify(other))), true), true, true)).toContain('server');
  });

  it('adds the server column to prefs stored before it existed, following the instance', () => {
    const old = { order: ['state', 'progress', 'owner', 'dlspeed', 'upspeed', 'eta', 'added_on', 'size', 'seeds', 'ratio', 'downloaded'], hidden: ['ratio'] };
    const p = normalizePrefs(old);
    expect(p.order.at(-1)).toBe('server');
    expect(p.auto).toEqual(['server']);
    expect(resolvePrefs(p, true).hidden).toEqual(['ratio']);
    expect(resolvePrefs(p, false).hidden).toEqual(['ratio', 'server']);
  });

  it('drops the last column while the name is under its share or the table overflows', () => {
    expect(nextFit(7, { name: 500, table: 1200, frame: 1200 })).toBe(7);
    expect(nextFit(7, { name: 400, table: 1200, frame: 1200 })).toBe(6);
    expect(nextFit(7, { name: 600, table: 1300, frame: 1200 })).toBe(6);
    expect(nextFit(0, { name: 100, table: 1200, frame: 1200 })).toBe(0);
    // Not measured (jsdom): everything stays.
    expect(nextFit(7, { name: 0, table: 0, frame: 0 })).toBe(7);
  });
});

import { describe, expect, it } from 'vitest';
import { allState, clickRow, emptySelection, keepShown, toggleAll } from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const sel = (s: { selected: ReadonlySet<string> }) => [...s.selected].sort();

describe('selection', () => {
  it('toggles one row and makes it the anchor', () => {
    const s = clickRow(emptySelection, order, 'b', false);
    expect(sel(s)).toEqual(['b']);
    expect(s.anchor).toBe('b');
    expect(sel(clickRow(s, order, 'b', false))).toEqual([]);
  });

  it('selects a range with shift, either way', () => {
    const s = clickRow(emptySelection, order, 'b', false);
    expect(sel(clickRow(s, order, 'd', true))).toEqual(['b', 'c', 'd']);
    const t = clickRow(emptySelection, order, 'd', false);
    expect(sel(clickRow(t, order, 'a', true))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a shift-click on a selected row unselects the range', () => {
    let s = toggleAll(emptySelection, order);
    s = clickRow(s, order, 'b', false); // b off, anchor b
    s = clickRow(s, order, 'd', true); // d is on: the range goes off
    expect(sel(s)).toEqual(['a', 'e']);
  });

  it('shift without an anchor is a plain click', () => {
    const s = clickRow(emptySelection, order, 'c', true);
    expect(sel(s)).toEqual(['c']);
    expect(s.anchor).toBe('c');
  });

  it('selects all, then none', () => {
    const s = toggleAll(clickRow(emptySelection, order, 'a', false), order);
    expect(sel(s)).toEqual(order);
    expect(allState(s.selected, order)).toBe(true);
    expect(sel(toggleAll(s, order))).toEqual([]);
    expect(allState(new Set(['a']), order)).toBe('mixed');
    expect(allState(new Set(), order)).toBe(false);
  });

  it('keeps only the rows still shown', () => {
    const s = clickRow(clickRow(emptySelection, order, 'a', false), order, 'c', true);
    const k = keepShown(s, ['b', 'c']);
    expect(sel(k)).toEqual(['b', 'c']);
    expect(k.anchor).toBeNull();
    expect(keepShown(k, ['b', 'c'])).toBe(k);
  });
});

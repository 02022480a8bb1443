/**
 * Row selection with ranges (lists with checkboxes): a click toggles one row and becomes the
 * anchor; a shift-click gives every row between the anchor and this one (in the order shown)
 * the state the clicked row takes. Pure: the caller keeps `selected` and `anchor`.
 */
export interface SelectionState {
  selected: ReadonlySet<string>;
  /** The last row clicked without shift (null: none yet, or it is no longer shown). */
  anchor: string | null;
}

export const emptySelection: SelectionState = { selected: new Set(), anchor: null };

export function clickRow(state: SelectionState, order: readonly string[], key: string, shift: boolean): SelectionState {
  const on = !state.selected.has(key);
  const next = new Set(state.selected);
  const from = shift && state.anchor !== null ? order.indexOf(state.anchor) : -1;
  const to = order.indexOf(key);
  if (from >= 0 && to >= 0) {
    const [a, b] = from < to ? [from, to] : [to, from];
    for (const k of order.slice(a, b + 1)) {
      if (on) next.add(k);
      else next.delete(k);
    }
    // The anchor stays, so that another shift-click changes the range from the same row.
    return { selected: next, anchor: state.anchor };
  }
  if (on) next.add(key);
  else next.delete(key);
  return { selected: next, anchor: key };
}

/** "Tout sélectionner": every shown row, or none when they all already are. */
export function toggleAll(state: SelectionState, order: readonly string[]): SelectionState {
  const all = order.length > 0 && order.every((k) => state.selected.has(k));
  return { selected: all ? new Set() : new Set(order), anchor: null };
}

/** Only the rows still shown stay selected (a filter changed, a torrent went away). */
export function keepShown(state: SelectionState, order: readonly string[]): SelectionState {
  const shown = new Set(order);
  const kept = [...state.selected].filter((k) => shown.has(k));
  if (kept.length === state.selected.size && (state.anchor === null || shown.has(state.anchor))) return state;
  return { selected: new Set(kept), anchor: state.anchor !== null && shown.has(state.anchor) ? state.anchor : null };
}

/** The header box: `true`, `false`, or `'mixed'` when some are. */
export function allState(selected: ReadonlySet<string>, order: readonly string[]): boolean | 'mixed' {
  const n = order.filter((k) => selected.has(k)).length;
  return n === 0 ? false : n === order.length ? true : 'mixed';
}

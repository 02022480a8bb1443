import type { SortKey } from './listView';

/**
 * Which columns of the torrent table a user shows, and in which order ("Colonnes"), remembered
 * per account in localStorage; and which of them fit the width there is.
 *
 * The degrade rule (narrow windows, e.g. 1024 px): the name keeps at least NAME_SHARE of the
 * table's width and the table never scrolls sideways; while either fails, the column the user put
 * last goes (columns ticked again in the menu go to the end: the least chosen go first). Measured
 * on the page (`nextFit`), so it holds whatever the contents' widths. The name, the selection
 * boxes and the row actions are always shown.
 */

/** Every column but the name (always first) and the row actions (always last). */
export type ColumnKey = Exclude<SortKey, 'name'>;

// The owner early: on "Tous les torrents" it is the column that tells rows apart, and it must
// survive the degrade rule at 1024 px ("Mes torrents" has no owner column).
export const COLUMN_KEYS: readonly ColumnKey[] = [
  'state',
  'progress',
  'owner',
  'dlspeed',
  'upspeed',
  'eta',
  'added_on',
  'size',
  'seeds',
  'ratio',
  'downloaded',
];

/** Shown until the user chooses otherwise (the others are in the menu, unticked). */
const DEFAULT_SHOWN = new Set<ColumnKey>(['state', 'progress', 'dlspeed', 'upspeed', 'eta', 'owner', 'added_on', 'size', 'seeds']);

/** The share of the table's width the name always keeps (the degrade rule). */
export const NAME_SHARE = 0.4;

export interface ColumnPrefs {
  /** Every column, in the user's order. */
  order: ColumnKey[];
  /** The ones the user unticked. */
  hidden: ColumnKey[];
}

export const DEFAULT_PREFS: ColumnPrefs = {
  order: [...COLUMN_KEYS],
  hidden: COLUMN_KEYS.filter((k) => !DEFAULT_SHOWN.has(k)),
};

const KNOWN = new Set<string>(COLUMN_KEYS);
const isKey = (v: unknown): v is ColumnKey => typeof v === 'string' && KNOWN.has(v);

/**
 * Whatever was stored, as valid prefs: unknown keys dropped, duplicates once, columns of a newer
 * version (not in the stored order) added at the end, shown or not as by default.
 */
export function normalizePrefs(raw: unknown): ColumnPrefs {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_PREFS;
  const r = raw as { order?: unknown; hidden?: unknown };
  const order = [...new Set(Array.isArray(r.order) ? r.order.filter(isKey) : [])];
  const hidden = new Set(Array.isArray(r.hidden) ? r.hidden.filter(isKey) : []);
  for (const k of COLUMN_KEYS) {
    if (order.includes(k)) continue;
    order.push(k);
    if (!DEFAULT_SHOWN.has(k)) hidden.add(k);
  }
  return { order, hidden: order.filter((k) => hidden.has(k)) };
}

export const prefsStorageKey = (userId: number) => `essaim.colonnes.${userId}`;

/** The user's prefs (the defaults when nothing, or nothing valid, is stored). */
export function loadPrefs(userId: number, storage: Pick<Storage, 'getItem'> = localStorage): ColumnPrefs {
  try {
    const text = storage.getItem(prefsStorageKey(userId));
    return text ? normalizePrefs(JSON.parse(text)) : DEFAULT_PREFS;
  } catch {
    return DEFAULT_PREFS;
  }
}

export function savePrefs(userId: number, prefs: ColumnPrefs, storage: Pick<Storage, 'setItem'> = localStorage): void {
  try {
    storage.setItem(prefsStorageKey(userId), JSON.stringify(prefs));
  } catch {
    // Private mode or a full storage: the choice holds until the page is left.
  }
}

/** Shows or hides a column; one shown again goes to the end (it is the user's latest choice). */
export function toggleColumn(prefs: ColumnPrefs, key: ColumnKey): ColumnPrefs {
  if (prefs.hidden.includes(key)) {
    return { order: [...prefs.order.filter((k) => k !== key), key], hidden: prefs.hidden.filter((k) => k !== key) };
  }
  return { order: prefs.order, hidden: prefs.order.filter((k) => k === key || prefs.hidden.includes(k)) };
}

/** Moves a column one place earlier (-1) or later (+1) among all columns; nothing at either end. */
export function moveColumn(prefs: ColumnPrefs, key: ColumnKey, by: -1 | 1): ColumnPrefs {
  const i = prefs.order.indexOf(key);
  const j = i + by;
  if (i < 0 || j < 0 || j >= prefs.order.length) return prefs;
  const order = [...prefs.order];
  [order[i], order[j]] = [order[j], order[i]];
  return { ...prefs, order };
}

/** The columns the user shows, in their order (the owner only on "Tous les torrents"). */
export function chosenColumns(prefs: ColumnPrefs, showOwner: boolean): ColumnKey[] {
  return prefs.order.filter((k) => !prefs.hidden.includes(k) && (showOwner || k !== 'owner'));
}

/**
 * The degrade rule, one step: with `shown` of the chosen columns on screen, how many to show
 * next. While the name cell is narrower than NAME_SHARE of the table, or the table is wider
 * than its frame, the last one goes (the page measures again after each step; a wider window
 * starts again from all of them). Unmeasured (0 widths, tests): unchanged.
 */
export function nextFit(shown: number, m: { name: number; table: number; frame: number }): number {
  if (m.table <= 0 || shown <= 0) return shown;
  return m.name < m.table * NAME_SHARE || m.table > m.frame + 1 ? shown - 1 : shown;
}

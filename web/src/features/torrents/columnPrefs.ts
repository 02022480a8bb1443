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
// The server (administrators, several qBittorrent servers) right after it, for the same reason.
export const COLUMN_KEYS: readonly ColumnKey[] = [
  'state',
  'progress',
  'owner',
  'server',
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

/**
 * Columns whose default depends on the instance rather than being fixed: the qBittorrent server
 * (administrators) is shown by default only when there are several servers. Until the user ticks
 * or unticks it, it follows that default (`resolvePrefs`).
 */
const CONTEXT_COLUMNS = new Set<ColumnKey>(['server']);

/** The share of the table's width the name always keeps (the degrade rule). */
export const NAME_SHARE = 0.4;

export interface ColumnPrefs {
  /** Every column, in the user's order. */
  order: ColumnKey[];
  /** The ones the user unticked. */
  hidden: ColumnKey[];
  /**
   * Columns of CONTEXT_COLUMNS the user has not ticked nor unticked yet: their default applies
   * (see `resolvePrefs`); `hidden` lists them as when that default is to hide them.
   */
  auto?: ColumnKey[];
}

export const DEFAULT_PREFS: ColumnPrefs = {
  order: [...COLUMN_KEYS],
  hidden: COLUMN_KEYS.filter((k) => !DEFAULT_SHOWN.has(k)),
  auto: COLUMN_KEYS.filter((k) => CONTEXT_COLUMNS.has(k)),
};

const KNOWN = new Set<string>(COLUMN_KEYS);
const isKey = (v: unknown): v is ColumnKey => typeof v === 'string' && KNOWN.has(v);

/**
 * Whatever was stored, as valid prefs: unknown keys dropped, duplicates once, columns of a newer
 * version (not in the stored order) added at the end, shown or not as by default (following the
 * instance for CONTEXT_COLUMNS).
 */
export function normalizePrefs(raw: unknown): ColumnPrefs {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_PREFS;
  const r = raw as { order?: unknown; hidden?: unknown; auto?: unknown };
  const order = [...new Set(Array.isArray(r.order) ? r.order.filter(isKey) : [])];
  const hidden = new Set(Array.isArray(r.hidden) ? r.hidden.filter(isKey) : []);
  const auto = new Set(Array.isArray(r.auto) ? r.auto.filter((k) => isKey(k) && CONTEXT_COLUMNS.has(k)) : []);
  for (const k of COLUMN_KEYS) {
    if (order.includes(k)) continue;
    order.push(k);
    if (!DEFAULT_SHOWN.has(k)) hidden.add(k);
    if (CONTEXT_COLUMNS.has(k)) auto.add(k);
  }
  return { order, hidden: order.filter((k) => hidden.has(k)), auto: order.filter((k) => auto.has(k)) };
}

/**
 * The prefs as they apply here: a column the user never chose about (`auto`) follows the
 * instance — the server column is shown when there are several qBittorrent servers.
 */
export function resolvePrefs(prefs: ColumnPrefs, severalServers: boolean): ColumnPrefs {
  const auto = prefs.auto ?? [];
  if (auto.length === 0) return prefs;
  const shown = (k: ColumnKey) => (k === 'server' ? severalServers : DEFAULT_SHOWN.has(k));
  const hidden = prefs.order.filter((k) => (auto.includes(k) ? !shown(k) : prefs.hidden.includes(k)));
  return hidden.length === prefs.hidden.length && hidden.every((k, i) => prefs.hidden[i] === k) ? prefs : { ...prefs, hidden };
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

/**
 * Shows or hides a column; one shown again goes to the end (it is the user's latest choice). The
 * column is then the user's choice: it no longer follows the instance (`auto`).
 */
export function toggleColumn(prefs: ColumnPrefs, key: ColumnKey): ColumnPrefs {
  const auto = prefs.auto?.filter((k) => k !== key);
  const rest = auto === undefined ? {} : { auto };
  if (prefs.hidden.includes(key)) {
    return { order: [...prefs.order.filter((k) => k !== key), key], hidden: prefs.hidden.filter((k) => k !== key), ...rest };
  }
  return { order: prefs.order, hidden: prefs.order.filter((k) => k === key || prefs.hidden.includes(k)), ...rest };
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

/** Whether the page offers this column at all: the owner on "Tous les torrents", the server to administrators. */
export function offeredColumn(k: ColumnKey, showOwner: boolean, showServer: boolean): boolean {
  return (showOwner || k !== 'owner') && (showServer || k !== 'server');
}

/** The columns the user shows, in their order (only those the page offers, see `offeredColumn`). */
export function chosenColumns(prefs: ColumnPrefs, showOwner: boolean, showServer = false): ColumnKey[] {
  return prefs.order.filter((k) => !prefs.hidden.includes(k) && offeredColumn(k, showOwner, showServer));
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

import i18n from '../../i18n';

/**
 * Jackett's category names in French. Jackett names its standard (Newznab) categories
 * "Top" or "Top/Sub" ("Movies", "Movies/UHD", "Audio/MP3"); the top and the sub are translated
 * on their own (fr.json `search.jackettTop` and `search.jackettSub`) and composed: "Films · UHD".
 * A name not in the lists (an indexer's own category) stays as it is.
 */
export function categoryName(name: string): string {
  const trimmed = name.trim();
  const slash = trimmed.indexOf('/');
  const top = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const sub = slash < 0 ? '' : trimmed.slice(slash + 1);
  const topKey = `search.jackettTop.${top}`;
  if (!top || !safe(top) || !i18n.exists(topKey)) return trimmed;
  const topFr = i18n.t(topKey as 'search.jackettTop.Movies');
  if (!sub) return topFr;
  const subKey = `search.jackettSub.${sub}`;
  const subFr = safe(sub) && i18n.exists(subKey) ? i18n.t(subKey as 'search.jackettSub.Other') : sub;
  return `${topFr} · ${subFr}`;
}

/** i18next reads "." and ":" in a key as separators: such names are never looked up. */
const safe = (s: string) => !/[.:]/.test(s);

/**
 * A result's categories ("Movies, Movies/HD") in French, the most precise ones only:
 * "Films · HD" (not "Films, Films · HD"). Empty when there are none.
 */
export function categoriesLabel(raw: string): string {
  const names = [...new Set(raw.split(',').map((c) => c.trim()).filter(Boolean))];
  const kept = names.filter((n) => n.includes('/') || !names.some((m) => m.startsWith(`${n}/`)));
  return [...new Set(kept.map(categoryName))].join(', ');
}

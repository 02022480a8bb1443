import type { SearchResult } from '../api/types';

const GO = 1024 ** 3;

/** A search result as the server sends it, with overridable fields. */
export function makeResult(overrides: Partial<SearchResult> = {}): SearchResult {
  return {
    id: overrides.id ?? `id-${overrides.title ?? 'x'}`,
    title: 'Résultat',
    tracker: 'YGGtorrent',
    tracker_id: 'yggtorrent',
    category: 'Movies, Movies/HD',
    size: GO,
    seeders: 10,
    leechers: 1,
    grabs: null,
    published: 1_795_681_907,
    details_url: null,
    freeleech: false,
    info_hash: null,
    added: null,
    on_server: false,
    ...overrides,
  };
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { SearchPage } from './SearchPage';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { makeResult } from '../../test/search';
import type { RecentSearch, SearchResponse, SearchResult, User } from '../../api/types';
import { formatDate } from '../../lib/format';
import { RECENT_SHOWN } from './RecentSearches';

afterEach(() => vi.unstubAllGlobals());

const GO = 1024 ** 3;
const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };
const indexers = { indexers: [{ id: 'yggtorrent', name: 'YGGtorrent' }, { id: 'cpasbien', name: 'Cpasbien' }] };

const few = makeResult({ id: 'r1', title: 'Dune 2021 MULTi', seeders: 3, leechers: 1, size: 1.5 * GO, details_url: 'https://ygg.example/t/1' });
const many = makeResult({ id: 'r2', title: 'Dune Part Two 2160p', seeders: 120, leechers: null, size: null, published: 1_795_681_907 });
const some = makeResult({ id: 'r3', title: 'Dune (1984)', seeders: 40, leechers: 7, size: 700 * 1024 ** 2, tracker: 'Cpasbien' });

function body(results: SearchResult[], extra: Partial<SearchResponse> = {}): SearchResponse {
  return {
    results,
    indexers: [{ id: 'yggtorrent', name: 'YGGtorrent', ok: true, results: results.length, elapsed_ms: 120, error: null }],
    failed: [],
    elapsed_ms: 150,
    ...extra,
  };
}

interface Answers {
  search?: (url: string) => Response;
  recent?: () => Response;
  forget?: (url: string, init: RequestInit) => Response;
  indexers?: () => Response;
  add?: () => Response;
  torrents?: () => Response;
}

function serve(answers: Answers = {}) {
  return mockFetch((url, init) => {
    if (url === '/api/instance') return jsonResponse(200, instance);
    if (url === '/api/search/indexers') return answers.indexers?.() ?? jsonResponse(200, indexers);
    if (url === '/api/search/recent' && (init.method ?? 'GET') === 'GET') return answers.recent?.() ?? jsonResponse(200, { searches: [] });
    if (url.startsWith('/api/search/recent') && init.method === 'DELETE' && answers.forget) return answers.forget(url, init);
    if (url.startsWith('/api/search?')) return answers.search?.(url) ?? jsonResponse(200, body([few, many, some]));
    if (url === '/api/search/add') return answers.add?.() ?? jsonResponse(200, { ok: true, hash: 'a'.repeat(40), name: 'Dune' });
    if (url.startsWith('/api/torrents')) return answers.torrents?.() ?? jsonResponse(200, { torrents: [], qbittorrent: 'ok', stale: false, error: null });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

function renderPage(me: User = alice) {
  return renderWithProviders(
    <Routes>
      <Route path="/recherche" element={<SearchPage />} />
    </Routes>,
    { route: '/recherche', me },
  );
}

function searchFor(q: string) {
  fireEvent.change(screen.getByLabelText('Rechercher'), { target: { value: q } });
  fireEvent.click(screen.getByRole('button', { name: 'Rechercher' }));
}

const rowTitles = () =>
  within(screen.getByTestId('search-table'))
    .getAllByRole('rowheader')
    .map((h) => h.querySelector('span')!.textContent);

const rowOf = (title: string) => screen.getByText(title).closest('tr')!;

describe('Recherche', () => {
  it('offers the categories and the indexers, and sends q, category and indexer', async () => {
    const fetch = serve();
    renderPage();
    expect(screen.getByRole('heading', { name: 'Recherche', level: 1 })).toBeTruthy();
    expect(document.title).toBe('Recherche · essaim');
    const category = screen.getByLabelText('Catégorie') as HTMLSelectElement;
    expect([...category.options].map((o) => [o.value, o.textContent])).toEqual([
      ['tout', 'Tout'],
      ['films', 'Films'],
      ['series', 'Séries'],
      ['musique', 'Musique'],
      ['livres', 'Livres'],
      ['logiciels', 'Logiciels'],
      ['jeux', 'Jeux'],
    ]);
    const indexer = screen.getByLabelText('Indexeur') as HTMLSelectElement;
    await screen.findByRole('option', { name: 'YGGtorrent' });
    expect([...indexer.options].map((o) => o.textContent)).toEqual(['Tous les indexeurs', 'YGGtorrent', 'Cpasbien']);
    expect((screen.getByLabelText('Rechercher') as HTMLInputElement).required).toBe(true);

    fireEvent.change(category, { target: { value: 'films' } });
    fireEvent.change(indexer, { target: { value: 'yggtorrent' } });
    searchFor('  dune part  ');
    // Busy while the server searches.
    expect(screen.getByRole('button', { name: 'Recherche…' }).getAttribute('aria-busy')).toBe('true');
    await screen.findByTestId('search-table');
    const searches = fetch.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/search?'));
    expect(searches).toEqual(['/api/search?q=dune+part&category=films&indexer=yggtorrent']);
    expect(screen.getByRole('button', { name: 'Rechercher' }).getAttribute('aria-busy')).toBeNull();
  });

  it('leaves out the indexer for all indexers, and refuses an empty query', async () => {
    const fetch = serve();
    renderPage();
    searchFor('   ');
    expect(screen.getByText('Saisissez ce que vous cherchez.')).toBeTruthy();
    expect(fetch.mock.calls.some(([u]) => String(u).startsWith('/api/search?'))).toBe(false);
    searchFor('dune');
    await screen.findByTestId('search-table');
    expect(fetch.mock.calls.map(([u]) => u)).toContain('/api/search?q=dune&category=tout');
  });

  it('shows only "Tous les indexeurs" when the indexers cannot be listed', async () => {
    serve({ indexers: () => errorResponse(502, 'jackett_unreachable', 'Jackett est injoignable.') });
    renderPage();
    const indexer = screen.getByLabelText('Indexeur') as HTMLSelectElement;
    await waitFor(() => expect(indexer.options).toHaveLength(1));
    expect(indexer.options[0]!.textContent).toBe('Tous les indexeurs');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows results sorted by seeders with French values, and re-sorts by header', async () => {
    serve();
    renderPage();
    searchFor('dune');
    await screen.findByTestId('search-table');
    expect(rowTitles()).toEqual(['Dune Part Two 2160p', 'Dune (1984)', 'Dune 2021 MULTi']);
    expect(screen.getByRole('columnheader', { name: 'Sources' }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('status').textContent).toBe('3 résultats');

    const row = rowOf('Dune 2021 MULTi');
    expect(row.textContent).toContain('1,5 Go');
    expect(row.textContent).toContain('YGGtorrent');
    // Jackett's categories in French, the most precise only; Jackett's names on hover.
    const category = within(row).getByText('Films · HD');
    expect(category.getAttribute('title')).toBe("Catégorie de l'indexeur : Movies, Movies/HD");
    const details = within(row).getByRole('link', { name: 'Détails de « Dune 2021 MULTi » (nouvel onglet)' });
    expect(details.textContent).toBe('Détails');
    expect(details.getAttribute('href')).toBe('https://ygg.example/t/1');
    expect(details.getAttribute('target')).toBe('_blank');
    expect(details.getAttribute('rel')).toBe('noopener noreferrer');

    const unknown = rowOf('Dune Part Two 2160p');
    const cells = within(unknown).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(0, 4)).toEqual(['YGGtorrent', '—', '120', '—']);
    expect(unknown.textContent).toContain('2026');
    expect(within(unknown).queryByRole('link', { name: /Détails/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Taille' }));
    expect(screen.getByRole('columnheader', { name: 'Taille' }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: 'Sources' }).getAttribute('aria-sort')).toBeNull();
    expect(rowTitles()).toEqual(['Dune 2021 MULTi', 'Dune (1984)', 'Dune Part Two 2160p']);
    fireEvent.click(screen.getByRole('button', { name: 'Titre' }));
    expect(screen.getByRole('columnheader', { name: 'Titre' }).getAttribute('aria-sort')).toBe('ascending');
    expect(rowTitles()).toEqual(['Dune (1984)', 'Dune 2021 MULTi', 'Dune Part Two 2160p']);
  });

  it('filters the results without searching again', async () => {
    const fetch = serve();
    renderPage();
    searchFor('dune');
    await screen.findByTestId('search-table');
    const before = fetch.mock.calls.length;
    fireEvent.change(screen.getByLabelText('Sources minimum'), { target: { value: '10' } });
    expect(rowTitles()).toEqual(['Dune Part Two 2160p', 'Dune (1984)']);
    fireEvent.change(screen.getByLabelText('Taille maximum (Go)'), { target: { value: '1' } });
    expect(rowTitles()).toEqual(['Dune (1984)']);
    expect(screen.getByRole('status').textContent).toBe('1 résultat affiché sur 3');
    fireEvent.change(screen.getByLabelText('Le titre contient'), { target: { value: 'two' } });
    expect(screen.getByText('Aucun résultat ne correspond aux filtres.')).toBeTruthy();
    fireEvent.click(screen.getAllByRole('button', { name: 'Effacer les filtres' })[0]!);
    expect(rowTitles()).toHaveLength(3);
    expect(fetch.mock.calls.length).toBe(before);
  });

  it('says which indexers did not answer', async () => {
    serve({
      search: () =>
        jsonResponse(
          200,
          body([few], {
            failed: ['Cpasbien'],
            indexers: [
              { id: 'yggtorrent', name: 'YGGtorrent', ok: true, results: 1, elapsed_ms: 100, error: null },
              { id: 'cpasbien', name: 'Cpasbien', ok: false, results: 0, elapsed_ms: 10000, error: 'délai dépassé' },
            ],
          }),
        ),
    });
    renderPage();
    searchFor('dune');
    expect(await screen.findByText("Certains indexeurs n'ont pas répondu : Cpasbien (délai dépassé)")).toBeTruthy();
    expect(rowTitles()).toEqual(['Dune 2021 MULTi']);
  });

  it("shows the server's French message when the search fails", async () => {
    serve({ search: () => errorResponse(502, 'jackett_unreachable', 'Jackett est injoignable pour le moment.') });
    renderPage();
    searchFor('dune');
    expect((await screen.findByRole('alert')).textContent).toBe('Jackett est injoignable pour le moment.');
    expect(screen.queryByTestId('search-table')).toBeNull();
  });

  it('falls back to a French message for a known code without message', async () => {
    serve({ search: () => jsonResponse(503, { error: { code: 'jackett_not_configured', message: '' } }) });
    renderPage();
    searchFor('dune');
    expect((await screen.findByRole('alert')).textContent).toBe("La recherche n'est pas configurée sur ce serveur.");
  });

  it('says when nothing was found', async () => {
    serve({ search: () => jsonResponse(200, body([])) });
    renderPage();
    searchFor('zzzz');
    expect(await screen.findByText('Aucun résultat pour « zzzz ».')).toBeTruthy();
  });

  it('adds a result with POST /api/search/add and the CSRF header, then shows Ajouté and the link', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = serve();
    const { client } = renderPage();
    client.setQueryData(['torrents', 'mine'], { torrents: [], qbittorrent: 'ok', stale: false, error: null });
    searchFor('dune');
    await screen.findByTestId('search-table');
    const row = rowOf('Dune (1984)');
    fireEvent.click(within(row).getByRole('button', { name: 'Ajouter « Dune (1984) »' }));
    expect(await within(row).findByText('Ajouté')).toBeTruthy();
    const link = within(row).getByRole('link', { name: 'Voir dans Mes torrents' });
    expect(link.getAttribute('href')).toBe(`/torrents/${'a'.repeat(40)}`);
    expect(within(row).queryByRole('button', { name: /Ajouter/ })).toBeNull();

    const init = fetch.mock.calls.find(([u]) => u === '/api/search/add')![1]!;
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ id: 'r3' });
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    // The torrent lists are stale now.
    await waitFor(() => expect(client.getQueryState(['torrents', 'mine'])?.isInvalidated).toBe(true));
    // Other rows are untouched.
    expect(within(rowOf('Dune 2021 MULTi')).getByRole('button', { name: 'Ajouter « Dune 2021 MULTi »' })).toBeTruthy();
  });

  it('shows the refusal on the row', async () => {
    serve({
      add: () =>
        jsonResponse(200, { ok: false, error: { code: 'duplicate_torrent', message: 'Ce torrent est déjà sur le serveur.' } }),
    });
    renderPage();
    searchFor('dune');
    await screen.findByTestId('search-table');
    const row = rowOf('Dune (1984)');
    fireEvent.click(within(row).getByRole('button', { name: 'Ajouter « Dune (1984) »' }));
    expect((await within(row).findByRole('alert')).textContent).toBe('Échec : Ce torrent est déjà sur le serveur.');
    expect(within(row).getByRole('button', { name: 'Ajouter « Dune (1984) »' })).toBeTruthy();
    expect(within(row).queryByText('Ajouté')).toBeNull();
  });

  it('shows an expired result on the row', async () => {
    serve({ add: () => errorResponse(404, 'search_result_expired', 'Ce résultat a expiré, relancez la recherche.') });
    renderPage();
    searchFor('dune');
    await screen.findByTestId('search-table');
    const row = rowOf('Dune 2021 MULTi');
    fireEvent.click(within(row).getByRole('button', { name: 'Ajouter « Dune 2021 MULTi »' }));
    expect((await within(row).findByRole('alert')).textContent).toBe('Échec : Ce résultat a expiré, relancez la recherche.');
  });

  it('shows Ajouté from the start for a result already added', async () => {
    serve({ search: () => jsonResponse(200, body([{ ...some, added: { hash: 'b'.repeat(40) } }, few])) });
    renderPage();
    searchFor('dune');
    await screen.findByTestId('search-table');
    const row = rowOf('Dune (1984)');
    expect(within(row).getByText('Ajouté')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Voir dans Mes torrents' }).getAttribute('href')).toBe(`/torrents/${'b'.repeat(40)}`);
    expect(within(row).queryByRole('button')).toBeNull();
  });

  it('shows "Déjà ajouté" for a result the server already has, with a link for who sees every torrent', async () => {
    const hash = 'C'.repeat(40);
    const answer = () => jsonResponse(200, body([{ ...some, on_server: true, info_hash: hash }, few]));
    serve({ search: answer });
    const first = renderPage();
    searchFor('dune');
    await screen.findByTestId('search-table');
    let row = rowOf('Dune (1984)');
    expect(within(row).getByText('Déjà ajouté')).toBeTruthy();
    expect(within(row).queryByRole('button', { name: /^Ajouter/ })).toBeNull();
    expect(within(row).getByRole('link', { name: 'Voir le torrent « Dune (1984) », déjà sur le serveur' }).getAttribute('href')).toBe(
      `/torrents/${'c'.repeat(40)}`,
    );
    expect(within(rowOf('Dune 2021 MULTi')).getByRole('button', { name: 'Ajouter « Dune 2021 MULTi »' })).toBeTruthy();
    first.unmount();

    // Without "see_all": no link (the torrent's page would be refused), just why it cannot be added.
    serve({ search: answer });
    renderPage({ ...alice, permissions: ['search', 'add_torrents', 'add_magnets'] });
    searchFor('dune');
    await screen.findByTestId('search-table');
    row = rowOf('Dune (1984)');
    expect(within(row).getByText('Déjà ajouté')).toBeTruthy();
    expect(within(row).getByText('Ce torrent est déjà sur le serveur.')).toBeTruthy();
    expect(within(row).queryByRole('link', { name: /Voir le torrent/ })).toBeNull();
  });

  it('says "Sources" and "Pairs", never "Clients", each explained', async () => {
    serve();
    renderPage();
    searchFor('dune');
    await screen.findByTestId('search-table');
    expect(screen.getByRole('columnheader', { name: 'Pairs' })).toBeTruthy();
    expect(screen.queryByText(/Clients/)).toBeNull();
    const header = screen.getByRole('columnheader', { name: 'Sources' });
    expect(header.textContent).toContain('Sources : les participants qui ont le fichier complet');
  });

  it('shows cards on phones', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({
      matches: false,
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    serve();
    renderPage();
    searchFor('dune');
    const cards = await screen.findByTestId('search-cards');
    expect(screen.queryByTestId('search-table')).toBeNull();
    const items = within(cards).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('Dune Part Two 2160p');
    expect(within(items[0]!).getByRole('button', { name: 'Ajouter « Dune Part Two 2160p »' })).toBeTruthy();
    for (const part of ['1,5 Go', '3 sources', '1 pair', 'YGGtorrent']) expect(items[2]!.textContent).toContain(part);
    expect(items[2]!.textContent).toContain('Films · HD');
    // The filters wait behind "Filtres", so the first result is near the top.
    const toggle = screen.getByRole('button', { name: 'Filtres' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    const filters = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(filters.hidden).toBe(true);
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(filters.hidden).toBe(false);
    expect((screen.getByLabelText('Trier par') as HTMLSelectElement).value).toBe('seeders');
    fireEvent.change(screen.getByLabelText('Sources minimum'), { target: { value: '10' } });
    expect(screen.getByRole('button', { name: 'Filtres (1)' })).toBeTruthy();
    expect(within(cards).getAllByRole('listitem')).toHaveLength(2);
  });

  it('tells a user without the search permission', () => {
    serve();
    renderPage({ ...alice, permissions: ['add_torrents'] });
    expect(screen.getByRole('alert').textContent).toBe("Votre groupe ne permet pas d'utiliser la recherche.");
    expect(screen.queryByLabelText('Rechercher')).toBeNull();
  });
});

/** 10:00 UTC: 24 November from UTC-10 to UTC+13 (New Zealand summer time). */
const NOV_24 = Date.UTC(2026, 10, 24, 10, 0) / 1000;

function recentSearch(id: number, q: string, extra: Partial<RecentSearch> = {}): RecentSearch {
  return { id, q, category: 'tout', indexer: '', results: 3, searched_at: NOV_24, ...extra };
}

/** A server keeping the recent searches: a search moves to the top, DELETE forgets. */
function serveRecent(initial: RecentSearch[], answers: Answers = {}) {
  let list = [...initial];
  let next = 100;
  return serve({
    recent: () => jsonResponse(200, { searches: list }),
    search: (u) => {
      const qs = new URL(u, 'http://essaim.test').searchParams;
      const p = { q: qs.get('q')!, category: qs.get('category') as RecentSearch['category'], indexer: qs.get('indexer') ?? '' };
      const old = list.find((s) => s.q === p.q && s.category === p.category && s.indexer === p.indexer);
      list = [{ ...p, id: old?.id ?? next++, results: 3, searched_at: NOV_24 + 60 }, ...list.filter((s) => s !== old)];
      return jsonResponse(200, body([few, many, some]));
    },
    forget: (url) => {
      if (url === '/api/search/recent') {
        list = [];
        return new Response(null, { status: 204 });
      }
      const id = Number(url.split('/').pop());
      if (!list.some((s) => s.id === id)) return errorResponse(404, 'not_found', 'Introuvable.');
      list = list.filter((s) => s.id !== id);
      return new Response(null, { status: 204 });
    },
    ...answers,
  });
}

const recentSection = () => screen.getByRole('region', { name: 'Recherches récentes' });
/** Each chip's accessible name (its label, with commas). */
const chipTexts = () =>
  within(recentSection())
    .getAllByRole('listitem')
    .map((li) => li.querySelector('button')!.getAttribute('aria-label'));
const calls = (fetch: ReturnType<typeof serve>, pred: (url: string, method: string) => boolean) =>
  fetch.mock.calls.filter(([u, init]) => pred(String(u), init?.method ?? 'GET'));

describe('Recherches récentes', () => {
  const dune = recentSearch(7, 'dune', { category: 'films', indexer: 'yggtorrent' });
  const matrix = recentSearch(8, 'matrix');
  const ubuntu = recentSearch(9, 'ubuntu', { category: 'logiciels', indexer: 'oldtracker' });

  it('lists the recent searches with the category, the indexer and the French date', async () => {
    serveRecent([dune, matrix, ubuntu]);
    renderPage();
    await screen.findByRole('region', { name: 'Recherches récentes' });
    // Indexer names arrive with their own request.
    await waitFor(() => expect(chipTexts()[0]).toContain('YGGtorrent'));
    const date = formatDate(NOV_24);
    expect(date).toMatch(/^24 nov\. 2026 à \d\d:\d\d$/);
    // "Tout" and "Tous les indexeurs" are left out.
    expect(chipTexts()).toEqual([
      `dune, Films, YGGtorrent, ${date}`,
      `matrix, ${date}`,
      // An indexer the server no longer lists: its id.
      `ubuntu, Logiciels, oldtracker, ${date}`,
    ]);
    // What is drawn: "·" between the parts.
    const first = within(recentSection()).getAllByRole('listitem')[0]!;
    expect(first.querySelector('button')!.textContent).toBe(`dune·Films·YGGtorrent·${date}`);
    const time = first.querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe('2026-11-24T10:00:00.000Z');
    expect(within(recentSection()).getByRole('button', { name: /^dune, Films, YGGtorrent, 24 nov\. 2026/ })).toBeTruthy();
    expect(within(recentSection()).getByRole('button', { name: 'Oublier la recherche « matrix »' })).toBeTruthy();
    expect(within(recentSection()).getByRole('button', { name: "Effacer l'historique" })).toBeTruthy();
    // No search yet: nothing below.
    expect(screen.queryByTestId('search-table')).toBeNull();
  });

  it('is hidden when there is no recent search, or when they cannot be listed', async () => {
    const fetch = serveRecent([]);
    renderPage();
    await waitFor(() => expect(calls(fetch, (u) => u === '/api/search/recent')).toHaveLength(1));
    expect(screen.queryByRole('region', { name: 'Recherches récentes' })).toBeNull();
    expect(screen.queryByText('Recherches récentes')).toBeNull();
    cleanup();

    const failing = serve({ recent: () => errorResponse(500, 'internal', 'Erreur interne.') });
    renderPage();
    await waitFor(() => expect(calls(failing, (u) => u === '/api/search/recent')).toHaveLength(1));
    expect(screen.queryByText('Recherches récentes')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('fills the form from a chip and runs that search, then lists it first', async () => {
    const fetch = serveRecent([matrix, dune]);
    renderPage();
    await screen.findByRole('option', { name: 'YGGtorrent' });
    fireEvent.click(await screen.findByRole('button', { name: /^dune, Films/ }));
    await screen.findByTestId('search-table');
    expect(calls(fetch, (u) => u.startsWith('/api/search?')).map(([u]) => u)).toEqual([
      '/api/search?q=dune&category=films&indexer=yggtorrent',
    ]);
    expect((screen.getByLabelText('Rechercher') as HTMLInputElement).value).toBe('dune');
    expect((screen.getByLabelText('Catégorie') as HTMLSelectElement).value).toBe('films');
    expect((screen.getByLabelText('Indexeur') as HTMLSelectElement).value).toBe('yggtorrent');
    // The list is fetched again after the search: dune moved to the top.
    await waitFor(() => expect(chipTexts()[0]).toMatch(/^dune/));
    expect(chipTexts()[1]).toMatch(/^matrix/);
    expect(calls(fetch, (u) => u === '/api/search/recent')).toHaveLength(2);

    // The same chip again searches again (the cached results are not reused silently).
    fireEvent.click(screen.getByRole('button', { name: /^dune, Films/ }));
    await waitFor(() => expect(calls(fetch, (u) => u.startsWith('/api/search?'))).toHaveLength(2));
  });

  it('puts a search typed in the form at the top of the list', async () => {
    serveRecent([matrix]);
    renderPage();
    await screen.findByRole('region', { name: 'Recherches récentes' });
    searchFor('ubuntu');
    await screen.findByTestId('search-table');
    await waitFor(() => expect(chipTexts()).toHaveLength(2));
    expect(chipTexts()[0]).toMatch(/^ubuntu, 24 nov\. 2026/);
  });

  it('shows the indexer of a chip in the select even when it is no longer listed', async () => {
    serveRecent([ubuntu]);
    renderPage();
    await screen.findByRole('option', { name: 'YGGtorrent' });
    fireEvent.click(await screen.findByRole('button', { name: /^ubuntu/ }));
    expect((screen.getByLabelText('Indexeur') as HTMLSelectElement).value).toBe('oldtracker');
    expect(screen.getByRole('option', { name: 'oldtracker' })).toBeTruthy();
  });

  it('clears the "empty query" error when a chip fills the form', async () => {
    serveRecent([matrix]);
    renderPage();
    searchFor('  ');
    expect(screen.getByText('Saisissez ce que vous cherchez.')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: /^matrix/ }));
    expect(screen.queryByText('Saisissez ce que vous cherchez.')).toBeNull();
    await screen.findByTestId('search-table');
  });

  it('forgets one search with DELETE /api/search/recent/{id} and the CSRF header', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = serveRecent([dune, matrix, ubuntu]);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Oublier la recherche « matrix »' }));
    await waitFor(() => expect(chipTexts()).toHaveLength(2));
    expect(chipTexts()[0]).toMatch(/^dune/);
    expect(chipTexts()[1]).toMatch(/^ubuntu/);
    const [url, init] = calls(fetch, (_u, m) => m === 'DELETE')[0]!;
    expect(url).toBe('/api/search/recent/8');
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    // Focus goes to the chip now in its place.
    await waitFor(() => expect(document.activeElement?.textContent).toMatch(/^ubuntu/));
    expect(calls(fetch, (u) => u.startsWith('/api/search?'))).toHaveLength(0);
  });

  it('treats a search already forgotten elsewhere (404) as forgotten', async () => {
    // Another tab forgot it just before.
    let listed = [dune, matrix];
    serve({
      recent: () => jsonResponse(200, { searches: listed }),
      forget: () => {
        listed = [matrix];
        return errorResponse(404, 'not_found', 'Introuvable.');
      },
    });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Oublier la recherche « dune »' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: /^dune/ })).toBeNull());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('clears the whole list with DELETE /api/search/recent, then focuses the search field', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = serveRecent([dune, matrix]);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: "Effacer l'historique" }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Recherches récentes' })).toBeNull());
    const deletes = calls(fetch, (_u, m) => m === 'DELETE');
    expect(deletes.map(([u]) => u)).toEqual(['/api/search/recent']);
    expect((deletes[0]![1]!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    expect(document.activeElement).toBe(screen.getByLabelText('Rechercher'));
  });

  it("shows the server's message when forgetting fails, and keeps the list", async () => {
    const fetch = serveRecent([dune, matrix], { forget: () => errorResponse(500, 'internal', 'La base de données est indisponible.') });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Oublier la recherche « dune »' }));
    expect((await within(recentSection()).findByRole('alert')).textContent).toBe('La base de données est indisponible.');
    expect(chipTexts()).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: "Effacer l'historique" }));
    await waitFor(() => expect(calls(fetch, (_u, m) => m === 'DELETE')).toHaveLength(2));
    await screen.findByRole('button', { name: "Effacer l'historique" });
    expect(within(recentSection()).getByRole('alert').textContent).toBe('La base de données est indisponible.');
    expect(chipTexts()).toHaveLength(2);
  });

  it(`shows ${RECENT_SHOWN} chips, then all of them on demand`, async () => {
    serveRecent(Array.from({ length: 12 }, (_, i) => recentSearch(i + 1, `film ${i + 1}`)));
    renderPage();
    await screen.findByRole('region', { name: 'Recherches récentes' });
    expect(chipTexts()).toHaveLength(RECENT_SHOWN);
    const more = screen.getByRole('button', { name: 'Afficher les 12 recherches' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(more);
    expect(chipTexts()).toHaveLength(12);
    const less = screen.getByRole('button', { name: 'Afficher moins' });
    expect(less.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(less);
    expect(chipTexts()).toHaveLength(RECENT_SHOWN);
  });

  it('does not ask for the recent searches without the search permission', () => {
    const fetch = serveRecent([dune]);
    renderPage({ ...alice, permissions: ['add_torrents'] });
    expect(screen.queryByText('Recherches récentes')).toBeNull();
    expect(calls(fetch, (u) => u.startsWith('/api/search'))).toHaveLength(0);
  });
});

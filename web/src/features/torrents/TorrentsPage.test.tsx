import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { TorrentsPage } from './TorrentsPage';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { asAdminView, listBody, makeTorrent } from '../../test/torrents';
import type { Torrent, User } from '../../api/types';

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };
const owner = { id: 2, username: 'alice', display_name: 'Alice' };

const film = makeTorrent({ hash: 'f'.repeat(40), name: 'Film été', state: 'downloading', progress: 0.42, size: 3_670_016, added_on: 300, owner });
const iso = makeTorrent({ hash: 'e'.repeat(40), name: 'debian.iso', state: 'paused', progress: 0.1, size: 100, eta: null, added_on: 200, owner });
const gone = makeTorrent({ hash: 'd'.repeat(40), name: 'Ancien', state: 'seeding', removed: true, progress: 1, added_on: 100, owner });

function serve(torrents: Torrent[], extra: Record<string, unknown> = {}) {
  return mockFetch((url) => {
    if (url === '/api/instance') return jsonResponse(200, instance);
    if (url.startsWith('/api/torrents?scope=')) return jsonResponse(200, listBody(torrents, extra));
    if (/\/(pause|resume)$/.test(url)) return new Response(null, { status: 204 });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

function renderPage(scope: 'mine' | 'all' = 'mine', me: User = alice, route?: string) {
  return renderWithProviders(
    <Routes>
      <Route path="/torrents" element={<TorrentsPage scope="mine" />} />
      <Route path="/tous" element={<TorrentsPage scope="all" />} />
    </Routes>,
    { route: route ?? (scope === 'mine' ? '/torrents' : '/tous'), me },
  );
}

/** Opens a row's "Plus d'actions" menu; returns it. */
function openMenu(name: string) {
  fireEvent.click(screen.getByRole('button', { name: `Plus d'actions pour « ${name} »` }));
  return screen.getByRole('menu', { name: `Plus d'actions pour « ${name} »` });
}

const rowNames = () =>
  within(screen.getByTestId('torrent-table'))
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getByRole('rowheader').textContent);

describe('Mes torrents', () => {
  it('shows one row per torrent with French values', async () => {
    // Every column shown (ratio and "Téléchargé" are not by default).
    const order = ['state', 'progress', 'size', 'downloaded', 'dlspeed', 'upspeed', 'eta', 'seeds', 'ratio', 'added_on', 'owner'];
    localStorage.setItem(`essaim.colonnes.${alice.id}`, JSON.stringify({ order, hidden: [] }));
    serve([film]);
    renderPage();
    expect(screen.getByRole('heading', { name: 'Mes torrents', level: 1 })).toBeTruthy();
    const row = (await screen.findByRole('rowheader', { name: 'Film été' })).closest('tr')!;
    const cells = within(row);
    expect(cells.getByText('Téléchargement')).toBeTruthy();
    const bar = cells.getByRole('progressbar', { name: 'Progression de « Film été »' });
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect(bar.getAttribute('aria-valuetext')).toBe('42\u00a0%');
    expect(row.textContent).toContain('3,5 Mo');
    expect(row.textContent).toContain('850 Ko/s');
    expect(row.textContent).toContain('12 s');
    expect(row.textContent).toContain('1 (3)0 (1)'); // seeds over peers
    expect(row.textContent).toContain('0,00');
    expect(cells.getByRole('link', { name: 'Film été' }).getAttribute('href')).toBe(`/torrents/${film.hash}`);
    expect(cells.getByRole('button', { name: 'Pause « Film été »' })).toBeTruthy();
    const menu = openMenu('Film été');
    expect(within(menu).getAllByRole('menuitem').map((m) => m.textContent)).toEqual(['Fichiers', 'Détails', 'Supprimer']);
    expect(within(menu).getByRole('menuitem', { name: 'Détails' }).getAttribute('href')).toBe(`/torrents/${film.hash}`);
    // Escape closes it and gives the focus back to its button.
    fireEvent.keyDown(within(menu).getByRole('menuitem', { name: 'Fichiers' }), { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(cells.getByRole('button', { name: "Plus d'actions pour « Film été »" }));
    expect(screen.queryByRole('columnheader', { name: /Propriétaire/ })).toBeNull();
    expect(document.title).toBe('Mes torrents · essaim');
  });

  it('sorts by clicking the headers, with aria-sort', async () => {
    serve([iso, film, gone]);
    renderPage();
    await screen.findByRole('rowheader', { name: 'Film été' });
    // Newest first by default.
    expect(rowNames()).toEqual(['Film été', 'debian.iso', 'Ancien']);
    expect(screen.getByRole('columnheader', { name: /Ajouté le/ }).getAttribute('aria-sort')).toBe('descending');

    fireEvent.click(screen.getByRole('button', { name: 'Nom' }));
    const nameHeader = screen.getByRole('columnheader', { name: 'Nom' });
    expect(nameHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByRole('columnheader', { name: /Ajouté le/ }).getAttribute('aria-sort')).toBeNull();
    expect(rowNames()).toEqual(['Ancien', 'debian.iso', 'Film été']);

    fireEvent.click(screen.getByRole('button', { name: 'Nom' }));
    expect(nameHeader.getAttribute('aria-sort')).toBe('descending');
    expect(rowNames()).toEqual(['Film été', 'debian.iso', 'Ancien']);

    fireEvent.click(screen.getByRole('button', { name: 'Vitesse de réception' }));
    expect(screen.getByRole('columnheader', { name: 'Vitesse de réception' }).getAttribute('aria-sort')).toBe('descending');
  });

  it('filters by state and by name', async () => {
    serve([iso, film, gone]);
    renderPage();
    await screen.findByRole('rowheader', { name: 'Film été' });
    const state = screen.getByLabelText('État') as HTMLSelectElement;
    expect([...state.options].map((o) => o.textContent).slice(0, 4)).toEqual([
      'Tous (3)',
      'Téléchargement (1)',
      'Partage (0)',
      'En pause (1)',
    ]);
    fireEvent.change(state, { target: { value: 'paused' } });
    expect(rowNames()).toEqual(['debian.iso']);
    expect(screen.getByText('1 torrent affiché sur 3')).toBeTruthy();

    fireEvent.change(state, { target: { value: 'all' } });
    fireEvent.change(screen.getByLabelText('Rechercher par nom'), { target: { value: 'ETE' } });
    expect(rowNames()).toEqual(['Film été']);

    fireEvent.change(screen.getByLabelText('Rechercher par nom'), { target: { value: 'rien de tel' } });
    expect(screen.getByText('Aucun torrent ne correspond à votre recherche.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Effacer les filtres' }));
    expect(rowNames()).toHaveLength(3);
  });

  it('greys removed torrents as Supprimé and offers only what makes sense', async () => {
    serve([gone]);
    renderPage();
    const row = (await screen.findByRole('rowheader', { name: 'Ancien' })).closest('tr')!;
    expect(within(row).getByText('Supprimé')).toBeTruthy();
    // Muted text, not an opacity (which took it below AA contrast).
    expect(row.className).toContain('text-stone-500');
    expect(row.className).not.toContain('opacity');
    expect(within(row).queryByRole('button', { name: /^Pause/ })).toBeNull();
    expect(within(row).queryByRole('button', { name: /^Reprendre/ })).toBeNull();
    expect(within(openMenu('Ancien')).getByRole('menuitem', { name: 'Supprimer' })).toBeTruthy();
  });

  it('shows Reprendre for a paused torrent and no actions without can_act', async () => {
    serve([iso, { ...film, can_act: false }]);
    renderPage();
    const isoRow = (await screen.findByRole('rowheader', { name: 'debian.iso' })).closest('tr')!;
    expect(within(isoRow).getByRole('button', { name: 'Reprendre « debian.iso »' })).toBeTruthy();
    const filmRow = screen.getByRole('rowheader', { name: 'Film été' }).closest('tr')!;
    expect(within(filmRow).queryByRole('button', { name: /^(Pause|Reprendre)/ })).toBeNull();
    const menu = openMenu('Film été');
    expect(within(menu).getAllByRole('menuitem').map((m) => m.textContent)).toEqual(['Fichiers', 'Détails']);
  });

  it('hides what the group does not allow', async () => {
    serve([film]);
    renderPage('mine', { ...alice, permissions: ['delete_own'] });
    const row = (await screen.findByRole('rowheader', { name: 'Film été' })).closest('tr')!;
    expect(within(row).queryByRole('button', { name: /^Pause/ })).toBeNull();
    expect(within(openMenu('Film été')).getByRole('menuitem', { name: 'Supprimer' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Ajouter des torrents' })).toBeNull();
  });

  it('pauses with POST …/pause and the CSRF header', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = serve([film]);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Pause « Film été »' }));
    await waitFor(() => expect(fetch.mock.calls.some(([u]) => u === `/api/torrents/${film.hash}/pause`)).toBe(true));
    const [, init] = fetch.mock.calls.find(([u]) => u === `/api/torrents/${film.hash}/pause`)!;
    expect(init!.method).toBe('POST');
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
  });

  it('reports a refused action in French', async () => {
    mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url.startsWith('/api/torrents?')) return jsonResponse(200, listBody([film]));
      return errorResponse(503, 'qbittorrent_unreachable', 'qBittorrent est injoignable : connexion refusée.');
    });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Pause « Film été »' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Impossible de mettre en pause « Film été » : qBittorrent est injoignable : connexion refusée.',
    );
  });

  it('opens the delete dialog from a row', async () => {
    serve([film]);
    renderPage();
    await screen.findByRole('rowheader', { name: 'Film été' });
    fireEvent.click(within(openMenu('Film été')).getByRole('menuitem', { name: 'Supprimer' }));
    expect(screen.getByRole('dialog', { name: 'Supprimer « Film été » ?' })).toBeTruthy();
  });

  it('has a French empty state with a button to add', async () => {
    serve([]);
    renderPage();
    expect(await screen.findByRole('heading', { name: "Aucun torrent pour l'instant" })).toBeTruthy();
    const buttons = screen.getAllByRole('button', { name: 'Ajouter des torrents' });
    expect(buttons).toHaveLength(2);
    fireEvent.click(buttons[1]!);
    expect(screen.getByRole('dialog', { name: 'Ajouter des torrents' })).toBeTruthy();
  });

  it('warns that qBittorrent is unreachable and keeps the list', async () => {
    serve([film], { qbittorrent: 'down', stale: true, error: 'connexion refusée.' });
    renderPage();
    await screen.findByRole('rowheader', { name: 'Film été' });
    expect(screen.getByTestId('live-banner').textContent).toBe(
      'qBittorrent est injoignable. Les données affichées peuvent être anciennes.',
    );
    // The values are marked as no longer live.
    expect(screen.getByTestId('stale-marker').textContent).toBe('Valeurs non actualisées');
    expect(screen.getByTestId('live-banner').getAttribute('role')).toBe('status');
  });

  it('shows a French error, with Réessayer, when the list cannot be loaded', async () => {
    mockFetch((url) =>
      url === '/api/instance'
        ? jsonResponse(200, instance)
        : errorResponse(503, 'qbittorrent_unreachable', 'qBittorrent est injoignable.'),
    );
    renderPage();
    expect((await screen.findByRole('alert')).textContent).toBe('qBittorrent est injoignable.');
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeTruthy();
  });

  it('uses compact cards on phones, the filters behind "Filtres"', async () => {
    vi.stubGlobal('matchMedia', (q: string) => ({
      matches: false,
      media: q,
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    serve([film]);
    renderPage();
    const cards = await screen.findByTestId('torrent-cards');
    const card = within(cards).getByRole('article', { name: 'Film été' });
    expect(within(card).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('42');
    expect(within(card).getByRole('button', { name: 'Pause « Film été »' })).toBeTruthy();
    expect(card.textContent).toContain('↓\u00a0850 Ko/s');
    expect(screen.queryByTestId('torrent-table')).toBeNull();
    const filters = screen.getByRole('button', { name: 'Filtres' });
    expect(filters.getAttribute('aria-expanded')).toBe('false');
    expect((screen.getByRole('search', { hidden: true }) as HTMLElement).hidden).toBe(true);
    fireEvent.click(filters);
    expect(screen.getByLabelText('Trier par')).toBeTruthy();
    expect((screen.getByRole('search') as HTMLElement).hidden).toBe(false);
  });
});

describe('Group limits', () => {
  const reason = 'Ce torrent (2,0 Mo) dépasse votre quota : 2,0 Mo sur 1,0 Mo. Il a été arrêté.';
  const waiting = makeTorrent({ name: 'En attente', state: 'paused', owner, limit: { state: 'queued', reason: '' } });
  const stopped = makeTorrent({ name: 'Trop gros', state: 'paused', owner, limit: { state: 'stopped', reason } });

  it('shows why a limit holds a torrent back, under its state', async () => {
    serve([waiting, stopped, film]);
    renderPage();
    const waitingRow = (await screen.findByRole('rowheader', { name: 'En attente' })).closest('tr')!;
    expect(within(waitingRow).getByText("En file d'attente (limite de votre groupe)")).toBeTruthy();
    expect(waitingRow.textContent).not.toContain('Arrêté par une limite');

    const stoppedRow = screen.getByRole('rowheader', { name: 'Trop gros' }).closest('tr')!;
    const note = within(stoppedRow).getByText('Arrêté par une limite').closest('[data-limit]')!;
    expect(note.getAttribute('data-limit')).toBe('stopped');
    expect(note.getAttribute('title')).toBe(reason);
    // Screen readers hear the reason after the note.
    expect(note.textContent).toBe(`Arrêté par une limite : ${reason}`);

    const filmRow = screen.getByRole('rowheader', { name: 'Film été' }).closest('tr')!;
    expect(filmRow.querySelector('[data-limit]')).toBeNull();
  });

  it('shows the same notes on phone cards', async () => {
    vi.stubGlobal('matchMedia', (q: string) => ({
      matches: false,
      media: q,
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    serve([waiting, stopped]);
    renderPage();
    const cards = await screen.findByTestId('torrent-cards');
    const waitingCard = within(cards).getByRole('article', { name: 'En attente' });
    expect(within(waitingCard).getByText("En file d'attente (limite de votre groupe)")).toBeTruthy();
    const stoppedCard = within(cards).getByRole('article', { name: 'Trop gros' });
    const note = within(stoppedCard).getByText('Arrêté par une limite').closest('[data-limit]')!;
    expect(note.getAttribute('title')).toBe(reason);
    expect(note.textContent).toContain(reason);
  });
});

describe('Tous les torrents', () => {
  it("adds the owner's name, or sans propriétaire", async () => {
    serve([film, { ...iso, owner: null }]);
    renderPage('all');
    expect(screen.getByRole('heading', { name: 'Tous les torrents', level: 1 })).toBeTruthy();
    expect(await screen.findByRole('columnheader', { name: 'Propriétaire' })).toBeTruthy();
    const filmRow = screen.getByRole('rowheader', { name: 'Film été' }).closest('tr')!;
    expect(filmRow.textContent).toContain('Alice');
    const isoRow = screen.getByRole('rowheader', { name: 'debian.iso' }).closest('tr')!;
    expect(isoRow.textContent).toContain('sans propriétaire');
  });

  it('asks the server for scope=all', async () => {
    const fetch = serve([film]);
    renderPage('all');
    await screen.findByRole('rowheader', { name: 'Film été' });
    expect(fetch.mock.calls.some(([u]) => u === '/api/torrents?scope=all')).toBe(true);
  });

  describe('seen by an administrator', () => {
    const root: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };
    const hint = 'Ajouté avant les dossiers par utilisateur : ses fichiers sont dans le dossier commun.';
    const old = asAdminView({ ...iso }, '/srv/dl', 'shared');
    const home = asAdminView({ ...film }, '/srv/dl/alice', 'user_folder');

    it('marks the torrents still in the shared folder with a "Dossier commun" badge', async () => {
      serve([home, old]);
      renderPage('all', root);
      const oldRow = (await screen.findByRole('rowheader', { name: 'debian.iso' })).closest('tr')!;
      const badge = within(oldRow).getByText('Dossier commun').closest('[data-placement]')!;
      expect(badge.getAttribute('data-placement')).toBe('shared');
      expect(badge.getAttribute('title')).toBe(hint);
      // Screen readers hear the explanation after the badge.
      expect(badge.textContent).toBe(`Dossier commun : ${hint}`);
      const homeRow = screen.getByRole('rowheader', { name: 'Film été' }).closest('tr')!;
      expect(homeRow.querySelector('[data-placement]')).toBeNull();
    });

    it('marks them on phone cards too', async () => {
      vi.stubGlobal('matchMedia', (q: string) => ({
        matches: false,
        media: q,
        addEventListener: () => {},
        removeEventListener: () => {},
      }));
      serve([home, old]);
      renderPage('all', root);
      const cards = await screen.findByTestId('torrent-cards');
      expect(within(within(cards).getByRole('article', { name: 'debian.iso' })).getByText('Dossier commun')).toBeTruthy();
      expect(within(cards).getByRole('article', { name: 'Film été' }).querySelector('[data-placement]')).toBeNull();
    });

    it('says once that qBittorrent is unreachable, without any address', async () => {
      serve([home], {
        qbittorrent: 'down',
        stale: true,
        error: 'Le serveur qBittorrent ne répond pas.',
        error_detail: 'connexion refusée par 127.0.0.1:8081',
      });
      renderPage('all', root);
      await screen.findByRole('rowheader', { name: 'Film été' });
      const banner = screen.getByTestId('live-banner');
      expect(banner.textContent).toBe('qBittorrent est injoignable. Les données affichées peuvent être anciennes.');
      expect(banner.textContent).not.toContain('127.0.0.1');
    });
  });

  it('shows no detail and no badge to a user (the server sends neither)', async () => {
    serve([film, iso], { qbittorrent: 'down', stale: true, error: 'Le serveur qBittorrent ne répond pas.' });
    renderPage('all');
    const row = (await screen.findByRole('rowheader', { name: 'debian.iso' })).closest('tr')!;
    expect(row.querySelector('[data-placement]')).toBeNull();
    expect(screen.queryByTestId('qbt-detail')).toBeNull();
  });

  it('sends a user without see_all to Mes torrents', async () => {
    const fetch = serve([film]);
    renderPage('all', { ...alice, permissions: [] });
    expect(await screen.findByRole('heading', { name: 'Mes torrents', level: 1 })).toBeTruthy();
    expect(fetch.mock.calls.some(([u]) => u === '/api/torrents?scope=all')).toBe(false);
  });
});

describe('Attribuer… (Tous les torrents)', () => {
  const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };
  const users = [
    { id: 1, username: 'root', display_name: 'Root' },
    { id: 2, username: 'alice', display_name: 'Alice' },
  ];
  const orphan = { ...iso, owner: null };

  function serveAssign() {
    return mockFetch((url, init) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url.startsWith('/api/torrents?scope=')) return jsonResponse(200, listBody([film, orphan]));
      if (url === '/api/admin/users') return jsonResponse(200, { users });
      if (url === `/api/torrents/${iso.hash}/owner` && init.method === 'POST') return jsonResponse(200, { ...orphan, owner: users[1] });
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
  }

  it('offers it to admins on every row, highlighted when the torrent has no owner', async () => {
    serveAssign();
    renderPage('all', admin);
    await screen.findByRole('rowheader', { name: 'Film été' });
    const owned = within(openMenu('Film été')).getByRole('menuitem', { name: 'Attribuer…' });
    expect(owned.className).not.toContain('amber');
    fireEvent.keyDown(owned, { key: 'Escape' });
    const unowned = within(openMenu('debian.iso')).getByRole('menuitem', { name: 'Sans propriétaire : attribuer…' });
    expect(unowned.className).toContain('amber');
  });

  it('assigns from a row, updates the owner column and confirms in French', async () => {
    const fetch = serveAssign();
    renderPage('all', admin);
    await screen.findByRole('rowheader', { name: 'debian.iso' });
    fireEvent.click(within(openMenu('debian.iso')).getByRole('menuitem', { name: /attribuer…$/i }));
    const dialog = screen.getByRole('dialog', { name: 'Attribuer « debian.iso » à un utilisateur' });
    fireEvent.change(await within(dialog).findByRole('combobox', { name: 'Utilisateur' }), { target: { value: '2' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Attribuer' }));
    expect((await screen.findByText('« debian.iso » a été attribué à Alice.')).closest('[role="status"]')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    const row = screen.getByRole('rowheader', { name: 'debian.iso' }).closest('tr')!;
    expect(row.textContent).toContain('Alice');
    expect(row.textContent).not.toContain('sans propriétaire');
    const post = fetch.mock.calls.find(([u]) => u === `/api/torrents/${iso.hash}/owner`)!;
    expect(JSON.parse(String(post[1]!.body))).toEqual({ user_id: 2 });
  });

  it('is hidden from non-admins, even with see_all', async () => {
    const fetch = serveAssign();
    renderPage('all', alice);
    await screen.findByRole('rowheader', { name: 'debian.iso' });
    expect(within(openMenu('debian.iso')).queryByRole('menuitem', { name: /attribuer/i })).toBeNull();
    expect(fetch.mock.calls.some(([u]) => u === '/api/admin/users')).toBe(false);
  });

  it('is not a row action of Mes torrents', async () => {
    serveAssign();
    renderPage('mine', admin);
    await screen.findByRole('rowheader', { name: 'debian.iso' });
    expect(within(openMenu('debian.iso')).queryByRole('menuitem', { name: /attribuer/i })).toBeNull();
  });

  it('is in the menu of phone cards', async () => {
    vi.stubGlobal('matchMedia', (q: string) => ({
      matches: false,
      media: q,
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    serveAssign();
    renderPage('all', admin);
    await screen.findByRole('article', { name: 'debian.iso' });
    expect(within(openMenu('debian.iso')).getByRole('menuitem', { name: 'Sans propriétaire : attribuer…' })).toBeTruthy();
  });
});

describe('Several qBittorrent servers', () => {
  const root: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };
  const srv = (id: number, name: string) => ({
    id,
    name,
    url: `http://10.0.0.${id}:8080`,
    username: 'admin',
    password_set: true,
    download_root: '',
    download_base_url: '',
    state: 'active',
    link: 'ok',
    error: null,
    detail: null,
    torrents: 1,
    free_space: -1,
    dlspeed: 0,
    upspeed: 0,
    version: null,
  });
  const onSalon = { ...film, server: 1, server_name: 'Salon' };
  const onCave = { ...iso, state: 'downloading' as const, dlspeed: 300 * 1024, eta: 60, stale: true, server: 2, server_name: 'Cave' };
  const STALE = 'Serveur injoignable : dernières valeurs connues';

  function serveServers(torrents: Torrent[], servers: unknown[], extra: Record<string, unknown> = {}) {
    return mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url.startsWith('/api/torrents?scope=')) return jsonResponse(200, listBody(torrents, extra));
      if (url === '/api/admin/servers') return jsonResponse(200, { servers });
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
  }

  afterEach(() => localStorage.clear());

  it('shows administrators a "Serveur" column by default when there are several servers', async () => {
    serveServers([onSalon, onCave], [srv(1, 'Salon'), srv(2, 'Cave')]);
    renderPage('all', root);
    expect(await screen.findByRole('columnheader', { name: 'Serveur' })).toBeTruthy();
    expect(screen.getByRole('rowheader', { name: 'debian.iso' }).closest('tr')!.textContent).toContain('Cave');
    // Sortable like the others.
    fireEvent.click(screen.getByRole('button', { name: 'Serveur' }));
    expect(rowNames()).toEqual(['debian.iso', 'Film été']);
    fireEvent.click(screen.getByRole('button', { name: 'Colonnes' }));
    expect((screen.getByRole('checkbox', { name: 'Serveur' }) as HTMLInputElement).checked).toBe(true);
  });

  it('offers it, unticked, in "Colonnes" when there is a single server', async () => {
    serveServers([onSalon], [srv(1, 'Salon')]);
    renderPage('mine', root);
    await screen.findByRole('rowheader', { name: 'Film été' });
    expect(screen.queryByRole('columnheader', { name: 'Serveur' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Colonnes' }));
    const box = screen.getByRole('checkbox', { name: 'Serveur' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    expect(screen.getByRole('columnheader', { name: 'Serveur' })).toBeTruthy();
    expect(JSON.parse(localStorage.getItem(`essaim.colonnes.${root.id}`)!).auto).toEqual([]);
  });

  it('never offers it to a user, who gets no server names', async () => {
    const fetch = serveServers([film, { ...iso, stale: true }], [srv(1, 'Salon'), srv(2, 'Cave')]);
    renderPage('all');
    await screen.findByRole('rowheader', { name: 'Film été' });
    fireEvent.click(screen.getByRole('button', { name: 'Colonnes' }));
    expect(screen.queryByRole('checkbox', { name: 'Serveur' })).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'Serveur' })).toBeNull();
    expect(fetch.mock.calls.some(([u]) => String(u).startsWith('/api/admin/'))).toBe(false);
  });

  it("greys the speeds and ETA of a torrent whose server does not answer, and says why", async () => {
    serveServers([onSalon, onCave], [srv(1, 'Salon'), srv(2, 'Cave')]);
    renderPage('all', root);
    const row = (await screen.findByRole('rowheader', { name: 'debian.iso' })).closest('tr')!;
    const speed = within(row).getByText('300 Ko/s');
    expect(speed.getAttribute('title')).toBe(STALE);
    expect(speed.className).toContain('text-stone-500');
    expect(within(row).getByText('1 min').getAttribute('title')).toBe(STALE);
    const note = row.querySelector('[data-server-stale]')!;
    expect(note.textContent).toBe('Serveur injoignable : dernières valeurs connues');
    expect(note.getAttribute('title')).toBe(STALE);
    // The other server's torrent is live.
    const live = screen.getByRole('rowheader', { name: 'Film été' }).closest('tr')!;
    expect(within(live).getByText('850 Ko/s').getAttribute('title')).toBeNull();
    expect(live.querySelector('[data-server-stale]')).toBeNull();
    // The list as a whole is live: no "not refreshed" marker.
    expect(screen.queryByTestId('stale-marker')).toBeNull();
  });

  it('says once, politely and without any name, that some servers do not answer', async () => {
    serveServers([film, { ...iso, stale: true }], [], { servers_down: 2 });
    renderPage('all');
    await screen.findByRole('rowheader', { name: 'Film été' });
    const banner = screen.getByTestId('live-banner');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.textContent).toBe(
      '2 serveurs qBittorrent ne répondent pas : leurs torrents affichent leur dernier état connu.',
    );
  });

  it('says it in the singular for one server, and not when qBittorrent is down altogether', async () => {
    serveServers([film], [], { servers_down: 1 });
    const first = renderPage('mine');
    await screen.findByRole('rowheader', { name: 'Film été' });
    expect(screen.getByTestId('live-banner').textContent).toBe(
      '1 serveur qBittorrent ne répond pas : ses torrents affichent leur dernier état connu.',
    );
    first.unmount();
    serveServers([film], [], { servers_down: 2, qbittorrent: 'down', stale: true });
    renderPage('mine');
    await screen.findByRole('rowheader', { name: 'Film été' });
    expect(screen.getByTestId('live-banner').textContent).toBe(
      'qBittorrent est injoignable. Les données affichées peuvent être anciennes.',
    );
  });

  it('names the server on phone cards, and marks a torrent whose server does not answer', async () => {
    vi.stubGlobal('matchMedia', (q: string) => ({
      matches: false,
      media: q,
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    serveServers([onSalon, onCave], [srv(1, 'Salon'), srv(2, 'Cave')]);
    renderPage('all', root);
    const cards = await screen.findByTestId('torrent-cards');
    const card = within(cards).getByRole('article', { name: 'debian.iso' });
    expect(card.textContent).toContain('Serveur Cave');
    expect(within(card).getByText(/↓/).getAttribute('title')).toBe(STALE);
    expect(card.querySelector('[data-server-stale]')).toBeTruthy();
    expect(within(cards).getByRole('article', { name: 'Film été' }).querySelector('[data-server-stale]')).toBeNull();
  });
});

describe('Selection, columns, shortcuts', () => {
  const names = ['Big.Buck.Bunny.2008.1080p.BluRay.x264-GROUP', 'Elephants.Dream.2006.720p', 'Sintel.2010.2160p', 'Tears.of.Steel.2012'];
  const four = names.map((name, i) =>
    makeTorrent({ hash: String(i + 1).repeat(40), name, state: 'downloading', owner, added_on: 1000 - i }),
  );
  const box = (name: string) => screen.getByRole('checkbox', { name: `Sélectionner « ${name} »` });

  afterEach(() => localStorage.clear());

  it('selects with a click and a Shift+click range, then pauses them in one request', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url.startsWith('/api/torrents?scope=')) return jsonResponse(200, listBody(four));
      if (url === '/api/torrents/pause') return new Response(null, { status: 204 });
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderPage();
    await screen.findByRole('rowheader', { name: names[0] });
    fireEvent.click(box(names[0]!));
    fireEvent.click(box(names[2]!), { shiftKey: true });
    const bar = screen.getByTestId('bulk-bar');
    expect(bar.textContent).toContain('3 torrents sélectionnés');
    expect((screen.getByRole('checkbox', { name: 'Tout sélectionner' }) as HTMLInputElement).indeterminate).toBe(true);
    fireEvent.click(within(bar).getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(fetch.mock.calls.some(([u]) => u === '/api/torrents/pause')).toBe(true));
    const [, init] = fetch.mock.calls.find(([u]) => u === '/api/torrents/pause')!;
    expect(init!.method).toBe('POST');
    expect(JSON.parse(String(init!.body))).toEqual({ hashes: four.slice(0, 3).map((x) => x.hash) });

    // "Tout sélectionner", then Escape clears it.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Tout sélectionner' }));
    expect(screen.getByTestId('bulk-bar').textContent).toContain('4 torrents sélectionnés');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByTestId('bulk-bar')).toBeNull();
  });

  it('deletes the selection through the dialog, files choice included', async () => {
    const fetch = mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url.startsWith('/api/torrents?scope=')) return jsonResponse(200, listBody(four));
      if (url === '/api/torrents/delete') return new Response(null, { status: 204 });
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderPage();
    await screen.findByRole('rowheader', { name: names[0] });
    fireEvent.click(box(names[1]!));
    fireEvent.click(box(names[3]!));
    fireEvent.click(within(screen.getByTestId('bulk-bar')).getByRole('button', { name: 'Supprimer' }));
    const dialog = screen.getByRole('dialog', { name: 'Supprimer 2 torrents ?' });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Supprimer aussi les fichiers sur le serveur' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Supprimer' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [, init] = fetch.mock.calls.find(([u]) => u === '/api/torrents/delete')!;
    expect(JSON.parse(String(init!.body))).toEqual({ hashes: [four[1]!.hash, four[3]!.hash], delete_files: false, confirm: false });
    expect(rowNames()).toEqual([names[0], names[2]]);
  });

  it('remembers the columns per account; the name cannot be hidden', async () => {
    serve(four);
    renderPage();
    await screen.findByRole('rowheader', { name: names[0] });
    expect(screen.getByRole('columnheader', { name: 'Ajouté le' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Colonnes' }));
    expect((screen.getByRole('checkbox', { name: /^Nom/ }) as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Ajouté le' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Ratio' }));
    fireEvent.click(screen.getByRole('button', { name: 'Monter « État »' }));
    expect(screen.queryByRole('columnheader', { name: 'Ajouté le' })).toBeNull();
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers.slice(1, 3)).toEqual(['Nom', 'État']);
    expect(headers).toContain('Ratio');
    const stored = JSON.parse(localStorage.getItem(`essaim.colonnes.${alice.id}`)!);
    expect(stored.hidden).toContain('added_on');
    expect(stored.order.at(-1)).toBe('ratio');
  });

  it('"/" goes to the filter, "?" opens the help; keys typed in a field are not shortcuts', async () => {
    serve(four);
    renderPage();
    await screen.findByRole('rowheader', { name: names[0] });
    fireEvent.keyDown(document.body, { key: '/' });
    const search = screen.getByLabelText('Rechercher par nom');
    await waitFor(() => expect(document.activeElement).toBe(search));
    fireEvent.keyDown(search, { key: '?' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(document.body, { key: '?' });
    const help = screen.getByRole('dialog', { name: 'Raccourcis clavier' });
    expect(help.textContent).toContain('Aller au champ « Rechercher par nom »');
    expect(help.textContent).toContain('Ajouter des torrents');
  });

  it('keeps the focus on the row after Pause (the button becomes Reprendre)', async () => {
    let paused = false;
    mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url.startsWith('/api/torrents?scope=')) return jsonResponse(200, listBody([{ ...four[0]!, state: paused ? 'paused' : 'downloading' }]));
      if (url.endsWith('/pause')) {
        paused = true;
        return new Response(null, { status: 204 });
      }
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderPage();
    const button = await screen.findByRole('button', { name: `Pause « ${names[0]} »` });
    button.focus();
    fireEvent.click(button);
    await screen.findByRole('button', { name: `Reprendre « ${names[0]} »` });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: `Reprendre « ${names[0]} »` }));
  });

  it('shows "—" rather than chatter for an idle torrent, and explains Sources / pairs', async () => {
    serve([makeTorrent({ name: 'Au repos', state: 'seeding', progress: 1, dlspeed: 0, upspeed: 3, owner })]);
    renderPage();
    const row = (await screen.findByRole('rowheader', { name: 'Au repos' })).closest('tr')!;
    expect(row.textContent).not.toContain('o/s');
    const header = screen.getByRole('columnheader', { name: /^Sources \/ pairs/ });
    expect(header.querySelector('[title]')!.getAttribute('title')).toMatch(/^Sources : pairs qui ont le fichier complet ; pairs : /);
  });
});

describe('Focus after a row delete', () => {
  it('goes to the next row once the deleted one is gone', async () => {
    const a = makeTorrent({ hash: 'a'.repeat(40), name: 'Premier', owner, added_on: 300 });
    const b = makeTorrent({ hash: 'b'.repeat(40), name: 'Second', owner, added_on: 200 });
    mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url.startsWith('/api/torrents?scope=')) return jsonResponse(200, listBody([a, b]));
      if (url.startsWith(`/api/torrents/${a.hash}?`)) return new Response(null, { status: 204 });
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderPage();
    await screen.findByRole('rowheader', { name: 'Premier' });
    fireEvent.click(within(openMenu('Premier')).getByRole('menuitem', { name: 'Supprimer' }));
    const dialog = screen.getByRole('dialog', { name: 'Supprimer « Premier » ?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Supprimer' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Second' })));
  });
});

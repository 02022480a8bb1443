import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { TorrentsPage } from './TorrentsPage';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { asAdminView, listBody, makeTorrent } from '../../test/torrents';
import type { Torrent, User } from '../../api/types';

afterEach(() => vi.unstubAllGlobals());

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

const rowNames = () =>
  within(screen.getByTestId('torrent-table'))
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getByRole('rowheader').textContent);

describe('Mes torrents', () => {
  it('shows one row per torrent with French values', async () => {
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
    expect(cells.getByRole('button', { name: 'Supprimer « Film été »' })).toBeTruthy();
    expect(cells.getByRole('link', { name: 'Détails de « Film été »' })).toBeTruthy();
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
    expect(within(row).getByRole('button', { name: 'Supprimer « Ancien »' })).toBeTruthy();
  });

  it('shows Reprendre for a paused torrent and no actions without can_act', async () => {
    serve([iso, { ...film, can_act: false }]);
    renderPage();
    const isoRow = (await screen.findByRole('rowheader', { name: 'debian.iso' })).closest('tr')!;
    expect(within(isoRow).getByRole('button', { name: 'Reprendre « debian.iso »' })).toBeTruthy();
    const filmRow = screen.getByRole('rowheader', { name: 'Film été' }).closest('tr')!;
    expect(within(filmRow).queryAllByRole('button')).toHaveLength(0);
    expect(within(filmRow).getByRole('link', { name: 'Détails de « Film été »' })).toBeTruthy();
  });

  it('hides what the group does not allow', async () => {
    serve([film]);
    renderPage('mine', { ...alice, permissions: ['delete_own'] });
    const row = (await screen.findByRole('rowheader', { name: 'Film été' })).closest('tr')!;
    expect(within(row).queryByRole('button', { name: /^Pause/ })).toBeNull();
    expect(within(row).getByRole('button', { name: 'Supprimer « Film été »' })).toBeTruthy();
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
    fireEvent.click(await screen.findByRole('button', { name: 'Supprimer « Film été »' }));
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
      'qBittorrent est injoignable : connexion refusée. Les données affichées peuvent être anciennes.',
    );
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

  it('uses cards with visible action labels on phones', async () => {
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
    expect(within(card).getByRole('button', { name: 'Pause « Film été »' }).textContent).toBe('Pause');
    expect(screen.queryByTestId('torrent-table')).toBeNull();
    expect(screen.getByLabelText('Trier par')).toBeTruthy();
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

    it("shows the exact failure under qBittorrent's generic one", async () => {
      serve([home], {
        qbittorrent: 'down',
        stale: true,
        error: 'Le serveur qBittorrent ne répond pas.',
        error_detail: 'connexion refusée par 127.0.0.1:8081',
      });
      renderPage('all', root);
      await screen.findByRole('rowheader', { name: 'Film été' });
      const banner = screen.getByTestId('live-banner');
      expect(banner.textContent).toBe(
        'qBittorrent est injoignable : Le serveur qBittorrent ne répond pas. Les données affichées peuvent être anciennes.' +
          'Détail : connexion refusée par 127.0.0.1:8081',
      );
      expect(within(banner).getByTestId('qbt-detail').textContent).toBe('Détail : connexion refusée par 127.0.0.1:8081');
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
    const filmRow = (await screen.findByRole('rowheader', { name: 'Film été' })).closest('tr')!;
    const isoRow = screen.getByRole('rowheader', { name: 'debian.iso' }).closest('tr')!;
    const owned = within(filmRow).getByRole('button', { name: 'Attribuer « Film été » à un utilisateur' });
    const unowned = within(isoRow).getByRole('button', { name: 'Attribuer « debian.iso » (sans propriétaire) à un utilisateur' });
    expect(owned.className).not.toContain('bg-amber-100');
    expect(unowned.className).toContain('bg-amber-100');
    expect(unowned.textContent).toBe('Sans propriétaire : attribuer…');
    expect(owned.textContent).toBe('Attribuer…');
  });

  it('assigns from a row, updates the owner column and confirms in French', async () => {
    const fetch = serveAssign();
    renderPage('all', admin);
    const isoRow = (await screen.findByRole('rowheader', { name: 'debian.iso' })).closest('tr')!;
    fireEvent.click(within(isoRow).getByRole('button', { name: /^Attribuer « debian\.iso »/ }));
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
    expect(screen.queryByRole('button', { name: /^Attribuer/ })).toBeNull();
    expect(fetch.mock.calls.some(([u]) => u === '/api/admin/users')).toBe(false);
  });

  it('is not a row action of Mes torrents', async () => {
    serveAssign();
    renderPage('mine', admin);
    await screen.findByRole('rowheader', { name: 'debian.iso' });
    expect(screen.queryByRole('button', { name: /^Attribuer/ })).toBeNull();
  });

  it('is a visible button on phone cards', async () => {
    vi.stubGlobal('matchMedia', (q: string) => ({
      matches: false,
      media: q,
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    serveAssign();
    renderPage('all', admin);
    const card = await screen.findByRole('article', { name: 'debian.iso' });
    expect(within(card).getByRole('button', { name: /^Attribuer « debian\.iso »/ }).textContent).toBe('Attribuer…');
  });
});

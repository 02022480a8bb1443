import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from './test/utils';
import { makeDetail, makeTorrent } from './test/torrents';

afterEach(() => vi.unstubAllGlobals());

const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('session handling in the app', () => {
  it('sends a visitor to /connexion and back to the wanted page after login', async () => {
    let loggedIn = false;
    mockFetch((url, init) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'unconfigured' });
      if (url === '/api/me') return loggedIn ? jsonResponse(200, alice) : errorResponse(401, 'unauthenticated', 'Non connecté.');
      if (url === '/api/auth/login' && init.method === 'POST') {
        loggedIn = true;
        return jsonResponse(200, alice);
      }
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderWithProviders(<App />, { route: '/compte' });

    expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeTruthy();
    expect(screen.queryByText('Votre session a expiré. Reconnectez-vous.')).toBeNull();
    fill("Nom d'utilisateur", 'alice');
    fill('Mot de passe', 'un-mot-de-passe');
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    expect(await screen.findByRole('heading', { name: 'Mon compte' })).toBeTruthy();
  });

  /** Alice on Mon compte; `logout` is the server's answer to POST /api/auth/logout. */
  async function signedInUntilLogout(logout: () => Response) {
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, assign });
    let loggedOut = false;
    mockFetch((url, init) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok' });
      if (url === '/api/me') return loggedOut ? errorResponse(401, 'unauthenticated', 'Non connecté.') : jsonResponse(200, alice);
      if (url === '/api/me/deliveries') return jsonResponse(200, { deliveries: [] });
      if (url === '/api/me/tokens') return jsonResponse(200, { tokens: [] });
      if (url === '/api/auth/logout' && init.method === 'POST') {
        loggedOut = true;
        return logout();
      }
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderWithProviders(<App />, { route: '/compte' });
    await screen.findByRole('heading', { name: 'Mon compte' });
    fireEvent.click(screen.getAllByRole('button', { name: 'Se déconnecter' })[0]!);
    return assign;
  }

  it("goes on to the provider's logout page when the session came from single sign-on", async () => {
    const provider = 'https://idp.example.org/session/end?client_id=essaim&id_token_hint=eyJ';
    const assign = await signedInUntilLogout(() => jsonResponse(200, { end_session_url: provider }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith(provider));
    expect(assign).toHaveBeenCalledTimes(1);
  });

  it('stays in essaim after a logout that names no provider page', async () => {
    const assign = await signedInUntilLogout(() => new Response(null, { status: 204 }));
    expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeTruthy();
    expect(assign).not.toHaveBeenCalled();
  });

  it('returns to /connexion with a notice when a call answers 401 unauthenticated', async () => {
    mockFetch((url, init) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok' });
      if (url === '/api/me' && init.method === 'GET') return jsonResponse(200, alice);
      if (url === '/api/me/deliveries') return jsonResponse(200, { deliveries: [] });
      // Mon compte's other reads answer too: the 401 is the profile's save.
      if (url === '/api/me/tokens' && init.method === 'GET') return jsonResponse(200, { tokens: [] });
      return errorResponse(401, 'unauthenticated', 'Session expirée.');
    });
    renderWithProviders(<App />, { route: '/compte' });

    fireEvent.change(await screen.findByLabelText('Nom affiché'), { target: { value: 'Alice B.' } });
    fireEvent.click(within(screen.getByRole('region', { name: 'Profil' })).getByRole('button', { name: 'Enregistrer' }));
    expect(await screen.findByText('Votre session a expiré. Reconnectez-vous.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Connexion' })).toBeTruthy();
  });
});

describe('pages', () => {
  it('says registration is closed when the instance says so', async () => {
    mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, { ...instance, registration_open: false });
      return errorResponse(401, 'unauthenticated', 'Non connecté.');
    });
    renderWithProviders(<App />, { route: '/inscription' });
    expect(await screen.findByText('Inscriptions fermées')).toBeTruthy();
    expect(screen.queryByLabelText('Mot de passe')).toBeNull();
  });

  it('shows Page introuvable for an unknown address', async () => {
    mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      return errorResponse(401, 'unauthenticated', 'Non connecté.');
    });
    renderWithProviders(<App />, { route: '/nulle-part' });
    expect(await screen.findByRole('heading', { name: 'Page introuvable' })).toBeTruthy();
    expect(document.title).toBe('Page introuvable · essaim');
  });

  it('shows a French page, not a blank one, when the server cannot be reached', async () => {
    mockFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    renderWithProviders(<App />, { route: '/' });
    expect(await screen.findByRole('heading', { name: 'Impossible de joindre le serveur' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/^Le serveur est injoignable/);
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeTruthy();
  });
});

describe('torrents in the shell', () => {
  function serveApp(me: typeof alice, torrents: unknown[] = []) {
    return mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok', database: 'ok' });
      if (url === '/api/me') return jsonResponse(200, me);
      if (url.startsWith('/api/torrents?scope=')) {
        return jsonResponse(200, { torrents, qbittorrent: 'ok', stale: false, error: null });
      }
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
  }

  it('offers Mes torrents, and Tous les torrents only with see_all', async () => {
    serveApp({ ...alice, permissions: ['add_torrents'] });
    const first = renderWithProviders(<App />, { route: '/' });
    const nav = await screen.findByRole('navigation', { name: 'Navigation principale' });
    expect(nav.textContent).toContain('Mes torrents');
    expect(nav.textContent).not.toContain('Tous les torrents');
    first.unmount();

    serveApp({ ...alice, permissions: ['see_all'] });
    renderWithProviders(<App />, { route: '/' });
    const nav2 = await screen.findByRole('navigation', { name: 'Navigation principale' });
    expect(nav2.textContent).toContain('Tous les torrents');
  });

  it('offers Recherche only with the search permission (or to an admin)', async () => {
    serveApp({ ...alice, permissions: ['add_torrents', 'see_all'] });
    const first = renderWithProviders(<App />, { route: '/' });
    const nav = await screen.findByRole('navigation', { name: 'Navigation principale' });
    expect(nav.textContent).toContain('Mes torrents');
    expect(nav.textContent).not.toContain('Recherche');
    first.unmount();

    serveApp({ ...alice, permissions: ['search'] });
    const second = renderWithProviders(<App />, { route: '/' });
    const nav2 = await screen.findByRole('navigation', { name: 'Navigation principale' });
    expect(within(nav2).getByRole('link', { name: 'Recherche' }).getAttribute('href')).toBe('/recherche');
    second.unmount();

    serveApp({ ...alice, role: 'admin', permissions: [] });
    renderWithProviders(<App />, { route: '/recherche' });
    const nav3 = await screen.findByRole('navigation', { name: 'Navigation principale' });
    expect(within(nav3).getByRole('link', { name: 'Recherche' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Recherche', level: 1 })).toBeTruthy();
  });

  it('counts my torrents by state on the dashboard', async () => {
    const t = (hash: string, state: string) => ({
      ...makeTorrent({ hash, owner: { id: alice.id, username: 'alice', display_name: 'Alice' } }),
      state,
    });
    serveApp(alice, [t('a', 'downloading'), t('b', 'downloading'), t('c', 'seeding')]);
    renderWithProviders(<App />, { route: '/' });
    const card = await screen.findByTestId('torrents-summary');
    await waitFor(() => expect(card.textContent).toContain('3 torrents'));
    const byState = screen.getByRole('list', { name: 'Torrents par état' });
    expect(byState.textContent).toBe('Téléchargement2Partage1');
    expect(screen.getByRole('link', { name: 'Voir mes torrents' }).getAttribute('href')).toBe('/torrents');
  });

  it("highlights the list a torrent's page goes back to: Tous les torrents for someone else's", async () => {
    const camille = { id: 90, username: 'camille', display_name: 'Camille' };
    const mine = { id: alice.id, username: 'alice', display_name: 'Alice' };
    const details: Record<string, unknown> = {
      ['a'.repeat(40)]: makeDetail({ hash: 'a'.repeat(40), name: 'Le mien', owner: mine }),
      ['b'.repeat(40)]: makeDetail({ hash: 'b'.repeat(40), name: 'Celui de Camille', owner: camille }),
    };
    mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === '/api/me') return jsonResponse(200, { ...alice, permissions: ['see_all'] });
      const detail = /^\/api\/torrents\/([0-9a-f]{40})$/.exec(url);
      if (detail && details[detail[1]!]) return jsonResponse(200, details[detail[1]!]);
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    const current = (nav: HTMLElement) =>
      within(nav)
        .getAllByRole('link')
        .filter((a) => a.hasAttribute('aria-current'))
        .map((a) => [a.textContent, a.getAttribute('aria-current')]);

    const first = renderWithProviders(<App />, { route: `/torrents/${'b'.repeat(40)}` });
    expect(await screen.findByRole('heading', { name: 'Celui de Camille', level: 1 })).toBeTruthy();
    // The back link, in the page.
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Tous les torrents' }).getAttribute('href')).toBe('/tous');
    const nav = screen.getByRole('navigation', { name: 'Navigation principale' });
    expect(current(nav)).toEqual([['Tous les torrents', 'true']]);
    first.unmount();

    renderWithProviders(<App />, { route: `/torrents/${'a'.repeat(40)}` });
    expect(await screen.findByRole('heading', { name: 'Le mien', level: 1 })).toBeTruthy();
    expect(current(screen.getByRole('navigation', { name: 'Navigation principale' }))).toEqual([['Mes torrents', 'true']]);
  });

  it('marks the current page of the main navigation, and keeps every name visible (no icon-only entry)', async () => {
    serveApp({ ...alice, role: 'admin', permissions: [] });
    renderWithProviders(<App />, { route: '/torrents' });
    const nav = await screen.findByRole('navigation', { name: 'Navigation principale' });
    expect(within(nav).getByRole('link', { name: 'Mes torrents' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Tableau de bord' }).getAttribute('aria-current')).toBeNull();
    // Names are text of the links, never hidden for screen readers only.
    for (const link of within(nav).getAllByRole('link')) expect(link.querySelector('.sr-only')).toBeNull();
    const logout = screen.getAllByRole('button', { name: 'Se déconnecter' })[0]!;
    expect(logout.textContent).toBe('Se déconnecter');
    expect(logout.querySelector('.sr-only')).toBeNull();
  });

  it('opens a torrent page at /torrents/:hash', async () => {
    serveApp(alice);
    renderWithProviders(<App />, { route: '/torrents/inconnu' });
    expect(await screen.findByRole('heading', { name: 'Torrent introuvable' })).toBeTruthy();
  });
});

describe('ErrorBoundary', () => {
  it('replaces a crashed tree by a French page', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    function Boom(): never {
      throw new Error('boom');
    }
    renderWithProviders(
      <ErrorBoundary>
        <Boom />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('heading', { name: 'Une erreur est survenue' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Recharger la page' })).toBeTruthy();
  });
});

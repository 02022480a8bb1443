import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { listBody, makeTorrent } from '../../test/torrents';
import type { User } from '../../api/types';
import { resetLiveSpeed } from '../charts/liveSpeed';
import { DashboardPage } from './DashboardPage';
import type { Dashboard } from './queries';

// jsdom has no canvas.
vi.mock('uplot', () => ({
  default: class {
    width = 600;
    setData() {}
    setSize() {}
    destroy() {}
  },
}));

afterEach(() => {
  vi.unstubAllGlobals();
  resetLiveSpeed();
});

const KO = 1024;
const MO = 1024 ** 2;
const TO = 1024 ** 4;
const mine = { id: alice.id, username: 'alice', display_name: 'Alice' };

const downloading = makeTorrent({
  hash: 'a'.repeat(40),
  name: 'Le Voyage dans la Lune',
  owner: mine,
  progress: 0.425,
  dlspeed: 850 * KO,
  upspeed: 12 * KO,
  eta: 300,
});

const body: Dashboard = {
  qbittorrent: 'down',
  qbittorrent_error: 'Connexion refusée',
  speed: { dl: 1.5 * MO, up: 200 * KO },
  free_space: 1.2 * TO,
  active: [downloading],
  recent_completions: [
    {
      id: 7,
      kind: 'completed',
      torrent_hash: 'b'.repeat(40),
      torrent_name: 'ubuntu-24.04.iso',
      message: 'Téléchargement terminé : ubuntu-24.04.iso',
      created_at: 1_795_681_907,
      read_at: null,
    },
  ],
  unread: 1,
  usage: { torrents: 2, active: 1, disk_used: 3 * MO },
  limits: null,
  totals: [
    { id: 1, username: 'admin', display_name: 'Admin', torrents: 0, active: 0, disk_used: 0 },
    { id: 2, username: 'alice', display_name: 'Alice', torrents: 2, active: 1, disk_used: 1.5 * 1024 ** 3 },
  ],
};

function serve(dashboard: Partial<Dashboard> = {}, torrents = [downloading]) {
  return mockFetch((url) => {
    if (url === '/api/instance') return jsonResponse(200, { site_name: 'essaim', registration_open: true, version: '0.1.0' });
    if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok', database: 'ok', version: '0.1.0' });
    if (url === '/api/dashboard') return jsonResponse(200, { ...body, ...dashboard });
    if (url === '/api/torrents?scope=mine') return jsonResponse(200, listBody(torrents));
    if (url === '/api/stats/speed?range=10m') return jsonResponse(200, { range: '10m', step: 1, samples: [[1, 2, 3]] });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

const region = (name: string) => screen.getByRole('region', { name });
const urls = (fetch: ReturnType<typeof serve>) => fetch.mock.calls.map((c) => String(c[0]));

describe('DashboardPage', () => {
  it('shows every card from GET /api/dashboard', async () => {
    const fetch = serve();
    renderWithProviders(<DashboardPage />, { me: alice });

    expect(screen.getByRole('heading', { name: 'Bonjour, Alice !', level: 1 })).toBeTruthy();
    const speed = region('Vitesse globale');
    await waitFor(() => expect(within(speed).getByTestId('global-speed').textContent).toBe('Réception1,5 Mo/sEnvoi200 Ko/s'));
    expect(await within(speed).findByTestId('speed-chart')).toBeTruthy();
    expect(within(speed).getByRole('button', { name: '10 min' }).getAttribute('aria-pressed')).toBe('true');

    expect(within(region('Espace libre sur le serveur')).getByText('1,2 To')).toBeTruthy();

    const qbt = within(region('État de qBittorrent')).getByTestId('server-status');
    await waitFor(() => expect(qbt.textContent).toContain('qBittorrent : injoignable'));
    expect(qbt.textContent).toContain('Erreur : Connexion refusée');
    await waitFor(() => expect(qbt.textContent).toContain('Base de données : opérationnelle'));

    const active = region('Mes téléchargements en cours');
    const link = within(active).getByRole('link', { name: 'Le Voyage dans la Lune' });
    expect(link.getAttribute('href')).toBe(`/torrents/${'a'.repeat(40)}`);
    expect(
      within(active).getByRole('progressbar', { name: 'Progression de « Le Voyage dans la Lune »' }).getAttribute('aria-valuenow'),
    ).toBe('42.5');
    expect(within(active).getByText('↓ 850 Ko/s · ↑ 12 Ko/s')).toBeTruthy();
    expect(within(active).getByText('Temps restant : 5 min')).toBeTruthy();

    const recent = region('Terminés récemment');
    expect(within(recent).getByRole('link', { name: 'ubuntu-24.04.iso' }).getAttribute('href')).toBe(`/torrents/${'b'.repeat(40)}`);
    expect(within(recent).getByText(/^Terminé le \d{1,2} nov\. 2026 à \d{2}:\d{2}$/)).toBeTruthy();

    // The cards that were already there stay.
    expect(region('Mes torrents')).toBeTruthy();
    expect(region('Votre compte')).toBeTruthy();

    // Totals are for administrators only, even if the answer had them.
    expect(screen.queryByRole('region', { name: 'Par utilisateur' })).toBeNull();
    expect(urls(fetch)).toContain('/api/stats/speed?range=10m');
  });

  it("shows an administrator qBittorrent's exact failure under the generic one", async () => {
    serve({ qbittorrent_error: 'Le serveur qBittorrent ne répond pas.', qbittorrent_detail: 'connexion refusée par 127.0.0.1:8081' });
    renderWithProviders(<DashboardPage />, { me: { ...alice, role: 'admin', permissions: [] } });
    const detail = await screen.findByTestId('qbt-detail');
    expect(detail.textContent).toBe('Détail : connexion refusée par 127.0.0.1:8081');
    expect(screen.getByTestId('server-status').textContent).toContain('Erreur : Le serveur qBittorrent ne répond pas.');
  });

  it('shows no detail when the server sends none (ordinary users)', async () => {
    serve({ qbittorrent_error: 'Le serveur qBittorrent ne répond pas.' });
    renderWithProviders(<DashboardPage />, { me: alice });
    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toContain('Erreur : Le serveur qBittorrent ne répond pas.'));
    expect(screen.queryByTestId('qbt-detail')).toBeNull();
  });

  it('has the "Par utilisateur" table for an administrator', async () => {
    serve();
    renderWithProviders(<DashboardPage />, { me: { ...alice, role: 'admin', permissions: [] } });
    const table = await screen.findByRole('table', { name: 'Torrents, torrents actifs et espace utilisé par chaque utilisateur' });
    expect(within(region('Par utilisateur')).getByRole('table')).toBe(table);
    const rows = within(table).getAllByRole('row').map((r) => Array.from(r.children).map((c) => c.textContent));
    expect(rows).toEqual([
      ['Utilisateur', 'Torrents', 'Actifs', 'Espace utilisé'],
      ['Admin (admin)', '0', '0', '0 o'],
      ['Alice (alice)', '2', '1', '1,5 Go'],
    ]);
  });

  it('has empty states, and no chart request without see_charts', async () => {
    const fetch = serve(
      { qbittorrent: 'unconfigured', qbittorrent_error: '', free_space: null, active: [], recent_completions: [] },
      [],
    );
    const noCharts: User = { ...alice, permissions: alice.permissions.filter((p) => p !== 'see_charts') };
    renderWithProviders(<DashboardPage />, { me: noCharts });

    expect(await within(region('Mes téléchargements en cours')).findByText('Aucun téléchargement en cours.')).toBeTruthy();
    expect(within(region('Terminés récemment')).getByText('Aucun téléchargement terminé récemment.')).toBeTruthy();
    expect(within(region('Espace libre sur le serveur')).getByText("Inconnu pour l'instant.")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toContain('qBittorrent : non configuré'));
    expect(screen.getByTestId('server-status').textContent).not.toContain('Erreur');

    const speed = region('Vitesse globale');
    expect(within(speed).getByText('Les graphiques de vitesse ne sont pas disponibles pour votre compte.')).toBeTruthy();
    expect(within(speed).getByTestId('global-speed').textContent).toBe('Réception1,5 Mo/sEnvoi200 Ko/s');
    expect(within(speed).queryByTestId('speed-chart')).toBeNull();
    expect(urls(fetch).some((u) => u.startsWith('/api/stats/'))).toBe(false);
  });

  it('shows live progress from "Mes torrents"', async () => {
    const fresh = { ...downloading, progress: 0.9, dlspeed: 2 * MO };
    const fetch = serve({}, [fresh]);
    renderWithProviders(<DashboardPage />, { me: alice });
    const active = region('Mes téléchargements en cours');
    await waitFor(() => expect(within(active).getByText('↓ 2 Mo/s · ↑ 12 Ko/s')).toBeTruthy());
    expect(within(active).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('90');
    expect(urls(fetch).filter((u) => u === '/api/dashboard')).toHaveLength(1);
  });

  it('drops a download that finished meanwhile and asks the dashboard again', async () => {
    const done = { ...downloading, state: 'seeding' as const, progress: 1 };
    const fetch = serve({}, [done]);
    renderWithProviders(<DashboardPage />, { me: alice });
    const active = region('Mes téléchargements en cours');
    expect(await within(active).findByText('Aucun téléchargement en cours.')).toBeTruthy();
    await waitFor(() => expect(urls(fetch).filter((u) => u === '/api/dashboard')).toHaveLength(2));
  });

  describe('several qBittorrent servers', () => {
    const admin: User = { ...alice, role: 'admin', permissions: [] };
    const srv = (id: number, name: string, extra: object = {}) => ({
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
      torrents: 0,
      free_space: -1,
      dlspeed: 0,
      upspeed: 0,
      version: null,
      ...extra,
    });
    const two = [
      srv(1, 'Salon', { torrents: 12, dlspeed: 1.5 * MO, upspeed: 200 * KO }),
      srv(2, 'Cave', { torrents: 1, link: 'down', state: 'draining', error: 'Le serveur qBittorrent ne répond pas.' }),
    ];

    function serveServers(servers: unknown[]) {
      return mockFetch((url) => {
        if (url === '/api/dashboard') return jsonResponse(200, body);
        if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok' });
        if (url === '/api/torrents?scope=mine') return jsonResponse(200, listBody([]));
        if (url === '/api/admin/servers') return jsonResponse(200, { servers });
        const speed = /^\/api\/stats\/speed\?range=10m(&server=\d+)?$/.exec(url);
        if (speed) return jsonResponse(200, { range: '10m', step: 1, samples: speed[1] ? [[1, 2, 3], [2, 3, 4]] : [[1, 2, 3]] });
        return errorResponse(404, 'not_found', 'Introuvable.');
      });
    }

    it('lists each server with its link, torrents and speeds for an administrator', async () => {
      serveServers(two);
      renderWithProviders(<DashboardPage />, { me: admin });
      const card = await screen.findByRole('region', { name: 'Serveurs' });
      const items = within(within(card).getByRole('list', { name: 'Serveurs qBittorrent' })).getAllByRole('listitem');
      expect(items.map((li) => li.textContent)).toEqual([
        'SalonConnecté12 torrentsRéception ↓\u00a01,5 Mo/sEnvoi ↑\u00a0200 Ko/s',
        'CaveInjoignable· En vidange1 torrentRéception ↓\u00a00 o/sEnvoi ↑\u00a00 o/s',
      ]);
      expect(within(card).getByRole('link', { name: 'Gérer les serveurs' }).getAttribute('href')).toBe(
        '/admin/reglages#reglages-serveurs',
      );
    });

    it("lets an administrator chart one server's speeds", async () => {
      const fetch = serveServers(two);
      renderWithProviders(<DashboardPage />, { me: admin });
      const select = (await screen.findByLabelText('Serveur')) as HTMLSelectElement;
      expect([...select.options].map((o) => o.textContent)).toEqual(['Tous les serveurs', 'Salon', 'Cave']);
      expect(select.value).toBe('');
      fireEvent.change(select, { target: { value: '2' } });
      await waitFor(() => expect(urls(fetch)).toContain('/api/stats/speed?range=10m&server=2'));
      await waitFor(() => expect(screen.getByTestId('speed-chart').getAttribute('data-points')).toBe('2'));
      fireEvent.change(select, { target: { value: '' } });
      await waitFor(() => expect(screen.getByTestId('speed-chart').getAttribute('data-points')).toBe('1'));
    });

    it('shows neither the card nor the choice with a single server', async () => {
      serveServers([two[0]]);
      renderWithProviders(<DashboardPage />, { me: admin });
      await screen.findByTestId('speed-chart');
      await waitFor(() => expect(screen.getByTestId('server-status').textContent).toContain('qBittorrent'));
      expect(screen.queryByRole('region', { name: 'Serveurs' })).toBeNull();
      expect(screen.queryByLabelText('Serveur')).toBeNull();
    });

    it('never asks for them for an ordinary user', async () => {
      const fetch = serveServers(two);
      renderWithProviders(<DashboardPage />, { me: alice });
      await screen.findByTestId('speed-chart');
      expect(urls(fetch).some((u) => u.startsWith('/api/admin/'))).toBe(false);
      expect(screen.queryByRole('region', { name: 'Serveurs' })).toBeNull();
    });
  });

  it('says so when the dashboard cannot be loaded, and keeps the other cards', async () => {
    mockFetch((url) => {
      if (url === '/api/dashboard') return errorResponse(500, 'internal', 'Erreur interne du serveur.');
      if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok' });
      if (url === '/api/torrents?scope=mine') return jsonResponse(200, listBody([]));
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderWithProviders(<DashboardPage />, { me: { ...alice, permissions: [] } });
    expect(await within(region('Espace libre sur le serveur')).findByText('Erreur interne du serveur.')).toBeTruthy();
    // qBittorrent's state still comes from /api/health.
    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toContain('qBittorrent : connecté'));
    expect(region('Mes torrents')).toBeTruthy();
  });
});

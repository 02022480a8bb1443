import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { GroupsPage } from './GroupsPage';
import { PERMISSIONS, type Group } from './api';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../../test/utils';
import type { User } from '../../../api/types';

afterEach(() => vi.unstubAllGlobals());

const GIB = 1024 ** 3;
const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };

const groups: Group[] = [
  { id: 1, name: 'Administrateurs', permissions: [...PERMISSIONS], limits: {}, members: 1 },
  {
    id: 2,
    name: 'Utilisateurs',
    permissions: ['add_torrents', 'search'],
    limits: { max_torrents: 50, quota_bytes: 50 * GIB, seeding_time_limit: 100 },
    members: 4,
  },
];

type Handler = (url: string, init: RequestInit) => Response | undefined;

function serve(extra?: Handler) {
  return mockFetch((url, init) => {
    const answer = extra?.(url, init);
    if (answer) return answer;
    if ((init.method ?? 'GET') === 'GET' && url === '/api/admin/groups') {
      return jsonResponse(200, { groups, permissions: [...PERMISSIONS] });
    }
    if (url === '/api/me') return jsonResponse(200, admin);
    if (url.startsWith('/api/admin/users')) return jsonResponse(200, { users: [] });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

const row = (name: string) => screen.getByRole('rowheader', { name }).closest('tr')!;
const bodyOf = (init: RequestInit | undefined) => JSON.parse(String(init!.body)) as unknown;
const calls = (fetch: ReturnType<typeof serve>, method: string, url: string) =>
  fetch.mock.calls.filter(([u, init]) => (init?.method ?? 'GET') === method && u === url);

function renderPage(me: User = admin) {
  return renderWithProviders(<GroupsPage />, { me, route: '/admin/groupes' });
}

describe('GroupsPage', () => {
  it('is reserved to administrators', () => {
    const fetch = serve();
    renderPage(alice);
    expect(screen.getByText('Réservé aux administrateurs.')).toBeTruthy();
    expect(fetch.mock.calls.filter(([u]) => String(u).startsWith('/api/admin'))).toEqual([]);
  });

  it('lists the groups with members, permission count and a summary of the limits', async () => {
    serve();
    renderPage();
    await screen.findByTestId('group-table');
    const admins = within(row('Administrateurs'));
    expect(admins.getByText('13 sur 13')).toBeTruthy();
    expect(admins.getByText('Aucune limite')).toBeTruthy();
    const usersRow = within(row('Utilisateurs'));
    expect(usersRow.getByText('4')).toBeTruthy();
    expect(usersRow.getByText('2 sur 13')).toBeTruthy();
    expect(usersRow.getByText('50 torrents au plus · quota de 50 Go · partage 1 h 40 min')).toBeTruthy();
  });

  it('creates a group: French permission labels, limits converted to bytes and minutes, empty = null', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = serve((url, init) =>
      url === '/api/admin/groups' && init.method === 'POST'
        ? jsonResponse(201, { id: 3, ...(bodyOf(init) as object), members: 0 })
        : undefined,
    );
    renderPage();
    await screen.findByTestId('group-table');
    fireEvent.click(screen.getByRole('button', { name: 'Créer un groupe' }));
    const d = within(screen.getByRole('dialog', { name: 'Créer un groupe' }));

    // The 13 permissions, labelled in French, none ticked.
    const labels = [
      'Ajouter des torrents',
      'Ajouter par fichier .torrent',
      'Ajouter par lien magnet',
      'Rechercher',
      'Mettre en pause / reprendre ses torrents',
      'Supprimer ses torrents',
      'Supprimer ses torrents avec leurs données',
      'Voir tous les torrents',
      'Agir sur tous les torrents',
      'Télécharger les fichiers de ses torrents',
      'Télécharger les fichiers de tous les torrents',
      'Voir les graphiques de vitesse',
      "Utiliser des jetons d'application (Sonarr, Radarr, scripts…)",
    ];
    for (const l of labels) expect((d.getByLabelText(l) as HTMLInputElement).checked).toBe(false);

    // Nothing sent while something is wrong.
    fireEvent.change(d.getByLabelText('Quota disque total (Go)'), { target: { value: 'beaucoup' } });
    fireEvent.click(d.getByRole('button', { name: 'Créer le groupe' }));
    expect(d.getByText('Saisissez le nom du groupe.')).toBeTruthy();
    expect(d.getByText('Saisissez un nombre, ou laissez vide.')).toBeTruthy();
    expect(document.activeElement).toBe(d.getByLabelText('Nom du groupe'));
    expect(calls(fetch, 'POST', '/api/admin/groups')).toHaveLength(0);

    fireEvent.change(d.getByLabelText('Nom du groupe'), { target: { value: ' Famille ' } });
    fireEvent.click(d.getByLabelText('Télécharger les fichiers de ses torrents'));
    fireEvent.click(d.getByLabelText('Ajouter des torrents'));
    fireEvent.click(d.getByLabelText('Ajouter par lien magnet'));
    fireEvent.change(d.getByLabelText('Nombre maximal de torrents'), { target: { value: '2' } });
    fireEvent.change(d.getByLabelText('Nombre maximal de torrents actifs'), { target: { value: '1' } });
    fireEvent.click(d.getByLabelText('refusé'));
    fireEvent.change(d.getByLabelText('Taille maximale par torrent (Go)'), { target: { value: '1,5' } });
    fireEvent.change(d.getByLabelText('Quota disque total (Go)'), { target: { value: '50' } });
    fireEvent.change(d.getByLabelText('Vitesse maximale de réception par torrent (Ko/s)'), { target: { value: '512' } });
    fireEvent.change(d.getByLabelText('Ratio de partage maximal'), { target: { value: '2,5' } });
    fireEvent.change(d.getByLabelText('Durée de partage maximale'), { target: { value: '90' } });
    fireEvent.change(d.getByLabelText('Unité de la durée de partage'), { target: { value: 'min' } });
    fireEvent.click(d.getByRole('button', { name: 'Créer le groupe' }));

    expect(await screen.findByText('Le groupe « Famille » a été créé.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    const [, init] = calls(fetch, 'POST', '/api/admin/groups')[0]!;
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    expect(bodyOf(init)).toEqual({
      name: 'Famille',
      // In the server's order, whatever the order of the clicks.
      permissions: ['add_torrents', 'add_magnets', 'download_own'],
      limits: {
        max_torrents: 2,
        max_active: 1,
        active_policy: 'refuse',
        max_torrent_size: 1610612736,
        quota_bytes: 53687091200,
        download_limit: 524288,
        upload_limit: null,
        ratio_limit: 2.5,
        seeding_time_limit: 90,
      },
    });
  });

  it('edits a group from its current values and may remove a limit', async () => {
    const fetch = serve((url, init) =>
      url === '/api/admin/groups/2' && init.method === 'PATCH'
        ? jsonResponse(200, { ...groups[1], ...(bodyOf(init) as object) })
        : undefined,
    );
    renderPage();
    await screen.findByTestId('group-table');
    fireEvent.click(within(row('Utilisateurs')).getByRole('button', { name: 'Modifier le groupe « Utilisateurs »' }));
    const d = within(screen.getByRole('dialog', { name: 'Modifier le groupe « Utilisateurs »' }));
    expect((d.getByLabelText('Nom du groupe') as HTMLInputElement).value).toBe('Utilisateurs');
    expect((d.getByLabelText('Rechercher') as HTMLInputElement).checked).toBe(true);
    expect((d.getByLabelText('Ajouter des torrents') as HTMLInputElement).checked).toBe(true);
    expect((d.getByLabelText('Nombre maximal de torrents') as HTMLInputElement).value).toBe('50');
    expect((d.getByLabelText('Quota disque total (Go)') as HTMLInputElement).value).toBe('50');
    expect((d.getByLabelText('Durée de partage maximale') as HTMLInputElement).value).toBe('100');
    expect((d.getByLabelText('Unité de la durée de partage') as HTMLSelectElement).value).toBe('min');
    expect((d.getByLabelText('mis en file d\'attente') as HTMLInputElement).checked).toBe(true);

    fireEvent.click(d.getByLabelText('Rechercher'));
    fireEvent.change(d.getByLabelText('Nombre maximal de torrents'), { target: { value: '' } });
    fireEvent.click(d.getByRole('button', { name: 'Enregistrer' }));
    expect(await screen.findByText('Le groupe « Utilisateurs » a été enregistré.')).toBeTruthy();
    expect(bodyOf(calls(fetch, 'PATCH', '/api/admin/groups/2')[0]![1])).toEqual({
      name: 'Utilisateurs',
      permissions: ['add_torrents'],
      limits: {
        max_torrents: null,
        max_active: null,
        active_policy: 'queue',
        max_torrent_size: null,
        quota_bytes: 53687091200,
        download_limit: null,
        upload_limit: null,
        ratio_limit: null,
        seeding_time_limit: 100,
      },
    });
  });

  describe('qBittorrent servers', () => {
    const srv = (id: number, name: string, state = 'active') => ({
      id,
      name,
      url: `http://10.0.0.${id}:8080`,
      username: 'admin',
      password_set: true,
      download_root: '',
      download_base_url: '',
      state,
      link: 'ok',
      error: null,
      detail: null,
      torrents: 0,
      free_space: -1,
      dlspeed: 0,
      upspeed: 0,
      version: null,
    });
    const servers = [srv(1, 'Salon'), srv(2, 'Cave', 'draining'), srv(3, 'Grenier')];
    const withServers = (extra?: Handler) =>
      serve((url, init) => extra?.(url, init) ?? (url === '/api/admin/servers' ? jsonResponse(200, { servers }) : undefined));

    it('offers one box per server, none ticked meaning every server, and sends the ids ticked', async () => {
      const fetch = withServers((url, init) =>
        url === '/api/admin/groups' && init.method === 'POST'
          ? jsonResponse(201, { id: 3, ...(bodyOf(init) as object), members: 0 })
          : undefined,
      );
      renderPage();
      await screen.findByTestId('group-table');
      fireEvent.click(screen.getByRole('button', { name: 'Créer un groupe' }));
      const d = within(screen.getByRole('dialog', { name: 'Créer un groupe' }));
      const fieldset = (await d.findByRole('group', { name: 'Serveurs' })) as HTMLFieldSetElement;
      expect(fieldset.getAttribute('aria-describedby')).toBeTruthy();
      expect(document.getElementById(fieldset.getAttribute('aria-describedby')!)!.textContent).toContain(
        'Aucun coché = tous les serveurs',
      );
      const boxes = within(fieldset).getAllByRole('checkbox') as HTMLInputElement[];
      expect(boxes.map((b) => b.checked)).toEqual([false, false, false]);
      expect(within(fieldset).getByText('En vidange')).toBeTruthy();

      fireEvent.change(d.getByLabelText('Nom du groupe'), { target: { value: 'Famille' } });
      fireEvent.click(within(fieldset).getByLabelText('Grenier'));
      fireEvent.click(within(fieldset).getByLabelText('Salon'));
      fireEvent.click(d.getByRole('button', { name: 'Créer le groupe' }));
      expect(await screen.findByText('Le groupe « Famille » a été créé.')).toBeTruthy();
      expect(bodyOf(calls(fetch, 'POST', '/api/admin/groups')[0]![1])).toMatchObject({ name: 'Famille', servers: [1, 3] });
    });

    it("shows a group's servers when editing it, and sends [] for every server", async () => {
      const mine = { ...groups[1]!, servers: [2] };
      const fetch = serve((url, init) => {
        if (url === '/api/admin/servers') return jsonResponse(200, { servers });
        if ((init.method ?? 'GET') === 'GET' && url === '/api/admin/groups') {
          return jsonResponse(200, { groups: [groups[0], mine], permissions: [...PERMISSIONS] });
        }
        if (url === '/api/admin/groups/2' && init.method === 'PATCH') return jsonResponse(200, { ...mine, ...(bodyOf(init) as object) });
        return undefined;
      });
      renderPage();
      await screen.findByTestId('group-table');
      fireEvent.click(within(row('Utilisateurs')).getByRole('button', { name: 'Modifier le groupe « Utilisateurs »' }));
      const d = within(screen.getByRole('dialog'));
      const cave = (await d.findByLabelText('Cave')) as HTMLInputElement;
      expect(cave.checked).toBe(true);
      fireEvent.click(cave);
      fireEvent.click(d.getByRole('button', { name: 'Enregistrer' }));
      expect(await screen.findByText('Le groupe « Utilisateurs » a été enregistré.')).toBeTruthy();
      expect(bodyOf(calls(fetch, 'PATCH', '/api/admin/groups/2')[0]![1])).toMatchObject({ servers: [] });
    });

    it('sends no servers when the server does not list them (unchanged)', async () => {
      const fetch = serve((url, init) =>
        url === '/api/admin/groups/2' && init.method === 'PATCH' ? jsonResponse(200, groups[1]) : undefined,
      );
      renderPage();
      await screen.findByTestId('group-table');
      fireEvent.click(within(row('Utilisateurs')).getByRole('button', { name: 'Modifier le groupe « Utilisateurs »' }));
      const d = within(screen.getByRole('dialog'));
      await waitFor(() => expect(calls(fetch, 'GET', '/api/admin/servers')).toHaveLength(1));
      expect(d.queryByRole('group', { name: 'Serveurs' })).toBeNull();
      fireEvent.click(d.getByRole('button', { name: 'Enregistrer' }));
      await screen.findByText('Le groupe « Utilisateurs » a été enregistré.');
      expect(bodyOf(calls(fetch, 'PATCH', '/api/admin/groups/2')[0]![1])).not.toHaveProperty('servers');
    });
  });

  it("puts a server error about a limit next to its field", async () => {
    serve((url, init) =>
      url === '/api/admin/groups' && init.method === 'POST'
        ? errorResponse(422, 'invalid_limits', 'Le quota est trop grand.', 'limits.quota_bytes')
        : undefined,
    );
    renderPage();
    await screen.findByTestId('group-table');
    fireEvent.click(screen.getByRole('button', { name: 'Créer un groupe' }));
    const d = within(screen.getByRole('dialog'));
    fireEvent.change(d.getByLabelText('Nom du groupe'), { target: { value: 'Famille' } });
    fireEvent.change(d.getByLabelText('Quota disque total (Go)'), { target: { value: '900000' } });
    fireEvent.click(d.getByRole('button', { name: 'Créer le groupe' }));
    expect(await d.findByText('Le quota est trop grand.')).toBeTruthy();
    expect(d.getByLabelText('Quota disque total (Go)').getAttribute('aria-invalid')).toBe('true');
  });

  it("shows the server's refusal to delete a group that still has members", async () => {
    const fetch = serve((url, init) =>
      url === '/api/admin/groups/2' && init.method === 'DELETE'
        ? errorResponse(409, 'group_not_empty', 'Ce groupe a encore des membres : déplacez-les avant de le supprimer.')
        : undefined,
    );
    renderPage();
    await screen.findByTestId('group-table');
    fireEvent.click(within(row('Utilisateurs')).getByRole('button', { name: 'Supprimer le groupe « Utilisateurs »' }));
    const dialog = screen.getByRole('dialog', { name: 'Supprimer le groupe « Utilisateurs » ?' });
    expect(within(dialog).getByText("Il a encore 4 membres : changez-les de groupe d'abord.")).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Supprimer le groupe' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Ce groupe a encore des membres : déplacez-les avant de le supprimer.',
    );
    expect(calls(fetch, 'DELETE', '/api/admin/groups/2')).toHaveLength(1);
  });

  it('deletes an empty group', async () => {
    const fetch = serve((url, init) =>
      url === '/api/admin/groups/1' && init.method === 'DELETE' ? new Response(null, { status: 204 }) : undefined,
    );
    renderPage();
    await screen.findByTestId('group-table');
    fireEvent.click(within(row('Administrateurs')).getByRole('button', { name: 'Supprimer le groupe « Administrateurs »' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Supprimer le groupe' }));
    expect(await screen.findByText('Le groupe « Administrateurs » a été supprimé.')).toBeTruthy();
    await waitFor(() => expect(calls(fetch, 'GET', '/api/admin/groups').length).toBeGreaterThan(1));
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import { UsersPage } from './UsersPage';
import { deleteUserPath, usersPath, NO_FILTERS, type ManagedUser } from './api';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../../test/utils';
import type { User } from '../../../api/types';
import { formatDate } from '../../../lib/format';
import type { ApiToken } from '../../tokens/api';

afterEach(() => vi.unstubAllGlobals());

const GIB = 1024 ** 3;
const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };

const root: ManagedUser = {
  id: 1,
  username: 'root',
  display_name: 'Root',
  email: 'root@exemple.fr',
  role: 'admin',
  group: { id: 1, name: 'Administrateurs' },
  disabled: false,
  created_at: 1_795_000_000,
  last_login_at: 1_795_681_907,
  torrents: 0,
  disk_used: 0,
  folder: 'root',
};
const aliceRow: ManagedUser = {
  id: 2,
  username: 'alice',
  display_name: 'Alice',
  email: null,
  role: 'user',
  group: { id: 2, name: 'Utilisateurs' },
  disabled: false,
  created_at: 1_795_000_000,
  last_login_at: null,
  torrents: 3,
  disk_used: Math.round(12.3 * GIB),
  folder: 'alice',
};
const bob: ManagedUser = {
  ...aliceRow,
  id: 3,
  username: 'bob',
  display_name: 'Bob',
  group: { id: 3, name: 'Famille' },
  disabled: true,
  torrents: 0,
  disk_used: 0,
  folder: 'bob-2',
  identities: [{ kind: 'oidc', issuer: 'https://auth.example.org', subject: 'sub-bob-42', last_login_at: 1_795_000_100 }],
};
const users = [root, aliceRow, bob];
const tokens: ApiToken[] = [
  {
    id: 4,
    name: 'Sonarr',
    read_only: false,
    created_at: 1_795_000_000,
    expires_at: null,
    last_used_at: 1_795_600_000,
    last_used_ip: '192.0.2.7',
    user: { id: 2, username: 'alice' },
  },
];
const groups = [
  { id: 1, name: 'Administrateurs', permissions: [], limits: {}, members: 1 },
  { id: 2, name: 'Utilisateurs', permissions: [], limits: {}, members: 1 },
  { id: 3, name: 'Famille', permissions: [], limits: { max_torrents: 2 }, members: 1 },
];

type Handler = (url: string, init: RequestInit) => Response | undefined;

/** The users and groups lists, plus whatever `extra` answers first. */
function serve(extra?: Handler) {
  return mockFetch((url, init) => {
    const answer = extra?.(url, init);
    if (answer) return answer;
    const method = init.method ?? 'GET';
    if (method === 'GET' && url.startsWith('/api/admin/users')) return jsonResponse(200, { users });
    if (method === 'GET' && url === '/api/admin/groups') return jsonResponse(200, { groups, permissions: [] });
    if (method === 'GET' && url === '/api/me') return jsonResponse(200, admin);
    if (method === 'GET' && url === '/api/admin/tokens') return jsonResponse(200, { tokens });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

function renderPage(me: User = admin) {
  return renderWithProviders(<UsersPage />, { me, route: '/admin/utilisateurs' });
}

const row = (username: string) => screen.getByRole('rowheader', { name: new RegExp(`^${username}`) }).closest('tr')!;
const calls = (fetch: ReturnType<typeof serve>, method: string, prefix: string) =>
  fetch.mock.calls.filter(([url, init]) => (init?.method ?? 'GET') === method && String(url).startsWith(prefix));
const bodyOf = (init: RequestInit | undefined) => JSON.parse(String(init!.body)) as unknown;

describe('usersPath and deleteUserPath', () => {
  it('puts only the filters that are set in the query string', () => {
    expect(usersPath(NO_FILTERS)).toBe('/api/admin/users');
    expect(usersPath({ q: '  ali ', group_id: '3', role: 'admin', state: 'disabled' })).toBe(
      '/api/admin/users?q=ali&group_id=3&role=admin&state=disabled',
    );
    expect(usersPath({ ...NO_FILTERS, q: 'é &' })).toBe('/api/admin/users?q=%C3%A9+%26');
  });

  it('says what becomes of the torrents', () => {
    expect(deleteUserPath(2, { torrents: 'reassign', to: 3 })).toBe('/api/admin/users/2?torrents=reassign&to=3');
    expect(deleteUserPath(2, { torrents: 'delete' })).toBe('/api/admin/users/2?torrents=delete');
  });
});

describe('UsersPage', () => {
  it('is reserved to administrators and asks nothing of the server otherwise', () => {
    const fetch = serve();
    renderPage(alice);
    expect(screen.getByRole('heading', { name: 'Utilisateurs' })).toBeTruthy();
    expect(screen.getByText('Réservé aux administrateurs.')).toBeTruthy();
    expect(calls(fetch, 'GET', '/api/admin')).toHaveLength(0);
  });

  it('lists the users with their state, usage and last login, in French', async () => {
    serve();
    renderPage();
    await screen.findByTestId('user-table');
    expect(screen.getByText('3 utilisateurs')).toBeTruthy();

    const a = within(row('alice'));
    expect(a.getByText('Alice')).toBeTruthy();
    expect(a.getByText('Utilisateur')).toBeTruthy();
    expect(a.getByText('Utilisateurs')).toBeTruthy();
    expect(a.getByText('Actif')).toBeTruthy();
    expect(a.getByText('3')).toBeTruthy();
    expect(a.getByText('12,3 Go')).toBeTruthy();
    expect(a.getByText('jamais')).toBeTruthy();

    const r = within(row('root'));
    expect(r.getByText('(vous)')).toBeTruthy();
    expect(r.getByText('Administrateur')).toBeTruthy();
    expect(r.getByText('root@exemple.fr')).toBeTruthy();
    const login = r.getByText(/^\d{1,2} nov\. 2026$/);
    expect(login.getAttribute('title')).toBe(formatDate(root.last_login_at));
    expect(login.getAttribute('title')).toMatch(/^\d{1,2} nov\. 2026 à \d\d:\d\d$/);
    // Their own account: edited here, but not disabled, reset or deleted.
    expect(r.getByRole('button', { name: 'Modifier « root »' })).toBeTruthy();
    expect(r.queryByRole('button', { name: 'Supprimer « root »' })).toBeNull();
    expect(r.queryByRole('button', { name: 'Désactiver « root »' })).toBeNull();

    // Each user's own folder, in monospace (hidden on phones, where the table is crowded).
    expect(screen.getByRole('columnheader', { name: 'Dossier' }).className).toContain('hidden md:table-cell');
    const folder = within(row('bob')).getByText('bob-2');
    expect(folder.tagName).toBe('CODE');
    expect(folder.className).toContain('font-mono');
    expect(folder.closest('td')!.className).toMatch(/\bhidden\b.*\bmd:table-cell\b/);

    const b = within(row('bob'));
    expect(b.getByText('Désactivé')).toBeTruthy();
    expect(b.getByRole('button', { name: 'Réactiver « bob »' })).toBeTruthy();
    expect(within(row('alice')).getByRole('button', { name: 'Désactiver « alice »' })).toBeTruthy();
  });

  it("shows everyone's application tokens in their own card, each with its owner", async () => {
    serve();
    renderPage();
    const card = await screen.findByRole('region', { name: "Jetons d'application" });
    const table = await within(card).findByTestId('admin-token-table');
    expect(within(table).getByRole('rowheader', { name: 'Sonarr' })).toBeTruthy();
    expect(within(table).getByRole('link', { name: 'alice' }).getAttribute('href')).toBe(
      '/admin/utilisateurs?utilisateur=2',
    );
    expect(within(table).getByRole('button', { name: 'Révoquer le jeton « Sonarr » de alice' })).toBeTruthy();
  });

  it('opens the account of ?utilisateur=<id> (the journal links), and says when it is gone', async () => {
    serve();
    const first = renderWithProviders(<UsersPage />, { me: admin, route: '/admin/utilisateurs?utilisateur=2' });
    const dialog = await screen.findByRole('dialog', { name: 'Modifier « alice »' });
    expect((within(dialog).getByLabelText(/^Nom affiché/) as HTMLInputElement).value).toBe('Alice');
    first.unmount();

    serve();
    renderWithProviders(<UsersPage />, { me: admin, route: '/admin/utilisateurs?utilisateur=99' });
    expect(await screen.findByText("Ce compte n'existe plus.")).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows one card per user on phones, the same facts and actions, no table', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: false, media: query, addEventListener: () => {}, removeEventListener: () => {} }));
    serve();
    renderPage();
    const cards = await screen.findByTestId('user-table');
    expect(cards.tagName).toBe('UL');
    expect(screen.queryByRole('table')).toBeNull();
    const items = within(cards).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    const card = items[1]!;
    expect(card.getAttribute('data-user-id')).toBe('2');
    expect(within(card).getByText('Groupe').nextSibling!.textContent).toBe('Utilisateurs');
    expect(card.textContent).toContain('12,3 Go');
    expect(within(card).getByRole('button', { name: 'Modifier « alice »' })).toBeTruthy();
  });

  it('turns the search box and the filters into the query string of GET /api/admin/users', async () => {
    const fetch = serve();
    renderPage();
    await screen.findByTestId('user-table');
    expect(calls(fetch, 'GET', '/api/admin/users').map(([u]) => u)).toEqual(['/api/admin/users']);

    // The group filter lists the groups.
    const group = screen.getByLabelText('Groupe') as HTMLSelectElement;
    await waitFor(() => expect(group.options).toHaveLength(4));
    fireEvent.change(group, { target: { value: '3' } });
    await waitFor(() => expect(calls(fetch, 'GET', '/api/admin/users').at(-1)![0]).toBe('/api/admin/users?group_id=3'));

    fireEvent.change(screen.getByLabelText('Rôle'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('État'), { target: { value: 'disabled' } });
    fireEvent.change(screen.getByLabelText('Rechercher'), { target: { value: ' ali ' } });
    await waitFor(() =>
      expect(calls(fetch, 'GET', '/api/admin/users').at(-1)![0]).toBe(
        '/api/admin/users?q=ali&group_id=3&role=admin&state=disabled',
      ),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Effacer les filtres' }));
    expect((screen.getByLabelText('Rechercher') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Groupe') as HTMLSelectElement).value).toBe('');
    expect(screen.queryByRole('button', { name: 'Effacer les filtres' })).toBeNull();
  });

  it('creates a user, shows the generated password once with a copy button, then forgets it', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const created = { ...aliceRow, id: 4, username: 'camille', display_name: 'camille', torrents: 0, disk_used: 0 };
    const fetch = serve((url, init) =>
      url === '/api/admin/users' && init.method === 'POST'
        ? jsonResponse(201, { user: created, password: 'Ruche-Xq7-Miel-42' })
        : undefined,
    );
    renderPage();
    await screen.findByTestId('user-table');
    fireEvent.click(screen.getByRole('button', { name: 'Créer un utilisateur' }));
    const dialog = screen.getByRole('dialog', { name: 'Créer un utilisateur' });
    const d = within(dialog);
    expect(d.getByText('Au moins 10 caractères. Laissez vide pour en générer un.')).toBeTruthy();

    fireEvent.change(d.getByLabelText("Nom d'utilisateur"), { target: { value: 'camille' } });
    const group = (await d.findByLabelText('Groupe')) as HTMLSelectElement;
    // No group chosen: refused before calling the server.
    fireEvent.click(d.getByRole('button', { name: "Créer l'utilisateur" }));
    expect(d.getByText('Choisissez un groupe.')).toBeTruthy();
    expect(document.activeElement).toBe(group);
    expect(calls(fetch, 'POST', '/api/admin/users')).toHaveLength(0);

    fireEvent.change(group, { target: { value: '2' } });
    fireEvent.click(d.getByRole('button', { name: "Créer l'utilisateur" }));

    const reveal = await screen.findByRole('dialog', { name: 'Utilisateur « camille » créé' });
    const [, init] = calls(fetch, 'POST', '/api/admin/users')[0]!;
    expect(bodyOf(init)).toEqual({ username: 'camille', role: 'user', group_id: 2 });
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    expect(within(reveal).getByTestId('generated-password').textContent).toBe('Ruche-Xq7-Miel-42');
    expect(within(reveal).getByRole('button', { name: 'Copier le mot de passe' })).toBeTruthy();
    expect(within(reveal).getByText(/il ne sera plus jamais affiché/)).toBeTruthy();

    fireEvent.click(within(reveal).getByRole('button', { name: 'Terminé' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByText('Ruche-Xq7-Miel-42')).toBeNull();
    expect(screen.getByText("L'utilisateur « camille » a été créé.")).toBeTruthy();

    // Reopened: an empty form, no password any more.
    fireEvent.click(screen.getByRole('button', { name: 'Créer un utilisateur' }));
    expect(screen.getByRole('dialog', { name: 'Créer un utilisateur' })).toBeTruthy();
    expect(screen.queryByText('Ruche-Xq7-Miel-42')).toBeNull();
  });

  it('sends a typed password and every optional field; no password is shown then', async () => {
    const fetch = serve((url, init) =>
      url === '/api/admin/users' && init.method === 'POST'
        ? jsonResponse(201, { user: { ...bob, id: 5, username: 'dominique' }, password: null })
        : undefined,
    );
    renderPage();
    await screen.findByTestId('user-table');
    fireEvent.click(screen.getByRole('button', { name: 'Créer un utilisateur' }));
    const d = within(screen.getByRole('dialog'));
    fireEvent.change(d.getByLabelText("Nom d'utilisateur"), { target: { value: 'dominique' } });
    fireEvent.change(d.getByLabelText(/^Nom affiché/), { target: { value: ' Dominique ' } });
    fireEvent.change(d.getByLabelText(/^Adresse e-mail/), { target: { value: 'dom@exemple.fr' } });
    fireEvent.change(d.getByLabelText('Rôle'), { target: { value: 'admin' } });
    fireEvent.change(await d.findByLabelText('Groupe'), { target: { value: '1' } });
    fireEvent.change(d.getByLabelText(/^Mot de passe/), { target: { value: 'court' } });
    fireEvent.click(d.getByRole('button', { name: "Créer l'utilisateur" }));
    expect(d.getByText('Le mot de passe doit contenir au moins 10 caractères.')).toBeTruthy();

    fireEvent.change(d.getByLabelText(/^Mot de passe/), { target: { value: 'une-ruche-bien-gardee' } });
    fireEvent.click(d.getByRole('button', { name: "Créer l'utilisateur" }));
    expect(await screen.findByText("L'utilisateur « dominique » a été créé.")).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bodyOf(calls(fetch, 'POST', '/api/admin/users')[0]![1])).toEqual({
      username: 'dominique',
      display_name: 'Dominique',
      email: 'dom@exemple.fr',
      role: 'admin',
      group_id: 1,
      password: 'une-ruche-bien-gardee',
    });
  });

  it("puts the server's refusal next to the username", async () => {
    serve((url, init) =>
      url === '/api/admin/users' && init.method === 'POST'
        ? errorResponse(409, 'username_taken', 'Ce nom d’utilisateur est déjà pris.', 'username')
        : undefined,
    );
    renderPage();
    await screen.findByTestId('user-table');
    fireEvent.click(screen.getByRole('button', { name: 'Créer un utilisateur' }));
    const d = within(screen.getByRole('dialog'));
    fireEvent.change(d.getByLabelText("Nom d'utilisateur"), { target: { value: 'alice' } });
    fireEvent.change(await d.findByLabelText('Groupe'), { target: { value: '2' } });
    fireEvent.click(d.getByRole('button', { name: "Créer l'utilisateur" }));
    expect(await d.findByText('Ce nom d’utilisateur est déjà pris.')).toBeTruthy();
    expect(d.getByLabelText("Nom d'utilisateur").getAttribute('aria-invalid')).toBe('true');
  });

  it('edits a user, sending only what changed', async () => {
    const fetch = serve((url, init) =>
      url === '/api/admin/users/2' && init.method === 'PATCH'
        ? jsonResponse(200, { ...aliceRow, display_name: 'Alice B.', group: { id: 3, name: 'Famille' } })
        : undefined,
    );
    renderPage();
    await screen.findByTestId('user-table');
    fireEvent.click(within(row('alice')).getByRole('button', { name: 'Modifier « alice »' }));
    const d = within(screen.getByRole('dialog', { name: 'Modifier « alice »' }));
    expect((d.getByLabelText('Nom affiché') as HTMLInputElement).value).toBe('Alice');
    expect(((await d.findByLabelText('Groupe')) as HTMLSelectElement).value).toBe('2');
    // The folder is shown, read only.
    const folder = d.getByTestId('user-folder');
    expect(within(folder).getByText('Dossier').tagName).toBe('DT');
    expect(within(folder).getByText('alice').tagName).toBe('CODE');
    expect(folder.textContent).toContain('Il ne change pas.');
    fireEvent.change(d.getByLabelText('Nom affiché'), { target: { value: 'Alice B.' } });
    fireEvent.change(d.getByLabelText('Groupe'), { target: { value: '3' } });
    fireEvent.click(d.getByRole('button', { name: 'Enregistrer' }));
    expect(await screen.findByText('Les modifications de « alice » ont été enregistrées.')).toBeTruthy();
    expect(bodyOf(calls(fetch, 'PATCH', '/api/admin/users/2')[0]![1])).toEqual({ display_name: 'Alice B.', group_id: 3 });
  });

  it('disables after a confirmation that says sessions end at once, and shows a 409 in French', async () => {
    let refuse = true;
    const fetch = serve((url, init) => {
      if (url !== '/api/admin/users/2' || init.method !== 'PATCH') return undefined;
      if (refuse) return errorResponse(409, 'last_admin', 'Il doit rester au moins un administrateur actif.');
      return jsonResponse(200, { ...aliceRow, disabled: true });
    });
    renderPage();
    await screen.findByTestId('user-table');
    fireEvent.click(within(row('alice')).getByRole('button', { name: 'Désactiver « alice »' }));
    const dialog = screen.getByRole('dialog', { name: 'Désactiver « alice » ?' });
    expect(within(dialog).getByText(/prennent fin immédiatement/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Désactiver' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Il doit rester au moins un administrateur actif.');

    refuse = false;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Désactiver' }));
    expect(await screen.findByText('Le compte « alice » est désactivé.')).toBeTruthy();
    expect(calls(fetch, 'PATCH', '/api/admin/users/2').map(([, init]) => bodyOf(init))).toEqual([
      { disabled: true },
      { disabled: true },
    ]);
  });

  it('reactivates a disabled user', async () => {
    const fetch = serve((url, init) =>
      url === '/api/admin/users/3' && init.method === 'PATCH' ? jsonResponse(200, { ...bob, disabled: false }) : undefined,
    );
    renderPage();
    await screen.findByTestId('user-table');
    fireEvent.click(within(row('bob')).getByRole('button', { name: 'Réactiver « bob »' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Réactiver « bob » ?' })).getByRole('button', { name: 'Réactiver' }));
    expect(await screen.findByText('Le compte « bob » est réactivé.')).toBeTruthy();
    expect(bodyOf(calls(fetch, 'PATCH', '/api/admin/users/3')[0]![1])).toEqual({ disabled: false });
  });

  it('resets a password after a confirmation and shows the new one once', async () => {
    const fetch = serve((url, init) =>
      url === '/api/admin/users/2/password' && init.method === 'POST' ? jsonResponse(200, { password: 'Cire-88-Alvéole' }) : undefined,
    );
    renderPage();
    await screen.findByTestId('user-table');
    fireEvent.click(within(row('alice')).getByRole('button', { name: 'Réinitialiser le mot de passe de « alice »' }));
    const dialog = screen.getByRole('dialog', { name: 'Réinitialiser le mot de passe de « alice » ?' });
    expect(within(dialog).getByText(/toutes les sessions de ce compte prennent fin/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Réinitialiser' }));
    const reveal = await screen.findByRole('dialog', { name: 'Nouveau mot de passe de « alice »' });
    expect(within(reveal).getByTestId('generated-password').textContent).toBe('Cire-88-Alvéole');
    expect(calls(fetch, 'POST', '/api/admin/users/2/password')).toHaveLength(1);
    fireEvent.click(within(reveal).getByRole('button', { name: 'Terminé' }));
    expect(screen.queryByText('Cire-88-Alvéole')).toBeNull();
    expect(screen.getByText('Le mot de passe de « alice » a été réinitialisé.')).toBeTruthy();
  });

  describe('deleting a user', () => {
    const serveDelete = () =>
      serve((_url, init) => (init.method === 'DELETE' ? new Response(null, { status: 204 }) : undefined));

    async function openDelete() {
      renderPage();
      await screen.findByTestId('user-table');
      fireEvent.click(within(row('alice')).getByRole('button', { name: 'Supprimer « alice »' }));
      return within(screen.getByRole('dialog', { name: 'Supprimer « alice » ?' }));
    }

    it('requires a choice, then a new owner, and sends ?torrents=reassign&to=ID', async () => {
      const fetch = serveDelete();
      const d = await openDelete();
      expect(d.getByText('Ce compte possède actuellement 3 torrents (12,3 Go).')).toBeTruthy();
      const submit = () => fireEvent.click(d.getByRole('button', { name: "Supprimer l'utilisateur" }));

      submit();
      expect(d.getByText('Choisissez que faire de ses torrents.')).toBeTruthy();
      expect(document.activeElement).toBe(d.getByLabelText('Les attribuer à un autre utilisateur'));

      fireEvent.click(d.getByLabelText('Les attribuer à un autre utilisateur'));
      const owner = (await d.findByLabelText('Nouveau propriétaire')) as HTMLSelectElement;
      // Everyone but alice; a disabled account says so.
      expect(Array.from(owner.options).map((o) => o.textContent)).toEqual([
        'Choisissez un utilisateur',
        'Root (root)',
        'Bob (bob) (désactivé)',
      ]);
      submit();
      expect(d.getByText("Choisissez l'utilisateur qui recevra ses torrents.")).toBeTruthy();
      expect(calls(fetch, 'DELETE', '/api/admin/users')).toHaveLength(0);

      fireEvent.change(owner, { target: { value: '1' } });
      submit();
      expect(await screen.findByText("L'utilisateur « alice » a été supprimé.")).toBeTruthy();
      expect(calls(fetch, 'DELETE', '/api/admin/users').map(([u]) => u)).toEqual([
        '/api/admin/users/2?torrents=reassign&to=1',
      ]);
    });

    it('deletes the torrents with their data only once the checkbox is ticked: ?torrents=delete', async () => {
      const fetch = serveDelete();
      const d = await openDelete();
      fireEvent.click(d.getByLabelText('Les supprimer avec leurs données'));
      fireEvent.click(d.getByRole('button', { name: "Supprimer l'utilisateur" }));
      const confirm = d.getByLabelText('Je confirme la suppression définitive de ses torrents et de leurs fichiers.');
      expect(d.getByText('Cochez la case pour confirmer la suppression des données.')).toBeTruthy();
      expect(document.activeElement).toBe(confirm);
      expect(calls(fetch, 'DELETE', '/api/admin/users')).toHaveLength(0);

      fireEvent.click(confirm);
      fireEvent.click(d.getByRole('button', { name: "Supprimer l'utilisateur" }));
      expect(await screen.findByText("L'utilisateur « alice » a été supprimé.")).toBeTruthy();
      expect(calls(fetch, 'DELETE', '/api/admin/users').map(([u]) => u)).toEqual(['/api/admin/users/2?torrents=delete']);
    });

    it("shows the server's refusal in the dialog", async () => {
      serve((_url, init) =>
        init.method === 'DELETE' ? errorResponse(409, 'last_admin', 'Il doit rester au moins un administrateur actif.') : undefined,
      );
      const d = await openDelete();
      fireEvent.click(d.getByLabelText('Les supprimer avec leurs données'));
      fireEvent.click(d.getByLabelText(/^Je confirme/));
      fireEvent.click(d.getByRole('button', { name: "Supprimer l'utilisateur" }));
      expect((await d.findByRole('alert')).textContent).toBe('Il doit rester au moins un administrateur actif.');
    });
  });
});

describe('identities at the single sign-on provider', () => {
  const withSso = { site_name: 'essaim', registration_open: true, version: '0.1.0', local_login: true, sso: { display_name: 'Authentik', start: '/api/auth/oidc/start' } };

  /** The users page with single sign-on configured, plus `extra`'s answers to PUT and DELETE …/oidc. */
  function serveSso(extra?: Handler) {
    return serve((url, init) => {
      if (url === '/api/instance') return jsonResponse(200, withSso);
      return extra?.(url, init);
    });
  }

  async function openIdentity(name = 'alice') {
    renderPage();
    await screen.findByTestId('user-table');
    const button = await within(row(name)).findByRole('button', { name: `Identité chez le fournisseur de « ${name} »` });
    fireEvent.click(button);
    return within(await screen.findByRole('dialog', { name: `Identité de « ${name} » chez le fournisseur` }));
  }

  it('offers nothing of the kind while single sign-on is not configured', async () => {
    serve((url) => (url === '/api/instance' ? jsonResponse(200, { site_name: 'essaim', registration_open: true, version: '0.1.0', local_login: true }) : undefined));
    renderPage();
    await screen.findByTestId('user-table');
    await new Promise((r) => setTimeout(r, 10));
    expect(within(row('alice')).queryByRole('button', { name: /^Identité chez le fournisseur/ })).toBeNull();
  });

  it('says which accounts sign in through the provider, and as whom', async () => {
    serveSso();
    renderPage();
    await screen.findByTestId('user-table');
    const badge = within(row('bob')).getByText('Authentification unique');
    expect(badge.parentElement!.getAttribute('title')).toBe('Identité : sub-bob-42');
    expect(within(row('alice')).queryByText('Authentification unique')).toBeNull();
    fireEvent.click(await within(row('bob')).findByRole('button', { name: 'Identité chez le fournisseur de « bob »' }));
    const d = within(await screen.findByRole('dialog', { name: 'Identité de « bob » chez le fournisseur' }));
    expect(d.getByTestId('identity-current').textContent).toBe("Lié à l'identité « sub-bob-42 » chez le fournisseur.");
  });

  it('says when an account has no identity at the provider', async () => {
    serveSso();
    const d = await openIdentity('alice');
    expect(d.getByTestId('identity-current').textContent).toBe("Ce compte n'est lié à aucune identité chez le fournisseur.");
  });

  it("links an account to the provider's sub (PUT), the field checked first", async () => {
    const fetch = serveSso((url, init) =>
      init.method === 'PUT' && url === '/api/admin/users/2/oidc' ? jsonResponse(200, { issuer: 'https://auth.example.org', subject: 'a1b2-c3' }) : undefined,
    );
    const d = await openIdentity();
    const subject = d.getByLabelText('Identifiant chez le fournisseur (sub)') as HTMLInputElement;
    expect(document.activeElement).toBe(subject);

    fireEvent.click(d.getByRole('button', { name: 'Lier une identité' }));
    expect(subject.getAttribute('aria-invalid')).toBe('true');
    expect(d.getByText("Saisissez l'identifiant (sub) de ce compte chez le fournisseur.")).toBeTruthy();
    expect(calls(fetch, 'PUT', '/api/admin/users')).toHaveLength(0);

    fireEvent.change(subject, { target: { value: '  a1b2-c3 ' } });
    fireEvent.click(d.getByRole('button', { name: 'Lier une identité' }));
    expect(await screen.findByText('Le compte « alice » est lié à l\'identité « a1b2-c3 ».')).toBeTruthy();
    const put = calls(fetch, 'PUT', '/api/admin/users/2/oidc');
    expect(put).toHaveLength(1);
    expect(bodyOf(put[0]![1])).toEqual({ subject: 'a1b2-c3' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it("shows the server's refusals in French: at the top, or next to the field", async () => {
    let answer = () =>
      errorResponse(
        409,
        'identity_taken',
        "Cet identifiant est déjà lié à un compte, ou ce compte a déjà une identité chez ce fournisseur (déliez-la d'abord).",
      );
    serveSso((_url, init) => (init.method === 'PUT' ? answer() : undefined));
    const d = await openIdentity();
    const subject = d.getByLabelText('Identifiant chez le fournisseur (sub)');
    fireEvent.change(subject, { target: { value: 'pris' } });
    fireEvent.click(d.getByRole('button', { name: 'Lier une identité' }));
    const alert = await d.findByRole('alert');
    expect(alert.textContent).toBe(
      "Cet identifiant est déjà lié à un compte, ou ce compte a déjà une identité chez ce fournisseur (déliez-la d'abord).",
    );
    expect(document.activeElement).toBe(alert);

    answer = () => errorResponse(422, 'invalid_subject', "Indiquez l'identifiant (sub) de ce compte chez le fournisseur.", 'subject');
    fireEvent.click(d.getByRole('button', { name: 'Lier une identité' }));
    await waitFor(() => expect(subject.getAttribute('aria-invalid')).toBe('true'));
    expect(d.queryByRole('alert')).toBeNull();
    expect(document.activeElement).toBe(subject);
  });

  it('unlinks the identity (DELETE), and says when there was none', async () => {
    let missing = true;
    const fetch = serveSso((url, init) => {
      if (init.method !== 'DELETE' || url !== '/api/admin/users/2/oidc') return undefined;
      return missing ? errorResponse(404, 'identity_not_found', "Ce compte n'est lié à aucune identité.") : new Response(null, { status: 204 });
    });
    const d = await openIdentity();
    fireEvent.click(d.getByRole('button', { name: "Délier l'identité" }));
    expect((await d.findByRole('alert')).textContent).toBe("Ce compte n'est lié à aucune identité.");

    missing = false;
    fireEvent.click(d.getByRole('button', { name: "Délier l'identité" }));
    expect(await screen.findByText("Le compte « alice » n'est plus lié à une identité du fournisseur.")).toBeTruthy();
    expect(calls(fetch, 'DELETE', '/api/admin/users/2/oidc')).toHaveLength(2);
    expect(calls(fetch, 'PUT', '/api/admin/users')).toHaveLength(0);
  });
});

describe('routes', () => {
  it.each([
    ['/admin/utilisateurs', 'Utilisateurs', 'user-table'],
    ['/admin/groupes', 'Groupes', 'group-table'],
  ])('%s loads its page', async (route, heading, table) => {
    serve((url) => {
      if (url === '/api/instance') return jsonResponse(200, { site_name: 'essaim', registration_open: true, version: '0.1.0' });
      if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok' });
      return undefined;
    });
    renderWithProviders(<App />, { route });
    expect(await screen.findByRole('heading', { name: heading, level: 1 })).toBeTruthy();
    expect(await screen.findByTestId(table)).toBeTruthy();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { User } from '../../api/types';
import { formatDate } from '../../lib/format';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import type { ApiToken } from './api';
import { AdminTokensSection } from './AdminTokensSection';
import { ApplicationsSection } from './ApplicationsSection';
import { ArrSetup, arrConnection } from './ArrSetup';
import { curlExample } from './CreateTokenDialog';
import { TokenTable } from './TokenTable';

afterEach(() => vi.unstubAllGlobals());

const withApi: User = { ...alice, permissions: [...alice.permissions, 'use_api'] };
const admin: User = { ...alice, id: 1, username: 'root', role: 'admin', permissions: [] };

const SECRET = 'essaim_0123456789abcdefghijklmnopqrstuvwxyzABCD';

function token(overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: 7,
    name: 'Sonarr',
    read_only: false,
    created_at: 1_795_000_000,
    expires_at: null,
    last_used_at: null,
    last_used_ip: null,
    user: { id: 2, username: 'alice' },
    ...overrides,
  };
}

type Handler = (url: string, init: RequestInit) => Response | undefined;

/** `GET /api/me/tokens` and `/api/admin/tokens` answer `list`; `extra` answers first. */
function serve(list: ApiToken[], extra?: Handler) {
  return mockFetch((url, init) => {
    const answer = extra?.(url, init);
    if (answer) return answer;
    const method = init.method ?? 'GET';
    if (method === 'GET' && (url === '/api/me/tokens' || url === '/api/admin/tokens'))
      return jsonResponse(200, { tokens: list });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

const calls = (fetch: ReturnType<typeof mockFetch>, method: string) =>
  fetch.mock.calls.filter(([, init]) => (init?.method ?? 'GET') === method);

function errorOf(control: HTMLElement): string | null {
  if (control.getAttribute('aria-invalid') !== 'true') return null;
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)).find((el) => el?.id.endsWith('-error'))?.textContent ?? null;
}

/** The fields of the Sonarr/Radarr help, label → value, as the description list says them. */
function arrFields(container: HTMLElement): Record<string, string> {
  const setup = within(container).getByTestId('arr-setup');
  return Object.fromEntries(
    [...setup.querySelectorAll('dt')].map((dt) => [
      dt.textContent ?? '',
      // The copy buttons' status says nothing until used.
      dt.nextElementSibling!.textContent ?? '',
    ]),
  );
}

async function openCreate() {
  fireEvent.click(await screen.findByRole('button', { name: 'Créer un jeton' }));
  return screen.findByRole('dialog', { name: 'Créer un jeton' });
}

describe('Applications (Mon compte)', () => {
  it('creates a token, shows its secret once with how to use it, then forgets it', async () => {
    const created = { ...token({ id: 9, read_only: true }), token: SECRET };
    let list: ApiToken[] = [];
    const fetch = serve([], (url, init) => {
      if (url === '/api/me/tokens' && init.method === 'POST') {
        list = [token({ id: 9, read_only: true })];
        return jsonResponse(201, created);
      }
      if (url === '/api/me/tokens') return jsonResponse(200, { tokens: list });
      return undefined;
    });
    renderWithProviders(<ApplicationsSection user={withApi} />, { me: withApi });
    expect(await screen.findByText("Vous n'avez aucun jeton pour l'instant.")).toBeTruthy();

    const dialog = await openCreate();
    fireEvent.change(within(dialog).getByLabelText('Nom'), { target: { value: '  Sonarr ' } });
    fireEvent.click(within(dialog).getByLabelText('Lecture seule (ne peut rien modifier)'));
    fireEvent.change(within(dialog).getByLabelText('Expiration'), { target: { value: '' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Créer le jeton' }));

    const reveal = await screen.findByRole('dialog', { name: 'Jeton « Sonarr » créé' });
    const posts = calls(fetch, 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]![0]).toBe('/api/me/tokens');
    expect(JSON.parse(String(posts[0]![1]!.body))).toEqual({ name: 'Sonarr', read_only: true, expires_in_days: null });

    expect(within(reveal).getByTestId('new-token').textContent).toBe(SECRET);
    expect(within(reveal).getByText('Copiez-le maintenant : il ne sera plus affiché.')).toBeTruthy();
    // The form is gone: the focus starts on the token's copy button.
    await waitFor(() =>
      expect(document.activeElement).toBe(within(reveal).getByRole('button', { name: 'Copier le jeton' })),
    );
    expect(within(reveal).getByTestId('token-curl').textContent).toBe(
      `curl -H "Authorization: Bearer ${SECRET}" ${window.location.origin}/api/torrents`,
    );

    // Sonarr/Radarr: a qBittorrent download client at this page's host and port, the user's
    // name, the token as the password; a read-only token cannot add.
    expect(within(reveal).getByText(/Clients de téléchargement → \+ → qBittorrent/)).toBeTruthy();
    expect(arrFields(reveal)).toEqual({
      Hôte: window.location.hostname,
      Port: window.location.port || '80',
      'Utiliser SSL': 'Décoché (cette page est en http)',
      "Nom d'utilisateur": 'alice',
      'Mot de passe': 'le jeton ci-dessus',
      Catégorie: 'au choix, par exemple tv-sonarr : un dossier dans le vôtre',
    });
    expect(within(reveal).getByRole('button', { name: "Copier le nom d'utilisateur" })).toBeTruthy();
    expect(within(reveal).getByText(/lecture seule : Sonarr et Radarr ne pourront rien ajouter/)).toBeTruthy();

    fireEvent.click(within(reveal).getByRole('button', { name: "J'ai copié le jeton" }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.body.textContent).not.toContain(SECRET);
    // The list was refreshed (without the secret).
    expect(await screen.findByRole('rowheader', { name: 'Sonarr' })).toBeTruthy();

    // Opening the dialog again asks for a new token: the secret is gone for good.
    const again = await openCreate();
    expect(within(again).getByLabelText('Nom')).toBeTruthy();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('sends the chosen expiry in days, full access by default', async () => {
    const fetch = serve([], (_url, init) =>
      init.method === 'POST' ? jsonResponse(201, { ...token(), token: SECRET }) : undefined,
    );
    renderWithProviders(<ApplicationsSection user={withApi} />, { me: withApi });
    const dialog = await openCreate();
    fireEvent.change(within(dialog).getByLabelText('Nom'), { target: { value: 'Radarr' } });
    fireEvent.change(within(dialog).getByLabelText('Expiration'), { target: { value: '90' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Créer le jeton' }));
    await screen.findByTestId('new-token');
    expect(JSON.parse(String(calls(fetch, 'POST')[0]![1]!.body))).toEqual({
      name: 'Radarr',
      read_only: false,
      expires_in_days: 90,
    });
  });

  it('checks the name before sending, and puts the server’s errors at their field', async () => {
    let answer: Response = errorResponse(
      422,
      'invalid_expiry',
      'La durée de validité va de 1 à 3 650 jours (ou sans limite).',
      'expires_in_days',
    );
    const fetch = serve([], (_url, init) => (init.method === 'POST' ? answer : undefined));
    renderWithProviders(<ApplicationsSection user={withApi} />, { me: withApi });
    const dialog = await openCreate();
    const name = within(dialog).getByLabelText('Nom');
    const submit = within(dialog).getByRole('button', { name: 'Créer le jeton' });

    fireEvent.click(submit);
    expect(errorOf(name)).toBe('Donnez un nom au jeton.');
    expect(document.activeElement).toBe(name);
    fireEvent.change(name, { target: { value: 'x'.repeat(65) } });
    fireEvent.click(submit);
    expect(errorOf(name)).toBe("Le nom d'un jeton compte au plus 64 caractères.");
    expect(calls(fetch, 'POST')).toHaveLength(0);

    fireEvent.change(name, { target: { value: 'Sonarr' } });
    fireEvent.click(submit);
    const expiry = within(dialog).getByLabelText('Expiration');
    await waitFor(() => expect(errorOf(expiry)).toBe('La durée de validité va de 1 à 3 650 jours (ou sans limite).'));
    expect(errorOf(name)).toBeNull();
    expect(document.activeElement).toBe(expiry);

    answer = errorResponse(422, 'invalid_name', 'Donnez au jeton un nom de 1 à 64 caractères.', 'name');
    fireEvent.click(submit);
    await waitFor(() => expect(errorOf(name)).toBe('Donnez au jeton un nom de 1 à 64 caractères.'));

    // Errors without a field: at the top of the form.
    answer = errorResponse(409, 'too_many_tokens', 'Vous avez déjà 20 jetons : révoquez ceux qui ne servent plus.');
    fireEvent.click(submit);
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Vous avez déjà 20 jetons');
    expect(screen.queryByTestId('new-token')).toBeNull();
  });

  it('asks for a confirmation before revoking, then calls DELETE and says so', async () => {
    let list = [token(), token({ id: 8, name: 'Script', read_only: true })];
    const fetch = serve([], (url, init) => {
      if (init.method === 'DELETE') {
        list = list.filter((tk) => url !== `/api/me/tokens/${tk.id}`);
        return new Response(null, { status: 204 });
      }
      if (url === '/api/me/tokens') return jsonResponse(200, { tokens: list });
      return undefined;
    });
    renderWithProviders(<ApplicationsSection user={withApi} />, { me: withApi });
    fireEvent.click(await screen.findByRole('button', { name: 'Révoquer le jeton « Sonarr »' }));

    const dialog = await screen.findByRole('dialog', { name: 'Révoquer le jeton « Sonarr » ?' });
    expect(within(dialog).getByText(/perdront l'accès immédiatement/)).toBeTruthy();
    expect(calls(fetch, 'DELETE')).toHaveLength(0);
    // Cancel first: nothing happens.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Annuler' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls(fetch, 'DELETE')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Révoquer le jeton « Sonarr »' }));
    const again = await screen.findByRole('dialog', { name: 'Révoquer le jeton « Sonarr » ?' });
    fireEvent.click(within(again).getByRole('button', { name: 'Révoquer' }));
    expect(await screen.findByText('Le jeton « Sonarr » a été révoqué.')).toBeTruthy();
    expect(calls(fetch, 'DELETE').map(([url]) => url)).toEqual(['/api/me/tokens/7']);
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'Sonarr' })).toBeNull());
    expect(screen.getByRole('rowheader', { name: 'Script' })).toBeTruthy();
  });

  it('shows a refused revocation in the dialog', async () => {
    serve([token()], (_url, init) =>
      init.method === 'DELETE' ? errorResponse(404, 'token_not_found', 'Jeton introuvable.') : undefined,
    );
    renderWithProviders(<ApplicationsSection user={withApi} />, { me: withApi });
    fireEvent.click(await screen.findByRole('button', { name: 'Révoquer le jeton « Sonarr »' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Révoquer' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Jeton introuvable.');
  });

  it('says in the card how to connect Sonarr or Radarr', async () => {
    serve([]);
    const { container } = renderWithProviders(<ApplicationsSection user={withApi} />, { me: withApi });
    expect(await screen.findByRole('heading', { name: 'Connecter Sonarr ou Radarr' })).toBeTruthy();
    expect(arrFields(container)).toEqual({
      Hôte: window.location.hostname,
      Port: window.location.port || '80',
      'Utiliser SSL': 'Décoché (cette page est en http)',
      "Nom d'utilisateur": 'alice',
      'Mot de passe': 'un jeton créé ici, un par outil',
      Catégorie: 'au choix, par exemple tv-sonarr : un dossier dans le vôtre',
    });
    expect(screen.getByText('Cliquez ensuite sur Tester, puis sur Enregistrer.')).toBeTruthy();
    expect(screen.queryByText(/lecture seule : Sonarr/)).toBeNull();
  });

  it('without use_api: says why instead of the button, and still lists and revokes older tokens', async () => {
    serve([token()]);
    renderWithProviders(<ApplicationsSection user={alice} />, { me: alice });
    expect(
      await screen.findByText('Votre groupe ne permet pas de créer de jetons. Demandez à un administrateur.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Créer un jeton' })).toBeNull();
    expect(await screen.findByRole('button', { name: 'Révoquer le jeton « Sonarr »' })).toBeTruthy();
    // No token to make: no Sonarr help either.
    expect(screen.queryByTestId('arr-setup')).toBeNull();
  });

  it('without use_api and without tokens: only the notice', async () => {
    serve([]);
    renderWithProviders(<ApplicationsSection user={alice} />, { me: alice });
    expect(await screen.findByText(/Votre groupe ne permet pas de créer de jetons/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Chargement…')).toBeNull());
    expect(screen.queryByText("Vous n'avez aucun jeton pour l'instant.")).toBeNull();
    expect(screen.queryByRole('button', { name: 'Créer un jeton' })).toBeNull();
  });

  it('an administrator may create tokens whatever their group', async () => {
    serve([]);
    renderWithProviders(<ApplicationsSection user={admin} />, { me: admin });
    expect(await screen.findByRole('button', { name: 'Créer un jeton' })).toBeTruthy();
    expect(screen.queryByText(/Votre groupe ne permet pas/)).toBeNull();
  });
});

describe('TokenTable', () => {
  const now = 1_795_500_000 * 1000;

  it('says the access, the dates, "Jamais", the last use and its address', () => {
    renderWithProviders(
      <TokenTable
        now={now}
        onRevoke={() => {}}
        tokens={[
          token(),
          token({
            id: 8,
            name: 'Script',
            read_only: true,
            expires_at: 1_796_000_000,
            last_used_at: 1_795_400_000,
            last_used_ip: '192.0.2.10',
          }),
          token({ id: 10, name: 'Ancien', expires_at: 1_795_100_000 }),
        ]}
      />,
    );
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Nom', 'Accès', 'Créé le', 'Expire le', 'Dernière utilisation', 'Actions']);
    const row = (name: string) => within(screen.getByRole('rowheader', { name }).closest('tr')!);
    expect(row('Sonarr').getByText('Complet')).toBeTruthy();
    expect(row('Sonarr').getByText('Jamais')).toBeTruthy();
    expect(row('Sonarr').getByText('Jamais utilisé')).toBeTruthy();
    expect(row('Sonarr').getByText(formatDate(1_795_000_000))).toBeTruthy();
    expect(row('Script').getByText('Lecture seule')).toBeTruthy();
    expect(row('Script').getByText(formatDate(1_796_000_000))).toBeTruthy();
    expect(row('Script').getByText(formatDate(1_795_400_000))).toBeTruthy();
    expect(row('Script').getByText('depuis 192.0.2.10')).toBeTruthy();
    expect(row('Ancien').getByText(`${formatDate(1_795_100_000)} (expiré)`)).toBeTruthy();
  });
});

describe('Jetons d’application (administration)', () => {
  it("lists everyone's tokens with their owner and revokes through the administrators' route", async () => {
    let list = [token(), token({ id: 12, name: 'Sonarr', user: { id: 3, username: 'bob' } })];
    const fetch = serve([], (url, init) => {
      if (init.method === 'DELETE') {
        list = list.filter((tk) => url !== `/api/admin/tokens/${tk.id}`);
        return new Response(null, { status: 204 });
      }
      if (url === '/api/admin/tokens') return jsonResponse(200, { tokens: list });
      return undefined;
    });
    renderWithProviders(<AdminTokensSection />, { me: admin });
    const table = await screen.findByTestId('admin-token-table');
    expect(within(table).getAllByRole('columnheader')[0]!.textContent).toBe('Propriétaire');
    const owners = within(table).getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')]);
    expect(owners).toEqual([
      ['alice', '/admin/utilisateurs?utilisateur=2'],
      ['bob', '/admin/utilisateurs?utilisateur=3'],
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Révoquer le jeton « Sonarr » de bob' }));
    const dialog = await screen.findByRole('dialog', { name: 'Révoquer le jeton « Sonarr » ?' });
    expect(within(dialog).getByText(/Jeton de bob\./)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Révoquer' }));
    await screen.findByText('Le jeton « Sonarr » a été révoqué.');
    expect(calls(fetch, 'DELETE').map(([url]) => url)).toEqual(['/api/admin/tokens/12']);
    await waitFor(() => expect(within(table).queryByRole('link', { name: 'bob' })).toBeNull());
  });
});

describe('curlExample', () => {
  it('calls the torrent list of this address with the token', () => {
    expect(curlExample('essaim_x', 'https://essaim.exemple.fr')).toBe(
      'curl -H "Authorization: Bearer essaim_x" https://essaim.exemple.fr/api/torrents',
    );
  });
});

describe('Sonarr and Radarr', () => {
  it("reach essaim at this page's host, its port or the protocol's, with SSL when https", () => {
    expect(arrConnection({ hostname: 'essaim.exemple.fr', port: '', protocol: 'https:' })).toEqual({
      host: 'essaim.exemple.fr',
      port: '443',
      ssl: true,
    });
    expect(arrConnection({ hostname: '192.168.1.20', port: '8080', protocol: 'http:' })).toEqual({
      host: '192.168.1.20',
      port: '8080',
      ssl: false,
    });
    expect(arrConnection({ hostname: 'nas.local', port: '', protocol: 'http:' }).port).toBe('80');
  });

  it('says to tick SSL on an https page', () => {
    const { container } = renderWithProviders(
      <ArrSetup username="camille" connection={{ host: 'essaim.exemple.fr', port: '443', ssl: true }} />,
    );
    expect(arrFields(container)).toMatchObject({
      Hôte: 'essaim.exemple.fr',
      Port: '443',
      'Utiliser SSL': 'Coché (cette page est en https)',
      "Nom d'utilisateur": 'camille',
    });
  });
});

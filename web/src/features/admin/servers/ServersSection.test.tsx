import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import type { AdminServer, User } from '../../../api/types';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../../test/utils';
import { SettingsPage } from '../settings/SettingsPage';
import { ServersSection } from './ServersSection';
import { SERVERS_POLL_MS } from './queries';
import {
  EMPTY_SERVER_FORM,
  deleteBlockedReason,
  fieldOfError,
  formToInput,
  serverLinkLabel,
  serverStateLabel,
  validateServerForm,
} from './serversView';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };
const GO = 1024 ** 3;
const MO = 1024 ** 2;

function server(overrides: Partial<AdminServer> & Pick<AdminServer, 'id' | 'name'>): AdminServer {
  return {
    url: `http://127.0.0.1:80${overrides.id}0`,
    username: 'admin',
    password_set: true,
    download_root: '',
    download_base_url: '',
    state: 'active',
    link: 'ok',
    error: null,
    detail: null,
    torrents: 0,
    free_space: 500 * GO,
    dlspeed: 0,
    upspeed: 0,
    version: 'v4.5.2',
    ...overrides,
  };
}

const main = server({ id: 1, name: 'Salon', torrents: 12, dlspeed: 1.5 * MO, upspeed: 200 * 1024 });
const cave = server({
  id: 2,
  name: 'Cave',
  url: 'http://10.0.0.2:8080',
  state: 'draining',
  link: 'down',
  error: 'Le serveur qBittorrent ne répond pas.',
  detail: 'connexion refusée par 10.0.0.2:8080',
  torrents: 3,
  free_space: -1,
  version: null,
});
const spare = server({ id: 3, name: 'Réserve', state: 'disabled', link: 'disabled', torrents: 0 });

type Handler = (url: string, init: RequestInit, body: unknown) => Response | undefined;

function serve(list: AdminServer[] = [main, cave, spare], extra?: Handler) {
  return mockFetch((url, init) => {
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    const answer = extra?.(url, init, body);
    if (answer) return answer;
    if (url === '/api/admin/servers' && (init.method ?? 'GET') === 'GET') return jsonResponse(200, { servers: list });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

const calls = (fetch: ReturnType<typeof serve>, method: string, url: string) =>
  fetch.mock.calls.filter(([u, init]) => (init?.method ?? 'GET') === method && u === url);
const bodyOf = (init: RequestInit | undefined) => JSON.parse(String(init!.body)) as unknown;
const row = (name: string) => screen.getByRole('rowheader', { name: new RegExp(`^${name}`) }).closest('tr')!;

function renderSection() {
  return renderWithProviders(<ServersSection />, { me: admin });
}

describe('serversView', () => {
  it('names states and links in French', () => {
    expect(['active', 'draining', 'disabled'].map(serverStateLabel)).toEqual(['Actif', 'En vidange', 'Désactivé']);
    expect(['ok', 'down', 'unconfigured', 'disabled'].map(serverLinkLabel)).toEqual([
      'Connecté',
      'Injoignable',
      'Non configuré',
      'Désactivé',
    ]);
  });

  it('says why a server cannot be deleted', () => {
    expect(deleteBlockedReason({ id: 1, torrents: 0 })).toMatch(/^Suppression impossible : c'est le serveur des sections/);
    expect(deleteBlockedReason({ id: 2, torrents: 1 })).toBe('Suppression impossible : il héberge encore 1 torrent.');
    expect(deleteBlockedReason({ id: 2, torrents: 3 })).toBe('Suppression impossible : il héberge encore 3 torrents.');
    expect(deleteBlockedReason({ id: 2, torrents: 0 })).toBeNull();
  });

  it('checks the form and builds what is sent (the password only when typed)', () => {
    expect(validateServerForm(EMPTY_SERVER_FORM)).toEqual({
      name: 'Saisissez le nom du serveur.',
      url: "Saisissez l'adresse de l'interface web de qBittorrent.",
    });
    expect(validateServerForm({ ...EMPTY_SERVER_FORM, name: 'x'.repeat(61), url: 'http://a' }).name).toBe(
      'Le nom ne peut pas dépasser 60 caractères.',
    );
    const form = { ...EMPTY_SERVER_FORM, name: ' Cave ', url: ' http://10.0.0.2:8080 ', username: ' admin', state: 'draining' as const };
    expect(formToInput(form)).toEqual({
      name: 'Cave',
      url: 'http://10.0.0.2:8080',
      username: ' admin',
      download_root: '',
      download_base_url: '',
      state: 'draining',
    });
    expect(formToInput({ ...form, password: 'secret' }).password).toBe('secret');
  });

  it("puts a refusal next to its field, from the server's field or its code", () => {
    expect(fieldOfError('name_taken')).toBe('name');
    expect(fieldOfError('invalid_url')).toBe('url');
    expect(fieldOfError('invalid_state')).toBeUndefined();
    expect(fieldOfError('x', 'download_root')).toBe('download_root');
    expect(fieldOfError('x', 'state')).toBeUndefined();
  });
});

describe('Serveurs qBittorrent (Réglages)', () => {
  it('lists the servers: state, link with its French error and the folded detail, torrents, free space, speeds', async () => {
    serve();
    renderSection();
    await screen.findByTestId('server-table');
    expect(screen.getByText(/Un serveur en vidange garde ses torrents.*n'en reçoit plus de nouveaux.*n'est pas proposé/)).toBeTruthy();
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Nom', 'Adresse', 'État', 'Liaison', 'Torrents', 'Espace libre', 'Vitesses', 'Actions']);

    const salon = within(row('Salon'));
    expect(salon.getByText('qBittorrent v4.5.2')).toBeTruthy();
    expect(salon.getByText('Actif')).toBeTruthy();
    expect(salon.getByText('Connecté')).toBeTruthy();
    expect(row('Salon').textContent).toContain('12');
    expect(row('Salon').textContent).toContain('500 Go');
    expect(row('Salon').textContent).toContain('Réception ↓\u00a01,5 Mo/s');
    expect(row('Salon').textContent).toContain('Envoi ↑\u00a0200 Ko/s');

    const cellar = within(row('Cave'));
    expect(cellar.getByText('En vidange')).toBeTruthy();
    expect(cellar.getByText('Injoignable')).toBeTruthy();
    expect(cellar.getByText('Le serveur qBittorrent ne répond pas.').getAttribute('title')).toBe(
      'connexion refusée par 10.0.0.2:8080',
    );
    expect(cellar.getByText('Détail').tagName).toBe('SUMMARY');
    expect(cellar.getByTestId('server-detail').textContent).toBe('connexion refusée par 10.0.0.2:8080');
    expect(cellar.getByText('inconnu')).toBeTruthy();

    const reserve = within(row('Réserve'));
    expect(reserve.getAllByText('Désactivé')).toHaveLength(2);
  });

  it('keeps Supprimer from server 1 and from a server holding torrents, saying why', async () => {
    const fetch = serve();
    renderSection();
    await screen.findByTestId('server-table');
    for (const [name, reason] of [
      ['Salon', /^Suppression impossible : c'est le serveur des sections « qBittorrent » et « Téléchargements »/],
      ['Cave', /^Suppression impossible : il héberge encore 3 torrents\.$/],
    ] as const) {
      const button = within(row(name)).getByRole('button', { name: `Supprimer le serveur « ${name} »` });
      expect(button.getAttribute('aria-disabled')).toBe('true');
      const description = document.getElementById(button.getAttribute('aria-describedby')!)!;
      expect(description.textContent).toMatch(reason);
      fireEvent.click(button);
      expect(screen.queryByRole('dialog')).toBeNull();
    }
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false);
  });

  it('deletes an empty server after confirming', async () => {
    let list = [main, cave, spare];
    const fetch = serve(undefined, (url, init) => {
      if (url === '/api/admin/servers' && (init.method ?? 'GET') === 'GET') return jsonResponse(200, { servers: list });
      if (url === '/api/admin/servers/3' && init.method === 'DELETE') {
        list = [main, cave];
        return new Response(null, { status: 204 });
      }
      return undefined;
    });
    renderSection();
    await screen.findByTestId('server-table');
    const button = within(row('Réserve')).getByRole('button', { name: 'Supprimer le serveur « Réserve »' });
    expect(button.getAttribute('aria-disabled')).toBeNull();
    fireEvent.click(button);
    const dialog = screen.getByRole('dialog', { name: 'Supprimer le serveur « Réserve » ?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Supprimer le serveur' }));
    expect(await screen.findByText('Le serveur « Réserve » a été supprimé.')).toBeTruthy();
    expect(calls(fetch, 'DELETE', '/api/admin/servers/3')).toHaveLength(1);
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: /^Réserve/ })).toBeNull());
  });

  it("adds a server: checks the form, sends no empty password, shows the server's refusal by its field", async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    let taken = true;
    const fetch = serve(undefined, (url, init, body) => {
      if (url !== '/api/admin/servers' || init.method !== 'POST') return undefined;
      if (taken) {
        taken = false;
        return errorResponse(409, 'name_taken', 'Un autre serveur porte déjà ce nom.');
      }
      return jsonResponse(201, { server: server({ id: 4, ...(body as { name: string }) }) });
    });
    renderSection();
    await screen.findByTestId('server-table');
    fireEvent.click(screen.getByRole('button', { name: 'Ajouter un serveur' }));
    const d = within(screen.getByRole('dialog', { name: 'Ajouter un serveur' }));
    const password = d.getByLabelText('Mot de passe') as HTMLInputElement;
    expect(password.type).toBe('password');
    expect(password.value).toBe('');
    expect((d.getByLabelText('État') as HTMLSelectElement).value).toBe('active');
    expect([...(d.getByLabelText('État') as HTMLSelectElement).options].map((o) => o.textContent)).toEqual([
      'Actif',
      'En vidange',
      'Désactivé',
    ]);

    fireEvent.click(d.getByRole('button', { name: 'Ajouter le serveur' }));
    expect(d.getByText('Saisissez le nom du serveur.')).toBeTruthy();
    expect(document.activeElement).toBe(d.getByLabelText('Nom'));
    expect(calls(fetch, 'POST', '/api/admin/servers')).toHaveLength(0);

    fireEvent.change(d.getByLabelText('Nom'), { target: { value: ' Grenier ' } });
    fireEvent.change(d.getByLabelText("Adresse de l'interface web"), { target: { value: 'http://10.0.0.3:8080' } });
    fireEvent.change(d.getByLabelText("Nom d'utilisateur"), { target: { value: 'admin' } });
    fireEvent.change(d.getByLabelText('Dossier racine des téléchargements'), { target: { value: '/srv/dl ' } });
    fireEvent.change(d.getByLabelText('État'), { target: { value: 'draining' } });
    fireEvent.click(d.getByRole('button', { name: 'Ajouter le serveur' }));
    expect(await d.findByText('Un autre serveur porte déjà ce nom.')).toBeTruthy();
    expect(d.getByLabelText('Nom').getAttribute('aria-invalid')).toBe('true');

    fireEvent.click(d.getByRole('button', { name: 'Ajouter le serveur' }));
    expect(await screen.findByText('Le serveur « Grenier » a été ajouté.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    const [, init] = calls(fetch, 'POST', '/api/admin/servers')[1]!;
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    expect(bodyOf(init)).toEqual({
      name: 'Grenier',
      url: 'http://10.0.0.3:8080',
      username: 'admin',
      download_root: '/srv/dl',
      download_base_url: '',
      state: 'draining',
    });
  });

  it('edits a server in the same form, prefilled; the password stays unless typed', async () => {
    const fetch = serve(undefined, (url, init, body) =>
      url === '/api/admin/servers/1' && init.method === 'PATCH'
        ? jsonResponse(200, { server: { ...main, ...(body as object) } })
        : undefined,
    );
    renderSection();
    await screen.findByTestId('server-table');
    fireEvent.click(within(row('Salon')).getByRole('button', { name: 'Modifier le serveur « Salon »' }));
    const d = within(screen.getByRole('dialog', { name: 'Modifier le serveur « Salon »' }));
    expect(d.getByText(/celui des sections « qBittorrent » et « Téléchargements » : le modifier ici les modifie aussi/)).toBeTruthy();
    expect((d.getByLabelText('Nom') as HTMLInputElement).value).toBe('Salon');
    expect((d.getByLabelText("Adresse de l'interface web") as HTMLInputElement).value).toBe('http://127.0.0.1:8010');
    const password = d.getByLabelText('Mot de passe') as HTMLInputElement;
    expect(password.value).toBe('');
    expect(password.placeholder).toBe('••••• (inchangé)');
    expect(password.getAttribute('aria-describedby')).toBeTruthy();
    expect(d.getByText('Laissez vide pour conserver la valeur enregistrée.')).toBeTruthy();

    fireEvent.change(d.getByLabelText('Adresse de base des liens'), { target: { value: 'https://salon.example/dl/' } });
    fireEvent.click(d.getByRole('button', { name: 'Enregistrer' }));
    expect(await screen.findByText('Le serveur « Salon » a été enregistré.')).toBeTruthy();
    expect(bodyOf(calls(fetch, 'PATCH', '/api/admin/servers/1')[0]![1])).toEqual({
      name: 'Salon',
      url: 'http://127.0.0.1:8010',
      username: 'admin',
      download_root: '',
      download_base_url: 'https://salon.example/dl/',
      state: 'active',
    });
  });

  it('tests a server with its saved values and says how it went, in French', async () => {
    let ok = true;
    const fetch = serve(undefined, (url, init) => {
      if (url !== '/api/admin/servers/test' || init.method !== 'POST') return undefined;
      return ok
        ? jsonResponse(200, { ok: true, version: 'v4.6.0', free_space: 2 * GO })
        : jsonResponse(200, { ok: false, code: 'qbittorrent_auth_failed', message: 'qBittorrent a refusé le nom ou le mot de passe.' });
    });
    renderSection();
    await screen.findByTestId('server-table');
    fireEvent.click(within(row('Cave')).getByRole('button', { name: 'Tester le serveur « Cave »' }));
    const dialog = screen.getByRole('dialog', { name: 'Test du serveur « Cave »' });
    expect((await within(dialog).findByRole('status')).textContent).toBe('Connexion réussie : qBittorrent v4.6.0.Espace libre : 2 Go');
    expect(bodyOf(calls(fetch, 'POST', '/api/admin/servers/test')[0]![1])).toEqual({
      url: 'http://10.0.0.2:8080',
      username: 'admin',
      id: 2,
    });

    ok = false;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Tester à nouveau' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('qBittorrent a refusé le nom ou le mot de passe.');
    expect(calls(fetch, 'POST', '/api/admin/servers/test')).toHaveLength(2);
  });

  it('tests the values typed in the form, the stored password when none is typed', async () => {
    const fetch = serve(undefined, (url, init) =>
      url === '/api/admin/servers/test' && init.method === 'POST'
        ? jsonResponse(200, { ok: true, version: 'v4.5.2', free_space: null })
        : undefined,
    );
    renderSection();
    await screen.findByTestId('server-table');
    fireEvent.click(within(row('Cave')).getByRole('button', { name: 'Modifier le serveur « Cave »' }));
    const d = within(screen.getByRole('dialog'));
    fireEvent.change(d.getByLabelText("Adresse de l'interface web"), { target: { value: ' http://10.0.0.9:8080 ' } });
    fireEvent.click(d.getByRole('button', { name: 'Tester la connexion' }));
    expect(await d.findByText('Connexion réussie : qBittorrent v4.5.2.')).toBeTruthy();
    expect(bodyOf(calls(fetch, 'POST', '/api/admin/servers/test')[0]![1])).toEqual({
      url: 'http://10.0.0.9:8080',
      username: 'admin',
      id: 2,
    });
  });

  it('asks for the list again every 5 seconds while shown', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fetch = serve();
    const view = renderSection();
    await screen.findByTestId('server-table');
    const gets = () => calls(fetch, 'GET', '/api/admin/servers').length;
    expect(gets()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(SERVERS_POLL_MS + 100));
    await waitFor(() => expect(gets()).toBe(2));
    view.unmount();
    await act(() => vi.advanceTimersByTimeAsync(3 * SERVERS_POLL_MS));
    expect(gets()).toBe(2);
  });

  it('shows one card per server on phones, with the reason Supprimer is unavailable written out', async () => {
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: false, media: q, addEventListener: () => {}, removeEventListener: () => {} }));
    serve();
    renderSection();
    const cards = await screen.findByTestId('server-table');
    expect(cards.tagName).toBe('UL');
    const items = within(cards).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[1]!.textContent).toContain('Suppression impossible : il héberge encore 3 torrents.');
    expect(within(items[1]!).getByText('Liaison')).toBeTruthy();
  });
});

describe('Réglages with several qBittorrent servers', () => {
  const settings = {
    qbittorrent: { url: 'http://127.0.0.1:8010', username: 'admin', password_set: true, managed: false },
    jackett: { url: '', api_key_set: false, timeout: 30 },
    downloads: { base_url: '', root: '', secret_set: false, ttl: 21600, bind_ip: false, direct: false, nginx_snippet: '' },
    general: { registration_open: false, default_group_id: 2, site_name: 'essaim' },
  };

  function servePage(servers: () => Response) {
    return mockFetch((url) => {
      if (url === '/api/admin/settings') return jsonResponse(200, settings);
      if (url === '/api/admin/servers') return servers();
      if (url === '/api/admin/groups') return jsonResponse(200, { groups: [], permissions: [] });
      if (url === '/api/admin/storage') return errorResponse(404, 'not_found', 'Introuvable.');
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
  }

  function renderPage() {
    return renderWithProviders(
      <Routes>
        <Route path="/admin/reglages" element={<SettingsPage />} />
      </Routes>,
      { route: '/admin/reglages', me: admin },
    );
  }

  it('has a "Serveurs qBittorrent" section right after qBittorrent, in the navigation too', async () => {
    servePage(() => jsonResponse(200, { servers: [main, cave] }));
    renderPage();
    const heading = await screen.findByRole('heading', { name: 'Serveurs qBittorrent', level: 2 });
    expect(heading.id).toBe('reglages-serveurs');
    const nav = screen.getByRole('navigation', { name: 'Sections des réglages' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent).slice(0, 3)).toEqual([
      'qBittorrent',
      'Serveurs qBittorrent',
      'Jackett',
    ]);
    expect(await screen.findByRole('rowheader', { name: /^Cave/ })).toBeTruthy();
  });

  it('leaves it out for a server without several qBittorrent servers (404)', async () => {
    const fetch = servePage(() => errorResponse(404, 'not_found', 'Introuvable.'));
    renderPage();
    await screen.findByRole('heading', { name: 'Jackett', level: 2 });
    await waitFor(() => expect(calls(fetch, 'GET', '/api/admin/servers')).toHaveLength(1));
    expect(screen.queryByRole('heading', { name: 'Serveurs qBittorrent' })).toBeNull();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { SettingsPage } from './SettingsPage';
import type { AdminSettings, OidcSettings } from './api';
import { postLogoutUri, redirectUri } from './OidcSection';
import { joinTtl, splitTtl } from './DownloadsSection';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../../test/utils';
import type { User } from '../../../api/types';

afterEach(() => vi.unstubAllGlobals());

const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin' };
const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };
const SNIPPET = 'location /dl/ {\n  secure_link_md5 "$secure_link_expires$uri <SECRET>";\n}';
const TO = 1024 ** 4;

function settings(overrides: Partial<AdminSettings> = {}): AdminSettings {
  return {
    qbittorrent: { url: 'http://127.0.0.1:8081', username: 'admin', password_set: true, managed: false },
    jackett: { url: 'http://127.0.0.1:9117', api_key_set: true, timeout: 30 },
    downloads: {
      base_url: 'https://seed.example/dl/',
      root: '/srv/qbittorrent',
      secret_set: true,
      ttl: 21600,
      bind_ip: false,
      direct: false,
      nginx_snippet: SNIPPET,
    },
    general: { registration_open: true, default_group_id: 2, site_name: 'essaim', allow_private_targets: false },
    notifications: {
      smtp_host: 'smtp.example.org',
      smtp_port: 587,
      smtp_username: 'essaim',
      smtp_password_set: true,
      smtp_from: 'essaim <essaim@example.org>',
      smtp_starttls: true,
      smtp_verify_tls: true,
      webhook_allow_private: false,
    },
    ...overrides,
  };
}

const groups = {
  groups: [
    { id: 1, name: 'Administrateurs', permissions: [], limits: {}, members: 1 },
    { id: 2, name: 'Utilisateurs', permissions: [], limits: {}, members: 4 },
    { id: 3, name: 'Invités', permissions: [], limits: {}, members: 0 },
  ],
  permissions: [],
};

const storage = {
  root: '/srv/qbittorrent',
  root_from: 'download_root',
  layout: "/srv/qbittorrent/<dossier de l'utilisateur>/<torrent>",
  counts: { user_folder: 3, shared: 0, elsewhere: 0 },
  shared: [],
  move: null,
};

interface Answers {
  get?: () => Response;
  put?: (body: unknown) => Response;
  testQbt?: (body: unknown) => Response;
  testJackett?: (body: unknown) => Response;
  testDownloads?: () => Response;
  testSmtp?: (body: unknown) => Response;
  testOidc?: (body: unknown) => Response;
}

function serve(answers: Answers = {}, current: AdminSettings = settings()) {
  return mockFetch((url, init) => {
    const method = init.method ?? 'GET';
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    if (url === '/api/instance') return jsonResponse(200, instance);
    if (url === '/api/admin/groups') return jsonResponse(200, groups);
    if (url === '/api/admin/settings' && method === 'GET') return answers.get?.() ?? jsonResponse(200, current);
    if (url === '/api/admin/settings' && method === 'PUT') return answers.put?.(body) ?? jsonResponse(200, current);
    if (url === '/api/admin/settings/test/qbittorrent') return answers.testQbt!(body);
    if (url === '/api/admin/settings/test/jackett') return answers.testJackett!(body);
    if (url === '/api/admin/settings/test/downloads') return answers.testDownloads!();
    if (url === '/api/admin/settings/test/smtp') return answers.testSmtp!(body);
    if (url === '/api/admin/settings/test/oidc') return answers.testOidc!(body);
    if (url === '/api/admin/storage') return jsonResponse(200, storage);
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

function renderPage(me: User = admin) {
  return renderWithProviders(
    <Routes>
      <Route path="/admin/reglages" element={<SettingsPage />} />
    </Routes>,
    { route: '/admin/reglages', me },
  );
}

const section = (name: string) => screen.getByRole('form', { name });
const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const fill = (label: string, value: string) => fireEvent.change(input(label), { target: { value } });
const save = (name: string) => fireEvent.click(within(section(name)).getByRole('button', { name: 'Enregistrer' }));

/** Bodies sent with PUT /api/admin/settings. */
function puts(fetch: ReturnType<typeof serve>) {
  return fetch.mock.calls
    .filter(([url, init]) => url === '/api/admin/settings' && init?.method === 'PUT')
    .map(([, init]) => JSON.parse(String(init!.body)));
}

function errorOf(label: string): string | null {
  const el = input(label);
  if (el.getAttribute('aria-invalid') !== 'true') return null;
  const ids = (el.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)).find((n) => n?.id.endsWith('-error'))?.textContent ?? null;
}

describe('Réglages', () => {
  it('is reserved to administrators', async () => {
    const fetch = serve();
    renderPage(alice);
    expect(screen.getByRole('heading', { name: 'Réglages', level: 1 })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Réservé aux administrateurs.');
    expect(screen.queryByLabelText("Adresse de l'interface web")).toBeNull();
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(fetch.mock.calls.some(([url]) => String(url).startsWith('/api/admin/'))).toBe(false);
  });

  it('fills the five sections and never puts a secret in an input', async () => {
    serve();
    renderPage();
    expect(await screen.findByRole('heading', { name: 'qBittorrent' })).toBeTruthy();
    expect(document.title).toBe('Réglages · essaim');
    for (const name of ['qBittorrent', 'Jackett', 'Téléchargements', 'Général', 'E-mails et webhooks']) {
      expect(section(name)).toBeTruthy();
    }

    expect(input("Adresse de l'interface web").value).toBe('http://127.0.0.1:8081');
    expect(input("Nom d'utilisateur").value).toBe('admin');
    expect(input('Adresse de Jackett').value).toBe('http://127.0.0.1:9117');
    expect(input('Délai de réponse (secondes)').value).toBe('30');
    expect(input('Adresse de base des liens').value).toBe('https://seed.example/dl/');
    expect(input('Dossier racine').value).toBe('/srv/qbittorrent');
    expect(input('Heures').value).toBe('6');
    expect(input('Minutes').value).toBe('0');
    expect(input("Lier le lien à l'adresse IP du client").checked).toBe(false);
    expect(input('Service direct par essaim').checked).toBe(false);
    expect(input('Inscriptions ouvertes').checked).toBe(true);
    expect(input('Nom du site').value).toBe('essaim');

    for (const label of ['Mot de passe', "Clé d'API", 'Secret de signature', 'Mot de passe SMTP']) {
      const secret = input(label);
      expect(secret.type).toBe('password');
      expect(secret.value).toBe('');
      expect(secret.placeholder).toBe('••••• (inchangé)');
      expect(secret.autocomplete).toBe('new-password');
    }
    expect(screen.queryByText('qBittorrent géré par essaim', { exact: false })).toBeNull();

    const group = (await screen.findByLabelText('Groupe par défaut')) as HTMLSelectElement;
    await waitFor(() => expect(group.options.length).toBe(3));
    expect(group.value).toBe('2');
    expect([...group.options].map((o) => o.textContent)).toEqual(['Administrateurs', 'Utilisateurs', 'Invités']);
  });

  it('links to each section from a navigation of its own; a link focuses the section heading', async () => {
    serve();
    renderPage();
    const nav = await screen.findByRole('navigation', { name: 'Sections des réglages' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((a) => a.textContent)).toEqual([
      'qBittorrent',
      'Jackett',
      'Téléchargements',
      'Stockage',
      'Général',
      'E-mails et webhooks',
    ]);
    // Every link names a heading of the page, inside its section.
    for (const a of links) {
      const heading = document.getElementById(a.getAttribute('href')!.slice(1));
      expect(heading?.tagName).toBe('H2');
      expect(heading?.textContent).toBe(a.textContent);
      expect(heading?.closest('section')?.className).toContain('scroll-mt-20');
    }
    fireEvent.click(within(nav).getByRole('link', { name: 'Général' }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Général', level: 2 }));
    expect(window.location.hash).toBe('#reglages-general');
  });

  it('leaves E-mails et webhooks out of the navigation when the server has no such section', async () => {
    serve({}, settings({ notifications: undefined }));
    renderPage();
    const nav = await screen.findByRole('navigation', { name: 'Sections des réglages' });
    expect(within(nav).getAllByRole('link')).toHaveLength(5);
    expect(within(nav).queryByRole('link', { name: 'E-mails et webhooks' })).toBeNull();
  });

  it('says when qBittorrent is managed by essaim and when a secret is not set', async () => {
    const base = settings();
    serve({}, { ...base, qbittorrent: { ...base.qbittorrent, managed: true, password_set: false } });
    renderPage();
    expect(await screen.findByText('qBittorrent géré par essaim', { exact: false })).toBeTruthy();
    expect(input('Mot de passe').placeholder).toBe('Non défini');
  });

  it('saves only its own section, and a secret only when one was typed', async () => {
    const fetch = serve();
    renderPage();
    await screen.findByRole('heading', { name: 'qBittorrent' });

    // Something typed in another section must neither be sent nor lost.
    fill('Adresse de Jackett', 'http://jackett:9117');
    fill("Adresse de l'interface web", 'http://qbt:8080');
    save('qBittorrent');
    expect(await within(section('qBittorrent')).findByText('Réglages de qBittorrent enregistrés.')).toBeTruthy();
    expect(puts(fetch)).toEqual([{ qbittorrent: { url: 'http://qbt:8080', username: 'admin' } }]);
    expect(input('Adresse de Jackett').value).toBe('http://jackett:9117');

    fill('Mot de passe', 'nouveau-secret');
    save('qBittorrent');
    await waitFor(() => expect(puts(fetch)).toHaveLength(2));
    expect(puts(fetch)[1]).toEqual({
      qbittorrent: { url: 'http://127.0.0.1:8081', username: 'admin', password: 'nouveau-secret' },
    });
    // The answer refills the form; the typed password is gone.
    await waitFor(() => expect(input('Mot de passe').value).toBe(''));

    save('Jackett');
    await waitFor(() => expect(puts(fetch)).toHaveLength(3));
    expect(puts(fetch)[2]).toEqual({ jackett: { url: 'http://jackett:9117', timeout: 30 } });
  });

  it('sends the link lifetime in seconds, the checkboxes and the new secret', async () => {
    const fetch = serve();
    renderPage();
    await screen.findByRole('heading', { name: 'Téléchargements' });
    fill('Heures', '1');
    fill('Minutes', '30');
    fireEvent.click(input("Lier le lien à l'adresse IP du client"));
    fill('Secret de signature', 'un-secret-de-32-caracteres-ok!!!');
    save('Téléchargements');
    await waitFor(() => expect(puts(fetch)).toHaveLength(1));
    expect(puts(fetch)[0]).toEqual({
      downloads: {
        base_url: 'https://seed.example/dl/',
        root: '/srv/qbittorrent',
        secret: 'un-secret-de-32-caracteres-ok!!!',
        ttl: 5400,
        bind_ip: true,
        direct: false,
      },
    });
  });

  it('checks the secret length and the lifetime before sending', async () => {
    const fetch = serve();
    renderPage();
    await screen.findByRole('heading', { name: 'Téléchargements' });
    fill('Secret de signature', 'court');
    fill('Heures', '0');
    fill('Minutes', '0');
    save('Téléchargements');
    expect(errorOf('Secret de signature')).toBe('Le secret doit contenir au moins 16 caractères.');
    expect(errorOf('Heures')).toMatch(/^Saisissez une durée entre 1 minute et 30 jours/);
    expect(document.activeElement).toBe(input('Secret de signature'));
    expect(puts(fetch)).toHaveLength(0);
  });

  it("shows a 422 error next to the field it names", async () => {
    serve({
      put: () =>
        errorResponse(422, 'invalid_parameter', "L'adresse doit commencer par http:// ou https://.", 'qbittorrent.url'),
    });
    renderPage();
    await screen.findByRole('heading', { name: 'qBittorrent' });
    fill("Adresse de l'interface web", 'ftp://qbt');
    save('qBittorrent');
    await waitFor(() =>
      expect(errorOf("Adresse de l'interface web")).toBe("L'adresse doit commencer par http:// ou https://."),
    );
    expect(document.activeElement).toBe(input("Adresse de l'interface web"));
    expect(within(section('qBittorrent')).queryByText('Réglages de qBittorrent enregistrés.')).toBeNull();
  });

  it('shows a 422 error on the default group and a general error at the top of its section', async () => {
    let calls = 0;
    serve({
      put: () =>
        ++calls === 1
          ? errorResponse(422, 'invalid_parameter', "Ce groupe n'existe pas.", 'general.default_group_id')
          : errorResponse(500, 'internal', 'Le serveur a rencontré une erreur.'),
    });
    renderPage();
    const group = (await screen.findByLabelText('Groupe par défaut')) as HTMLSelectElement;
    await waitFor(() => expect(group.options.length).toBe(3));
    fireEvent.change(group, { target: { value: '3' } });
    save('Général');
    expect(await within(section('Général')).findByText("Ce groupe n'existe pas.")).toBeTruthy();
    expect(group.getAttribute('aria-invalid')).toBe('true');

    save('Général');
    expect((await within(section('Général')).findByRole('alert')).textContent).toBe('Le serveur a rencontré une erreur.');
  });

  it('saves the general section with the chosen group', async () => {
    const fetch = serve();
    renderPage();
    const group = (await screen.findByLabelText('Groupe par défaut')) as HTMLSelectElement;
    await waitFor(() => expect(group.options.length).toBe(3));
    fireEvent.change(group, { target: { value: '3' } });
    fireEvent.click(input('Inscriptions ouvertes'));
    fill('Nom du site', '  La ruche ');
    save('Général');
    await waitFor(() => expect(puts(fetch)).toHaveLength(1));
    expect(puts(fetch)[0]).toEqual({
      general: { registration_open: false, default_group_id: 3, site_name: 'La ruche', allow_private_targets: false },
    });
  });

  it('lets local and private addresses be reached, in the general section', async () => {
    const fetch = serve({ put: () => jsonResponse(200, settings({ general: { ...settings().general, allow_private_targets: true } })) });
    renderPage();
    await screen.findByRole('heading', { name: 'Général' });
    const box = within(section('Général')).getByLabelText('Autoriser les adresses locales et privées') as HTMLInputElement;
    expect(box.checked).toBe(false);
    const hint = document.getElementById(box.getAttribute('aria-describedby')!)!.textContent;
    expect(hint).toBe(
      'Ajout par adresse et webhooks : permet de joindre des adresses du réseau local (tracker privé sur le réseau, Gotify local…). ' +
        'Désactivé par défaut : un utilisateur ne peut pas faire interroger le réseau interne par essaim.',
    );
    // Not in "E-mails et webhooks" any more.
    expect(within(section('E-mails et webhooks')).queryByRole('checkbox', { name: /adresses locales/ })).toBeNull();
    fireEvent.click(box);
    save('Général');
    expect(await within(section('Général')).findByText('Réglages généraux enregistrés.')).toBeTruthy();
    expect(puts(fetch)[0].general.allow_private_targets).toBe(true);
    expect(box.checked).toBe(true);
  });

  it("lets tools sign in with the account's password when the server offers the setting", async () => {
    const fetch = serve(
      { put: () => jsonResponse(200, settings({ general: { ...settings().general, api_password_login: true } })) },
      settings({ general: { ...settings().general, api_password_login: false } }),
    );
    renderPage();
    await screen.findByRole('heading', { name: 'Général' });
    const box = within(section('Général')).getByLabelText('Connexion des outils avec le mot de passe du compte') as HTMLInputElement;
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    save('Général');
    expect(await within(section('Général')).findByText('Réglages généraux enregistrés.')).toBeTruthy();
    expect(puts(fetch)[0].general.api_password_login).toBe(true);
    expect(box.checked).toBe(true);
  });

  it('reads the older webhook_allow_private when the server has no allow_private_targets', async () => {
    const base = settings();
    const { allow_private_targets: _ignored, ...general } = base.general;
    serve({}, { ...base, general, notifications: { ...base.notifications, webhook_allow_private: true } });
    renderPage();
    await screen.findByRole('heading', { name: 'Général' });
    expect((within(section('Général')).getByLabelText('Autoriser les adresses locales et privées') as HTMLInputElement).checked).toBe(true);
  });

  it('has a "Stockage" section', async () => {
    serve();
    renderPage();
    const card = await screen.findByRole('region', { name: 'Stockage' });
    expect(await within(card).findByText('Tous les torrents sont dans le dossier de leur propriétaire.')).toBeTruthy();
    expect(within(card).getByTestId('storage-counts').textContent).toBe(
      '3 torrents dans le dossier de leur propriétaire, aucun dans le dossier commun.',
    );
  });

  it('tests qBittorrent with the unsaved values and shows the version and free space', async () => {
    const testQbt = vi.fn(() =>
      jsonResponse(200, { ok: true, version: 'v4.5.2', api_version: '2.8.19', free_space: 1.5 * TO }),
    );
    serve({ testQbt });
    renderPage();
    await screen.findByRole('heading', { name: 'qBittorrent' });
    fill("Adresse de l'interface web", 'http://qbt:8080');
    fireEvent.click(screen.getByRole('button', { name: 'Tester la connexion' }));
    const ok = await within(section('qBittorrent')).findByText('Connexion réussie : qBittorrent v4.5.2 (API 2.8.19).');
    expect(ok.closest('[role="status"]')).toBeTruthy();
    expect(screen.getByText('Espace libre : 1,5 To')).toBeTruthy();
    // Untouched password: left out, the server uses the stored one.
    expect(testQbt).toHaveBeenCalledWith({ url: 'http://qbt:8080', username: 'admin' });

    fill('Mot de passe', 'essai');
    fireEvent.click(screen.getByRole('button', { name: 'Tester la connexion' }));
    await waitFor(() => expect(testQbt).toHaveBeenCalledTimes(2));
    expect(testQbt).toHaveBeenLastCalledWith({ url: 'http://qbt:8080', username: 'admin', password: 'essai' });
  });

  it('shows why the qBittorrent test failed', async () => {
    serve({
      testQbt: () =>
        jsonResponse(200, { ok: false, code: 'bad_credentials', message: 'qBittorrent a refusé ces identifiants.' }),
    });
    renderPage();
    await screen.findByRole('heading', { name: 'qBittorrent' });
    fireEvent.click(screen.getByRole('button', { name: 'Tester la connexion' }));
    const alert = await within(section('qBittorrent')).findByRole('alert');
    expect(alert.textContent).toBe('qBittorrent a refusé ces identifiants.');
  });

  it('shows a transport failure of a test in French', async () => {
    serve({ testQbt: () => new Response('<html>Bad gateway</html>', { status: 502 }) });
    renderPage();
    await screen.findByRole('heading', { name: 'qBittorrent' });
    fireEvent.click(screen.getByRole('button', { name: 'Tester la connexion' }));
    const alert = await within(section('qBittorrent')).findByRole('alert');
    expect(alert.textContent).toBe('Le serveur a rencontré une erreur. Réessayez dans un instant.');
  });

  it('tests Jackett and lists its indexers, or shows the message', async () => {
    let ok = true;
    const testJackett = vi.fn(() =>
      ok
        ? jsonResponse(200, { ok: true, indexers: [{ id: 'yggtorrent', name: 'YGGtorrent' }, { id: 'cpasbien', name: 'Cpasbien' }] })
        : jsonResponse(200, { ok: false, code: 'bad_credentials', message: "Jackett a refusé la clé d'API." }),
    );
    serve({ testJackett });
    renderPage();
    await screen.findByRole('heading', { name: 'Jackett' });
    fill('Délai de réponse (secondes)', '45');
    fireEvent.click(within(section('Jackett')).getByRole('button', { name: 'Tester' }));
    expect(await screen.findByText('Connexion réussie : 2 indexeurs configurés.')).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Indexeurs configurés' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['YGGtorrent', 'Cpasbien']);
    expect(testJackett).toHaveBeenCalledWith({ url: 'http://127.0.0.1:9117', timeout: 45 });

    ok = false;
    fireEvent.click(within(section('Jackett')).getByRole('button', { name: 'Tester' }));
    expect((await within(section('Jackett')).findByRole('alert')).textContent).toBe("Jackett a refusé la clé d'API.");
    expect(screen.queryByText('Connexion réussie : 2 indexeurs configurés.')).toBeNull();
  });

  it('refuses a Jackett timeout out of range', async () => {
    const fetch = serve();
    renderPage();
    await screen.findByRole('heading', { name: 'Jackett' });
    fill('Délai de réponse (secondes)', '301');
    save('Jackett');
    expect(errorOf('Délai de réponse (secondes)')).toBe('Saisissez un nombre entier de secondes entre 1 et 300.');
    expect(puts(fetch)).toHaveLength(0);
  });

  it('shows the nginx snippet with a copy button and tests a link', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    let ok = true;
    serve({
      testDownloads: () =>
        ok
          ? jsonResponse(200, { ok: true, url: 'https://seed.example/dl/x?md5=y', status: 206, file: 'Dossier/a.mkv' })
          : jsonResponse(200, { ok: false, code: 'refused', message: 'nginx a refusé le lien signé.', status: 403 }),
    });
    renderPage();
    await screen.findByRole('heading', { name: 'Téléchargements' });

    const pre = screen.getByRole('region', { name: 'Configuration nginx' });
    expect(pre.tagName).toBe('PRE');
    expect(pre.textContent).toBe(SNIPPET);
    expect(screen.getByText('essaim nginx-snippet').tagName).toBe('CODE');
    fireEvent.click(screen.getByRole('button', { name: 'Copier la configuration nginx' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(SNIPPET));
    expect(await screen.findByText('Copié !')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Tester un lien' }));
    expect(await screen.findByText('Le lien fonctionne : réponse HTTP 206 pour « Dossier/a.mkv ».')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Ouvrir le lien testé' }).getAttribute('href')).toBe(
      'https://seed.example/dl/x?md5=y',
    );

    ok = false;
    fireEvent.click(screen.getByRole('button', { name: 'Tester un lien' }));
    const alert = await within(section('Téléchargements')).findByRole('alert');
    expect(alert.textContent).toBe('nginx a refusé le lien signé.Réponse HTTP : 403');
  });

  it('fills the e-mails and webhooks section, never with the SMTP password', async () => {
    serve();
    renderPage();
    await screen.findByRole('heading', { name: 'E-mails et webhooks' });
    const s = within(section('E-mails et webhooks'));
    expect((s.getByLabelText('Serveur SMTP') as HTMLInputElement).value).toBe('smtp.example.org');
    expect((s.getByLabelText('Port') as HTMLInputElement).value).toBe('587');
    expect((s.getByLabelText('Utilisateur SMTP') as HTMLInputElement).value).toBe('essaim');
    expect((s.getByLabelText('Expéditeur') as HTMLInputElement).value).toBe('essaim <essaim@example.org>');
    expect((s.getByLabelText('STARTTLS') as HTMLInputElement).checked).toBe(true);
    expect((s.getByLabelText('Vérifier le certificat TLS') as HTMLInputElement).checked).toBe(true);

    const password = input('Mot de passe SMTP');
    expect(password.type).toBe('password');
    expect(password.value).toBe('');
    expect(password.placeholder).toBe('••••• (inchangé)');
    expect(password.autocomplete).toBe('new-password');
  });

  it('warns when the TLS certificate is not checked', async () => {
    serve();
    renderPage();
    await screen.findByRole('heading', { name: 'E-mails et webhooks' });
    const s = within(section('E-mails et webhooks'));
    expect(s.queryByText(/ne sera pas vérifié/)).toBeNull();
    fireEvent.click(input('Vérifier le certificat TLS'));
    const warning = s.getByText(/Le certificat du serveur SMTP ne sera pas vérifié/);
    expect(warning.closest('[role="status"]')).toBeTruthy();
  });

  it('saves only the e-mails and webhooks section, and the SMTP password only when typed', async () => {
    const fetch = serve();
    renderPage();
    await screen.findByRole('heading', { name: 'E-mails et webhooks' });
    fill('Adresse de Jackett', 'http://jackett:9117');
    fill('Serveur SMTP', ' mail.example.org ');
    fill('Port', '465');
    fireEvent.click(input('STARTTLS'));
    save('E-mails et webhooks');
    expect(
      await within(section('E-mails et webhooks')).findByText('Réglages des e-mails et webhooks enregistrés.'),
    ).toBeTruthy();
    expect(puts(fetch)).toEqual([
      {
        notifications: {
          smtp_host: 'mail.example.org',
          smtp_port: 465,
          smtp_username: 'essaim',
          smtp_from: 'essaim <essaim@example.org>',
          smtp_starttls: false,
          smtp_verify_tls: true,
        },
      },
    ]);
    expect(input('Adresse de Jackett').value).toBe('http://jackett:9117');

    fill('Mot de passe SMTP', 'mot-de-passe-smtp');
    save('E-mails et webhooks');
    await waitFor(() => expect(puts(fetch)).toHaveLength(2));
    expect(puts(fetch)[1].notifications.smtp_password).toBe('mot-de-passe-smtp');
    expect(Object.keys(puts(fetch)[1])).toEqual(['notifications']);
    await waitFor(() => expect(input('Mot de passe SMTP').value).toBe(''));
  });

  it('checks the port before sending and shows 422 errors at their field', async () => {
    const fetch = serve({
      put: () => errorResponse(422, 'invalid_parameter', "Cette adresse d'expéditeur n'est pas valide.", 'notifications.smtp_from'),
    });
    renderPage();
    await screen.findByRole('heading', { name: 'E-mails et webhooks' });
    fill('Port', '70000');
    save('E-mails et webhooks');
    expect(errorOf('Port')).toBe('Saisissez un numéro de port entre 1 et 65535.');
    expect(document.activeElement).toBe(input('Port'));
    expect(puts(fetch)).toHaveLength(0);

    fill('Port', '25');
    fill('Expéditeur', 'pas une adresse');
    save('E-mails et webhooks');
    await waitFor(() => expect(errorOf('Expéditeur')).toBe("Cette adresse d'expéditeur n'est pas valide."));
    expect(errorOf('Port')).toBeNull();
    expect(document.activeElement).toBe(input('Expéditeur'));
  });

  it('sends a test e-mail and shows the success or the French message', async () => {
    let ok = true;
    const testSmtp = vi.fn((body: unknown) =>
      ok
        ? jsonResponse(200, { ok: true, to: (body as { to?: string }).to ?? 'root@example.org' })
        : jsonResponse(200, { ok: false, code: 'smtp_failed', message: 'Le serveur SMTP a refusé les identifiants.' }),
    );
    const fetch = serve({ testSmtp });
    renderPage({ ...admin, email: 'root@example.org' });
    await screen.findByRole('heading', { name: 'E-mails et webhooks' });
    const to = screen.getByLabelText(/^Adresse du destinataire/) as HTMLInputElement;
    expect(document.getElementById(to.getAttribute('aria-describedby')!)!.textContent).toBe(
      'Laissez vide pour l\'envoyer à votre adresse (root@example.org).',
    );
    const send = screen.getByRole('button', { name: 'Envoyer un e-mail de test' });

    fireEvent.click(send);
    const success = await screen.findByText(/^E-mail de test envoyé à root@example\.org\./);
    expect(success.closest('[role="status"]')).toBeTruthy();
    expect(testSmtp).toHaveBeenLastCalledWith({});

    fireEvent.change(to, { target: { value: ' bob@example.org ' } });
    fireEvent.click(send);
    expect(await screen.findByText(/^E-mail de test envoyé à bob@example\.org\./)).toBeTruthy();
    expect(testSmtp).toHaveBeenLastCalledWith({ to: 'bob@example.org' });

    ok = false;
    fireEvent.click(send);
    const test = screen.getByRole('form', { name: 'E-mail de test' });
    expect((await within(test).findByRole('alert')).textContent).toBe('Le serveur SMTP a refusé les identifiants.');
    expect(within(test).queryByText(/E-mail de test envoyé/)).toBeNull();
    // Testing never saves.
    expect(puts(fetch)).toHaveLength(0);
  });

  it('puts email_required next to the test address, and checks it before sending', async () => {
    const testSmtp = vi.fn(() =>
      errorResponse(422, 'email_required', 'Saisissez une adresse : votre compte n\'en a pas.', 'to'),
    );
    serve({ testSmtp });
    renderPage();
    await screen.findByRole('heading', { name: 'E-mails et webhooks' });
    const to = () => screen.getByLabelText(/^Adresse du destinataire/) as HTMLInputElement;
    const err = () => {
      const ids = (to().getAttribute('aria-describedby') ?? '').split(' ');
      return ids.map((id) => document.getElementById(id)).find((n) => n?.id.endsWith('-error'))?.textContent ?? null;
    };
    fireEvent.click(screen.getByRole('button', { name: 'Envoyer un e-mail de test' }));
    await waitFor(() => expect(err()).toBe("Saisissez une adresse : votre compte n'en a pas."));
    expect(document.activeElement).toBe(to());

    fireEvent.change(to(), { target: { value: 'pas-une-adresse' } });
    fireEvent.click(screen.getByRole('button', { name: 'Envoyer un e-mail de test' }));
    expect(err()).toBe('Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.');
    expect(testSmtp).toHaveBeenCalledTimes(1);
  });

  it('offers to retry when the settings cannot be loaded', async () => {
    serve({ get: () => errorResponse(500, 'internal', 'Base de données indisponible.') });
    renderPage();
    expect((await screen.findByRole('alert')).textContent).toBe('Base de données indisponible.');
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeTruthy();
  });
});

describe('Réglages: single sign-on', () => {
  const OIDC: OidcSettings = {
    issuer: 'https://auth.example.org',
    client_id: 'essaim',
    client_secret_set: true,
    scopes: 'openid profile email',
    group_claim: 'groups',
    group_map: 'famille = Utilisateurs',
    auto_create: false,
    display_name: 'Authentik',
    local_login: true,
    break_glass_admin: 'root',
  };
  const withSso = (oidc: Partial<OidcSettings> = {}) =>
    settings({ oidc: { ...OIDC, ...oidc }, proxy_auth: { header: '', trusted_proxies: '' } });
  const SSO = 'Authentification unique (OpenID Connect)';
  const PROXY = "Proxy d'authentification";

  it('has its sections in the navigation, filled, the client secret never shown', async () => {
    serve({}, withSso());
    renderPage();
    const nav = await screen.findByRole('navigation', { name: 'Sections des réglages' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'qBittorrent',
      'Jackett',
      'Téléchargements',
      'Stockage',
      'Général',
      SSO,
      PROXY,
      'E-mails et webhooks',
    ]);
    expect(within(nav).getByRole('link', { name: SSO }).getAttribute('href')).toBe('#reglages-authentification-unique');

    const s = within(section(SSO));
    const value = (label: string) => (s.getByLabelText(label) as HTMLInputElement).value;
    expect(value("Adresse de l'émetteur")).toBe('https://auth.example.org');
    expect(value('Identifiant du client')).toBe('essaim');
    expect(value('Portées (scopes)')).toBe('openid profile email');
    expect(value('Revendication des groupes')).toBe('groups');
    expect(value('Nom affiché sur la page de connexion')).toBe('Authentik');
    expect(value('Administrateur de secours (nom d\'utilisateur)')).toBe('root');
    const map = s.getByLabelText('Correspondance des groupes') as HTMLTextAreaElement;
    expect(map.tagName).toBe('TEXTAREA');
    expect(map.value).toBe('famille = Utilisateurs');
    expect(document.getElementById(map.getAttribute('aria-describedby')!)!.textContent).toBe(
      'Une ligne par groupe : groupe-du-fournisseur = Groupe essaim',
    );
    expect((s.getByLabelText('Créer le compte à la première connexion') as HTMLInputElement).checked).toBe(false);
    const local = s.getByLabelText('Connexion par mot de passe') as HTMLInputElement;
    expect(local.checked).toBe(true);
    expect(document.getElementById(local.getAttribute('aria-describedby')!)!.textContent).toBe(
      "Décochée, seul l'administrateur de secours peut encore se connecter avec un mot de passe.",
    );

    const secret = s.getByLabelText('Secret du client') as HTMLInputElement;
    expect(secret.type).toBe('password');
    expect(secret.value).toBe('');
    expect(secret.placeholder).toBe('••••• (inchangé)');
    expect(secret.autocomplete).toBe('new-password');

    expect(within(section(PROXY)).getByText(/^Actif dès que l.en-tête/)).toBeTruthy();
  });

  it('leaves them out for a server without single sign-on', async () => {
    serve();
    renderPage();
    const nav = await screen.findByRole('navigation', { name: 'Sections des réglages' });
    expect(within(nav).queryByRole('link', { name: SSO })).toBeNull();
    expect(within(nav).queryByRole('link', { name: PROXY })).toBeNull();
  });

  it('says when no client secret is set', async () => {
    serve({}, withSso({ client_secret_set: false }));
    renderPage();
    await screen.findByRole('heading', { name: SSO });
    expect(input('Secret du client').placeholder).toBe('Non défini');
  });

  it('saves its own section, the secret only when typed, and refreshes the sign-in page', async () => {
    const fetch = serve({ put: (body) => jsonResponse(200, withSso({ ...(body as { oidc: Partial<OidcSettings> }).oidc, client_secret_set: true })) }, withSso());
    const { client } = renderPage();
    await screen.findByRole('heading', { name: SSO });
    const invalidate = vi.spyOn(client, 'invalidateQueries');
    const s = within(section(SSO));
    fireEvent.change(s.getByLabelText("Adresse de l'émetteur"), { target: { value: ' https://id.example.org ' } });
    fireEvent.change(s.getByLabelText('Correspondance des groupes'), {
      target: { value: 'admins = Administrateurs\nfamille = Utilisateurs\n\n' },
    });
    fireEvent.click(s.getByLabelText('Créer le compte à la première connexion'));
    fireEvent.click(s.getByLabelText('Connexion par mot de passe'));
    save(SSO);
    expect(await s.findByText("Réglages de l'authentification unique enregistrés.")).toBeTruthy();
    expect(puts(fetch)).toEqual([
      {
        oidc: {
          issuer: 'https://id.example.org',
          client_id: 'essaim',
          scopes: 'openid profile email',
          group_claim: 'groups',
          group_map: 'admins = Administrateurs\nfamille = Utilisateurs',
          auto_create: true,
          display_name: 'Authentik',
          local_login: false,
          break_glass_admin: 'root',
        },
      },
    ]);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['instance'] });

    fireEvent.change(s.getByLabelText('Secret du client'), { target: { value: 'un-secret' } });
    save(SSO);
    await waitFor(() => expect(puts(fetch)).toHaveLength(2));
    expect(puts(fetch)[1].oidc.client_secret).toBe('un-secret');
    expect(Object.keys(puts(fetch)[1])).toEqual(['oidc']);
    await waitFor(() => expect(input('Secret du client').value).toBe(''));
  });

  it('warns when passwords are off without a break-glass administrator', async () => {
    serve({}, withSso({ break_glass_admin: '' }));
    renderPage();
    await screen.findByRole('heading', { name: SSO });
    const s = within(section(SSO));
    expect(s.queryByText(/Aucun administrateur de secours/)).toBeNull();
    fireEvent.click(s.getByLabelText('Connexion par mot de passe'));
    expect(s.getByText(/Aucun administrateur de secours/).closest('[role="status"]')).toBeTruthy();
    fireEvent.change(s.getByLabelText("Administrateur de secours (nom d'utilisateur)"), { target: { value: 'root' } });
    expect(s.queryByText(/Aucun administrateur de secours/)).toBeNull();
  });

  it('shows a 422 error next to the field it names', async () => {
    serve(
      { put: () => errorResponse(422, 'invalid_url', "L'adresse de l'émetteur doit commencer par https://.", 'oidc.issuer') },
      withSso(),
    );
    renderPage();
    await screen.findByRole('heading', { name: SSO });
    fill("Adresse de l'émetteur", 'http://auth.example.org');
    save(SSO);
    await waitFor(() => expect(errorOf("Adresse de l'émetteur")).toBe("L'adresse de l'émetteur doit commencer par https://."));
    expect(document.activeElement).toBe(input("Adresse de l'émetteur"));
  });

  it('tests the provider with the typed issuer and client, and shows the redirect URI to register', async () => {
    let ok = true;
    const testOidc = vi.fn(() =>
      ok
        ? jsonResponse(200, { ok: true, keys: 2, end_session: true, redirect_uri: 'https://seed.example/api/auth/oidc/callback' })
        : jsonResponse(200, { ok: false, code: 'discovery_failed', message: "Le document de découverte du fournisseur est introuvable." }),
    );
    const fetch = serve({ testOidc }, withSso());
    renderPage();
    await screen.findByRole('heading', { name: SSO });
    const s = within(section(SSO));
    // Before any test: this page's own address.
    expect(s.getByTestId('oidc-redirect-uri').textContent).toBe(`${window.location.origin}/api/auth/oidc/callback`);

    fireEvent.change(s.getByLabelText("Adresse de l'émetteur"), { target: { value: 'https://id.example.org ' } });
    fireEvent.click(s.getByRole('button', { name: 'Tester' }));
    const success = await s.findByText('Le fournisseur répond : 2 clés de signature publiées.');
    expect(success.closest('[role="status"]')).toBeTruthy();
    expect(s.getByText('Il propose une page de déconnexion.')).toBeTruthy();
    expect(testOidc).toHaveBeenCalledWith({ issuer: 'https://id.example.org', client_id: 'essaim' });
    expect(s.getByTestId('oidc-redirect-uri').textContent).toBe('https://seed.example/api/auth/oidc/callback');
    expect(s.getByRole('button', { name: "Copier l'adresse de redirection" })).toBeTruthy();

    ok = false;
    fireEvent.click(s.getByRole('button', { name: 'Tester' }));
    expect((await s.findByRole('alert')).textContent).toBe('Le document de découverte du fournisseur est introuvable.');
    expect(s.queryByText(/Le fournisseur répond/)).toBeNull();
    // Testing never saves.
    expect(puts(fetch)).toHaveLength(0);
  });

  it('keeps the page address when the server does not know its public address', () => {
    const done = (redirect_uri: string) =>
      ({ status: 'done', result: { ok: true, keys: 1, end_session: false, redirect_uri } }) as const;
    expect(redirectUri({ status: 'idle' }, 'https://essaim.lan')).toBe('https://essaim.lan/api/auth/oidc/callback');
    expect(redirectUri(done("<adresse d'essaim>/api/auth/oidc/callback"), 'https://essaim.lan')).toBe(
      'https://essaim.lan/api/auth/oidc/callback',
    );
    expect(redirectUri(done('https://seed.example/api/auth/oidc/callback'), 'https://essaim.lan')).toBe(
      'https://seed.example/api/auth/oidc/callback',
    );
  });

  it("gives the address to come back to after the provider's logout: the sign-in page", () => {
    expect(postLogoutUri('https://seed.example/api/auth/oidc/callback')).toBe('https://seed.example/connexion');
    expect(postLogoutUri('https://seed.example/sous/api/auth/oidc/callback')).toBe('https://seed.example/sous/connexion');
  });

  it('saves the authenticating proxy on its own, errors at their field', async () => {
    let calls = 0;
    const fetch = serve(
      {
        put: () =>
          ++calls === 1
            ? errorResponse(422, 'invalid_cidr', 'Plage CIDR invalide : 10.0.0.0/33.', 'proxy_auth.trusted_proxies')
            : jsonResponse(200, settings({ oidc: OIDC, proxy_auth: { header: 'Remote-User', trusted_proxies: '10.0.0.0/24' } })),
      },
      withSso(),
    );
    renderPage();
    await screen.findByRole('heading', { name: PROXY });
    fill("En-tête portant l'utilisateur", ' Remote-User ');
    fill('Proxys de confiance (CIDR)', '10.0.0.0/33');
    save(PROXY);
    await waitFor(() => expect(errorOf('Proxys de confiance (CIDR)')).toBe('Plage CIDR invalide : 10.0.0.0/33.'));
    expect(puts(fetch)[0]).toEqual({ proxy_auth: { header: 'Remote-User', trusted_proxies: '10.0.0.0/33' } });

    fill('Proxys de confiance (CIDR)', '10.0.0.0/24');
    save(PROXY);
    expect(await within(section(PROXY)).findByText("Réglages du proxy d'authentification enregistrés.")).toBeTruthy();
    expect(puts(fetch)[1]).toEqual({ proxy_auth: { header: 'Remote-User', trusted_proxies: '10.0.0.0/24' } });
  });
});

describe('link lifetime', () => {
  it('shows seconds as hours and minutes and back', () => {
    expect(splitTtl(21600)).toEqual({ hours: '6', minutes: '0' });
    expect(splitTtl(5400)).toEqual({ hours: '1', minutes: '30' });
    expect(joinTtl('1', '30')).toBe(5400);
    expect(joinTtl('', '1')).toBe(60);
    expect(joinTtl('720', '0')).toBe(2_592_000);
    expect(joinTtl('720', '1')).toBeNull();
    expect(joinTtl('0', '0')).toBeNull();
    expect(joinTtl('1', '60')).toBeNull();
    expect(joinTtl('1.5', '0')).toBeNull();
  });
});

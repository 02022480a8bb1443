import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { AuditPage } from './AuditPage';
import type { AuditEntry, AuditPage as AuditAnswer } from './api';
import { actionLabel, actorView, dayEnd, dayStart, detailLine, detailValue, filtersFromParams, targetView } from './auditView';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../../test/utils';
import { formatDate } from '../../../lib/format';
import type { User } from '../../../api/types';

afterEach(() => vi.unstubAllGlobals());

const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin' };
const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };
const ACTIONS = ['settings.update', 'torrent.delete', 'user.login', 'plugin.reload'];

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 1,
    at: 1_795_681_907,
    actor_id: 1,
    actor_name: 'root',
    action: 'user.login',
    target_type: null,
    target_id: null,
    target_name: null,
    details: {},
    ip: '192.0.2.10',
    ...overrides,
  };
}

const HASH = 'abcdef0123456789abcdef0123456789abcdef01';
const entries = [
  entry({
    id: 4,
    action: 'settings.update',
    target_type: 'settings',
    target_id: '',
    details: { keys: ['download_ttl', 'qbt_url'] },
  }),
  entry({
    id: 3,
    action: 'torrent.delete',
    target_type: 'torrent',
    target_id: HASH,
    target_name: 'Dune',
    details: { delete_files: true, owner_id: 2, owner: 'alice' },
  }),
  entry({ id: 2, action: 'user.login', actor_id: 2, actor_name: 'alice', target_type: 'user', target_id: '2', target_name: 'Alice' }),
  entry({ id: 1, action: 'plugin.reload', actor_id: null, actor_name: null, ip: null, details: null }),
];

function answer(extra: Partial<AuditAnswer> = {}): AuditAnswer {
  return { entries, total: 1234, page: 1, per_page: 50, actions: ACTIONS, ...extra };
}

function serve(handler: (params: URLSearchParams) => Response = (p) => jsonResponse(200, answer({ page: Number(p.get('page')) }))) {
  return mockFetch((url) => {
    if (url === '/api/instance') return jsonResponse(200, instance);
    if (url.startsWith('/api/admin/audit?')) return handler(new URLSearchParams(url.split('?')[1]));
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

/** Query strings of every audit call. */
const auditCalls = (fetch: ReturnType<typeof serve>) =>
  fetch.mock.calls
    .map(([url]) => String(url))
    .filter((u) => u.startsWith('/api/admin/audit?'))
    .map((u) => new URLSearchParams(u.split('?')[1]));

function Where() {
  const { search } = useLocation();
  return <span data-testid="where">{search}</span>;
}

function renderPage(route = '/admin/journal', me: User = admin) {
  return renderWithProviders(
    <Routes>
      <Route
        path="/admin/journal"
        element={
          <>
            <AuditPage />
            <Where />
          </>
        }
      />
    </Routes>,
    { route, me },
  );
}

const where = () => screen.getByTestId('where').textContent;
const rows = () => within(screen.getByTestId('audit-table')).getAllByRole('row').slice(1);
const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent);

describe('Journal', () => {
  it('is reserved to administrators', async () => {
    const fetch = serve();
    renderPage('/admin/journal', alice);
    expect(screen.getByRole('alert').textContent).toBe('Réservé aux administrateurs.');
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(auditCalls(fetch)).toHaveLength(0);
  });

  it('lists the entries with French labels, dates and details', async () => {
    const fetch = serve();
    renderPage();
    expect(screen.getByRole('heading', { name: 'Journal', level: 1 })).toBeTruthy();
    await screen.findByTestId('audit-table');
    expect(document.title).toBe('Journal · essaim');
    expect(auditCalls(fetch)[0]!.toString()).toBe('page=1&per_page=50');

    const headers = within(screen.getByTestId('audit-table')).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Date', 'Acteur', 'Action', 'Cible', 'Détails', 'IP']);
    const [settings, deleted, login, unknown] = rows();
    expect(cells(settings!)).toEqual([
      formatDate(1_795_681_907),
      'root',
      'Réglages modifiés',
      'Réglages · Téléchargements, qBittorrent',
      "Réglages :Durée de validité des liens, Adresse de l'interface web",
      '192.0.2.10',
    ]);
    // Names, linked to their pages; never a hash nor "Utilisateur 2" as the text.
    expect(cells(deleted!).slice(2, 5)).toEqual(['Torrent supprimé', 'Dune', 'Fichiers supprimés :ouiPropriétaire :alice']);
    const dune = within(deleted!).getByRole('link', { name: 'Ouvrir le torrent « Dune »' });
    expect(dune.getAttribute('href')).toBe(`/torrents/${HASH}`);
    expect(dune.getAttribute('title')).toBe(HASH);
    expect(cells(login!).slice(1, 4)).toEqual(['alice', 'Connexion', 'Alice']);
    expect(within(login!).getByRole('link', { name: 'Ouvrir le compte « Alice »' }).getAttribute('href')).toBe(
      '/admin/utilisateurs?utilisateur=2',
    );
    expect(within(settings!).getByRole('link', { name: 'Réglages · Téléchargements, qBittorrent' }).getAttribute('href')).toBe(
      '/admin/reglages',
    );
    // Unknown action: a generic French label, the code on hover; no actor, no IP, no details.
    expect(cells(unknown!)).toEqual([formatDate(1_795_681_907), 'Système', 'Autre action (Code de l\'action : plugin.reload)', '—', '—', '—']);
    expect(within(unknown!).getByTitle("Code de l'action : plugin.reload").textContent).toContain('Autre action');
    expect(screen.getByRole('status').textContent).toBe('1\u202f234 entrées');
    expect(screen.queryByRole('button', { name: /supprimer|modifier/i })).toBeNull();
  });

  it('offers the actions of the log by their French names', async () => {
    serve();
    renderPage();
    await screen.findByTestId('audit-table');
    const select = screen.getByLabelText("Type d'action") as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', 'Tous'],
      ['plugin.reload', 'Autre action (plugin.reload)'],
      ['user.login', 'Connexion'],
      ['settings.update', 'Réglages modifiés'],
      ['torrent.delete', 'Torrent supprimé'],
    ]);
  });

  it('puts the filters in the address and sends them, days as Unix seconds ("au" inclusive)', async () => {
    const fetch = serve();
    renderPage();
    await screen.findByTestId('audit-table');
    fireEvent.change(screen.getByLabelText('Acteur'), { target: { value: ' alice ' } });
    fireEvent.change(screen.getByLabelText("Type d'action"), { target: { value: 'user.login' } });
    fireEvent.change(screen.getByLabelText('Du'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('Au'), { target: { value: '2026-11-24' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filtrer' }));

    await waitFor(() => expect(auditCalls(fetch)).toHaveLength(2));
    const from = new Date(2026, 10, 1).getTime() / 1000;
    const to = new Date(2026, 10, 25).getTime() / 1000 - 1;
    expect(auditCalls(fetch)[1]!.toString()).toBe(
      `actor=alice&action=user.login&from=${from}&to=${to}&page=1&per_page=50`,
    );
    expect(where()).toBe('?actor=alice&action=user.login&from=2026-11-01&to=2026-11-24');

    fireEvent.click(screen.getByRole('button', { name: 'Réinitialiser' }));
    await waitFor(() => expect(where()).toBe(''));
    expect((screen.getByLabelText('Acteur') as HTMLInputElement).value).toBe('');
  });

  it('reads its filters and page from the address', async () => {
    const fetch = serve();
    renderPage('/admin/journal?actor=bob&action=torrent.&from=2026-11-01&page=3');
    await screen.findByTestId('audit-table');
    const sent = auditCalls(fetch)[0]!;
    expect(sent.get('actor')).toBe('bob');
    expect(sent.get('action')).toBe('torrent.');
    expect(sent.get('from')).toBe(String(new Date(2026, 10, 1).getTime() / 1000));
    expect(sent.get('to')).toBeNull();
    expect(sent.get('page')).toBe('3');
    expect((screen.getByLabelText('Acteur') as HTMLInputElement).value).toBe('bob');
    expect((screen.getByLabelText('Du') as HTMLInputElement).value).toBe('2026-11-01');
    // A prefix not in the list stays selected.
    expect((screen.getByLabelText("Type d'action") as HTMLSelectElement).value).toBe('torrent.');
  });

  it('refuses an end date before the start date', async () => {
    const fetch = serve();
    renderPage();
    await screen.findByTestId('audit-table');
    fireEvent.change(screen.getByLabelText('Du'), { target: { value: '2026-11-24' } });
    fireEvent.change(screen.getByLabelText('Au'), { target: { value: '2026-11-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filtrer' }));
    expect(screen.getByText('La date de fin doit suivre la date de début.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Au'));
    expect(auditCalls(fetch)).toHaveLength(1);
    expect(where()).toBe('');
  });

  it('pages through the log, keeping the filters', async () => {
    const fetch = serve();
    renderPage('/admin/journal?actor=root');
    await screen.findByTestId('audit-table');
    const pager = screen.getByRole('navigation', { name: 'Pages du journal' });
    expect(within(pager).getByText('Page 1 sur 25')).toBeTruthy();
    const previous = within(pager).getByRole('button', { name: 'Précédent' }) as HTMLButtonElement;
    const next = within(pager).getByRole('button', { name: 'Suivant' }) as HTMLButtonElement;
    expect(previous.disabled).toBe(true);

    fireEvent.click(next);
    expect(await within(pager).findByText('Page 2 sur 25')).toBeTruthy();
    expect(where()).toBe('?actor=root&page=2');
    expect(auditCalls(fetch).at(-1)!.toString()).toBe('actor=root&page=2&per_page=50');
    expect(previous.disabled).toBe(false);

    fireEvent.click(previous);
    await waitFor(() => expect(where()).toBe('?actor=root'));
  });

  it('disables Suivant on the last page', async () => {
    serve(() => jsonResponse(200, answer({ total: 120, page: 3 })));
    renderPage('/admin/journal?page=3');
    const pager = await screen.findByRole('navigation', { name: 'Pages du journal' });
    expect(within(pager).getByText('Page 3 sur 3')).toBeTruthy();
    expect((within(pager).getByRole('button', { name: 'Suivant' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says when nothing matches and shows errors in French', async () => {
    serve(() => jsonResponse(200, answer({ entries: [], total: 0 })));
    const first = renderPage('/admin/journal?actor=personne');
    expect(await screen.findByText('Aucune entrée ne correspond à ces filtres.')).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Pages du journal' })).toBeNull();
    first.unmount();

    serve(() => errorResponse(403, 'forbidden', 'Réservé aux administrateurs.'));
    renderPage();
    expect((await screen.findByRole('alert')).textContent).toBe('Réservé aux administrateurs.');
  });
});

describe('audit helpers', () => {
  it('labels the known actions in French, the others by their kind', () => {
    expect(actionLabel('user.login')).toEqual({ label: 'Connexion', known: true });
    expect(actionLabel('user.login_failed').label).toBe('Connexion refusée');
    expect(actionLabel('settings.test').label).toBe('Test de connexion');
    expect(actionLabel('admin.create').label).toBe('Administrateur créé');
    expect(actionLabel('torrent.limit_stop').label).toBe('Torrent arrêté (limite du groupe)');
    expect(actionLabel('user.unknown')).toEqual({ label: 'Autre action sur un compte', known: false });
    expect(actionLabel('torrent.recheck')).toEqual({ label: 'Autre action sur un torrent', known: false });
    expect(actionLabel('user')).toEqual({ label: 'Autre action', known: false });
  });

  it('reads days in local time, "au" up to its last second', () => {
    expect(dayStart('2026-11-24')).toBe(new Date(2026, 10, 24).getTime() / 1000);
    expect(dayEnd('2026-11-24')).toBe(new Date(2026, 10, 25).getTime() / 1000 - 1);
    expect(dayStart('2026-02-30')).toBeNull();
    expect(dayStart('24/11/2026')).toBeNull();
    expect(filtersFromParams(new URLSearchParams('from=hier&to=2026-11-24'))).toEqual({
      actor: '',
      action: '',
      from: '',
      to: '2026-11-24',
    });
  });

  it('names targets, in French, with the section of Réglages for settings', () => {
    const base = { target_name: null, details: null };
    expect(targetView({ ...base, target_type: 'settings', target_id: 'downloads' })).toEqual({
      text: 'Réglages · Téléchargements',
      to: '/admin/reglages#reglages-telechargements',
    });
    expect(targetView({ ...base, target_type: 'settings', target_id: 'smtp' })?.text).toBe('Réglages · E-mails et webhooks');
    expect(targetView({ ...base, target_type: 'user', target_id: '7', details: { username: 'bob' } })).toEqual({ text: 'bob', gone: true });
    expect(targetView({ ...base, target_type: 'user', target_id: '7' })?.text).toBe('Compte supprimé');
    expect(targetView({ ...base, target_type: 'group', target_id: '3', details: { name: 'Amis' } })).toEqual({ text: 'Amis', gone: true });
    expect(targetView({ ...base, target_type: 'group', target_id: '3', target_name: 'Amis' })?.to).toBe('/admin/groupes');
    expect(targetView({ ...base, target_type: 'torrent', target_id: HASH })).toEqual({ text: 'Torrent retiré', gone: true, title: HASH });
    expect(targetView({ ...base, target_type: 'storage', target_id: '' })?.to).toBe('/admin/reglages#reglages-stockage');
    expect(targetView({ ...base, target_type: null, target_id: null })).toBeNull();
  });

  it('labels the qBittorrent server actions and names their target', () => {
    expect(actionLabel('server.create')).toEqual({ label: 'Serveur qBittorrent ajouté', known: true });
    expect(actionLabel('server.update').label).toBe('Serveur qBittorrent modifié');
    expect(actionLabel('server.delete').label).toBe('Serveur qBittorrent supprimé');
    expect(actionLabel('server.drain')).toEqual({ label: 'Autre action sur un serveur', known: false });
    const base = { target_name: null, details: null };
    expect(targetView({ ...base, target_type: 'server', target_id: 2, target_name: 'Cave' })).toEqual({
      text: 'Cave',
      to: '/admin/reglages#reglages-serveurs',
      linkLabel: 'Voir les serveurs (« Cave »)',
    });
    expect(targetView({ ...base, target_type: 'server', target_id: 2, details: { name: 'Cave' } })).toEqual({
      text: 'Cave',
      gone: true,
      title: '2',
    });
    expect(targetView({ ...base, target_type: 'server', target_id: 2 })?.text).toBe('Serveur supprimé');
    expect(detailLine('state', 'draining')).toEqual({ label: 'État', value: 'en vidange' });
    expect(detailLine('changed', ['url', 'state'])?.value).toBe('adresse, état');
  });

  it('names actors: users, the command line, essaim, a failed sign-in', () => {
    expect(actorView({ actor_id: 3, actor_name: 'bob', action: 'user.login' })).toMatchObject({ text: 'bob', to: '/admin/utilisateurs?utilisateur=3' });
    expect(actorView({ actor_id: null, actor_name: 'cli', action: 'user.create' }).text).toBe('Ligne de commande');
    expect(actorView({ actor_id: null, actor_name: 'essaim', action: 'torrent.limit_stop' }).text).toBe('essaim (automatique)');
    expect(actorView({ actor_id: null, actor_name: 'mallory', action: 'user.login_failed' }).text).toBe('mallory (non connecté)');
  });

  it('writes details in French', () => {
    expect(detailLine('role', 'admin')).toEqual({ label: 'Rôle', value: 'Administrateur' });
    expect(detailLine('changed', ['display_name', 'group_id'])).toEqual({ label: 'Modifié', value: 'nom affiché, groupe' });
    expect(detailLine('source', 'magnet')).toEqual({ label: 'Source', value: 'lien magnet' });
    expect(detailLine('ok', false)).toEqual({ label: 'Résultat', value: 'échec' });
    expect(detailLine('deleted', ['a', 'b'])?.value).toBe('2 torrents');
    expect(detailLine('limits', {})?.value).toBe('aucune');
    expect(detailLine('hashes', ['a'])).toBeNull();
    expect(detailLine('whatever', 1)).toEqual({ label: 'whatever', value: '1' });
    expect(detailValue(['a', 'b'])).toBe('a, b');
    expect(detailValue(true)).toBe('oui');
    expect(detailValue({ a: 1 })).toBe('{"a":1}');
    expect(detailValue(null)).toBe('—');
  });
});

describe('audit: single sign-on', () => {
  it('says when a sign-in went through single sign-on', () => {
    expect(actionLabel('user.login', { method: 'oidc' })).toEqual({ label: "Connexion via l'authentification unique", known: true });
    expect(actionLabel('user.login', {})).toEqual({ label: 'Connexion', known: true });
    expect(actionLabel('user.login', null)).toEqual({ label: 'Connexion', known: true });
    expect(actionLabel('user.login_failed', { method: 'oidc', reason: 'bad_state' }).label).toBe(
      'Connexion refusée (authentification unique)',
    );
    expect(actionLabel('user.register', { method: 'oidc' }).label).toBe("Inscription via l'authentification unique");
    // Nothing of the kind for the other actions.
    expect(actionLabel('user.logout', { method: 'oidc' }).label).toBe('Déconnexion');
    expect(actionLabel('user.identity_link')).toEqual({ label: 'Identité du fournisseur liée', known: true });
    expect(actionLabel('user.identity_unlink')).toEqual({ label: 'Identité du fournisseur déliée', known: true });
  });

  it('writes why single sign-on refused someone, and who that was', () => {
    expect(detailLine('method', 'oidc')).toEqual({ label: 'Méthode', value: 'authentification unique' });
    expect(detailLine('reason', 'bad_state')).toEqual({
      label: 'Motif',
      value: 'connexion expirée ou ouverte dans un autre navigateur',
    });
    expect(detailLine('reason', 'oidc_no_account')?.value).toBe('aucun compte lié à cette identité');
    expect(detailLine('reason', 'invalid_token')?.value).toBe("jeton d'identité invalide");
    expect(detailLine('reason', 'tout_nouveau')?.value).toBe('tout_nouveau');
    expect(detailLine('subject', 'a1b2')).toEqual({ label: 'Identifiant chez le fournisseur', value: 'a1b2' });
    expect(
      actorView({ actor_id: null, actor_name: '', action: 'user.login_failed', details: { method: 'oidc', reason: 'bad_state' } }).text,
    ).toBe('Identité non reconnue');
    expect(actorView({ actor_id: null, actor_name: '', action: 'user.login_failed' }).text).toBe('Système');
    // No account behind it: no "Compte supprimé" as its target.
    expect(targetView({ target_type: 'user', target_id: '', target_name: null, details: { method: 'oidc', reason: 'bad_state' } })).toBeNull();
  });

  it('links the single sign-on settings', () => {
    const base = { target_name: null, details: null };
    expect(targetView({ ...base, target_type: 'settings', target_id: 'oidc' })).toEqual({
      text: 'Réglages · Authentification unique (OpenID Connect)',
      to: '/admin/reglages#reglages-authentification-unique',
    });
    expect(
      targetView({ ...base, target_type: 'settings', target_id: '', details: { keys: ['proxy_auth_header'] } })?.to,
    ).toBe('/admin/reglages#reglages-proxy-authentification');
    expect(detailLine('keys', ['oidc_issuer', 'local_login', 'break_glass_admin'])?.value).toBe(
      "Adresse de l'émetteur, Connexion par mot de passe, Administrateur de secours (nom d'utilisateur)",
    );
  });

  it('shows the single sign-on label in the journal', async () => {
    serve(() =>
      jsonResponse(
        200,
        answer({
          entries: [
            entry({ id: 6, action: 'user.login', actor_id: 2, actor_name: 'alice', details: { method: 'oidc' } }),
            entry({ id: 5, action: 'user.login_failed', actor_id: null, actor_name: '', details: { method: 'oidc', reason: 'unknown_group' } }),
          ],
          total: 2,
        }),
      ),
    );
    renderPage();
    const table = await screen.findByTestId('audit-table');
    expect(within(table).getByText("Connexion via l'authentification unique")).toBeTruthy();
    expect(within(table).getByText('Connexion refusée (authentification unique)')).toBeTruthy();
    expect(within(table).getByText('la correspondance désigne un groupe inconnu')).toBeTruthy();
    expect(within(table).getByText('Identité non reconnue')).toBeTruthy();
  });
});

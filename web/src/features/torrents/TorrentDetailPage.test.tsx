import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { TorrentDetailPage } from './TorrentDetailPage';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { asAdminView, makeDetail } from '../../test/torrents';
import type { User } from '../../api/types';

afterEach(() => vi.unstubAllGlobals());

const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };
const hash = '7b1f6c'.padEnd(40, 'a');
const v2 = 'b'.repeat(64);

const detail = makeDetail({
  hash,
  info_hash_v1: hash,
  info_hash_v2: v2,
  name: 'sample-multi',
  state: 'downloading',
  progress: 0.5,
  size: 4096,
  uploaded: 2048,
  ratio: 1.5,
  location: '',
  added_on: 1_795_681_907,
  completion_on: null,
  owner: { id: 2, username: 'alice', display_name: 'Alice' },
  trackers: [
    { url: 'http://127.0.0.1:16969/announce', status: 'working', message: '' },
    { url: 'udp://tracker.exemple.fr:1337', status: 'not_working', message: 'délai dépassé' },
    { url: 'http://t3/announce', status: 'not_contacted', message: '' },
  ],
  comment: 'Un commentaire',
});

const files = [
  { index: 0, path: 'sample-multi/a.bin', size: 1024, progress: 1, priority: 1, downloadable: true },
  { index: 1, path: 'sample-multi/sous-dossier/b.bin', size: 2048, progress: 0.5, priority: 1, downloadable: false },
  { index: 2, path: 'sample-multi/sous-dossier/données/é.txt', size: 1024, progress: 0, priority: 0, downloadable: false },
];
const downloads = { available: true, reason: null, direct: true, zip: true, ttl: 21_600 };

function renderDetail(fetchImpl?: (url: string, init: RequestInit) => Response, state?: unknown, me: User = alice) {
  const fetch = mockFetch(
    fetchImpl ??
      ((url) => {
        if (url === '/api/instance') return jsonResponse(200, instance);
        if (url === `/api/torrents/${hash}`) return jsonResponse(200, detail);
        if (url === `/api/torrents/${hash}/files`) return jsonResponse(200, { files, downloads });
        return errorResponse(404, 'not_found', 'Introuvable.');
      }),
  );
  const utils = renderWithProviders(
    <Routes>
      <Route path="/torrents/:hash" element={<TorrentDetailPage />} />
      <Route path="/torrents" element={<p>Liste</p>} />
    </Routes>,
    { route: { pathname: `/torrents/${hash}`, state }, me },
  );
  return { ...utils, fetch };
}

describe('TorrentDetailPage', () => {
  it('shows the torrent, its hashes and its trackers in French', async () => {
    renderDetail();
    expect(await screen.findByRole('heading', { name: 'sample-multi', level: 1 })).toBeTruthy();
    expect(screen.getByText('Téléchargement')).toBeTruthy();
    expect(screen.getAllByRole('progressbar', { name: 'Progression de « sample-multi »' })[0]!.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByTestId('torrent-location').textContent).toBe('Votre dossier');
    expect(screen.queryByText(/\/srv\//)).toBeNull();
    expect(screen.getByText('1,50')).toBeTruthy();
    expect(screen.getByText('pas encore')).toBeTruthy();
    expect(screen.getByText('Un commentaire')).toBeTruthy();
    expect(screen.getByText(hash)).toBeTruthy();
    expect(screen.getByText(v2)).toBeTruthy();
    expect(screen.getByRole('button', { name: "Copier l'infohash v1" })).toBeTruthy();
    expect(screen.getByRole('button', { name: "Copier l'infohash v2" })).toBeTruthy();
    const trackers = within(screen.getByTestId('trackers')).getAllByRole('listitem');
    expect(trackers.map((li) => li.textContent)).toEqual([
      'http://127.0.0.1:16969/announceFonctionne',
      'udp://tracker.exemple.fr:1337Ne fonctionne pas — délai dépassé',
      'http://t3/announceNon contacté',
    ]);
    expect(screen.getByRole('button', { name: 'Pause « sample-multi »' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Supprimer « sample-multi »' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Mes torrents' }).getAttribute('href')).toBe('/torrents');
    expect(document.title).toBe('sample-multi · essaim');
    // Sources and pairs, each explained (on hover and on keyboard focus); no qBittorrent state name.
    const transfer = screen.getByRole('region', { name: 'Transfert' });
    const terms = [...transfer.querySelectorAll<HTMLElement>('[aria-describedby]')];
    expect(terms.map((term) => term.firstChild!.textContent)).toEqual(['Sources', 'Pairs']);
    expect(terms.every((term) => term.tabIndex === 0)).toBe(true);
    expect(document.getElementById(terms[0]!.getAttribute('aria-describedby')!)!.textContent).toMatch(
      /^Sources : les participants qui ont le fichier complet/,
    );
    const info = screen.getByRole('region', { name: 'Informations' });
    expect(within(info).queryByText(/qBittorrent/)).toBeNull();
    expect(screen.queryByText('downloading')).toBeNull();
  });

  it('browses the files folder by folder, with sizes, progress and downloads', async () => {
    renderDetail();
    const section = await screen.findByRole('region', { name: 'Fichiers' });
    const browser = await within(section).findByTestId('file-tree');
    const crumbs = within(browser).getByRole('navigation', { name: 'Emplacement dans le torrent' });
    expect(crumbs.textContent).toBe('sample-multi');
    const sub = within(browser).getByRole('link', { name: 'sous-dossier' });
    expect(sub.closest('th')!.textContent).toContain('2 fichiers');
    expect(within(browser).getByRole('progressbar', { name: 'Progression de « sous-dossier »' }).getAttribute('aria-valuenow')).toBe('33.3');
    expect(within(browser).getByRole('button', { name: 'Télécharger « a.bin »' })).toBeTruthy();
    expect(within(browser).getByText('Seuls les fichiers terminés peuvent être téléchargés.')).toBeTruthy();

    fireEvent.click(sub);
    expect(crumbs.textContent).toBe('sample-multisous-dossier');
    expect(within(browser).getByText('En cours – 50 %')).toBeTruthy();
    expect(within(browser).getByRole('link', { name: 'données' }).closest('th')!.textContent).toContain('non téléchargé');
    expect(within(browser).queryByRole('rowheader', { name: 'a.bin' })).toBeNull();
    // The page keeps its "back" link while browsing.
    expect(screen.getByRole('link', { name: 'Mes torrents' }).getAttribute('href')).toBe('/torrents');
  });

  it('has a "Fichiers" link to its files section, which takes the focus', async () => {
    renderDetail();
    const link = await screen.findByRole('link', { name: 'Fichiers' });
    expect(link.getAttribute('href')).toBe(`/torrents/${hash}#fichiers`);
    await screen.findByTestId('file-tree');
    fireEvent.click(link);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Fichiers', level: 2 })));
  });

  it('goes back to the list it came from, filters included', async () => {
    renderDetail(undefined, { from: '/tous?etat=paused' });
    const back = await screen.findByRole('link', { name: 'Tous les torrents' });
    expect(back.getAttribute('href')).toBe('/tous?etat=paused');
  });

  it('says Torrent introuvable on 404', async () => {
    renderDetail((url) =>
      url === '/api/instance'
        ? jsonResponse(200, instance)
        : errorResponse(404, 'torrent_not_found', 'Torrent introuvable.'),
    );
    expect(await screen.findByRole('heading', { name: 'Torrent introuvable' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Retour à mes torrents' })).toBeTruthy();
    await waitFor(() => expect(document.title).toBe('Torrent introuvable · essaim'));
  });

  it('goes back to the list after deleting', async () => {
    const { fetch } = renderDetail((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === `/api/torrents/${hash}`) return jsonResponse(200, detail);
      if (url === `/api/torrents/${hash}/files`) return jsonResponse(200, { files, downloads });
      if (url.startsWith(`/api/torrents/${hash}?delete_files=`)) return new Response(null, { status: 204 });
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Supprimer « sample-multi »' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Supprimer' }));
    expect(await screen.findByText('Liste')).toBeTruthy();
    expect(fetch.mock.calls.some(([u]) => u === `/api/torrents/${hash}?delete_files=true`)).toBe(true);
  });

  it('says when the file list is not known yet', async () => {
    renderDetail((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === `/api/torrents/${hash}`) return jsonResponse(200, { ...detail, state: 'metadata', size: 0 });
      return jsonResponse(200, { files: [] });
    });
    expect(await screen.findByText('La liste des fichiers apparaîtra une fois les métadonnées reçues.')).toBeTruthy();
    expect(screen.getByText('Métadonnées')).toBeTruthy();
  });

  it('explains in a warning why a group limit stopped the torrent', async () => {
    const reason = 'Ce torrent (2,0 Mo) dépasse votre quota : 2,0 Mo sur 1,0 Mo. Il a été arrêté.';
    renderDetail((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === `/api/torrents/${hash}`) return jsonResponse(200, { ...detail, state: 'paused', limit: { state: 'stopped', reason } });
      return jsonResponse(200, { files, downloads });
    });
    await screen.findByRole('heading', { name: 'sample-multi', level: 1 });
    const alert = screen.getAllByRole('status').find((el) => el.textContent?.includes(reason));
    expect(alert?.textContent).toBe(`Arrêté par une limite. ${reason}`);
  });

  it('says a queued torrent will start by itself when a slot frees', async () => {
    renderDetail((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === `/api/torrents/${hash}`) return jsonResponse(200, { ...detail, state: 'paused', limit: { state: 'queued', reason: '' } });
      return jsonResponse(200, { files, downloads });
    });
    await screen.findByRole('heading', { name: 'sample-multi', level: 1 });
    expect(screen.getByText(/^En file d'attente : votre groupe limite le nombre de téléchargements simultanés\./)).toBeTruthy();
    expect(screen.queryByText(/Arrêté par une limite/)).toBeNull();
  });

  it('shows no limit warning without a limit', async () => {
    renderDetail();
    await screen.findByRole('heading', { name: 'sample-multi', level: 1 });
    expect(screen.queryByText(/En file d'attente|Arrêté par une limite/)).toBeNull();
  });

  it("greys the speeds and ETA when the torrent's qBittorrent server does not answer, and names it to an administrator", async () => {
    const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };
    const body = { ...detail, dlspeed: 300 * 1024, eta: 60, stale: true, server: 2, server_name: 'Cave' };
    renderDetail(
      (url) => {
        if (url === `/api/torrents/${hash}`) return jsonResponse(200, body);
        if (url === `/api/torrents/${hash}/files`) return jsonResponse(200, { files, downloads });
        return errorResponse(404, 'not_found', 'Introuvable.');
      },
      undefined,
      admin,
    );
    const transfer = await screen.findByRole('region', { name: 'Transfert' });
    expect(within(transfer).getByText('300 Ko/s').getAttribute('title')).toBe('Serveur injoignable : dernières valeurs connues');
    expect(transfer.querySelector('[data-server-stale]')!.textContent).toBe('Serveur injoignable : dernières valeurs connues');
    const info = screen.getByRole('region', { name: 'Informations' });
    expect(info.textContent).toContain('ServeurCave');
  });

  describe('Emplacement', () => {
    const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };
    const serveDetail =
      (body: unknown, more?: (url: string, init: RequestInit) => Response | undefined) => (url: string, init: RequestInit) => {
        if (url === '/api/instance') return jsonResponse(200, instance);
        if (url === `/api/torrents/${hash}`) return jsonResponse(200, body);
        if (url === `/api/torrents/${hash}/files`) return jsonResponse(200, { files, downloads });
        return more?.(url, init) ?? errorResponse(404, 'not_found', 'Introuvable.');
      };
    const info = () => screen.getByRole('region', { name: 'Informations' });

    it('tells a user the folder inside their own, never a path of the server', async () => {
      renderDetail(serveDetail({ ...detail, location: 'Films/2024' }));
      await screen.findByRole('heading', { name: 'sample-multi', level: 1 });
      expect(within(info()).getByText('Emplacement')).toBeTruthy();
      expect(screen.getByTestId('torrent-location').textContent).toBe('Votre dossier / Films/2024');
      expect(within(info()).queryByText('Emplacement sur le serveur')).toBeNull();
      expect(screen.queryByText('Dossier commun')).toBeNull();
      expect(screen.queryByRole('button', { name: 'Déplacer dans le dossier de son propriétaire' })).toBeNull();
    });

    it("names the owner's folder on someone else's torrent, and says when it is outside", async () => {
      const bob = { id: 3, username: 'bob', display_name: 'Bob' };
      renderDetail(serveDetail({ ...detail, owner: bob, location: '' }));
      await screen.findByRole('heading', { name: 'sample-multi', level: 1 });
      expect(screen.getByTestId('torrent-location').textContent).toBe('Dossier de Bob');
    });

    it.each([
      [2, 'Hors de votre dossier'],
      [3, 'Hors du dossier de son propriétaire'],
    ])('location null, owner %i: %s', async (ownerId, text) => {
      renderDetail(serveDetail({ ...detail, owner: { id: ownerId, username: 'x', display_name: 'X' }, location: null }));
      await screen.findByRole('heading', { name: 'sample-multi', level: 1 });
      expect(screen.getByTestId('torrent-location').textContent).toBe(text);
    });

    it('shows an administrator the absolute path, without badge in the owner folder', async () => {
      renderDetail(serveDetail(asAdminView(detail, '/srv/dl/alice', 'user_folder')), undefined, admin);
      await screen.findByRole('heading', { name: 'sample-multi', level: 1 });
      expect(within(info()).getByText('Emplacement sur le serveur')).toBeTruthy();
      expect(within(info()).getByText('/srv/dl/alice')).toBeTruthy();
      // Administrators keep qBittorrent's own state name, labelled as technical.
      expect(within(info()).getByText('État dans qBittorrent (technique)')).toBeTruthy();
      expect(within(info()).getByText('downloading')).toBeTruthy();
      expect(screen.queryByTestId('torrent-location')).toBeNull();
      expect(screen.queryByText('Dossier commun')).toBeNull();
      expect(screen.queryByTestId('move-to-owner')).toBeNull();
    });

    it('offers an administrator to move a torrent out of the shared folder, and follows the move', async () => {
      document.cookie = 'csrf_token=jeton; path=/';
      const item = {
        hash,
        name: 'sample-multi',
        owner: { id: 2, username: 'alice', display_name: 'Alice' },
        from: '/srv/dl',
        to: '/srv/dl/alice',
        message: null,
      };
      const state = (status: string, running: boolean) => ({
        root: '/srv/dl',
        root_from: 'download_root',
        layout: "/srv/dl/<dossier de l'utilisateur>/<torrent>",
        counts: { user_folder: 4, shared: running ? 1 : 0, elsewhere: 0 },
        shared: running ? [{ ...item, status: 'waiting' }] : [],
        move: {
          running,
          started_at: 1_795_681_907,
          finished_at: running ? null : 1_795_681_910,
          total: 1,
          done: running ? 0 : 1,
          failed: 0,
          items: [{ ...item, status }],
        },
      });
      let gets = 0;
      const shared = asAdminView(detail, '/srv/dl', 'shared');
      let current: unknown = shared;
      const { fetch } = renderDetail(
        (url, init) => {
          if (url === `/api/torrents/${hash}`) return jsonResponse(200, current);
          return serveDetail(current, (u, i) => {
            if (u === '/api/admin/storage/move' && i.method === 'POST') return jsonResponse(202, state('waiting', true));
            if (u === '/api/admin/storage') {
              gets += 1;
              if (gets === 1) return jsonResponse(200, state('moving', true));
              current = asAdminView(detail, '/srv/dl/alice', 'user_folder');
              return jsonResponse(200, state('done', false));
            }
            return undefined;
          })(url, init);
        },
        undefined,
        admin,
      );
      await screen.findByRole('heading', { name: 'sample-multi', level: 1 });
      const badge = within(info()).getByText('Dossier commun').closest('[data-placement]')!;
      expect(badge.getAttribute('title')).toBe('Ajouté avant les dossiers par utilisateur : ses fichiers sont dans le dossier commun.');
      expect(within(info()).getByText('/srv/dl')).toBeTruthy();
      const box = screen.getByTestId('move-to-owner');
      expect(within(box).getByText('Ajouté avant les dossiers par utilisateur : ses fichiers sont dans le dossier commun.')).toBeTruthy();

      fireEvent.click(within(box).getByRole('button', { name: 'Déplacer dans le dossier de son propriétaire' }));
      expect(await within(box).findByText('Déplacement en attente…')).toBeTruthy();
      expect(within(box).getByRole('button', { name: 'Déplacement en cours' }).getAttribute('aria-disabled')).toBe('true');
      const [, init] = fetch.mock.calls.find(([u]) => u === '/api/admin/storage/move')!;
      expect(JSON.parse(String(init!.body))).toEqual({ hashes: [hash] });
      expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');

      // Polled every second while it runs; once done, the torrent is fetched again.
      expect(await screen.findByText('qBittorrent déplace les fichiers…', {}, { timeout: 3000 })).toBeTruthy();
      expect(await screen.findByText('Déplacé dans le dossier de son propriétaire.', {}, { timeout: 3000 })).toBeTruthy();
      await waitFor(() => expect(within(info()).getByText('/srv/dl/alice')).toBeTruthy());
      expect(screen.queryByText('Dossier commun')).toBeNull();
      expect(screen.queryByRole('button', { name: 'Déplacer dans le dossier de son propriétaire' })).toBeNull();
      // The button went away: the outcome has the focus.
      await waitFor(() => expect(document.activeElement?.textContent).toBe('Déplacé dans le dossier de son propriétaire.'));
    }, 10_000);

    it("says why a torrent without owner cannot be moved, and shows the server's refusal", async () => {
      renderDetail(serveDetail(asAdminView({ ...detail, owner: null }, '/srv/dl', 'shared')), undefined, admin);
      const box = await screen.findByTestId('move-to-owner');
      expect(within(box).getByText(/^Sans propriétaire, il ne peut pas être déplacé/)).toBeTruthy();
      expect(within(box).queryByRole('button')).toBeNull();
    });

    it('shows a refused move in French', async () => {
      renderDetail(
        serveDetail(asAdminView(detail, '/srv/dl', 'shared'), (u) =>
          u === '/api/admin/storage/move'
            ? errorResponse(409, 'move_running', "Un déplacement est déjà en cours : attendez qu'il se termine.")
            : undefined,
        ),
        undefined,
        admin,
      );
      const box = await screen.findByTestId('move-to-owner');
      fireEvent.click(within(box).getByRole('button', { name: 'Déplacer dans le dossier de son propriétaire' }));
      expect((await within(box).findByRole('alert')).textContent).toBe(
        "Un déplacement est déjà en cours : attendez qu'il se termine.",
      );
    });
  });

  describe('Attribuer…', () => {
    const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };
    const users = [
      { id: 1, username: 'root', display_name: 'Root' },
      { id: 3, username: 'bob', display_name: 'Bob' },
    ];
    const orphan = { ...detail, owner: null };
    const serve = (assign: (init: RequestInit) => Response) => (url: string, init: RequestInit) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === `/api/torrents/${hash}`) return jsonResponse(200, orphan);
      if (url === `/api/torrents/${hash}/files`) return jsonResponse(200, { files, downloads });
      if (url === '/api/admin/users') return jsonResponse(200, { users });
      if (url === `/api/torrents/${hash}/owner` && init.method === 'POST') return assign(init);
      return errorResponse(404, 'not_found', 'Introuvable.');
    };

    it('is hidden from non-admins', async () => {
      renderDetail(serve(() => jsonResponse(200, orphan)));
      await screen.findByRole('heading', { name: 'sample-multi', level: 1 });
      expect(screen.queryByRole('button', { name: /^Attribuer/ })).toBeNull();
    });

    it('lets an admin give a torrent without owner, then shows the new owner', async () => {
      document.cookie = 'csrf_token=jeton; path=/';
      const { fetch } = renderDetail(
        serve(() => jsonResponse(200, { ...orphan, owner: users[1] })),
        undefined,
        admin,
      );
      const open = await screen.findByRole('button', {
        name: 'Attribuer « sample-multi » (sans propriétaire) à un utilisateur',
      });
      expect(open.textContent).toBe('Attribuer…');
      expect(screen.getByText('sans propriétaire')).toBeTruthy();
      fireEvent.click(open);
      const dialog = screen.getByRole('dialog', { name: 'Attribuer « sample-multi » à un utilisateur' });
      fireEvent.change(await within(dialog).findByRole('combobox', { name: 'Utilisateur' }), { target: { value: '3' } });
      fireEvent.click(within(dialog).getByRole('button', { name: 'Attribuer' }));
      expect(await screen.findByText('« sample-multi » a été attribué à Bob.')).toBeTruthy();
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(screen.queryByText('sans propriétaire')).toBeNull();
      expect(screen.getByText('Bob')).toBeTruthy();
      expect(screen.getByRole('button', { name: 'Attribuer « sample-multi » à un utilisateur' })).toBeTruthy();
      const [, init] = fetch.mock.calls.find(([u]) => u === `/api/torrents/${hash}/owner`)!;
      expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
      expect(JSON.parse(String(init!.body))).toEqual({ user_id: 3 });
    });

    it("keeps the dialog open with the server's French error", async () => {
      renderDetail(
        serve(() => errorResponse(403, 'forbidden', 'Seul un administrateur peut attribuer un torrent.')),
        undefined,
        admin,
      );
      fireEvent.click(await screen.findByRole('button', { name: /^Attribuer « sample-multi »/ }));
      const dialog = screen.getByRole('dialog');
      fireEvent.change(await within(dialog).findByRole('combobox', { name: 'Utilisateur' }), { target: { value: '1' } });
      fireEvent.click(within(dialog).getByRole('button', { name: 'Attribuer' }));
      expect((await within(dialog).findByRole('alert')).textContent).toBe(
        'Seul un administrateur peut attribuer un torrent.',
      );
      expect(screen.getByText('sans propriétaire')).toBeTruthy();
    });
  });
});

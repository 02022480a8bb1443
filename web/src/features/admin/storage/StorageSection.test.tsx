import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { StorageItem, StorageState, User } from '../../../api/types';
import { formatDate } from '../../../lib/format';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../../test/utils';
import { StorageSection } from './StorageSection';
import { countsSentence, itemStatusLabel, moveSummary } from './storageView';

afterEach(() => vi.unstubAllGlobals());

const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };
const alice2 = { id: 2, username: 'alice', display_name: 'Alice' };
const bob = { id: 3, username: 'bob', display_name: '' };

function item(n: number, name: string, owner: StorageItem['owner'], extra: Partial<StorageItem> = {}): StorageItem {
  return {
    hash: String(n).repeat(40),
    name,
    owner,
    from: '/srv/dl',
    to: `/srv/dl/${owner?.username ?? ''}`,
    status: 'waiting',
    message: null,
    ...extra,
  };
}

const shared = [item(1, 'Film été', alice2), item(2, 'debian.iso', bob), item(3, 'Archives', alice2)];

function state(overrides: Partial<StorageState> = {}): StorageState {
  return {
    root: '/srv/dl',
    root_from: 'download_root',
    layout: "/srv/dl/<dossier de l'utilisateur>/<torrent>",
    counts: { user_folder: 12, shared: 4, elsewhere: 0 },
    shared,
    move: null,
    ...overrides,
  };
}

function renderSection() {
  return renderWithProviders(<StorageSection />, { me: admin });
}

describe('storageView', () => {
  it('says the counts in French', () => {
    expect(countsSentence({ user_folder: 12, shared: 3, elsewhere: 0 })).toBe(
      '12 torrents dans le dossier de leur propriétaire, 3 dans le dossier commun.',
    );
    expect(countsSentence({ user_folder: 1, shared: 0, elsewhere: 2 })).toBe(
      '1 torrent dans le dossier de son propriétaire, aucun dans le dossier commun, 2 ailleurs.',
    );
    expect(countsSentence({ user_folder: 0, shared: 1, elsewhere: 0 })).toBe(
      'Aucun torrent dans le dossier de son propriétaire, 1 dans le dossier commun.',
    );
  });

  it('labels the statuses and sums up a move', () => {
    expect(['waiting', 'moving', 'done', 'failed', 'bizarre'].map(itemStatusLabel)).toEqual([
      'en attente',
      'en cours',
      'déplacé',
      'échec',
      'en attente',
    ]);
    expect(moveSummary({ done: 2, failed: 1 })).toBe('2 torrents déplacés, 1 échec');
    expect(moveSummary({ done: 1, failed: 0 })).toBe('1 torrent déplacé');
    expect(moveSummary({ done: 0, failed: 3 })).toBe('aucun torrent déplacé, 3 échecs');
  });
});

describe('Stockage', () => {
  it('shows the root, where it comes from, the layout, the counts and the torrents still shared', async () => {
    mockFetch((url) => (url === '/api/admin/storage' ? jsonResponse(200, state()) : errorResponse(404, 'not_found', '')));
    renderSection();
    const box = await screen.findByTestId('storage');
    expect(within(box).getByText('/srv/dl')).toBeTruthy();
    expect(within(box).getByText('dossier racine des téléchargements')).toBeTruthy();
    expect(within(box).getByText("/srv/dl/<dossier de l'utilisateur>/<torrent>")).toBeTruthy();
    expect(screen.getByTestId('storage-counts').textContent).toBe(
      '12 torrents dans le dossier de leur propriétaire, 4 dans le dossier commun.',
    );
    expect(screen.getByRole('heading', { name: 'Encore dans le dossier commun', level: 3 })).toBeTruthy();
    expect(screen.getByText('3 torrents peuvent être déplacés dans le dossier de leur propriétaire.')).toBeTruthy();
    const rows = within(screen.getByTestId('storage-shared')).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      'Film étéPropriétaire : AliceDepuis /srv/dl →  vers /srv/dl/alice',
      'debian.isoPropriétaire : bobDepuis /srv/dl →  vers /srv/dl/bob',
      'ArchivesPropriétaire : AliceDepuis /srv/dl →  vers /srv/dl/alice',
    ]);
    // The 4th one has no owner: nowhere to move it.
    expect(screen.getByText(/^1 torrent sans propriétaire reste dans le dossier commun/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Tout déplacer dans les dossiers des utilisateurs' })).toBeTruthy();
    expect(screen.queryByText('Tous les torrents sont dans le dossier de leur propriétaire.')).toBeNull();
  });

  it('has an empty state when nothing is in the shared folder', async () => {
    mockFetch(() =>
      jsonResponse(
        200,
        state({ root: null, root_from: 'qbittorrent', layout: "…/<dossier de l'utilisateur>/<torrent>", shared: [], counts: { user_folder: 5, shared: 0, elsewhere: 1 } }),
      ),
    );
    renderSection();
    expect((await screen.findByText('Tous les torrents sont dans le dossier de leur propriétaire.')).closest('[role="status"]')).toBeTruthy();
    expect(screen.getByText('pas encore connu')).toBeTruthy();
    expect(screen.getByText('dossier par défaut de qBittorrent')).toBeTruthy();
    expect(screen.getByTestId('storage-counts').textContent).toBe(
      '5 torrents dans le dossier de leur propriétaire, aucun dans le dossier commun, 1 ailleurs.',
    );
    expect(screen.getByText(/^« Ailleurs » : hors du dossier racine/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Tout déplacer/ })).toBeNull();
  });

  it('asks for confirmation, moves everything, shows the progress every second, then the report', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const started = 1_795_681_907;
    const withStatus = (statuses: StorageItem['status'][], extra: Partial<StorageItem>[] = []) =>
      shared.map((s, i) => ({ ...s, status: statuses[i]!, ...extra[i] }));
    const steps: StorageState[] = [
      state({
        move: { running: true, started_at: started, finished_at: null, total: 3, done: 1, failed: 0, items: withStatus(['done', 'moving', 'waiting']) },
      }),
      state({
        shared: [shared[1]!],
        counts: { user_folder: 14, shared: 2, elsewhere: 0 },
        move: {
          running: false,
          started_at: started,
          finished_at: started + 60,
          total: 3,
          done: 2,
          failed: 1,
          items: withStatus(['done', 'failed', 'done'], [{}, { message: "qBittorrent n'a pas pu déplacer les fichiers." }]),
        },
      }),
    ];
    let gets = 0;
    const fetch = mockFetch((url, init) => {
      if (url === '/api/admin/storage/move' && init.method === 'POST') {
        return jsonResponse(
          202,
          state({ move: { running: true, started_at: started, finished_at: null, total: 3, done: 0, failed: 0, items: withStatus(['moving', 'waiting', 'waiting']) } }),
        );
      }
      if (url === '/api/admin/storage') {
        gets += 1;
        return jsonResponse(200, gets === 1 ? state() : steps[Math.min(gets - 2, steps.length - 1)]!);
      }
      return errorResponse(404, 'not_found', '');
    });
    renderSection();
    fireEvent.click(await screen.findByRole('button', { name: 'Tout déplacer dans les dossiers des utilisateurs' }));
    const dialog = screen.getByRole('dialog', { name: 'Déplacer 3 torrents ?' });
    expect(within(dialog).getByText(/^qBittorrent déplace les fichiers de chaque torrent/).textContent).toContain(
      'Le partage continue pendant et après le déplacement.',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Déplacer' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [, init] = fetch.mock.calls.find(([u]) => u === '/api/admin/storage/move')!;
    expect(JSON.parse(String(init!.body))).toEqual({});
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');

    // Running: progress, each torrent's status, the button busy and the list folded.
    const report = screen.getByTestId('storage-move');
    expect(within(report).getByRole('heading', { name: 'Déplacement en cours', level: 3 })).toBeTruthy();
    expect(within(report).getByRole('status').textContent).toBe('Déplacement en cours : 0 / 3');
    expect(within(report).getByText(`Commencé le ${formatDate(started)}.`)).toBeTruthy();
    const statuses = () =>
      within(screen.getByTestId('storage-move-items'))
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-status'));
    expect(statuses()).toEqual(['moving', 'waiting', 'waiting']);
    expect(within(report).getByText('en cours')).toBeTruthy();
    expect(within(report).getAllByText('en attente')).toHaveLength(2);
    expect(screen.queryByTestId('storage-shared')).toBeNull();
    const button = screen.getByRole('button', { name: 'Déplacement en cours' });
    expect(button.getAttribute('aria-disabled')).toBe('true');

    // One second later…
    await waitFor(() => expect(within(report).getByRole('status').textContent).toBe('Déplacement en cours : 1 / 3'), {
      timeout: 2500,
    });
    expect(within(report).getByRole('progressbar', { name: 'Progression du déplacement' }).getAttribute('aria-valuenow')).toBe('33.3');
    expect(within(report).getByText('déplacé')).toBeTruthy();

    // …then the report.
    await waitFor(() => expect(within(report).getByRole('heading', { level: 3 }).textContent).toBe('Dernier déplacement'), {
      timeout: 2500,
    });
    expect(within(report).getByRole('status').textContent).toBe(
      `Terminé le ${formatDate(started + 60)} : 2 torrents déplacés, 1 échec.`,
    );
    // A failure: the details are open, with its message.
    const details = report.querySelector('details')!;
    expect(details.open).toBe(true);
    const failed = within(screen.getByTestId('storage-move-items'))
      .getAllByRole('listitem')
      .find((li) => li.getAttribute('data-status') === 'failed')!;
    expect(within(failed).getByText('échec')).toBeTruthy();
    expect(within(failed).getByText("qBittorrent n'a pas pu déplacer les fichiers.")).toBeTruthy();
    // What stays shared is listed again, and may be moved again.
    expect(within(screen.getByTestId('storage-shared')).getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Tout déplacer dans les dossiers des utilisateurs' }).getAttribute('aria-disabled')).toBeNull();
    // No more polling once it finished.
    const count = gets;
    await new Promise((r) => setTimeout(r, 1300));
    expect(gets).toBe(count);
  }, 15_000);

  it('explains a refusal (a move already running) and shows that move', async () => {
    let running = false;
    mockFetch((url, init) => {
      if (url === '/api/admin/storage/move' && init.method === 'POST') {
        running = true;
        return errorResponse(409, 'move_running', "Un déplacement est déjà en cours : attendez qu'il se termine.");
      }
      if (url === '/api/admin/storage') {
        return jsonResponse(
          200,
          running
            ? state({ move: { running: true, started_at: 1, finished_at: null, total: 1, done: 0, failed: 0, items: [{ ...shared[0]!, status: 'moving' }] } })
            : state(),
        );
      }
      return errorResponse(404, 'not_found', '');
    });
    renderSection();
    fireEvent.click(await screen.findByRole('button', { name: 'Tout déplacer dans les dossiers des utilisateurs' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Déplacer' }));
    expect(await screen.findByText("Un déplacement est déjà en cours : attendez qu'il se termine.")).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await screen.findByRole('heading', { name: 'Déplacement en cours', level: 3 })).toBeTruthy();
  });

  it('keeps the dialog open with any other error', async () => {
    mockFetch((url, init) =>
      url === '/api/admin/storage/move' && init.method === 'POST'
        ? errorResponse(503, 'qbittorrent_unreachable', 'qBittorrent est injoignable.')
        : jsonResponse(200, state()),
    );
    renderSection();
    fireEvent.click(await screen.findByRole('button', { name: 'Tout déplacer dans les dossiers des utilisateurs' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Déplacer' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('qBittorrent est injoignable.');
  });

  it('says when the state cannot be loaded, with Réessayer', async () => {
    mockFetch(() => errorResponse(500, 'internal', 'Erreur interne du serveur.'));
    renderSection();
    expect((await screen.findByRole('alert')).textContent).toBe("L'état du stockage n'a pas pu être chargé : Erreur interne du serveur.");
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeTruthy();
  });
});

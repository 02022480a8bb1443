import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AssignTorrentDialog } from './AssignTorrentDialog';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { listBody, makeDetail, makeTorrent } from '../../test/torrents';
import type { Torrent, TorrentDetail, TorrentList, User } from '../../api/types';

afterEach(() => vi.unstubAllGlobals());

const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin', permissions: [] };
const users = [
  { id: 1, username: 'root', display_name: 'Root' },
  { id: 2, username: 'alice', display_name: 'Alice' },
  { id: 3, username: 'bob', display_name: 'bob' },
];
const hash = 'a551'.padEnd(40, '0');
const orphan = makeTorrent({ hash, name: 'Nosferatu', owner: null, can_act: true });

/** Answers the users list and the assignment (the owner `assigned` gets). */
function serve({ assign, list }: { assign?: () => Response; list?: () => Response } = {}) {
  return mockFetch((url, init) => {
    if (url === '/api/admin/users') return list ? list() : jsonResponse(200, { users });
    if (url === `/api/torrents/${hash}/owner` && init.method === 'POST') {
      if (assign) return assign();
      const { user_id } = JSON.parse(String(init.body)) as { user_id: number };
      const owner = users.find((u) => u.id === user_id)!;
      return jsonResponse(200, { ...orphan, owner });
    }
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

function renderAssign(t: Torrent = orphan) {
  const onClose = vi.fn();
  const onAssigned = vi.fn();
  const utils = renderWithProviders(<AssignTorrentDialog torrent={t} onClose={onClose} onAssigned={onAssigned} />, {
    me: admin,
  });
  return { ...utils, onClose, onAssigned };
}

const userSelect = () => screen.findByRole('combobox', { name: 'Utilisateur' }) as Promise<HTMLSelectElement>;

describe('AssignTorrentDialog', () => {
  it('lists the users from GET /api/admin/users after a loading state', async () => {
    const fetch = serve();
    renderAssign();
    const dialog = screen.getByRole('dialog', { name: 'Attribuer « Nosferatu » à un utilisateur' });
    expect(within(dialog).getByText('Ce torrent est sans propriétaire.', { exact: false })).toBeTruthy();
    expect(within(dialog).getByRole('status').textContent).toBe('Chargement des utilisateurs…');
    const select = await userSelect();
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual([
      'Choisissez un utilisateur',
      'Root (root)',
      'Alice (alice)',
      'bob',
    ]);
    expect(select.value).toBe('');
    expect(within(dialog).getByRole('button', { name: 'Annuler' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Attribuer' })).toBeTruthy();
    expect(fetch.mock.calls[0]![0]).toBe('/api/admin/users');
  });

  it('preselects the current owner', async () => {
    serve();
    renderAssign({ ...orphan, owner: users[1]! });
    expect(screen.getByText(/Propriétaire actuel : Alice\./)).toBeTruthy();
    const select = await userSelect();
    expect(select.value).toBe('2');
    expect(select.selectedOptions[0]!.textContent).toBe('Alice (alice) — propriétaire actuel');
  });

  it('sends POST with user_id and the CSRF header, then updates the lists and the detail page', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = serve();
    const { client, onClose, onAssigned } = renderAssign();
    const other = makeTorrent({ hash: 'b'.repeat(40), owner: users[1]! });
    client.setQueryData(['torrents', 'all'], listBody([orphan, other]));
    client.setQueryData(['torrents', 'mine'], listBody([]));
    client.setQueryData(['torrent', hash], makeDetail({ ...orphan, comment: 'gardé' }));

    fireEvent.change(await userSelect(), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Attribuer' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());

    const [url, init] = fetch.mock.calls.find(([u]) => String(u).endsWith('/owner'))!;
    expect(url).toBe(`/api/torrents/${hash}/owner`);
    expect(init!.method).toBe('POST');
    expect(JSON.parse(String(init!.body))).toEqual({ user_id: 1 });
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    expect(onAssigned).toHaveBeenCalledWith(expect.objectContaining({ hash, owner: users[0] }));

    const all = client.getQueryData<TorrentList>(['torrents', 'all'])!.torrents;
    expect(all.map((x) => [x.hash, x.owner?.id])).toEqual([
      [hash, 1],
      [other.hash, 2],
    ]);
    // Given to the admin themself: it joins "Mes torrents".
    expect(client.getQueryData<TorrentList>(['torrents', 'mine'])!.torrents.map((x) => x.hash)).toEqual([hash]);
    const detail = client.getQueryData<TorrentDetail>(['torrent', hash])!;
    expect(detail.owner).toEqual(users[0]);
    expect(detail.comment).toBe('gardé');
  });

  it('takes it out of "Mes torrents" when given to someone else', async () => {
    serve();
    const mine = { ...orphan, owner: users[0]! };
    const { client, onClose } = renderAssign(mine);
    client.setQueryData(['torrents', 'mine'], listBody([mine]));
    fireEvent.change(await userSelect(), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Attribuer' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(client.getQueryData<TorrentList>(['torrents', 'mine'])!.torrents).toEqual([]);
  });

  it('asks for a user before sending anything', async () => {
    const fetch = serve();
    renderAssign();
    const select = await userSelect();
    fireEvent.click(screen.getByRole('button', { name: 'Attribuer' }));
    expect(screen.getByText('Choisissez un utilisateur.')).toBeTruthy();
    expect(select.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(select);
    expect(fetch.mock.calls.some(([u]) => String(u).endsWith('/owner'))).toBe(false);
  });

  it("shows the server's French error and stays open", async () => {
    serve({ assign: () => errorResponse(422, 'unknown_user', "Cet utilisateur n'existe pas.", 'user_id') });
    const { onClose, onAssigned } = renderAssign();
    fireEvent.change(await userSelect(), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Attribuer' }));
    expect((await screen.findByRole('alert')).textContent).toBe("Cet utilisateur n'existe pas.");
    expect(onClose).not.toHaveBeenCalled();
    expect(onAssigned).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('says in French when the users cannot be loaded, and retries', async () => {
    let fail = true;
    serve({
      list: () => (fail ? errorResponse(503, 'database_error', 'La base de données est indisponible.') : jsonResponse(200, { users })),
    });
    renderAssign();
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Impossible de charger la liste des utilisateurs : La base de données est indisponible.',
    );
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.getByRole('button', { name: 'Attribuer' }).hasAttribute('disabled')).toBe(true);
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Réessayer' }));
    expect(await userSelect()).toBeTruthy();
  });

  it('Annuler closes without assigning', async () => {
    const fetch = serve();
    const { onClose } = renderAssign();
    await userSelect();
    fireEvent.click(screen.getByRole('button', { name: 'Annuler' }));
    expect(onClose).toHaveBeenCalled();
    expect(fetch.mock.calls.some(([u]) => String(u).endsWith('/owner'))).toBe(false);
  });
});

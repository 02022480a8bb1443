import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { DeleteTorrentDialog } from './DeleteTorrentDialog';
import { alice, errorResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { listBody, makeTorrent } from '../../test/torrents';
import type { TorrentList } from '../../api/types';

afterEach(() => vi.unstubAllGlobals());

const torrent = makeTorrent({ hash: 'c0ffee'.padEnd(40, '0'), name: 'Le Voyage dans la Lune' });

function renderDelete(t = torrent) {
  const onClose = vi.fn();
  const onDeleted = vi.fn();
  const utils = renderWithProviders(<DeleteTorrentDialog torrent={t} onClose={onClose} onDeleted={onDeleted} />, {
    me: alice,
  });
  return { ...utils, onClose, onDeleted };
}

describe('DeleteTorrentDialog', () => {
  it('asks "Supprimer « name » ?" with the files checkbox checked by default', () => {
    mockFetch(() => new Response(null, { status: 204 }));
    renderDelete();
    expect(screen.getByRole('dialog', { name: 'Supprimer « Le Voyage dans la Lune » ?' })).toBeTruthy();
    const box = screen.getByRole('checkbox', { name: 'Supprimer aussi les fichiers sur le serveur' }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(screen.getByRole('button', { name: 'Annuler' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Supprimer' })).toBeTruthy();
  });

  it('sends DELETE with delete_files=true and the CSRF header, then removes it from the lists', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = mockFetch(() => new Response(null, { status: 204 }));
    const { client, onClose, onDeleted } = renderDelete();
    client.setQueryData(['torrents', 'mine'], listBody([torrent, makeTorrent({ hash: 'autre' })]));
    fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`/api/torrents/${torrent.hash}?delete_files=true`);
    expect(init!.method).toBe('DELETE');
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    expect(onDeleted).toHaveBeenCalledWith(torrent);
    expect(client.getQueryData<TorrentList>(['torrents', 'mine'])!.torrents.map((t) => t.hash)).toEqual(['autre']);
  });

  it('sends delete_files=false when the box is unchecked', async () => {
    const fetch = mockFetch(() => new Response(null, { status: 204 }));
    const { onClose } = renderDelete();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Supprimer aussi les fichiers sur le serveur' }));
    expect(screen.getByText('Les fichiers téléchargés resteront sur le serveur.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(fetch.mock.calls[0]![0]).toBe(`/api/torrents/${torrent.hash}?delete_files=false`);
  });

  it('Annuler closes without asking the server', () => {
    const fetch = mockFetch(() => new Response(null, { status: 204 }));
    const { onClose } = renderDelete();
    fireEvent.click(screen.getByRole('button', { name: 'Annuler' }));
    expect(onClose).toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("shows the server's French refusal and stays open", async () => {
    mockFetch(() => errorResponse(403, 'forbidden', "Vous ne pouvez pas agir sur le torrent d'un autre utilisateur."));
    const { onClose } = renderDelete();
    fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      "Vous ne pouvez pas agir sur le torrent d'un autre utilisateur.",
    );
    expect(onClose).not.toHaveBeenCalled();
  });

  it('keeps the files, checkbox locked, when the group may not delete them', async () => {
    const fetch = mockFetch(() => new Response(null, { status: 204 }));
    const onClose = vi.fn();
    renderWithProviders(<DeleteTorrentDialog torrent={torrent} onClose={onClose} />, {
      me: { ...alice, permissions: ['delete_own'] },
    });
    const box = screen.getByRole('checkbox', { name: 'Supprimer aussi les fichiers sur le serveur' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(box.disabled).toBe(true);
    expect(screen.getByText(/Votre groupe ne permet pas de supprimer les fichiers/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(fetch.mock.calls[0]![0]).toBe(`/api/torrents/${torrent.hash}?delete_files=false`);
  });

  it('offers no files checkbox for a torrent qBittorrent no longer has', async () => {
    const fetch = mockFetch(() => new Response(null, { status: 204 }));
    const { onClose } = renderDelete({ ...torrent, removed: true });
    expect(screen.queryByRole('checkbox')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(fetch.mock.calls[0]![0]).toBe(`/api/torrents/${torrent.hash}?delete_files=false`);
  });

  describe('when the server refuses to delete the files', () => {
    const admin = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin' as const, permissions: [] };

    it.each([
      [
        'outside_user_folder',
        "Les fichiers de ce torrent ne sont pas dans le dossier de son propriétaire : seul un administrateur peut les supprimer. Supprimez-le sans ses fichiers, ou demandez à un administrateur.",
      ],
      [
        'content_shared',
        "Les fichiers de ce torrent se trouvent au même endroit que ceux d'un autre torrent : supprimez-le sans ses fichiers.",
      ],
    ])('%s: shows the message as it comes, then deleting without the files works', async (code, message) => {
      const fetch = mockFetch((url) =>
        url.includes('delete_files=true') ? errorResponse(409, code, message) : new Response(null, { status: 204 }),
      );
      const { onClose } = renderDelete();
      fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
      expect((await screen.findByRole('alert')).textContent).toBe(message);
      // No "Supprimer quand même" for these: they are refusals.
      expect(screen.queryByRole('button', { name: 'Supprimer quand même' })).toBeNull();
      fireEvent.click(screen.getByRole('checkbox', { name: 'Supprimer aussi les fichiers sur le serveur' }));
      expect(screen.queryByRole('alert')).toBeNull();
      fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
      await waitFor(() => expect(onClose).toHaveBeenCalled());
      expect(fetch.mock.calls.map(([u]) => u)).toEqual([
        `/api/torrents/${torrent.hash}?delete_files=true`,
        `/api/torrents/${torrent.hash}?delete_files=false`,
      ]);
    });

    const warning =
      "Ce torrent n'est pas dans le dossier de son propriétaire : supprimer ses fichiers effacera « Le Voyage dans la Lune » sur le serveur. Confirmez pour continuer.";

    it('warns an administrator with what would be deleted, then "Supprimer quand même" confirms', async () => {
      document.cookie = 'csrf_token=jeton; path=/';
      const fetch = mockFetch((url) =>
        url.endsWith('&confirm=true') ? new Response(null, { status: 204 }) : errorResponse(409, 'confirm_required', warning),
      );
      const onClose = vi.fn();
      const onDeleted = vi.fn();
      renderWithProviders(<DeleteTorrentDialog torrent={torrent} onClose={onClose} onDeleted={onDeleted} />, { me: admin });
      fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
      const status = await screen.findByText(warning);
      expect(status.closest('[role="status"]')).toBeTruthy();
      expect(screen.queryByRole('alert')).toBeNull();
      expect(onClose).not.toHaveBeenCalled();
      const anyway = screen.getByRole('button', { name: 'Supprimer quand même' });
      fireEvent.click(anyway);
      await waitFor(() => expect(onClose).toHaveBeenCalled());
      expect(onDeleted).toHaveBeenCalledWith(torrent);
      const [url, init] = fetch.mock.calls[1]!;
      expect(url).toBe(`/api/torrents/${torrent.hash}?delete_files=true&confirm=true`);
      expect(init!.method).toBe('DELETE');
      expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    });

    it('forgets the confirmation when the files checkbox changes', async () => {
      const fetch = mockFetch((url) =>
        url.includes('delete_files=true') ? errorResponse(409, 'confirm_required', warning) : new Response(null, { status: 204 }),
      );
      renderWithProviders(<DeleteTorrentDialog torrent={torrent} onClose={vi.fn()} />, { me: admin });
      fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
      await screen.findByText(warning);
      const box = screen.getByRole('checkbox', { name: 'Supprimer aussi les fichiers sur le serveur' });
      fireEvent.click(box);
      fireEvent.click(box);
      expect(screen.queryByText(warning)).toBeNull();
      fireEvent.click(screen.getByRole('button', { name: 'Supprimer' }));
      await screen.findByText(warning);
      // Asked again without confirm: the warning comes back first.
      expect(fetch.mock.calls.map(([u]) => u)).toEqual([
        `/api/torrents/${torrent.hash}?delete_files=true`,
        `/api/torrents/${torrent.hash}?delete_files=true`,
      ]);
    });
  });
});

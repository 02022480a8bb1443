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
});

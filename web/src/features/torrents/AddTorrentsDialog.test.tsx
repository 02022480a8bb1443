import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AddTorrentsDialog } from './AddTorrentsDialog';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { listBody } from '../../test/torrents';
import { batchFiles, splitLines } from './addInput';

afterEach(() => vi.unstubAllGlobals());

const M1 = 'magnet:?xt=urn:btih:7b1f6c0000000000000000000000000000000001&dn=un';
const M2 = 'magnet:?xt=urn:btih:7b1f6c0000000000000000000000000000000002&dn=deux';

function renderDialog() {
  const onOpenChange = vi.fn();
  const utils = renderWithProviders(<AddTorrentsDialog open onOpenChange={onOpenChange} />, { me: alice });
  return { ...utils, onOpenChange };
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Ajouter' }));
const torrentFile = (name: string, size = 64) => new File([new Uint8Array(size)], name, { type: 'application/x-bittorrent' });

describe('splitLines and batchFiles', () => {
  it('keeps one trimmed entry per non-blank line, without repeats', () => {
    expect(splitLines(`  ${M1}  \r\n\n   \n${M2}\n${M1}\n`)).toEqual([M1, M2]);
    expect(splitLines('\n \n')).toEqual([]);
  });

  it('groups files under the request limit', () => {
    const MiB = 1024 * 1024;
    const sizes = [10, 10, 10, 5, 1].map((n) => ({ size: n * MiB }));
    expect(batchFiles(sizes).map((b) => b.length)).toEqual([3, 2]);
    expect(batchFiles([])).toEqual([]);
  });
});

describe('AddTorrentsDialog', () => {
  it('sends magnet lines as JSON, ignoring blank lines, and shows each result', async () => {
    document.cookie = 'csrf_token=jeton-csrf; path=/';
    const fetch = mockFetch((url, init) => {
      if (url === '/api/torrents' && init.method === 'POST') {
        return jsonResponse(200, {
          results: [
            { input: M1, ok: true, hash: 'a'.repeat(40), name: 'Un film' },
            {
              input: M2,
              ok: false,
              error: { code: 'duplicate_torrent', message: 'Vous avez déjà ajouté ce torrent.' },
            },
          ],
        });
      }
      return jsonResponse(200, listBody([]));
    });
    const { client } = renderDialog();
    const invalidate = vi.spyOn(client, 'invalidateQueries');

    expect(screen.getByRole('dialog', { name: 'Ajouter des torrents' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Liens magnet à ajouter'), { target: { value: `\n${M1}\n   \n  ${M2}  \n\n` } });
    expect(screen.getByRole('tab', { name: /Liens magnet \(2\)/ })).toBeTruthy();
    submit();

    const results = await screen.findByTestId('add-results');
    const items = within(results).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('« Un film » ajouté');
    expect(items[1]!.textContent).toContain(M2);
    expect(items[1]!.textContent).toContain('Vous avez déjà ajouté ce torrent.');
    expect(screen.getByText('1 torrent ajouté, 1 erreur')).toBeTruthy();

    const [, init] = fetch.mock.calls.find(([u]) => u === '/api/torrents')!;
    expect(JSON.parse(String(init!.body))).toEqual({ magnets: [M1, M2] });
    const headers = init!.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers['X-CSRF-Token']).toBe('jeton-csrf');

    // The failed line stays, to be corrected; the list is refreshed for the added one.
    expect((screen.getByLabelText('Liens magnet à ajouter') as HTMLTextAreaElement).value).toBe(M2);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['torrents'] });
  });

  it('says when an added torrent waits for a download slot', async () => {
    const message = 'Votre groupe limite les téléchargements simultanés à 1 : ce torrent démarrera dès qu’une place se libère.';
    mockFetch((url, init) => {
      if (url === '/api/torrents' && init.method === 'POST') {
        return jsonResponse(200, {
          results: [
            { input: M1, ok: true, hash: 'a'.repeat(40), name: 'Un film', queued: { message } },
            { input: M2, ok: true, hash: 'b'.repeat(40), name: 'Deux' },
          ],
        });
      }
      return jsonResponse(200, listBody([]));
    });
    renderDialog();
    fireEvent.change(screen.getByLabelText('Liens magnet à ajouter'), { target: { value: `${M1}\n${M2}` } });
    submit();

    const items = within(await screen.findByTestId('add-results')).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('« Un film » ajouté');
    expect(within(items[0]!).getByText(`En file d'attente : ${message}`)).toBeTruthy();
    expect(items[1]!.textContent).not.toContain("En file d'attente");
    expect(screen.getByText('2 torrents ajoutés')).toBeTruthy();
  });

  it("shows the server's message for each refused address (url_refused, too_many_fetches), or a French one", async () => {
    const refused = 'Adresse refusée : essaim ne contacte pas les adresses locales ou privées.';
    const busy = 'Vous avez déjà 3 adresses en cours de téléchargement : attendez qu\'elles aboutissent, puis réessayez.';
    mockFetch(() =>
      jsonResponse(200, {
        results: [
          { input: 'http://192.168.1.2/a.torrent', ok: false, error: { code: 'url_refused', message: refused } },
          { input: 'https://exemple.fr/b.torrent', ok: false, error: { code: 'too_many_fetches', message: busy } },
          { input: 'https://exemple.fr/c.torrent', ok: false, error: { code: 'url_refused', message: '' } },
        ],
      }),
    );
    renderDialog();
    fireEvent.click(screen.getByRole('tab', { name: "Adresse d'un .torrent" }));
    fireEvent.change(screen.getByLabelText('Adresses de fichiers .torrent'), {
      target: { value: 'http://192.168.1.2/a.torrent\nhttps://exemple.fr/b.torrent\nhttps://exemple.fr/c.torrent' },
    });
    submit();
    const items = within(await screen.findByTestId('add-results')).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      `Échec : http://192.168.1.2/a.torrent${refused}`,
      `Échec : https://exemple.fr/b.torrent${busy}`,
      `Échec : https://exemple.fr/c.torrent${refused}`,
    ]);
  });

  it('sends magnets and addresses together', async () => {
    const fetch = mockFetch(() => jsonResponse(200, { results: [] }));
    renderDialog();
    fireEvent.change(screen.getByLabelText('Liens magnet à ajouter'), { target: { value: M1 } });
    fireEvent.click(screen.getByRole('tab', { name: "Adresse d'un .torrent" }));
    fireEvent.change(screen.getByLabelText('Adresses de fichiers .torrent'), {
      target: { value: 'https://exemple.fr/a.torrent\n\nhttp://exemple.fr/b.torrent' },
    });
    submit();
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(JSON.parse(String(fetch.mock.calls[0]![1]!.body))).toEqual({
      magnets: [M1],
      urls: ['https://exemple.fr/a.torrent', 'http://exemple.fr/b.torrent'],
    });
  });

  it('sends .torrent files as multipart parts named "torrents", with X-CSRF-Token and no Content-Type of its own', async () => {
    document.cookie = 'csrf_token=jeton-csrf; path=/';
    const fetch = mockFetch(() =>
      jsonResponse(200, {
        results: [
          { input: 'un.torrent', ok: true, hash: 'b'.repeat(40), name: 'Un' },
          { input: 'casse.torrent', ok: false, error: { code: 'invalid_torrent', message: "Ce fichier .torrent n'est pas valide." } },
        ],
      }),
    );
    renderDialog();
    fireEvent.click(screen.getByRole('tab', { name: 'Fichiers .torrent' }));
    const picker = screen.getByLabelText('Choisir des fichiers .torrent');
    fireEvent.change(picker, { target: { files: [torrentFile('un.torrent'), torrentFile('notes.txt')] } });
    expect(screen.getByRole('alert').textContent).toContain("« notes.txt » n'est pas un fichier .torrent");
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [torrentFile('casse.torrent', 10)] } });
    expect(screen.queryByRole('alert')).toBeNull();
    const chosen = screen.getByRole('list', { name: 'Fichiers choisis' });
    expect(within(chosen).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('un.torrent'),
      expect.stringContaining('casse.torrent'),
    ]);
    // Removing then adding back.
    fireEvent.click(screen.getByRole('button', { name: 'Retirer « casse.torrent »' }));
    expect(within(chosen).getAllByRole('listitem')).toHaveLength(1);
    fireEvent.change(picker, { target: { files: [torrentFile('casse.torrent', 10)] } });
    expect(screen.getByRole('tab', { name: 'Fichiers .torrent (2)' })).toBeTruthy();

    submit();
    await screen.findByTestId('add-results');
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/torrents');
    expect(init!.method).toBe('POST');
    const headers = init!.headers as Record<string, string>;
    expect(headers['X-CSRF-Token']).toBe('jeton-csrf');
    expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain('content-type');
    const body = init!.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    expect([...body.keys()]).toEqual(['torrents', 'torrents']);
    expect((body.getAll('torrents') as File[]).map((f) => f.name)).toEqual(['un.torrent', 'casse.torrent']);

    expect(screen.getByText("Ce fichier .torrent n'est pas valide.")).toBeTruthy();
    // Only the refused file is left.
    expect(within(screen.getByRole('list', { name: 'Fichiers choisis' })).getAllByRole('listitem')).toHaveLength(1);
  });

  it('says what to do when nothing was entered, without calling the server', () => {
    const fetch = mockFetch(() => jsonResponse(200, { results: [] }));
    renderDialog();
    fireEvent.change(screen.getByLabelText('Liens magnet à ajouter'), { target: { value: '\n   \n' } });
    submit();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Ajoutez au moins un lien magnet, un fichier .torrent ou une adresse.');
    expect(document.activeElement).toBe(alert);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('turns a failed request into a French error for each item it carried', async () => {
    mockFetch(() => errorResponse(503, 'qbittorrent_unreachable', 'qBittorrent est injoignable : connexion refusée.'));
    renderDialog();
    fireEvent.change(screen.getByLabelText('Liens magnet à ajouter'), { target: { value: `${M1}\n${M2}` } });
    submit();
    const results = await screen.findByTestId('add-results');
    expect(within(results).getAllByText('qBittorrent est injoignable : connexion refusée.')).toHaveLength(2);
    expect(screen.getByText('0 torrent ajouté, 2 erreurs')).toBeTruthy();
    expect((screen.getByLabelText('Liens magnet à ajouter') as HTMLTextAreaElement).value).toBe(`${M1}\n${M2}`);
  });

  it('closes with Fermer', () => {
    mockFetch(() => jsonResponse(200, { results: [] }));
    const { onOpenChange } = renderDialog();
    fireEvent.click(screen.getAllByRole('button', { name: 'Fermer' }).at(-1)!);
    expect(onOpenChange).toHaveBeenCalledWith(false);
  });

  it('only offers what the group allows', () => {
    mockFetch(() => jsonResponse(200, { results: [] }));
    renderWithProviders(<AddTorrentsDialog open onOpenChange={() => {}} />, {
      me: { ...alice, permissions: ['add_torrents', 'add_torrent_files'] },
    });
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Fichiers .torrent', "Adresse d'un .torrent"]);
    expect(screen.getByRole('tab', { name: 'Fichiers .torrent' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByLabelText('Liens magnet à ajouter')).toBeNull();
  });

  it('moves between tabs with the arrow keys', () => {
    mockFetch(() => jsonResponse(200, { results: [] }));
    renderDialog();
    const first = screen.getByRole('tab', { name: 'Liens magnet' });
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    const files = screen.getByRole('tab', { name: 'Fichiers .torrent' });
    expect(document.activeElement).toBe(files);
    expect(files.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(files, { key: 'End' });
    expect(screen.getByRole('tab', { name: "Adresse d'un .torrent" }).getAttribute('aria-selected')).toBe('true');
  });
});

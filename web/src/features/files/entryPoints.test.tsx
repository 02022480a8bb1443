import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { TorrentCards } from '../torrents/TorrentCards';
import { TorrentTable } from '../torrents/TorrentTable';
import { alice, mockFetch, jsonResponse, renderWithProviders } from '../../test/utils';
import { makeTorrent } from '../../test/torrents';

afterEach(() => vi.unstubAllGlobals());

const film = makeTorrent({ hash: 'a'.repeat(40), name: 'Film été' });
const noop = () => {};

describe('"Fichiers" from the torrent lists', () => {
  it('links each table row to the files of its torrent', () => {
    mockFetch(() => jsonResponse(200, {}));
    renderWithProviders(
      <TorrentTable
        torrents={[film]}
        view={{ state: 'all', search: '', sort: 'name', dir: 'asc' }}
        onSort={noop}
        showOwner={false}
        caption="Mes torrents"
        onDelete={noop}
        onError={noop}
      />,
      { route: '/torrents?etat=downloading', me: alice },
    );
    const row = screen.getByRole('rowheader', { name: 'Film été' }).closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: "Plus d'actions pour « Film été »" }));
    const link = within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Fichiers' });
    expect(link.getAttribute('href')).toBe(`/torrents/${film.hash}#fichiers`);
  });

  it('has "Fichiers" in the menu of each phone card', () => {
    mockFetch(() => jsonResponse(200, {}));
    renderWithProviders(
      <TorrentCards torrents={[film]} showOwner={false} caption="Mes torrents" onDelete={noop} onError={noop} />,
      { me: alice },
    );
    const card = screen.getByRole('article', { name: 'Film été' });
    fireEvent.click(within(card).getByRole('button', { name: "Plus d'actions pour « Film été »" }));
    const link = within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Fichiers' });
    expect(link.getAttribute('href')).toBe(`/torrents/${film.hash}#fichiers`);
  });
});

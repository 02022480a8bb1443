import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { LiveProvider } from './LiveProvider';
import { TorrentsPage } from './TorrentsPage';
import type { SocketLike } from './live';
import { alice, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { listBody, makeTorrent } from '../../test/torrents';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

class FakeSocket implements SocketLike {
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  constructor(readonly url: string) {}
  open() {
    act(() => this.onopen?.(new Event('open')));
  }
  send(msg: unknown) {
    act(() => this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(msg) })));
  }
  drop(code = 1006) {
    act(() => this.onclose?.(new CloseEvent('close', { code })));
  }
  close() {}
}

const owner = { id: alice.id, username: 'alice', display_name: 'Alice' };
const film = makeTorrent({ hash: 'a'.repeat(40), name: 'Film', progress: 0.5, owner });

function setup(initial = [film]) {
  const sockets: FakeSocket[] = [];
  const fetch = mockFetch((url) => {
    if (url === '/api/instance') return jsonResponse(200, { site_name: 'essaim', registration_open: true, version: '0.1.0' });
    return jsonResponse(200, listBody(initial));
  });
  renderWithProviders(
    <LiveProvider
      createSocket={(url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      }}
    >
      <Routes>
        <Route path="/torrents" element={<TorrentsPage scope="mine" />} />
      </Routes>
    </LiveProvider>,
    { route: '/torrents', me: alice },
  );
  const listCalls = () => fetch.mock.calls.filter(([u]) => u === '/api/torrents?scope=mine').length;
  return { sockets, fetch, listCalls };
}

const progressOf = (name: string) =>
  screen.getByRole('progressbar', { name: `Progression de « ${name} »` }).getAttribute('aria-valuenow');

describe('live updates', () => {
  it('connects to /api/ws and applies full and delta messages to the list without reloading', async () => {
    const { sockets } = setup();
    await screen.findByRole('rowheader', { name: 'Film' });
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toBe('ws://localhost:3000/api/ws');
    sockets[0]!.open();

    const other = makeTorrent({ hash: 'b'.repeat(40), name: 'Autre', owner: { id: 99, username: 'x', display_name: 'X' } });
    const mine2 = makeTorrent({ hash: 'c'.repeat(40), name: 'Nouveau', owner });
    sockets[0]!.send({ type: 'torrents', full: true, torrents: [film, other, mine2] });
    expect(await screen.findByRole('rowheader', { name: 'Nouveau' })).toBeTruthy();
    expect(screen.queryByRole('rowheader', { name: 'Autre' })).toBeNull();

    sockets[0]!.send({
      type: 'torrents',
      full: false,
      changed: [{ ...film, progress: 1, state: 'seeding', eta: null }],
      removed: [mine2.hash],
    });
    await waitFor(() => expect(progressOf('Film')).toBe('100'));
    const row = screen.getByRole('rowheader', { name: 'Film' }).closest('tr')!;
    expect(within(row).getByText('Partage')).toBeTruthy();
    expect(screen.queryByRole('rowheader', { name: 'Nouveau' })).toBeNull();

    // Unknown messages change nothing.
    sockets[0]!.send({ type: 'quelque-chose', torrents: [] });
    expect(screen.getByRole('rowheader', { name: 'Film' })).toBeTruthy();
  });

  it('shows the qBittorrent status from the socket', async () => {
    const { sockets } = setup();
    await screen.findByRole('rowheader', { name: 'Film' });
    sockets[0]!.open();
    sockets[0]!.send({ type: 'status', qbittorrent: 'down', error: 'identifiants refusés' });
    await waitFor(() =>
      expect(screen.getByTestId('live-banner').textContent).toBe(
        'qBittorrent est injoignable. Les données affichées peuvent être anciennes.',
      ),
    );
    // No live values yet in this tab: marked, without a time.
    expect(screen.getByTestId('stale-marker').textContent).toBe('Valeurs non actualisées');
    sockets[0]!.send({ type: 'status', qbittorrent: 'ok', error: null });
    await waitFor(() => expect(screen.getByTestId('live-banner').textContent).toBe(''));
    expect(screen.queryByTestId('stale-marker')).toBeNull();
    // Down again after live values: the marker says since when.
    sockets[0]!.send({ type: 'status', qbittorrent: 'down', error: null });
    await waitFor(() => expect(screen.getByTestId('stale-marker').textContent).toMatch(/^Dernière valeur à \d\d:\d\d$/));
  });

  it('says the live connection is lost, keeps the list, polls every 5 s and reconnects with backoff', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { sockets, listCalls } = setup();
    await screen.findByRole('rowheader', { name: 'Film' });
    sockets[0]!.open();
    const before = listCalls();
    await act(() => vi.advanceTimersByTimeAsync(11_000));
    expect(listCalls()).toBe(before); // live: no polling

    sockets[0]!.drop();
    // A quick reconnection shows nothing; the notice comes after 3 s without the socket.
    expect(screen.getByTestId('live-banner').textContent).toBe('');
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(sockets).toHaveLength(2); // after 1 s
    sockets[1]!.drop();
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(sockets).toHaveLength(3); // after 2 s more
    expect(screen.getByTestId('live-banner').textContent).toBe('Connexion temps réel perdue, nouvelle tentative…');
    expect(screen.getByRole('rowheader', { name: 'Film' })).toBeTruthy();
    sockets[2]!.drop();
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(listCalls()).toBeGreaterThanOrEqual(before + 1); // polled meanwhile
    expect(sockets).toHaveLength(4); // after 4 s more

    sockets[3]!.open();
    await waitFor(() => expect(screen.getByTestId('live-banner').textContent).toBe(''));
  });

  it('falls back to polling for good when the server closed this socket with 4001 (too many tabs)', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { sockets, listCalls } = setup();
    await screen.findByRole('rowheader', { name: 'Film' });
    sockets[0]!.open();
    sockets[0]!.drop(4001);
    expect(screen.getByTestId('live-banner').textContent).toBe(
      "Temps réel arrêté dans cet onglet (trop d'onglets ouverts) : cette page se met à jour toutes les 5 secondes.",
    );
    const before = listCalls();
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(sockets).toHaveLength(1); // never reopened
    expect(listCalls()).toBeGreaterThanOrEqual(before + 10); // every 5 s
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    expect(sockets).toHaveLength(1);
    expect(screen.getByRole('rowheader', { name: 'Film' })).toBeTruthy();
  });
});

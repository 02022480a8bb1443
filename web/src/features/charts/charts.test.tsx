import { useState } from 'react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { makeDetail, makeTorrent } from '../../test/torrents';
import { TorrentDetailPage } from '../torrents/TorrentDetailPage';
import { LiveProvider } from '../torrents/LiveProvider';
import type { SocketLike } from '../torrents/live';
import type { Torrent, User } from '../../api/types';
import { GlobalSpeedChart } from './GlobalSpeedChart';
import { publishSpeed, receiveSpeedFrame, resetLiveSpeed } from './liveSpeed';
import { TorrentSpeedChart } from './TorrentSpeedChart';

// jsdom has no canvas: a stand-in that records what the chart would draw.
const plots = vi.hoisted(() => ({ created: [] as Array<{ data: unknown[][]; opts: Record<string, unknown> }> }));
vi.mock('uplot', () => ({
  default: class FakePlot {
    data: unknown[][];
    opts: Record<string, unknown>;
    width: number;
    constructor(opts: Record<string, unknown> & { width: number }, data: unknown[][]) {
      this.opts = opts;
      this.data = data;
      this.width = opts.width;
      plots.created.push(this);
    }
    setData(data: unknown[][]) {
      this.data = data;
    }
    setSize() {}
    destroy() {}
  },
}));

afterEach(() => {
  vi.unstubAllGlobals();
  resetLiveSpeed();
  plots.created.length = 0;
});

const T0 = 1_795_681_907;
const samples = (n: number, end = T0) => Array.from({ length: n }, (_, i) => [end - n + 1 + i, 1024 * (i + 1), 512]);

function serveSpeed(status = 200) {
  return mockFetch((url) => {
    const m = /^\/api\/stats\/speed\?range=(10m|1h|24h)$/.exec(url);
    if (m) {
      if (status !== 200) return errorResponse(status, 'forbidden', 'Action non autorisée.');
      const step = { '10m': 1, '1h': 10, '24h': 240 }[m[1] as '10m'];
      return jsonResponse(200, { range: m[1], step, samples: samples(m[1] === '10m' ? 3 : 5) });
    }
    if (/^\/api\/torrents\/[^/]+\/speed$/.test(url)) return jsonResponse(200, { hash: 'x', samples: samples(2) });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

const chart = () => screen.getByTestId('speed-chart');
const lastPlot = () => plots.created[plots.created.length - 1]!;

describe('GlobalSpeedChart', () => {
  it('starts on 10 min and moves with each live sample, dropping what is older than 10 minutes', async () => {
    const fetch = serveSpeed();
    renderWithProviders(<GlobalSpeedChart />, { me: alice });
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('3'));
    expect(fetch.mock.calls.map((c) => String(c[0]))).toEqual(['/api/stats/speed?range=10m']);
    expect(screen.getByRole('button', { name: '10 min' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: '1 h' }).getAttribute('aria-pressed')).toBe('false');

    // The frame as LiveProvider hands it over.
    act(() => {
      expect(receiveSpeedFrame(JSON.stringify({ type: 'speed', t: T0 + 1, dl: 1536 * 1024, up: 2048 }))).toBe(true);
    });
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('4'));
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Graphique des vitesses sur les 10 dernières minutes : réception 1,5 Mo/s, envoi 2 Ko/s.',
    );
    expect(screen.getByRole('table', { name: 'Dernières mesures de vitesse' }).textContent).toContain('1,5 Mo/s');
    await waitFor(() => expect(lastPlot().data[0]).toHaveLength(4));

    // Eleven minutes later: only the new point is within the window.
    act(() => publishSpeed([T0 + 661, 0, 0]));
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('1'));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('fetches the range chosen with the switch', async () => {
    const fetch = serveSpeed();
    renderWithProviders(<GlobalSpeedChart />, { me: { ...alice, role: 'admin', permissions: [] } });
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('3'));

    fireEvent.click(screen.getByRole('button', { name: '1 h' }));
    expect(screen.getByRole('button', { name: '1 h' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: '10 min' }).getAttribute('aria-pressed')).toBe('false');
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('5'));
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/^Graphique des vitesses sur la dernière heure/);

    fireEvent.click(screen.getByRole('button', { name: '24 h' }));
    await waitFor(() =>
      // (An administrator's page also asks for the qBittorrent servers: a single server here.)
      expect(fetch.mock.calls.map((c) => String(c[0])).filter((u) => u.startsWith('/api/stats/'))).toEqual([
        '/api/stats/speed?range=10m',
        '/api/stats/speed?range=1h',
        '/api/stats/speed?range=24h',
      ]),
    );
    await waitFor(() => expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/24 heures/));
    // The chart spans the whole day, whatever the data covers.
    await waitFor(() => expect(lastPlot().opts.width).toBeGreaterThan(0));
    const x = (lastPlot().opts.scales as { x: { range: (u: unknown) => number[] } }).x;
    expect(x.range({ data: [[T0 - 100, T0], [1, 2], [3, 4]] })).toEqual([T0 - 86_400, T0]);
  });

  it('requests nothing without the see_charts permission, and says so', () => {
    const fetch = serveSpeed();
    const noCharts: User = { ...alice, permissions: alice.permissions.filter((p) => p !== 'see_charts') };
    renderWithProviders(<GlobalSpeedChart />, { me: noCharts });
    expect(screen.getByText('Les graphiques de vitesse ne sont pas disponibles pour votre compte.')).toBeTruthy();
    expect(screen.queryByTestId('speed-chart')).toBeNull();
    expect(screen.queryByRole('button', { name: '1 h' })).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('shows the same note when the server refuses (403)', async () => {
    serveSpeed(403);
    renderWithProviders(<GlobalSpeedChart />, { me: alice });
    expect(await screen.findByTestId('charts-forbidden')).toBeTruthy();
  });
});

describe('TorrentSpeedChart', () => {
  it("draws the torrent's last 10 minutes, then a point a second from the live torrent", async () => {
    const fetch = serveSpeed();
    const torrent = makeTorrent({ hash: 'abc', dlspeed: 3 * 1024 * 1024, upspeed: 1024 });
    let setTorrent: (t: Torrent) => void = () => {};
    function Harness() {
      const [current, set] = useState(torrent);
      setTorrent = set;
      return <TorrentSpeedChart torrent={current} />;
    }
    renderWithProviders(<Harness />, { me: alice });
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('2'));
    expect(fetch.mock.calls.map((c) => String(c[0]))).toEqual(['/api/torrents/abc/speed']);

    act(() => publishSpeed([T0 + 1, 99, 99]));
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('3'));
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Graphique des vitesses sur les 10 dernières minutes : réception 3 Mo/s, envoi 1 Ko/s.',
    );

    // The socket updated the torrent: the next tick takes its new speeds.
    act(() => setTorrent({ ...torrent, dlspeed: 0, upspeed: 0 }));
    act(() => publishSpeed([T0 + 2, 99, 99]));
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('4'));
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('réception 0 o/s, envoi 0 o/s');
  });
});

describe('the Vitesse section of a torrent page', () => {
  function renderPage(me: User) {
    const detail = makeDetail({ hash: 'abc', name: 'sample' });
    const fetch = mockFetch((url) => {
      if (url === '/api/torrents/abc') return jsonResponse(200, detail);
      if (url === '/api/torrents/abc/files') return jsonResponse(200, { files: [], downloads: { available: false, reason: 'forbidden', direct: false, zip: false, ttl: 0 } });
      if (url === '/api/torrents/abc/speed') return jsonResponse(200, { hash: 'abc', samples: samples(4) });
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderWithProviders(
      <Routes>
        <Route path="/torrents/:hash" element={<TorrentDetailPage />} />
      </Routes>,
      { route: '/torrents/abc', me },
    );
    return fetch;
  }

  it('shows the last 10 minutes with see_charts', async () => {
    renderPage(alice);
    const section = await screen.findByRole('region', { name: 'Vitesse' });
    await waitFor(() => expect(section.querySelector('[data-testid="speed-chart"]')?.getAttribute('data-points')).toBe('4'));
  });

  it('has no section, and asks nothing, without it', async () => {
    const fetch = renderPage({ ...alice, permissions: [] });
    expect(await screen.findByRole('heading', { name: 'sample', level: 1 })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Vitesse' })).toBeNull();
    expect(fetch.mock.calls.map((c) => String(c[0]))).not.toContain('/api/torrents/abc/speed');
  });
});

describe('speed frames through the live connection', () => {
  it('LiveProvider hands `speed` frames to the chart', async () => {
    serveSpeed();
    let socket: SocketLike | null = null;
    renderWithProviders(
      <LiveProvider
        createSocket={() => {
          socket = { onopen: null, onmessage: null, onclose: null, onerror: null, close() {} };
          return socket;
        }}
      >
        <GlobalSpeedChart />
      </LiveProvider>,
      { me: alice },
    );
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('3'));
    const s = socket as unknown as SocketLike;
    act(() => s.onopen?.(new Event('open')));
    for (let i = 1; i <= 2; i++) {
      const data = JSON.stringify({ type: 'speed', t: T0 + i, dl: i * 1024, up: 0 });
      act(() => s.onmessage?.(new MessageEvent('message', { data })));
    }
    await waitFor(() => expect(chart().getAttribute('data-points')).toBe('5'));
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('réception 2 Ko/s');
  });
});

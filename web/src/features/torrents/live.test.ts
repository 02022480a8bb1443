import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { TorrentDetail, TorrentList } from '../../api/types';
import { listBody, makeDetail, makeTorrent } from '../../test/torrents';
import { LiveClient, backoffDelay, liveUrl, parseLiveMessage, reduceTorrents, type LiveMessage, type SocketLike } from './live';
import { applyLiveMessage, forgetTorrent } from './liveCache';

const alice = { id: 2, username: 'alice', display_name: 'Alice' };
const bob = { id: 3, username: 'bob', display_name: 'Bob' };

const frame = (v: unknown) => JSON.stringify(v);

describe('parseLiveMessage', () => {
  it('reads full and delta torrents messages and status messages', () => {
    const t = makeTorrent({ hash: 'h1' });
    expect(parseLiveMessage(frame({ type: 'torrents', full: true, torrents: [t] }))).toEqual({
      type: 'torrents',
      full: true,
      torrents: [t],
    });
    expect(parseLiveMessage(frame({ type: 'torrents', full: false, changed: [t], removed: ['h2'] }))).toEqual({
      type: 'torrents',
      full: false,
      changed: [t],
      removed: ['h2'],
    });
    expect(parseLiveMessage(frame({ type: 'status', qbittorrent: 'down', error: 'connexion refusée' }))).toEqual({
      type: 'status',
      qbittorrent: 'down',
      error: 'connexion refusée',
    });
  });

  it('reads how many qBittorrent servers are down, when the status says it', () => {
    expect(parseLiveMessage(frame({ type: 'status', qbittorrent: 'ok', error: null, servers_down: 2 }))).toEqual({
      type: 'status',
      qbittorrent: 'ok',
      error: null,
      servers_down: 2,
    });
    expect(parseLiveMessage(frame({ type: 'status', qbittorrent: 'ok', error: null, servers_down: 'deux' }))).not.toHaveProperty(
      'servers_down',
    );
    expect(parseLiveMessage(frame({ type: 'status', qbittorrent: 'ok', error: null, servers_down: -1 }))).not.toHaveProperty(
      'servers_down',
    );
  });

  it('treats missing delta lists as empty and drops malformed torrents', () => {
    expect(parseLiveMessage(frame({ type: 'torrents', full: false, changed: [{ name: 'no hash' }, 3] }))).toEqual({
      type: 'torrents',
      full: false,
      changed: [],
      removed: [],
    });
  });

  it.each([
    ['unknown type', frame({ type: 'chat', text: 'salut' })],
    ['no type', frame({ torrents: [] })],
    ['not JSON', '{oops'],
    ['an array', frame([1, 2])],
    ['full neither true nor false', frame({ type: 'torrents', full: 'yes', torrents: [] })],
    ['unknown qBittorrent state', frame({ type: 'status', qbittorrent: 'maybe' })],
  ])('ignores %s', (_what, data) => {
    expect(parseLiveMessage(data)).toBeNull();
  });

  it('ignores binary frames', () => {
    expect(parseLiveMessage(new ArrayBuffer(4))).toBeNull();
  });
});

describe('reduceTorrents', () => {
  const t1 = makeTorrent({ hash: 'h1', progress: 0.1 });
  const t2 = makeTorrent({ hash: 'h2' });
  const t3 = makeTorrent({ hash: 'h3' });

  it('replaces everything on a full message', () => {
    const msg: LiveMessage = { type: 'torrents', full: true, torrents: [t3] };
    expect(reduceTorrents([t1, t2], msg)).toEqual([t3]);
  });

  it('applies changed (replace in place, append new) and removed', () => {
    const t1b = { ...t1, progress: 0.9 };
    const msg: LiveMessage = { type: 'torrents', full: false, changed: [t1b, t3], removed: ['h2'] };
    expect(reduceTorrents([t1, t2], msg)).toEqual([t1b, t3]);
  });

  it('a hash both changed and removed ends up removed', () => {
    const msg: LiveMessage = { type: 'torrents', full: false, changed: [t3], removed: ['h3'] };
    expect(reduceTorrents([t1], msg)).toEqual([t1]);
  });

  it('keeps only what belongs to the list, and drops a torrent that stopped belonging', () => {
    const mine = (t: { owner: { id: number } | null }) => t.owner?.id === 2;
    const a = makeTorrent({ hash: 'a', owner: alice });
    const b = makeTorrent({ hash: 'b', owner: bob });
    expect(reduceTorrents([], { type: 'torrents', full: true, torrents: [a, b] }, mine)).toEqual([a]);
    const given = { ...a, owner: bob };
    expect(reduceTorrents([a], { type: 'torrents', full: false, changed: [given, b], removed: [] }, mine)).toEqual([]);
  });

  it('keeps an undecided torrent where it is, and reports one it cannot place', () => {
    const mine = (t: { owner: { id: number } | null }) => (t.owner ? t.owner.id === 2 : undefined);
    const a = makeTorrent({ hash: 'a', owner: alice });
    const anon = { ...a, owner: null, progress: 1 };
    const newAnon = makeTorrent({ hash: 'n', owner: null });
    const undecided: string[] = [];
    const out = reduceTorrents([a], { type: 'torrents', full: false, changed: [anon, newAnon], removed: [] }, mine, (t) =>
      undecided.push(t.hash),
    );
    expect(out).toEqual([anon]);
    expect(undecided).toEqual(['n']);
    expect(reduceTorrents([a], { type: 'torrents', full: true, torrents: [anon, newAnon] }, mine)).toEqual([anon]);
  });

  it('returns the very same array for other messages and empty deltas', () => {
    const list = [t1];
    expect(reduceTorrents(list, { type: 'status', qbittorrent: 'ok', error: null })).toBe(list);
    expect(reduceTorrents(list, null)).toBe(list);
    expect(reduceTorrents(list, { type: 'torrents', full: false, changed: [], removed: [] })).toBe(list);
  });
});

describe('backoff and address', () => {
  it('waits 1, 2, 4… seconds, at most 30', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('uses ws on http and wss on https', () => {
    expect(liveUrl({ protocol: 'http:', host: 'essaim.local:8080' })).toBe('ws://essaim.local:8080/api/ws');
    expect(liveUrl({ protocol: 'https:', host: 'essaim.fr' })).toBe('wss://essaim.fr/api/ws');
  });
});

class FakeSocket implements SocketLike {
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  open() {
    this.onopen?.(new Event('open'));
  }
  receive(data: unknown) {
    this.onmessage?.(new MessageEvent('message', { data: typeof data === 'string' ? data : JSON.stringify(data) }));
  }
  drop() {
    this.onerror?.(new Event('error'));
    this.onclose?.(new CloseEvent('close', { code: 1006 }));
  }
  close() {
    this.closed = true;
  }
}

describe('LiveClient', () => {
  let sockets: FakeSocket[];
  let messages: LiveMessage[];
  let client: LiveClient;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    messages = [];
    client = new LiveClient({
      url: 'ws://x/api/ws',
      onMessage: (m) => messages.push(m),
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
    });
  });

  afterEach(() => {
    client.stop();
    vi.useRealTimers();
  });

  it('connects, reports open, hands over parsed messages and keeps the qBittorrent status', () => {
    const seen = vi.fn();
    client.subscribe(seen);
    client.start();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toBe('ws://x/api/ws');
    expect(client.getSnapshot().connection).toBe('connecting');
    sockets[0]!.open();
    expect(client.getSnapshot().connection).toBe('open');
    sockets[0]!.receive({ type: 'status', qbittorrent: 'down', error: 'IP bannie' });
    sockets[0]!.receive({ type: 'nonsense' });
    sockets[0]!.receive({ type: 'torrents', full: true, torrents: [] });
    expect(messages.map((m) => m.type)).toEqual(['status', 'torrents']);
    expect(client.getSnapshot()).toEqual({ connection: 'open', qbittorrent: 'down', error: 'IP bannie', liveUntil: null });
    expect(seen).toHaveBeenCalled();
  });

  it('keeps how many qBittorrent servers are down, forgotten once the socket closes', () => {
    client.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'status', qbittorrent: 'ok', error: null, servers_down: 1 });
    expect(client.getSnapshot()).toMatchObject({ qbittorrent: 'ok', serversDown: 1, liveUntil: null });
    sockets[0]!.receive({ type: 'status', qbittorrent: 'ok', error: null, servers_down: 0 });
    expect(client.getSnapshot().serversDown).toBe(0);
    sockets[0]!.receive({ type: 'status', qbittorrent: 'ok', error: null, servers_down: 2 });
    sockets[0]!.drop();
    expect(client.getSnapshot()).toMatchObject({ connection: 'lost', qbittorrent: null });
    expect(client.getSnapshot().serversDown).toBeUndefined();
  });

  it('reconnects after 1, 2, 4… s while it keeps failing, then starts again at 1 s', () => {
    client.start();
    sockets[0]!.drop();
    expect(client.getSnapshot().connection).toBe('lost');
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop();
    vi.advanceTimersByTime(1999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2]!.drop();
    vi.advanceTimersByTime(4000);
    expect(sockets).toHaveLength(4);

    // This one works, then drops: back to 1 s.
    sockets[3]!.open();
    sockets[3]!.receive({ type: 'torrents', full: true, torrents: [] });
    expect(client.getSnapshot().connection).toBe('open');
    sockets[3]!.drop();
    expect(client.getSnapshot()).toMatchObject({ connection: 'lost', qbittorrent: null });
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(5);
  });

  it('remembers when the values stopped being live', () => {
    vi.setSystemTime(Date.UTC(2026, 11, 7, 8, 0));
    client.start();
    sockets[0]!.open();
    expect(client.getSnapshot().liveUntil).toBeNull();
    sockets[0]!.receive({ type: 'status', qbittorrent: 'ok', error: null });
    vi.advanceTimersByTime(60_000);
    sockets[0]!.receive({ type: 'status', qbittorrent: 'down', error: 'Le serveur qBittorrent ne répond pas.' });
    const until = Date.UTC(2026, 11, 7, 8, 1);
    expect(client.getSnapshot().liveUntil).toBe(until);
    vi.advanceTimersByTime(5_000);
    sockets[0]!.drop();
    // Still the moment qBittorrent went down, not the socket's close.
    expect(client.getSnapshot().liveUntil).toBe(until);
    vi.advanceTimersByTime(1_000);
    sockets[1]!.open();
    sockets[1]!.receive({ type: 'status', qbittorrent: 'ok', error: null });
    expect(client.getSnapshot().liveUntil).toBeNull();
  });

  it('never waits more than 30 s', () => {
    client.start();
    for (let i = 0; i < 8; i++) {
      sockets[sockets.length - 1]!.drop();
      vi.advanceTimersByTime(30_000);
    }
    expect(sockets).toHaveLength(9);
  });

  it('stops for good: closes the socket and cancels the pending retry', () => {
    client.start();
    sockets[0]!.drop();
    client.stop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);

    client.start();
    expect(sockets).toHaveLength(2);
    client.stop();
    expect(sockets[1]!.closed).toBe(true);
  });

  it('never reconnects after the server closed it with 4001 (too many sockets: the oldest goes)', () => {
    client.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'status', qbittorrent: 'ok', error: null });
    sockets[0]!.onclose?.(new CloseEvent('close', { code: 4001, reason: 'Trop de connexions temps réel ouvertes' }));
    expect(client.getSnapshot()).toMatchObject({ connection: 'replaced', qbittorrent: null, error: null });
    expect(client.getSnapshot().liveUntil).toBe(Date.now());
    vi.advanceTimersByTime(120_000);
    client.retryNow(); // back online: still not (it would close another tab's socket)
    expect(sockets).toHaveLength(1);
  });

  it('retries at once when asked (the browser is back online)', () => {
    client.start();
    sockets[0]!.drop();
    client.retryNow();
    expect(sockets).toHaveLength(2);
    client.retryNow(); // already connecting: nothing more
    expect(sockets).toHaveLength(2);
  });
});

describe('applyLiveMessage (query cache)', () => {
  const ctx = { userId: 2, seeAll: true };
  const mineKey = ['torrents', 'mine'];
  const allKey = ['torrents', 'all'];
  const a = makeTorrent({ hash: 'a', owner: alice });
  const b = makeTorrent({ hash: 'b', owner: bob });
  const orphan = makeTorrent({ hash: 'o', owner: null });

  it('asks the server for "Mes torrents" when a new torrent comes without owner data', () => {
    const qc = new QueryClient();
    qc.setQueryData(mineKey, listBody([a]));
    applyLiveMessage(qc, { type: 'torrents', full: false, changed: [{ ...a, owner: null, progress: 0.7 }, orphan], removed: [] }, ctx);
    expect(qc.getQueryData<TorrentList>(mineKey)!.torrents.map((t) => [t.hash, t.progress])).toEqual([['a', 0.7]]);
    expect(qc.getQueryState(mineKey)!.isInvalidated).toBe(true);
    expect(qc.getQueryData(allKey)).toBeUndefined(); // deltas never create a list
  });

  it('asks about each unowned torrent once only', () => {
    const qc = new QueryClient();
    const asked = new Set<string>();
    const invalidate = vi.spyOn(qc, 'invalidateQueries');
    qc.setQueryData(mineKey, listBody([a]));
    const msg: LiveMessage = { type: 'torrents', full: false, changed: [orphan], removed: [] };
    applyLiveMessage(qc, msg, { ...ctx, asked });
    applyLiveMessage(qc, msg, { ...ctx, asked });
    applyLiveMessage(qc, msg, { ...ctx, asked });
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(asked.has('o')).toBe(true);
  });

  it('fills both lists from a full snapshot, "Mes torrents" with the user\'s own only', () => {
    const qc = new QueryClient();
    applyLiveMessage(qc, { type: 'torrents', full: true, torrents: [a, b, orphan] }, ctx);
    expect(qc.getQueryData<TorrentList>(mineKey)!.torrents.map((t) => t.hash)).toEqual(['a']);
    expect(qc.getQueryData<TorrentList>(allKey)!.torrents.map((t) => t.hash)).toEqual(['a', 'b', 'o']);
  });

  it('leaves "Tous les torrents" alone for a user who may not see it', () => {
    const qc = new QueryClient();
    applyLiveMessage(qc, { type: 'torrents', full: true, torrents: [a] }, { userId: 2, seeAll: false });
    expect(qc.getQueryData(allKey)).toBeUndefined();
    expect(qc.getQueryData<TorrentList>(mineKey)!.torrents).toHaveLength(1);
  });

  it('applies deltas to cached lists, keeping the other fields, and creates nothing', () => {
    const qc = new QueryClient();
    qc.setQueryData(mineKey, listBody([a], { qbittorrent: 'down', stale: true, error: 'x' }));
    const a2 = { ...a, progress: 1, state: 'seeding' as const };
    applyLiveMessage(qc, { type: 'torrents', full: false, changed: [a2, b], removed: [] }, ctx);
    const mine = qc.getQueryData<TorrentList>(mineKey)!;
    expect(mine.torrents).toEqual([a2]);
    expect(mine.qbittorrent).toBe('down');
    expect(qc.getQueryData(allKey)).toBeUndefined();

    applyLiveMessage(qc, { type: 'torrents', full: false, changed: [], removed: ['a'] }, ctx);
    expect(qc.getQueryData<TorrentList>(mineKey)!.torrents).toEqual([]);
  });

  it('updates an open detail page but keeps its trackers, and re-asks the server when it went away', async () => {
    const qc = new QueryClient();
    const detail = makeDetail({ hash: 'a', owner: alice, trackers: [{ url: 'u', status: 'working', message: '' }] });
    qc.setQueryData(['torrent', 'a'], detail);
    qc.setQueryData(['torrent', 'a', 'files'], { files: [] });
    applyLiveMessage(qc, { type: 'torrents', full: false, changed: [{ ...a, progress: 0.99 }], removed: [] }, ctx);
    const after = qc.getQueryData<TorrentDetail>(['torrent', 'a'])!;
    expect(after.progress).toBe(0.99);
    expect(after.trackers).toHaveLength(1);
    expect(qc.getQueryData(['torrent', 'a', 'files'])).toEqual({ files: [] });

    applyLiveMessage(qc, { type: 'torrents', full: false, changed: [], removed: ['a'] }, ctx);
    expect(qc.getQueryState(['torrent', 'a'])!.isInvalidated).toBe(true);
  });

  it('writes status messages into the cached lists', () => {
    const qc = new QueryClient();
    qc.setQueryData(mineKey, listBody([a]));
    applyLiveMessage(qc, { type: 'status', qbittorrent: 'down', error: 'connexion refusée' }, ctx);
    expect(qc.getQueryData<TorrentList>(mineKey)).toMatchObject({ qbittorrent: 'down', error: 'connexion refusée', stale: true });
    expect(qc.getQueryData(allKey)).toBeUndefined();
  });

  it('writes how many qBittorrent servers are down into the cached lists, when the status says it', () => {
    const qc = new QueryClient();
    qc.setQueryData(mineKey, listBody([a]));
    applyLiveMessage(qc, { type: 'status', qbittorrent: 'ok', error: null, servers_down: 1 }, ctx);
    expect(qc.getQueryData<TorrentList>(mineKey)).toMatchObject({ qbittorrent: 'ok', stale: false, servers_down: 1 });
    // A status without it (a single qBittorrent) leaves the number as it was.
    applyLiveMessage(qc, { type: 'status', qbittorrent: 'ok', error: null }, ctx);
    expect(qc.getQueryData<TorrentList>(mineKey)!.servers_down).toBe(1);
  });

  it("asks an administrator's lists again when qBittorrent fails (for the exact error), clears it when back", () => {
    const qc = new QueryClient();
    qc.setQueryData(mineKey, listBody([a], { error_detail: null }));
    qc.setQueryData(allKey, listBody([a, b]));
    applyLiveMessage(qc, { type: 'status', qbittorrent: 'down', error: 'Le serveur qBittorrent ne répond pas.' }, ctx);
    expect(qc.getQueryState(mineKey)!.isInvalidated).toBe(true);
    // A user's list has no detail to fetch.
    expect(qc.getQueryState(allKey)!.isInvalidated).toBe(false);

    qc.setQueryData(mineKey, listBody([a], { qbittorrent: 'down', error: 'x', error_detail: 'refusé par 10.0.0.2:8080' }));
    applyLiveMessage(qc, { type: 'status', qbittorrent: 'ok', error: null }, ctx);
    expect(qc.getQueryData<TorrentList>(mineKey)).toMatchObject({ qbittorrent: 'ok', error: null, error_detail: null });
  });

  it('forgetTorrent removes a deleted torrent from both lists', () => {
    const qc = new QueryClient();
    qc.setQueryData(mineKey, listBody([a]));
    qc.setQueryData(allKey, listBody([a, b]));
    forgetTorrent(qc, 'a');
    expect(qc.getQueryData<TorrentList>(mineKey)!.torrents).toEqual([]);
    expect(qc.getQueryData<TorrentList>(allKey)!.torrents).toEqual([b]);
  });
});

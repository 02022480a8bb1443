import { describe, expect, it } from 'vitest';
import type { LiveSnapshot } from './live';
import { liveness } from './liveness';

const snap = (s: Partial<LiveSnapshot>): LiveSnapshot => ({
  connection: 'open',
  qbittorrent: 'ok',
  error: null,
  liveUntil: null,
  ...s,
});

describe('liveness', () => {
  it('is live while the socket says qBittorrent is reachable', () => {
    expect(liveness(snap({}))).toEqual({ stale: false, since: null });
  });

  it('is stale from the moment qBittorrent was reported down', () => {
    expect(liveness(snap({ qbittorrent: 'down', liveUntil: 1000 }))).toEqual({ stale: true, since: 1000 });
  });

  it('socket lost: stale until a newer fetch succeeds', () => {
    const lost = snap({ connection: 'lost', qbittorrent: null, liveUntil: 5000 });
    expect(liveness(lost, { qbittorrent: 'ok', at: 4000, failing: false })).toEqual({ stale: true, since: 5000 });
    expect(liveness(lost, { qbittorrent: 'ok', at: 4000, failing: true })).toEqual({ stale: true, since: 5000 });
    expect(liveness(lost, { qbittorrent: 'ok', at: 6000, failing: false })).toEqual({ stale: false, since: null });
    expect(liveness(lost, { qbittorrent: 'down', at: 6000, failing: false })).toEqual({ stale: true, since: 5000 });
  });

  it('polling only (no socket yet, or replaced): follows the fetched list', () => {
    expect(liveness(null, { qbittorrent: 'ok', at: 10, failing: false }).stale).toBe(false);
    expect(liveness(null, { qbittorrent: 'down', stale: true, at: 10, failing: false })).toEqual({ stale: true, since: null });
    expect(liveness(snap({ connection: 'connecting', qbittorrent: null }), undefined).stale).toBe(false);
  });
});

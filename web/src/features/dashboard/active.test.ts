import { describe, expect, it } from 'vitest';
import { makeTorrent } from '../../test/torrents';
import { isDownloading, overlayLive } from './active';

describe('isDownloading', () => {
  it('follows the server: metadata, downloading, stalled, and queued while incomplete', () => {
    expect(isDownloading(makeTorrent({ state: 'downloading' }))).toBe(true);
    expect(isDownloading(makeTorrent({ state: 'metadata' }))).toBe(true);
    expect(isDownloading(makeTorrent({ state: 'stalled' }))).toBe(true);
    expect(isDownloading(makeTorrent({ state: 'queued', progress: 0.5 }))).toBe(true);
    expect(isDownloading(makeTorrent({ state: 'queued', progress: 1 }))).toBe(false);
    expect(isDownloading(makeTorrent({ state: 'seeding', progress: 1 }))).toBe(false);
    expect(isDownloading(makeTorrent({ state: 'downloading', removed: true }))).toBe(false);
  });
});

describe('overlayLive', () => {
  const a = makeTorrent({ hash: 'a', progress: 0.1 });
  const b = makeTorrent({ hash: 'b', progress: 0.2 });

  it('keeps the dashboard list without a live one', () => {
    expect(overlayLive([a, b], undefined)).toEqual({ torrents: [a, b], finished: [] });
  });

  it('takes the fresher copies and drops the finished ones', () => {
    const a2 = { ...a, progress: 0.5 };
    const b2 = { ...b, state: 'seeding' as const, progress: 1 };
    expect(overlayLive([a, b], [b2, a2])).toEqual({ torrents: [a2], finished: ['b'] });
    // A torrent the live list does not have stays as the dashboard sent it.
    expect(overlayLive([a, b], [a2])).toEqual({ torrents: [a2, b], finished: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { makeTorrent } from '../../test/torrents';
import { isIdle, shownSpeed, speedText } from './cells';

describe('the idle rule', () => {
  it('hides the chatter of finished and idle torrents', () => {
    const seeding = makeTorrent({ state: 'seeding', progress: 1 });
    expect(isIdle(seeding)).toBe(true);
    expect(speedText(seeding, 1)).toBe('—');
    expect(speedText(seeding, 1023)).toBe('—');
    expect(speedText(seeding, 0)).toBe('—');
    // A real upload still shows.
    expect(speedText(seeding, 2048)).toBe('2 Ko/s');
    expect(shownSpeed(makeTorrent({ state: 'paused', progress: 0.3 }), 12)).toBeNull();
    expect(shownSpeed(makeTorrent({ state: 'stalled', progress: 0.3 }), 300)).toBeNull();
  });

  it('keeps small speeds of a torrent that is downloading', () => {
    const dl = makeTorrent({ state: 'downloading', progress: 0.5 });
    expect(isIdle(dl)).toBe(false);
    expect(speedText(dl, 512)).toBe('512 o/s');
    expect(speedText(dl, 0)).toBe('0 o/s');
  });
});

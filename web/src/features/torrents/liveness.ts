import type { QbtStatus } from '../../api/types';
import type { LiveSnapshot } from './live';

/** What a page knows from its own fetch (a torrent list, the dashboard). */
export interface Fetched {
  /** qBittorrent's state as the server said it with the data (`stale`: the server's last known list). */
  qbittorrent?: QbtStatus;
  stale?: boolean;
  /** When the data was fetched (ms; TanStack Query's `dataUpdatedAt`), 0 when never. */
  at: number;
  /** The last fetch failed. */
  failing: boolean;
}

export interface Liveness {
  /** The values shown are no longer live (greyed, marked). */
  stale: boolean;
  /** When they last were (ms), null when this tab does not know. */
  since: number | null;
}

const LIVE: Liveness = { stale: false, since: null };
const fetchedOk = (f?: Fetched) => !!f && f.at > 0 && !f.failing && f.qbittorrent !== 'down' && !f.stale;

/**
 * Whether the values on screen are still live. With the socket open, its `status` decides
 * (qBittorrent down: stale from the moment it said so). Without it (lost, replaced, not open
 * yet) the page polls: the values are live again once a fetch made after the socket stopped
 * succeeded with qBittorrent reachable.
 */
export function liveness(live: LiveSnapshot | null, fetched?: Fetched): Liveness {
  if (live?.connection === 'open' && live.qbittorrent !== null) {
    return live.qbittorrent === 'down' ? { stale: true, since: live.liveUntil } : LIVE;
  }
  const until = live?.liveUntil ?? null;
  if (fetchedOk(fetched) && fetched!.at >= (until ?? 0)) return LIVE;
  if (until === null && (!fetched || fetched.at === 0)) return LIVE;
  if (until === null && live?.connection !== 'lost' && fetched?.qbittorrent !== 'down' && !fetched?.stale && !fetched?.failing) {
    return LIVE;
  }
  return { stale: true, since: until ?? (fetchedOk(fetched) ? fetched!.at : null) };
}

import i18n from '../../i18n';
import type { Torrent } from '../../api/types';
import { formatDuration, formatSize, formatSpeed } from '../../lib/format';
import { effectiveState } from './states';

/** Remaining time: "∞" when unknown, "—" once finished. */
export function etaText(t: Pick<Torrent, 'eta' | 'progress'>): string {
  if (t.progress >= 1) return '—';
  return t.eta === null ? '∞' : formatDuration(t.eta);
}

const swarm = (n: number) => (Number.isFinite(n) && n >= 0 ? String(n) : '?');

/** "connected (in the swarm)", as qBittorrent shows it: `1 (3)`. */
export function peersCount(connected: number, inSwarm: number): string {
  return `${swarm(connected)} (${swarm(inSwarm)})`;
}

/** Size, or "—" while the metadata (hence the size) is unknown. */
export function sizeText(t: Pick<Torrent, 'size'>): string {
  return t.size > 0 ? formatSize(t.size) : '—';
}

export function ownerName(t: Pick<Torrent, 'owner'>): string {
  return t.owner?.display_name || t.owner?.username || i18n.t('torrents.noOwner');
}

/**
 * Below this a finished or idle torrent counts as not transferring: qBittorrent reports a few
 * bytes a second of protocol chatter (keep-alives, tracker and DHT traffic) on torrents that
 * move nothing, which would read "1 o/s".
 */
export const IDLE_SPEED = 1024;

/** Not meant to move data by itself: finished, paused, queued, stalled, failed, removed. */
export function isIdle(t: Pick<Torrent, 'state' | 'removed' | 'progress'>): boolean {
  const s = effectiveState(t);
  return t.progress >= 1 || !(s === 'downloading' || s === 'metadata' || s === 'checking' || s === 'moving');
}

/** THE idle rule: the speed worth showing, or null ("—") for an idle torrent's chatter. */
export function shownSpeed(t: Pick<Torrent, 'state' | 'removed' | 'progress'>, bytesPerSecond: number): number | null {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return isIdle(t) ? null : 0;
  return bytesPerSecond < IDLE_SPEED && isIdle(t) ? null : bytesPerSecond;
}

/** A speed cell: "—" when idle (see `shownSpeed`). */
export function speedText(t: Pick<Torrent, 'state' | 'removed' | 'progress'>, bytesPerSecond: number): string {
  const v = shownSpeed(t, bytesPerSecond);
  return v === null ? '—' : formatSpeed(v);
}

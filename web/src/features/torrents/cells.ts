import i18n from '../../i18n';
import type { Torrent } from '../../api/types';
import { formatDuration, formatSize } from '../../lib/format';

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

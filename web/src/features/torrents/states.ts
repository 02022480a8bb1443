import i18n from '../../i18n';
import type { Torrent, TorrentState, TrackerStatus } from '../../api/types';

/** Every essaim state, in the order used by the state filter and the dashboard. */
export const TORRENT_STATES: readonly TorrentState[] = [
  'downloading',
  'seeding',
  'paused',
  'completed',
  'stalled',
  'metadata',
  'queued',
  'checking',
  'moving',
  'error',
  'removed',
];

const KNOWN = new Set<string>(TORRENT_STATES);

/** The state to show: a torrent qBittorrent no longer has is "Supprimé" whatever its last state. */
export function effectiveState(t: Pick<Torrent, 'state' | 'removed'>): TorrentState {
  return t.removed ? 'removed' : t.state;
}

/** French label of a state (qBittorrent's own words); "État inconnu" for a state this version does not know. */
export function stateLabel(state: string): string {
  return KNOWN.has(state)
    ? i18n.t(`torrents.states.${state as TorrentState}`)
    : i18n.t('torrents.states.unknown');
}

export type Tone = 'blue' | 'green' | 'teal' | 'amber' | 'violet' | 'indigo' | 'cyan' | 'stone' | 'red' | 'muted';

const TONES: Record<TorrentState, Tone> = {
  metadata: 'violet',
  downloading: 'blue',
  stalled: 'amber',
  seeding: 'green',
  paused: 'stone',
  completed: 'teal',
  queued: 'indigo',
  checking: 'cyan',
  moving: 'cyan',
  error: 'red',
  removed: 'muted',
};

export function stateTone(state: string): Tone {
  return KNOWN.has(state) ? TONES[state as TorrentState] : 'stone';
}

/** Paused, finished and failed torrents can be resumed; active ones can be paused; removed ones neither. */
export function canResume(t: Pick<Torrent, 'state' | 'removed'>): boolean {
  const s = effectiveState(t);
  return s === 'paused' || s === 'completed' || s === 'error';
}

export function canPause(t: Pick<Torrent, 'state' | 'removed'>): boolean {
  const s = effectiveState(t);
  return s !== 'removed' && !canResume(t);
}

const TRACKER_STATUSES = new Set<string>(['working', 'not_working', 'updating', 'not_contacted', 'disabled']);

export function trackerStatusLabel(status: string): string {
  return TRACKER_STATUSES.has(status)
    ? i18n.t(`torrents.trackerStatus.${status as TrackerStatus}`)
    : i18n.t('torrents.trackerStatus.unknown');
}

import type { Torrent, TorrentDetail } from '../api/types';

let serial = 0;

/** A Torrent object as the server sends it, with overridable fields. */
export function makeTorrent(overrides: Partial<Torrent> = {}): Torrent {
  serial += 1;
  const hash = overrides.hash ?? serial.toString(16).padStart(40, '0');
  return {
    hash,
    info_hash_v1: hash,
    info_hash_v2: null,
    name: `torrent-${serial}`,
    owner: { id: 2, username: 'alice', display_name: 'Alice' },
    state: 'downloading',
    qbt_state: 'downloading',
    progress: 0.42,
    size: 3_670_016,
    downloaded: 1_541_406,
    uploaded: 0,
    dlspeed: 850 * 1024,
    upspeed: 0,
    eta: 12,
    num_seeds: 1,
    num_leechs: 0,
    num_complete: 3,
    num_incomplete: 1,
    ratio: 0,
    added_on: 1_795_681_907,
    completion_on: null,
    // As an ordinary user gets it: no `save_path` nor `placement` (administrators only).
    tracker: 'http://127.0.0.1:16969/announce',
    removed: false,
    can_act: true,
    ...overrides,
  };
}

export function makeDetail(overrides: Partial<TorrentDetail> = {}): TorrentDetail {
  return {
    ...makeTorrent(overrides),
    trackers: [],
    piece_size: 262_144,
    comment: '',
    location: '',
    ...overrides,
  };
}

export function listBody(torrents: Torrent[], extra: Record<string, unknown> = {}) {
  return { torrents, qbittorrent: 'ok', stale: false, error: null, ...extra };
}

/** What an administrator gets on top: the absolute folder and where it is. */
export function asAdminView<T extends Torrent>(t: T, savePath: string, placement: Torrent['placement'] = 'user_folder'): T {
  return { ...t, save_path: savePath, placement };
}

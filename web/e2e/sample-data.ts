import type { Page } from '@playwright/test';

/**
 * Example torrents for the layout screenshots only. Until the server serves a
 * real swarm in the screenshot run, `withSampleTorrents` answers the torrent
 * routes and the live socket from the browser side (Playwright interception);
 * every other call still reaches the real `essaim serve`.
 */

const now = Math.floor(Date.UTC(2026, 10, 24, 13, 5) / 1000);
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const hex = (n: number) => n.toString(16).padStart(2, '0').repeat(20);

type Owner = { id: number; username: string; display_name: string } | null;

function torrent(n: number, name: string, fields: Record<string, unknown>, owner: Owner, canAct = true) {
  return {
    hash: hex(n),
    info_hash_v1: hex(n),
    info_hash_v2: n % 2 ? `${hex(n)}${hex(n).slice(0, 24)}` : null,
    name,
    owner,
    state: 'downloading',
    qbt_state: 'downloading',
    progress: 0,
    size: 0,
    downloaded: 0,
    uploaded: 0,
    dlspeed: 0,
    upspeed: 0,
    eta: null,
    num_seeds: 0,
    num_leechs: 0,
    num_complete: 0,
    num_incomplete: 0,
    ratio: 0,
    added_on: now - n * 3_600,
    completion_on: null,
    tracker: 'https://tracker.exemple.fr/announce',
    removed: false,
    can_act: canAct,
    ...fields,
  };
}

export function sampleTorrents(me: { id: number; username: string; display_name: string }) {
  const camille = { id: 90, username: 'camille', display_name: 'Camille Dupré' };
  const mine = [
    torrent(1, 'ubuntu-24.04.1-desktop-amd64.iso', { progress: 0.423, size: 5.8 * GiB, downloaded: 2.45 * GiB, dlspeed: 8.5 * MiB, upspeed: 310 * 1024, eta: 412, num_seeds: 12, num_complete: 230, num_leechs: 3, num_incomplete: 41, ratio: 0.08 }, me),
    torrent(2, 'Le Voyage dans la Lune (1902) – restauration 4K', { state: 'seeding', qbt_state: 'uploading', progress: 1, size: 1.2 * GiB, downloaded: 1.2 * GiB, uploaded: 1.64 * GiB, upspeed: 1.2 * MiB, num_leechs: 2, num_incomplete: 5, num_complete: 18, ratio: 1.37, completion_on: now - 7_200 }, me),
    torrent(3, 'debian-12.7.0-amd64-netinst.iso', { state: 'paused', qbt_state: 'stoppedDL', progress: 0.1, size: 631 * MiB, downloaded: 63 * MiB, num_complete: 80, num_incomplete: 4 }, me),
    torrent(4, 'Archives photos été 2024', { state: 'completed', qbt_state: 'stoppedUP', progress: 1, size: 14.2 * GiB, downloaded: 14.2 * GiB, uploaded: 3 * GiB, ratio: 0.21, completion_on: now - 86_400 }, me),
    torrent(5, 'Big Buck Bunny', { state: 'metadata', qbt_state: 'metaDL' }, me),
    torrent(6, 'Sintel.2010.1080p.mkv', { state: 'stalled', qbt_state: 'stalledDL', progress: 0.634, size: 1.1 * GiB, downloaded: 0.7 * GiB, num_complete: 0, num_incomplete: 2 }, me),
    torrent(7, 'fichier-corrompu.bin', { state: 'error', qbt_state: 'missingFiles', progress: 0.5, size: 20 * MiB, downloaded: 10 * MiB }, me),
    torrent(8, 'Ancien partage', { state: 'removed', removed: true, progress: 1, size: 700 * MiB, downloaded: 700 * MiB, ratio: 2.5 }, me),
  ];
  const others = [
    torrent(9, 'Cours de cuisine – saison 3', { state: 'seeding', qbt_state: 'stalledUP', progress: 1, size: 3.4 * GiB, downloaded: 3.4 * GiB, ratio: 0.96 }, camille, false),
    torrent(10, 'LibreOffice_24.8.2_Linux_x86-64_deb.tar.gz', { state: 'queued', qbt_state: 'queuedDL', progress: 0, size: 210 * MiB }, null, false),
  ];
  return { mine, all: [...mine, ...others] };
}

/** Torrents still in the shared folder (added before per-user folders), in the administrator's view. */
const SHARED = new Set([hex(9), hex(10)]);
export const sampleRoot = '/srv/telechargements';

/**
 * What an administrator gets on top of a torrent: its absolute folder and `placement`
 * (ordinary users get neither, only the detail's `location`).
 */
export function asAdmin<T extends { hash: string; owner: Owner }>(t: T) {
  const shared = SHARED.has(t.hash);
  return {
    ...t,
    save_path: shared ? sampleRoot : `${sampleRoot}/${t.owner?.username ?? ''}`,
    placement: shared ? 'shared' : t.owner ? 'user_folder' : 'elsewhere',
    // An administrator may act on every torrent.
    can_act: true,
  };
}

export function sampleDetail(t: ReturnType<typeof sampleTorrents>['mine'][number]) {
  return {
    ...t,
    // The folder inside the owner's own ("" = that folder), null when outside it.
    location: SHARED.has(t.hash) ? null : '',
    piece_size: 4 * MiB,
    comment: 'Image officielle, vérifiez la somme SHA256.',
    trackers: [
      { url: 'https://torrent.ubuntu.com/announce', status: 'working', message: '' },
      { url: 'udp://tracker.exemple.fr:1337/announce', status: 'not_working', message: 'Délai de connexion dépassé' },
      { url: 'https://ipv6.torrent.ubuntu.com/announce', status: 'updating', message: '' },
      { url: 'http://tracker.ancien.fr/announce', status: 'not_contacted', message: '' },
    ],
  };
}

const file = (index: number, path: string, size: number, progress: number, priority = 1) => ({
  index,
  path,
  size,
  progress,
  priority,
  downloadable: false,
  unavailable: progress < 1 ? 'incomplete' : null,
});

export const sampleFiles = [
  file(0, 'ubuntu-24.04.1/casper/filesystem.squashfs', 5.2 * GiB, 0.4),
  file(1, 'ubuntu-24.04.1/casper/vmlinuz', 14 * MiB, 1),
  file(2, 'ubuntu-24.04.1/casper/initrd', 70 * MiB, 1),
  file(3, 'ubuntu-24.04.1/pool/main/é/éditeur/éditeur_1.0_amd64.deb', 2 * MiB, 0, 0),
  file(4, 'ubuntu-24.04.1/boot/grub/grub.cfg', 1200, 1),
  file(5, 'ubuntu-24.04.1/LISEZ-MOI.txt', 4200, 1),
  file(6, 'ubuntu-24.04.1/SHA256SUMS', 300, 0),
];

/**
 * Serves the example torrents for this page (lists, one detail, its files, adds, and the live
 * socket). `admin`: as an administrator gets them (`save_path`, `placement`: two are still in
 * the shared folder).
 */
export async function withSampleTorrents(
  page: Page,
  me: { id: number; username: string; display_name: string },
  { admin = false }: { admin?: boolean } = {},
) {
  type Sample = ReturnType<typeof sampleTorrents>['all'][number] & { save_path?: string; placement?: string };
  const view = (t: Sample): Sample => (admin ? asAdmin(t) : t);
  const base = sampleTorrents(me);
  const data = { mine: base.mine.map(view), all: base.all.map(view) };
  const list = (torrents: unknown[]) => ({ torrents, qbittorrent: 'ok', stale: false, error: null });
  await page.route(/\/api\/torrents\?scope=(mine|all)$/, (route) =>
    route.fulfill({ json: list(route.request().url().endsWith('all') ? data.all : data.mine) }),
  );
  await page.route(/\/api\/torrents\/[0-9a-f]{40}$/, (route) => {
    const hash = route.request().url().split('/').pop()!;
    const t = data.all.find((x) => x.hash === hash);
    return t
      ? route.fulfill({ json: sampleDetail(t) })
      : route.fulfill({ status: 404, json: { error: { code: 'torrent_not_found', message: 'Torrent introuvable.' } } });
  });
  await page.route(/\/api\/torrents\/[0-9a-f]{40}\/files$/, (route) => route.fulfill({ json: { files: sampleFiles } }));
  await page.route(/\/api\/torrents$/, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          json: {
            results: [
              { input: 'magnet:?xt=urn:btih:…&dn=Un+film', ok: true, hash: hex(11), name: 'Un film du domaine public' },
              {
                input: 'magnet:?xt=urn:btih:0123',
                ok: false,
                error: { code: 'invalid_magnet', message: "Ce lien magnet n'est pas valide." },
              },
              {
                input: 'ubuntu-24.04.1-desktop-amd64.iso.torrent',
                ok: false,
                error: { code: 'duplicate_torrent', message: 'Vous avez déjà ajouté ce torrent.' },
              },
            ],
          },
        })
      : route.fallback(),
  );
  await page.routeWebSocket(/\/api\/ws$/, (ws) => {
    ws.send(JSON.stringify({ type: 'status', qbittorrent: 'ok', error: null }));
    ws.send(JSON.stringify({ type: 'torrents', full: true, torrents: data.all }));
  });
  return data;
}

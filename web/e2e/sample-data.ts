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
  downloadable: progress >= 1,
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
  file(7, 'ubuntu-24.04.1/fond-ecran.png', 1.8 * MiB, 1),
];

/** Downloads as a server serving the files itself gives them (direct mode: .zip per folder). */
export const sampleDownloads = { available: true, reason: null, direct: true, zip: true, ttl: 21_600 };

/**
 * Serves the example torrents for this page (lists, one detail, its files, adds, and the live
 * socket). `admin`: as an administrator gets them (`save_path`, `placement`: two are still in
 * the shared folder).
 */
export async function withSampleTorrents(
  page: Page,
  me: { id: number; username: string; display_name: string },
  {
    admin = false,
    rename,
  }: {
    admin?: boolean;
    /** Other names for the examples (long release names: e2e/list.spec.ts). */
    rename?: (name: string, index: number) => string;
  } = {},
) {
  type Sample = ReturnType<typeof sampleTorrents>['all'][number] & { save_path?: string; placement?: string };
  let index = 0;
  const names = new Map<string, string>();
  const view = (t: Sample): Sample => {
    if (rename && !names.has(t.hash)) names.set(t.hash, rename(t.name, index++));
    const named = rename ? { ...t, name: names.get(t.hash)! } : t;
    return admin ? asAdmin(named) : named;
  };
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
  await page.route(/\/api\/torrents\/[0-9a-f]{40}\/files$/, (route) => route.fulfill({ json: { files: sampleFiles, downloads: sampleDownloads } }));
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

/** A speed curve of `n` points `step` seconds apart ending now (the browser's clock): a morning's downloads. */
function speedCurve(n: number, step: number, scale = 1) {
  const end = Math.floor(Date.now() / 1000 / step) * step;
  return Array.from({ length: n }, (_, i) => {
    const x = i / n;
    const dl = Math.max(0, (6 + 5 * Math.sin(x * 9) + 3 * Math.sin(x * 31)) * MiB * scale);
    const up = Math.max(0, (0.8 + 0.5 * Math.cos(x * 7)) * MiB * scale);
    return [end - (n - 1 - i) * step, Math.round(dl), Math.round(up)];
  });
}

/**
 * The rest of what the page tour shows filled (e2e/tour.ts), answered from the browser side
 * like the torrents: the dashboard (with qBittorrent connected), the speed histories, search
 * results and notifications. Call after `withSampleTorrents` (routes added later win).
 */
export async function withSampleExtras(page: Page, data: { mine: Array<{ hash: string }> }) {
  const steps = { '10m': 1, '1h': 10, '24h': 240 } as const;
  await page.route(/\/api\/stats\/speed\?range=(10m|1h|24h)$/, (route) => {
    const range = /range=(\w+)$/.exec(route.request().url())![1] as keyof typeof steps;
    const step = steps[range];
    return route.fulfill({ json: { range, step, samples: speedCurve(Math.min(600, (range === '10m' ? 600 : range === '1h' ? 3600 : 86_400) / step), step) } });
  });
  await page.route(/\/api\/torrents\/[0-9a-f]{40}\/speed$/, (route) =>
    route.fulfill({ json: { hash: route.request().url().split('/').at(-2), samples: speedCurve(600, 1, 0.4) } }),
  );
  const completion = (id: number, name: string, ago: number) => ({
    id,
    kind: 'completed',
    torrent_hash: hex(id),
    torrent_name: name,
    message: `« ${name} » est terminé.`,
    created_at: Math.floor(Date.now() / 1000) - ago,
    read_at: id > 2 ? Math.floor(Date.now() / 1000) - ago + 60 : null,
  });
  const notifications = [
    completion(2, 'Le Voyage dans la Lune (1902) – restauration 4K', 7_200),
    {
      id: 3,
      kind: 'limit_stopped',
      torrent_hash: hex(6),
      torrent_name: 'Sintel.2010.1080p.mkv',
      message: '« Sintel.2010.1080p.mkv » a été mis en pause : vous avez atteint votre nombre de téléchargements actifs.',
      created_at: Math.floor(Date.now() / 1000) - 20_000,
      read_at: null,
    },
    completion(4, 'Archives photos été 2024', 86_400),
    {
      id: 5,
      kind: 'error',
      torrent_hash: hex(7),
      torrent_name: 'fichier-corrompu.bin',
      message: '« fichier-corrompu.bin » est en erreur : des fichiers manquent.',
      created_at: Math.floor(Date.now() / 1000) - 90_000,
      read_at: Math.floor(Date.now() / 1000) - 80_000,
    },
  ];
  await page.route(/\/api\/notifications\?limit=\d+$/, (route) =>
    route.fulfill({ json: { notifications, unread: notifications.filter((n) => n.read_at === null).length } }),
  );
  await page.route(/\/api\/dashboard$/, async (route) => {
    // The server's own answer (the user, their limits, the administrators' totals), filled in.
    const real = (await (await route.fetch()).json()) as Record<string, unknown>;
    const active = (data.mine as Array<{ hash: string; state?: string }>).filter((t) => t.state === 'downloading' || t.state === 'stalled');
    return route.fulfill({
      json: {
        ...real,
        qbittorrent: 'ok',
        qbittorrent_error: '',
        qbittorrent_detail: null,
        speed: { dl: 8.5 * MiB, up: 1.5 * MiB },
        free_space: 412 * GiB,
        active,
        recent_completions: [completion(2, 'Le Voyage dans la Lune (1902) – restauration 4K', 7_200), completion(4, 'Archives photos été 2024', 86_400)],
        unread: 2,
        usage: { torrents: 8, active: 3, disk_used: 23.9 * GiB },
      },
    });
  });
  const result = (n: number, title: string, fields: Record<string, unknown>) => ({
    id: `resultat-${n}`,
    title,
    tracker: n % 2 ? 'Torrent9' : 'YGGtorrent',
    tracker_id: n % 2 ? 'torrent9' : 'yggtorrent',
    category: 'Movies, Movies/HD',
    size: 1.4 * GiB,
    seeders: 120 - n * 9,
    leechers: 4 + n,
    grabs: 800 - n * 40,
    published: Math.floor(Date.now() / 1000) - n * 86_400 * 3,
    details_url: `https://exemple.org/torrent/${n}`,
    freeleech: n === 2,
    info_hash: null,
    added: null,
    on_server: false,
    ...fields,
  });
  const results = [
    result(1, 'Ubuntu 24.04.1 LTS Desktop amd64', { category: 'PC, PC/ISO', size: 5.8 * GiB, added: { hash: hex(1) }, on_server: true }),
    result(2, 'Le Voyage dans la Lune 1902 MULTi 1080p BluRay', {}),
    result(3, 'Nosferatu 1922 VOSTFR 720p', { size: 900 * MiB, info_hash: hex(3), on_server: true }),
    result(4, 'Metropolis (1927) restauration intégrale 2160p', { category: 'Movies, Movies/UHD, Movies/Foreign', size: 18.2 * GiB }),
    result(5, 'Big Buck Bunny 60fps 4K', { category: 'Movies, Movies/UHD', size: 642 * MiB, seeders: 3 }),
  ];
  await page.route(/\/api\/search\/indexers$/, (route) =>
    route.fulfill({ json: { indexers: [{ id: 'yggtorrent', name: 'YGGtorrent' }, { id: 'torrent9', name: 'Torrent9' }] } }),
  );
  await page.route(/\/api\/search\/recent$/, (route) =>
    route.request().method() === 'GET'
      ? route.fulfill({
          json: {
            searches: [
              { id: 1, q: 'ubuntu', category: 'tout', indexer: '', results: 5, searched_at: Math.floor(Date.now() / 1000) - 60 },
              { id: 2, q: 'films muets', category: 'films', indexer: 'torrent9', results: 12, searched_at: Math.floor(Date.now() / 1000) - 86_400 },
            ],
          },
        })
      : route.fallback(),
  );
  await page.route(/\/api\/search\?/, (route) =>
    route.fulfill({
      json: {
        results,
        indexers: [
          { id: 'yggtorrent', name: 'YGGtorrent', ok: true, results: 3, elapsed_ms: 640, error: null },
          { id: 'torrent9', name: 'Torrent9', ok: true, results: 2, elapsed_ms: 910, error: null },
        ],
        failed: [],
        elapsed_ms: 930,
      },
    }),
  );
}

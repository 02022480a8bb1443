import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import type { ServerState } from './server';

/**
 * The loopback swarm scripts/e2e.sh starts (ESSAIM_E2E_SWARM): its main qBittorrent, the
 * seeder's BitTorrent address, the downloads folder and the extra .torrent files it seeds.
 */
export interface SwarmEnv {
  qbt_url: string;
  qbt_username: string;
  qbt_password: string;
  seed_peer: string;
  downloads_dir: string;
  media_torrent: string;
  album_torrent: string;
}

export const swarmEnv: Partial<SwarmEnv> = process.env.ESSAIM_E2E_SWARM
  ? (JSON.parse(process.env.ESSAIM_E2E_SWARM) as Partial<SwarmEnv>)
  : {};

/** essaim's environment for a spec driving the swarm's qBittorrent. */
export function qbtEnv(): Record<string, string> {
  return {
    ESSAIM_QBT_URL: swarmEnv.qbt_url!,
    ESSAIM_QBT_USERNAME: swarmEnv.qbt_username!,
    ESSAIM_QBT_PASSWORD: swarmEnv.qbt_password!,
  };
}

/** Tells the main qBittorrent where the seeder is (the tracker does not know these torrents). */
export async function connectToSeeder(hash: string) {
  const login = await fetch(`${swarmEnv.qbt_url}/api/v2/auth/login`, {
    method: 'POST',
    body: new URLSearchParams({ username: swarmEnv.qbt_username!, password: swarmEnv.qbt_password! }),
  });
  const sid = /SID=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  expect(sid, 'qBittorrent login').toBeTruthy();
  const headers = { Cookie: `SID=${sid}` };
  await expect
    .poll(async () => (await (await fetch(`${swarmEnv.qbt_url}/api/v2/torrents/info?hashes=${hash}`, { headers })).json()).length, {
      timeout: 15_000,
    })
    .toBe(1);
  const res = await fetch(`${swarmEnv.qbt_url}/api/v2/torrents/addPeers`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ hashes: hash, peers: swarmEnv.seed_peer! }),
  });
  expect(res.status).toBe(200);
}

/** Registers a user through the API (the page is then logged in as them). */
export async function registerUser(page: Page, server: ServerState, prefix: string, displayName: string) {
  const reg = await page.request.post(`${server.url}/api/auth/register`, {
    data: { username: `${prefix}-${Date.now().toString(36)}`, password: 'une-ruche-bien-remplie', display_name: displayName },
  });
  expect(reg.status(), await reg.text()).toBe(201);
}

/** Adds a .torrent file as the logged-in user; returns its hash. */
export async function addTorrentFile(page: Page, server: ServerState, file: string): Promise<string> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'csrf_token')?.value ?? '';
  const res = await page.request.post(`${server.url}/api/torrents`, {
    headers: { 'X-CSRF-Token': csrf, Origin: server.url },
    multipart: { torrents: { name: 'ajout.torrent', mimeType: 'application/x-bittorrent', buffer: readFileSync(file) } },
  });
  expect(res.status(), await res.text()).toBe(200);
  const result = (await res.json()).results[0];
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return result.hash as string;
}

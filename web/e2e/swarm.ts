import { spawn } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { freePort, type ServerState } from './server';

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

/** Adds magnet links as the logged-in user; returns their hashes. */
export async function addMagnets(page: Page, server: ServerState, magnets: string[]): Promise<string[]> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'csrf_token')?.value ?? '';
  const res = await page.request.post(`${server.url}/api/torrents`, {
    headers: { 'X-CSRF-Token': csrf, Origin: server.url },
    data: { magnets },
  });
  expect(res.status(), await res.text()).toBe(200);
  const results = (await res.json()).results as { ok: boolean; hash: string }[];
  for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
  return results.map((r) => r.hash);
}

/** One call to the main qBittorrent's WebUI API (a fresh login each time). */
export async function qbtCall(endpoint: string, form: Record<string, string>): Promise<number> {
  const login = await fetch(`${swarmEnv.qbt_url}/api/v2/auth/login`, {
    method: 'POST',
    body: new URLSearchParams({ username: swarmEnv.qbt_username!, password: swarmEnv.qbt_password! }),
  });
  const sid = /SID=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  expect(sid, 'qBittorrent login').toBeTruthy();
  const res = await fetch(`${swarmEnv.qbt_url}/api/v2/${endpoint}`, {
    method: 'POST',
    headers: { Cookie: `SID=${sid}` },
    body: new URLSearchParams(form),
  });
  return res.status;
}

/**
 * The swarm's directory (scripts/local-swarm.sh DIR): its main qBittorrent's profile is DIR/main,
 * its PID in DIR/main.pid (what `local-swarm.sh stop` and e2e.sh's cleanup kill), and its
 * downloads in DIR/downloads.
 */
function swarmDir(): string {
  return path.dirname(swarmEnv.downloads_dir!);
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie (exited, not reaped yet) is not running.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

async function mainAnswers(): Promise<boolean> {
  try {
    const res = await fetch(`${swarmEnv.qbt_url}/api/v2/app/version`, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200 || res.status === 403;
  } catch {
    return false;
  }
}

/** Stops the swarm's main qBittorrent (SIGTERM by its PID) and waits until it is gone. */
export async function stopMainQbt(): Promise<void> {
  const pid = Number(readFileSync(path.join(swarmDir(), 'main.pid'), 'utf8').trim());
  expect(pid, 'main.pid').toBeGreaterThan(0);
  if (running(pid)) process.kill(pid, 'SIGTERM');
  await expect.poll(() => running(pid), { timeout: 30_000, message: 'main qBittorrent exit' }).toBe(false);
  expect(await mainAnswers(), 'main qBittorrent still answers').toBe(false);
}

/**
 * Starts the main qBittorrent again on the same profile (its ports are in its configuration),
 * detached, its PID written to main.pid so that the swarm's stop still finds it.
 */
export async function startMainQbt(): Promise<void> {
  const profile = path.join(swarmDir(), 'main');
  const out = openSync(path.join(profile, 'stdout.log'), 'a');
  const child = spawn('qbittorrent-nox', [`--profile=${profile}`], { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  writeFileSync(path.join(swarmDir(), 'main.pid'), `${child.pid}\n`);
  await expect.poll(mainAnswers, { timeout: 30_000, message: 'main qBittorrent WebUI' }).toBe(true);
}

/** Another qBittorrent of the spec's own (several qBittorrent servers): its WebUI and how to stop it. */
export interface ExtraQbt {
  url: string;
  username: string;
  password: string;
  pid: number;
  /** SIGTERM by its PID, then its profile is removed. */
  stop: () => Promise<void>;
}

/** qBittorrent's stored WebUI password: `@ByteArray(salt:PBKDF2-HMAC-SHA512(100000, 64 bytes))`, as local-swarm.sh writes it. */
function qbtPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const key = pbkdf2Sync(password, salt, 100_000, 64, 'sha512');
  return `@ByteArray(${salt.toString('base64')}:${key.toString('base64')})`;
}

/**
 * Starts a qbittorrent-nox of its own on free loopback ports (WebUI and BitTorrent), configured
 * like the swarm's (scripts/local-swarm.sh: loopback only, no DHT/LSD/PeX/UPnP), with its own
 * empty downloads folder.
 */
export async function startExtraQbt(username = 'admin', password = 'adminadmin'): Promise<ExtraQbt> {
  const dir = mkdtempSync(path.join(tmpdir(), 'essaim-e2e-qbt-'));
  const profile = path.join(dir, 'profile');
  const downloads = path.join(dir, 'downloads');
  mkdirSync(path.join(profile, 'qBittorrent', 'config'), { recursive: true });
  mkdirSync(downloads, { recursive: true });
  const webui = await freePort();
  const bt = await freePort();
  writeFileSync(
    path.join(profile, 'qBittorrent', 'config', 'qBittorrent.conf'),
    [
      '[LegalNotice]',
      'Accepted=true',
      '',
      '[BitTorrent]',
      `Session\\Port=${bt}`,
      'Session\\Interface=lo',
      'Session\\InterfaceName=lo',
      'Session\\InterfaceAddress=127.0.0.1',
      'Session\\MultiConnectionsPerIp=true',
      'Session\\DHTEnabled=false',
      'Session\\LSDEnabled=false',
      'Session\\PeXEnabled=false',
      'Session\\QueueingSystemEnabled=false',
      `Session\\DefaultSavePath=${downloads}`,
      'Session\\TempPathEnabled=false',
      '',
      '[Network]',
      'PortForwardingEnabled=false',
      '',
      '[Preferences]',
      'General\\Locale=en',
      'Connection\\UPnP=false',
      'WebUI\\Enabled=true',
      'WebUI\\Address=127.0.0.1',
      `WebUI\\Port=${webui}`,
      'WebUI\\UseUPnP=false',
      'WebUI\\LocalHostAuth=true',
      `WebUI\\Username=${username}`,
      `WebUI\\Password_PBKDF2="${qbtPasswordHash(password)}"`,
      '',
    ].join('\n'),
  );
  const out = openSync(path.join(dir, 'stdout.log'), 'a');
  const child = spawn('qbittorrent-nox', [`--profile=${profile}`, `--webui-port=${webui}`, `--torrenting-port=${bt}`], {
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const url = `http://127.0.0.1:${webui}`;
  const answers = async () => {
    try {
      return (await fetch(`${url}/api/v2/app/version`, { signal: AbortSignal.timeout(2_000) })).status > 0;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    const pid = child.pid!;
    if (running(pid)) process.kill(pid, 'SIGTERM');
    await expect.poll(() => running(pid), { timeout: 30_000, message: 'extra qBittorrent exit' }).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await expect.poll(answers, { timeout: 30_000, message: 'extra qBittorrent WebUI' }).toBe(true);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, username, password, pid: child.pid!, stop };
}

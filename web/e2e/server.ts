import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const webDir = path.resolve(import.meta.dirname, '..');
export interface ServerState {
  pid: number;
  dataDir: string;
  url: string;
  log: string;
  admin?: { username: string; password: string };
  stop: () => Promise<void>;
}

export function essaimBin(): string {
  return path.resolve(webDir, process.env.ESSAIM_BIN ?? '../server/build/essaim');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`essaim exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`essaim did not answer /api/health within ${timeoutMs} ms (${last})`);
}

export interface StartOptions {
  /** Extra environment for `essaim serve` (e.g. ESSAIM_QBT_URL for a spec that drives a real qBittorrent). */
  env?: Record<string, string>;
}

export async function startServer(opts: StartOptions = {}): Promise<ServerState> {
  const bin = essaimBin();
  if (!existsSync(bin)) throw new Error(`essaim binary not found at ${bin} (set ESSAIM_BIN)`);
  const dist = path.join(webDir, 'dist');
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error(`${dist}/index.html missing: run npm run build`);

  const dataDir = mkdtempSync(path.join(tmpdir(), 'essaim-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = path.join(dataDir, 'essaim.log');
  const logStream = createWriteStream(log);

  const child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      ESSAIM_LISTEN: `127.0.0.1:${port}`,
      ESSAIM_DATA_DIR: dataDir,
      ESSAIM_WEB_DIR: dist,
      ESSAIM_QBT_MANAGED: '0',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let stdout = '';
  child.stdout!.on('data', (b: Buffer) => {
    stdout += b.toString();
    logStream.write(b);
  });
  child.stderr!.on('data', (b: Buffer) => logStream.write(b));

  try {
    await waitForHealth(url, child, 20_000);
  } catch (e) {
    await stopProcess(child);
    const text = readLogSafe(log);
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n--- log ---\n${text}`);
  }

  // First start prints the first admin's credentials.
  await new Promise((r) => setTimeout(r, 100));
  const user = /Administrateur créé\s*:\s*(\S+)/.exec(stdout)?.[1];
  const pass = /Mot de passe\s*:\s*(\S+)/.exec(stdout)?.[1];

  return {
    pid: child.pid!,
    dataDir,
    url,
    log,
    admin: user && pass ? { username: user, password: pass } : undefined,
    stop: async () => {
      await stopProcess(child);
      logStream.end();
      if (process.env.ESSAIM_E2E_KEEP === '1') console.log(`essaim e2e data kept in ${dataDir}`);
      else rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function readLogSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '(no log)';
  }
}

/** SIGTERM by PID, SIGKILL after 5 s (essaim, and the OIDC provider of e2e/oidc.ts). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    process.kill(child.pid!, 'SIGKILL');
    await exited;
  }
}

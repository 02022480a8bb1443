import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { stopProcess, webDir } from './server';

/**
 * The real OpenID Connect provider of the integration tests (server/tests/integration/oidc/,
 * panva's oidc-provider, see its README): started here on a free loopback port, driven through
 * its plain HTML forms by the browser and through its `/_test/` control endpoints by the spec.
 */

const integration = path.resolve(webDir, '..', 'server', 'tests', 'integration');
export const providerScript = path.join(integration, 'oidc', 'provider.mjs');
/** The folder whose node_modules holds oidc-provider (`--modules`). */
export const providerModules = path.join(integration, 'clients');

/** Why the provider cannot run here, or null when it can. */
export function providerMissing(): string | null {
  if (!existsSync(providerScript)) return `${providerScript} is missing`;
  if (!existsSync(path.join(providerModules, 'node_modules', 'oidc-provider', 'package.json')))
    return `oidc-provider is not installed in ${providerModules}/node_modules (scripts/install-deps.sh runs npm ci there)`;
  return null;
}

export interface ProviderClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
}

export interface ProviderAccount {
  sub: string;
  password: string;
  claims: Record<string, unknown>;
}

export interface LogoutRequest {
  method: string;
  params: Record<string, string>;
}

export interface Provider {
  pid: number;
  /** `http://127.0.0.1:PORT`, as the READY line said. */
  issuer: string;
  /** Every request to `/session/end` so far. */
  logouts: () => Promise<{ count: number; requests: LogoutRequest[] }>;
  /** The provider's stderr (for assertion messages). */
  stderr: () => string;
  stop: () => Promise<void>;
}

/** Spawns `node provider.mjs --port 0 …` and waits for its `READY <issuer>` line. */
export async function startProvider(config: { clients: ProviderClient[]; accounts: ProviderAccount[] }): Promise<Provider> {
  const child = spawn(
    process.execPath,
    [providerScript, '--port', '0', '--config-json', JSON.stringify(config), '--modules', providerModules],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: false },
  );
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-8000);
  });

  let issuer: string;
  try {
    issuer = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('no READY line within 20 s')), 20_000);
      const onData = (b: Buffer) => {
        out += b.toString();
        const m = /^READY (\S+)$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          child.stdout!.resume(); // later NOTICE lines must not fill the pipe
          resolve(m[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the provider exited (code ${code}, signal ${signal}) before READY`));
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  } catch (e) {
    await stopProcess(child);
    throw new Error(`OIDC provider did not start: ${(e as Error).message}\n--- stderr ---\n${stderr}`);
  }

  return {
    pid: child.pid!,
    issuer,
    logouts: async () => {
      const res = await fetch(`${issuer}/_test/logouts`);
      if (!res.ok) throw new Error(`/_test/logouts: HTTP ${res.status}`);
      return (await res.json()) as { count: number; requests: LogoutRequest[] };
    },
    stderr: () => stderr,
    stop: () => stopProcess(child),
  };
}

/** The payload of a JWT, without checking anything. */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

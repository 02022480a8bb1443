import { expect, test } from '@playwright/test';
import { startServer, type ServerState } from './server';
import { addMagnets, qbtCall, qbtEnv, registerUser, startMainQbt, stopMainQbt, swarmEnv } from './swarm';

/**
 * qBittorrent stops while a user watches their torrents, then comes back: the page says so
 * (« qBittorrent est injoignable », the last known list still shown), then is live again by
 * itself, without a reload: the notice goes and a change made in qBittorrent shows up.
 * The outage is short here (12 s); the 60 s one is server/tests/integration/test_reliability.py.
 */

test.skip(!swarmEnv.downloads_dir, 'ESSAIM_E2E_SWARM has no swarm (run through scripts/e2e.sh)');
test.describe.configure({ mode: 'serial' });

const OUTAGE_MS = 12_000;
let server: ServerState | undefined;

test.beforeAll(async () => {
  if (!swarmEnv.downloads_dir) return;
  server = await startServer({ env: qbtEnv() });
});

test.afterAll(async () => {
  await server?.stop();
});

test('qBittorrent stopped then restarted: the notice shows, then live data again', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await registerUser(page, server!, 'panne', 'Abeille Patiente');
  // A magnet nobody seeds (other specs share this qBittorrent): it waits for its metadata.
  const btih = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
  const [hash] = await addMagnets(page, server!, [`magnet:?xt=urn:btih:${btih}&dn=Panne%20de%20courant`]);
  expect(hash).toBe(btih);

  try {
    await page.goto(`${server!.url}/torrents`);
    const banner = page.getByTestId('live-banner');
    const row = page.locator(`[data-testid="torrent-table"] tr[data-hash="${hash}"]`);
    const state = row.locator('[data-state]');
    await expect(row).toBeVisible({ timeout: 15_000 });
    await expect(state).toHaveText('Métadonnées', { timeout: 15_000 });
    await expect(banner).toHaveText('');
    // A marker that a reload would wipe out: everything below must happen live.
    await page.evaluate(() => ((window as unknown as { __essaimSansRecharger: boolean }).__essaimSansRecharger = true));

    await stopMainQbt();
    const stopped = Date.now();
    await expect(banner).toContainText('qBittorrent est injoignable', { timeout: 15_000 });
    await expect(banner).toContainText('Les données affichées peuvent être anciennes.');
    console.log(`notice shown ${((Date.now() - stopped) / 1000).toFixed(1)} s after qBittorrent stopped`);
    // The whole outage: the notice stays, the last known list stays.
    while (Date.now() - stopped < OUTAGE_MS) {
      await expect(banner).toContainText('qBittorrent est injoignable');
      await expect(row).toBeVisible();
      await page.waitForTimeout(1_000);
    }

    await startMainQbt();
    const started = Date.now();
    // essaim retries every 10 s at most: back within ~10 s, plus the WebSocket's second.
    await expect(banner).not.toContainText('injoignable', { timeout: 20_000 });
    console.log(`notice gone ${((Date.now() - started) / 1000).toFixed(1)} s after qBittorrent restarted`);
    await expect(banner).toHaveText('');

    // Live again: a pause made in qBittorrent itself (not through essaim) reaches the page.
    await expect(state).toHaveText('Métadonnées');
    expect(await qbtCall('torrents/pause', { hashes: hash })).toBe(200);
    await expect(state).toHaveText('En pause', { timeout: 15_000 });
    expect(
      await page.evaluate(() => (window as unknown as { __essaimSansRecharger?: boolean }).__essaimSansRecharger),
      'the page was reloaded',
    ).toBe(true);
  } finally {
    // Leave the shared qBittorrent running and without this torrent for the next specs.
    await startMainQbtIfStopped();
    await qbtCall('torrents/delete', { hashes: hash, deleteFiles: 'true' });
  }
});

async function startMainQbtIfStopped() {
  try {
    await fetch(`${swarmEnv.qbt_url}/api/v2/app/version`, { signal: AbortSignal.timeout(2_000) });
  } catch {
    await startMainQbt();
  }
}

import { expect, test, type Response } from '@playwright/test';
import { registerByApi } from './helpers';

/**
 * The installable app against the real server: the manifest and its icons as essaim serves
 * them, and the service worker (sw/service-worker.js) — it precaches the shell, answers
 * hashed assets from its cache, opens the app offline, and never answers nor caches /api/,
 * /dl/ or anything but GET.
 */

test.use({ baseURL: process.env.ESSAIM_E2E_URL, serviceWorkers: 'allow' });

test('the manifest, its icons and the worker are served with their types', async ({ page, request }) => {
  const manifest = await request.get('/manifest.webmanifest');
  expect(manifest.status()).toBe(200);
  expect(manifest.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  const m = (await manifest.json()) as {
    name: string;
    lang: string;
    start_url: string;
    display: string;
    description: string;
    icons: { src: string; sizes: string; type: string; purpose: string }[];
  };
  expect(m).toMatchObject({ name: 'essaim', lang: 'fr', start_url: '/', display: 'standalone' });
  expect(m.description).toMatch(/téléchargement/);
  for (const size of ['192x192', '512x512']) expect(m.icons.some((i) => i.sizes === size && i.purpose === 'any')).toBe(true);
  expect(m.icons.some((i) => i.purpose === 'maskable')).toBe(true);
  for (const icon of m.icons) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()['content-type'], icon.src).toBe(icon.type);
  }

  const sw = await request.get('/sw.js');
  expect(sw.status()).toBe(200);
  expect(sw.headers()['content-type']).toMatch(/^text\/javascript/);
  // Always revalidated: a new build's worker is seen on the next visit.
  expect(sw.headers()['cache-control']).toBe('no-cache');

  await page.goto('/connexion');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute('href', '/icons/apple-touch-icon.png');
  await expect(page.locator('meta[name="theme-color"]')).toHaveCount(2);
});

test('the worker keeps the shell, opens it offline, and leaves /api/ and /dl/ alone', async ({ page, context }) => {
  test.setTimeout(60_000);
  await page.goto('/connexion');
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  // Installed (every built file precached), then in control of the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  const responses: Response[] = [];
  page.on('response', (r) => responses.push(r));
  await registerByApi(page, `pwa-${Date.now().toString(36)}`, 'une-ruche-hors-ligne');
  await page.goto('/torrents');
  await expect(page.getByRole('heading', { name: 'Mes torrents', level: 1 })).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /^Bonjour/ })).toBeVisible();
  // A download link and a non-GET call, from the page under the worker's control.
  const fromPage = await page.evaluate(async () => {
    const dl = await fetch('/dl/0000000000000000000000000000000000000000/rien.txt');
    const post = await fetch('/api/auth/logout', { method: 'POST' });
    return [dl.status, post.status];
  });
  expect(fromPage[0]).toBeGreaterThanOrEqual(400);
  expect(fromPage[1]).toBeGreaterThanOrEqual(400);

  const path = (r: Response) => new URL(r.url()).pathname;
  const api = responses.filter((r) => /^\/(api|dl)\//.test(path(r)));
  expect(api.length).toBeGreaterThan(3);
  for (const r of api) expect(r.fromServiceWorker(), `${r.request().method()} ${path(r)}`).toBe(false);
  const assets = responses.filter((r) => path(r).startsWith('/assets/'));
  expect(assets.length).toBeGreaterThan(0);
  for (const r of assets) expect(r.fromServiceWorker(), path(r)).toBe(true);

  const cached = await page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
    }
    return out;
  });
  expect(cached).toContain('/index.html');
  expect(cached).toContain('/manifest.webmanifest');
  expect(cached.some((p) => p.startsWith('/assets/') && p.endsWith('.js'))).toBe(true);
  expect(cached.filter((p) => /^\/(api|dl)(\/|$)|^\/metrics/.test(p))).toEqual([]);

  // Offline: the shell still opens (the app then says the server cannot be reached).
  await context.setOffline(true);
  await page.goto('/torrents');
  // The app's own page (not the browser's offline error), once its first call has failed.
  await expect(page.getByRole('heading', { name: 'Impossible de joindre le serveur' })).toBeVisible({ timeout: 20_000 });
  await context.setOffline(false);
});

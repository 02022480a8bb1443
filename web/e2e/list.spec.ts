import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { screenshotDir } from './helpers';
import { withSampleExtras, withSampleTorrents } from './sample-data';
import { startServer, type ServerState } from './server';
import { addMagnets, qbtEnv, registerUser, startMainQbt, stopMainQbt, swarmEnv } from './swarm';
import { ADMIN, ADMIN_PASSWORD, settle } from './tour';

/**
 * The torrent list made for long names (issue 18): the name takes the free width, Tous les
 * torrents fits 1280 px with its owner column, compact phone cards, one tooltip at a time
 * (example torrents with long release names, answered from the browser side); then, on the real
 * swarm, the selection's "Pause" and the "no longer live" marker when qBittorrent stops.
 */

const RELEASES = [
  'Big.Buck.Bunny.2008.1080p.BluRay.x264-GROUP',
  'Sintel.2010.2160p.UHD.BluRay.REMUX.HDR.HEVC.DTS-HD.MA.5.1-ESSAIM',
  'Tears.of.Steel.2012.1080p.WEB-DL.DD5.1.H.264-OPENMOVIE',
  'ubuntu-24.04.1-desktop-amd64.iso',
  'Le.Voyage.dans.la.Lune.1902.RESTAURATION.4K.FRENCH.1080p.BluRay.x264-LUMIERE',
  'Elephants.Dream.2006.720p.HDTV.x264.AAC-ORANGE',
  'debian-12.7.0-amd64-DVD-1.iso',
  'Cosmos.Laundromat.2015.1080p.WEBRip.x265.10bit.AAC5.1-BLENDER',
  'Archives photos été 2024 — Bretagne, Normandie et Pays de la Loire (RAW + JPEG)',
  'Spring.2019.1080p.NF.WEB-DL.DDP5.1.Atmos.H.264-OPENMOVIE',
];

async function loginWithLongNames(page: Page) {
  const res = await page.request.post('/api/auth/login', { data: { username: ADMIN, password: ADMIN_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  const me = (await (await page.request.get('/api/me')).json()) as { id: number; username: string; display_name: string };
  const data = await withSampleTorrents(page, me, { admin: true, rename: (_, i) => RELEASES[i % RELEASES.length]! });
  await withSampleExtras(page, data);
}

test.describe('long names, example torrents', () => {
  test.use({ baseURL: process.env.ESSAIM_E2E_URL });
  test.skip(!ADMIN || !ADMIN_PASSWORD, "the server printed no administrator's credentials");

  test('1280 px: the name takes ≥ 40 % of the table, Tous les torrents has no sideways scroll', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await loginWithLongNames(page);
    for (const path of ['/torrents', '/tous']) {
      await page.goto(path);
      const table = page.getByTestId('torrent-table');
      await expect(table.getByRole('rowheader').first()).toBeVisible({ timeout: 15_000 });
      await settle(page);
      const m = await page.evaluate(() => {
        const t = document.querySelector('[data-testid="torrent-table"]')!;
        const name = t.querySelector('tbody th[scope="row"]')!;
        return {
          share: name.getBoundingClientRect().width / t.getBoundingClientRect().width,
          pageScroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          frameScroll: t.parentElement!.scrollWidth - t.parentElement!.clientWidth,
          headers: Array.from(t.querySelectorAll('thead th[data-col]'))
            .map((th) => th.getAttribute('data-col'))
            .filter((k) => k !== 'name' && k !== 'actions'),
        };
      });
      expect(m.share, `${path}: name cell / table`).toBeGreaterThanOrEqual(0.4);
      expect(m.pageScroll, `${path}: page scrolls sideways`).toBeLessThanOrEqual(0);
      expect(m.frameScroll, `${path}: table scrolls sideways`).toBeLessThanOrEqual(0);
      // The degrade rule: what is shown is the start of the chosen columns, in their order.
      const chosen = ['state', 'progress', ...(path === '/tous' ? ['owner'] : []), 'dlspeed', 'upspeed', 'eta', 'added_on', 'size', 'seeds'];
      expect(m.headers, `${path}: columns shown`).toEqual(chosen.slice(0, m.headers.length));
      if (path === '/tous') expect(m.headers).toContain('owner');
      else expect(m.headers).toContain('added_on');
    }
  });

  test('1024 px: columns the user put last give way, no sideways scroll', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 800 });
    await loginWithLongNames(page);
    await page.goto('/tous');
    const table = page.getByTestId('torrent-table');
    await expect(table.getByRole('rowheader').first()).toBeVisible({ timeout: 15_000 });
    await settle(page);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(scroll).toBeLessThanOrEqual(0);
    // The owner (early in the default order) stays; later columns are the ones left out.
    await expect(table.getByRole('columnheader', { name: 'Propriétaire' })).toBeVisible();
    await page.getByRole('button', { name: 'Colonnes' }).click();
    await expect(page.getByText('masquée faute de place').first()).toBeVisible();
  });

  test('at most one tooltip shows on a row hover', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await loginWithLongNames(page);
    await page.goto('/torrents');
    const row = page.locator('[data-testid="torrent-table"] tbody tr').first();
    await expect(row).toBeVisible({ timeout: 15_000 });
    const visibleTips = () =>
      page.evaluate(
        () => Array.from(document.querySelectorAll('[data-tooltip]')).filter((e) => Number(getComputedStyle(e).opacity) > 0.5).length,
      );
    await row.hover();
    await page.waitForTimeout(300);
    expect(await visibleTips()).toBe(0);
    await row.locator('[data-row-menu]').hover();
    await page.waitForTimeout(300);
    expect(await visibleTips()).toBe(1);
  });

  test('390 px: compact cards, the first one in view', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await loginWithLongNames(page);
    for (const path of ['/torrents', '/tous']) {
      await page.goto(path);
      const cards = page.getByTestId('torrent-cards').locator(':scope > li');
      await expect(cards.first()).toBeVisible({ timeout: 15_000 });
      await settle(page);
      const boxes = await cards.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, height: r.height })));
      expect(boxes[0]!.top, `${path}: first card's top`).toBeLessThanOrEqual(320);
      for (const b of boxes) expect(b.height, `${path}: card height`).toBeLessThanOrEqual(160);
      // The filters wait behind "Filtres".
      await expect(page.getByLabel('Rechercher par nom')).toBeHidden();
      await page.getByRole('button', { name: /^Filtres/ }).click();
      await expect(page.getByLabel('Rechercher par nom')).toBeVisible();
    }
  });

  test('screenshots: the lists with long names, 1280/1024/390, light and dark', async ({ page }) => {
    test.setTimeout(120_000);
    await loginWithLongNames(page);
    for (const width of [1280, 1024, 390]) {
      for (const theme of ['light', 'dark'] as const) {
        await page.setViewportSize({ width, height: width < 640 ? 844 : 800 });
        await page.emulateMedia({ colorScheme: theme });
        for (const p of ['/torrents', '/tous']) {
          await page.goto(p);
          await expect(page.getByTestId(width < 1024 ? 'torrent-cards' : 'torrent-table')).toBeVisible({ timeout: 15_000 });
          await settle(page);
          const name = `liste-${p.slice(1)}-${width}-${theme}`;
          await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
          if (width >= 1024 && p === '/tous') {
            // Two selected (bulk bar), a row's menu open.
            const boxes = page.locator('[data-select-row]');
            await boxes.nth(0).click();
            await boxes.nth(2).click({ modifiers: ['Shift'] });
            await page.locator('[data-row-menu]').nth(1).click();
            await page.screenshot({ path: path.join(screenshotDir, `${name}-selection-menu.png`) });
            await page.keyboard.press('Escape');
            await page.getByRole('button', { name: 'Colonnes' }).click();
            await page.screenshot({ path: path.join(screenshotDir, `${name}-colonnes.png`) });
          }
        }
      }
    }
  });

  test('keyboard: "/" goes to the filter, "?" lists the shortcuts', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await loginWithLongNames(page);
    await page.goto('/torrents');
    await expect(page.getByTestId('torrent-table')).toBeVisible({ timeout: 15_000 });
    await page.keyboard.press('/');
    await expect(page.getByLabel('Rechercher par nom')).toBeFocused();
    await page.keyboard.type('a');
    // Typed in the field, not a shortcut.
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.getByLabel('Rechercher par nom').fill('');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Raccourcis clavier' })).toBeVisible();
  });
});

test.describe('real swarm', () => {
  test.skip(!swarmEnv.downloads_dir, 'ESSAIM_E2E_SWARM has no swarm (run through scripts/e2e.sh)');
  test.describe.configure({ mode: 'serial' });
  let server: ServerState | undefined;

  test.beforeAll(async () => {
    server = await startServer({ env: qbtEnv() });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  const randomBtih = () => Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

  async function qbtStates(hashes: string[]): Promise<Record<string, string>> {
    const login = await fetch(`${swarmEnv.qbt_url}/api/v2/auth/login`, {
      method: 'POST',
      body: new URLSearchParams({ username: swarmEnv.qbt_username!, password: swarmEnv.qbt_password! }),
    });
    const sid = /SID=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    const res = await fetch(`${swarmEnv.qbt_url}/api/v2/torrents/info?hashes=${hashes.join('|')}`, {
      headers: { Cookie: `SID=${sid}` },
    });
    const list = (await res.json()) as Array<{ hash: string; state: string }>;
    return Object.fromEntries(list.map((t) => [t.hash, t.state]));
  }

  test('bulk Pause pauses exactly the three selected torrents', async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    await registerUser(page, server!, 'lot', 'Abeille Ordonnée');
    const names = RELEASES.slice(0, 4);
    const hashes = await addMagnets(
      page,
      server!,
      names.map((n) => `magnet:?xt=urn:btih:${randomBtih()}&dn=${encodeURIComponent(n)}`),
    );
    try {
      await page.goto(`${server!.url}/torrents?tri=name&ordre=asc`);
      const table = page.getByTestId('torrent-table');
      for (const h of hashes) await expect(table.locator(`tr[data-hash="${h}"]`)).toBeVisible({ timeout: 15_000 });
      const chosen = hashes.slice(0, 3);
      // A click, then Shift+click: a range — here the three are picked one by one to be exact.
      for (const h of chosen) await table.locator(`tr[data-hash="${h}"] [data-select-row]`).click();
      await expect(page.getByTestId('bulk-bar')).toContainText('3 torrents sélectionnés');
      await page.getByTestId('bulk-bar').getByRole('button', { name: 'Pause' }).click();
      await expect
        .poll(async () => {
          const s = await qbtStates(hashes);
          return hashes.map((h) => /^(paused|stopped)/.test(s[h] ?? ''));
        }, { timeout: 15_000 })
        .toEqual([true, true, true, false]);
      for (const h of chosen) {
        await expect(table.locator(`tr[data-hash="${h}"] [data-state]`)).toHaveText('En pause', { timeout: 15_000 });
      }
    } finally {
      const csrf = (await page.context().cookies()).find((c) => c.name === 'csrf_token')?.value ?? '';
      await page.request.post(`${server!.url}/api/torrents/delete`, {
        headers: { 'X-CSRF-Token': csrf, Origin: server!.url },
        data: { hashes, delete_files: true },
      });
    }
  });

  test('the "no longer live" marker shows within 2 s of qBittorrent stopping', async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    await registerUser(page, server!, 'fige', 'Abeille Attentive');
    const [hash] = await addMagnets(page, server!, [`magnet:?xt=urn:btih:${randomBtih()}&dn=Figé`]);
    try {
      await page.goto(`${server!.url}/torrents`);
      await expect(page.locator(`tr[data-hash="${hash}"]`)).toBeVisible({ timeout: 15_000 });
      await expect(page.getByTestId('stale-marker')).toHaveCount(0);
      await stopMainQbt();
      const stopped = Date.now();
      await expect(page.getByTestId('stale-marker')).toBeVisible({ timeout: 2_000 });
      console.log(`stale marker ${((Date.now() - stopped) / 1000).toFixed(1)} s after qBittorrent stopped`);
      await expect(page.getByTestId('stale-marker')).toHaveText(/^Dernière valeur à \d\d:\d\d$/);
      // Said once, and without any address.
      const banner = page.getByTestId('live-banner');
      await expect(banner).toContainText('qBittorrent est injoignable');
      expect((await banner.innerText()).match(/injoignable/g)).toHaveLength(1);
      expect(await banner.innerText()).not.toMatch(/127\.0\.0\.1|localhost|:\d{2,5}\b/);
      await startMainQbt();
      await expect(page.getByTestId('stale-marker')).toHaveCount(0, { timeout: 20_000 });
    } finally {
      try {
        await fetch(`${swarmEnv.qbt_url}/api/v2/app/version`, { signal: AbortSignal.timeout(2_000) });
      } catch {
        await startMainQbt();
      }
      const csrf = (await page.context().cookies()).find((c) => c.name === 'csrf_token')?.value ?? '';
      await page.request.post(`${server!.url}/api/torrents/delete`, {
        headers: { 'X-CSRF-Token': csrf, Origin: server!.url },
        data: { hashes: [hash], delete_files: true },
      });
    }
  });
});

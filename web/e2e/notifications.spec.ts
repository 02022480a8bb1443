import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startServer, type ServerState } from './server';
import { addTorrentFile, connectToSeeder, qbtEnv, registerUser, swarmEnv } from './swarm';

/**
 * A torrent completing while the page is open (real qBittorrent, loopback seeder): the toast
 * appears, the bell's count goes up, the notification is in the centre; the dashboard's speed
 * chart draws and moves with the live samples.
 */

test.skip(!swarmEnv.album_torrent, 'ESSAIM_E2E_SWARM has no album torrent (run through scripts/e2e.sh)');
test.describe.configure({ mode: 'serial' });

const screenshots = path.join(import.meta.dirname, 'screenshots');
let server: ServerState | undefined;

test.beforeAll(async () => {
  if (!swarmEnv.album_torrent) return;
  server = await startServer({ env: qbtEnv() });
});

test.afterAll(async () => {
  await server?.stop();
});

test('a completion shows a toast and raises the bell count; the speed chart moves', async ({ page }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await registerUser(page, server!, 'cloche', 'Abeille Attentive');
  await page.goto(`${server!.url}/`);
  const bell = page.getByTestId('notifications-bell');
  await expect(bell).toBeVisible();
  await expect(page.getByTestId('notifications-unread')).toHaveCount(0);

  // The chart draws, then gains points every second from the WebSocket.
  const chart = page.getByTestId('speed-chart').first();
  await expect(chart).toBeVisible({ timeout: 15_000 });
  const points = async () => Number((await chart.getAttribute('data-points')) ?? '0');
  await expect.poll(points, { timeout: 15_000 }).toBeGreaterThan(0);
  const before = await points();
  await expect.poll(points, { timeout: 15_000 }).toBeGreaterThan(before + 1);

  // Added now, completed while the page is open: a toast, and the bell says 1.
  const hash = await addTorrentFile(page, server!, swarmEnv.album_torrent!);
  await connectToSeeder(hash);
  const toast = page.getByTestId('toast').filter({ hasText: 'Musique essaim' });
  await expect(toast).toBeVisible({ timeout: 90_000 });
  await expect(toast).toContainText('« Musique essaim » est entièrement téléchargé.');
  await expect(page.getByTestId('notifications-unread')).toHaveText('1');
  await page.screenshot({ path: path.join(screenshots, 'notification-toast.png') });

  await bell.click();
  await expect(page.getByText('« Musique essaim » est entièrement téléchargé.').last()).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, 'notification-centre.png') });
});

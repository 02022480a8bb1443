import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectFrenchPage } from './helpers';
import { startServer, type ServerState } from './server';
import { addTorrentFile, connectToSeeder, qbtEnv, registerUser, swarmEnv } from './swarm';

/**
 * The file browser against real parts: a folder with a WebM clip, seeded by the loopback swarm
 * (scripts/e2e-media.py), downloaded to 100 % by the real qBittorrent, then browsed, downloaded
 * (bytes checked) and played in Chromium through essaim's direct serving of signed links.
 *
 * Runs only when ESSAIM_E2E_SWARM carries "media_torrent", "seed_peer" and "downloads_dir"
 * (scripts/e2e.sh sets them).
 */

test.skip(!swarmEnv.media_torrent, 'ESSAIM_E2E_SWARM has no media torrent (run through scripts/e2e.sh)');
test.describe.configure({ mode: 'serial' });

const screenshots = path.join(import.meta.dirname, 'screenshots');
const NOTE = 'Bonjour depuis essaim : fichier téléchargé.\n';
let server: ServerState | undefined;

test.beforeAll(async () => {
  if (!swarmEnv.media_torrent) return;
  server = await startServer({
    env: {
      ...qbtEnv(),
      ESSAIM_DOWNLOAD_ROOT: swarmEnv.downloads_dir!,
      ESSAIM_DOWNLOAD_SECRET: 'e2e-secret-de-telechargement-0123',
      ESSAIM_DOWNLOAD_DIRECT: '1',
    },
  });
});

test.afterAll(async () => {
  await server?.stop();
});

async function addMediaTorrent(page: Page): Promise<string> {
  await registerUser(page, server!, 'fichiers', 'Abeille Curieuse');
  const hash = await addTorrentFile(page, server!, swarmEnv.media_torrent!);
  await connectToSeeder(hash);
  return hash;
}

test('browse a torrent folder, download a file, list every link, play the video', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const hash = await addMediaTorrent(page);

  await page.goto(`${server!.url}/torrents/${hash}#fichiers`);
  const files = page.getByTestId('file-tree');
  // Complete files get their buttons once qBittorrent reports them at 100 %.
  await expect(files.getByRole('button', { name: 'Lire « clip été.webm »' })).toBeVisible({ timeout: 90_000 });
  await expectFrenchPage(page, 'Vidéos essaim');

  // Into the sub-folder, then download the text file: the bytes are the seeded ones.
  await files.getByRole('link', { name: /^notes/ }).click();
  await expect(page).toHaveURL(/dossier=/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    files.getByRole('button', { name: 'Télécharger « à lire.txt »' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('à lire.txt');
  expect(readFileSync(await download.path(), 'utf-8')).toBe(NOTE);
  await page.goBack();
  await expect(files.getByRole('button', { name: 'Lire « clip été.webm »' })).toBeVisible();

  // Liste des liens: the links dialog, and a Metalink for a download manager.
  await page.getByRole('button', { name: /^Liste des liens — dossier « / }).click();
  const dialog = page.getByRole('dialog', { name: 'Liens de téléchargement' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Ces liens expirent le');
  await expect(dialog.getByRole('button', { name: 'Copier les liens' })).toBeVisible();
  const [meta4] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Fichier Metalink (.meta4)' }).click(),
  ]);
  const xml = readFileSync(await meta4.path(), 'utf-8');
  expect(xml).toContain('<metalink xmlns="urn:ietf:params:xml:ns:metalink">');
  expect(xml).toContain('name="Vidéos essaim/notes/à lire.txt"');
  await page.screenshot({ path: path.join(screenshots, 'fichiers-liens.png') });
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // The clip plays in the page from its signed URL.
  await files.getByRole('button', { name: 'Lire « clip été.webm »' }).click();
  const player = page.getByRole('dialog');
  const video = player.locator('video');
  await expect(video).toBeVisible();
  expect(await video.getAttribute('src')).toMatch(/\/dl\/.*\?md5=[\w-]{22}&expires=\d+$/);
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.3);
  expect(await video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(160);
  await page.screenshot({ path: path.join(screenshots, 'fichiers-lecteur.png') });
});

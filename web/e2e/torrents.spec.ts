import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectFrenchPage } from './helpers';
import { startServer, type ServerState } from './server';

/**
 * Drives a real qBittorrent through the web app: add a magnet and a .torrent
 * file, watch the download finish live, pause, resume, delete.
 *
 * Runs only when ESSAIM_E2E_SWARM holds a JSON object:
 *   {"qbt_url": "http://127.0.0.1:18080", "qbt_username": "admin", "qbt_password": "adminadmin",
 *    "magnet": "magnet:?xt=urn:btih:…", "torrent_file": "/chemin/vers/autre.torrent"}
 * (e.g. from scripts/local-swarm.sh: its "main" WebUI, one of its magnets, the other .torrent).
 * This spec starts its own `essaim serve` pointed at that qBittorrent.
 */

interface Swarm {
  qbt_url: string;
  qbt_username: string;
  qbt_password: string;
  magnet: string;
  torrent_file: string;
}

const RAW = process.env.ESSAIM_E2E_SWARM;

function readSwarm(): Swarm {
  let value: unknown;
  try {
    value = JSON.parse(RAW ?? '');
  } catch (e) {
    throw new Error(`ESSAIM_E2E_SWARM is not valid JSON: ${(e as Error).message}`);
  }
  const v = value as Partial<Swarm>;
  for (const key of ['qbt_url', 'qbt_username', 'qbt_password', 'magnet', 'torrent_file'] as const) {
    if (typeof v[key] !== 'string' || v[key] === '') throw new Error(`ESSAIM_E2E_SWARM: "${key}" is missing`);
  }
  if (!v.magnet!.startsWith('magnet:?')) throw new Error('ESSAIM_E2E_SWARM: "magnet" is not a magnet link');
  if (!existsSync(v.torrent_file!)) throw new Error(`ESSAIM_E2E_SWARM: ${v.torrent_file} does not exist`);
  return v as Swarm;
}

test.skip(!RAW, 'ESSAIM_E2E_SWARM is not set: no qBittorrent to drive');
test.describe.configure({ mode: 'serial' });

/** A download in a loopback swarm takes seconds; allow for a slow machine. */
const DOWNLOAD_TIMEOUT = 180_000;
const STATE_TIMEOUT = 30_000;

const screenshots = path.join(import.meta.dirname, 'screenshots');

let server: ServerState | undefined;
let swarm: Swarm;

test.beforeAll(async () => {
  if (!RAW) return;
  swarm = readSwarm();
  server = await startServer({
    env: {
      ESSAIM_QBT_URL: swarm.qbt_url,
      ESSAIM_QBT_USERNAME: swarm.qbt_username,
      ESSAIM_QBT_PASSWORD: swarm.qbt_password,
    },
  });
  console.log(`essaim (swarm): ${server.url}, qBittorrent ${swarm.qbt_url}`);
});

test.afterAll(async () => {
  await server?.stop();
});

/** The table row of a torrent, by its qBittorrent id. */
const rowOf = (page: Page, hash: string) => page.locator(`[data-testid="torrent-table"] tr[data-hash="${hash}"]`);
const stateOf = (row: Locator) => row.locator('[data-state]');

async function register(page: Page) {
  const username = `essaim-${Date.now().toString(36)}`;
  await page.goto(`${server!.url}/inscription`);
  await expect(page.getByRole('heading', { name: 'Inscription' })).toBeVisible();
  await page.getByLabel("Nom d'utilisateur").fill(username);
  await page.getByLabel(/^Nom affiché/).fill('Abeille Testeuse');
  await page.getByLabel('Mot de passe', { exact: true }).fill('une-ruche-bien-remplie');
  await page.getByLabel('Confirmation du mot de passe').fill('une-ruche-bien-remplie');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Bonjour, Abeille Testeuse !' })).toBeVisible();
}

/** Submits the add dialog and returns the id of the one torrent it added. */
async function submitAdd(page: Page): Promise<{ hash: string; name: string }> {
  const dialog = page.getByRole('dialog', { name: 'Ajouter des torrents' });
  await dialog.getByRole('button', { name: 'Ajouter', exact: true }).click();
  const results = dialog.getByTestId('add-results');
  await expect(results).toBeVisible({ timeout: 30_000 });
  const ok = results.locator('li[data-hash]');
  // A failure shows the server's French reason: make it the assertion message.
  await expect(ok, `add failed: ${await results.innerText().catch(() => '')}`).toHaveCount(1);
  const hash = (await ok.getAttribute('data-hash'))!;
  const name = /«\s*(.+?)\s*»/.exec(await ok.innerText())?.[1] ?? hash;
  expect(hash).toMatch(/^[0-9a-f]{40}$/);
  await dialog.getByRole('button', { name: 'Fermer' }).last().click();
  await expect(dialog).toHaveCount(0);
  return { hash, name };
}

async function deleteWithFiles(page: Page, hash: string) {
  const row = rowOf(page, hash);
  await row.getByRole('button', { name: /^Plus d'actions pour « / }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Supprimer' }).click();
  const dialog = page.getByRole('dialog', { name: /^Supprimer « .* » \?$/ });
  await expect(dialog).toBeVisible();
  const files = dialog.getByRole('checkbox', { name: 'Supprimer aussi les fichiers sur le serveur' });
  await expect(files).toBeChecked();
  await dialog.getByRole('button', { name: 'Supprimer', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toHaveCount(0, { timeout: STATE_TIMEOUT });
}

test('add a magnet, watch it finish live, pause, resume, add a .torrent, delete', async ({ page }) => {
  test.setTimeout(DOWNLOAD_TIMEOUT + 120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await register(page);

  // Mes torrents: empty at first.
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mes torrents' }).click();
  await expect(page).toHaveURL(/\/torrents$/);
  await expect(page.getByRole('heading', { name: "Aucun torrent pour l'instant" })).toBeVisible();
  await expectFrenchPage(page, 'Mes torrents');

  // A marker that a reload would wipe out: everything below must happen live.
  await page.evaluate(() => ((window as unknown as { __essaimSansRecharger: boolean }).__essaimSansRecharger = true));

  // Add the magnet.
  await page.getByRole('button', { name: 'Ajouter des torrents' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Ajouter des torrents' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Liens magnet à ajouter').fill(`\n${swarm.magnet}\n\n`);
  const magnet = await submitAdd(page);

  // The row appears and reaches 100 %, then Partage, without reloading.
  const row = rowOf(page, magnet.hash);
  await expect(row).toBeVisible({ timeout: STATE_TIMEOUT });
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: DOWNLOAD_TIMEOUT });
  await expect(stateOf(row)).toHaveText('Partage', { timeout: STATE_TIMEOUT });
  await expect(page.getByTestId('live-banner')).not.toContainText('Connexion temps réel perdue');
  await expect(page.getByTestId('live-banner')).not.toContainText('qBittorrent est injoignable');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, 'reel-torrents-bureau-clair.png'), fullPage: true });

  // Pause → En pause (or Terminé, qBittorrent's word for a paused finished torrent).
  await row.getByRole('button', { name: /^Pause « / }).click();
  await expect(stateOf(row)).toHaveText(/^(En pause|Terminé)$/, { timeout: STATE_TIMEOUT });
  // Resume → sharing again.
  await row.getByRole('button', { name: /^Reprendre « / }).click();
  await expect(stateOf(row)).toHaveText('Partage', { timeout: STATE_TIMEOUT });

  // The detail page: files, trackers, back.
  await row.getByRole('button', { name: /^Plus d'actions pour « / }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Détails' }).click();
  await expect(page).toHaveURL(new RegExp(`/torrents/${magnet.hash}$`));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('file-tree')).toBeVisible({ timeout: STATE_TIMEOUT });
  await expect(page.getByTestId('trackers')).toContainText(/Fonctionne|Mise à jour|Non contacté|Ne fonctionne pas/);
  await page.screenshot({ path: path.join(screenshots, 'reel-detail-bureau-clair.png'), fullPage: true });
  await page.getByRole('link', { name: 'Mes torrents' }).first().click();
  await expect(row).toBeVisible();

  // Add the .torrent file through the file picker.
  await page.getByRole('button', { name: 'Ajouter des torrents' }).first().click();
  await dialog.getByRole('tab', { name: /^Fichiers \.torrent/ }).click();
  await dialog.getByLabel('Choisir des fichiers .torrent').setInputFiles(swarm.torrent_file);
  await expect(dialog.getByRole('list', { name: 'Fichiers choisis' })).toContainText(path.basename(swarm.torrent_file));
  const file = await submitAdd(page);
  expect(file.hash).not.toBe(magnet.hash);
  await expect(rowOf(page, file.hash)).toBeVisible({ timeout: STATE_TIMEOUT });
  await expect(rowOf(page, file.hash).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', {
    timeout: DOWNLOAD_TIMEOUT,
  });

  // Delete both, with their files: the rows go away.
  await deleteWithFiles(page, file.hash);
  await deleteWithFiles(page, magnet.hash);
  await expect(page.getByRole('heading', { name: "Aucun torrent pour l'instant" })).toBeVisible({
    timeout: STATE_TIMEOUT,
  });

  expect(
    await page.evaluate(() => (window as unknown as { __essaimSansRecharger?: boolean }).__essaimSansRecharger),
    'the page was reloaded',
  ).toBe(true);
});

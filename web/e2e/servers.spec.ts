import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectFrenchPage, login, screenshotDir } from './helpers';
import { startServer, type ServerState } from './server';
import { addMagnets, qbtEnv, startExtraQbt, swarmEnv, type ExtraQbt } from './swarm';

/**
 * Several qBittorrent servers (issue 20), against the real binary: essaim drives the swarm's
 * qBittorrent (server 1) and an administrator adds a second qbittorrent-nox started here. In
 * Réglages → Serveurs qBittorrent it shows "Connecté", "Tester" reaches it; with server 1 put
 * "En vidange", a new torrent goes to the second one, and "Tous les torrents" shows the
 * "Serveur" column (shown by default with several servers). The section is photographed at
 * 1280 and 390 px, light and dark.
 */

test.skip(!swarmEnv.downloads_dir, 'ESSAIM_E2E_SWARM has no swarm (run through scripts/e2e.sh)');
test.describe.configure({ mode: 'serial' });

const SECOND = 'Boîte 2';
let server: ServerState | undefined;
let extra: ExtraQbt | undefined;

test.beforeAll(async () => {
  if (!swarmEnv.downloads_dir) return;
  extra = await startExtraQbt();
  server = await startServer({ env: qbtEnv() });
});

test.afterAll(async () => {
  await server?.stop();
  await extra?.stop();
});

/** The table row (or the phone card) of a server, by its name. */
const rowOf = (section: Locator, name: string) =>
  section.getByRole('row').filter({ has: section.page().getByRole('rowheader', { name: new RegExp(`^${name}`) }) });

async function openSection(page: Page): Promise<Locator> {
  await page.goto(`${server!.url}/admin/reglages#reglages-serveurs`);
  const section = page.getByRole('region', { name: 'Serveurs qBittorrent', exact: true });
  await expect(section.getByTestId('server-table')).toBeVisible({ timeout: 15_000 });
  return section;
}

/**
 * The whole section, from a full-page picture (taller than a phone's screen, and not covered by
 * the sticky header as an element's picture scrolled into view would be).
 */
async function shootSection(page: Page, section: Locator, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await section.boundingBox();
  expect(box, 'section box').toBeTruthy();
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, clip: box! });
}

test('an administrator adds a second qBittorrent, sees it connected, and the Serveur column', async ({ page }) => {
  test.setTimeout(120_000);
  expect(server!.admin, "the server printed no administrator's credentials").toBeTruthy();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${server!.url}/connexion`);
  await login(page, server!.admin!.username, server!.admin!.password);
  await expect(page.getByTestId('nav-user')).toBeAttached();

  // Server 1 (the swarm's qBittorrent, from ESSAIM_QBT_*) is there and connected.
  let section = await openSection(page);
  await expectFrenchPage(page, 'Réglages');
  await expect(section.getByText(/Un serveur en vidange garde ses torrents/)).toBeVisible();
  const first = section.getByTestId('server-table').locator('tr[data-server-id="1"]');
  await expect(first.locator('[data-link="ok"]')).toHaveText(/Connecté/, { timeout: 20_000 });
  // Server 1 cannot be deleted; the button says why.
  const del = first.getByRole('button', { name: /^Supprimer le serveur/ });
  await expect(del).toHaveAttribute('aria-disabled', 'true');
  await expect(del).toHaveAccessibleDescription(/Suppression impossible/);

  // "Ajouter un serveur": the second qbittorrent-nox.
  await section.getByRole('button', { name: 'Ajouter un serveur' }).click();
  const dialog = page.getByRole('dialog', { name: 'Ajouter un serveur' });
  await dialog.getByLabel('Nom', { exact: true }).fill(SECOND);
  await dialog.getByLabel("Adresse de l'interface web").fill(extra!.url);
  await dialog.getByLabel("Nom d'utilisateur").fill(extra!.username);
  await dialog.getByLabel('Mot de passe').fill(extra!.password);
  // The values typed are tested before saving.
  await dialog.getByRole('button', { name: 'Tester la connexion' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: /^Connexion réussie : qBittorrent v/ })).toBeVisible({ timeout: 15_000 });
  await dialog.getByRole('button', { name: 'Ajouter le serveur' }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByText(`Le serveur « ${SECOND} » a été ajouté.`)).toBeVisible();

  // Connected within the next refreshes of the list (every 5 s).
  const second = rowOf(section, SECOND);
  await expect(second.locator('[data-link]')).toHaveAttribute('data-link', 'ok', { timeout: 30_000 });
  await expect(second.locator('[data-link]')).toHaveText(/Connecté/);
  await expect(second.locator('[data-state]')).toHaveText('Actif');
  // No torrent on it: it may be deleted.
  await expect(second.getByRole('button', { name: `Supprimer le serveur « ${SECOND} »` })).not.toHaveAttribute(
    'aria-disabled',
    'true',
  );

  // "Tester" on its row: the saved values, the answer in French.
  await second.getByRole('button', { name: `Tester le serveur « ${SECOND} »` }).click();
  const test1 = page.getByRole('dialog', { name: `Test du serveur « ${SECOND} »` });
  await expect(test1.getByText(/^Connexion réussie : qBittorrent v/)).toBeVisible({ timeout: 15_000 });
  // Its own "Fermer" (the ✕ of the header has the same name).
  await test1.getByRole('button', { name: 'Fermer' }).last().click();

  // The section, photographed: 1280 and 390 px, light and dark.
  for (const [device, width, height] of [
    ['bureau', 1280, 800],
    ['telephone', 390, 844],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      section = await openSection(page);
      await expect(section.locator('[data-link="ok"]')).toHaveCount(2, { timeout: 20_000 });
      await shootSection(page, section, `serveurs-${device}-${scheme === 'light' ? 'clair' : 'sombre'}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });

  // Server 1 "En vidange": the next torrent goes to the second server.
  section = await openSection(page);
  await section.getByTestId('server-table').locator('tr[data-server-id="1"]').getByRole('button', { name: /^Modifier le serveur/ }).click();
  const edit = page.getByRole('dialog', { name: /^Modifier le serveur/ });
  await expect(edit.getByText(/le modifier ici les modifie aussi/)).toBeVisible();
  await expect(edit.getByLabel('Mot de passe')).toHaveValue('');
  await edit.getByLabel('État').selectOption({ label: 'En vidange' });
  await edit.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(edit).toBeHidden();
  await expect(section.getByTestId('server-table').locator('tr[data-server-id="1"] [data-state]')).toHaveText('En vidange');

  // A magnet nobody seeds: it waits for its metadata on the second qBittorrent.
  const btih = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
  const [hash] = await addMagnets(page, server!, [`magnet:?xt=urn:btih:${btih}&dn=Sur%20la%20deuxi%C3%A8me%20bo%C3%AEte`]);
  try {
    await page.goto(`${server!.url}/tous`);
    const table = page.getByTestId('torrent-table');
    await expect(table.getByRole('columnheader', { name: 'Serveur' })).toBeVisible({ timeout: 15_000 });
    const row = table.locator(`tr[data-hash="${hash}"]`);
    await expect(row).toBeVisible({ timeout: 15_000 });
    const column = await table.getByRole('columnheader').allTextContents();
    const index = column.findIndex((h) => h.trim() === 'Serveur');
    expect(index).toBeGreaterThan(0);
    await expect(row.locator('td, th').nth(index)).toHaveText(SECOND);
    // Both servers answer: no notice.
    await expect(page.getByTestId('live-banner')).toHaveText('');
    await page.screenshot({ path: path.join(screenshotDir, 'serveurs-tous-bureau-clair.png') });

    // The second server now holds a torrent: Supprimer says why it is unavailable.
    section = await openSection(page);
    const busy = rowOf(section, SECOND).getByRole('button', { name: `Supprimer le serveur « ${SECOND} »` });
    await expect(busy).toHaveAttribute('aria-disabled', 'true', { timeout: 15_000 });
    await expect(busy).toHaveAccessibleDescription('Suppression impossible : il héberge encore 1 torrent.');
  } finally {
    const csrf = (await page.context().cookies()).find((c) => c.name === 'csrf_token')?.value ?? '';
    await page.request.delete(`${server!.url}/api/torrents/${hash}?delete_files=true`, {
      headers: { 'X-CSRF-Token': csrf, Origin: server!.url },
    });
  }
});

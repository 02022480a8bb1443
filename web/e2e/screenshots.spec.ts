import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectFrenchPage, registerByApi, screenshotDir, viewports } from './helpers';
import { withSampleTorrents } from './sample-data';
import { ADMIN, ADMIN_PASSWORD, STOPS, THEMES, WIDTHS, expectHeaderFits, loginWithSamples, seedUsers, settle, viewportOf } from './tour';

// Read in the worker, which starts after global setup has set it.
test.use({ baseURL: process.env.ESSAIM_E2E_URL });

const dir = screenshotDir;

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

for (const [device, viewport] of Object.entries(viewports)) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshots ${device} ${scheme}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      const tag = `${device}-${scheme === 'light' ? 'clair' : 'sombre'}`;

      await page.goto('/connexion');
      await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
      await shoot(page, `connexion-${tag}`);

      // A form with an error, to see the error styles.
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expect(page.getByLabel("Nom d'utilisateur")).toBeFocused();
      await shoot(page, `connexion-erreurs-${tag}`);

      await page.goto('/inscription');
      await expect(page.getByRole('heading', { name: 'Inscription' })).toBeVisible();
      await shoot(page, `inscription-${tag}`);

      await registerByApi(page, `photo-${device}-${scheme}`, 'mot-de-passe-photo', 'Dominique Abeille');
      await page.goto('/');
      await expect(page.getByRole('heading', { name: 'Bonjour, Dominique Abeille !' })).toBeVisible();
      await expect(page.getByTestId('server-status')).toContainText('qBittorrent');
      await expectFrenchPage(page, 'Tableau de bord');
      await shoot(page, `tableau-de-bord-${tag}`);

      await page.goto('/compte');
      await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();
      await shoot(page, `compte-${tag}`);

      // Torrent pages as this server answers them (empty lists once it serves torrents).
      await page.goto('/torrents');
      await expect(page.getByRole('heading', { name: 'Mes torrents', level: 1 })).toBeVisible();
      await expect(page.getByText('Chargement…')).toHaveCount(0);
      await expectFrenchPage(page, 'Mes torrents');
      await shoot(page, `torrents-${tag}`);

      await page.getByRole('button', { name: 'Ajouter des torrents' }).first().click();
      await expect(page.getByRole('dialog', { name: 'Ajouter des torrents' })).toBeVisible();
      await shoot(page, `ajout-${tag}`);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);

      await page.goto('/tous');
      await expect(page.getByRole('heading', { name: 'Tous les torrents', level: 1 })).toBeVisible();
      await expect(page.getByText('Chargement…')).toHaveCount(0);
      await expectFrenchPage(page, 'Tous les torrents');
      await shoot(page, `tous-${tag}`);

      await page.goto(`/torrents/${'0'.repeat(40)}`);
      await expect(page.getByRole('heading', { name: 'Torrent introuvable' })).toBeVisible();
      await expectFrenchPage(page, 'Torrent introuvable');
      await shoot(page, `torrent-introuvable-${tag}`);

      await page.goto('/introuvable');
      await expect(page.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
      await shoot(page, `introuvable-${tag}`);

      // The same pages filled with example torrents (answered from the browser side), to check the layout.
      const me = (await (await page.request.get('/api/me')).json()) as { id: number; username: string; display_name: string };
      await withSampleTorrents(page, me);
      await page.goto('/torrents');
      await expect(page.getByRole('link', { name: 'debian-12.7.0-amd64-netinst.iso', exact: true })).toBeVisible();
      await expectFrenchPage(page, 'Mes torrents');
      await shoot(page, `exemple-torrents-${tag}`);

      await page.goto('/tous');
      await expect(page.getByText('Camille Dupré').first()).toBeVisible();
      await shoot(page, `exemple-tous-${tag}`);

      await page.goto(`/torrents/${'01'.repeat(20)}`);
      await expect(page.getByRole('heading', { name: 'ubuntu-24.04.1-desktop-amd64.iso', level: 1 })).toBeVisible();
      await expect(page.getByTestId('file-tree')).toBeVisible();
      await expectFrenchPage(page, 'ubuntu-24.04.1-desktop-amd64.iso');
      await shoot(page, `exemple-detail-${tag}`);

      await page.goto('/torrents');
      await page.getByRole('button', { name: 'Ajouter des torrents' }).first().click();
      await page.getByLabel('Liens magnet à ajouter').fill('magnet:?xt=urn:btih:…&dn=Un+film\nmagnet:?xt=urn:btih:0123');
      await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
      await expect(page.getByTestId('add-results')).toBeVisible();
      await shoot(page, `exemple-ajout-${tag}`);
      await page.getByRole('tab', { name: /Fichiers \.torrent/ }).click();
      const torrentFile = (name: string) => ({ name, mimeType: 'application/x-bittorrent', buffer: Buffer.alloc(2048, 'd') });
      await page
        .getByLabel('Choisir des fichiers .torrent')
        .setInputFiles([torrentFile('Le Voyage dans la Lune.torrent'), torrentFile('ubuntu-24.04.1-desktop-amd64.iso.torrent')]);
      await expect(page.getByRole('list', { name: 'Fichiers choisis' }).getByRole('listitem')).toHaveCount(2);
      await page.screenshot({ path: path.join(dir, `exemple-ajout-fichiers-${tag}.png`) });
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: "Plus d'actions pour « ubuntu-24.04.1-desktop-amd64.iso »" }).click();
      await page.getByRole('menu').getByRole('menuitem', { name: 'Supprimer' }).click();
      await expect(page.getByRole('dialog', { name: /^Supprimer « ubuntu/ })).toBeVisible();
      await page.screenshot({ path: path.join(dir, `exemple-suppression-${tag}.png`) });
      await page.keyboard.press('Escape');

      await page.goto('/');
      await expect(page.getByTestId('torrents-summary')).toContainText('8 torrents');
      await shoot(page, `exemple-tableau-de-bord-${tag}`);
      await page.unrouteAll({ behavior: 'ignoreErrors' });

      if (device === 'telephone') {
        await page.goto('/');
        await page.getByRole('button', { name: 'Ouvrir le menu' }).click();
        await expect(page.getByRole('dialog', { name: 'Menu' })).toBeVisible();
        await page.screenshot({ path: path.join(dir, `menu-${tag}.png`) });
        await page.keyboard.press('Escape');
        await expect(page.getByRole('dialog')).toHaveCount(0);
      }
    });
  }
}

/**
 * Every page of the app (e2e/tour.ts) at 1280, 1024 and 390 px, light and dark, into
 * screenshots/pages/<page>-<width>-<theme>.png — what `make screenshots` runs.
 */
test.describe('pages', () => {
  const pagesDir = path.join(screenshotDir, 'pages');
  mkdirSync(pagesDir, { recursive: true });
  test.skip(!ADMIN || !ADMIN_PASSWORD, "the server printed no administrator's credentials");
  test.beforeAll(seedUsers);

  for (const width of WIDTHS) {
    for (const theme of THEMES) {
      test(`pages ${width} ${theme}`, async ({ page }) => {
        test.setTimeout(180_000);
        await page.setViewportSize(viewportOf(width));
        await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
        let loggedIn = false;
        for (const stop of STOPS) {
          if (!stop.guest && !loggedIn) {
            await loginWithSamples(page);
            loggedIn = true;
          }
          await stop.open(page);
          if (!stop.guest) await expectHeaderFits(page);
          await settle(page);
          await page.screenshot({ path: path.join(pagesDir, `${stop.name}-${width}-${theme}.png`), fullPage: true });
        }
      });
    }
  }
});

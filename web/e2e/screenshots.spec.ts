import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectFrenchPage, registerByApi } from './helpers';

// Read in the worker, which starts after global setup has set it.
test.use({ baseURL: process.env.ESSAIM_E2E_URL });

const dir = path.join(import.meta.dirname, 'screenshots');
mkdirSync(dir, { recursive: true });

const viewports = {
  bureau: { width: 1280, height: 800 },
  telephone: { width: 375, height: 740 },
} as const;

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

      await page.goto('/introuvable');
      await expect(page.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
      await shoot(page, `introuvable-${tag}`);

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

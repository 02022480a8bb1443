import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectFrenchPage, screenshotDir, viewports } from './helpers';
import { sampleRoot, withSampleTorrents } from './sample-data';

/**
 * Per-user folders, as an administrator sees them (issue 16), for the layout screenshots:
 * Réglages → Stockage (torrents still in the shared folder, the confirmation, a move running,
 * its report), "Tous les torrents" with the "Dossier commun" badges, the detail page of such a
 * torrent, and deleting its files (the server's warning, then "Supprimer quand même").
 * `GET /api/admin/storage`, the torrent routes and the socket are answered from the browser
 * side (sample-data.ts); everything else, the session included, is the real server.
 */

test.use({ baseURL: process.env.ESSAIM_E2E_URL });

const ADMIN = process.env.ESSAIM_E2E_ADMIN ?? '';
const ADMIN_PASSWORD = process.env.ESSAIM_E2E_ADMIN_PASSWORD ?? '';
test.skip(!ADMIN || !ADMIN_PASSWORD, "the server printed no administrator's credentials");

const dir = screenshotDir;

const hex = (n: number) => n.toString(16).padStart(2, '0').repeat(20);
const camille = { id: 90, username: 'camille', display_name: 'Camille Dupré' };
const started = Math.floor(Date.UTC(2026, 10, 24, 13, 5) / 1000);

function item(n: number, name: string, status: string, message: string | null = null) {
  return {
    hash: hex(n),
    name,
    owner: camille,
    from: sampleRoot,
    to: `${sampleRoot}/camille`,
    status,
    message,
  };
}

const waiting = [
  item(9, 'Cours de cuisine – saison 3', 'waiting'),
  item(12, 'Concert au parc (2019)', 'waiting'),
  item(13, 'Photos de vacances – Bretagne', 'waiting'),
];

function storage(move: unknown, shared = waiting) {
  return {
    root: sampleRoot,
    root_from: 'download_root',
    layout: `${sampleRoot}/<dossier de l'utilisateur>/<torrent>`,
    counts: { user_folder: 12, shared: shared.length + 1, elsewhere: 1 },
    shared,
    move,
  };
}

const running = storage({
  running: true,
  started_at: started,
  finished_at: null,
  total: 3,
  done: 1,
  failed: 0,
  items: [
    item(9, 'Cours de cuisine – saison 3', 'done'),
    item(12, 'Concert au parc (2019)', 'moving'),
    item(13, 'Photos de vacances – Bretagne', 'waiting'),
  ],
});

const finished = storage(
  {
    running: false,
    started_at: started,
    finished_at: started + 95,
    total: 3,
    done: 2,
    failed: 1,
    items: [
      item(9, 'Cours de cuisine – saison 3', 'done'),
      item(12, 'Concert au parc (2019)', 'failed', "qBittorrent n'a pas pu déplacer les fichiers : plus d'espace sur le disque."),
      item(13, 'Photos de vacances – Bretagne', 'done'),
    ],
  },
  [waiting[1]!],
);

async function shootRegion(name: string, region: ReturnType<Page['getByRole']>) {
  await region.scrollIntoViewIfNeeded();
  await region.screenshot({ path: path.join(dir, `${name}.png`) });
}

for (const [device, viewport] of Object.entries(viewports)) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`stockage ${device} ${scheme}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      const tag = `${device}-${scheme === 'light' ? 'clair' : 'sombre'}`;

      const login = await page.request.post('/api/auth/login', { data: { username: ADMIN, password: ADMIN_PASSWORD } });
      expect(login.status(), await login.text()).toBe(200);
      const me = (await (await page.request.get('/api/me')).json()) as { id: number; username: string; display_name: string };
      await withSampleTorrents(page, me, { admin: true });

      // Réglages → Stockage: what is still shared, then the confirmation.
      let state: unknown = storage(null);
      await page.route('**/api/admin/storage', (route) => route.fulfill({ json: state }));
      await page.goto('/admin/reglages');
      const section = page.getByRole('region', { name: 'Stockage' });
      await expect(section.getByText('Cours de cuisine – saison 3')).toBeVisible();
      await expectFrenchPage(page, 'Réglages');
      await shootRegion(`stockage-a-deplacer-${tag}`, section);
      await section.getByRole('button', { name: 'Tout déplacer dans les dossiers des utilisateurs' }).click();
      await expect(page.getByRole('dialog', { name: 'Déplacer 3 torrents ?' })).toBeVisible();
      await page.screenshot({ path: path.join(dir, `stockage-confirmation-${tag}.png`) });
      await page.keyboard.press('Escape');

      // A move running, then its report.
      state = running;
      await page.reload();
      await expect(section.getByRole('status').filter({ hasText: 'Déplacement en cours : 1 / 3' })).toBeVisible();
      await shootRegion(`stockage-en-cours-${tag}`, section);
      state = finished;
      await expect(section.getByRole('heading', { name: 'Dernier déplacement' })).toBeVisible({ timeout: 5_000 });
      await shootRegion(`stockage-rapport-${tag}`, section);

      // "Tous les torrents": the two still in the shared folder carry the badge.
      await page.goto('/tous');
      await expect(page.getByText('Dossier commun').first()).toBeVisible();
      await page.screenshot({ path: path.join(dir, `stockage-tous-${tag}.png`), fullPage: true });

      // The detail page of one of them: the path, the badge, "Déplacer…".
      await page.goto(`/torrents/${hex(9)}`);
      await expect(page.getByRole('heading', { name: 'Cours de cuisine – saison 3', level: 1 })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Déplacer dans le dossier de son propriétaire' })).toBeVisible();
      await page.screenshot({ path: path.join(dir, `stockage-detail-${tag}.png`), fullPage: true });

      // Deleting its files: the server names what would go first.
      await page.route(/\/api\/torrents\/[0-9a-f]{40}\?delete_files=true$/, (route) =>
        route.fulfill({
          status: 409,
          json: {
            error: {
              code: 'confirm_required',
              message:
                "Ce torrent n'est pas dans le dossier de son propriétaire : supprimer ses fichiers effacera « Cours de cuisine – saison 3 » sur le serveur. Confirmez pour continuer.",
            },
          },
        }),
      );
      await page.getByRole('button', { name: 'Supprimer « Cours de cuisine – saison 3 »' }).click();
      const dialog = page.getByRole('dialog', { name: 'Supprimer « Cours de cuisine – saison 3 » ?' });
      await dialog.getByRole('button', { name: 'Supprimer', exact: true }).click();
      await expect(dialog.getByRole('button', { name: 'Supprimer quand même' })).toBeVisible();
      await page.screenshot({ path: path.join(dir, `stockage-suppression-${tag}.png`) });
      await page.keyboard.press('Escape');
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    });
  }
}

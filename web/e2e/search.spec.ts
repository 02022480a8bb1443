import { expect, test } from '@playwright/test';
import { expectFrenchPage } from './helpers';
import { startServer, type ServerState } from './server';

/**
 * Recherche against a fake Jackett (server/tests/integration/fake_jackett.py, started by
 * scripts/e2e.sh) whose results point at the loopback swarm: search, results sorted by seeders,
 * add one, find it in Mes torrents. Runs only when ESSAIM_E2E_SWARM carries jackett_url.
 */

interface Env {
  qbt_url: string;
  qbt_username: string;
  qbt_password: string;
  jackett_url?: string;
  jackett_key?: string;
}

const RAW = process.env.ESSAIM_E2E_SWARM;
const env: Env | undefined = RAW ? (JSON.parse(RAW) as Env) : undefined;

test.skip(!env?.jackett_url, 'ESSAIM_E2E_SWARM has no jackett_url: no Jackett to search');

let server: ServerState | undefined;

test.beforeAll(async () => {
  if (!env?.jackett_url) return;
  server = await startServer({
    env: {
      ESSAIM_QBT_URL: env.qbt_url,
      ESSAIM_QBT_USERNAME: env.qbt_username,
      ESSAIM_QBT_PASSWORD: env.qbt_password,
      ESSAIM_JACKETT_URL: env.jackett_url,
      ESSAIM_JACKETT_API_KEY: env.jackett_key ?? '',
    },
  });
});

test.afterAll(async () => {
  await server?.stop();
});

test('search, sorted by seeders, add a result, see it in Mes torrents', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const username = `chercheur-${Date.now().toString(36)}`;
  await page.goto(`${server!.url}/inscription`);
  await page.getByLabel("Nom d'utilisateur").fill(username);
  await page.getByLabel('Mot de passe', { exact: true }).fill('une-ruche-bien-remplie');
  await page.getByLabel('Confirmation du mot de passe').fill('une-ruche-bien-remplie');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('heading', { name: /^Bonjour/ })).toBeVisible();

  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Recherche' }).click();
  await expect(page).toHaveURL(/\/recherche$/);
  await expectFrenchPage(page, 'Recherche');
  await page.getByLabel('Rechercher', { exact: true }).fill('amelie');
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();

  const table = page.getByTestId('search-table');
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  // Sorted by seeders: Dune (1024) before Amélie (152).
  await expect(rows.first()).toContainText('Dune');
  await expect(rows.nth(1)).toContainText('Amélie');
  await expect(page.getByText(/Certains indexeurs n'ont pas répondu/)).toBeVisible();
  // Jackett's API key never reaches the page.
  expect(await page.content()).not.toContain(env!.jackett_key!);

  await rows.first().getByRole('button', { name: /^Ajouter « Dune/ }).click();
  await expect(rows.first().getByText('Ajouté')).toBeVisible({ timeout: 30_000 });
  await rows.first().getByRole('link', { name: 'Voir dans Mes torrents' }).click();
  await expect(page).toHaveURL(/\/torrents\/[0-9a-f]{40}$/);
  const hash = /\/torrents\/([0-9a-f]{40})$/.exec(page.url())![1];

  // Leave the shared qBittorrent as it was for the next spec.
  const cookies = await page.context().cookies();
  const csrf = cookies.find((c) => c.name === 'csrf_token')?.value ?? '';
  const res = await page.request.delete(`${server!.url}/api/torrents/${hash}?delete_files=true`, {
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status()).toBe(204);
});

import { expect, test } from '@playwright/test';
import { expectFrenchPage, login } from './helpers';

/**
 * API tokens against the real server: the first administrator (every permission, `use_api`
 * included) creates a token in "Mon compte" → Applications, reads it from the dialog (shown
 * once), signs in as Sonarr would with the fields the dialog gives (qBittorrent's
 * /api/v2/auth/login: 'Ok.'), calls `GET /api/me` with it from a context without cookies (200, as
 * that user), then revokes it in the page: the same call answers 401, the sign-in 'Fails.'.
 */

test.use({ baseURL: process.env.ESSAIM_E2E_URL });

const ADMIN = process.env.ESSAIM_E2E_ADMIN ?? '';
const ADMIN_PASSWORD = process.env.ESSAIM_E2E_ADMIN_PASSWORD ?? '';
test.skip(!ADMIN || !ADMIN_PASSWORD, "the server printed no administrator's credentials");

const NAME = 'Script e2e';

test('a token made in the page opens the API until it is revoked', async ({ page, request }) => {
  await page.goto('/connexion');
  await login(page, ADMIN, ADMIN_PASSWORD);
  await expect(page.getByTestId('nav-user')).toBeAttached();

  await page.goto('/compte#applications');
  const card = page.getByRole('region', { name: 'Applications', exact: true });
  await expect(card).toBeVisible();
  await expectFrenchPage(page, 'Mon compte');
  await card.getByRole('button', { name: 'Créer un jeton' }).click();

  const form = page.getByRole('dialog', { name: 'Créer un jeton' });
  await form.getByLabel('Nom', { exact: true }).fill(NAME);
  await form.getByLabel('Expiration').selectOption({ label: '30 jours' });
  await form.getByRole('button', { name: 'Créer le jeton' }).click();

  const reveal = page.getByRole('dialog', { name: `Jeton « ${NAME} » créé` });
  await expect(reveal.getByText('Copiez-le maintenant : il ne sera plus affiché.')).toBeVisible();
  const secret = (await reveal.getByTestId('new-token').innerText()).trim();
  expect(secret).toMatch(/^essaim_\S+$/);
  await expect(reveal.getByTestId('token-curl')).toContainText(`Authorization: Bearer ${secret}`);

  // Sonarr/Radarr's form, as the dialog fills it: this page's host and port, the user's name,
  // the token as password — what a qBittorrent client sends to /api/v2/auth/login.
  const setup = reveal.getByTestId('arr-setup');
  const field = (label: string) => setup.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  const site = new URL(page.url());
  await expect(field('Hôte')).toHaveText(site.hostname);
  await expect(field('Port')).toHaveText(site.port || (site.protocol === 'https:' ? '443' : '80'));
  await expect(field('Utiliser SSL')).toHaveText(site.protocol === 'https:' ? /^Coché/ : /^Décoché/);
  await expect(field("Nom d'utilisateur")).toHaveText(ADMIN);
  const arrLogin = () =>
    request.post(`${site.origin}/api/v2/auth/login`, {
      form: { username: ADMIN, password: secret },
    });
  const ok = await arrLogin();
  expect(ok.status()).toBe(200);
  expect(await ok.text()).toBe('Ok.');

  const bearer = { Authorization: `Bearer ${secret}` };
  const me = await request.get('/api/me', { headers: bearer });
  expect(me.status(), await me.text()).toBe(200);
  expect(((await me.json()) as { username: string }).username).toBe(ADMIN);

  await reveal.getByRole('button', { name: "J'ai copié le jeton" }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // Listed, never with its secret; its use just now is recorded.
  const row = card.getByRole('row').filter({ has: page.getByRole('rowheader', { name: NAME }) });
  await expect(row).toBeVisible();
  await expect(card).not.toContainText(secret);

  await row.getByRole('button', { name: `Révoquer le jeton « ${NAME} »` }).click();
  const confirm = page.getByRole('dialog', { name: `Révoquer le jeton « ${NAME} » ?` });
  await confirm.getByRole('button', { name: 'Révoquer' }).click();
  await expect(card.getByText(`Le jeton « ${NAME} » a été révoqué.`)).toBeVisible();
  await expect(row).toHaveCount(0);

  const after = await request.get('/api/me', { headers: bearer });
  expect(after.status()).toBe(401);
  expect(await (await arrLogin()).text()).toBe('Fails.');
});

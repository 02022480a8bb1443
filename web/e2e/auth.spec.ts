import { expect, test } from '@playwright/test';
import { expectFrenchPage, login, logout } from './helpers';

// Read in the worker, which starts after global setup has set it.
test.use({ baseURL: process.env.ESSAIM_E2E_URL });
test.describe.configure({ mode: 'serial' });

const username = 'camille';
const firstPassword = 'ruche-de-printemps-1';
const newPassword = 'ruche-d-automne-2026';

test('register, log out, log in, edit the account, change the password', async ({ page }) => {
  // Inscription, reached from the login page.
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion$/);
  await expectFrenchPage(page, 'Connexion');
  await page.getByRole('link', { name: 'Créer un compte' }).click();
  await expect(page.getByRole('heading', { name: 'Inscription' })).toBeVisible();
  await expectFrenchPage(page, 'Inscription');

  // Client-side checks first.
  await page.getByLabel("Nom d'utilisateur").fill(username);
  await page.getByLabel('Mot de passe', { exact: true }).fill('court');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByText('Le mot de passe doit contenir au moins 10 caractères.')).toBeVisible();
  await expect(page.getByLabel('Mot de passe', { exact: true })).toBeFocused();

  await page.getByLabel(/^Nom affiché/).fill('Camille');
  await page.getByLabel('Mot de passe', { exact: true }).fill(firstPassword);
  await page.getByLabel('Confirmation du mot de passe').fill(firstPassword);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();

  // Tableau de bord.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Bonjour, Camille !' })).toBeVisible();
  await expect(page.getByTestId('server-status')).toContainText(
    /qBittorrent : (connecté|injoignable|non configuré)/,
  );
  await expect(page.getByRole('navigation', { name: 'Navigation principale' })).toContainText('Tableau de bord');
  await expect(page.getByTestId('nav-user')).toContainText('Camille');
  await expectFrenchPage(page, 'Tableau de bord');

  // Déconnexion, then a wrong password.
  await logout(page);
  await expect(page.getByText('Vous êtes déconnecté.')).toBeVisible();
  await login(page, username, 'pas-le-bon-mot-de-passe');
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toBeFocused();
  const wrongLoginText = await alert.innerText();
  expect(wrongLoginText).toMatch(/[éèàç]|incorrect|invalide/i);
  await expectFrenchPage(page, 'Connexion');

  // Connexion.
  await login(page, username, firstPassword);
  await expect(page.getByRole('heading', { name: 'Bonjour, Camille !' })).toBeVisible();

  // Mon compte: display name.
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mon compte' }).click();
  await expect(page).toHaveURL(/\/compte$/);
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();
  await expectFrenchPage(page, 'Mon compte');
  await page.getByLabel('Nom affiché', { exact: true }).fill('Camille D.');
  await page.getByLabel('Adresse e-mail').fill('camille@exemple.fr');
  await page.getByRole('region', { name: 'Profil' }).getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Vos modifications ont été enregistrées.')).toBeVisible();
  await expect(page.getByTestId('nav-user')).toContainText('Camille D.');

  // Mot de passe: wrong current password, then the right one.
  await page.getByLabel('Mot de passe actuel').fill('pas-le-bon-mot-de-passe');
  await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirmation du nouveau mot de passe').fill(newPassword);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  const current = page.getByLabel('Mot de passe actuel');
  await expect(current).toHaveAttribute('aria-invalid', 'true');
  await expect(current).toBeFocused();
  const errorId = (await current.getAttribute('aria-describedby'))!.split(' ')[0]!;
  await expect(page.locator(`[id="${errorId}"]`)).toHaveText(/[a-zéè]/);
  await expectFrenchPage(page, 'Mon compte');

  await current.fill(firstPassword);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(page.getByText('Votre mot de passe a été modifié.')).toBeVisible();

  // Still logged in with the renewed cookies.
  await page.reload();
  await expect(page.getByTestId('nav-user')).toContainText('Camille D.');

  // Log out, the old password no longer works, the new one does.
  await logout(page);
  await login(page, username, firstPassword);
  await expect(page.getByRole('alert')).toBeVisible();
  await login(page, username, newPassword);
  await expect(page.getByRole('heading', { name: 'Bonjour, Camille D. !' })).toBeVisible();
});

test('a visitor is sent to Connexion and comes back to the page asked for', async ({ page }) => {
  await page.goto('/compte');
  await expect(page).toHaveURL(/\/connexion$/);
  await expect(page.getByText('Votre session a expiré')).toHaveCount(0);
  await login(page, username, newPassword);
  await expect(page).toHaveURL(/\/compte$/);
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();
});

test('an ended session sends back to Connexion with a notice', async ({ page, context }) => {
  await page.goto('/connexion');
  await login(page, username, newPassword);
  await expect(page.getByTestId('nav-user')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Se déconnecter' }).locator('visible=true')).toBeVisible();
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mon compte' }).click();
  // The session cookie disappears (as when it expires); the next call answers 401.
  const cookies = await context.cookies();
  await context.clearCookies();
  await context.addCookies(cookies.filter((c) => c.name !== 'essaim_session'));
  // The next call answers 401: the save below, or one of the page's own background refreshes
  // if it comes first (then the page has already left: nothing to fill).
  await page
    .getByLabel('Nom affiché', { exact: true })
    .fill('Camille E.', { timeout: 3000 })
    .then(() => page.getByRole('region', { name: 'Profil' }).getByRole('button', { name: 'Enregistrer' }).click({ timeout: 3000 }))
    .catch(() => undefined);
  await expect(page).toHaveURL(/\/connexion$/);
  await expect(page.getByText('Votre session a expiré. Reconnectez-vous.')).toBeVisible();
});

test('unknown pages say Page introuvable, in French', async ({ page }) => {
  await page.goto('/nulle-part');
  await expect(page.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
  await expectFrenchPage(page, 'Page introuvable');
});

test('no inline script in the HTML and no CSP violation', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.goto('/connexion');
  const html = await res!.text();
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  expect(errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
});

test('keyboard only: log in, skip link, reach Mon compte, with a visible focus ring', async ({ page }) => {
  await page.goto('/connexion');
  const usernameField = page.getByLabel("Nom d'utilisateur");
  for (let i = 0; i < 5 && !(await usernameField.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(usernameField).toBeFocused();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Mot de passe', { exact: true })).toBeFocused();
  await page.keyboard.type(newPassword);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('nav-user')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Se déconnecter' }).locator('visible=true')).toBeVisible();

  // First Tab: the skip link appears, with a focus outline.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Aller au contenu' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');

  const accountLink = page
    .getByRole('navigation', { name: 'Navigation principale' })
    .getByRole('link', { name: 'Mon compte' });
  for (let i = 0; i < 8 && !(await accountLink.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(accountLink).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/compte$/);
});

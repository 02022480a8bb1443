import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { expectFrenchPage, login, logout } from './helpers';

/**
 * Administration against the real server: the first administrator (printed by `essaim serve`
 * on its first start, passed on by global-setup.ts) creates a limited group without search and
 * a user in it (with their own folder); that user sees the limits and no "Recherche"; the
 * journal records both creations; Réglages → Stockage has nothing in the shared folder.
 */

// Read in the worker, which starts after global setup has set them.
test.use({ baseURL: process.env.ESSAIM_E2E_URL });
test.describe.configure({ mode: 'serial' });

const ADMIN = process.env.ESSAIM_E2E_ADMIN ?? '';
const ADMIN_PASSWORD = process.env.ESSAIM_E2E_ADMIN_PASSWORD ?? '';
test.skip(!ADMIN || !ADMIN_PASSWORD, "the server printed no administrator's credentials");

const GROUP = 'Famille';
const USER = 'dominique';
const DISPLAY_NAME = 'Dominique';
const PASSWORD = 'une-ruche-familiale-2026';

/** The journal's French labels (the Journal page's block of fr.json), or a loose pattern without them. */
const fr = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'src', 'i18n', 'fr.json'), 'utf8')) as {
  adminAudit?: { actions?: Record<string, Record<string, string> | undefined> };
};
const auditLabel = (kind: 'group' | 'user', fallback: RegExp): string | RegExp => {
  const label = fr.adminAudit?.actions?.[kind]?.create;
  return typeof label === 'string' && label !== '' ? label : fallback;
};

/** The table row whose row header starts with `name` (a user's header also holds their display name and e-mail). */
const rowOf = (table: Locator, name: string) =>
  table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: new RegExp(`^${name}\\b`) }) });

test('a limited group without search, a user in it, their usage, and the journal', async ({ page }) => {
  await page.goto('/connexion');
  await login(page, ADMIN, ADMIN_PASSWORD);
  await expect(page.getByTestId('nav-user')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Se déconnecter' }).locator('visible=true')).toBeVisible();

  // Groupes: "Famille", at most 2 torrents, 1 active, 5 Go, no "Rechercher".
  await page.goto('/admin/groupes');
  await expect(page.getByRole('heading', { name: 'Groupes', level: 1 })).toBeVisible();
  await expect(page.getByTestId('group-table')).toBeVisible();
  await expectFrenchPage(page, 'Groupes');
  await page.getByRole('button', { name: 'Créer un groupe' }).click();
  const groupDialog = page.getByRole('dialog', { name: 'Créer un groupe' });
  await groupDialog.getByLabel('Nom du groupe').fill(GROUP);
  for (const permission of [
    'Ajouter des torrents',
    'Ajouter par lien magnet',
    'Mettre en pause / reprendre ses torrents',
    'Supprimer ses torrents',
    'Télécharger les fichiers de ses torrents',
  ]) {
    await groupDialog.getByLabel(permission, { exact: true }).check();
  }
  await groupDialog.getByLabel('Rechercher', { exact: true }).uncheck();
  await groupDialog.getByLabel('Nombre maximal de torrents', { exact: true }).fill('2');
  await groupDialog.getByLabel('Nombre maximal de torrents actifs', { exact: true }).fill('1');
  await groupDialog.getByLabel('Quota disque total (Go)').fill('5');
  await groupDialog.getByRole('button', { name: 'Créer le groupe' }).click();
  await expect(page.getByText(`Le groupe « ${GROUP} » a été créé.`)).toBeVisible();
  await expect(groupDialog).toBeHidden();
  const groupRow = rowOf(page.getByTestId('group-table'), GROUP);
  await expect(groupRow).toContainText('2 torrents au plus');
  await expect(groupRow).toContainText('quota de 5 Go');
  await expect(groupRow).toContainText('5 sur 13');

  // Utilisateurs: "dominique" in "Famille", with a typed password.
  await page.goto('/admin/utilisateurs');
  await expect(page.getByRole('heading', { name: 'Utilisateurs', level: 1 })).toBeVisible();
  await expect(page.getByTestId('user-table')).toBeVisible();
  await expectFrenchPage(page, 'Utilisateurs');
  await page.getByRole('button', { name: 'Créer un utilisateur' }).click();
  const userDialog = page.getByRole('dialog', { name: 'Créer un utilisateur' });
  await userDialog.getByLabel("Nom d'utilisateur").fill(USER);
  await userDialog.getByLabel(/^Nom affiché/).fill(DISPLAY_NAME);
  await userDialog.getByLabel('Groupe').selectOption({ label: GROUP });
  await userDialog.getByLabel(/^Mot de passe/).fill(PASSWORD);
  await userDialog.getByRole('button', { name: "Créer l'utilisateur" }).click();
  await expect(page.getByText(`L'utilisateur « ${USER} » a été créé.`)).toBeVisible();
  await expect(userDialog).toBeHidden();
  const userRow = rowOf(page.getByTestId('user-table'), USER);
  await expect(userRow).toContainText(GROUP);
  await expect(userRow).toContainText('Actif');
  await expect(userRow).toContainText('jamais');
  // Their own folder, chosen by the server from the username.
  await expect(userRow.locator('code')).toHaveText(/^dominique(-\d+)?$/);

  // The group filter asks the server for the members of "Famille" only.
  await page.getByRole('search').getByLabel('Groupe').selectOption({ label: GROUP });
  await expect(page.getByTestId('user-table').getByRole('rowheader')).toHaveCount(1);
  await expect(page.getByText('1 utilisateur', { exact: true })).toBeVisible();
  await logout(page);

  // The new user: no "Recherche", their usage against the group's limits.
  await login(page, USER, PASSWORD);
  await expect(page.getByRole('heading', { name: `Bonjour, ${DISPLAY_NAME} !` })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Navigation principale' });
  await expect(nav.getByRole('link', { name: 'Mes torrents', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Recherche', exact: true })).toHaveCount(0);
  const usage = page.getByRole('region', { name: 'Votre utilisation' });
  await expect(usage.locator('[data-usage="torrents"]')).toContainText('0 sur 2');
  await expect(usage.locator('[data-usage="active"]')).toContainText('0 sur 1');
  await expect(usage.locator('[data-usage="disk"]')).toContainText('0 o sur 5 Go');
  await expectFrenchPage(page, 'Tableau de bord');

  await nav.getByRole('link', { name: 'Mon compte', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Utilisation' })).toContainText('0 sur 2');

  // Administration is not theirs (and the server would refuse it anyway).
  await page.goto('/admin/utilisateurs');
  await expect(page.getByText('Réservé aux administrateurs.')).toBeVisible();
  await expect(page.getByTestId('user-table')).toHaveCount(0);
  await logout(page);

  // Back as the administrator: the journal has both creations, in French.
  await login(page, ADMIN, ADMIN_PASSWORD);
  await expect(page.getByTestId('nav-user')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Se déconnecter' }).locator('visible=true')).toBeVisible();
  await page.goto('/admin/journal');
  await expect(page.getByRole('heading', { name: 'Journal', level: 1 })).toBeVisible();
  const journal = page.getByTestId('audit-table');
  await expect(journal.getByRole('row').filter({ hasText: auditLabel('group', /Groupe/) }).first()).toBeVisible();
  await expect(journal.getByRole('row').filter({ hasText: auditLabel('user', /Utilisateur/) }).first()).toBeVisible();
  // Their sign-in: "Connexion", by "dominique", about "Dominique" (a link to the account), never
  // "Utilisateur 2" nor the bare action code.
  const signIn = journal
    .getByRole('row')
    .filter({ hasText: 'Connexion' })
    .filter({ has: page.getByRole('link', { name: `Ouvrir le compte « ${DISPLAY_NAME} »`, exact: true }) })
    .first();
  await expect(signIn).toBeVisible();
  await expect(signIn.getByRole('link', { name: `Ouvrir le compte « ${USER} »`, exact: true })).toBeVisible();
  await expect(signIn).not.toContainText('user.login');
  await expect(journal).not.toContainText(/Utilisateur \d/);
  const created = journal.getByRole('row').filter({ hasText: auditLabel('group', /Groupe/) }).first();
  await expect(created.getByRole('link', { name: new RegExp(`« ${GROUP} »`) })).toBeVisible();
  await expectFrenchPage(page, 'Journal');
  // The name leads to the account: its dialog opens on "Utilisateurs".
  await signIn.getByRole('link', { name: `Ouvrir le compte « ${DISPLAY_NAME} »`, exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/utilisateurs$/);
  const account = page.getByRole('dialog', { name: `Modifier « ${USER} »` });
  await expect(account).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(account).toBeHidden();

  // Réglages → Stockage: a new server has nothing left in the shared folder.
  await page.goto('/admin/reglages');
  const storage = page.getByRole('region', { name: 'Stockage' });
  await expect(storage.getByText('Tous les torrents sont dans le dossier de leur propriétaire.')).toBeVisible();
  await expect(storage.getByTestId('storage-counts')).toContainText('aucun dans le dossier commun');
  await expect(storage.getByRole('button', { name: 'Tout déplacer dans les dossiers des utilisateurs' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Général' }).getByLabel('Autoriser les adresses locales et privées')).not.toBeChecked();
  await expectFrenchPage(page, 'Réglages');
});

test('dialogs start on their first field and give the focus back to what opened them', async ({ page }) => {
  await page.goto('/connexion');
  await login(page, ADMIN, ADMIN_PASSWORD);
  await expect(page.getByTestId('nav-user')).toBeAttached();

  // "Ajouter des torrents" (Mes torrents), opened from the keyboard.
  await page.goto('/torrents');
  const add = page.getByRole('button', { name: 'Ajouter des torrents' }).first();
  await add.focus();
  await page.keyboard.press('Enter');
  const addDialog = page.getByRole('dialog', { name: 'Ajouter des torrents' });
  await expect(addDialog).toBeVisible();
  await expect(addDialog.locator('button[aria-label="Fermer"]')).not.toBeFocused();
  await expect(addDialog.getByRole('textbox').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(addDialog).toBeHidden();
  await expect(add).toBeFocused();

  // Utilisateurs: "Créer un utilisateur", then a row's "Modifier".
  await page.goto('/admin/utilisateurs');
  await expect(page.getByTestId('user-table')).toBeVisible();
  const create = page.getByRole('button', { name: 'Créer un utilisateur' });
  await create.focus();
  await page.keyboard.press('Enter');
  const createDialog = page.getByRole('dialog', { name: 'Créer un utilisateur' });
  await expect(createDialog.getByLabel("Nom d'utilisateur")).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(createDialog).toBeHidden();
  await expect(create).toBeFocused();

  const edit = page.getByRole('button', { name: `Modifier « ${USER} »` });
  await edit.focus();
  await page.keyboard.press('Enter');
  const editDialog = page.getByRole('dialog', { name: `Modifier « ${USER} »` });
  await expect(editDialog).toBeVisible();
  await expect(editDialog.locator('button[aria-label="Fermer"]')).not.toBeFocused();
  await page.keyboard.press('Escape');
  await expect(editDialog).toBeHidden();
  await expect(edit).toBeFocused();
  // Annuler too.
  await page.keyboard.press('Enter');
  await editDialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(editDialog).toBeHidden();
  await expect(edit).toBeFocused();
});

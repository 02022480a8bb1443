import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

/** Where the layout screenshots go, and the two widths every page is looked at. */
export const screenshotDir = path.join(import.meta.dirname, 'screenshots');
mkdirSync(screenshotDir, { recursive: true });
export const viewports = {
  bureau: { width: 1280, height: 800 },
  telephone: { width: 375, height: 740 },
} as const;

export const baseURL = () => {
  const url = process.env.ESSAIM_E2E_URL;
  if (!url) throw new Error('ESSAIM_E2E_URL is not set: global setup did not run');
  return url;
};

/** Words that would betray an untranslated string, and raw i18n keys. */
const ENGLISH = /\b(Loading|Error|Submit|Sign in|Sign up|Log ?in|Log ?out|Password|Username|Dashboard|Account|Settings|Not found|Welcome|Save|Cancel|undefined|NaN)\b/;
// Not inside an address ("https://auth.example.org" in a field's hint).
const RAW_KEY = /(?<![\w/.-])(app|nav|form|auth|validation|dashboard|account|errors|torrents)\.[a-zA-Z]+/;

export async function expectFrenchPage(page: Page, title: string) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page).toHaveTitle(new RegExp(`^${title} · `));
  const text = await page.locator('body').innerText();
  expect(text, 'visible English leftover').not.toMatch(ENGLISH);
  expect(text, 'visible raw i18n key').not.toMatch(RAW_KEY);
}

export async function login(page: Page, username: string, password: string) {
  await page.getByLabel("Nom d'utilisateur").fill(username);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** The visible "Se déconnecter" button (desktop bar, or inside the phone menu). */
export async function logout(page: Page) {
  const menu = page.getByRole('button', { name: 'Ouvrir le menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('button', { name: 'Se déconnecter' }).locator('visible=true').click();
  await expect(page).toHaveURL(/\/connexion$/);
}

/** Registers through the API (the page's cookies are set: it is logged in afterwards). */
export async function registerByApi(page: Page, username: string, password: string, display_name?: string) {
  const res = await page.request.post(`${baseURL()}/api/auth/register`, {
    data: { username, password, ...(display_name ? { display_name } : {}) },
  });
  expect(res.status(), await res.text()).toBe(201);
}

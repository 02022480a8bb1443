import { expect, request as playwrightRequest, type Page } from '@playwright/test';
import { baseURL } from './helpers';
import { withSampleExtras, withSampleTorrents } from './sample-data';

/**
 * Every page of the app, in one list, for the page screenshots (screenshots.spec.ts, `make
 * screenshots`) and the accessibility check (a11y.spec.ts). The guest pages come first; then
 * the first administrator (printed by the server's first start, see global-setup.ts) is
 * logged in and the torrent, dashboard, search and notification calls are answered with
 * example data from the browser side (sample-data.ts); the administration pages show the
 * server's real users, groups and journal.
 */

export const ADMIN = process.env.ESSAIM_E2E_ADMIN ?? '';
export const ADMIN_PASSWORD = process.env.ESSAIM_E2E_ADMIN_PASSWORD ?? '';

/** The widths every page is looked at: a desktop, a small laptop (where the header is tight), a phone. */
export const WIDTHS = [1280, 1024, 390] as const;
export const THEMES = ['light', 'dark'] as const;
export const viewportOf = (width: number) => ({ width, height: width < 640 ? 844 : 800 });

export interface Stop {
  /** File name part, and the test's label. */
  name: string;
  /** Shown before logging in. */
  guest?: boolean;
  /** Goes to the page and waits until it is drawn with its data. */
  open: (page: Page) => Promise<void>;
}

const MINE = '01'.repeat(20);
const CAMILLE = '09'.repeat(20);

/** The page's title is drawn and nothing is loading any more (generous: the machine may be busy). */
async function heading(page: Page, name: string | RegExp) {
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Chargement…')).toHaveCount(0, { timeout: 15_000 });
}

export const STOPS: Stop[] = [
  {
    name: 'connexion',
    guest: true,
    open: async (page) => {
      await page.goto('/connexion');
      await heading(page, 'Connexion');
    },
  },
  {
    name: 'inscription',
    guest: true,
    open: async (page) => {
      await page.goto('/inscription');
      await heading(page, 'Inscription');
      await expect(page.getByRole('button', { name: 'Créer mon compte' })).toBeVisible();
    },
  },
  {
    name: 'tableau-de-bord',
    open: async (page) => {
      await page.goto('/');
      await heading(page, /^Bonjour/);
      await expect(page.getByTestId('speed-chart').locator('canvas')).toBeVisible();
      await expect(page.getByTestId('server-status')).toContainText('qBittorrent');
    },
  },
  {
    name: 'mes-torrents',
    open: async (page) => {
      await page.goto('/torrents');
      await heading(page, 'Mes torrents');
      await expect(page.getByRole('link', { name: 'debian-12.7.0-amd64-netinst.iso', exact: true })).toBeVisible();
    },
  },
  {
    name: 'tous-les-torrents',
    open: async (page) => {
      await page.goto('/tous');
      await heading(page, 'Tous les torrents');
      await expect(page.getByText('Camille Dupré').first()).toBeVisible();
    },
  },
  {
    name: 'torrent',
    open: async (page) => {
      await page.goto(`/torrents/${MINE}`);
      await heading(page, 'ubuntu-24.04.1-desktop-amd64.iso');
      await expect(page.getByTestId('file-tree')).toBeVisible();
      await expect(page.getByTestId('speed-chart').locator('canvas')).toBeVisible();
    },
  },
  {
    // Someone else's torrent: "Tous les torrents" is the current section.
    name: 'torrent-autre',
    open: async (page) => {
      await page.goto(`/torrents/${CAMILLE}`);
      await heading(page, 'Cours de cuisine – saison 3');
      await expect(page.getByTestId('file-tree')).toBeVisible();
    },
  },
  {
    name: 'recherche',
    open: async (page) => {
      await page.goto('/recherche');
      await heading(page, 'Recherche');
      await page.getByLabel('Rechercher', { exact: true }).fill('films muets');
      await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
      await expect(page.getByText('Nosferatu 1922 VOSTFR 720p').first()).toBeVisible();
    },
  },
  {
    name: 'compte',
    open: async (page) => {
      await page.goto('/compte');
      await heading(page, 'Mon compte');
    },
  },
  {
    name: 'notifications',
    open: async (page) => {
      await page.goto('/compte');
      await heading(page, 'Mon compte');
      await page.getByTestId('notifications-bell').click();
      await expect(page.getByRole('dialog', { name: 'Notifications' })).toBeVisible();
      await expect(page.getByText('Sintel.2010.1080p.mkv').first()).toBeVisible();
    },
  },
  {
    name: 'admin-utilisateurs',
    open: async (page) => {
      await page.goto('/admin/utilisateurs');
      await heading(page, 'Utilisateurs');
      await expect(page.getByTestId('user-table').or(page.getByTestId('user-cards')).first()).toBeVisible();
    },
  },
  {
    name: 'admin-groupes',
    open: async (page) => {
      await page.goto('/admin/groupes');
      await heading(page, 'Groupes');
      await expect(page.getByTestId('group-table').or(page.getByTestId('group-cards')).first()).toBeVisible();
    },
  },
  {
    name: 'admin-journal',
    open: async (page) => {
      await page.goto('/admin/journal');
      await heading(page, 'Journal');
      await expect(page.getByTestId('audit-table').or(page.getByTestId('audit-cards')).first()).toBeVisible();
    },
  },
  {
    name: 'admin-reglages',
    open: async (page) => {
      await page.goto('/admin/reglages');
      await heading(page, 'Réglages');
      await expect(page.getByRole('heading', { name: 'qBittorrent', level: 2, exact: true })).toBeVisible();
    },
  },
];

/**
 * A few accounts, so that the administration pages have rows (once per server; already there is
 * fine). Their names are the tour's own: other specs register on the same server (auth.spec.ts
 * takes "camille").
 */
export async function seedUsers() {
  const ctx = await playwrightRequest.newContext({ baseURL: baseURL() });
  try {
    for (const [username, display_name] of [
      ['visite-camille', 'Camille Dupré'],
      ['visite.lea', 'Léa Martin'],
      ['visite_sam', ''],
    ] as const) {
      const res = await ctx.post('/api/auth/register', {
        data: { username, password: 'une-ruche-exemplaire', ...(display_name ? { display_name } : {}) },
      });
      expect([201, 409], await res.text()).toContain(res.status());
      await ctx.clearCookies();
    }
  } finally {
    await ctx.dispose();
  }
}

/** Logs the page in as the first administrator and answers the torrent, dashboard, search and notification calls. */
export async function loginWithSamples(page: Page) {
  const res = await page.request.post('/api/auth/login', { data: { username: ADMIN, password: ADMIN_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  const me = (await (await page.request.get('/api/me')).json()) as { id: number; username: string; display_name: string };
  const data = await withSampleTorrents(page, me, { admin: true });
  await withSampleExtras(page, data);
}

/** Lets the page settle (fonts, charts, transitions) before a picture or a check. */
export async function settle(page: Page) {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(150);
}

/**
 * The header bar holds its content: nothing overflows it, and the site name is not cut
 * (the bar is tightest at 1024 px, where every entry keeps its visible name).
 */
export async function expectHeaderFits(page: Page) {
  const box = await page.locator('header > div').evaluate((bar) => {
    const name = bar.querySelector('a[href="/"] span');
    return {
      overflow: bar.scrollWidth - bar.clientWidth,
      nameCut: name ? name.scrollWidth - name.clientWidth : 0,
    };
  });
  expect(box, 'header bar: overflow and site name cut, in px').toEqual({ overflow: 0, nameCut: 0 });
}

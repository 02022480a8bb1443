import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, ADMIN_PASSWORD, STOPS, THEMES, loginWithSamples, seedUsers, settle, viewportOf } from './tour';

/**
 * Accessibility check of every page (e2e/tour.ts: sign-in, sign-up, torrents, a torrent,
 * search, dashboard, account, notifications, administration) with axe-core, in light and in
 * dark, on a desktop and on a phone: any serious or critical violation fails, with what it is
 * and where. Colour contrast (WCAG AA) is among the rules, so each theme is checked as drawn.
 */

test.use({ baseURL: process.env.ESSAIM_E2E_URL });
test.skip(!ADMIN || !ADMIN_PASSWORD, "the server printed no administrator's credentials");
test.beforeAll(seedUsers);

/** WCAG 2.x A and AA, and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

async function serious(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  // A11Y_VERBOSE=1: the lesser (moderate, minor) ones too, printed, not failing.
  if (process.env.A11Y_VERBOSE) {
    for (const v of violations.filter((x) => x.impact !== 'serious' && x.impact !== 'critical')) {
      console.log(`axe ${v.impact} ${v.id} on ${page.url()}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
    }
  }
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
    }));
}

for (const width of [1280, 390] as const) {
  for (const theme of THEMES) {
    test(`a11y ${width} ${theme}`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.setViewportSize(viewportOf(width));
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      let loggedIn = false;
      const found: Record<string, unknown> = {};
      for (const stop of STOPS) {
        if (!stop.guest && !loggedIn) {
          await loginWithSamples(page);
          loggedIn = true;
        }
        await stop.open(page);
        await settle(page);
        const v = await serious(page);
        if (v.length > 0) found[stop.name] = v;
      }
      if (width === 390) {
        // The phone menu, open.
        await page.goto('/');
        await page.getByRole('button', { name: 'Ouvrir le menu' }).click();
        await expect(page.getByRole('dialog', { name: 'Menu' })).toBeVisible();
        await settle(page);
        const v = await serious(page);
        if (v.length > 0) found['menu'] = v;
      }
      expect(found, 'serious or critical axe violations, by page').toEqual({});
    });
  }
}

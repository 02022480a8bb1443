import path from 'node:path';
import { expect, request, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { expectFrenchPage, login, logout, screenshotDir } from './helpers';
import { jwtPayload, providerMissing, startProvider, type Provider } from './oidc';
import { startServer, type ServerState } from './server';

/**
 * Single sign-on (issue 22) in a real browser, against the real binary and a real OpenID Connect
 * provider (server/tests/integration/oidc/provider.mjs, panva's oidc-provider, driven through its
 * own HTML forms; nothing is intercepted): "Se connecter avec …" on /connexion, the provider's
 * form, the way back signed in, the account created in the mapped group and reused the next time;
 * "Se déconnecter" through the provider's confirmation (RP-initiated logout) and back to
 * /connexion; refusals (a tampered state, an identity no account is linked to) as French alerts on
 * /connexion?sso=…; passwords turned off but for the break-glass administrator; the
 * administrator's "Tester" in Réglages. The login page with the provider's button is photographed
 * at 1280 px (light) and 390 px (dark). One essaim, one provider and one browser context (cookies
 * cleared before each test) for the whole file; the administrator configures through the API.
 */

const missing = providerMissing();
test.skip(missing !== null, `no OIDC test provider: ${missing}`);
test.describe.configure({ mode: 'serial' });

const CLIENT_ID = 'essaim';
const CLIENT_SECRET = 'secret-du-client-essaim-0123456789';
const DISPLAY_NAME = 'Fournisseur de test';
const SSO_BUTTON = `Se connecter avec ${DISPLAY_NAME}`;
const GROUP_MAP = 'famille = Utilisateurs\nadmins = Administrateurs';
const ACCOUNTS = [
  {
    sub: 'sub-alice',
    password: 'alice-mdp',
    claims: {
      preferred_username: 'alice',
      name: 'Alice Martin',
      email: 'alice@example.org',
      email_verified: true,
      groups: ['famille'],
    },
  },
  // Groups that map to nothing.
  { sub: 'sub-carol', password: 'carol-mdp', claims: { preferred_username: 'carol', groups: ['voisins'] } },
];
const LOCAL_USER = { username: 'dora', password: 'mot-de-passe-dora-12' };

let server: ServerState | undefined;
let provider: Provider | undefined;
let admin: APIRequestContext | undefined;
// One browser for the file, its cookies cleared before each test: SPA loads hit a warm cache.
let context: BrowserContext | undefined;
let page: Page;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A URL that starts with `base` followed by `rest` (a regular expression's source). */
const at = (base: string, rest = '') => new RegExp(`^${escape(base)}${rest}`);

/** The administrator's API calls (a password session opened in beforeAll), with the CSRF header. */
async function adminCall(method: 'GET' | 'PUT' | 'POST', url: string, data?: unknown) {
  const csrf = (await admin!.storageState()).cookies.find((c) => c.name === 'csrf_token')?.value ?? '';
  const res = await admin!.fetch(url, { method, data, headers: { 'X-CSRF-Token': csrf, Origin: server!.url } });
  expect(res.ok(), `${method} ${url}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return res.json();
}

function configure(oidc: Record<string, unknown>) {
  return adminCall('PUT', '/api/admin/settings', { oidc });
}

interface ListedUser {
  id: number;
  username: string;
  group: { name: string } | null;
}
async function users(): Promise<ListedUser[]> {
  return ((await adminCall('GET', '/api/admin/users')) as { users: ListedUser[] }).users;
}

/** `/api/me` with the page's cookies. */
const me = (page: Page) => page.request.get(`${server!.url}/api/me`);

/** The provider's login form (a plain HTML form, no JavaScript): signs in there. */
async function signInAtProvider(page: Page, username: string, password: string) {
  await expect(page).toHaveURL(at(provider!.issuer, '/interaction/'));
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** From essaim's /connexion: the provider's button, its form, and back to essaim. */
async function ssoLogin(page: Page, username: string, password: string) {
  await page.getByRole('link', { name: SSO_BUTTON }).click();
  await signInAtProvider(page, username, password);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(60_000);
  server = await startServer();
  expect(server.admin, "the server printed no administrator's credentials").toBeTruthy();
  provider = await startProvider({
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${server.url}/api/auth/oidc/callback`],
        post_logout_redirect_uris: [`${server.url}/connexion`],
      },
    ],
    accounts: ACCOUNTS,
  });
  admin = await request.newContext({ baseURL: server.url });
  const res = await admin.post('/api/auth/login', { data: server.admin });
  expect(res.status(), await res.text()).toBe(200);
  await adminCall('PUT', '/api/admin/settings', {
    // The provider is on loopback, over http.
    general: { allow_private_targets: true },
    oidc: {
      issuer: provider.issuer,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scopes: 'openid profile email groups',
      group_claim: 'groups',
      group_map: GROUP_MAP,
      display_name: DISPLAY_NAME,
      auto_create: true,
      local_login: true,
      break_glass_admin: '',
    },
  });
  context = await browser.newContext({ locale: 'fr-FR', serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

test.beforeEach(async () => {
  await context!.clearCookies();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
});

test.afterAll(async () => {
  await context?.close();
  await admin?.dispose();
  await server?.stop();
  await provider?.stop();
});

test('the provider signs in: the account is created in the mapped group, then reused', async () => {
  // A page that needs a session: /connexion, then back there after signing in.
  await page.goto(`${server!.url}/torrents`);
  await expect(page).toHaveURL(`${server!.url}/connexion`);
  const button = page.getByRole('link', { name: SSO_BUTTON });
  await expect(button).toBeVisible();
  await expect(button).toHaveAttribute('href', '/api/auth/oidc/start?return_to=%2Ftorrents');
  // Passwords still sign in too.
  await expect(page.getByText('ou avec votre mot de passe')).toBeVisible();
  await expect(page.getByLabel("Nom d'utilisateur")).toBeVisible();
  await expectFrenchPage(page, 'Connexion');

  await page.screenshot({ path: path.join(screenshotDir, 'sso-connexion-bureau-clair.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(button).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'sso-connexion-telephone-sombre.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });

  // The provider's form, then back on the page that was asked for.
  await ssoLogin(page, 'alice', 'alice-mdp');
  await expect(page).toHaveURL(`${server!.url}/torrents`);
  await expect(page.getByTestId('nav-user')).toBeAttached();
  await expectFrenchPage(page, 'Mes torrents');
  let res = await me(page);
  expect(res.status()).toBe(200);
  const first = await res.json();
  expect(first).toMatchObject({ username: 'alice', email: 'alice@example.org', group: { name: 'Utilisateurs' } });
  let alices = (await users()).filter((u) => u.username === 'alice');
  expect(alices).toEqual([expect.objectContaining({ id: first.id, group: expect.objectContaining({ name: 'Utilisateurs' }) })]);

  // A browser with no cookie at all (neither essaim's session nor the provider's): the form
  // again, and the same account.
  await page.context().clearCookies();
  await page.goto(`${server!.url}/connexion`);
  await ssoLogin(page, 'alice', 'alice-mdp');
  await expect(page).toHaveURL(`${server!.url}/`);
  await expect(page.getByTestId('nav-user')).toBeAttached();
  await expectFrenchPage(page, 'Tableau de bord');
  res = await me(page);
  expect(res.status()).toBe(200);
  expect((await res.json()).id).toBe(first.id);
  alices = (await users()).filter((u) => u.username === 'alice');
  expect(alices.map((u) => u.id)).toEqual([first.id]);
});

test("Se déconnecter goes through the provider's confirmation and back to /connexion", async () => {
  await page.goto(`${server!.url}/connexion`);
  await ssoLogin(page, 'alice', 'alice-mdp');
  await expect(page).toHaveURL(`${server!.url}/`);
  await expect(page.getByTestId('nav-user')).toBeAttached();
  const session = (await page.context().cookies()).find((c) => c.name === 'essaim_session')?.value;
  expect(session, 'essaim_session cookie').toBeTruthy();
  const before = (await provider!.logouts()).count;

  // essaim ends its session and hands the browser the provider's end-session address.
  const answer = page.waitForResponse((r) => r.url() === `${server!.url}/api/auth/logout`);
  await page.getByRole('button', { name: 'Se déconnecter' }).locator('visible=true').click();
  // (Its body, {"end_session_url": …}, is gone once the page navigates: the address is read below.)
  expect((await answer).status(), 'POST /api/auth/logout after a single sign-on: 200 with end_session_url').toBe(200);

  // The provider asks; "Se déconnecter" there.
  await expect(page).toHaveURL(at(`${provider!.issuer}/session/end?`));
  const endSession = new URL(page.url()).searchParams;
  expect(endSession.get('client_id')).toBe(CLIENT_ID);
  expect(endSession.get('post_logout_redirect_uri')).toBe(`${server!.url}/connexion`);
  await expect(page.getByRole('heading', { name: 'Se déconnecter du fournisseur ?' })).toBeVisible();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(`${server!.url}/connexion?state=deconnexion`);
  await expect(page.getByText('Vous êtes déconnecté.')).toBeVisible();
  await expect(page.getByRole('link', { name: SSO_BUTTON })).toBeVisible();
  await expectFrenchPage(page, 'Connexion');

  // The provider saw one logout, with the ID token and where to come back.
  const logouts = await provider!.logouts();
  expect(logouts.count, provider!.stderr()).toBe(before + 1);
  const params = logouts.requests[logouts.requests.length - 1].params;
  expect(params.post_logout_redirect_uri).toBe(`${server!.url}/connexion`);
  expect(params.client_id).toBe(CLIENT_ID);
  expect(params.state).toBe('deconnexion');
  expect(params.id_token_hint, 'id_token_hint').toBeTruthy();
  expect(jwtPayload(params.id_token_hint)).toMatchObject({ iss: provider!.issuer, aud: CLIENT_ID, sub: 'sub-alice' });

  // essaim's session is gone: neither the browser nor the old cookie opens it.
  expect((await me(page)).status()).toBe(401);
  const stale = await fetch(`${server!.url}/api/me`, { headers: { Cookie: `essaim_session=${session}` } });
  expect(stale.status).toBe(401);
  // And so is the provider's: the next sign-in meets its form again.
  await page.getByRole('link', { name: SSO_BUTTON }).click();
  await expect(page).toHaveURL(at(provider!.issuer, '/interaction/'));
  await expect(page.getByLabel('Identifiant')).toBeVisible();
});

test('refused sign-ins come back to /connexion with a French alert and no session', async () => {
  // A state that is not the one this browser's login started with.
  await page.goto(`${server!.url}/connexion`);
  const authorize = page.waitForRequest((r) => r.url().startsWith(`${provider!.issuer}/auth?`));
  await page.getByRole('link', { name: SSO_BUTTON }).click();
  const query = new URL((await authorize).url()).searchParams;
  expect(query.get('redirect_uri')).toBe(`${server!.url}/api/auth/oidc/callback`);
  expect(query.get('code_challenge_method')).toBe('S256');
  expect(query.get('nonce')).toBeTruthy();
  const state = query.get('state') ?? '';
  expect(state).not.toBe('');
  await expect(page.getByLabel('Identifiant')).toBeVisible();
  const tampered = `${state[0] === 'x' ? 'y' : 'x'}${state.slice(1)}`;
  const callback = new URL(`${server!.url}/api/auth/oidc/callback`);
  callback.search = new URLSearchParams({ code: 'code-inventé', state: tampered, iss: provider!.issuer }).toString();
  await page.goto(callback.toString());
  await expect(page).toHaveURL(`${server!.url}/connexion?sso=bad_state`);
  await expect(page.getByRole('alert')).toHaveText(
    'La connexion a expiré ou a été ouverte dans un autre navigateur : recommencez.',
  );
  await expectFrenchPage(page, 'Connexion');
  expect((await me(page)).status()).toBe(401);

  // Without "Créer le compte à la première connexion", an identity no account is linked to (its
  // groups map to nothing either) is turned away.
  await configure({ auto_create: false });
  try {
    await ssoLogin(page, 'carol', 'carol-mdp');
    await expect(page).toHaveURL(`${server!.url}/connexion?sso=oidc_no_account`);
    await expect(page.getByRole('alert')).toHaveText(
      "Aucun compte essaim n'est lié à cette identité : demandez à un administrateur de lier votre compte.",
    );
    await expectFrenchPage(page, 'Connexion');
    expect((await me(page)).status()).toBe(401);
    expect((await users()).map((u) => u.username)).not.toContain('carol');
  } finally {
    await configure({ auto_create: true });
  }
});

test('passwords off: only the break-glass administrator signs in with one', async () => {
  await adminCall('POST', '/api/admin/users', LOCAL_USER);
  await configure({ local_login: false, break_glass_admin: server!.admin!.username });
  try {
    await page.goto(`${server!.url}/connexion`);
    await expect(page.getByRole('link', { name: SSO_BUTTON })).toBeVisible();
    const disclosure = page.getByRole('button', { name: 'Connexion de secours (administrateur)' });
    await expect(disclosure).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByLabel("Nom d'utilisateur")).toBeHidden();
    // Accounts come from the provider: no sign-up either.
    await expect(page.getByRole('link', { name: 'Créer un compte' })).toHaveCount(0);
    await expectFrenchPage(page, 'Connexion');

    await disclosure.click();
    await expect(disclosure).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByLabel("Nom d'utilisateur")).toBeFocused();
    await expect(page.getByText("La connexion par mot de passe est réservée à l'administrateur de secours.")).toBeVisible();

    // Another account's right password: refused (403 local_login_disabled), in French.
    const refused = page.waitForResponse((r) => r.url() === `${server!.url}/api/auth/login`);
    await login(page, LOCAL_USER.username, LOCAL_USER.password);
    const res = await refused;
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('local_login_disabled');
    await expect(page.getByRole('alert')).toHaveText(
      "La connexion par mot de passe est désactivée : utilisez le bouton de connexion de votre fournisseur d'identité.",
    );
    expect((await me(page)).status()).toBe(401);

    // The break-glass administrator's: in.
    await login(page, server!.admin!.username, server!.admin!.password);
    await expect(page).toHaveURL(`${server!.url}/`);
    await expect(page.getByTestId('nav-user')).toBeAttached();
    await expectFrenchPage(page, 'Tableau de bord');

    // A password session's logout stays in essaim (204, straight to /connexion, no provider).
    const before = (await provider!.logouts()).count;
    const answer = page.waitForResponse((r) => r.url() === `${server!.url}/api/auth/logout`);
    await logout(page);
    expect((await answer).status()).toBe(204);
    expect((await provider!.logouts()).count).toBe(before);
    expect((await me(page)).status()).toBe(401);
  } finally {
    await configure({ local_login: true, break_glass_admin: '' });
  }
});

test('Réglages: "Tester" reaches the provider and says so in French', async () => {
  // The administrator's session (beforeAll's) in this browser.
  await page.context().addCookies((await admin!.storageState()).cookies);
  await page.goto(`${server!.url}/admin/reglages#reglages-authentification-unique`);
  await expect(page.getByTestId('nav-user')).toBeAttached();
  const section = page.getByRole('region', { name: 'Authentification unique (OpenID Connect)' });
  const issuer = section.getByLabel("Adresse de l'émetteur");
  // What the API saved.
  await expect(issuer).toHaveValue(provider!.issuer, { timeout: 15_000 });
  await expect(section.getByLabel('Correspondance des groupes')).toHaveValue(GROUP_MAP);
  await expect(section.getByLabel('Créer le compte à la première connexion')).toBeChecked();
  await expect(section.getByLabel('Nom affiché sur la page de connexion')).toHaveValue(DISPLAY_NAME);

  await issuer.fill(provider!.issuer);
  await section.getByRole('button', { name: 'Tester', exact: true }).click();
  const outcome = section.getByRole('status').filter({ hasText: 'Le fournisseur répond' });
  await expect(outcome).toContainText('Le fournisseur répond : 1 clé de signature publiée.', { timeout: 15_000 });
  await expect(outcome).toContainText('Il propose une page de déconnexion.');
  await expect(section.getByTestId('oidc-redirect-uri')).toHaveText(`${server!.url}/api/auth/oidc/callback`);
  // The two addresses to register at the provider, as beforeAll registered them.
  await expect(section.getByTestId('oidc-post-logout-uri')).toHaveText(`${server!.url}/connexion`);
  // From a full-page picture: an element's own would be scrolled under the sticky header.
  const shoot = async (name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await section.boundingBox();
    expect(box, 'section box').toBeTruthy();
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, clip: box! });
  };
  await shoot('sso-reglages-bureau-clair');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot('sso-reglages-telephone-sombre');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  await expectFrenchPage(page, 'Réglages');

  // Utilisateurs: who signs in through the provider, and as whom.
  await page.goto(`${server!.url}/admin/utilisateurs`);
  const alice = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^alice/ }) });
  await expect(alice.getByText('Authentification unique')).toBeVisible({ timeout: 15_000 });
  await expect(alice.locator('[title="Identité : sub-alice"]')).toHaveCount(1);
  const root = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${server!.admin!.username}`) }) });
  await expect(root.getByText('Authentification unique')).toHaveCount(0);
  await expectFrenchPage(page, 'Utilisateurs');
  await page.screenshot({ path: path.join(screenshotDir, 'sso-utilisateurs-bureau-clair.png'), fullPage: true });
  await alice.getByRole('button', { name: 'Identité chez le fournisseur de « alice »' }).click();
  const dialog = page.getByRole('dialog', { name: 'Identité de « alice » chez le fournisseur' });
  await expect(dialog.getByTestId('identity-current')).toHaveText("Lié à l'identité « sub-alice » chez le fournisseur.");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(screenshotDir, 'sso-identite-telephone-sombre.png') });
});

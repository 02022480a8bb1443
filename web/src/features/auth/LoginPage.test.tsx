import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import type { InitialEntry } from 'react-router-dom';
import { LoginPage, ssoErrorMessage } from './LoginPage';
import { GuestOnly } from './guards';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };

function renderLogin(route: InitialEntry = '/connexion') {
  return renderWithProviders(
    <Routes>
      <Route element={<GuestOnly />}>
        <Route path="/connexion" element={<LoginPage />} />
      </Route>
      <Route path="/" element={<p>Accueil</p>} />
    </Routes>,
    { route, me: null },
  );
}

function fill(label: RegExp | string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('LoginPage', () => {
  it('has labelled fields and offers registration when it is open', async () => {
    mockFetch(() => jsonResponse(200, instance));
    renderLogin();
    expect(screen.getByRole('heading', { name: 'Connexion' })).toBeTruthy();
    expect(screen.getByLabelText("Nom d'utilisateur")).toBeTruthy();
    expect(screen.getByLabelText('Mot de passe')).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Créer un compte' })).toBeTruthy();
  });

  it('hides the registration link when registration is closed', async () => {
    const fetch = mockFetch(() => jsonResponse(200, { ...instance, registration_open: false }));
    renderLogin();
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByRole('link', { name: 'Créer un compte' })).toBeNull();
  });

  it('moves focus to the first empty field and links the error to it', async () => {
    const fetch = mockFetch(() => jsonResponse(200, instance));
    renderLogin();
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));

    const username = screen.getByLabelText("Nom d'utilisateur");
    expect(document.activeElement).toBe(username);
    expect(username.getAttribute('aria-invalid')).toBe('true');
    const describedBy = username.getAttribute('aria-describedby')!;
    expect(document.getElementById(describedBy)?.textContent).toBe("Saisissez votre nom d'utilisateur.");
    expect(screen.getByLabelText('Mot de passe').getAttribute('aria-invalid')).toBe('true');
    expect(fetch.mock.calls.some(([url]) => String(url) === '/api/auth/login')).toBe(false);
  });

  it("shows the server's French error in an alert and focuses it", async () => {
    const fetch = mockFetch((url) =>
      url === '/api/auth/login'
        ? errorResponse(401, 'invalid_credentials', "Nom d'utilisateur ou mot de passe incorrect.")
        : jsonResponse(200, instance),
    );
    renderLogin();
    fill("Nom d'utilisateur", 'alice');
    fill('Mot de passe', 'mauvais-mot-de-passe');
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe("Nom d'utilisateur ou mot de passe incorrect.");
    expect(document.activeElement).toBe(alert);

    const login = fetch.mock.calls.find(([url]) => String(url) === '/api/auth/login')!;
    expect(JSON.parse(String(login[1]!.body))).toEqual({ username: 'alice', password: 'mauvais-mot-de-passe' });
  });

  it('shows a French message when the server is unreachable', async () => {
    mockFetch((url) => {
      if (url === '/api/auth/login') throw new TypeError('Failed to fetch');
      return jsonResponse(200, instance);
    });
    renderLogin();
    fill("Nom d'utilisateur", 'alice');
    fill('Mot de passe', 'un-mot-de-passe');
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Le serveur est injoignable/);
  });

  it('shows a busy button while logging in, then goes home', async () => {
    let answer!: (r: Response) => void;
    mockFetch((url) =>
      url === '/api/auth/login' ? new Promise<Response>((r) => (answer = r)) : jsonResponse(200, instance),
    );
    renderLogin();
    fill("Nom d'utilisateur", 'alice');
    fill('Mot de passe', 'un-mot-de-passe');
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));

    const busy = await screen.findByRole('button', { name: 'Connexion…' });
    expect(busy.getAttribute('aria-busy')).toBe('true');
    answer(jsonResponse(200, alice));
    expect(await screen.findByText('Accueil')).toBeTruthy();
  });
});

describe('LoginPage with single sign-on', () => {
  const sso = { display_name: 'Authentik', start: '/api/auth/oidc/start' };
  const withSso = { ...instance, local_login: true, sso };
  const ssoLink = () => screen.findByRole('link', { name: 'Se connecter avec Authentik' });

  it('offers the provider, coming back to the page that was asked for', async () => {
    mockFetch(() => jsonResponse(200, withSso));
    renderLogin({ pathname: '/connexion', state: { from: { pathname: '/torrents/abc', search: '?onglet=fichiers', hash: '' } } });
    const link = await ssoLink();
    expect(link.tagName).toBe('A');
    expect(link.getAttribute('href')).toBe('/api/auth/oidc/start?return_to=%2Ftorrents%2Fabc%3Fonglet%3Dfichiers');
    // Passwords still sign in: the form stays, below the button.
    expect(screen.getByLabelText("Nom d'utilisateur")).toBeTruthy();
    expect(screen.getByText('ou avec votre mot de passe')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Connexion de secours (administrateur)' })).toBeNull();
  });

  it('comes back home when nothing (or no page of ours) was asked for', async () => {
    mockFetch(() => jsonResponse(200, withSso));
    const first = renderLogin();
    expect((await ssoLink()).getAttribute('href')).toBe('/api/auth/oidc/start?return_to=%2F');
    first.unmount();

    mockFetch(() => jsonResponse(200, withSso));
    renderLogin({ pathname: '/connexion', state: { from: { pathname: '//ailleurs.example/x' } } });
    expect((await ssoLink()).getAttribute('href')).toBe('/api/auth/oidc/start?return_to=%2F');
  });

  it('offers the signing-in proxy when the server announces it', async () => {
    mockFetch(() => jsonResponse(200, { ...instance, local_login: true, proxy_sign_in: '/api/auth/proxy' }));
    renderLogin({ pathname: '/connexion', state: { from: { pathname: '/tableau-de-bord' } } });
    const link = await screen.findByRole('link', { name: "Continuer avec le proxy d'authentification" });
    expect(link.getAttribute('href')).toBe('/api/auth/proxy?return_to=%2Ftableau-de-bord');
    expect(screen.getByLabelText("Nom d'utilisateur")).toBeTruthy();
  });

  it("says the user is logged out when the provider's logout sends the browser back", async () => {
    mockFetch(() => jsonResponse(200, withSso));
    renderLogin('/connexion?state=deconnexion');
    expect(await screen.findByText('Vous êtes déconnecté.')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says nothing of the kind for another state', async () => {
    mockFetch(() => jsonResponse(200, withSso));
    renderLogin('/connexion?state=autre');
    expect(await ssoLink()).toBeTruthy();
    expect(screen.queryByText('Vous êtes déconnecté.')).toBeNull();
  });

  it('has no such button without a provider', async () => {
    const fetch = mockFetch(() => jsonResponse(200, { ...instance, local_login: true }));
    renderLogin();
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByRole('link', { name: /^Se connecter avec/ })).toBeNull();
    expect(screen.getByLabelText("Nom d'utilisateur")).toBeTruthy();
  });

  it.each([
    ['disabled', "La connexion unique n'est pas configurée."],
    ['bad_state', 'La connexion a expiré ou a été ouverte dans un autre navigateur : recommencez.'],
    ['provider_refused', "Le fournisseur d'identité a refusé la connexion."],
    ['wrong_issuer', "La réponse du fournisseur d'identité n'a pas pu être vérifiée : recommencez ou prévenez l'administrateur."],
    ['invalid_token', "La réponse du fournisseur d'identité n'a pas pu être vérifiée : recommencez ou prévenez l'administrateur."],
    ['token_refused', "La réponse du fournisseur d'identité n'a pas pu être vérifiée : recommencez ou prévenez l'administrateur."],
    ['provider_unavailable', "Le fournisseur d'identité ne répond pas : réessayez plus tard."],
    ['proxy_untrusted', "Le proxy d'authentification n'a pas transmis d'utilisateur (ou cette adresse n'est pas un proxy de confiance)."],
    ['oidc_no_account', "Aucun compte essaim n'est lié à cette identité : demandez à un administrateur de lier votre compte."],
    ['account_disabled', 'Ce compte est désactivé.'],
    ['unknown_group', "La correspondance des groupes désigne un groupe inconnu : prévenez l'administrateur."],
    ['bad_request', "La connexion unique a échoué : recommencez ou prévenez l'administrateur."],
    ['quelque_chose', "La connexion unique a échoué : recommencez ou prévenez l'administrateur."],
  ])('says why ?sso=%s came back', async (code, sentence) => {
    mockFetch(() => jsonResponse(200, withSso));
    renderLogin(`/connexion?sso=${code}`);
    expect(screen.getByRole('alert').textContent).toBe(sentence);
    expect(await ssoLink()).toBeTruthy();
  });

  it('never shows an odd code as it is', () => {
    expect(ssoErrorMessage('<b>x</b>')).toBe("La connexion unique a échoué : recommencez ou prévenez l'administrateur.");
    expect(ssoErrorMessage('other')).toBe("La connexion unique a échoué : recommencez ou prévenez l'administrateur.");
  });

  it('keeps the password form behind a disclosure when passwords are off (the break-glass administrator)', async () => {
    const fetch = mockFetch((url) =>
      url === '/api/auth/login'
        ? errorResponse(
            403,
            'local_login_disabled',
            "La connexion par mot de passe est désactivée : utilisez le bouton de connexion de votre fournisseur d'identité.",
          )
        : jsonResponse(200, { ...withSso, local_login: false }),
    );
    renderLogin();
    const disclosure = await screen.findByRole('button', { name: 'Connexion de secours (administrateur)' });
    expect(await ssoLink()).toBeTruthy();
    expect(disclosure.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByLabelText("Nom d'utilisateur")).toBeNull();
    expect(screen.queryByLabelText('Mot de passe')).toBeNull();

    fireEvent.click(disclosure);
    expect(disclosure.getAttribute('aria-expanded')).toBe('true');
    const username = screen.getByLabelText("Nom d'utilisateur");
    expect(document.activeElement).toBe(username);
    expect(document.getElementById(disclosure.getAttribute('aria-controls')!)!.contains(username)).toBe(true);

    fill("Nom d'utilisateur", 'alice');
    fill('Mot de passe', 'un-mot-de-passe');
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      "La connexion par mot de passe est désactivée : utilisez le bouton de connexion de votre fournisseur d'identité.",
    );
    expect(fetch.mock.calls.some(([url]) => String(url) === '/api/auth/login')).toBe(true);

    fireEvent.click(disclosure);
    expect(screen.queryByLabelText("Nom d'utilisateur")).toBeNull();
  });

  it('shows the form as usual when passwords are off but no provider is offered', async () => {
    const fetch = mockFetch(() => jsonResponse(200, { ...instance, local_login: false }));
    renderLogin();
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.getByLabelText("Nom d'utilisateur")).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Connexion de secours (administrateur)' })).toBeNull();
  });
});

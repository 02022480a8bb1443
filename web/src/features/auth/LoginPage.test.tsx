import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { LoginPage } from './LoginPage';
import { GuestOnly } from './guards';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };

function renderLogin() {
  return renderWithProviders(
    <Routes>
      <Route element={<GuestOnly />}>
        <Route path="/connexion" element={<LoginPage />} />
      </Route>
      <Route path="/" element={<p>Accueil</p>} />
    </Routes>,
    { route: '/connexion', me: null },
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

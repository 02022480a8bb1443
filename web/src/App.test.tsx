import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from './test/utils';

afterEach(() => vi.unstubAllGlobals());

const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('session handling in the app', () => {
  it('sends a visitor to /connexion and back to the wanted page after login', async () => {
    let loggedIn = false;
    mockFetch((url, init) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'unconfigured' });
      if (url === '/api/me') return loggedIn ? jsonResponse(200, alice) : errorResponse(401, 'unauthenticated', 'Non connecté.');
      if (url === '/api/auth/login' && init.method === 'POST') {
        loggedIn = true;
        return jsonResponse(200, alice);
      }
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderWithProviders(<App />, { route: '/compte' });

    expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeTruthy();
    expect(screen.queryByText('Votre session a expiré. Reconnectez-vous.')).toBeNull();
    fill("Nom d'utilisateur", 'alice');
    fill('Mot de passe', 'un-mot-de-passe');
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    expect(await screen.findByRole('heading', { name: 'Mon compte' })).toBeTruthy();
  });

  it('returns to /connexion with a notice when a call answers 401 unauthenticated', async () => {
    mockFetch((url, init) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok' });
      if (url === '/api/me' && init.method === 'GET') return jsonResponse(200, alice);
      return errorResponse(401, 'unauthenticated', 'Session expirée.');
    });
    renderWithProviders(<App />, { route: '/compte' });

    fireEvent.change(await screen.findByLabelText('Nom affiché'), { target: { value: 'Alice B.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Enregistrer' }));
    expect(await screen.findByText('Votre session a expiré. Reconnectez-vous.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Connexion' })).toBeTruthy();
  });
});

describe('pages', () => {
  it('says registration is closed when the instance says so', async () => {
    mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, { ...instance, registration_open: false });
      return errorResponse(401, 'unauthenticated', 'Non connecté.');
    });
    renderWithProviders(<App />, { route: '/inscription' });
    expect(await screen.findByText('Inscriptions fermées')).toBeTruthy();
    expect(screen.queryByLabelText('Mot de passe')).toBeNull();
  });

  it('shows Page introuvable for an unknown address', async () => {
    mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, instance);
      return errorResponse(401, 'unauthenticated', 'Non connecté.');
    });
    renderWithProviders(<App />, { route: '/nulle-part' });
    expect(await screen.findByRole('heading', { name: 'Page introuvable' })).toBeTruthy();
    expect(document.title).toBe('Page introuvable · essaim');
  });

  it('shows a French page, not a blank one, when the server cannot be reached', async () => {
    mockFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    renderWithProviders(<App />, { route: '/' });
    expect(await screen.findByRole('heading', { name: 'Impossible de joindre le serveur' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/^Le serveur est injoignable/);
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeTruthy();
  });
});

describe('ErrorBoundary', () => {
  it('replaces a crashed tree by a French page', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    function Boom(): never {
      throw new Error('boom');
    }
    renderWithProviders(
      <ErrorBoundary>
        <Boom />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('heading', { name: 'Une erreur est survenue' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Recharger la page' })).toBeTruthy();
  });
});

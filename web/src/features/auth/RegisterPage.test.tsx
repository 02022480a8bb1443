import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { RegisterPage } from './RegisterPage';
import { GuestOnly } from './guards';
import { jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };

async function renderRegister() {
  const fetch = mockFetch(() => jsonResponse(200, instance));
  renderWithProviders(
    <Routes>
      <Route element={<GuestOnly />}>
        <Route path="/inscription" element={<RegisterPage />} />
      </Route>
    </Routes>,
    { route: '/inscription', me: null },
  );
  await screen.findByRole('button', { name: 'Créer mon compte' });
  return fetch;
}

const field = (label: string) => screen.getByLabelText(label, { selector: 'input' }) as HTMLInputElement;
const fill = (label: string, value: string) => fireEvent.change(field(label), { target: { value } });
const describedBy = (input: HTMLInputElement) =>
  (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent);

describe('RegisterPage', () => {
  it('says exactly which characters a user name may have (no accents, like the server)', async () => {
    await renderRegister();
    expect(describedBy(field("Nom d'utilisateur"))).toEqual([
      '3 à 32 caractères, sans espace : lettres sans accent (a à z, A à Z), chiffres, point (.), tiret (-) ou tiret bas (_).',
    ]);
  });

  it('shows an error that states the rule instead of the hint, not under it', async () => {
    const fetch = await renderRegister();
    fill("Nom d'utilisateur", 'élodie');
    fill('Mot de passe', 'court');
    fill('Confirmation du mot de passe', 'court');
    fireEvent.click(screen.getByRole('button', { name: 'Créer mon compte' }));
    await screen.findByText(/^Le nom d'utilisateur doit faire de 3 à 32 caractères/);
    expect(describedBy(field("Nom d'utilisateur"))).toEqual([
      "Le nom d'utilisateur doit faire de 3 à 32 caractères, sans espace, parmi les lettres sans accent (a à z, A à Z), les chiffres, le point (.), le tiret (-) et le tiret bas (_).",
    ]);
    expect(describedBy(field('Mot de passe'))).toEqual(['Le mot de passe doit contenir au moins 10 caractères.']);
    expect(screen.queryByText(/^3 à 32 caractères/)).toBeNull();
    expect(screen.queryByText('Au moins 10 caractères.')).toBeNull();
    // Nothing was sent (only the instance was asked for).
    expect(fetch.mock.calls.map((c) => String(c[0]))).not.toContain('/api/auth/register');
  });

  it('keeps the hint under "required" (which does not say the rule)', async () => {
    await renderRegister();
    fireEvent.click(screen.getByRole('button', { name: 'Créer mon compte' }));
    await screen.findByText("Saisissez votre nom d'utilisateur.");
    expect(describedBy(field("Nom d'utilisateur"))).toEqual([
      "Saisissez votre nom d'utilisateur.",
      '3 à 32 caractères, sans espace : lettres sans accent (a à z, A à Z), chiffres, point (.), tiret (-) ou tiret bas (_).',
    ]);
  });

  it('speaks of "le mot de passe" on sign-up, not of a new one', async () => {
    await renderRegister();
    fill("Nom d'utilisateur", 'elodie');
    fill('Mot de passe', 'une-ruche-bien-remplie');
    fill('Confirmation du mot de passe', 'une-ruche-bien-rempli');
    fireEvent.click(screen.getByRole('button', { name: 'Créer mon compte' }));
    expect(await screen.findByText('La confirmation ne correspond pas au mot de passe.')).toBeTruthy();
    expect(screen.queryByText(/nouveau mot de passe/)).toBeNull();
  });
});

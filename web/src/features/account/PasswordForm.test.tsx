import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { PasswordForm } from './PasswordForm';
import { errorResponse, mockFetch, renderWithProviders } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Changer le mot de passe' }));

function errorOf(label: string): string | null {
  const input = screen.getByLabelText(label);
  if (input.getAttribute('aria-invalid') !== 'true') return null;
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)?.textContent).find((t) => t && !t.startsWith('Au moins')) ?? null;
}

describe('PasswordForm', () => {
  it('requires the current password and at least 10 characters, without calling the server', () => {
    const fetch = mockFetch(() => new Response(null, { status: 204 }));
    renderWithProviders(<PasswordForm />);
    fill('Nouveau mot de passe', 'court');
    fill('Confirmation du nouveau mot de passe', 'court');
    submit();

    expect(errorOf('Mot de passe actuel')).toBe('Saisissez votre mot de passe actuel.');
    expect(errorOf('Nouveau mot de passe')).toBe('Le mot de passe doit contenir au moins 10 caractères.');
    expect(errorOf('Confirmation du nouveau mot de passe')).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Mot de passe actuel'));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('checks that the confirmation matches and focuses it', () => {
    const fetch = mockFetch(() => new Response(null, { status: 204 }));
    renderWithProviders(<PasswordForm />);
    fill('Mot de passe actuel', 'ancien-mot-de-passe');
    fill('Nouveau mot de passe', 'nouveau-mot-de-passe');
    fill('Confirmation du nouveau mot de passe', 'nouveau-mot-de-passe!');
    submit();

    expect(errorOf('Confirmation du nouveau mot de passe')).toBe(
      'La confirmation ne correspond pas au nouveau mot de passe.',
    );
    expect(errorOf('Nouveau mot de passe')).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Confirmation du nouveau mot de passe'));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('counts characters, not bytes', () => {
    mockFetch(() => new Response(null, { status: 204 }));
    renderWithProviders(<PasswordForm />);
    fill('Mot de passe actuel', 'x');
    fill('Nouveau mot de passe', '🐝🐝🐝🐝🐝🐝🐝🐝🐝');
    fill('Confirmation du nouveau mot de passe', '🐝🐝🐝🐝🐝🐝🐝🐝🐝');
    submit();
    expect(errorOf('Nouveau mot de passe')).toBe('Le mot de passe doit contenir au moins 10 caractères.');
  });

  it("puts the server's field error next to the right field", async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = mockFetch(() =>
      errorResponse(422, 'wrong_password', 'Le mot de passe actuel est incorrect.', 'current_password'),
    );
    renderWithProviders(<PasswordForm />);
    fill('Mot de passe actuel', 'mauvais-mot-de-passe');
    fill('Nouveau mot de passe', 'nouveau-mot-de-passe');
    fill('Confirmation du nouveau mot de passe', 'nouveau-mot-de-passe');
    submit();

    await screen.findByText('Le mot de passe actuel est incorrect.');
    expect(errorOf('Mot de passe actuel')).toBe('Le mot de passe actuel est incorrect.');
    expect(document.activeElement).toBe(screen.getByLabelText('Mot de passe actuel'));
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/me/password');
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    expect(JSON.parse(String(init!.body))).toEqual({
      current_password: 'mauvais-mot-de-passe',
      new_password: 'nouveau-mot-de-passe',
    });
  });

  it('confirms success and empties the fields', async () => {
    mockFetch(() => new Response(null, { status: 204 }));
    renderWithProviders(<PasswordForm />);
    fill('Mot de passe actuel', 'ancien-mot-de-passe');
    fill('Nouveau mot de passe', 'nouveau-mot-de-passe');
    fill('Confirmation du nouveau mot de passe', 'nouveau-mot-de-passe');
    submit();

    expect((await screen.findByRole('status')).textContent).toBe('Votre mot de passe a été modifié.');
    expect((screen.getByLabelText('Nouveau mot de passe') as HTMLInputElement).value).toBe('');
  });
});

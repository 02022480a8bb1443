import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { App } from '../../App';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import type { User } from '../../api/types';

afterEach(() => vi.unstubAllGlobals());

const admin: User = { ...alice, id: 1, username: 'root', display_name: 'Root', role: 'admin' };
const instance = { site_name: 'essaim', registration_open: true, version: '0.1.0' };

function serveApp(me: User) {
  return mockFetch((url) => {
    if (url === '/api/instance') return jsonResponse(200, instance);
    if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok', database: 'ok' });
    if (url === '/api/me') return jsonResponse(200, me);
    if (url.startsWith('/api/torrents?scope=')) return jsonResponse(200, { torrents: [], qbittorrent: 'ok', stale: false, error: null });
    if (url.startsWith('/api/admin/audit?')) {
      return jsonResponse(200, { entries: [], total: 0, page: 1, per_page: 50, actions: [] });
    }
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

describe('administration navigation', () => {
  it('offers Administration to administrators only', async () => {
    serveApp(alice);
    const first = renderWithProviders(<App />, { route: '/' });
    const nav = await screen.findByRole('navigation', { name: 'Navigation principale' });
    expect(nav.textContent).toContain('Mes torrents');
    expect(within(nav).queryByRole('link', { name: 'Administration' })).toBeNull();
    first.unmount();

    serveApp(admin);
    renderWithProviders(<App />, { route: '/' });
    const nav2 = await screen.findByRole('navigation', { name: 'Navigation principale' });
    const entry = within(nav2).getByRole('link', { name: 'Administration' });
    expect(entry.getAttribute('href')).toBe('/admin/reglages');
    expect(entry.getAttribute('aria-current')).toBeNull();
    // Not on an administration page: no sub-navigation.
    expect(screen.queryByRole('navigation', { name: 'Administration' })).toBeNull();
  });

  it('shows the four administration pages above the journal, the current one marked', async () => {
    serveApp(admin);
    renderWithProviders(<App />, { route: '/admin/journal' });
    expect(await screen.findByRole('heading', { name: 'Journal', level: 1 })).toBeTruthy();
    const sub = screen.getByRole('navigation', { name: 'Administration' });
    const links = within(sub).getAllByRole('link');
    expect(links.map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Réglages', '/admin/reglages'],
      ['Utilisateurs', '/admin/utilisateurs'],
      ['Groupes', '/admin/groupes'],
      ['Journal', '/admin/journal'],
    ]);
    expect(within(sub).getByRole('link', { name: 'Journal' }).getAttribute('aria-current')).toBe('page');
    const main = screen.getByRole('navigation', { name: 'Navigation principale' });
    expect(within(main).getByRole('link', { name: 'Administration' }).getAttribute('aria-current')).toBe('true');
  });

  it('lists the four pages under Administration in the phone menu', async () => {
    serveApp(admin);
    renderWithProviders(<App />, { route: '/' });
    fireEvent.click(await screen.findByRole('button', { name: 'Ouvrir le menu' }));
    const dialog = await screen.findByRole('dialog', { name: 'Menu' });
    const group = within(dialog).getByRole('list', { name: 'Administration' });
    expect(within(group).getAllByRole('link').map((l) => l.textContent)).toEqual([
      'Réglages',
      'Utilisateurs',
      'Groupes',
      'Journal',
    ]);
  });

  it('sends /admin to Réglages, and tells a non-administrator the pages are reserved', async () => {
    serveApp(alice);
    renderWithProviders(<App />, { route: '/admin' });
    expect(await screen.findByRole('heading', { name: 'Réglages', level: 1 })).toBeTruthy();
    expect(screen.getByText('Réservé aux administrateurs.')).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Administration' })).toBeNull();
  });
});

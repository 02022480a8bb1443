import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../App';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

describe('the bell in the header', () => {
  it('sits in the page header with the unread count, and the toast region is in the page', async () => {
    const requestPermission = vi.fn(async () => 'granted');
    vi.stubGlobal('Notification', Object.assign(function Notification() {}, { permission: 'default', requestPermission }));
    const fetch = mockFetch((url) => {
      if (url === '/api/instance') return jsonResponse(200, { site_name: 'essaim', registration_open: true, version: '0.1.0' });
      if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok', database: 'ok' });
      if (url === '/api/me') return jsonResponse(200, alice);
      if (url.startsWith('/api/torrents?scope=')) return jsonResponse(200, { torrents: [], qbittorrent: 'ok', stale: false, error: null });
      if (url === '/api/notifications?limit=50') return jsonResponse(200, { notifications: [], unread: 3 });
      return errorResponse(404, 'not_found', 'Introuvable.');
    });
    renderWithProviders(<App />, { route: '/' });
    const header = await screen.findByRole('banner');
    const bell = within(header).getByTestId('notifications-bell');
    await waitFor(() => expect(bell.getAttribute('aria-label')).toBe('Notifications, 3 non lues'));
    expect(within(header).getByTestId('notifications-unread').textContent).toBe('3');
    expect(screen.getByTestId('toasts').getAttribute('aria-live')).toBe('polite');
    // Fetched once (the bell and its panel share the query), and no permission asked on load.
    expect(fetch.mock.calls.filter(([u]) => u === '/api/notifications?limit=50')).toHaveLength(1);
    expect(requestPermission).not.toHaveBeenCalled();
  });
});

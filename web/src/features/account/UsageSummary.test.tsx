import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import { AccountPage } from './AccountPage';
import { UsageSummary } from './UsageSummary';
import { DashboardPage } from '../dashboard/DashboardPage';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import type { User } from '../../api/types';

afterEach(() => vi.unstubAllGlobals());

const GIB = 1024 ** 3;

const limited: User = {
  ...alice,
  usage: { torrents: 3, active: 1, disk_used: Math.round(12.3 * GIB) },
  limits: { max_torrents: 50, max_active: 3, active_policy: 'queue', quota_bytes: 50 * GIB, max_torrent_size: null },
};

function serve() {
  return mockFetch((url) => {
    if (url === '/api/instance') return jsonResponse(200, { site_name: 'essaim', registration_open: true, version: '0.1.0' });
    if (url === '/api/health') return jsonResponse(200, { status: 'ok', qbittorrent: 'ok' });
    if (url === '/api/torrents?scope=mine') return jsonResponse(200, { torrents: [], qbittorrent: 'ok', stale: false, error: null });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

const value = (key: string) => document.querySelector(`[data-usage="${key}"] dd`)!.textContent;

describe('UsageSummary', () => {
  it('shows each figure against its limit, with a bar', () => {
    renderWithProviders(<UsageSummary user={limited} />);
    expect(value('disk')).toBe('12,3 Go sur 50 Go');
    expect(value('torrents')).toBe('3 sur 50');
    expect(value('active')).toBe('1 sur 3');
    expect(screen.getAllByRole('progressbar')).toHaveLength(3);
    expect(screen.getByRole('progressbar', { name: 'Espace disque : part de la limite utilisée' }).getAttribute('aria-valuenow')).toBe(
      '24.5',
    );
  });

  it('says illimité where the group sets no limit (absent or null)', () => {
    renderWithProviders(
      <UsageSummary user={{ ...limited, limits: { max_torrents: null, max_active: 2 } }} />,
    );
    expect(value('disk')).toBe('12,3 Go (illimité)');
    expect(value('torrents')).toBe('3 (illimité)');
    expect(value('active')).toBe('1 sur 2');
    expect(screen.getAllByRole('progressbar')).toHaveLength(1);
  });

  it('treats missing limits as unlimited and says when a limit is reached', () => {
    const { unmount } = renderWithProviders(<UsageSummary user={{ ...limited, limits: undefined }} />);
    expect(value('torrents')).toBe('3 (illimité)');
    unmount();
    renderWithProviders(<UsageSummary user={{ ...limited, limits: { max_torrents: 3 } }} />);
    expect(value('torrents')).toBe('3 sur 3Limite atteinte');
  });

  it('shows nothing without usage (older server)', () => {
    const { container } = renderWithProviders(<UsageSummary user={alice} />);
    expect(container.textContent).toBe('');
  });
});

describe('usage on the pages', () => {
  it('has a card on the account page, only when the server sends the usage', () => {
    serve();
    const { unmount } = renderWithProviders(<AccountPage />, { me: limited });
    const card = screen.getByRole('region', { name: 'Utilisation' });
    expect(within(card).getByText('12,3 Go sur 50 Go')).toBeTruthy();
    unmount();

    renderWithProviders(<AccountPage />, { me: alice });
    expect(screen.getByRole('heading', { name: 'Mon compte' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Utilisation' })).toBeNull();
    expect(screen.queryByTestId('usage')).toBeNull();
  });

  it('has a small card on the dashboard', async () => {
    serve();
    const { unmount } = renderWithProviders(<DashboardPage />, {
      me: { ...limited, usage: { torrents: 0, active: 0, disk_used: 0 }, limits: { max_torrents: 2 } },
    });
    const card = screen.getByRole('region', { name: 'Votre utilisation' });
    expect(within(card).getByText('0 sur 2')).toBeTruthy();
    expect(within(card).getByText('0 o (illimité)')).toBeTruthy();
    unmount();

    renderWithProviders(<DashboardPage />, { me: alice });
    expect(await screen.findByRole('heading', { name: 'Bonjour, Alice !' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Votre utilisation' })).toBeNull();
  });
});

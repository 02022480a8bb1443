import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter, type InitialEntry } from 'react-router-dom';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { vi } from 'vitest';
import type { User } from '../api/types';

export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function errorResponse(status: number, code: string, message: string, field?: string): Response {
  return jsonResponse(status, { error: { code, message, ...(field ? { field } : {}) } });
}

/** Replaces global fetch with a mock answering from `handler`. */
export function mockFetch(handler: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => handler(String(input), init));
  vi.stubGlobal('fetch', fn);
  return fn;
}

export function renderWithProviders(
  ui: ReactElement,
  { route = '/', me }: { route?: InitialEntry; me?: User | null } = {},
) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  if (me !== undefined) client.setQueryData(['me'], me);
  const result = render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...result, client };
}

export const alice: User = {
  id: 2,
  username: 'alice',
  display_name: 'Alice',
  email: null,
  role: 'user',
  group: { id: 2, name: 'Utilisateurs' },
  // The default "Utilisateurs" group (server/src/store/migrations/0001_init.sql).
  permissions: [
    'add_torrents',
    'add_torrent_files',
    'add_magnets',
    'search',
    'pause_own',
    'delete_own',
    'delete_own_data',
    'see_all',
    'download_own',
    'see_charts',
  ],
  created_at: 1795681907,
  last_login_at: null,
};

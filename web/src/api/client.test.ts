import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NETWORK_ERROR, onSessionExpired, readCookie, request } from './client';
import { api } from './endpoints';
import { errorResponse, jsonResponse, mockFetch } from '../test/utils';

afterEach(() => {
  vi.unstubAllGlobals();
});

function headersOf(init: RequestInit): Record<string, string> {
  return init.headers as Record<string, string>;
}

describe('readCookie', () => {
  it('reads and decodes a cookie', () => {
    document.cookie = 'other=1; path=/';
    document.cookie = 'csrf_token=abc%2Bdef; path=/';
    expect(readCookie('csrf_token')).toBe('abc+def');
    expect(readCookie('missing')).toBe('');
  });
});

describe('request', () => {
  it('sends X-CSRF-Token from the cookie on mutations only', async () => {
    document.cookie = 'csrf_token=tok123; path=/';
    const fetch = mockFetch(() => jsonResponse(200, { ok: true }));

    await request('/api/me', { method: 'PATCH', body: { display_name: 'A' } });
    await request('/api/me/password', { method: 'POST', body: {} });
    await request('/api/x', { method: 'DELETE' });
    await request('/api/me');

    const calls = fetch.mock.calls.map(([, init]) => init as RequestInit);
    expect(headersOf(calls[0]!)['X-CSRF-Token']).toBe('tok123');
    expect(headersOf(calls[0]!)['Content-Type']).toBe('application/json');
    expect(calls[0]!.body).toBe('{"display_name":"A"}');
    expect(calls[0]!.credentials).toBe('same-origin');
    expect(headersOf(calls[1]!)['X-CSRF-Token']).toBe('tok123');
    expect(headersOf(calls[2]!)['X-CSRF-Token']).toBe('tok123');
    expect(headersOf(calls[3]!)['X-CSRF-Token']).toBeUndefined();
    expect(calls[3]!.method).toBe('GET');
  });

  it('sends FormData as multipart: no Content-Type of its own, but the CSRF header', async () => {
    document.cookie = 'csrf_token=tok123; path=/';
    const fetch = mockFetch(() => jsonResponse(200, { results: [] }));
    const form = new FormData();
    form.append('torrents', new File(['d'], 'a.torrent'));
    await request('/api/torrents', { method: 'POST', body: form });
    const init = fetch.mock.calls[0]![1] as RequestInit;
    expect(init.body).toBe(form);
    expect(headersOf(init)['Content-Type']).toBeUndefined();
    expect(headersOf(init)['X-CSRF-Token']).toBe('tok123');
  });

  it('parses JSON and empty 204 answers', async () => {
    mockFetch((url) => (url === '/api/a' ? jsonResponse(200, { a: 1 }) : new Response(null, { status: 204 })));
    await expect(request('/api/a')).resolves.toEqual({ a: 1 });
    await expect(request('/api/b', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('turns an error body into an ApiError with status, code, message and field', async () => {
    mockFetch(() => errorResponse(422, 'wrong_password', 'Mot de passe actuel incorrect.', 'current_password'));
    const err = await request('/api/me/password', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 422,
      code: 'wrong_password',
      message: 'Mot de passe actuel incorrect.',
      field: 'current_password',
    });
  });

  it('falls back to a French message when the body is not JSON, never a raw status', async () => {
    mockFetch(() => new Response('<html>Bad Gateway</html>', { status: 502 }));
    const err = (await request('/api/health').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.message).toBe('Le serveur a rencontré une erreur. Réessayez dans un instant.');
    expect(err.message).not.toMatch(/502|Bad Gateway/);
  });

  it('uses the local message for a known code without message', async () => {
    mockFetch(() => jsonResponse(401, { error: { code: 'invalid_credentials', message: '' } }));
    const err = (await api.login({ username: 'a', password: 'b' }).catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe("Nom d'utilisateur ou mot de passe incorrect.");
  });

  it('tells how long to wait on 429 with Retry-After', async () => {
    mockFetch(() =>
      jsonResponse(429, { error: { code: 'too_many_attempts', message: 'Trop de tentatives.' } }, { 'Retry-After': '30' }),
    );
    const err = (await api.login({ username: 'a', password: 'b' }).catch((e: unknown) => e)) as ApiError;
    expect(err.retryAfter).toBe(30);
    expect(err.message).toBe('Trop de tentatives. Réessayez dans 30 secondes.');
  });

  it('reports a network failure in French', async () => {
    mockFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const err = (await request('/api/me').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe(NETWORK_ERROR);
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/^Le serveur est injoignable/);
  });
});

describe('401 handling', () => {
  it('announces an expired session on a 401 unauthenticated', async () => {
    const listener = vi.fn();
    const off = onSessionExpired(listener);
    mockFetch(() => errorResponse(401, 'unauthenticated', 'Session expirée.'));
    await expect(api.updateMe({ display_name: 'X' })).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledTimes(1);
    off();
  });

  it('does not announce it for login, nor for the initial /api/me', async () => {
    const listener = vi.fn();
    const off = onSessionExpired(listener);
    mockFetch((url) =>
      url === '/api/auth/login'
        ? errorResponse(401, 'invalid_credentials', 'Identifiants incorrects.')
        : errorResponse(401, 'unauthenticated', 'Non connecté.'),
    );
    await expect(api.login({ username: 'a', password: 'b' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(api.me()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(listener).not.toHaveBeenCalled();
    off();
  });

  it('does not announce other errors', async () => {
    const listener = vi.fn();
    const off = onSessionExpired(listener);
    mockFetch(() => errorResponse(403, 'csrf_failed', 'Jeton CSRF invalide.'));
    await expect(api.changePassword({ current_password: 'a', new_password: 'b' })).rejects.toMatchObject({
      code: 'csrf_failed',
    });
    expect(listener).not.toHaveBeenCalled();
    off();
  });
});

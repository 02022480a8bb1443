import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, filenameFromDisposition, onSessionExpired, requestBlob } from './client';
import { api } from './endpoints';
import { errorResponse, mockFetch } from '../test/utils';

afterEach(() => vi.unstubAllGlobals());

describe('filenameFromDisposition', () => {
  it.each([
    ['attachment; filename="Ma série.meta4"', 'Ma série.meta4'],
    ['attachment; filename=liens.txt', 'liens.txt'],
    [`attachment; filename="Ma s_rie.meta4"; filename*=UTF-8''Ma%20s%C3%A9rie.meta4`, 'Ma série.meta4'],
    ['attachment; filename="a \\"b\\".txt"', 'a "b".txt'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename=""', null],
    ['attachment', null],
    [null, null],
  ])('%s → %s', (header, name) => {
    expect(filenameFromDisposition(header)).toBe(name);
  });
});

describe('requestBlob', () => {
  it('sends the CSRF header and JSON body like `request`, and answers the body and file name', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const fetch = mockFetch(
      () =>
        new Response('<metalink/>', {
          status: 200,
          headers: { 'Content-Type': 'application/metalink4+xml', 'Content-Disposition': 'attachment; filename="x.meta4"' },
        }),
    );
    const file = await api.fileLinkList('h', ['x/a.mkv'], 'meta4');
    expect(file.filename).toBe('x.meta4');
    expect(await file.blob.text()).toBe('<metalink/>');
    const [url, init] = fetch.mock.calls[0]! as [string, RequestInit];
    expect(url).toBe('/api/torrents/h/links');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    const headers = init.headers as Record<string, string>;
    expect(headers['X-CSRF-Token']).toBe('jeton');
    expect(headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(String(init.body))).toEqual({ paths: ['x/a.mkv'], format: 'meta4' });
  });

  it("turns an error into an ApiError with the server's message, and reports an expired session", async () => {
    mockFetch(() => errorResponse(503, 'downloads_not_configured', 'Les téléchargements ne sont pas encore configurés.'));
    const err = await requestBlob('/api/x', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('downloads_not_configured');
    expect((err as ApiError).message).toBe('Les téléchargements ne sont pas encore configurés.');

    const expired = vi.fn();
    const off = onSessionExpired(expired);
    mockFetch(() => errorResponse(401, 'unauthenticated', 'Session expirée.'));
    await expect(requestBlob('/api/x', { method: 'POST' })).rejects.toBeInstanceOf(ApiError);
    expect(expired).toHaveBeenCalledTimes(1);
    off();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
// The worker's own source, run below in a stand-in for its global scope.
import source from '../../sw/service-worker.js?raw';

const ORIGIN = 'https://essaim.exemple.fr';
const PRECACHE = ['/index.html', '/assets/index-abc123.js', '/assets/index-def456.css', '/manifest.webmanifest', '/icons/icon-192.png'];

type Listener = (event: unknown) => void;
interface FakeRequest {
  url: string;
  method: string;
  mode: string;
}

/** Loads the worker with a fake `self`, `caches` and `fetch`; `network` answers (or throws for) each fetched URL. */
function loadWorker(network: (url: string) => Promise<Response> = async (url) => new Response(`réseau ${url}`)) {
  const listeners: Record<string, Listener> = {};
  const stores = new Map<string, Map<string, Response>>();
  const key = (r: string | FakeRequest) => new URL(typeof r === 'string' ? r : r.url, ORIGIN).href;
  const storeOf = (name: string) => {
    if (!stores.has(name)) stores.set(name, new Map());
    return stores.get(name)!;
  };
  const fetch = vi.fn((r: string | FakeRequest) => network(key(r)));
  const cacheApi = (name: string) => ({
    match: async (r: string | FakeRequest) => storeOf(name).get(key(r))?.clone(),
    put: async (r: string | FakeRequest, res: Response) => void storeOf(name).set(key(r), res),
    addAll: async (urls: string[]) => {
      for (const u of urls) storeOf(name).set(key(u), await fetch(u));
    },
  });
  const caches = {
    open: async (name: string) => cacheApi(name),
    match: async (r: string | FakeRequest, opts?: { cacheName?: string }) => {
      for (const [name, store] of stores) if (!opts?.cacheName || opts.cacheName === name) {
        const hit = store.get(key(r));
        if (hit) return hit.clone();
      }
      return undefined;
    },
    keys: async () => [...stores.keys()],
    delete: async (name: string) => stores.delete(name),
  };
  const self = {
    __ESSAIM_VERSION__: 'v2',
    __ESSAIM_PRECACHE__: PRECACHE,
    location: new URL(`${ORIGIN}/`),
    addEventListener: (type: string, fn: Listener) => {
      listeners[type] = fn;
    },
    skipWaiting: vi.fn(async () => {}),
    clients: { claim: vi.fn(async () => {}) },
  };
  new Function('self', 'caches', 'fetch', source)(self, caches, fetch);

  /** Dispatches a lifecycle event and waits for what it asked to wait for. */
  async function lifecycle(type: 'install' | 'activate') {
    let work: Promise<unknown> = Promise.resolve();
    listeners[type]!({ waitUntil: (p: Promise<unknown>) => (work = p) });
    await work;
  }
  /** Dispatches a fetch event: the worker's answer, or null when it left the request to the browser. */
  function request(path: string, { method = 'GET', mode = 'cors' } = {}): Promise<Response> | null {
    let answer: Promise<Response> | null = null;
    listeners.fetch!({ request: { url: new URL(path, ORIGIN).href, method, mode }, respondWith: (p: Promise<Response>) => (answer = p) });
    return answer;
  }
  const cachedUrls = () => [...stores.values()].flatMap((s) => [...s.keys()].map((u) => new URL(u).pathname));
  return { lifecycle, request, fetch, stores, cachedUrls, self };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('service worker', () => {
  it('precaches the built files on install and drops older essaim caches on activate', async () => {
    const sw = loadWorker();
    sw.stores.set('essaim-shell-v1', new Map([[`${ORIGIN}/assets/old.js`, new Response('vieux')]]));
    sw.stores.set('autre-cache', new Map());
    await sw.lifecycle('install');
    expect(sw.self.skipWaiting).toHaveBeenCalled();
    expect([...sw.stores.get('essaim-shell-v2')!.keys()].map((u) => new URL(u).pathname)).toEqual(PRECACHE);
    await sw.lifecycle('activate');
    expect([...sw.stores.keys()].sort()).toEqual(['autre-cache', 'essaim-shell-v2']);
    expect(sw.self.clients.claim).toHaveBeenCalled();
  });

  it('never answers nor caches /api/, /api/ws, /dl/, /metrics, other origins or anything but GET', async () => {
    const sw = loadWorker();
    await sw.lifecycle('install');
    sw.fetch.mockClear();
    const untouched = [
      sw.request('/api/torrents?scope=mine'),
      sw.request('/api/me'),
      sw.request('/api/ws'),
      sw.request('/api/ws', { mode: 'navigate' }),
      sw.request('/api', { mode: 'navigate' }),
      sw.request('/dl/abc/film.mkv'),
      sw.request('/dl/abc/film.mkv', { mode: 'navigate' }),
      sw.request('/metrics', { mode: 'navigate' }),
      sw.request('https://tracker.exemple.org/assets/x.js'),
      sw.request('https://ailleurs.exemple.org/', { mode: 'navigate' }),
      // Not GET: never, not even for a path the worker keeps.
      sw.request('/api/torrents', { method: 'POST' }),
      sw.request('/api/torrents/abc', { method: 'DELETE' }),
      sw.request('/assets/index-abc123.js', { method: 'POST' }),
      sw.request('/index.html', { method: 'HEAD' }),
      sw.request('/torrents', { method: 'POST', mode: 'navigate' }),
      // Not a navigation, not a built file: the browser's own business.
      sw.request('/torrents'),
    ];
    expect(untouched).toEqual(untouched.map(() => null));
    expect(sw.fetch).not.toHaveBeenCalled();
    expect(sw.cachedUrls().filter((p) => /^\/(api|dl)\b|^\/metrics/.test(p))).toEqual([]);
  });

  it('answers hashed assets from the cache first, fetching and keeping the ones it lacks', async () => {
    const sw = loadWorker();
    await sw.lifecycle('install');
    sw.fetch.mockClear();
    expect(await sw.request('/assets/index-abc123.js')!.then((r) => r.text())).toBe(`réseau ${ORIGIN}/assets/index-abc123.js`);
    expect(sw.fetch).not.toHaveBeenCalled();

    expect(await sw.request('/assets/Lazy-zzz999.js')!.then((r) => r.text())).toBe(`réseau ${ORIGIN}/assets/Lazy-zzz999.js`);
    expect(sw.fetch).toHaveBeenCalledTimes(1);
    expect(sw.cachedUrls()).toContain('/assets/Lazy-zzz999.js');
    await sw.request('/assets/Lazy-zzz999.js');
    expect(sw.fetch).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed asset answer', async () => {
    const sw = loadWorker(async () => new Response('introuvable', { status: 404 }));
    expect((await sw.request('/assets/Gone-000.js'))!.status).toBe(404);
    expect(sw.cachedUrls()).not.toContain('/assets/Gone-000.js');
  });

  it('serves pages from the network first, the cached shell when the network fails', async () => {
    let online = true;
    const sw = loadWorker(async (url) => {
      if (!online) throw new TypeError('Failed to fetch');
      return new Response(url.endsWith('/index.html') ? 'coquille' : `page ${new URL(url).pathname}`, {
        headers: { 'Content-Type': 'text/html' },
      });
    });
    await sw.lifecycle('install');
    expect(await sw.request('/torrents', { mode: 'navigate' })!.then((r) => r.text())).toBe('page /torrents');
    // Pages themselves are not cached: only the precached shell.
    expect(sw.cachedUrls()).not.toContain('/torrents');
    online = false;
    expect(await sw.request('/tous', { mode: 'navigate' })!.then((r) => r.text())).toBe('coquille');
  });

  it('falls back on the shell when the network is slower than 3 s', async () => {
    // Only the clock: Response bodies are read with setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const sw = loadWorker(async (url) =>
      url.endsWith('/compte') ? new Promise<Response>(() => {}) : new Response(url.endsWith('/index.html') ? 'coquille' : ''),
    );
    await sw.lifecycle('install');
    const answer = sw.request('/compte', { mode: 'navigate' })!;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await answer.then((r) => r.text())).toBe('coquille');
  });
});

/*
 * essaim's service worker: the app shell (index.html, the hashed scripts and styles, the icons)
 * is kept in the browser, so that the app opens at once on later visits and still opens when
 * the server cannot be reached. sw/vite-plugin.ts writes it into dist/sw.js at build time, the
 * two placeholders below filled in: the list of built files to precache, and a hash of them
 * (a new build: a new worker, a new cache, the old one deleted).
 *
 * What it answers (everything else goes to the network as if there were no worker):
 *  - a navigation to a page of the app: the network first (the server's index.html, fresh),
 *    the cached shell when the network fails or takes longer than NAVIGATION_TIMEOUT_MS;
 *  - GET /assets/… (content-hashed names, never change) and the other built files: the cache
 *    first, else the network (a hashed asset fetched that way is kept too).
 *
 * What it NEVER caches nor answers: any request other than GET; anything under /api/ (the JSON
 * API, and the live socket /api/ws — a WebSocket never goes through a worker anyway); anything
 * under /dl/ (file downloads, the video player's range requests); /metrics; other origins.
 * Tested in src/lib/serviceWorker.test.ts and e2e/pwa.spec.ts.
 */
const VERSION = self.__ESSAIM_VERSION__;
const PRECACHE = self.__ESSAIM_PRECACHE__;
const CACHE = `essaim-shell-${VERSION}`;
const SHELL = '/index.html';
const NAVIGATION_TIMEOUT_MS = 3000;

/** Paths the worker leaves alone, whatever the request. */
const NEVER = /^\/(?:api|dl)(?:\/|$)|^\/metrics$/;

/** 'page', 'file', or null: not ours (the browser fetches it as usual, nothing is cached). */
function routeOf(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER.test(url.pathname)) return null;
  if (request.mode === 'navigate') return 'page';
  if (url.pathname.startsWith('/assets/') || PRECACHE.includes(url.pathname)) return 'file';
  return null;
}

async function page(request) {
  const network = fetch(request);
  network.catch(() => {}); // Answered by the shell after a timeout: a later failure is nobody's.
  const late = new Promise((resolve) => setTimeout(resolve, NAVIGATION_TIMEOUT_MS, 'late'));
  try {
    const first = await Promise.race([network, late]);
    if (first !== 'late') return first;
    const shell = await caches.match(SHELL, { cacheName: CACHE });
    return shell ?? (await network);
  } catch {
    return (await caches.match(SHELL, { cacheName: CACHE })) ?? Response.error();
  }
}

async function file(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).pathname.startsWith('/assets/')) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('essaim-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const route = routeOf(event.request);
  if (route === 'page') event.respondWith(page(event.request));
  else if (route === 'file') event.respondWith(file(event.request));
});

// Web app figures for `make bench` (server/bench/run.sh), printed as a table:
//  1. Size of the production build (web/dist): gzipped JS loaded by the first page (the entry
//     and its modulepreloads), lazy chunks, CSS. Target: initial JS ≤ 200 KB gzip.
//  2. First render in Debian's Chromium through Playwright, against a running essaim on
//     loopback, each run in a fresh browser context (empty cache, like a first visit):
//     - login page: first contentful paint, and the moment the "Se connecter" button exists;
//     - "Mes torrents" of a logged-in user: first contentful paint, and the moment the list
//       (or its empty state) is drawn with data from the API.
//     Medians and worst of RUNS runs.
// Usage: node scripts/bench-web.mjs [URL USER PASSWORD]   (without URL: sizes only)
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const RUNS = Number(process.env.WEB_RUNS ?? 7);
const [url, user, password] = process.argv.slice(2);

const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const gz = (file) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

function sizes() {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const initial = new Set(
    [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]),
  );
  const css = [...html.matchAll(/href="\/?(assets\/[^"]+\.css)"/g)].map((m) => m[1]);
  const all = readdirSync(join(DIST, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  const sum = (files) => files.reduce((n, f) => n + gz(f), 0);
  const raw = (files) => files.reduce((n, f) => n + readFileSync(join(DIST, f)).length, 0);
  const lazy = all.filter((f) => !initial.has(f));
  const init = sum([...initial]);
  console.log('| web build (web/dist)                     |      raw |     gzip | target');
  console.log('|------------------------------------------|----------|----------|---------');
  console.log(`| JS loaded by the first page (${initial.size} files)     | ${kb(raw([...initial])).padStart(8)} | ${kb(init).padStart(8)} | ≤ 200 KB gzip: ${init <= 200 * 1024 ? 'met' : 'MISSED'}`);
  console.log(`| lazy JS chunks (${lazy.length}, loaded on demand)     | ${kb(raw(lazy)).padStart(8)} | ${kb(sum(lazy)).padStart(8)} |`);
  console.log(`| CSS                                      | ${kb(raw(css)).padStart(8)} | ${kb(sum(css)).padStart(8)} |`);
}

async function paintAndMark(page, mark) {
  return page.evaluate((m) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      fcp: fcp ? fcp.startTime : NaN,
      dcl: nav ? nav.domContentLoadedEventEnd : NaN,
      ready: performance.getEntriesByName(m)[0]?.startTime ?? NaN,
    };
  }, mark);
}

// Marks the first moment `selector` is in the DOM, observed from inside the page (no polling
// from Playwright's side, which would add its own round trips to the figure).
const WATCH = (selector, mark) => `
  new MutationObserver((_, obs) => {
    if (document.querySelector(${JSON.stringify(selector)})) { performance.mark(${JSON.stringify(mark)}); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });`;

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  return { median: v[Math.floor(v.length / 2)], worst: v[v.length - 1] };
}

async function firstRender() {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    // One login to get a session for the logged-in runs.
    const ctx0 = await browser.newContext({ locale: 'fr-FR' });
    const res = await ctx0.request.post(`${url}/api/auth/login`, { data: { username: user, password } });
    if (!res.ok()) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
    const state = await ctx0.storageState();
    await ctx0.close();

    const rows = { login: [], torrents: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const [name, path, selector, storage] of [
        ['login', '/connexion', 'button[type="submit"]', undefined],
        ['torrents', '/torrents', '[data-testid="torrent-table"], [data-testid="torrent-cards"], [data-testid="torrents-empty"]', state],
      ]) {
        const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 }, storageState: storage });
        const page = await ctx.newPage();
        await page.addInitScript(WATCH(selector, 'essaim-ready'));
        await page.goto(url + path, { waitUntil: 'load' });
        await page.waitForFunction(() => performance.getEntriesByName('essaim-ready').length > 0, null, { timeout: 15000 });
        await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 15000 });
        rows[name].push(await paintAndMark(page, 'essaim-ready'));
        await ctx.close();
      }
    }
    console.log('');
    console.log(`| first render, Chromium, fresh context (${RUNS} runs) | FCP median | FCP worst | ready median | ready worst`);
    console.log('|--------------------------------------------------|------------|-----------|--------------|------------');
    for (const [name, label] of [
      ['login', 'login page (ready = form drawn)'],
      ['torrents', '"Mes torrents" logged in (ready = list drawn)'],
    ]) {
      const f = stats(rows[name].map((r) => r.fcp));
      const r = stats(rows[name].map((r) => r.ready));
      const ms = (x) => `${x.toFixed(0)} ms`.padStart(10);
      console.log(`| ${label.padEnd(48)} | ${ms(f.median)} | ${ms(f.worst).padStart(9)} | ${ms(r.median).padStart(12)} | ${ms(r.worst)}`);
    }
  } finally {
    await browser.close();
  }
}

sizes();
if (url) await firstRender();

// Draws the app icons of the web app manifest (public/icons/*.png) from the essaim mark
// (public/favicon.svg: a honeycomb cell), with Debian's Chromium through Playwright — nothing
// else to install. Run again after changing the mark: node scripts/make-icons.mjs
//   icon-192.png, icon-512.png   "any": the mark on a transparent background, a little margin
//   icon-maskable-512.png        "maskable": full-bleed amber, the mark (inverted) inside the
//                                safe zone (the middle circle of 80 % diameter) that launchers keep
//   apple-touch-icon.png (180)   iOS fills transparency with black: the mark on white
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const AMBER = '#d97706';
const HEX_OUTER = 'M16 2l12 7v14l-12 7L4 23V9z';
const HEX_INNER = 'M16 9l6 3.5v7L16 23l-6-3.5v-7z';

/** The mark in a 32×32 box scaled by `scale` around the centre, on `background` (none: transparent). */
function svg({ scale, background, outer = AMBER, inner = '#fff' }) {
  const t = 16 - 16 * scale;
  const bg = background ? `<rect width="32" height="32" fill="${background}"/>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="100%" height="100%">${bg}<g transform="translate(${t} ${t}) scale(${scale})"><path fill="${outer}" d="${HEX_OUTER}"/><path fill="${inner}" d="${HEX_INNER}"/></g></svg>`;
}

const icons = [
  { file: 'icon-192.png', size: 192, svg: svg({ scale: 0.94 }) },
  { file: 'icon-512.png', size: 512, svg: svg({ scale: 0.94 }) },
  // 28 of 32 units tall at 0.6 → 52 % of the side: well inside the 80 % safe circle.
  { file: 'icon-maskable-512.png', size: 512, svg: svg({ scale: 0.6, background: AMBER, outer: '#fff', inner: AMBER }) },
  { file: 'apple-touch-icon.png', size: 180, svg: svg({ scale: 0.8, background: '#fff' }) },
];

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const { file, size, svg: markup } of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}</style>${markup}`);
    await page.screenshot({ path: join(OUT, file), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
    console.log(`public/icons/${file} (${size}×${size})`);
  }
} finally {
  await browser.close();
}

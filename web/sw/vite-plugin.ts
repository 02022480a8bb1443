import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/** Every file under `dir`, as site paths ("/assets/index-abc.js"), sorted. */
function siteFiles(dir: string, base = ''): string[] {
  return readdirSync(path.join(dir, base), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? siteFiles(dir, path.join(base, e.name)) : [`/${path.join(base, e.name)}`]))
    .sort();
}

/**
 * Writes dist/sw.js after the build (production builds only; `main.tsx` registers it): the
 * worker of sw/service-worker.js with the list of every built file to precache — index.html,
 * the hashed assets, the manifest and icons — and a version made from their contents, so that
 * each new build installs a new worker and drops the old cache. No dependency: the list is
 * what `vite build` just wrote.
 */
export function serviceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'essaim-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const files = siteFiles(outDir).filter((f) => f !== '/sw.js');
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update(readFileSync(path.join(outDir, f)));
      const version = hash.digest('hex').slice(0, 16);
      const source = readFileSync(path.join(import.meta.dirname, 'service-worker.js'), 'utf8')
        .replace('= self.__ESSAIM_VERSION__;', `= ${JSON.stringify(version)};`)
        .replace('= self.__ESSAIM_PRECACHE__;', `= ${JSON.stringify(files)};`);
      if (source.includes('__ESSAIM_')) throw new Error('sw/service-worker.js: a placeholder was left unfilled');
      writeFileSync(path.join(outDir, 'sw.js'), source);
    },
  };
}

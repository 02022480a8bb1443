/**
 * Registers /sw.js (sw/service-worker.js, written into dist by the build): production builds
 * only — the dev server has no sw.js, and a worker there would serve stale modules. After the
 * page has loaded, so that precaching does not compete with the first render.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // No worker (private mode, blocked by the browser): the app works the same, from the network.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

import type { KioskStoreApi } from './store';

/**
 * Register the kiosk's service worker (src/sw/sw.ts, built by vite-plugin-pwa): after the first load the kiosk
 * starts, reloads and runs with no network. A new build is taken in only between people: the waiting worker
 * is told to take over when the start screen shows and nobody is at the kiosk, and the page then reloads.
 * workbox-window is loaded once the first screen is up, so it is not part of the start screen's first load.
 */
export function registerServiceWorker(store: KioskStoreApi): void {
  if (!('serviceWorker' in navigator)) return;
  const base = import.meta.env.BASE_URL;
  const start = async () => {
    const { Workbox } = await import('workbox-window');
    const wb = new Workbox(`${base}sw.js`, { scope: base });
    const between = () => {
      const s = store.getState();
      return s.screen.name === 'start' && !s.orderInFlight && s.cart.length === 0;
    };
    wb.addEventListener('waiting', () => {
      if (between()) {
        wb.messageSkipWaiting();
        return;
      }
      const stop = store.subscribe(() => {
        if (!between()) return;
        stop();
        wb.messageSkipWaiting();
      });
    });
    // A new worker took over after an update (not the very first install): reload into the new build.
    wb.addEventListener('controlling', (e) => {
      if (e.isUpdate) window.location.reload();
    });
    await wb.register();
  };
  const go = () => void start().catch((e: unknown) => console.warn('[kiosk] service worker not registered', e));
  // Once the kiosk shows its first screen and has a quiet moment: not part of the first load.
  const whenUp = () => {
    if (store.getState().screen.name === 'loading') return false;
    if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 3000 });
    else setTimeout(go, 500);
    return true;
  };
  if (!whenUp()) {
    const stop = store.subscribe(() => {
      if (whenUp()) stop();
    });
  }
}

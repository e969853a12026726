/**
 * The kiosk's service worker (built by vite-plugin-pwa, strategy injectManifest).
 * - Every file of the build is precached at install (the manifest is injected at build time), so after the
 *   first load the kiosk starts and reloads with no network; page navigations under /kiosk/ get the precached
 *   index.html.
 * - Dish photos (/media/…) are kept as they are seen (cache first; their names are content hashes).
 * - Nothing under /api is touched: the app keeps its own data (last state, outbox, offline cache) in IndexedDB.
 * A new build waits until the page says it is between people (SKIP_WAITING), then takes over.
 */
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

const SCOPE = new URL(self.registration.scope).pathname; // '/kiosk/'

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(new NavigationRoute(createHandlerBoundToURL(`${SCOPE}index.html`), { allowlist: [new RegExp(`^${SCOPE}`)] }));

registerRoute(
  ({ url, request }) => url.origin === self.location.origin && url.pathname.startsWith('/media/') && request.destination === 'image',
  new CacheFirst({ cacheName: 'yishi-kiosk-photos', plugins: [new ExpirationPlugin({ maxEntries: 300, maxAgeSeconds: 30 * 24 * 3600 })] }),
);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  // Caches of the earlier hand-written worker.
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key === 'yishi-kiosk-shell-v1' || key === 'yishi-kiosk-state-v1') await caches.delete(key);
    })(),
  );
});

clientsClaim();

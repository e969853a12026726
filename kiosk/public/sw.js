/* global self, caches, fetch, URL, Headers, Response */
/* Yishi kiosk service worker (hand-written; no build step).
 * - App shell: index.html (network first, cached copy when offline) and its hashed /kiosk/assets/* files
 *   (cache first; they never change under the same name). On install and on every fresh index.html the
 *   assets it references are cached, so the kiosk opens with no network.
 * - Last kiosk state: GET /api/v1/kiosk/state is network first; the last good answer is served when the
 *   network is down, marked with the header `x-yishi-offline: 1` (the app also keeps it in IndexedDB).
 * Nothing else under /api is touched (writes always go to the network; the app keeps its own outbox).
 */
const CACHE = 'yishi-kiosk-shell-v1';
const STATE_CACHE = 'yishi-kiosk-state-v1';
const SCOPE = new URL(self.registration.scope).pathname; // '/kiosk/'
const INDEX = SCOPE;
const STATE_PATH = '/api/v1/kiosk/state';

function assetsIn(html) {
  const out = new Set();
  const re = /(?:src|href)="([^"]+)"/g;
  let m;
  while ((m = re.exec(html))) {
    const u = new URL(m[1], self.location.origin);
    if (u.origin === self.location.origin && u.pathname.startsWith(SCOPE)) out.add(u.pathname);
  }
  return [...out];
}

async function cacheShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  await cache.put(INDEX, response.clone());
  const wanted = assetsIn(html);
  await Promise.all(
    wanted.map(async (p) => {
      if (await cache.match(p)) return;
      try {
        const r = await fetch(p, { credentials: 'same-origin' });
        if (r.ok) await cache.put(p, r);
      } catch {
        /* best effort */
      }
    }),
  );
  // Drop hashed assets the current index no longer references.
  const keep = new Set([INDEX, ...wanted]);
  for (const req of await cache.keys()) {
    const p = new URL(req.url).pathname;
    if (p.startsWith(SCOPE + 'assets/') && !keep.has(p)) await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      try {
        const r = await fetch(INDEX, { cache: 'no-store', credentials: 'same-origin' });
        if (r.ok) await cacheShell(r);
      } catch {
        /* offline at install: nothing to do */
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE && key !== STATE_CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname === STATE_PATH) {
    event.respondWith(
      (async () => {
        try {
          const r = await fetch(req);
          if (r.ok) {
            const cache = await caches.open(STATE_CACHE);
            await cache.put(STATE_PATH, r.clone());
          }
          return r;
        } catch (err) {
          const cached = await (await caches.open(STATE_CACHE)).match(STATE_PATH);
          if (!cached) throw err;
          const headers = new Headers(cached.headers);
          headers.set('x-yishi-offline', '1');
          return new Response(await cached.blob(), { status: 200, headers });
        }
      })(),
    );
    return;
  }

  if (!url.pathname.startsWith(SCOPE)) return;

  if (req.mode === 'navigate' || url.pathname === SCOPE || url.pathname === SCOPE + 'index.html') {
    event.respondWith(
      (async () => {
        try {
          const r = await fetch(req);
          if (r.ok && (r.headers.get('content-type') || '').includes('text/html')) event.waitUntil(cacheShell(r.clone()));
          return r;
        } catch (err) {
          const cached = await (await caches.open(CACHE)).match(INDEX);
          if (cached) return cached;
          throw err;
        }
      })(),
    );
    return;
  }

  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(url.pathname);
      if (hit) return hit;
      const r = await fetch(req);
      if (r.ok && url.pathname.startsWith(SCOPE)) await cache.put(url.pathname, r.clone());
      return r;
    })(),
  );
});

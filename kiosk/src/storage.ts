/**
 * The kiosk's storage as the store sees it: the order outbox and the last kiosk state, backed by IndexedDB
 * (Dexie, loaded on first use so it is not part of the start screen's first load), or by memory in tests.
 */
import type { KioskState } from '@yishi/shared/schemas';
import type { KioskDb } from './db';
import type { OfflineCacheStatus } from './offlineCache';
import type { OutboxStore } from './outbox';

export interface StateCache {
  save(state: KioskState, now: Date): Promise<void>;
  load(): Promise<{ state: KioskState; savedAt: string } | null>;
  /** The kiosk was revoked: forget the canteen's state and drop the offline identification cache. */
  forgetAll(): Promise<void>;
}

/** The offline identification cache (offlineCache.ts) as the store needs it today: expiry and status. */
export interface OfflineCacheStore {
  dropIfExpired(now: Date): Promise<boolean>;
  status(now: Date): Promise<OfflineCacheStatus>;
}

export interface Storage {
  outbox: OutboxStore;
  state: StateCache;
  offline: OfflineCacheStore;
}

/** Resolves once the page has loaded and has a quiet moment (the start screen is up). */
function afterStartup(): Promise<void> {
  return new Promise((resolve) => {
    const idle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 2000 }) : setTimeout(resolve, 200));
    if (document.readyState === 'complete') idle();
    else window.addEventListener('load', idle, { once: true });
  });
}

/** Opened once, on first use; every call after that gets the same database. */
function lazyDb(): () => Promise<KioskDb> {
  let opening: Promise<KioskDb> | null = null;
  return () => {
    opening ??= import('./db').then((m) => new m.KioskDb());
    return opening;
  };
}

export function indexedDbStorage(): Storage {
  const db = lazyDb();
  return {
    outbox: {
      put: async (row) => void (await (await db()).outbox.put(row)),
      get: async (id) => (await db()).outbox.get(id),
      all: async () => (await db()).outbox.toArray(),
      delete: async (id) => (await db()).outbox.delete(id),
    },
    state: {
      // Keeping the state for an offline start is not urgent: it waits until the start screen is up, so the
      // IndexedDB code is not part of the first load. Reads (an offline start, the outbox) open it at once.
      save: async (state, now) => {
        await afterStartup();
        await (await import('./db')).saveKioskState(await db(), state, now);
      },
      load: async () => (await import('./db')).loadKioskState(await db()),
      forgetAll: async () => {
        const d = await db();
        await (await import('./db')).forgetKioskState(d);
        await (await import('./offlineCache')).dropOfflineCache(d);
      },
    },
    offline: {
      dropIfExpired: async (now) => (await import('./offlineCache')).dropIfExpired(await db(), now),
      status: async (now) => (await import('./offlineCache')).offlineCacheStatus(await db(), now),
    },
  };
}

/** Storage in memory (tests): the same behaviour, nothing kept across a reload. */
export function memoryStorage(outbox: OutboxStore, state: StateCache = memoryStateCache()): Storage {
  return { outbox, state, offline: { dropIfExpired: async () => false, status: async () => ({ state: 'none' }) } };
}

export function memoryStateCache(): StateCache & { saved: { state: KioskState; savedAt: string } | null } {
  const cache = {
    saved: null as { state: KioskState; savedAt: string } | null,
    save: async (state: KioskState, now: Date) => {
      cache.saved = { state: structuredClone(state), savedAt: now.toISOString() };
    },
    load: async () => (cache.saved ? structuredClone(cache.saved) : null),
    forgetAll: async () => {
      cache.saved = null;
    },
  };
  return cache;
}

/**
 * The kiosk's storage as the store sees it: the order outbox and the last kiosk state, backed by IndexedDB
 * (Dexie, loaded on first use so it is not part of the start screen's first load), or by memory in tests.
 */
import type { MealPeriod } from '@yishi/shared/domain';
import type { KioskState, OfflineSnapshot } from '@yishi/shared/schemas';
import type { KioskDb } from './db';
import type { CredentialKind, OfflineCacheStatus, OfflineIdentity, OfflineOrderRecord, OfflinePricingData, PhonePinResult } from './offlineCache';
import type { OutboxStore } from './outbox';

export interface StateCache {
  save(state: KioskState, now: Date): Promise<void>;
  load(): Promise<{ state: KioskState; savedAt: string } | null>;
  /** The kiosk was revoked: forget the canteen's state and drop the offline identification cache. */
  forgetAll(): Promise<void>;
}

/** The offline identification cache (offlineCache.ts) as the store needs it. */
export interface OfflineCacheStore {
  dropIfExpired(now: Date): Promise<boolean>;
  /** Forget it all (the kiosk was revoked). */
  drop(): Promise<void>;
  status(now: Date): Promise<OfflineCacheStatus>;
  replace(snap: OfflineSnapshot, now: Date): Promise<void>;
  lookup(kind: CredentialKind, value: string, now: Date): Promise<OfflineIdentity | null>;
  /** Phone + PIN, with wrong tries counted and locked per phone. */
  lookupPhonePin(phone: string, pin: string, now: Date): Promise<PhonePinResult>;
  pricingData(residentKey: string | null, slot: { serviceDate: string; mealPeriod: MealPeriod }, now: Date): Promise<OfflinePricingData | null>;
  walletSpent(residentKey: string, date: string): Promise<number>;
  recordOrder(o: OfflineOrderRecord, now: Date): Promise<void>;
}

/** The offline cache over a Dexie database (the app's IndexedDB; fake-indexeddb in tests). */
export function dexieOfflineStore(db: () => Promise<KioskDb>): OfflineCacheStore {
  const m = () => import('./offlineCache');
  return {
    dropIfExpired: async (now) => (await m()).dropIfExpired(await db(), now),
    drop: async () => (await m()).dropOfflineCache(await db()),
    status: async (now) => (await m()).offlineCacheStatus(await db(), now),
    replace: async (snap, now) => void (await (await m()).replaceOfflineCache(await db(), snap, now)),
    lookup: async (kind, value, now) => (await m()).lookupCredential(await db(), kind, value, now),
    lookupPhonePin: async (phone, pin, now) => (await m()).lookupPhonePin(await db(), phone, pin, now),
    pricingData: async (residentKey, slot, now) => (await m()).offlinePricingData(await db(), residentKey, slot, now),
    walletSpent: async (residentKey, date) => (await m()).offlineWalletSpent(await db(), residentKey, date),
    recordOrder: async (o, now) => (await m()).recordOfflineOrder(await db(), o, now),
  };
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
    offline: dexieOfflineStore(db),
  };
}

/** Storage in memory (tests): the same behaviour, nothing kept across a reload. */
export function memoryStorage(outbox: OutboxStore, state: StateCache = memoryStateCache(), offline: OfflineCacheStore = noOfflineCache()): Storage {
  return { outbox, state, offline };
}

/** A kiosk that was never given an offline cache (tests that are not about it). */
export function noOfflineCache(): OfflineCacheStore {
  return {
    dropIfExpired: async () => false,
    drop: async () => undefined,
    status: async () => ({ state: 'none' }),
    replace: async () => undefined,
    lookup: async () => null,
    lookupPhonePin: async () => null,
    pricingData: async () => null,
    walletSpent: async () => 0,
    recordOrder: async () => undefined,
  };
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

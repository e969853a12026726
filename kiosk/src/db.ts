/**
 * The kiosk's IndexedDB (Dexie). Loaded lazily (storage.ts imports it on first use), so the start screen's
 * first paint does not wait for it.
 *
 * Tables:
 * - kv: small remembered values (the last KioskState the server sent; the offline cache's metadata).
 * - outbox: orders kept until the server gives a definitive answer (outbox.ts).
 * - the offline identification cache (offlineCache.ts), filled from the server while online and used when
 *   the network is down: credentials (keyed hashes only), residents (masked name + eligibility facts),
 *   subsidisedMeals (today's, to keep "once per meal period"), policies, menus (today and tomorrow).
 */
import Dexie, { type EntityTable } from 'dexie';
import { KioskState } from '@yishi/shared/schemas';
import type { OutboxRow } from './outbox';
import type { CachedCredential, CachedMenu, CachedPolicy, CachedResident, CachedSubsidisedMeal } from './offlineCache';

/** One remembered value. */
export interface KvRow {
  key: string;
  value: unknown;
  savedAt: string;
}

export class KioskDb extends Dexie {
  kv!: EntityTable<KvRow, 'key'>;
  outbox!: EntityTable<OutboxRow, 'id'>;
  credentials!: EntityTable<CachedCredential, 'hash'>;
  residents!: EntityTable<CachedResident, 'residentKey'>;
  subsidisedMeals!: Dexie.Table<CachedSubsidisedMeal, [string, string, string, string]>;
  policies!: EntityTable<CachedPolicy, 'versionId'>;
  menus!: Dexie.Table<CachedMenu, [string, string]>;

  constructor(name = 'yishi-kiosk', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({ kv: 'key', outbox: 'id, createdAt, settled' });
    this.version(2).stores({
      credentials: 'hash, residentKey',
      residents: 'residentKey',
      subsidisedMeals: '[residentKey+serviceDate+mealPeriod+layerKey], residentKey, serviceDate',
      policies: 'versionId',
      menus: '[serviceDate+mealPeriod]',
    });
  }
}

const STATE_KEY = 'kioskState';

export async function saveKioskState(db: KioskDb, state: KioskState, now: Date): Promise<void> {
  await db.kv.put({ key: STATE_KEY, value: state, savedAt: now.toISOString() });
}

export async function loadKioskState(db: KioskDb): Promise<{ state: KioskState; savedAt: string } | null> {
  const row = await db.kv.get(STATE_KEY);
  if (!row) return null;
  // Kept by an earlier build perhaps: use it only if it still matches the contract.
  const parsed = KioskState.safeParse(row.value);
  return parsed.success ? { state: parsed.data, savedAt: row.savedAt } : null;
}

export async function forgetKioskState(db: KioskDb): Promise<void> {
  await db.kv.delete(STATE_KEY);
}

import Dexie, { type EntityTable } from 'dexie';
import type { CreateOrderRequest, KioskState } from '@yishi/shared/schemas';

/** One remembered value (the last KioskState the server sent, …). */
export interface KvRow {
  key: string;
  value: unknown;
  savedAt: string;
}

/** An order whose POST got no answer: retried with the same id until the server answers. */
export interface OutboxRow {
  id: string;
  body: CreateOrderRequest;
  createdAt: string;
  attempts: number;
  lastTriedAt: string | null;
  lastError: string | null;
  /** Set once the server gave a definitive answer; kept for staff to look up, then pruned. */
  settled: 'created' | 'rejected' | null;
  pickupNumber: number | null;
}

export class KioskDb extends Dexie {
  kv!: EntityTable<KvRow, 'key'>;
  outbox!: EntityTable<OutboxRow, 'id'>;
  constructor(name = 'yishi-kiosk') {
    super(name);
    this.version(1).stores({ kv: 'key', outbox: 'id, createdAt, settled' });
  }
}

let instance: KioskDb | null = null;
export function kioskDb(): KioskDb {
  instance ??= new KioskDb();
  return instance;
}

const STATE_KEY = 'kioskState';

export async function saveKioskState(state: KioskState): Promise<void> {
  try {
    await kioskDb().kv.put({ key: STATE_KEY, value: state, savedAt: new Date().toISOString() });
  } catch (e) {
    console.warn('[kiosk] could not cache the kiosk state', e);
  }
}

export async function loadKioskState(): Promise<{ state: KioskState; savedAt: string } | null> {
  try {
    const row = await kioskDb().kv.get(STATE_KEY);
    if (!row) return null;
    return { state: row.value as KioskState, savedAt: row.savedAt };
  } catch {
    return null;
  }
}

export async function forgetKioskState(): Promise<void> {
  try {
    await kioskDb().kv.delete(STATE_KEY);
  } catch {
    /* ignore */
  }
}

import type { CreateOrderRequest, Order } from '@yishi/shared/schemas';
import { ApiError, NetworkError } from './api';
import type { OutboxRow } from './db';

/** Storage the outbox needs (Dexie in the app, a Map in tests). */
export interface OutboxStore {
  put(row: OutboxRow): Promise<void>;
  get(id: string): Promise<OutboxRow | undefined>;
  all(): Promise<OutboxRow[]>;
  delete(id: string): Promise<void>;
}

export type Send = (body: CreateOrderRequest) => Promise<Order>;

/** Codes worth retrying with the same id: nothing was decided (server bug, busy). */
export function isRetryable(e: unknown): boolean {
  if (e instanceof NetworkError) return true;
  if (e instanceof ApiError) return e.code === 'internal' || e.code === 'rate_limited';
  return false;
}

export function newRow(body: CreateOrderRequest, now: Date): OutboxRow {
  return {
    id: body.id,
    body,
    createdAt: now.toISOString(),
    attempts: 0,
    lastTriedAt: null,
    lastError: null,
    settled: null,
    pickupNumber: null,
  };
}

/** Remember an order before (or right after) the first attempt, so a lost answer is retried later. */
export async function enqueue(store: OutboxStore, body: CreateOrderRequest, now = new Date()): Promise<void> {
  const existing = await store.get(body.id);
  if (existing) return;
  await store.put(newRow(body, now));
}

export async function settle(store: OutboxStore, id: string, order: Order | null): Promise<void> {
  const row = await store.get(id);
  if (!row) return;
  await store.put({ ...row, settled: order ? 'created' : 'rejected', pickupNumber: order?.pickupNumber ?? null });
}

export interface FlushResult {
  sent: Order[];
  rejected: { id: string; code: string }[];
  stillPending: number;
}

/**
 * Send every unsettled order again, oldest first, each with its own id (the server returns the first
 * result for a repeated id). Stops at the first network failure: the network is still down.
 */
export async function flush(store: OutboxStore, send: Send, now = new Date()): Promise<FlushResult> {
  const rows = (await store.all()).filter((r) => r.settled === null).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const result: FlushResult = { sent: [], rejected: [], stillPending: 0 };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const tried = { ...row, attempts: row.attempts + 1, lastTriedAt: now.toISOString() };
    try {
      const order = await send(row.body);
      await store.put({ ...tried, settled: 'created', pickupNumber: order.pickupNumber, lastError: null });
      result.sent.push(order);
    } catch (e) {
      if (isRetryable(e)) {
        await store.put({ ...tried, lastError: e instanceof Error ? e.message : String(e) });
        result.stillPending = rows.length - i;
        break;
      }
      const code = e instanceof ApiError ? e.code : 'internal';
      await store.put({ ...tried, settled: 'rejected', lastError: code });
      result.rejected.push({ id: row.id, code });
    }
  }
  return result;
}

/** Drop settled rows older than `keepMs` (default a day). */
export async function prune(store: OutboxStore, now = new Date(), keepMs = 24 * 3600_000): Promise<void> {
  for (const r of await store.all()) {
    if (r.settled !== null && now.getTime() - Date.parse(r.createdAt) > keepMs) await store.delete(r.id);
  }
}

export function memoryStore(): OutboxStore & { rows: Map<string, OutboxRow> } {
  const rows = new Map<string, OutboxRow>();
  return {
    rows,
    put: async (row) => void rows.set(row.id, structuredClone(row)),
    get: async (id) => {
      const r = rows.get(id);
      return r ? structuredClone(r) : undefined;
    },
    all: async () => [...rows.values()].map((r) => structuredClone(r)),
    delete: async (id) => void rows.delete(id),
  };
}

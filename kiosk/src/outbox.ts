import type { CreateOrderRequest, KioskOrder } from '@yishi/shared/schemas';
import { ApiError, isRetryable, retryAfterOf } from './api';

/** An order kept on the kiosk until the server gives a definitive answer: retried with the same id. */
export interface OutboxRow {
  id: string;
  /**
   * The exact request, kept while it may have to be sent again. Dropped once the server has answered
   * definitively: it holds the resident's ticket and perhaps a delivery address, which the kiosk must not keep.
   */
  body: CreateOrderRequest | null;
  /** The kiosk's own clock when the person confirmed (device time, ISO). */
  createdAt: string;
  /** The same instant on the server's clock as the kiosk last knew it (null if it never heard the server). */
  serverTimeAtCreate?: string | null;
  attempts: number;
  lastTriedAt: string | null;
  lastError: string | null;
  /** Set once the server gave a definitive answer; kept for staff to look up, then pruned. */
  settled: 'created' | 'rejected' | null;
  pickupNumber: number | null;
}

/** Storage the outbox needs (Dexie in the app, a Map in tests). */
export interface OutboxStore {
  put(row: OutboxRow): Promise<void>;
  get(id: string): Promise<OutboxRow | undefined>;
  all(): Promise<OutboxRow[]>;
  delete(id: string): Promise<void>;
}

export type Send = (body: CreateOrderRequest) => Promise<KioskOrder>;

export function newRow(body: CreateOrderRequest, now: Date, serverNow: Date | null): OutboxRow {
  return {
    id: body.id,
    body,
    createdAt: now.toISOString(),
    serverTimeAtCreate: serverNow?.toISOString() ?? null,
    attempts: 0,
    lastTriedAt: null,
    lastError: null,
    settled: null,
    pickupNumber: null,
  };
}

/** Remember an order before its first attempt, so neither a lost answer nor a reload loses it. */
export async function enqueue(store: OutboxStore, body: CreateOrderRequest, now = new Date(), serverNow: Date | null = null): Promise<void> {
  const existing = await store.get(body.id);
  if (existing) return;
  await store.put(newRow(body, now, serverNow));
}

export async function settle(store: OutboxStore, id: string, order: KioskOrder | null, code: string | null = null): Promise<void> {
  const row = await store.get(id);
  if (!row) return;
  await store.put({ ...row, body: null, settled: order ? 'created' : 'rejected', pickupNumber: order?.pickupNumber ?? null, lastError: order ? null : code });
}

/** Oldest first (the kiosk's clock, then the time-ordered id). */
export function inOrder(rows: readonly OutboxRow[]): OutboxRow[] {
  return [...rows].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export interface FlushResult {
  sent: KioskOrder[];
  rejected: { id: string; code: string }[];
  stillPending: number;
  /** The server said "busy, come back in …" (429/503 with Retry-After). */
  retryAfterMs: number | null;
  /** No answer at all: the network is (still) down. */
  unreachable: boolean;
}

/**
 * Send every unsettled order again, oldest first, one at a time, each with its own id (the server returns the
 * first result for a repeated id). Stops at the first failure that decides nothing (no answer, busy): the
 * orders behind it wait, so they reach the server in the order they were made.
 */
export async function flush(store: OutboxStore, send: Send, now = new Date(), skip: ReadonlySet<string> = new Set()): Promise<FlushResult> {
  const rows = inOrder((await store.all()).filter((r) => r.settled === null && !skip.has(r.id)));
  const result: FlushResult = { sent: [], rejected: [], stillPending: 0, retryAfterMs: null, unreachable: false };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!row.body) continue;
    const tried = { ...row, attempts: row.attempts + 1, lastTriedAt: now.toISOString() };
    try {
      const order = await send(row.body);
      await store.put({ ...tried, body: null, settled: 'created', pickupNumber: order.pickupNumber, lastError: null });
      result.sent.push(order);
    } catch (e) {
      if (isRetryable(e)) {
        await store.put({ ...tried, lastError: e instanceof Error ? e.message : String(e) });
        result.stillPending = rows.length - i;
        result.retryAfterMs = retryAfterOf(e);
        result.unreachable = !(e instanceof ApiError);
        break;
      }
      const code = e instanceof ApiError ? e.code : 'internal';
      await store.put({ ...tried, body: null, settled: 'rejected', lastError: code });
      result.rejected.push({ id: row.id, code });
    }
  }
  return result;
}

export function unsettledCount(rows: readonly OutboxRow[]): number {
  return rows.filter((r) => r.settled === null).length;
}

/** Drop settled rows older than `keepMs` (default a day). Unsent orders are never dropped. */
export async function prune(store: OutboxStore, now = new Date(), keepMs = 24 * 3600_000): Promise<void> {
  for (const r of await store.all()) {
    if (r.settled !== null && now.getTime() - Date.parse(r.createdAt) > keepMs) await store.delete(r.id);
  }
}

export function memoryOutbox(): OutboxStore & { rows: Map<string, OutboxRow> } {
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

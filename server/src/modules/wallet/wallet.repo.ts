import { and, asc, desc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { keyedRead, prepared, preparedInsert } from '../../db/client';
import { walletEntries, walletPayouts } from '../../db/schema';

export type WalletEntryRow = typeof walletEntries.$inferSelect;
export type PayoutRow = typeof walletPayouts.$inferSelect;

const balanceQ = prepared((db) =>
  db
    .select({ b: sql<number>`coalesce(sum(${walletEntries.amountFen}), 0)` })
    .from(walletEntries)
    .where(eq(walletEntries.residentId, sql.placeholder('residentId')))
    .prepare(),
);
const insertEntryQ = preparedInsert(walletEntries);

/**
 * A resident's balance (the sum of their entries), kept per resident: the card tap, its quote and the order's payment
 * read it within a second. Entries are only ever inserted (`insertEntry`), each amending the kept balance by its amount
 * after the COMMIT; inside the batch that wrote them the writer reads the sum afresh, so a payment's check of the balance
 * is always against the database (see `keyedRead`).
 */
const balances = keyedRead([walletEntries], (db, residentId: string): number => Number(balanceQ(db).get({ residentId })?.b ?? 0));

export function balanceOf(db: Reader | Tx, residentId: string): number {
  return balances.read(db, residentId);
}

export function balancesOf(db: Reader | Tx, residentIds: string[]): Map<string, number> {
  if (residentIds.length === 0) return new Map();
  return new Map(
    db
      .select({ id: walletEntries.residentId, b: sql<number>`sum(${walletEntries.amountFen})` })
      .from(walletEntries)
      .where(inArray(walletEntries.residentId, residentIds))
      .groupBy(walletEntries.residentId)
      .all()
      .map((x) => [x.id, Number(x.b)]),
  );
}

export function latestEntries(db: Reader | Tx, residentId: string, limit: number): WalletEntryRow[] {
  return db
    .select()
    .from(walletEntries)
    .where(eq(walletEntries.residentId, residentId))
    .orderBy(desc(walletEntries.createdAt), desc(sql`rowid`))
    .limit(limit)
    .all();
}

/** A page of a resident's entries, newest first, with the balance right after each (append-only: time, then insertion). */
export function entriesPage(
  db: Reader | Tx,
  residentId: string,
  limit: number,
  offset: number,
): { items: (WalletEntryRow & { balanceAfterFen: number })[]; total: number } {
  const items = db.all<WalletEntryRow & { balanceAfterFen: number }>(sql`
    SELECT w.id, w.resident_id AS residentId, w.kind, w.amount_fen AS amountFen, w.order_id AS orderId, w.canteen_id AS canteenId,
      w.method, w.reference, w.created_by AS createdBy, w.created_at AS createdAt, w.created_by_name AS createdByName,
      w.receipt_no AS receiptNo,
      (SELECT sum(w2.amount_fen) FROM wallet_entries w2
        WHERE w2.resident_id = w.resident_id
          AND (w2.created_at < w.created_at OR (w2.created_at = w.created_at AND w2.rowid <= w.rowid))) AS balanceAfterFen
    FROM wallet_entries w WHERE w.resident_id = ${residentId}
    ORDER BY w.created_at DESC, w.rowid DESC LIMIT ${limit} OFFSET ${offset}`);
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(walletEntries)
    .where(eq(walletEntries.residentId, residentId))
    .get()!.n;
  return { items: items.map((i) => ({ ...i, balanceAfterFen: Number(i.balanceAfterFen) })), total };
}

/** The balance right after one entry. */
export function balanceAfter(db: Reader | Tx, entryId: string): number {
  const row = db.get<{ b: number | null }>(sql`
    SELECT (SELECT sum(w2.amount_fen) FROM wallet_entries w2
      WHERE w2.resident_id = w.resident_id
        AND (w2.created_at < w.created_at OR (w2.created_at = w.created_at AND w2.rowid <= w.rowid))) AS b
    FROM wallet_entries w WHERE w.id = ${entryId}`);
  return Number(row?.b ?? 0);
}

/**
 * Entries of a resident (or of a canteen, between two instants) in insertion order, a page after `afterRowid`:
 * what an export reads page by page (keyset on rowid).
 */
export function entriesAfter(
  db: Reader | Tx,
  f: { residentId?: string; canteenIds?: string[]; from?: string; to?: string },
  afterRowid: number,
  limit: number,
): (WalletEntryRow & { rowid: number })[] {
  const conds = [gt(sql`rowid`, afterRowid)];
  if (f.residentId) conds.push(eq(walletEntries.residentId, f.residentId));
  if (f.canteenIds) conds.push(f.canteenIds.length ? inArray(walletEntries.canteenId, f.canteenIds) : sql`0`);
  if (f.from) conds.push(gte(walletEntries.createdAt, f.from));
  if (f.to) conds.push(lt(walletEntries.createdAt, f.to));
  return db
    .select({ rowid: sql<number>`rowid`, ...walletEntryColumns })
    .from(walletEntries)
    .where(and(...conds))
    .orderBy(asc(sql`rowid`))
    .limit(limit)
    .all();
}
const walletEntryColumns = {
  id: walletEntries.id,
  residentId: walletEntries.residentId,
  kind: walletEntries.kind,
  amountFen: walletEntries.amountFen,
  orderId: walletEntries.orderId,
  canteenId: walletEntries.canteenId,
  method: walletEntries.method,
  reference: walletEntries.reference,
  createdBy: walletEntries.createdBy,
  createdAt: walletEntries.createdAt,
  createdByName: walletEntries.createdByName,
  receiptNo: walletEntries.receiptNo,
};

/** How many receipts carry this prefix already (a canteen's receipts of one day). */
export function receiptsWithPrefix(tx: Tx, prefix: string): number {
  return tx
    .select({ n: sql<number>`count(*)` })
    .from(walletEntries)
    .where(and(gte(walletEntries.receiptNo, prefix), lt(walletEntries.receiptNo, `${prefix}~`)))
    .get()!.n;
}

export function payoutOf(db: Reader | Tx, residentId: string): PayoutRow | undefined {
  return db.select().from(walletPayouts).where(eq(walletPayouts.residentId, residentId)).get();
}

export function insertPayout(tx: Tx, row: PayoutRow): void {
  tx.insert(walletPayouts).values(row).run();
}

/** Whether the resident's wallet was closed by a payout (one query, used before a top-up). */
export function hasPayout(db: Reader | Tx, residentId: string): boolean {
  return !!db
    .select({ x: sql`1` })
    .from(walletEntries)
    .where(and(eq(walletEntries.residentId, residentId), eq(walletEntries.kind, 'payout')))
    .limit(1)
    .get();
}

export function entryById(db: Reader | Tx, id: string): WalletEntryRow | undefined {
  return db.select().from(walletEntries).where(eq(walletEntries.id, id)).get();
}

/** Append an entry (every column named). */
export function insertEntry(tx: Tx, row: WalletEntryRow): void {
  balances.touching(
    tx,
    row.residentId,
    () => insertEntryQ(tx).run(row),
    (kept) => kept + row.amountFen,
  );
}

/**
 * The balance right after each order's wallet payment (append-only entries, ordered by time then insertion),
 * in one statement for a whole list of orders.
 */
export function balancesAfterPayment(db: Reader | Tx, orderIds: string[]): Map<string, number> {
  if (orderIds.length === 0) return new Map();
  const rows = db.all<{ orderId: string; after: number }>(sql`
    SELECT w.order_id AS orderId,
      (SELECT sum(w2.amount_fen) FROM wallet_entries w2
        WHERE w2.resident_id = w.resident_id
          AND (w2.created_at < w.created_at OR (w2.created_at = w.created_at AND w2.rowid <= w.rowid))) AS after
    FROM wallet_entries w
    WHERE w.kind = 'payment' AND w.order_id IN (${sql.join(
      orderIds.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  return new Map(rows.map((r) => [r.orderId, Number(r.after)]));
}

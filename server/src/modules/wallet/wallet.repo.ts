import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { prepared, preparedInsert } from '../../db/client';
import { walletEntries } from '../../db/schema';

export type WalletEntryRow = typeof walletEntries.$inferSelect;

const balanceQ = prepared((db) =>
  db
    .select({ b: sql<number>`coalesce(sum(${walletEntries.amountFen}), 0)` })
    .from(walletEntries)
    .where(eq(walletEntries.residentId, sql.placeholder('residentId')))
    .prepare(),
);
const insertEntryQ = preparedInsert(walletEntries);

export function balanceOf(db: Reader | Tx, residentId: string): number {
  return Number(balanceQ(db).get({ residentId })?.b ?? 0);
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
  return db.select().from(walletEntries).where(eq(walletEntries.residentId, residentId)).orderBy(desc(walletEntries.createdAt)).limit(limit).all();
}

export function entryById(db: Reader | Tx, id: string): WalletEntryRow | undefined {
  return db.select().from(walletEntries).where(eq(walletEntries.id, id)).get();
}

/** Append an entry (every column named). */
export function insertEntry(tx: Tx, row: WalletEntryRow): void {
  insertEntryQ(tx).run(row);
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

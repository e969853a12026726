import { and, asc, eq, gte, inArray, lt, lte, ne, sql } from 'drizzle-orm';
import type { OrderState } from '@yishi/shared/domain';
import type { Reader, Tx } from '../../db/client';
import { guardUnique, preparedInsert } from '../../db/client';
import { dailyCloses, orders } from '../../db/schema';

export type CloseRow = typeof dailyCloses.$inferSelect;

const insertQ = preparedInsert(dailyCloses);

export function insertClose(tx: Tx, row: CloseRow): void {
  guardUnique(dailyCloses, () => insertQ(tx).run(row));
}

export function closeOf(db: Reader | Tx, canteenId: string, serviceDate: string): CloseRow | undefined {
  return db
    .select()
    .from(dailyCloses)
    .where(and(eq(dailyCloses.canteenId, canteenId), eq(dailyCloses.serviceDate, serviceDate)))
    .get();
}

export function closesBetween(db: Reader | Tx, canteenId: string, from: string, to: string): CloseRow[] {
  return db
    .select()
    .from(dailyCloses)
    .where(and(eq(dailyCloses.canteenId, canteenId), gte(dailyCloses.serviceDate, from), lte(dailyCloses.serviceDate, to)))
    .orderBy(asc(dailyCloses.serviceDate))
    .all();
}

/** Closes of a canteen that carry adjustments to earlier days. */
export function closesWithAdjustments(db: Reader | Tx, canteenId: string): CloseRow[] {
  return db
    .select()
    .from(dailyCloses)
    .where(and(eq(dailyCloses.canteenId, canteenId), ne(dailyCloses.adjustments, sql`'[]'`)))
    .orderBy(asc(dailyCloses.serviceDate))
    .all();
}

/**
 * Closed days of a canteen before `before` with an order placed or changed (paid, cancelled, refunded) at or after
 * the day's close. Read-only SQL over orders (the orders service owns them; this only counts).
 */
export function closedDaysChangedSince(db: Reader | Tx, canteenId: string, before: string): CloseRow[] {
  return db
    .select()
    .from(dailyCloses)
    .where(
      and(
        eq(dailyCloses.canteenId, canteenId),
        lt(dailyCloses.serviceDate, before),
        sql`exists (select 1 from ${orders} o where o.canteen_id = ${dailyCloses.canteenId} and o.service_date = ${dailyCloses.serviceDate}
          and (o.created_at >= ${dailyCloses.closedAt} or o.paid_at >= ${dailyCloses.closedAt}
            or o.cancelled_at >= ${dailyCloses.closedAt} or o.refunded_at >= ${dailyCloses.closedAt}))`,
      ),
    )
    .orderBy(asc(dailyCloses.serviceDate))
    .all();
}

/** Orders per service date of a canteen in [from, to] (every state): which days there are to close. */
/** Per service date: the orders, and the elders' part received so far (orders in one of `received`). */
export function ordersPerDay(
  db: Reader | Tx,
  canteenId: string,
  from: string,
  to: string,
  received: readonly OrderState[],
): { serviceDate: string; n: number; receivedFen: number }[] {
  return db
    .select({
      serviceDate: orders.serviceDate,
      n: sql<number>`count(*)`,
      receivedFen: sql<number>`coalesce(sum(CASE WHEN ${inArray(orders.state, [...received])} THEN ${orders.elderPaysFen} ELSE 0 END), 0)`,
    })
    .from(orders)
    .where(and(eq(orders.canteenId, canteenId), gte(orders.serviceDate, from), lte(orders.serviceDate, to)))
    .groupBy(orders.serviceDate)
    .all()
    .map((r) => ({ serviceDate: r.serviceDate, n: Number(r.n), receivedFen: Number(r.receivedFen) }));
}

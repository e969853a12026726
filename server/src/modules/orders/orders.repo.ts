import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import type { MealPeriod } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import { guardUnique, prepared, preparedInsert } from '../../db/client';
import { orderLines, orderReviews, orderSubsidies, orders, payments } from '../../db/schema';

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type OrderSubsidyRow = typeof orderSubsidies.$inferSelect;
export type OrderReviewRow = typeof orderReviews.$inferSelect;

/** Orders that count: a cancelled or refunded order was never a meal. */
const COUNTED = notInArray(orders.state, ['cancelled', 'refunded']);

const byId = prepared((db) =>
  db
    .select()
    .from(orders)
    .where(eq(orders.id, sql.placeholder('id')))
    .prepare(),
);

export function orderById(db: Reader | Tx, id: string): OrderRow | undefined {
  return byId(db).get({ id });
}

const linesOfOneQ = prepared((db) =>
  db
    .select()
    .from(orderLines)
    .where(eq(orderLines.orderId, sql.placeholder('orderId')))
    .orderBy(asc(orderLines.id))
    .prepare(),
);

export function linesOf(db: Reader | Tx, orderIds: string[]): OrderLineRow[] {
  if (orderIds.length === 0) return [];
  if (orderIds.length === 1) return linesOfOneQ(db).all({ orderId: orderIds[0]! });
  return db.select().from(orderLines).where(inArray(orderLines.orderId, orderIds)).orderBy(asc(orderLines.id)).all();
}

export function subsidiesOf(db: Reader | Tx, orderIds: string[]): OrderSubsidyRow[] {
  if (orderIds.length === 0) return [];
  return db.select().from(orderSubsidies).where(inArray(orderSubsidies.orderId, orderIds)).orderBy(asc(orderSubsidies.id)).all();
}

export function listOrders(
  db: Reader,
  f: { canteenIds: string[] | null; date?: string; mealPeriod?: MealPeriod; state?: OrderRow['state']; residentId?: string; limit: number; offset: number },
) {
  const conds: SQL[] = [];
  if (f.canteenIds) conds.push(f.canteenIds.length ? inArray(orders.canteenId, f.canteenIds) : sql`0`);
  if (f.date) conds.push(eq(orders.serviceDate, f.date));
  if (f.mealPeriod) conds.push(eq(orders.mealPeriod, f.mealPeriod));
  if (f.state) conds.push(eq(orders.state, f.state));
  if (f.residentId) conds.push(eq(orders.residentId, f.residentId));
  const where = conds.length ? and(...conds) : undefined;
  const items = db.select().from(orders).where(where).orderBy(desc(orders.createdAt)).limit(f.limit).offset(f.offset).all();
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(orders)
    .where(where)
    .get()!.n;
  return { items, total };
}

/** The counted orders of some canteens between two service dates, in the order they were placed. */
export function countedOrdersBetween(db: Reader | Tx, from: string, to: string, canteenIds: string[]): OrderRow[] {
  if (canteenIds.length === 0) return [];
  return db
    .select()
    .from(orders)
    .where(and(gte(orders.serviceDate, from), lte(orders.serviceDate, to), inArray(orders.canteenId, canteenIds), COUNTED))
    .orderBy(asc(orders.serviceDate), asc(orders.createdAt))
    .all();
}

const maxPickup = prepared((db) =>
  db
    .select({ n: sql<number | null>`max(${orders.pickupNumber})` })
    .from(orders)
    .where(
      and(
        eq(orders.canteenId, sql.placeholder('canteenId')),
        eq(orders.serviceDate, sql.placeholder('serviceDate')),
        eq(orders.mealPeriod, sql.placeholder('mealPeriod')),
      ),
    )
    .prepare(),
);

export function nextPickupNumber(tx: Tx, canteenId: string, serviceDate: string, mealPeriod: MealPeriod): number {
  return (maxPickup(tx).get({ canteenId, serviceDate, mealPeriod })?.n ?? 0) + 1;
}

const historyColumns = {
  residentId: orders.residentId,
  serviceDate: orders.serviceDate,
  mealPeriod: orders.mealPeriod,
  canteenId: orders.canteenId,
  layerKey: orderSubsidies.layerKey,
  amountFen: orderSubsidies.amountFen,
};
const PAID_SUBSIDY = sql`${orderSubsidies.amountFen} > 0`;

/** Every card tap, quote and order reads one resident's history: prepared once. */
const historyOfOneQ = prepared((db) =>
  db
    .select(historyColumns)
    .from(orderSubsidies)
    .innerJoin(orders, eq(orders.id, orderSubsidies.orderId))
    .where(
      and(
        eq(orders.residentId, sql.placeholder('residentId')),
        gte(orders.serviceDate, sql.placeholder('from')),
        lte(orders.serviceDate, sql.placeholder('to')),
        COUNTED,
        PAID_SUBSIDY,
      ),
    )
    .prepare(),
);

/** Paid subsidy rows of counted orders with a service date in [from, to]; of one resident, or of everyone. */
export function subsidyHistory(db: Reader | Tx, from: string, to: string, residentId?: string) {
  if (residentId !== undefined) return historyOfOneQ(db).all({ residentId, from, to });
  return db
    .select(historyColumns)
    .from(orderSubsidies)
    .innerJoin(orders, eq(orders.id, orderSubsidies.orderId))
    .where(and(sql`${orders.residentId} IS NOT NULL`, gte(orders.serviceDate, from), lte(orders.serviceDate, to), COUNTED, PAID_SUBSIDY))
    .all();
}

/** Total paid so far per layer (for layers with a budget); only by meals served before `beforeDate` when given. */
export function layerSpent(db: Reader | Tx, layerKeys: string[], beforeDate?: string): Record<string, number> {
  if (layerKeys.length === 0) return {};
  const rows = db
    .select({ layerKey: orderSubsidies.layerKey, total: sql<number>`sum(${orderSubsidies.amountFen})` })
    .from(orderSubsidies)
    .innerJoin(orders, eq(orders.id, orderSubsidies.orderId))
    .where(and(inArray(orderSubsidies.layerKey, layerKeys), COUNTED, beforeDate ? lt(orders.serviceDate, beforeDate) : undefined))
    .groupBy(orderSubsidies.layerKey)
    .all();
  return Object.fromEntries(rows.map((r) => [r.layerKey, Number(r.total)]));
}

const subsidisedMealQ = prepared((db) =>
  db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.residentId, sql.placeholder('residentId')),
        eq(orders.serviceDate, sql.placeholder('serviceDate')),
        eq(orders.mealPeriod, sql.placeholder('mealPeriod')),
        sql`${orders.elderSubsidyFen} > 0`,
        COUNTED,
      ),
    )
    .limit(1)
    .prepare(),
);

/** The resident already has a subsidised meal in this slot (the rule the orders_one_subsidised_meal index enforces). */
export function hasSubsidisedMeal(db: Reader | Tx, residentId: string, serviceDate: string, mealPeriod: MealPeriod): boolean {
  return !!subsidisedMealQ(db).get({ residentId, serviceDate, mealPeriod });
}

const byQuoteQ = prepared((db) =>
  db
    .select({ id: orders.id })
    .from(orders)
    .where(eq(orders.quoteId, sql.placeholder('quoteId')))
    .prepare(),
);

export function orderIdByQuote(db: Reader | Tx, quoteId: string): string | undefined {
  return byQuoteQ(db).get({ quoteId })?.id;
}

/** The resident's latest counted order in a meal slot, at any canteen. */
export function latestInSlot(db: Reader | Tx, residentId: string, serviceDate: string, mealPeriod: MealPeriod): OrderRow | undefined {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.residentId, residentId), eq(orders.serviceDate, serviceDate), eq(orders.mealPeriod, mealPeriod), COUNTED))
    .orderBy(desc(orders.createdAt))
    .limit(1)
    .get();
}

/** Residents with a counted order at a canteen on or after a service date. */
export function residentIdsAt(db: Reader | Tx, canteenId: string, fromDate: string): string[] {
  return db
    .selectDistinct({ id: orders.residentId })
    .from(orders)
    .where(and(eq(orders.canteenId, canteenId), gte(orders.serviceDate, fromDate), sql`${orders.residentId} IS NOT NULL`, COUNTED))
    .all()
    .map((r) => r.id!);
}

/** Residents with a subsidised meal (counted) in a slot, among the given ones. */
export function subsidisedSlotsBetween(db: Reader | Tx, from: string, to: string): { residentId: string; serviceDate: string; mealPeriod: MealPeriod }[] {
  return db
    .selectDistinct({ residentId: orders.residentId, serviceDate: orders.serviceDate, mealPeriod: orders.mealPeriod })
    .from(orders)
    .where(and(gte(orders.serviceDate, from), lte(orders.serviceDate, to), sql`${orders.elderSubsidyFen} > 0`, sql`${orders.residentId} IS NOT NULL`, COUNTED))
    .all()
    .map((r) => ({ residentId: r.residentId!, serviceDate: r.serviceDate, mealPeriod: r.mealPeriod }));
}

/** What a resident paid from the wallet on a service date through orders made offline (the offline limit a day). */
export function offlineWalletPaid(tx: Tx, residentId: string, serviceDate: string): number {
  const r = tx
    .select({ n: sql<number | null>`sum(${orders.elderPaysFen})` })
    .from(orders)
    .where(and(eq(orders.residentId, residentId), eq(orders.serviceDate, serviceDate), eq(orders.offline, true), eq(orders.paymentMethod, 'wallet'), COUNTED))
    .get();
  return Number(r?.n ?? 0);
}

export function insertReview(tx: Tx, row: OrderReviewRow): void {
  tx.insert(orderReviews).values(row).run();
}

export function reviewsOf(db: Reader | Tx, orderIds: string[]): OrderReviewRow[] {
  if (orderIds.length === 0) return [];
  return db.select().from(orderReviews).where(inArray(orderReviews.orderId, orderIds)).all();
}

/** Flagged reviews with a service date in [from, to] (optionally of one reason, of some canteens). */
export function flaggedReviews(db: Reader | Tx, f: { from: string; to: string; reason?: OrderReviewRow['reason']; canteenIds?: string[] }): OrderReviewRow[] {
  return db
    .select()
    .from(orderReviews)
    .where(
      and(
        eq(orderReviews.flagged, true),
        f.reason ? eq(orderReviews.reason, f.reason) : undefined,
        gte(orderReviews.serviceDate, f.from),
        lte(orderReviews.serviceDate, f.to),
        f.canteenIds ? (f.canteenIds.length ? inArray(orderReviews.canteenId, f.canteenIds) : sql`0`) : undefined,
      ),
    )
    .orderBy(asc(orderReviews.serviceDate), asc(orderReviews.createdAt))
    .all();
}

const lastOrderQ = prepared((db) =>
  db
    .select()
    .from(orders)
    .where(and(eq(orders.residentId, sql.placeholder('residentId')), notInArray(orders.state, ['cancelled'])))
    .orderBy(desc(orders.createdAt))
    .limit(1)
    .prepare(),
);

export function lastOrderOf(db: Reader | Tx, residentId: string): OrderRow | undefined {
  return lastOrderQ(db).get({ residentId });
}

/** Per canteen on one service date: counted orders, subsidised meals and what elders paid. */
export function dayFigures(db: Reader | Tx, serviceDate: string) {
  return db
    .select({
      canteenId: orders.canteenId,
      orders: sql<number>`count(*)`,
      subsidised: sql<number>`sum(case when ${orders.elderSubsidyFen} > 0 then 1 else 0 end)`,
      revenue: sql<number>`sum(${orders.elderPaysFen})`,
    })
    .from(orders)
    .where(and(eq(orders.serviceDate, serviceDate), COUNTED))
    .groupBy(orders.canteenId)
    .all();
}

const insertOrderQ = preparedInsert(orders);
const insertLineQ = preparedInsert(orderLines, ['id']);
const insertSubsidyQ = preparedInsert(orderSubsidies, ['id']);
const insertPaymentQ = preparedInsert(payments);

/** Insert an order (every column named); a unique index it breaks (one subsidised meal per slot, pickup number) comes back as UniqueViolation. */
export function insertOrder(tx: Tx, row: OrderRow): void {
  guardUnique(orders, () => insertOrderQ(tx).run(row));
}
export function insertLines(tx: Tx, rows: Omit<OrderLineRow, 'id'>[]): void {
  for (const r of rows) insertLineQ(tx).run(r);
}
export function insertSubsidies(tx: Tx, rows: Omit<OrderSubsidyRow, 'id'>[]): void {
  for (const r of rows) insertSubsidyQ(tx).run(r);
}
export function insertPayment(tx: Tx, row: typeof payments.$inferSelect): void {
  insertPaymentQ(tx).run(row);
}
export function updateOrder(tx: Tx, id: string, values: Partial<typeof orders.$inferInsert>): void {
  tx.update(orders).set(values).where(eq(orders.id, id)).run();
}
export function paymentsOf(db: Reader | Tx, orderId: string) {
  return db.select().from(payments).where(eq(payments.orderId, orderId)).all();
}

// ───────────── export (keyset pages) ─────────────

/** A canteen's orders between two service dates (narrowed as the list on screen), a page after `afterRowid`, in placing order. */
export function ordersForExport(
  db: Reader,
  f: { canteenId: string; from: string; to: string; mealPeriod?: MealPeriod; states?: readonly OrderRow['state'][] },
  afterRowid: number,
  limit: number,
): (OrderRow & { rowid: number })[] {
  const conds: SQL[] = [
    eq(orders.canteenId, f.canteenId),
    gte(orders.serviceDate, f.from),
    lte(orders.serviceDate, f.to),
    sql`${orders}.rowid > ${afterRowid}`,
  ];
  if (f.mealPeriod) conds.push(eq(orders.mealPeriod, f.mealPeriod));
  if (f.states) conds.push(inArray(orders.state, [...f.states]));
  return db
    .select({ rowid: sql<number>`${orders}.rowid`, ...getTableColumns(orders) })
    .from(orders)
    .where(and(...conds))
    .orderBy(sql`${orders}.rowid`)
    .limit(limit)
    .all();
}

import { and, asc, desc, eq, gte, inArray, lte, notInArray, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { deliveries, orderLines, orderSubsidies, orders, payments } from '../../db/schema';
import type { MealPeriod } from '@yishi/shared';

export type OrderRow = typeof orders.$inferSelect;

export function orderById(db: Reader | Tx, id: string): OrderRow | undefined {
  return db.select().from(orders).where(eq(orders.id, id)).get();
}

export function linesOf(db: Reader | Tx, orderIds: string[]) {
  if (orderIds.length === 0) return [];
  return db.select().from(orderLines).where(inArray(orderLines.orderId, orderIds)).orderBy(asc(orderLines.id)).all();
}

export function subsidiesOf(db: Reader | Tx, orderIds: string[]) {
  if (orderIds.length === 0) return [];
  return db.select().from(orderSubsidies).where(inArray(orderSubsidies.orderId, orderIds)).orderBy(asc(orderSubsidies.id)).all();
}

export function listOrders(
  db: Reader,
  f: { canteenIds: string[] | null; date?: string; mealPeriod?: MealPeriod; state?: OrderRow['state']; residentId?: string; limit: number; offset: number },
) {
  const conds = [];
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

export function nextPickupNumber(tx: Tx, canteenId: string, serviceDate: string, mealPeriod: MealPeriod): number {
  const row = tx
    .select({ n: sql<number | null>`max(${orders.pickupNumber})` })
    .from(orders)
    .where(and(eq(orders.canteenId, canteenId), eq(orders.serviceDate, serviceDate), eq(orders.mealPeriod, mealPeriod)))
    .get();
  return (row?.n ?? 0) + 1;
}

/** Subsidy history of a resident from `from` on, for the policy limits. Cancelled and refunded orders do not count. */
export function subsidyHistory(db: Reader | Tx, residentId: string, from: string, to: string) {
  return db
    .select({
      serviceDate: orders.serviceDate,
      mealPeriod: orders.mealPeriod,
      canteenId: orders.canteenId,
      layerKey: orderSubsidies.layerKey,
      amountFen: orderSubsidies.amountFen,
    })
    .from(orderSubsidies)
    .innerJoin(orders, eq(orders.id, orderSubsidies.orderId))
    .where(
      and(
        eq(orders.residentId, residentId),
        gte(orders.serviceDate, from),
        lte(orders.serviceDate, to),
        notInArray(orders.state, ['cancelled', 'refunded']),
        sql`${orderSubsidies.amountFen} > 0`,
      ),
    )
    .all();
}

/** Total paid so far per layer (for layers with a budget). */
export function layerSpent(db: Reader | Tx, layerKeys: string[]): Record<string, number> {
  if (layerKeys.length === 0) return {};
  const rows = db
    .select({ layerKey: orderSubsidies.layerKey, total: sql<number>`sum(${orderSubsidies.amountFen})` })
    .from(orderSubsidies)
    .innerJoin(orders, eq(orders.id, orderSubsidies.orderId))
    .where(and(inArray(orderSubsidies.layerKey, layerKeys), notInArray(orders.state, ['cancelled', 'refunded'])))
    .groupBy(orderSubsidies.layerKey)
    .all();
  return Object.fromEntries(rows.map((r) => [r.layerKey, Number(r.total)]));
}

export function lastOrderOf(db: Reader | Tx, residentId: string) {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.residentId, residentId), notInArray(orders.state, ['cancelled'])))
    .orderBy(desc(orders.createdAt))
    .limit(1)
    .get();
}

export function insertOrder(tx: Tx, row: typeof orders.$inferInsert) {
  tx.insert(orders).values(row).run();
}
export function insertLines(tx: Tx, rows: (typeof orderLines.$inferInsert)[]) {
  if (rows.length) tx.insert(orderLines).values(rows).run();
}
export function insertSubsidies(tx: Tx, rows: (typeof orderSubsidies.$inferInsert)[]) {
  if (rows.length) tx.insert(orderSubsidies).values(rows).run();
}
export function insertPayment(tx: Tx, row: typeof payments.$inferInsert) {
  tx.insert(payments).values(row).run();
}
export function insertDelivery(tx: Tx, row: typeof deliveries.$inferInsert) {
  tx.insert(deliveries).values(row).run();
}
export function updateOrder(tx: Tx, id: string, values: Partial<typeof orders.$inferInsert>) {
  tx.update(orders).set(values).where(eq(orders.id, id)).run();
}
export function paymentsOf(db: Reader | Tx, orderId: string) {
  return db.select().from(payments).where(eq(payments.orderId, orderId)).all();
}

/** The resident already has a subsidised meal in this slot (the rule the orders_one_subsidised_meal index enforces). */
export function hasSubsidisedMeal(db: Reader | Tx, residentId: string, serviceDate: string, mealPeriod: MealPeriod): boolean {
  return !!db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.residentId, residentId),
        eq(orders.serviceDate, serviceDate),
        eq(orders.mealPeriod, mealPeriod),
        sql`${orders.elderSubsidyFen} > 0`,
        notInArray(orders.state, ['cancelled', 'refunded']),
      ),
    )
    .limit(1)
    .get();
}

import { and, asc, desc, eq, gte, inArray, lt, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import type { MealPeriod } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import { guardUnique, prepared, preparedInsert } from '../../db/client';
import { orderLines, orderSubsidies, orders, payments } from '../../db/schema';

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type OrderSubsidyRow = typeof orderSubsidies.$inferSelect;

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

// ───────────── a month replayed (what-if): lean rows, one scan each ─────────────

/** A counted order as a replay needs it. */
export interface ReplayOrderRow {
  id: string;
  canteenId: string;
  residentId: string | null;
  serviceDate: string;
  mealPeriod: MealPeriod;
  fulfilment: OrderRow['fulfilment'];
  elderSubsidyFen: number;
  elderPaysFen: number;
  operatorSubsidyFen: number;
  residentCategory: string | null;
}

/** Every counted order with a service date in [from, to], in the order it was placed (rowid breaks a tie in time). */
export function replayOrders(db: Reader | Tx, from: string, to: string): ReplayOrderRow[] {
  return db
    .values<[string, string, string | null, string, MealPeriod, OrderRow['fulfilment'], number, number, number, string | null]>(
      sql`
    SELECT id, canteen_id, resident_id, service_date, meal_period, fulfilment, elder_subsidy_fen, elder_pays_fen, operator_subsidy_fen,
           resident_category
    FROM orders
    WHERE service_date >= ${from} AND service_date <= ${to} AND state NOT IN ('cancelled', 'refunded')
    ORDER BY service_date, created_at, rowid`,
    )
    .map(([id, canteenId, residentId, serviceDate, mealPeriod, fulfilment, elderSubsidyFen, elderPaysFen, operatorSubsidyFen, residentCategory]) => ({
      id,
      canteenId,
      residentId,
      serviceDate,
      mealPeriod,
      fulfilment,
      elderSubsidyFen,
      elderPaysFen,
      operatorSubsidyFen,
      residentCategory,
    }));
}

/** The lines of those orders, in the order they were stored. */
export function replayLines(db: Reader | Tx, from: string, to: string): [orderId: string, dishId: string, unitPriceFen: number, quantity: number][] {
  return db.values(sql`
    SELECT l.order_id, l.dish_id, l.unit_price_fen, l.quantity
    FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE o.service_date >= ${from} AND o.service_date <= ${to} AND o.state NOT IN ('cancelled', 'refunded')
    ORDER BY l.id`);
}

/** The stored split of an order, every layer considered (paid or not), in the order it was stored. */
export interface SplitRow {
  orderId: string;
  layerKey: string;
  policyVersionId: string;
  layerId: string;
  layerName: string;
  payer: string;
  kind: string;
  amountFen: number;
  reason: string;
}

/** The stored splits of some orders (what-if reads them only for the orders it reports), with their version ids. */
export function splitsOf(db: Reader | Tx, orderIds: readonly string[]): SplitRow[] {
  if (orderIds.length === 0) return [];
  return db.all<SplitRow>(sql`
    SELECT order_id AS orderId, layer_key AS layerKey, policy_version_id AS policyVersionId, layer_id AS layerId,
           layer_name AS layerName, payer, kind, amount_fen AS amountFen, reason
    FROM order_subsidies WHERE order_id IN (SELECT value FROM json_each(${JSON.stringify(orderIds)}))
    ORDER BY id`);
}

export function versionIdsOf(db: Reader | Tx, orderIds: readonly string[]): Map<string, string[]> {
  if (orderIds.length === 0) return new Map();
  const rows = db.all<{ id: string; ids: string }>(
    sql`SELECT id, policy_version_ids AS ids FROM orders WHERE id IN (SELECT value FROM json_each(${JSON.stringify(orderIds)}))`,
  );
  return new Map(rows.map((r) => [r.id, JSON.parse(r.ids) as string[]]));
}

/** What each payer was paid, as stored, for the counted orders of some canteens in [from, to]: summed in SQL. */
export function paidByPayer(db: Reader | Tx, from: string, to: string, canteenIds: readonly string[]): { payer: string; kind: string; amountFen: number }[] {
  if (canteenIds.length === 0) return [];
  return db
    .all<{ payer: string; kind: string; amountFen: number }>(
      sql`
    SELECT s.payer, s.kind, SUM(s.amount_fen) AS amountFen
    FROM orders o JOIN order_subsidies s ON s.order_id = o.id
    WHERE o.service_date >= ${from} AND o.service_date <= ${to} AND o.state NOT IN ('cancelled', 'refunded')
      AND o.canteen_id IN (SELECT value FROM json_each(${JSON.stringify(canteenIds)})) AND s.amount_fen > 0
    GROUP BY s.payer, s.kind`,
    )
    .map((r) => ({ ...r, amountFen: Number(r.amountFen) }));
}

/** Everyone's paid subsidy rows with a service date in [from, to] (the history a replay starts from). */
export function replayHistory(
  db: Reader | Tx,
  from: string,
  to: string,
): { residentId: string; serviceDate: string; mealPeriod: MealPeriod; canteenId: string; layerKey: string; amountFen: number }[] {
  return db.all(sql`
    SELECT o.resident_id AS residentId, o.service_date AS serviceDate, o.meal_period AS mealPeriod, o.canteen_id AS canteenId,
           s.layer_key AS layerKey, s.amount_fen AS amountFen
    FROM orders o JOIN order_subsidies s ON s.order_id = o.id
    WHERE o.resident_id IS NOT NULL AND o.service_date >= ${from} AND o.service_date <= ${to}
      AND o.state NOT IN ('cancelled', 'refunded') AND s.amount_fen > 0
    ORDER BY o.service_date, o.created_at, o.rowid, s.id`);
}

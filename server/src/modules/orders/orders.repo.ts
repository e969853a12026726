import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import type { MealPeriod } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import { guardUnique, keyedRead, prepared, preparedInsert } from '../../db/client';
import { orderLines, orderReviews, orderSubsidies, orders, payments, refusedOrders } from '../../db/schema';

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type OrderSubsidyRow = typeof orderSubsidies.$inferSelect;
export type OrderReviewRow = typeof orderReviews.$inferSelect;
export type RefusedOrderRow = typeof refusedOrders.$inferSelect;

/** Orders that count: a cancelled or refunded order was never a meal. */
/** The states of an order that no longer counts (not paid for, not subsidised, not in any history or claim). */
const UNCOUNTED: readonly OrderRow['state'][] = ['cancelled', 'refunded'];
const COUNTED = notInArray(orders.state, [...UNCOUNTED]);

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

export interface OrderListFilter {
  canteenIds: string[] | null;
  date?: string;
  from?: string;
  to?: string;
  mealPeriod?: MealPeriod;
  states?: OrderRow['state'][];
  fulfilment?: OrderRow['fulfilment'];
  paymentMethod?: OrderRow['paymentMethod'];
  pickupNumber?: number;
  /** The end of the order id (订单尾号), hex only (the query schema checks it). */
  ref?: string;
  residentId?: string;
  sort: 'createdAt' | 'pickupNumber' | 'elderPaysFen';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

function listWhere(f: OrderListFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.canteenIds) conds.push(f.canteenIds.length ? inArray(orders.canteenId, f.canteenIds) : sql`0`);
  if (f.date) conds.push(eq(orders.serviceDate, f.date));
  if (f.from) conds.push(gte(orders.serviceDate, f.from));
  if (f.to) conds.push(lte(orders.serviceDate, f.to));
  if (f.mealPeriod) conds.push(eq(orders.mealPeriod, f.mealPeriod));
  if (f.states?.length) conds.push(f.states.length === 1 ? eq(orders.state, f.states[0]!) : inArray(orders.state, f.states));
  if (f.fulfilment) conds.push(eq(orders.fulfilment, f.fulfilment));
  if (f.paymentMethod) conds.push(eq(orders.paymentMethod, f.paymentMethod));
  if (f.pickupNumber !== undefined) conds.push(eq(orders.pickupNumber, f.pickupNumber));
  if (f.ref) conds.push(sql`${orders.id} LIKE ${`%${f.ref.toLowerCase()}`}`);
  if (f.residentId) conds.push(eq(orders.residentId, f.residentId));
  return conds.length ? and(...conds) : undefined;
}

const SORT_COLUMNS = { createdAt: orders.createdAt, pickupNumber: orders.pickupNumber, elderPaysFen: orders.elderPaysFen } as const;

/** The query a page of the orders list runs (exported so a test can EXPLAIN it). */
export function orderPageQuery(db: Reader, f: OrderListFilter) {
  const dir = f.order === 'asc' ? asc : desc;
  return db.select().from(orders).where(listWhere(f)).orderBy(dir(SORT_COLUMNS[f.sort]), dir(orders.id)).limit(f.limit).offset(f.offset);
}

/** One page of orders with the total that match: filtered, sorted and paged in SQL over indexed columns. */
export function listOrders(db: Reader, f: OrderListFilter) {
  const items = orderPageQuery(db, f).all();
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(orders)
    .where(listWhere(f))
    .get()!.n;
  return { items, total };
}

// ───────────── a canteen's day, added up (the daily close) ─────────────

/** Order counts and amounts of one canteen's day, grouped by category, meal period, state and fulfilment. */
export function dayOrderGroups(db: Reader | Tx, canteenId: string, serviceDate: string) {
  return db
    .select({
      category: orders.residentCategory,
      mealPeriod: orders.mealPeriod,
      state: orders.state,
      fulfilment: orders.fulfilment,
      n: sql<number>`count(*)`,
      mealPriceFen: sql<number>`coalesce(sum(${orders.mealPriceFen}), 0)`,
      elderSubsidyFen: sql<number>`coalesce(sum(${orders.elderSubsidyFen}), 0)`,
      elderPaysFen: sql<number>`coalesce(sum(${orders.elderPaysFen}), 0)`,
      operatorSubsidyFen: sql<number>`coalesce(sum(${orders.operatorSubsidyFen}), 0)`,
    })
    .from(orders)
    .where(and(eq(orders.canteenId, canteenId), eq(orders.serviceDate, serviceDate)))
    .groupBy(orders.residentCategory, orders.mealPeriod, orders.state, orders.fulfilment)
    .all();
}

/** Money received and refunded for one canteen's day, per method and direction (the payments table). */
export function dayPaymentGroups(db: Reader | Tx, canteenId: string, serviceDate: string) {
  return db
    .select({
      method: payments.method,
      direction: payments.direction,
      n: sql<number>`count(*)`,
      amountFen: sql<number>`coalesce(sum(${payments.amountFen}), 0)`,
    })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(and(eq(orders.canteenId, canteenId), eq(orders.serviceDate, serviceDate)))
    .groupBy(payments.method, payments.direction)
    .all();
}

/** Subsidy of one canteen's counted orders of a day, per payer and kind. */
export function daySubsidyGroups(db: Reader | Tx, canteenId: string, serviceDate: string) {
  return db
    .select({
      payer: orderSubsidies.payer,
      kind: orderSubsidies.kind,
      n: sql<number>`count(*)`,
      amountFen: sql<number>`coalesce(sum(${orderSubsidies.amountFen}), 0)`,
    })
    .from(orderSubsidies)
    .innerJoin(orders, eq(orders.id, orderSubsidies.orderId))
    .where(and(eq(orders.canteenId, canteenId), eq(orders.serviceDate, serviceDate), COUNTED, sql`${orderSubsidies.amountFen} > 0`))
    .groupBy(orderSubsidies.payer, orderSubsidies.kind)
    .all();
}

/** Orders of a canteen's day in a given state (e.g. counter orders still awaiting payment), in pickup order. */
export function dayOrdersInState(db: Reader | Tx, canteenId: string, serviceDate: string, state: OrderRow['state']): OrderRow[] {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.canteenId, canteenId), eq(orders.serviceDate, serviceDate), eq(orders.state, state)))
    .orderBy(asc(orders.mealPeriod), asc(orders.pickupNumber))
    .all();
}

/** Orders of a canteen's day placed or changed (paid, cancelled, refunded) at or after an instant. */
export function dayOrdersChangedSince(db: Reader | Tx, canteenId: string, serviceDate: string, since: string): OrderRow[] {
  return db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.canteenId, canteenId),
        eq(orders.serviceDate, serviceDate),
        sql`(${orders.createdAt} >= ${since} OR ${orders.paidAt} >= ${since} OR ${orders.cancelledAt} >= ${since} OR ${orders.refundedAt} >= ${since})`,
      ),
    )
    .orderBy(asc(orders.mealPeriod), asc(orders.pickupNumber))
    .all();
}

/** The service dates in [from, to] on which a canteen served counted orders, with the meal periods served. */
export function servedSlots(db: Reader | Tx, canteenId: string, from: string, to: string) {
  return db
    .select({ serviceDate: orders.serviceDate, mealPeriod: orders.mealPeriod, n: sql<number>`count(*)` })
    .from(orders)
    .where(and(eq(orders.canteenId, canteenId), gte(orders.serviceDate, from), lte(orders.serviceDate, to), COUNTED))
    .groupBy(orders.serviceDate, orders.mealPeriod)
    .all();
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

/** A paid subsidy row of a counted order, as pricing reads a resident's history. */
export interface HistoryRow {
  residentId: string | null;
  serviceDate: string;
  mealPeriod: MealPeriod;
  canteenId: string;
  layerKey: string;
  amountFen: number;
}

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
/**
 * One resident's history, kept per resident (a card tap, its quote and its order read the same window within a
 * second): dropped after the COMMIT of any write that names the resident (`history.touching`, in every write below)
 * and entirely after a write of orders or their subsidies that names none.
 */
const history = keyedRead([orders, orderSubsidies], (db, residentId: string, from: string, to: string): HistoryRow[] => {
  // Read as arrays and named here: drizzle's row mapping (instance checks for every field of every row) cost
  // about as much as the read. The columns are those of historyColumns, in order.
  const rows = historyOfOneQ(db).values({ residentId, from, to }) as [string | null, string, MealPeriod, string, string, number][];
  return rows.map(([rid, serviceDate, mealPeriod, canteenId, layerKey, amountFen]) => ({
    residentId: rid,
    serviceDate,
    mealPeriod,
    canteenId,
    layerKey,
    amountFen,
  }));
});

export function subsidyHistory(db: Reader | Tx, from: string, to: string, residentId?: string): readonly HistoryRow[] {
  if (residentId !== undefined) return history.read(db, residentId, from, to);
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

const subsidisedMealQ = prepared(
  (db) =>
    db
      .select({ id: orders.id })
      .from(orders)
      .where(
        and(
          eq(orders.residentId, sql.placeholder('residentId')),
          eq(orders.serviceDate, sql.placeholder('serviceDate')),
          eq(orders.mealPeriod, sql.placeholder('mealPeriod')),
          // Written as the partial index orders_one_subsidised_meal states it (constants, not bound values): only
          // then can SQLite use that index; otherwise it scans the day's orders of the whole city.
          sql`elder_subsidy_fen > 0 AND state NOT IN ('cancelled', 'refunded')`,
        ),
      )
      .prepare(), // no LIMIT: get() stops at the first row (see `prepared`)
);

/**
 * Whether a resident had a subsidised meal in a slot, kept per resident (the card tap, its quote and its order ask it
 * within a second): a new order amends it after the COMMIT, any other write of the resident's orders drops theirs
 * (`insertOrder`, `updateOrder`).
 */
const subsidisedSlot = keyedRead([orders], (db, residentId: string, serviceDate: string, mealPeriod: MealPeriod): boolean =>
  Boolean(subsidisedMealQ(db).get({ residentId, serviceDate, mealPeriod })),
);

/** The resident already has a subsidised meal in this slot (the rule the orders_one_subsidised_meal index enforces). */
export function hasSubsidisedMeal(db: Reader | Tx, residentId: string, serviceDate: string, mealPeriod: MealPeriod): boolean {
  return subsidisedSlot.read(db, residentId, serviceDate, mealPeriod);
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
const latestInSlotQ = prepared(
  (db) =>
    db
      .select()
      .from(orders)
      .where(
        and(
          eq(orders.residentId, sql.placeholder('residentId')),
          eq(orders.serviceDate, sql.placeholder('serviceDate')),
          eq(orders.mealPeriod, sql.placeholder('mealPeriod')),
          COUNTED,
        ),
      )
      // Unary + keeps SQLite on orders_resident (the slot's few orders, then sorted) rather than walking all of the
      // resident's orders newest first through orders_resident_created when they have none in the slot.
      .orderBy(sql`+${orders.createdAt} desc`)
      .prepare(), // no LIMIT: get() stops at the first row (see `prepared`)
);

export function latestInSlot(db: Reader | Tx, residentId: string, serviceDate: string, mealPeriod: MealPeriod): OrderRow | undefined {
  return latestInSlotQ(db).get({ residentId, serviceDate, mealPeriod });
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

export interface LateReviewFilter {
  from: string;
  to: string;
  canteenIds: string[];
  status: 'open' | 'resolved' | 'all';
}
export type LateReviewRow = OrderReviewRow & { pickupNumber: number; orderState: OrderRow['state']; offline: boolean };

/** Flagged reviews of some canteens over service dates (indexed: order_reviews_day), oldest first; a page and the count. */
export function lateReviews(db: Reader, f: LateReviewFilter, limit: number, offset: number): { items: LateReviewRow[]; total: number } {
  if (f.canteenIds.length === 0) return { items: [], total: 0 };
  const where = and(
    gte(orderReviews.serviceDate, f.from),
    lte(orderReviews.serviceDate, f.to),
    inArray(orderReviews.canteenId, f.canteenIds),
    eq(orderReviews.flagged, true),
    f.status === 'open' ? sql`${orderReviews.resolvedAt} IS NULL` : f.status === 'resolved' ? sql`${orderReviews.resolvedAt} IS NOT NULL` : undefined,
  );
  const items = db
    .select({ ...getTableColumns(orderReviews), pickupNumber: orders.pickupNumber, orderState: orders.state, offline: orders.offline })
    .from(orderReviews)
    .innerJoin(orders, eq(orders.id, orderReviews.orderId))
    .where(where)
    .orderBy(asc(orderReviews.serviceDate), asc(orderReviews.createdAt), asc(orderReviews.orderId))
    .limit(limit)
    .offset(offset)
    .all();
  const total =
    db
      .select({ n: sql<number>`count(*)` })
      .from(orderReviews)
      .where(where)
      .get()?.n ?? 0;
  return { items, total: Number(total) };
}

/** Settle a flagged review once: false when it is not flagged or was settled already (a double tap, another reviewer). */
export function resolveReview(
  tx: Tx,
  orderId: string,
  values: Pick<OrderReviewRow, 'resolution' | 'resolutionNote' | 'resolvedAt' | 'resolvedBy' | 'resolvedByName'>,
): boolean {
  const r = tx
    .update(orderReviews)
    .set(values)
    .where(and(eq(orderReviews.orderId, orderId), eq(orderReviews.flagged, true), sql`${orderReviews.resolvedAt} IS NULL`))
    .run();
  return r.changes === 1;
}

// ───────────── orders a kiosk priced offline that were refused when they arrived ─────────────

/** Keep a refusal once per order id (a kiosk that sends it again changes nothing); false when one was kept already. */
export function insertRefused(tx: Tx, row: RefusedOrderRow): boolean {
  return tx.insert(refusedOrders).values(row).onConflictDoNothing().run().changes === 1;
}

export function refusedById(db: Reader | Tx, orderId: string): RefusedOrderRow | undefined {
  return db.select().from(refusedOrders).where(eq(refusedOrders.orderId, orderId)).get();
}

/** Refusals of some canteens over service dates (indexed: refused_orders_day), newest first; a page and the count. */
export function refusedList(
  db: Reader,
  f: { from: string; to: string; canteenIds: string[]; status: 'open' | 'handled' | 'all' },
  limit: number,
  offset: number,
): { items: RefusedOrderRow[]; total: number } {
  if (f.canteenIds.length === 0) return { items: [], total: 0 };
  const where = and(
    gte(refusedOrders.serviceDate, f.from),
    lte(refusedOrders.serviceDate, f.to),
    inArray(refusedOrders.canteenId, f.canteenIds),
    f.status === 'open' ? sql`${refusedOrders.handledAt} IS NULL` : f.status === 'handled' ? sql`${refusedOrders.handledAt} IS NOT NULL` : undefined,
  );
  const items = db
    .select()
    .from(refusedOrders)
    .where(where)
    .orderBy(desc(refusedOrders.serviceDate), desc(refusedOrders.receivedAt), asc(refusedOrders.orderId))
    .limit(limit)
    .offset(offset)
    .all();
  const total =
    db
      .select({ n: sql<number>`count(*)` })
      .from(refusedOrders)
      .where(where)
      .get()?.n ?? 0;
  return { items, total: Number(total) };
}

/** Mark a refusal handled once: false when it was handled already (a double tap, another member of staff). */
export function markRefusedHandled(
  tx: Tx,
  orderId: string,
  values: Pick<RefusedOrderRow, 'handledAt' | 'handledBy' | 'handledByName' | 'handledNote'>,
): boolean {
  return (
    tx
      .update(refusedOrders)
      .set(values)
      .where(and(eq(refusedOrders.orderId, orderId), sql`${refusedOrders.handledAt} IS NULL`))
      .run().changes === 1
  );
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

const lastOrderQ = prepared(
  (db) =>
    db
      // Only what "和上次一样" needs: every card tap asks.
      .select({ id: orders.id, serviceDate: orders.serviceDate, mealPeriod: orders.mealPeriod })
      .from(orders)
      // A refunded meal is not one to order again (and not a meal: UNCOUNTED).
      .where(and(eq(orders.residentId, sql.placeholder('residentId')), COUNTED))
      .orderBy(desc(orders.createdAt))
      .prepare(), // no LIMIT: get() stops at the first row (see `prepared`)
);

export function lastOrderOf(db: Reader | Tx, residentId: string): Pick<OrderRow, 'id' | 'serviceDate' | 'mealPeriod'> | undefined {
  return lastOrderQ(db).get({ residentId });
}

/**
 * Per canteen on one service date: counted orders, subsidised meals, and the elders' part by where the money
 * stands: received (paid, ready, completed), still awaited at the counter, refunded; and received per method.
 */
export function dayFigures(db: Reader | Tx, serviceDate: string) {
  return db
    .select({
      canteenId: orders.canteenId,
      orders: sql<number>`sum(case when ${orders.state} not in ('cancelled', 'refunded') then 1 else 0 end)`,
      subsidised: sql<number>`sum(case when ${orders.elderSubsidyFen} > 0 and ${orders.state} not in ('cancelled', 'refunded') then 1 else 0 end)`,
      paid: sql<number>`sum(case when ${orders.state} in ('paid', 'ready', 'completed') then ${orders.elderPaysFen} else 0 end)`,
      awaiting: sql<number>`sum(case when ${orders.state} = 'awaiting_payment' then ${orders.elderPaysFen} else 0 end)`,
      awaitingCount: sql<number>`sum(case when ${orders.state} = 'awaiting_payment' then 1 else 0 end)`,
      refunded: sql<number>`sum(case when ${orders.state} = 'refunded' then ${orders.elderPaysFen} else 0 end)`,
      cash: sql<number>`sum(case when ${orders.state} in ('paid', 'ready', 'completed') and ${orders.paymentMethod} = 'cash' then ${orders.elderPaysFen} else 0 end)`,
      wallet: sql<number>`sum(case when ${orders.state} in ('paid', 'ready', 'completed') and ${orders.paymentMethod} = 'wallet' then ${orders.elderPaysFen} else 0 end)`,
      external: sql<number>`sum(case when ${orders.state} in ('paid', 'ready', 'completed') and ${orders.paymentMethod} = 'external' then ${orders.elderPaysFen} else 0 end)`,
    })
    .from(orders)
    .where(eq(orders.serviceDate, serviceDate))
    .groupBy(orders.canteenId)
    .all();
}

const insertOrderQ = preparedInsert(orders);
const insertLineQ = preparedInsert(orderLines, ['id']);
const insertSubsidyQ = preparedInsert(orderSubsidies, ['id']);
const insertPaymentQ = preparedInsert(payments);

/**
 * A write of one resident's orders (group '' for guests), naming them to both kept reads of orders: the history and
 * the subsidised slot; each amended as said, or dropped.
 */
function touchingResident<R>(
  tx: Tx,
  residentId: string | null,
  write: () => R,
  amend: {
    history?: (kept: HistoryRow[]) => HistoryRow[];
    slot?: (kept: boolean, serviceDate: string, mealPeriod: MealPeriod) => boolean;
  } = {},
): R {
  const group = residentId ?? '';
  return history.touching(tx, group, () => subsidisedSlot.touching(tx, group, write, amend.slot), amend.history);
}

/** Insert an order (every column named); a unique index it breaks (one subsidised meal per slot, pickup number) comes back as UniqueViolation. */
export function insertOrder(tx: Tx, row: OrderRow): void {
  const subsidised = row.elderSubsidyFen > 0 && !UNCOUNTED.includes(row.state);
  touchingResident(tx, row.residentId, () => guardUnique(orders, () => insertOrderQ(tx).run(row)), {
    // An order without its subsidy rows adds nothing to the history (it is read through them): kept as it is.
    history: (kept) => kept,
    slot: (kept, serviceDate, mealPeriod) => kept || (subsidised && serviceDate === row.serviceDate && mealPeriod === row.mealPeriod),
  });
}
export function insertLines(tx: Tx, rows: Omit<OrderLineRow, 'id'>[]): void {
  for (const r of rows) insertLineQ(tx).run(r);
}
/**
 * The subsidy rows of a new order (`order`: the row just inserted; a guest's has no resident). Its paid rows are
 * appended to the resident's kept history after the COMMIT, where the window takes in its date, as a fresh read
 * would find them, instead of the history being read again.
 */
export function insertSubsidies(
  tx: Tx,
  order: Pick<OrderRow, 'residentId' | 'serviceDate' | 'mealPeriod' | 'canteenId' | 'state'>,
  rows: Omit<OrderSubsidyRow, 'id'>[],
): void {
  const { residentId, serviceDate, mealPeriod, canteenId, state } = order;
  history.touching(
    tx,
    residentId ?? '',
    () => {
      for (const r of rows) insertSubsidyQ(tx).run(r);
    },
    (kept, from, to) => {
      if (UNCOUNTED.includes(state) || serviceDate < from || serviceDate > to) return kept;
      const paid = rows.filter((r) => r.amountFen > 0);
      return paid.length === 0
        ? kept
        : [...kept, ...paid.map((r) => ({ residentId, serviceDate, mealPeriod, canteenId, layerKey: r.layerKey, amountFen: r.amountFen }))];
    },
  );
}
export function insertPayment(tx: Tx, row: typeof payments.$inferSelect): void {
  insertPaymentQ(tx).run(row);
}
/** Change an order (its state and times); `order` names the order and whose it is. */
export function updateOrder(tx: Tx, order: Pick<OrderRow, 'id' | 'residentId'>, values: Partial<typeof orders.$inferInsert>): void {
  touchingResident(tx, order.residentId, () => tx.update(orders).set(values).where(eq(orders.id, order.id)).run());
}
export function statesOf(db: Reader | Tx, ids: string[]): Map<string, OrderRow['state']> {
  if (ids.length === 0) return new Map();
  return new Map(
    db
      .select({ id: orders.id, state: orders.state })
      .from(orders)
      .where(inArray(orders.id, ids))
      .all()
      .map((r) => [r.id, r.state]),
  );
}
export function paymentsOf(db: Reader | Tx, orderId: string) {
  return db.select().from(payments).where(eq(payments.orderId, orderId)).all();
}

// ───────────── export (keyset pages) ─────────────

/** A canteen's orders between two service dates (narrowed as the list on screen), a page after `afterRowid`, in placing order. */
export function ordersForExport(
  db: Reader,
  f: {
    canteenId: string;
    from: string;
    to: string;
    mealPeriod?: MealPeriod;
    states?: readonly OrderRow['state'][];
    fulfilment?: OrderRow['fulfilment'];
    paymentMethod?: OrderRow['paymentMethod'];
  },
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
  if (f.fulfilment) conds.push(eq(orders.fulfilment, f.fulfilment));
  if (f.paymentMethod) conds.push(eq(orders.paymentMethod, f.paymentMethod));
  return db
    .select({ rowid: sql<number>`${orders}.rowid`, ...getTableColumns(orders) })
    .from(orders)
    .where(and(...conds))
    .orderBy(sql`${orders}.rowid`)
    .limit(limit)
    .all();
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

/**
 * The claims module's SQL: its own tables (claims, claim_lines, claim_orders, claim_disallowances,
 * claim_adjustments, claim_events, claim_payer_settings), and the aggregates that READ the orders module's tables
 * (orders, order_subsidies) to draft a claim and snapshot its orders: one statement each, over the period's
 * orders through the `orders_settlement` index, never a month of orders in JavaScript.
 *
 * Which orders a claim counts: those of the canteen with a service date in the period, in state paid, ready or
 * completed (served or paid; cancelled never, refunded not, awaiting payment not yet), with at least one stored
 * split (order_subsidies) of the claim's payer above zero. A line is the sum of those splits by the order's
 * category (orders.resident_category), meal period and the layer's kind.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { ClaimState } from '@yishi/shared';
import type { Db, Reader, Tx } from '../../db/client';
import { guardUnique, insertMany } from '../../db/client';
import { claimAdjustments, claimDisallowances, claimEvents, claimLines, claimOrders, claimPayerSettings, claims, orders } from '../../db/schema';

export type ClaimRow = typeof claims.$inferSelect;
export type ClaimLineRow = typeof claimLines.$inferSelect;
export type DisallowanceRow = typeof claimDisallowances.$inferSelect;
export type AdjustmentRow = typeof claimAdjustments.$inferSelect;
export type EventRow = typeof claimEvents.$inferSelect;
export type PayerSettingRow = typeof claimPayerSettings.$inferSelect;

const COUNTED = sql.raw(`o.state IN ('paid', 'ready', 'completed')`);

function inScope(canteenIds: string[] | null, column = sql.raw('o.canteen_id')): SQL {
  return canteenIds === null ? sql`1` : sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(canteenIds)}))`;
}

// ───────────── aggregates over the orders ─────────────

export interface LineAggregate {
  canteenId: string;
  payer: string;
  category: string | null;
  mealPeriod: string;
  /** Distinct orders of the group (each order is in exactly one category and meal period). */
  orders: number;
  mealOrders: number;
  mealFen: number;
  deliveryOrders: number;
  deliveryFen: number;
  operatingOrders: number;
  operatingFen: number;
}

/** The tables the line aggregates read: a write to them since a mark makes aggregates read off the write stale. */
export const LINE_SOURCES = ['orders', 'order_subsidies'] as const;

/** The claim lines of a period for some canteens and payers (null = all), per canteen, payer, category and meal. */
export function lineAggregates(db: Db, from: string, to: string, canteenIds: string[] | null, payers: string[] | null): Promise<LineAggregate[]> {
  // On the read worker thread: at city scale the aggregate takes long enough to hold every kiosk's order.
  return db.offThread.all<LineAggregate>(lineAggregatesQuery(from, to, canteenIds, payers));
}

/** The same aggregates inside a write (the state it commits on), when the ones read off the write went stale. */
export function lineAggregatesIn(tx: Tx, from: string, to: string, canteenIds: string[] | null, payers: string[] | null): LineAggregate[] {
  return tx.all<LineAggregate>(lineAggregatesQuery(from, to, canteenIds, payers));
}

function lineAggregatesQuery(from: string, to: string, canteenIds: string[] | null, payers: string[] | null): SQL {
  return sql`
    SELECT o.canteen_id AS canteenId, s.payer AS payer, o.resident_category AS category, o.meal_period AS mealPeriod,
      count(DISTINCT o.id) AS orders,
      count(DISTINCT CASE WHEN s.kind = 'meal' THEN o.id END) AS mealOrders,
      coalesce(sum(CASE WHEN s.kind = 'meal' THEN s.amount_fen END), 0) AS mealFen,
      count(DISTINCT CASE WHEN s.kind = 'delivery' THEN o.id END) AS deliveryOrders,
      coalesce(sum(CASE WHEN s.kind = 'delivery' THEN s.amount_fen END), 0) AS deliveryFen,
      count(DISTINCT CASE WHEN s.kind = 'operating' THEN o.id END) AS operatingOrders,
      coalesce(sum(CASE WHEN s.kind = 'operating' THEN s.amount_fen END), 0) AS operatingFen
    FROM orders o INDEXED BY orders_report JOIN order_subsidies s ON s.order_id = o.id -- covering: resident_category is in orders_report
    WHERE o.service_date BETWEEN ${from} AND ${to} AND ${COUNTED} AND o.elder_subsidy_fen + o.operator_subsidy_fen > 0
      AND ${inScope(canteenIds)} AND s.amount_fen > 0 AND ${payers === null ? sql`1` : sql`s.payer IN (SELECT value FROM json_each(${JSON.stringify(payers)}))`}
    GROUP BY o.canteen_id, s.payer, o.resident_category, o.meal_period`;
}

/** Orders of a canteen's period still waiting for payment (a claim is not submitted while there are any). */
export function awaitingPayment(db: Reader | Tx, canteenId: string, from: string, to: string): { n: number; first: string | null } {
  const r = db.get<{ n: number; first: string | null }>(sql`
    SELECT count(*) AS n, min(o.service_date) AS first FROM orders o INDEXED BY orders_settlement
    WHERE o.service_date BETWEEN ${from} AND ${to} AND o.canteen_id = ${canteenId} AND o.state = 'awaiting_payment'`);
  return { n: Number(r?.n ?? 0), first: r?.first ?? null };
}

/** Snapshot the claim's orders with this payer's amounts per kind (submission). */
export function snapshotOrders(tx: Tx, claim: ClaimRow): number {
  tx.delete(claimOrders).where(eq(claimOrders.claimId, claim.id)).run();
  const r = tx.run(sql`
    INSERT INTO claim_orders (claim_id, order_id, service_date, meal_period, category, meal_fen, delivery_fen, operating_fen, amount_fen)
    SELECT ${claim.id}, o.id, o.service_date, o.meal_period, o.resident_category,
      coalesce(sum(CASE WHEN s.kind = 'meal' THEN s.amount_fen END), 0),
      coalesce(sum(CASE WHEN s.kind = 'delivery' THEN s.amount_fen END), 0),
      coalesce(sum(CASE WHEN s.kind = 'operating' THEN s.amount_fen END), 0),
      sum(s.amount_fen)
    FROM orders o INDEXED BY orders_settlement JOIN order_subsidies s ON s.order_id = o.id
    WHERE o.service_date BETWEEN ${claim.periodFrom} AND ${claim.periodTo} AND o.canteen_id = ${claim.canteenId} AND ${COUNTED}
      AND o.elder_subsidy_fen + o.operator_subsidy_fen > 0 AND s.payer = ${claim.payer} AND s.amount_fen > 0
    GROUP BY o.id`);
  return r.changes;
}

export function dropSnapshot(tx: Tx, claimId: string): void {
  tx.delete(claimOrders).where(eq(claimOrders.claimId, claimId)).run();
}

/** The lines of a snapshotted claim, from its snapshot. */
export function snapshotLines(db: Reader | Tx, claimId: string): LineAggregate[] {
  return db.all<LineAggregate>(sql`
    SELECT '' AS canteenId, '' AS payer, co.category AS category, co.meal_period AS mealPeriod, count(*) AS orders,
      sum(co.meal_fen > 0) AS mealOrders, sum(co.meal_fen) AS mealFen,
      sum(co.delivery_fen > 0) AS deliveryOrders, sum(co.delivery_fen) AS deliveryFen,
      sum(co.operating_fen > 0) AS operatingOrders, sum(co.operating_fen) AS operatingFen
    FROM claim_orders co WHERE co.claim_id = ${claimId}
    GROUP BY co.category, co.meal_period`);
}

export interface OrderAmounts {
  orderId: string;
  category: string | null;
  mealPeriod: string;
  serviceDate: string;
  residentId: string | null;
  mealFen: number;
  deliveryFen: number;
  operatingFen: number;
  amountFen: number;
}

/**
 * This payer's amounts on some orders of a claim: from the snapshot when there is one, from the live splits (of
 * counted orders in the period) otherwise. Orders not in the claim are simply absent.
 */
export function amountsOf(db: Reader | Tx, claim: ClaimRow, orderIds: string[]): OrderAmounts[] {
  if (orderIds.length === 0) return [];
  const ids = JSON.stringify(orderIds);
  if (claim.snapshotAt !== null) {
    return db.all<OrderAmounts>(sql`
      SELECT co.order_id AS orderId, co.category AS category, co.meal_period AS mealPeriod, co.service_date AS serviceDate,
        o.resident_id AS residentId, co.meal_fen AS mealFen, co.delivery_fen AS deliveryFen, co.operating_fen AS operatingFen, co.amount_fen AS amountFen
      FROM claim_orders co JOIN orders o ON o.id = co.order_id
      WHERE co.claim_id = ${claim.id} AND co.order_id IN (SELECT value FROM json_each(${ids}))`);
  }
  return db.all<OrderAmounts>(sql`
    SELECT o.id AS orderId, o.resident_category AS category, o.meal_period AS mealPeriod, o.service_date AS serviceDate, o.resident_id AS residentId,
      coalesce(sum(CASE WHEN s.kind = 'meal' THEN s.amount_fen END), 0) AS mealFen,
      coalesce(sum(CASE WHEN s.kind = 'delivery' THEN s.amount_fen END), 0) AS deliveryFen,
      coalesce(sum(CASE WHEN s.kind = 'operating' THEN s.amount_fen END), 0) AS operatingFen,
      sum(s.amount_fen) AS amountFen
    FROM orders o JOIN order_subsidies s ON s.order_id = o.id
    WHERE o.id IN (SELECT value FROM json_each(${ids})) AND o.canteen_id = ${claim.canteenId}
      AND o.service_date BETWEEN ${claim.periodFrom} AND ${claim.periodTo} AND ${COUNTED}
      AND s.payer = ${claim.payer} AND s.amount_fen > 0
    GROUP BY o.id`);
}

export interface ClaimOrderFilter {
  category?: string | null;
  mealPeriod?: string;
  kind?: 'meal' | 'delivery' | 'operating';
  orderIds?: string[];
  /** true: only disallowed; false: only counted. */
  disallowed?: boolean;
}

export interface ClaimOrderRow extends OrderAmounts {
  createdAt: string;
  identifyMethod: string;
  state: string;
  mealPriceFen: number;
}

/** A page of the orders behind a claim (or one of its lines), in service order. */
export function ordersPage(db: Reader, claim: ClaimRow, f: ClaimOrderFilter, limit: number, offset: number): { items: ClaimOrderRow[]; total: number } {
  const conds: SQL[] = [];
  if (f.category !== undefined) conds.push(f.category === null ? sql`x.category IS NULL` : sql`x.category = ${f.category}`);
  if (f.mealPeriod !== undefined) conds.push(sql`x.mealPeriod = ${f.mealPeriod}`);
  if (f.kind !== undefined) conds.push(sql.raw(`x.${f.kind}Fen > 0`));
  if (f.orderIds !== undefined) conds.push(sql`x.orderId IN (SELECT value FROM json_each(${JSON.stringify(f.orderIds)}))`);
  if (f.disallowed !== undefined) {
    const active = sql`EXISTS (SELECT 1 FROM claim_disallowances d WHERE d.claim_id = ${claim.id} AND d.order_id = x.orderId AND d.revoked_at IS NULL)`;
    conds.push(f.disallowed ? active : sql`NOT ${active}`);
  }
  const where = conds.length ? sql.join(conds, sql` AND `) : sql`1`;
  const source =
    claim.snapshotAt !== null
      ? sql`SELECT co.order_id AS orderId, co.category AS category, co.meal_period AS mealPeriod, co.service_date AS serviceDate,
            o.resident_id AS residentId, co.meal_fen AS mealFen, co.delivery_fen AS deliveryFen, co.operating_fen AS operatingFen,
            co.amount_fen AS amountFen, o.created_at AS createdAt, o.identify_method AS identifyMethod, o.state AS state, o.meal_price_fen AS mealPriceFen
          FROM claim_orders co JOIN orders o ON o.id = co.order_id WHERE co.claim_id = ${claim.id}`
      : sql`SELECT o.id AS orderId, o.resident_category AS category, o.meal_period AS mealPeriod, o.service_date AS serviceDate,
            o.resident_id AS residentId,
            coalesce(sum(CASE WHEN s.kind = 'meal' THEN s.amount_fen END), 0) AS mealFen,
            coalesce(sum(CASE WHEN s.kind = 'delivery' THEN s.amount_fen END), 0) AS deliveryFen,
            coalesce(sum(CASE WHEN s.kind = 'operating' THEN s.amount_fen END), 0) AS operatingFen,
            sum(s.amount_fen) AS amountFen, o.created_at AS createdAt, o.identify_method AS identifyMethod, o.state AS state, o.meal_price_fen AS mealPriceFen
          FROM orders o INDEXED BY orders_settlement JOIN order_subsidies s ON s.order_id = o.id
          WHERE o.service_date BETWEEN ${claim.periodFrom} AND ${claim.periodTo} AND o.canteen_id = ${claim.canteenId} AND ${COUNTED}
            AND o.elder_subsidy_fen + o.operator_subsidy_fen > 0 AND s.payer = ${claim.payer} AND s.amount_fen > 0
          GROUP BY o.id`;
  const items = db.all<ClaimOrderRow>(sql`SELECT * FROM (${source}) x WHERE ${where} ORDER BY x.serviceDate, x.createdAt LIMIT ${limit} OFFSET ${offset}`);
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (${source}) x WHERE ${where}`).n;
  return { items, total: Number(total) };
}

/** Every order of a claim (an export's annex), `size` at a time after an order id. */
export function ordersAfter(db: Reader, claim: ClaimRow, after: string | null, size: number): ClaimOrderRow[] {
  const source =
    claim.snapshotAt !== null
      ? sql`SELECT co.order_id AS orderId, co.category AS category, co.meal_period AS mealPeriod, co.service_date AS serviceDate,
            o.resident_id AS residentId, co.meal_fen AS mealFen, co.delivery_fen AS deliveryFen, co.operating_fen AS operatingFen,
            co.amount_fen AS amountFen, o.created_at AS createdAt, o.identify_method AS identifyMethod, o.state AS state, o.meal_price_fen AS mealPriceFen
          FROM claim_orders co JOIN orders o ON o.id = co.order_id WHERE co.claim_id = ${claim.id} AND co.order_id > ${after ?? ''}
          ORDER BY co.order_id LIMIT ${size}`
      : sql`SELECT o.id AS orderId, o.resident_category AS category, o.meal_period AS mealPeriod, o.service_date AS serviceDate,
            o.resident_id AS residentId,
            coalesce(sum(CASE WHEN s.kind = 'meal' THEN s.amount_fen END), 0) AS mealFen,
            coalesce(sum(CASE WHEN s.kind = 'delivery' THEN s.amount_fen END), 0) AS deliveryFen,
            coalesce(sum(CASE WHEN s.kind = 'operating' THEN s.amount_fen END), 0) AS operatingFen,
            sum(s.amount_fen) AS amountFen, o.created_at AS createdAt, o.identify_method AS identifyMethod, o.state AS state, o.meal_price_fen AS mealPriceFen
          FROM orders o INDEXED BY orders_settlement JOIN order_subsidies s ON s.order_id = o.id
          WHERE o.service_date BETWEEN ${claim.periodFrom} AND ${claim.periodTo} AND o.canteen_id = ${claim.canteenId} AND ${COUNTED}
            AND o.elder_subsidy_fen + o.operator_subsidy_fen > 0 AND s.payer = ${claim.payer} AND s.amount_fen > 0 AND o.id > ${after ?? ''}
          GROUP BY o.id ORDER BY o.id LIMIT ${size}`;
  return db.all<ClaimOrderRow>(source);
}

/**
 * Orders refunded after they were snapshotted into a claim: for approved or paid claims the ones with neither a
 * disallowance nor an adjustment yet (they become adjustments); for claims under review all of them (they become
 * refund_after_claim anomalies). Through the partial index of refunded orders, which are few.
 */
export function refundedAfterSnapshot(db: Reader | Tx, canteenIds: string[] | null, states: readonly ClaimState[]) {
  return db.all<{
    claimId: string;
    canteenId: string;
    payer: string;
    period: string;
    periodTo: string;
    state: ClaimState;
    orderId: string;
    residentId: string | null;
    serviceDate: string;
    amountFen: number;
    orderSubsidyFen: number;
    refundedAt: string;
  }>(sql`
    SELECT c.id AS claimId, c.canteen_id AS canteenId, c.payer AS payer, c.period AS period, c.period_to AS periodTo, c.state AS state,
      co.order_id AS orderId, o.resident_id AS residentId, co.service_date AS serviceDate, co.amount_fen AS amountFen,
      o.elder_subsidy_fen + o.operator_subsidy_fen AS orderSubsidyFen, o.refunded_at AS refundedAt
    FROM orders o INDEXED BY orders_refunded
      JOIN claim_orders co ON co.order_id = o.id
      JOIN claims c ON c.id = co.claim_id
    WHERE o.refunded_at IS NOT NULL AND o.state = 'refunded' AND o.refunded_at >= c.snapshot_at
      AND c.state IN (SELECT value FROM json_each(${JSON.stringify(states)})) AND ${inScope(canteenIds, sql.raw('c.canteen_id'))}
      AND NOT EXISTS (SELECT 1 FROM claim_adjustments a WHERE a.source_claim_id = c.id AND a.order_id = co.order_id)
      AND NOT EXISTS (SELECT 1 FROM claim_disallowances d WHERE d.claim_id = c.id AND d.order_id = co.order_id AND d.revoked_at IS NULL)`);
}

// ───────────── claims ─────────────

export function claimById(db: Reader | Tx, id: string): ClaimRow | undefined {
  return db.select().from(claims).where(eq(claims.id, id)).get();
}

export function claimsOf(db: Reader | Tx, canteenIds: string[] | null, periods: string[]): ClaimRow[] {
  if (periods.length === 0) return [];
  return db
    .select()
    .from(claims)
    .where(
      and(
        inArray(claims.period, periods),
        canteenIds === null ? undefined : sql`${claims.canteenId} IN (SELECT value FROM json_each(${JSON.stringify(canteenIds)}))`,
      ),
    )
    .all();
}

/** Claims of a canteen (and payer) whose period covers a service date. */
export function claimsCovering(db: Reader | Tx, canteenId: string, date: string, payer?: string): ClaimRow[] {
  return db
    .select()
    .from(claims)
    .where(
      and(eq(claims.canteenId, canteenId), lte(claims.periodFrom, date), gte(claims.periodTo, date), payer !== undefined ? eq(claims.payer, payer) : undefined),
    )
    .all();
}

/** The claims an order was snapshotted into. */
export function claimsWithOrder(db: Reader | Tx, orderId: string): (ClaimRow & { orderAmountFen: number })[] {
  return db
    .select({ claim: claims, orderAmountFen: claimOrders.amountFen })
    .from(claimOrders)
    .innerJoin(claims, eq(claims.id, claimOrders.claimId))
    .where(eq(claimOrders.orderId, orderId))
    .all()
    .map((r) => ({ ...r.claim, orderAmountFen: r.orderAmountFen }));
}

/** The earliest claim of a canteen and payer after a date that the operator can still change (it carries an adjustment). */
export function nextOpenClaim(db: Reader | Tx, canteenId: string, payer: string, after: string): ClaimRow | undefined {
  return db
    .select()
    .from(claims)
    .where(
      and(eq(claims.canteenId, canteenId), eq(claims.payer, payer), gte(claims.periodFrom, after), inArray(claims.state, ['draft', 'returned', 'rejected'])),
    )
    .orderBy(asc(claims.periodFrom))
    .limit(1)
    .get();
}

export function insertClaim(tx: Tx, row: ClaimRow): void {
  guardUnique(claims, () => tx.insert(claims).values(row).run());
}

export function updateClaim(tx: Tx, id: string, values: Partial<ClaimRow>): void {
  tx.update(claims).set(values).where(eq(claims.id, id)).run();
}

export function deleteClaim(tx: Tx, id: string): void {
  tx.delete(claimLines).where(eq(claimLines.claimId, id)).run();
  tx.delete(claimOrders).where(eq(claimOrders.claimId, id)).run();
  tx.delete(claimDisallowances).where(eq(claimDisallowances.claimId, id)).run();
  tx.update(claimAdjustments).set({ claimId: null }).where(eq(claimAdjustments.claimId, id)).run();
  tx.delete(claimEvents).where(eq(claimEvents.claimId, id)).run();
  tx.delete(claims).where(eq(claims.id, id)).run();
}

export function replaceLines(tx: Tx, claimId: string, lines: Omit<ClaimLineRow, 'id'>[]): void {
  tx.delete(claimLines).where(eq(claimLines.claimId, claimId)).run();
  insertMany(tx, claimLines, lines, 150);
}

/** Many claims' lines at once (bulk generation): delete then insert in large statements. */
export function replaceLinesOf(tx: Tx, claimIds: string[], lines: Omit<ClaimLineRow, 'id'>[]): void {
  for (let i = 0; i < claimIds.length; i += 5000) {
    tx.delete(claimLines)
      .where(sql`${claimLines.claimId} IN (SELECT value FROM json_each(${JSON.stringify(claimIds.slice(i, i + 5000))}))`)
      .run();
  }
  insertMany(tx, claimLines, lines, 150);
}

export function linesOf(db: Reader | Tx, claimId: string): ClaimLineRow[] {
  return db.select().from(claimLines).where(eq(claimLines.claimId, claimId)).orderBy(asc(claimLines.id)).all();
}

export interface ListFilter {
  monthFrom?: string;
  monthTo?: string;
  yearFrom?: string;
  yearTo?: string;
  state?: ClaimState;
  canteenId?: string;
  payer?: string;
  areaPrefix?: string;
  scopeArea?: string;
  scopeCanteens?: string[];
}

function listWhere(f: ListFilter): SQL | undefined {
  const area = (p: string) => and(gte(claims.streetCode, p), lt(claims.streetCode, `${p}:`));
  return and(
    f.monthFrom !== undefined && f.monthTo !== undefined ? and(lte(claims.periodFrom, f.monthTo), gte(claims.periodTo, f.monthFrom)) : undefined,
    f.yearFrom !== undefined && f.yearTo !== undefined ? and(gte(claims.periodFrom, f.yearFrom), lte(claims.periodFrom, f.yearTo)) : undefined,
    f.state !== undefined ? eq(claims.state, f.state) : undefined,
    f.canteenId !== undefined ? eq(claims.canteenId, f.canteenId) : undefined,
    f.payer !== undefined ? eq(claims.payer, f.payer) : undefined,
    f.areaPrefix !== undefined ? area(f.areaPrefix) : undefined,
    f.scopeArea !== undefined ? area(f.scopeArea) : undefined,
    f.scopeCanteens !== undefined ? sql`${claims.canteenId} IN (SELECT value FROM json_each(${JSON.stringify(f.scopeCanteens)}))` : undefined,
  );
}

export function list(db: Reader, f: ListFilter, limit: number, offset: number) {
  const where = listWhere(f);
  const items = db
    .select()
    .from(claims)
    .where(where)
    .orderBy(desc(claims.periodFrom), asc(claims.districtCode), asc(claims.streetCode), asc(claims.canteenId), asc(claims.payer))
    .limit(limit)
    .offset(offset)
    .all();
  const agg = db
    .select({
      n: sql<number>`count(*)`,
      claimed: sql<number>`coalesce(sum(${claims.claimedFen}), 0)`,
      disallowed: sql<number>`coalesce(sum(${claims.disallowedFen}), 0)`,
      adjustment: sql<number>`coalesce(sum(${claims.adjustmentFen}), 0)`,
      total: sql<number>`coalesce(sum(${claims.totalFen}), 0)`,
    })
    .from(claims)
    .where(where)
    .get()!;
  return { items, agg };
}

export function listAfter(db: Reader, f: ListFilter, after: string | null, size: number): ClaimRow[] {
  return db
    .select()
    .from(claims)
    .where(and(listWhere(f), after === null ? undefined : sql`${claims.id} > ${after}`))
    .orderBy(asc(claims.id))
    .limit(size)
    .all();
}

/**
 * The claims a filter matches (a year, a scope), summed per district and payer: the approved and paid ones' frozen
 * totals, and how many others are still open (the annual clearing reads this).
 */
export function clearingTotals(db: Reader | Tx, f: ListFilter) {
  const settled = sql`${claims.state} IN ('approved', 'paid')`;
  const when = (col: SQLWrapper) => sql<number>`coalesce(sum(CASE WHEN ${settled} THEN ${col} END), 0)`;
  return db
    .select({
      districtCode: claims.districtCode,
      payer: claims.payer,
      claims: sql<number>`coalesce(sum(CASE WHEN ${settled} THEN 1 END), 0)`,
      open: sql<number>`coalesce(sum(CASE WHEN ${settled} THEN 0 ELSE 1 END), 0)`,
      orders: when(claims.orderCount),
      claimedFen: when(claims.claimedFen),
      disallowedFen: when(claims.disallowedFen),
      adjustmentFen: when(claims.adjustmentFen),
      totalFen: when(claims.totalFen),
      paidFen: when(sql`coalesce(${claims.paidFen}, 0)`),
    })
    .from(claims)
    .where(listWhere(f))
    .groupBy(claims.districtCode, claims.payer)
    .orderBy(asc(claims.districtCode), asc(claims.payer))
    .all();
}

// ───────────── disallowances, adjustments, events ─────────────

export function activeDisallowances(db: Reader | Tx, claimId: string): DisallowanceRow[] {
  return db
    .select()
    .from(claimDisallowances)
    .where(and(eq(claimDisallowances.claimId, claimId), isNull(claimDisallowances.revokedAt)))
    .orderBy(asc(claimDisallowances.at))
    .all();
}

export function insertDisallowance(tx: Tx, row: DisallowanceRow): void {
  guardUnique(claimDisallowances, () => tx.insert(claimDisallowances).values(row).run());
}

export function revokeDisallowance(tx: Tx, id: string, values: Pick<DisallowanceRow, 'revokedAt' | 'revokedBy' | 'revokedByName' | 'revokeReason'>): void {
  tx.update(claimDisallowances).set(values).where(eq(claimDisallowances.id, id)).run();
}

/** Σ of the claim's disallowed orders: from the snapshot, or live for a draft. */
export function disallowedTotals(db: Reader | Tx, claim: ClaimRow): { n: number; fen: number } {
  const ids = activeDisallowances(db, claim.id).map((d) => d.orderId);
  const amounts = amountsOf(db, claim, ids);
  return { n: amounts.length, fen: amounts.reduce((a, r) => a + Number(r.amountFen), 0) };
}

export function adjustmentsOf(db: Reader | Tx, claimId: string): AdjustmentRow[] {
  return db.select().from(claimAdjustments).where(eq(claimAdjustments.claimId, claimId)).orderBy(asc(claimAdjustments.createdAt)).all();
}

export function adjustmentsFrom(db: Reader | Tx, sourceClaimId: string): AdjustmentRow[] {
  return db.select().from(claimAdjustments).where(eq(claimAdjustments.sourceClaimId, sourceClaimId)).orderBy(asc(claimAdjustments.createdAt)).all();
}

export function pendingAdjustments(db: Reader | Tx, canteenId: string, payer: string): AdjustmentRow[] {
  return db
    .select()
    .from(claimAdjustments)
    .where(and(eq(claimAdjustments.canteenId, canteenId), eq(claimAdjustments.payer, payer), isNull(claimAdjustments.claimId)))
    .all();
}

/** (canteen, payer) pairs with adjustments waiting for a claim, with the earliest end of the periods they correct. */
export function pendingAdjustmentPairs(db: Reader | Tx, canteenIds: string[] | null): { canteenId: string; payer: string; sourcePeriodTo: string }[] {
  return db
    .select({ canteenId: claimAdjustments.canteenId, payer: claimAdjustments.payer, sourcePeriodTo: sql<string>`min(${claims.periodTo})` })
    .from(claimAdjustments)
    .innerJoin(claims, eq(claims.id, claimAdjustments.sourceClaimId))
    .where(
      and(
        isNull(claimAdjustments.claimId),
        canteenIds === null ? undefined : sql`${claimAdjustments.canteenId} IN (SELECT value FROM json_each(${JSON.stringify(canteenIds)}))`,
      ),
    )
    .groupBy(claimAdjustments.canteenId, claimAdjustments.payer)
    .all();
}

export function insertAdjustment(tx: Tx, row: AdjustmentRow): boolean {
  const r = tx.insert(claimAdjustments).values(row).onConflictDoNothing().run();
  return r.changes > 0;
}

export function attachAdjustments(tx: Tx, ids: string[], claimId: string): void {
  if (ids.length === 0) return;
  tx.update(claimAdjustments).set({ claimId }).where(inArray(claimAdjustments.id, ids)).run();
}

export function adjustmentSum(db: Reader | Tx, claimId: string): number {
  return Number(
    db
      .select({ s: sql<number>`coalesce(sum(${claimAdjustments.amountFen}), 0)` })
      .from(claimAdjustments)
      .where(eq(claimAdjustments.claimId, claimId))
      .get()!.s,
  );
}

/** Of these claims, those with an active disallowance or an adjustment line (their totals need more than the lines). */
export function claimsWithDeductions(db: Reader | Tx, claimIds: string[]): Set<string> {
  if (claimIds.length === 0) return new Set();
  const ids = JSON.stringify(claimIds);
  const rows = db.all<{ claimId: string }>(sql`
    SELECT claim_id AS claimId FROM ${claimDisallowances} WHERE revoked_at IS NULL AND claim_id IN (SELECT value FROM json_each(${ids}))
    UNION SELECT claim_id AS claimId FROM ${claimAdjustments} WHERE claim_id IN (SELECT value FROM json_each(${ids}))`);
  return new Set(rows.map((r) => r.claimId));
}

export function insertEvent(tx: Tx, row: Omit<EventRow, 'id'>): void {
  tx.insert(claimEvents).values(row).run();
}

export function eventsOf(db: Reader | Tx, claimId: string): EventRow[] {
  return db.select().from(claimEvents).where(eq(claimEvents.claimId, claimId)).orderBy(asc(claimEvents.id)).all();
}

// ───────────── payer settings ─────────────

export function payerSettings(db: Reader | Tx): PayerSettingRow[] {
  return db.select().from(claimPayerSettings).orderBy(asc(claimPayerSettings.payer), asc(claimPayerSettings.fromMonth)).all();
}

export function upsertPayerSetting(tx: Tx, row: PayerSettingRow): void {
  tx.insert(claimPayerSettings)
    .values(row)
    .onConflictDoUpdate({
      target: [claimPayerSettings.payer, claimPayerSettings.fromMonth],
      set: { cadence: row.cadence, setBy: row.setBy, setByName: row.setByName, setAt: row.setAt },
    })
    .run();
}

/** Claims of a payer from a date on that are no longer drafts (a cadence change may not reach over them). */
export function settledClaimsFrom(db: Reader | Tx, payer: string, from: string): number {
  return Number(
    db
      .select({ n: sql<number>`count(*)` })
      .from(claims)
      .where(and(eq(claims.payer, payer), gte(claims.periodTo, from), sql`${claims.state} <> 'draft'`))
      .get()!.n,
  );
}

export function draftClaimsFrom(db: Reader | Tx, payer: string, from: string): ClaimRow[] {
  return db
    .select()
    .from(claims)
    .where(and(eq(claims.payer, payer), gte(claims.periodTo, from), eq(claims.state, 'draft')))
    .all();
}

/** The orders of the orders module this claims module shows: only what a claim's order list needs. */
export function orderStates(db: Reader | Tx, orderIds: string[]) {
  if (orderIds.length === 0) return [];
  return db
    .select({ id: orders.id, canteenId: orders.canteenId, serviceDate: orders.serviceDate, state: orders.state })
    .from(orders)
    .where(sql`${orders.id} IN (SELECT value FROM json_each(${JSON.stringify(orderIds)}))`)
    .all();
}

/**
 * The reports module's SQL. It owns meal_ratings; everything else here is a read-only aggregate over other
 * modules' tables (orders, order_subsidies, residents, resident_categories, menus, menu_items, food_samples),
 * computed by SQLite over indexed columns and returned as a few rows per canteen or per group: no order is ever
 * loaded into JavaScript. Definitions of each figure: docs/indicators.md.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { MOST_NEEDY_CATEGORIES, type MealRating, type ReportGrouping } from '@yishi/shared';
import type { Db, Reader, Tx } from '../../db/client';
import { guardUnique } from '../../db/client';
import { mealRatings } from '../../db/schema';

/** An order that counts: a cancelled or refunded order was never a meal. */
const COUNTED = sql.raw(`o.state NOT IN ('cancelled', 'refunded')`);
const NEEDY = sql.raw(MOST_NEEDY_CATEGORIES.map((c) => `'${c}'`).join(', '));

/** Canteens to count: null = every canteen (no filter at all, the fastest plan); [] = none. */
export type CanteenFilter = string[] | null;

/**
 * The orders of a period. For the whole city (or a large part of it) the covering index orders_report is named:
 * SQLite would otherwise walk a canteen-first index to save a sort and visit every row. For a few canteens the
 * planner's own choice (a canteen-first index) reads only their rows.
 */
function ordersOf(canteens: CanteenFilter): SQL {
  return canteens === null || canteens.length > 20 ? sql.raw('orders o INDEXED BY orders_report') : sql.raw('orders o');
}

function inCanteens(column: string, ids: CanteenFilter): SQL {
  if (ids === null) return sql``;
  if (ids.length === 0) return sql` AND 0`;
  if (ids.length === 1) return sql` AND ${sql.raw(column)} = ${ids[0]}`;
  return sql` AND ${sql.raw(column)} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

const n = (v: unknown): number => Number(v ?? 0);

// ───────────── reports over a date range ─────────────

/** The SQL of a grouping key over orders `o`; place groupings are counted per canteen and rolled up by the service. */
function keyOf(g: ReportGrouping): SQL {
  switch (g) {
    case 'day':
      return sql.raw('o.service_date');
    case 'month':
      return sql.raw('substr(o.service_date, 1, 7)');
    case 'category':
      return sql.raw(`coalesce(o.resident_category, 'guest')`);
    case 'mealPeriod':
      return sql.raw('o.meal_period');
    case 'fulfilment':
      return sql.raw('o.fulfilment');
    case 'paymentMethod':
      return sql.raw('o.payment_method');
    case 'canteen':
    case 'street':
    case 'district':
      return sql.raw('o.canteen_id');
  }
}

export interface FigureRow {
  key: string;
  meals: number;
  subsidisedMeals: number;
  deliveries: number;
  guestMeals: number;
  mealValueFen: number;
  elderSubsidyFen: number;
  operatorSubsidyFen: number;
  elderPaysFen: number;
  awaitingPaymentOrders: number;
  awaitingPaymentFen: number;
  refundedOrders: number;
  refundedFen: number;
  cancelledOrders: number;
}

/** Figures of the orders with a service date in [from, to], by the grouping's key (canteen for place groupings). */
export async function reportFigures(db: Db, from: string, to: string, g: ReportGrouping, canteens: CanteenFilter): Promise<FigureRow[]> {
  const rows = await db.offThread.all<Record<string, unknown>>(sql`
    SELECT ${keyOf(g)} AS k,
      sum(${COUNTED}) AS meals,
      sum(${COUNTED} AND o.elder_subsidy_fen > 0) AS subsidised,
      sum(${COUNTED} AND o.fulfilment = 'delivery') AS deliveries,
      sum(${COUNTED} AND o.resident_id IS NULL) AS guests,
      sum(CASE WHEN ${COUNTED} THEN o.meal_price_fen ELSE 0 END) AS meal_value,
      sum(CASE WHEN ${COUNTED} THEN o.elder_subsidy_fen ELSE 0 END) AS elder_subsidy,
      sum(CASE WHEN ${COUNTED} THEN o.operator_subsidy_fen ELSE 0 END) AS operator_subsidy,
      sum(CASE WHEN ${COUNTED} THEN o.elder_pays_fen ELSE 0 END) AS elder_pays,
      sum(o.state = 'awaiting_payment') AS awaiting,
      sum(CASE WHEN o.state = 'awaiting_payment' THEN o.elder_pays_fen ELSE 0 END) AS awaiting_fen,
      sum(o.state = 'refunded') AS refunded,
      sum(CASE WHEN o.state = 'refunded' THEN o.elder_pays_fen ELSE 0 END) AS refunded_fen,
      sum(o.state = 'cancelled') AS cancelled
    FROM ${ordersOf(canteens)}
    WHERE o.service_date BETWEEN ${from} AND ${to}${inCanteens('o.canteen_id', canteens)}
    GROUP BY k`);
  return rows.map((r) => ({
    key: String(r.k),
    meals: n(r.meals),
    subsidisedMeals: n(r.subsidised),
    deliveries: n(r.deliveries),
    guestMeals: n(r.guests),
    mealValueFen: n(r.meal_value),
    elderSubsidyFen: n(r.elder_subsidy),
    operatorSubsidyFen: n(r.operator_subsidy),
    elderPaysFen: n(r.elder_pays),
    awaitingPaymentOrders: n(r.awaiting),
    awaitingPaymentFen: n(r.awaiting_fen),
    refundedOrders: n(r.refunded),
    refundedFen: n(r.refunded_fen),
    cancelledOrders: n(r.cancelled),
  }));
}

export interface SubsidyRow {
  key: string;
  payer: string;
  kind: string;
  amountFen: number;
  orders: number;
}

/** Subsidy of counted orders by the grouping's key, payer and kind (from the stored split per layer). */
export async function reportSubsidies(db: Db, from: string, to: string, g: ReportGrouping, canteens: CanteenFilter): Promise<SubsidyRow[]> {
  const rows = await db.offThread.all<Record<string, unknown>>(sql`
    SELECT ${keyOf(g)} AS k, s.payer AS payer, s.kind AS kind, sum(s.amount_fen) AS amount, count(DISTINCT s.order_id) AS orders
    FROM ${ordersOf(canteens)} JOIN order_subsidies s INDEXED BY order_subsidies_split ON s.order_id = o.id
    WHERE o.service_date BETWEEN ${from} AND ${to} AND ${COUNTED} AND s.amount_fen > 0${inCanteens('o.canteen_id', canteens)}
    GROUP BY k, s.payer, s.kind`);
  return rows.map((r) => ({ key: String(r.k), payer: String(r.payer), kind: String(r.kind), amountFen: n(r.amount), orders: n(r.orders) }));
}

// ───────────── indicators ─────────────

export interface CategoryRow {
  canteenId: string;
  category: string;
  meals: number;
  subsidisedMeals: number;
  deliveries: number;
  selfPayingMeals: number;
}

/** Counted meals per canteen and category ('guest' for guests): subsidised, delivered, and paid in full by the diner. */
export async function mealsByCanteenAndCategory(db: Db, from: string, to: string, canteens: CanteenFilter): Promise<CategoryRow[]> {
  const rows = await db.offThread.all<Record<string, unknown>>(sql`
    SELECT o.canteen_id AS canteen, coalesce(o.resident_category, 'guest') AS category, count(*) AS meals,
      sum(o.elder_subsidy_fen > 0) AS subsidised, sum(o.fulfilment = 'delivery') AS deliveries, sum(o.elder_subsidy_fen = 0) AS self_paying
    FROM ${ordersOf(canteens)}
    WHERE o.service_date BETWEEN ${from} AND ${to} AND ${COUNTED}${inCanteens('o.canteen_id', canteens)}
    GROUP BY o.canteen_id, category`);
  return rows.map((r) => ({
    canteenId: String(r.canteen),
    category: String(r.category),
    meals: n(r.meals),
    subsidisedMeals: n(r.subsidised),
    deliveries: n(r.deliveries),
    selfPayingMeals: n(r.self_paying),
  }));
}

/** Counted meals and subsidised meals per service date. */
export async function mealsByDay(
  db: Db,
  from: string,
  to: string,
  canteens: CanteenFilter,
): Promise<{ date: string; meals: number; subsidisedMeals: number }[]> {
  const rows = await db.offThread.all<Record<string, unknown>>(sql`
    SELECT o.service_date AS d, count(*) AS meals, sum(o.elder_subsidy_fen > 0) AS subsidised
    FROM ${ordersOf(canteens)}
    WHERE o.service_date BETWEEN ${from} AND ${to} AND ${COUNTED}${inCanteens('o.canteen_id', canteens)}
    GROUP BY o.service_date`);
  return rows.map((r) => ({ date: String(r.d), meals: n(r.meals), subsidisedMeals: n(r.subsidised) }));
}

export interface NeedyRow {
  homeCanteenId: string | null;
  residenceAreaCode: string;
  registered: number;
  served: number;
}

/**
 * The most needy residents on the register in [from, to] (a needy category valid on some day of it; active, or
 * left the register after `from`), by home canteen and residence area, and how many of them had at least one
 * subsidised meal (anywhere) in the period. `within`: only residents living in that area or registered at one of
 * `canteens` (null, null = everyone).
 */
export async function needyCoverage(db: Db, from: string, to: string, within: { areaCode: string | null; canteens: CanteenFilter }): Promise<NeedyRow[]> {
  let scope = sql``;
  if (within.areaCode !== null || within.canteens !== null) {
    const area = within.areaCode !== null ? sql`r.residence_area_code LIKE ${`${within.areaCode}%`}` : sql`0`;
    const home =
      within.canteens === null || within.canteens.length === 0
        ? sql`0`
        : sql`r.home_canteen_id IN (SELECT value FROM json_each(${JSON.stringify(within.canteens)}))`;
    scope = sql` AND (${area} OR ${home})`;
  }
  // Driven from the categories (a few in ten residents hold one), each needy resident's row found by its key.
  const rows = await db.offThread.all<Record<string, unknown>>(sql`
    SELECT r.home_canteen_id AS canteen, r.residence_area_code AS area, count(*) AS registered,
      sum(EXISTS (
        SELECT 1 FROM orders o
        WHERE o.resident_id = r.id AND o.service_date BETWEEN ${from} AND ${to} AND o.elder_subsidy_fen > 0 AND ${COUNTED}
      )) AS served
    FROM (
      SELECT DISTINCT c.resident_id AS id FROM resident_categories c
      WHERE c.state = 'approved' AND c.code IN (${NEEDY}) AND c.valid_from <= ${to} AND (c.valid_to IS NULL OR c.valid_to >= ${from})
    ) n
    JOIN residents r ON r.id = n.id
    WHERE (r.status = 'active' OR r.status_since > ${from})${scope}
    GROUP BY r.home_canteen_id, r.residence_area_code`);
  return rows.map((r) => ({
    homeCanteenId: typeof r.canteen === 'string' ? r.canteen : null,
    residenceAreaCode: String(r.area),
    registered: n(r.registered),
    served: n(r.served),
  }));
}

export interface DayRow {
  canteenId: string;
  /** Days with a counted meal, and of them days with a food sample logged. */
  servedDays: number;
  sampledDays: number;
  /** Official working days (from the canteen's `since`) on which lunch was served. */
  lunchWorkingDays: number;
}

/**
 * Per canteen over `days` (each [date, isWorkingDay]): days served, days served with a food sample, and working days
 * (not before the canteen's `since`) with lunch served. One index seek per canteen and day (orders_pickup, whose prefix it is;
 * food_samples_canteen).
 */
export async function servingDays(db: Db, canteens: { id: string; since: string }[], days: [string, boolean][]): Promise<DayRow[]> {
  if (canteens.length === 0 || days.length === 0) return [];
  const rows = await db.offThread.all<Record<string, unknown>>(sql`
    WITH cs(id, since) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${JSON.stringify(canteens.map((c) => [c.id, c.since]))})),
         ds(d, working) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${JSON.stringify(days.map(([d, w]) => [d, w ? 1 : 0]))}))
    SELECT canteen, sum(served) AS served, sum(served AND sampled) AS sampled, sum(working AND lunch) AS lunch
    FROM (
      SELECT cs.id AS canteen, (ds.working AND ds.d >= cs.since) AS working,
        EXISTS (SELECT 1 FROM orders o WHERE o.canteen_id = cs.id AND o.service_date = ds.d AND ${COUNTED}) AS served,
        EXISTS (SELECT 1 FROM orders o WHERE o.canteen_id = cs.id AND o.service_date = ds.d AND o.meal_period = 'lunch' AND ${COUNTED}) AS lunch,
        EXISTS (SELECT 1 FROM food_samples f WHERE f.canteen_id = cs.id AND f.service_date = ds.d) AS sampled
      FROM cs CROSS JOIN ds
    )
    GROUP BY canteen`);
  return rows.map((r) => ({ canteenId: String(r.canteen), servedDays: n(r.served), sampledDays: n(r.sampled), lunchWorkingDays: n(r.lunch) }));
}

/**
 * Per canteen: the weeks (Monday to Sunday) with a menu in [from, to], and of them the weeks in which some meal's
 * dishes differ from the same weekday and meal a week earlier (a dish added or taken off, or no menu then).
 */
export async function menuWeeks(
  db: Db,
  from: string,
  to: string,
  canteens: CanteenFilter,
): Promise<{ canteenId: string; weeks: number; updatedWeeks: number }[]> {
  const rows = await db.offThread.all<Record<string, unknown>>(sql`
    SELECT canteen, count(*) AS weeks, sum(changed) AS updated
    FROM (
      SELECT m.canteen_id AS canteen, date(m.service_date, 'weekday 0', '-6 days') AS week,
        max(
          p.id IS NULL
          OR EXISTS (SELECT 1 FROM menu_items i WHERE i.menu_id = m.id
                     AND NOT EXISTS (SELECT 1 FROM menu_items j WHERE j.menu_id = p.id AND j.dish_id = i.dish_id))
          OR EXISTS (SELECT 1 FROM menu_items j WHERE j.menu_id = p.id
                     AND NOT EXISTS (SELECT 1 FROM menu_items i WHERE i.menu_id = m.id AND i.dish_id = j.dish_id))
        ) AS changed
      FROM menus m
      LEFT JOIN menus p ON p.canteen_id = m.canteen_id AND p.meal_period = m.meal_period AND p.service_date = date(m.service_date, '-7 days')
      WHERE m.service_date BETWEEN ${from} AND ${to}${inCanteens('m.canteen_id', canteens)}
      GROUP BY m.canteen_id, week
    )
    GROUP BY canteen`);
  return rows.map((r) => ({ canteenId: String(r.canteen), weeks: n(r.weeks), updatedWeeks: n(r.updated) }));
}

/** Ratings per canteen and answer, of meals served in [from, to]. */
export async function ratingCounts(
  db: Db,
  from: string,
  to: string,
  canteens: CanteenFilter,
): Promise<{ canteenId: string; rating: MealRating; count: number }[]> {
  const rows = await db.offThread.all<Record<string, unknown>>(sql`
    SELECT o.canteen_id AS canteen, o.rating AS rating, count(*) AS n
    FROM meal_ratings o
    WHERE o.service_date BETWEEN ${from} AND ${to}${inCanteens('o.canteen_id', canteens)}
    GROUP BY o.canteen_id, o.rating`);
  return rows.map((r) => ({ canteenId: String(r.canteen), rating: String(r.rating) as MealRating, count: n(r.n) }));
}

// ───────────── ratings (this module's own table) ─────────────

export type RatingRow = typeof mealRatings.$inferSelect;

export function ratingOf(db: Reader | Tx, orderId: string): RatingRow | undefined {
  return db.select().from(mealRatings).where(eq(mealRatings.orderId, orderId)).get();
}

/** Insert a rating; a second one for the same order comes back as UniqueViolation('meal_ratings_pkey'). */
export function insertRating(tx: Tx, row: RatingRow): void {
  guardUnique(mealRatings, () => tx.insert(mealRatings).values(row).run());
}

/** Ratings loaded with the demo history. */
export function insertRatings(tx: Tx, rows: RatingRow[]): void {
  for (let i = 0; i < rows.length; i += 200)
    tx.insert(mealRatings)
      .values(rows.slice(i, i + 200))
      .run();
}

/**
 * The anomalies module's SQL: its own tables (anomalies, anomaly_orders), and the scan's detectors, which READ
 * other modules' tables in aggregate (orders, order_subsidies, residents, resident_categories, canteen_meal_periods)
 * and never write them. Every detector is one statement over indexed columns: a period's orders are read through
 * `orders_settlement` (service date first, every column the detectors test), never loaded whole into JavaScript;
 * only the orders a finding names come back.
 */
import { and, asc, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { AnomalyKind, AnomalyStatus } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import { insertMany } from '../../db/client';
import { anomalies, anomalyOrders, orders } from '../../db/schema';

export type AnomalyRow = typeof anomalies.$inferSelect;

/** Orders that count: served or paid (cancelled and refunded never, awaiting payment not yet). */
const COUNTED = sql.raw(`o.state IN ('paid', 'ready', 'completed')`);
const SUBSIDISED = sql.raw(`o.elder_subsidy_fen + o.operator_subsidy_fen > 0`);

/** `o.canteen_id` within the scope (null = every canteen); one JSON parameter however many canteens. */
function inScope(canteenIds: string[] | null, column = sql.raw('o.canteen_id')): SQL {
  return canteenIds === null ? sql`1` : sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(canteenIds)}))`;
}

export interface Period {
  from: string;
  to: string;
  canteenIds: string[] | null;
}

export interface OrderHit {
  orderId: string;
  canteenId: string;
  residentId: string | null;
  serviceDate: string;
  mealPeriod: string;
  amountFen: number;
}

// ───────────── detectors ─────────────

/** Subsidised orders on or after a resident's recorded death, move or entry into an institution. */
export function afterStatus(db: Reader, p: Period) {
  return db.all<OrderHit & { status: string; since: string }>(sql`
    SELECT o.id AS orderId, o.canteen_id AS canteenId, o.resident_id AS residentId, o.service_date AS serviceDate,
      o.meal_period AS mealPeriod, o.elder_subsidy_fen + o.operator_subsidy_fen AS amountFen, r.status AS status, r.status_since AS since
    FROM residents r CROSS JOIN orders o ON o.resident_id = r.id -- from the few inactive residents (residents_status), never every order
    WHERE r.status <> 'active' AND r.status_since IS NOT NULL
      AND o.service_date BETWEEN ${p.from} AND ${p.to} AND o.service_date >= r.status_since
      AND ${COUNTED} AND ${SUBSIDISED} AND ${inScope(p.canteenIds)}
    ORDER BY o.service_date, o.created_at`);
}

/** Subsidised orders of residents under 60 on the service date (by the record as it stands). */
export function underAge(db: Reader, p: Period, minAge: number) {
  const years = `-${minAge} years`;
  return db.all<OrderHit & { birthDate: string }>(sql`
    SELECT o.id AS orderId, o.canteen_id AS canteenId, o.resident_id AS residentId, o.service_date AS serviceDate,
      o.meal_period AS mealPeriod, o.elder_subsidy_fen + o.operator_subsidy_fen AS amountFen, r.birth_date AS birthDate
    FROM residents r CROSS JOIN orders o ON o.resident_id = r.id -- from the few under age (residents_birth_date), never every order
    WHERE r.birth_date > date(${p.from}, ${years})
      AND o.service_date BETWEEN ${p.from} AND ${p.to} AND r.birth_date > date(o.service_date, ${years})
      AND ${COUNTED} AND ${SUBSIDISED} AND ${inScope(p.canteenIds)}
    ORDER BY o.service_date, o.created_at`);
}

/**
 * Orders a category-dependent layer paid for, counted under one of its categories, on a day the resident's
 * record shows none of them valid (a category ended or started later than the orders). Starts from the residents
 * whose records of those categories do not cover the whole period (category records are ended, never deleted).
 */
export function categoryExpired(db: Reader, p: Period, layerKey: string, codes: string[]) {
  const list = JSON.stringify(codes);
  return db.all<OrderHit & { category: string; layerName: string; layerFen: number; held: string | null }>(sql`
    SELECT o.id AS orderId, o.canteen_id AS canteenId, o.resident_id AS residentId, o.service_date AS serviceDate,
      o.meal_period AS mealPeriod, o.elder_subsidy_fen + o.operator_subsidy_fen AS amountFen,
      o.resident_category AS category, s.layer_name AS layerName, s.amount_fen AS layerFen,
      (SELECT group_concat(rc3.code || ':' || rc3.valid_from || '~' || coalesce(rc3.valid_to, ''), ',') FROM resident_categories rc3
        WHERE rc3.resident_id = o.resident_id AND rc3.code IN (SELECT value FROM json_each(${list}))) AS held
    FROM orders o JOIN order_subsidies s ON s.order_id = o.id
    WHERE o.resident_id IN (
        SELECT rc.resident_id FROM resident_categories rc
        WHERE rc.code IN (SELECT value FROM json_each(${list})) AND (rc.valid_from > ${p.from} OR rc.valid_to < ${p.to}))
      AND o.service_date BETWEEN ${p.from} AND ${p.to} AND ${COUNTED}
      AND o.resident_category IN (SELECT value FROM json_each(${list}))
      AND s.layer_key = ${layerKey} AND s.amount_fen > 0
      AND NOT EXISTS (
        SELECT 1 FROM resident_categories rc2
        WHERE rc2.resident_id = o.resident_id AND rc2.code IN (SELECT value FROM json_each(${list}))
          AND rc2.valid_from <= o.service_date AND (rc2.valid_to IS NULL OR rc2.valid_to >= o.service_date))
      AND ${inScope(p.canteenIds)}
    ORDER BY o.service_date, o.created_at`);
}

/**
 * Subsidised orders placed outside the canteen's opening hours for their meal (local time by the canteen's time
 * zone offset), or on another day than their service date.
 */
export function outsideHours(db: Reader, p: Period, offsets: Record<string, number>, graceMinutes: number) {
  const zones = Object.entries(offsets);
  const offset = sql.join(
    [sql`CASE c.time_zone`, ...zones.map(([tz, min]) => sql`WHEN ${tz} THEN ${`${min >= 0 ? '+' : ''}${min} minutes`}`), sql`ELSE '+480 minutes' END`],
    sql` `,
  );
  const before = `-${graceMinutes} minutes`;
  const after = `+${graceMinutes} minutes`;
  return db.all<OrderHit & { localDate: string; localTime: string; opens: string; closes: string }>(sql`
    SELECT * FROM (
      SELECT o.id AS orderId, o.canteen_id AS canteenId, o.resident_id AS residentId, o.service_date AS serviceDate,
        o.meal_period AS mealPeriod, o.elder_subsidy_fen + o.operator_subsidy_fen AS amountFen,
        date(o.created_at, ${offset}) AS localDate, strftime('%H:%M', o.created_at, ${offset}) AS localTime, mp.opens AS opens, mp.closes AS closes
      FROM orders o INDEXED BY orders_settlement
        JOIN canteens c ON c.id = o.canteen_id
        JOIN canteen_meal_periods mp ON mp.canteen_id = o.canteen_id AND mp.period = o.meal_period
      WHERE o.service_date BETWEEN ${p.from} AND ${p.to} AND ${COUNTED} AND ${SUBSIDISED} AND ${inScope(p.canteenIds)}
    )
    WHERE localDate <> serviceDate OR localTime < time(opens, ${before}) OR localTime >= time(closes, ${after})
    ORDER BY serviceDate, localTime`);
}

export interface SlotCount {
  canteenId: string;
  serviceDate: string;
  mealPeriod: string;
  /** Counted orders. */
  orders: number;
  subsidised: number;
  /** Orders of registered residents (elders), and how many of them staff keyed in. */
  residentOrders: number;
  staffKeyed: number;
  /** Subsidised orders priced exactly at one of `capPrices`. */
  atCap: number;
}

/** Counted orders per canteen, day and meal between two dates, from the index alone. */
export function slotCounts(db: Reader, from: string, to: string, canteenIds: string[] | null, capPrices: number[]): SlotCount[] {
  const caps = JSON.stringify(capPrices);
  return db.all<SlotCount>(sql`
    SELECT o.canteen_id AS canteenId, o.service_date AS serviceDate, o.meal_period AS mealPeriod, count(*) AS orders,
      sum(${SUBSIDISED}) AS subsidised, sum(o.resident_id IS NOT NULL) AS residentOrders,
      sum(o.resident_id IS NOT NULL AND o.identify_method = 'staff') AS staffKeyed,
      sum(${SUBSIDISED} AND o.meal_price_fen IN (SELECT value FROM json_each(${caps}))) AS atCap
    FROM orders o INDEXED BY orders_settlement
    WHERE o.service_date BETWEEN ${from} AND ${to} AND ${COUNTED} AND ${inScope(canteenIds)}
    GROUP BY o.service_date, o.canteen_id, o.meal_period`);
}

/** City-wide totals of a period (the norms canteens are compared with), from the index alone. */
export function cityTotals(db: Reader, from: string, to: string, capPrices: number[]) {
  const caps = JSON.stringify(capPrices);
  return db.get<{ residentOrders: number; staffKeyed: number; subsidised: number; atCap: number }>(sql`
    SELECT coalesce(sum(o.resident_id IS NOT NULL), 0) AS residentOrders,
      coalesce(sum(o.resident_id IS NOT NULL AND o.identify_method = 'staff'), 0) AS staffKeyed,
      coalesce(sum(${SUBSIDISED}), 0) AS subsidised,
      coalesce(sum(${SUBSIDISED} AND o.meal_price_fen IN (SELECT value FROM json_each(${caps}))), 0) AS atCap
    FROM orders o INDEXED BY orders_settlement
    WHERE o.service_date BETWEEN ${from} AND ${to} AND ${COUNTED}`);
}

/** The first service date any order has (how far back the platform's records go). */
export function firstServiceDate(db: Reader): string | null {
  return db.get<{ d: string | null }>(sql`SELECT min(service_date) AS d FROM orders`)?.d ?? null;
}

/** The counted orders of one canteen's meal on one day. */
export function slotOrders(db: Reader, canteenId: string, serviceDate: string, mealPeriod: string, subsidisedOnly: boolean) {
  return db.all<OrderHit>(sql`
    SELECT o.id AS orderId, o.canteen_id AS canteenId, o.resident_id AS residentId, o.service_date AS serviceDate,
      o.meal_period AS mealPeriod, o.elder_subsidy_fen + o.operator_subsidy_fen AS amountFen
    FROM orders o INDEXED BY orders_settlement
    WHERE o.service_date = ${serviceDate} AND o.canteen_id = ${canteenId} AND o.meal_period = ${mealPeriod} AND ${COUNTED}
      AND ${subsidisedOnly ? SUBSIDISED : sql`1`}
    ORDER BY o.created_at`);
}

/** One canteen's counted orders of a period that staff keyed in for a registered resident. */
export function staffKeyedOrders(db: Reader, canteenId: string, from: string, to: string) {
  return db.all<OrderHit>(sql`
    SELECT o.id AS orderId, o.canteen_id AS canteenId, o.resident_id AS residentId, o.service_date AS serviceDate,
      o.meal_period AS mealPeriod, o.elder_subsidy_fen + o.operator_subsidy_fen AS amountFen
    FROM orders o INDEXED BY orders_settlement
    WHERE o.service_date BETWEEN ${from} AND ${to} AND o.canteen_id = ${canteenId} AND ${COUNTED}
      AND o.resident_id IS NOT NULL AND o.identify_method = 'staff'
    ORDER BY o.service_date, o.created_at`);
}

/** One canteen's subsidised orders of a period priced at one of the cap prices. */
export function cappedPriceOrders(db: Reader, canteenId: string, from: string, to: string, capPrices: number[]) {
  return db.all<OrderHit>(sql`
    SELECT o.id AS orderId, o.canteen_id AS canteenId, o.resident_id AS residentId, o.service_date AS serviceDate,
      o.meal_period AS mealPeriod, o.elder_subsidy_fen + o.operator_subsidy_fen AS amountFen
    FROM orders o INDEXED BY orders_settlement
    WHERE o.service_date BETWEEN ${from} AND ${to} AND o.canteen_id = ${canteenId} AND ${COUNTED} AND ${SUBSIDISED}
      AND o.meal_price_fen IN (SELECT value FROM json_each(${JSON.stringify(capPrices)}))
    ORDER BY o.service_date, o.created_at`);
}

/**
 * Subsidised orders of residents who have more than one in the same meal period (at any canteen). With a scope,
 * only residents with a subsidised order at one of its canteens are looked at.
 */
export function doubleSubsidy(db: Reader, p: Period) {
  const who =
    p.canteenIds === null
      ? sql`1`
      : sql`o.resident_id IN (SELECT o2.resident_id FROM orders o2 INDEXED BY orders_settlement
          WHERE o2.service_date BETWEEN ${p.from} AND ${p.to} AND ${inScope(p.canteenIds, sql.raw('o2.canteen_id'))}
            AND o2.resident_id IS NOT NULL AND o2.elder_subsidy_fen + o2.operator_subsidy_fen > 0)`;
  const groups = db.all<{ residentId: string; serviceDate: string; mealPeriod: string }>(sql`
    SELECT o.resident_id AS residentId, o.service_date AS serviceDate, o.meal_period AS mealPeriod
    FROM orders o INDEXED BY orders_settlement
    WHERE o.service_date BETWEEN ${p.from} AND ${p.to} AND ${COUNTED} AND ${SUBSIDISED} AND o.resident_id IS NOT NULL AND ${who}
    GROUP BY o.resident_id, o.service_date, o.meal_period HAVING count(*) > 1`);
  if (groups.length === 0) return [];
  return db.all<OrderHit & { createdAt: string }>(sql`
    SELECT o.id AS orderId, o.canteen_id AS canteenId, o.resident_id AS residentId, o.service_date AS serviceDate,
      o.meal_period AS mealPeriod, o.elder_subsidy_fen + o.operator_subsidy_fen AS amountFen, o.created_at AS createdAt
    FROM json_each(${JSON.stringify(groups.map((g) => [g.residentId, g.serviceDate, g.mealPeriod]))}) g
      JOIN orders o ON o.resident_id = json_extract(g.value, '$[0]') AND o.service_date = json_extract(g.value, '$[1]')
        AND o.meal_period = json_extract(g.value, '$[2]')
    WHERE ${COUNTED} AND ${SUBSIDISED}
    ORDER BY o.resident_id, o.service_date, o.meal_period, o.created_at`);
}

export interface CareBand {
  minLevel: number;
  maxLevel: number;
  amountFen: number;
}

/**
 * Delivery orders a care-level layer paid more for than the resident's care level (as recorded now, a grade 1–2
 * disability counting as levels 3–5) allows.
 */
export function deliveryLevel(db: Reader, p: Period, layerKey: string, bands: CareBand[]) {
  const bandOf = (level: SQL) =>
    bands.length === 0
      ? sql`0`
      : sql.join([sql`(CASE`, ...bands.map((b) => sql`WHEN ${level} BETWEEN ${b.minLevel} AND ${b.maxLevel} THEN ${b.amountFen}`), sql`ELSE 0 END)`], sql` `);
  const disabled = Math.max(0, ...bands.filter((b) => b.maxLevel >= 3 && b.minLevel <= 5).map((b) => b.amountFen));
  const expected = sql`max(${bandOf(sql`r.care_level`)}, CASE WHEN r.disability_grade IN (1, 2) THEN ${disabled} ELSE 0 END)`;
  return db.all<OrderHit & { paidFen: number; expectedFen: number; careLevel: number; disabilityGrade: number | null }>(sql`
    SELECT * FROM (
      SELECT o.id AS orderId, o.canteen_id AS canteenId, o.resident_id AS residentId, o.service_date AS serviceDate,
        o.meal_period AS mealPeriod, o.elder_subsidy_fen + o.operator_subsidy_fen AS amountFen, s.amount_fen AS paidFen,
        ${expected} AS expectedFen, r.care_level AS careLevel, r.disability_grade AS disabilityGrade
      FROM orders o INDEXED BY orders_settlement
        JOIN order_subsidies s ON s.order_id = o.id
        JOIN residents r ON r.id = o.resident_id
      WHERE o.service_date BETWEEN ${p.from} AND ${p.to} AND ${COUNTED} AND o.fulfilment = 'delivery' AND o.operator_subsidy_fen > 0
        AND s.layer_key = ${layerKey} AND s.amount_fen > 0 AND ${inScope(p.canteenIds)}
    ) WHERE paidFen > expectedFen
    ORDER BY serviceDate`);
}

// ───────────── the anomalies' own tables ─────────────

export function byKeys(db: Reader | Tx, keys: string[]): AnomalyRow[] {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(anomalies)
    .where(sql`${anomalies.key} IN (SELECT value FROM json_each(${JSON.stringify(keys)}))`)
    .all();
}

export function byId(db: Reader | Tx, id: string): AnomalyRow | undefined {
  return db.select().from(anomalies).where(eq(anomalies.id, id)).get();
}

/** Anomalies of a period (by the month scanned) at some canteens, of some kinds. */
export function inPeriod(db: Reader | Tx, from: string, to: string, canteenIds: string[] | null, kinds: readonly AnomalyKind[]): AnomalyRow[] {
  return db
    .select()
    .from(anomalies)
    .where(
      and(
        gte(anomalies.periodFrom, from),
        lte(anomalies.periodFrom, to),
        inArray(anomalies.kind, [...kinds]),
        canteenIds === null ? undefined : sql`${anomalies.canteenId} IN (SELECT value FROM json_each(${JSON.stringify(canteenIds)}))`,
      ),
    )
    .all();
}

export function insert(tx: Tx, row: AnomalyRow): void {
  tx.insert(anomalies).values(row).run();
}

export function update(tx: Tx, id: string, values: Partial<AnomalyRow>): void {
  tx.update(anomalies).set(values).where(eq(anomalies.id, id)).run();
}

export function remove(tx: Tx, id: string): void {
  tx.delete(anomalyOrders).where(eq(anomalyOrders.anomalyId, id)).run();
  tx.delete(anomalies).where(eq(anomalies.id, id)).run();
}

export function orderIdsOf(db: Reader | Tx, anomalyId: string): string[] {
  return db
    .select({ id: anomalyOrders.orderId })
    .from(anomalyOrders)
    .where(eq(anomalyOrders.anomalyId, anomalyId))
    .all()
    .map((r) => r.id);
}

export function replaceOrders(tx: Tx, anomalyId: string, orderIds: string[]): void {
  tx.delete(anomalyOrders).where(eq(anomalyOrders.anomalyId, anomalyId)).run();
  addOrders(tx, anomalyId, orderIds);
}

export function addOrders(tx: Tx, anomalyId: string, orderIds: string[]): void {
  insertMany(
    tx,
    anomalyOrders,
    orderIds.map((orderId) => ({ anomalyId, orderId })),
    400,
  );
}

export interface ListFilter {
  from?: string;
  to?: string;
  kind?: AnomalyKind;
  status?: AnomalyStatus;
  canteenId?: string;
  /** Street codes in [prefix, prefix:) — a district, a street, or the city. */
  areaPrefix?: string;
  /** The caller's scope: canteen ids (operators) or an area prefix. */
  scopeCanteens?: string[];
  scopeArea?: string;
}

function listWhere(f: ListFilter): SQL | undefined {
  const area = (p: string) => and(gte(anomalies.streetCode, p), lt(anomalies.streetCode, `${p}:`));
  return and(
    f.from !== undefined ? gte(anomalies.periodFrom, f.from) : undefined,
    f.to !== undefined ? lte(anomalies.periodFrom, f.to) : undefined,
    f.kind !== undefined ? eq(anomalies.kind, f.kind) : undefined,
    f.status !== undefined ? eq(anomalies.status, f.status) : undefined,
    f.canteenId !== undefined ? eq(anomalies.canteenId, f.canteenId) : undefined,
    f.areaPrefix !== undefined ? area(f.areaPrefix) : undefined,
    f.scopeArea !== undefined ? area(f.scopeArea) : undefined,
    f.scopeCanteens !== undefined ? sql`${anomalies.canteenId} IN (SELECT value FROM json_each(${JSON.stringify(f.scopeCanteens)}))` : undefined,
  );
}

/** A page of anomalies (open first, then newest period, then kind), with the total and the count per status. */
export function list(db: Reader, f: ListFilter, limit: number, offset: number) {
  const where = listWhere(f);
  const items = db
    .select()
    .from(anomalies)
    .where(where)
    .orderBy(sql`${anomalies.status} = 'open' DESC`, desc(anomalies.periodFrom), asc(anomalies.kind), asc(anomalies.firstDate), asc(anomalies.id))
    .limit(limit)
    .offset(offset)
    .all();
  const where2 = listWhere({ ...f, status: undefined });
  const counts = db
    .select({ status: anomalies.status, n: sql<number>`count(*)` })
    .from(anomalies)
    .where(where2)
    .groupBy(anomalies.status)
    .all();
  const total = f.status !== undefined ? (counts.find((c) => c.status === f.status)?.n ?? 0) : counts.reduce((a, c) => a + c.n, 0);
  return { items, total, counts };
}

/** Every anomaly a filter matches, `size` at a time after an id (exports). */
export function listAfter(db: Reader, f: ListFilter, afterId: string | null, size: number): AnomalyRow[] {
  return db
    .select()
    .from(anomalies)
    .where(and(listWhere(f), afterId === null ? undefined : sql`${anomalies.id} > ${afterId}`))
    .orderBy(asc(anomalies.id))
    .limit(size)
    .all();
}

/** The orders behind an anomaly, a page at a time, as the console lists them. */
export function ordersPage(db: Reader, anomalyId: string, limit: number, offset: number) {
  const items = db
    .select({
      orderId: orders.id,
      canteenId: orders.canteenId,
      serviceDate: orders.serviceDate,
      mealPeriod: orders.mealPeriod,
      residentId: orders.residentId,
      category: orders.residentCategory,
      createdAt: orders.createdAt,
      identifyMethod: orders.identifyMethod,
      state: orders.state,
      mealPriceFen: orders.mealPriceFen,
      subsidyFen: sql<number>`${orders.elderSubsidyFen} + ${orders.operatorSubsidyFen}`,
    })
    .from(anomalyOrders)
    .innerJoin(orders, eq(orders.id, anomalyOrders.orderId))
    .where(eq(anomalyOrders.anomalyId, anomalyId))
    .orderBy(asc(orders.serviceDate), asc(orders.createdAt))
    .limit(limit)
    .offset(offset)
    .all();
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(anomalyOrders)
    .where(eq(anomalyOrders.anomalyId, anomalyId))
    .get()!.n;
  return { items, total };
}

/** Anomalies (any status) that name some orders: order id → [anomaly id, kind, status][]. */
export function forOrders(db: Reader | Tx, orderIds: string[]) {
  if (orderIds.length === 0) return [];
  return db
    .select({ orderId: anomalyOrders.orderId, anomalyId: anomalies.id, kind: anomalies.kind, status: anomalies.status })
    .from(anomalyOrders)
    .innerJoin(anomalies, eq(anomalies.id, anomalyOrders.anomalyId))
    .where(sql`${anomalyOrders.orderId} IN (SELECT value FROM json_each(${JSON.stringify(orderIds)}))`)
    .all();
}

/** Anomalies of a canteen whose scanned month lies in [from, to], with their order ids for the confirmed ones. */
export function ofCanteen(db: Reader | Tx, canteenId: string, from: string, to: string): AnomalyRow[] {
  return db
    .select()
    .from(anomalies)
    .where(and(eq(anomalies.canteenId, canteenId), gte(anomalies.periodFrom, from), lte(anomalies.periodFrom, to)))
    .orderBy(asc(anomalies.kind), asc(anomalies.firstDate))
    .all();
}

/** Orders behind confirmed anomalies of a canteen for a period: [order id, anomaly id]. */
/** Canteens with a confirmed anomaly whose period starts in [from, to]. */
export function canteensWithConfirmed(db: Reader | Tx, from: string, to: string): string[] {
  return db
    .selectDistinct({ canteenId: anomalies.canteenId })
    .from(anomalies)
    .where(and(eq(anomalies.status, 'confirmed'), gte(anomalies.periodFrom, from), lte(anomalies.periodFrom, to)))
    .all()
    .map((r) => r.canteenId);
}

export function confirmedOrders(db: Reader | Tx, canteenId: string, from: string, to: string) {
  return db
    .select({ orderId: anomalyOrders.orderId, anomalyId: anomalies.id, kind: anomalies.kind, note: anomalies.note })
    .from(anomalies)
    .innerJoin(anomalyOrders, eq(anomalyOrders.anomalyId, anomalies.id))
    .where(and(eq(anomalies.canteenId, canteenId), eq(anomalies.status, 'confirmed'), gte(anomalies.periodFrom, from), lte(anomalies.periodFrom, to)))
    .all();
}

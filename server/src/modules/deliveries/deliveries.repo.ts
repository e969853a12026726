import { and, asc, eq, inArray, isNotNull, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { DeliveryState, MealPeriod } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import { preparedInsert } from '../../db/client';
import { deliveries } from '../../db/schema';

export type DeliveryRow = typeof deliveries.$inferSelect;

const insertQ = preparedInsert(deliveries);

/** Insert a delivery (every column named). */
export function insertDelivery(tx: Tx, row: DeliveryRow): void {
  insertQ(tx).run(row);
}

export function deliveryById(db: Reader | Tx, id: string): DeliveryRow | undefined {
  return db.select().from(deliveries).where(eq(deliveries.id, id)).get();
}

export function deliveryOfOrder(db: Reader | Tx, orderId: string): DeliveryRow | undefined {
  return db.select().from(deliveries).where(eq(deliveries.orderId, orderId)).get();
}

export function deliveriesByIds(db: Reader | Tx, ids: string[]): DeliveryRow[] {
  if (ids.length === 0) return [];
  return db.select().from(deliveries).where(inArray(deliveries.id, ids)).all();
}

export interface DayFilter {
  canteenId: string;
  serviceDate: string;
  mealPeriod?: MealPeriod;
  state?: DeliveryState;
  courier?: string;
}

function dayWhere(f: DayFilter): SQL {
  const conds: SQL[] = [eq(deliveries.canteenId, f.canteenId), eq(deliveries.serviceDate, f.serviceDate)];
  if (f.mealPeriod) conds.push(eq(deliveries.mealPeriod, f.mealPeriod));
  if (f.state) conds.push(eq(deliveries.state, f.state));
  if (f.courier !== undefined) conds.push(f.courier === '' ? isNull(deliveries.courier) : eq(deliveries.courier, f.courier));
  return and(...conds)!;
}

/** A canteen's deliveries of one day (filtered), a page of them, in courier and stop order, with the total. */
export function dayDeliveries(db: Reader | Tx, f: DayFilter, limit: number, offset: number): { items: DeliveryRow[]; total: number } {
  const where = dayWhere(f);
  const items = db
    .select()
    .from(deliveries)
    .where(where)
    .orderBy(asc(deliveries.courier), asc(deliveries.stopOrder), asc(deliveries.pickupNumber))
    .limit(limit)
    .offset(offset)
    .all();
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(deliveries)
    .where(where)
    .get()!.n;
  return { items, total: Number(total) };
}

/** The stops of one courier's round on a day (not cancelled). */
export function roundOf(db: Reader | Tx, canteenId: string, serviceDate: string, courier: string): DeliveryRow[] {
  return db
    .select()
    .from(deliveries)
    .where(
      and(eq(deliveries.canteenId, canteenId), eq(deliveries.serviceDate, serviceDate), eq(deliveries.courier, courier), ne(deliveries.state, 'cancelled')),
    )
    .all();
}

/** Couriers a canteen has used (names), most recent first. */
export function couriersOf(db: Reader | Tx, canteenId: string): string[] {
  return db
    .select({ courier: deliveries.courier, last: sql<string>`max(${deliveries.serviceDate})` })
    .from(deliveries)
    .where(and(eq(deliveries.canteenId, canteenId), isNotNull(deliveries.courier)))
    .groupBy(deliveries.courier)
    .orderBy(sql`2 desc`)
    .limit(50)
    .all()
    .map((r) => r.courier!);
}

/** Alerts raised and not yet acknowledged, at some canteens. */
export function openAlerts(db: Reader | Tx, canteenIds: string[]): DeliveryRow[] {
  if (canteenIds.length === 0) return [];
  return db
    .select()
    .from(deliveries)
    .where(and(inArray(deliveries.canteenId, canteenIds), isNotNull(deliveries.alertAt), isNull(deliveries.alertAckAt)))
    .orderBy(asc(deliveries.alertAt))
    .all();
}

export function updateDelivery(tx: Tx, id: string, values: Partial<typeof deliveries.$inferInsert>): void {
  tx.update(deliveries).set(values).where(eq(deliveries.id, id)).run();
}

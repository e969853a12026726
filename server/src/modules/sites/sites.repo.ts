import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { areas, calendarDays, canteenMealPeriods, canteens, orders, organisations } from '../../db/schema';

export type CanteenRow = typeof canteens.$inferSelect;

export function allAreas(db: Reader) {
  return db.select().from(areas).all();
}

export function areaNames(db: Reader): Map<string, string> {
  return new Map(allAreas(db).map((a) => [a.code, a.name]));
}

export function canteenById(db: Reader | Tx, id: string): CanteenRow | undefined {
  return db.select().from(canteens).where(eq(canteens.id, id)).get();
}

export function allCanteens(db: Reader): CanteenRow[] {
  return db.select().from(canteens).orderBy(canteens.districtCode, canteens.streetCode, canteens.code).all();
}

export function mealPeriodsOf(db: Reader | Tx, canteenIds: string[]) {
  if (canteenIds.length === 0) return [];
  return db.select().from(canteenMealPeriods).where(inArray(canteenMealPeriods.canteenId, canteenIds)).all();
}

export function organisationNames(db: Reader): Map<string, string> {
  return new Map(
    db
      .select()
      .from(organisations)
      .all()
      .map((o) => [o.id, o.name]),
  );
}

export function todayCounts(db: Reader, serviceDate: string) {
  return db
    .select({
      canteenId: orders.canteenId,
      orders: sql<number>`count(*)`,
      subsidised: sql<number>`sum(case when ${orders.elderSubsidyFen} > 0 then 1 else 0 end)`,
      revenue: sql<number>`sum(${orders.elderPaysFen})`,
    })
    .from(orders)
    .where(and(eq(orders.serviceDate, serviceDate), sql`${orders.state} not in ('cancelled','refunded')`))
    .groupBy(orders.canteenId)
    .all();
}

export function calendar(db: Reader | Tx) {
  const rows = db.select().from(calendarDays).all();
  return {
    holidays: rows.filter((r) => r.kind === 'holiday').map((r) => r.date),
    adjustedWorkingDays: rows.filter((r) => r.kind === 'working').map((r) => r.date),
  };
}

export function updateStatus(tx: Tx, id: string, values: Pick<CanteenRow, 'status' | 'statusReason' | 'statusFrom' | 'statusUntil'>) {
  tx.update(canteens).set(values).where(eq(canteens.id, id)).run();
}

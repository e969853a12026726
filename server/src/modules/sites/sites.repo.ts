import { eq, inArray, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { cachedRead, insertMany, prepared } from '../../db/client';
import { areas, calendarDays, canteenMealPeriods, canteens, organisations } from '../../db/schema';

export type CanteenRow = typeof canteens.$inferSelect;
export type AreaRow = typeof areas.$inferSelect;
export type MealPeriodRow = typeof canteenMealPeriods.$inferSelect;

export function allAreas(db: Reader | Tx): AreaRow[] {
  return db.select().from(areas).all();
}

const canteenByIdQ = prepared((db) =>
  db
    .select()
    .from(canteens)
    .where(eq(canteens.id, sql.placeholder('id')))
    .prepare(),
);

/** Kept in memory until the canteens table is written (status changes, new canteens). Frozen: copy to change. */
export const canteenById = cachedRead([canteens], (db, id: string): CanteenRow | undefined => canteenByIdQ(db).get({ id }));

export function allCanteens(db: Reader | Tx): CanteenRow[] {
  return db.select().from(canteens).orderBy(canteens.districtCode, canteens.streetCode, canteens.code).all();
}

export function canteenCount(db: Reader | Tx): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(canteens)
    .get()!.n;
}

const mealPeriodsQ = prepared((db) =>
  db
    .select()
    .from(canteenMealPeriods)
    .where(eq(canteenMealPeriods.canteenId, sql.placeholder('canteenId')))
    .prepare(),
);

/** One canteen's opening hours, kept in memory until they are written. Frozen. */
export const mealPeriodsOfCanteen = cachedRead([canteenMealPeriods], (db, canteenId: string): MealPeriodRow[] => mealPeriodsQ(db).all({ canteenId }));

export function mealPeriodsOf(db: Reader | Tx, canteenIds: string[]): MealPeriodRow[] {
  if (canteenIds.length === 0) return [];
  return db.select().from(canteenMealPeriods).where(inArray(canteenMealPeriods.canteenId, canteenIds)).all();
}

export function organisationNames(db: Reader | Tx): Map<string, string> {
  return new Map(
    db
      .select()
      .from(organisations)
      .all()
      .map((o) => [o.id, o.name]),
  );
}

/** The official calendar's days, kept in memory until the calendar is written. Frozen. */
export const calendarDaysAll = cachedRead([calendarDays], (db) => db.select().from(calendarDays).all());

export function updateStatus(tx: Tx, id: string, values: Pick<CanteenRow, 'status' | 'statusReason' | 'statusFrom' | 'statusUntil'>) {
  tx.update(canteens).set(values).where(eq(canteens.id, id)).run();
}

// ───────────── loading reference data (the demo seed) ─────────────

export function insertAreas(tx: Tx, rows: (typeof areas.$inferInsert)[]) {
  insertMany(tx, areas, rows);
}
export function insertCalendarDays(tx: Tx, rows: (typeof calendarDays.$inferInsert)[]) {
  insertMany(tx, calendarDays, rows);
}
export function insertOrganisations(tx: Tx, rows: (typeof organisations.$inferInsert)[]) {
  insertMany(tx, organisations, rows);
}
export function insertCanteens(tx: Tx, rows: (typeof canteens.$inferInsert)[]) {
  insertMany(tx, canteens, rows);
}
export function insertMealPeriods(tx: Tx, rows: (typeof canteenMealPeriods.$inferInsert)[]) {
  insertMany(tx, canteenMealPeriods, rows);
}

import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { preparedInsert } from '../../db/client';
import { foodSamples } from '../../db/schema';

export type FoodSampleRow = typeof foodSamples.$inferSelect;

const insertQ = preparedInsert(foodSamples);

export function insertSample(tx: Tx, row: FoodSampleRow): void {
  insertQ(tx).run(row);
}

export function sampleById(db: Reader | Tx, id: string): FoodSampleRow | undefined {
  return db.select().from(foodSamples).where(eq(foodSamples.id, id)).get();
}

/** A canteen's samples with a service date in [from, to] (index food_samples_canteen). */
export function samplesBetween(db: Reader | Tx, canteenId: string, from: string, to: string): FoodSampleRow[] {
  return db
    .select()
    .from(foodSamples)
    .where(and(eq(foodSamples.canteenId, canteenId), gte(foodSamples.serviceDate, from), lte(foodSamples.serviceDate, to)))
    .orderBy(asc(foodSamples.serviceDate), asc(foodSamples.mealPeriod), asc(foodSamples.storedAt))
    .all();
}

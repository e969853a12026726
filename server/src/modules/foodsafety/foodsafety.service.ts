/**
 * Food safety: the food-sample log (留样). Each dish served is sampled, at least 125 g, kept at least 48 hours;
 * the log says what, how much, when it may be thrown away and who put it away. A served day (a meal period with
 * orders) with no sample is a reminder on the console and in the daily close. Owns food_samples.
 */
import type { z } from 'zod';
import {
  AppError,
  FOOD_SAMPLE_MIN_GRAMS,
  FOOD_SAMPLE_MIN_HOURS,
  type CreateFoodSampleRequest,
  type FoodSample,
  type FoodSampleList,
} from '@yishi/shared/schemas';
import { addDays, daysBetween, localParts, type MealPeriod } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { actorId, assertOperates, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import * as orders from '../orders/orders.service';
import * as sites from '../sites/sites.service';
import * as repo from './foodsafety.repo';

function toSample(r: repo.FoodSampleRow): FoodSample {
  return {
    id: r.id,
    canteenId: r.canteenId,
    serviceDate: r.serviceDate,
    mealPeriod: r.mealPeriod,
    dishId: r.dishId,
    dishName: r.dishName,
    weightGrams: r.weightGrams,
    storedAt: r.storedAt,
    discardAfter: r.discardAfter,
    storedBy: r.storedBy,
    recordedBy: r.recordedBy,
    note: r.note,
  };
}

/** Served meal periods in [from, to] with no sample logged (only days that have passed or are today). */
export function missingSamples(
  db: Reader | Tx,
  canteenId: string,
  from: string,
  to: string,
): { serviceDate: string; mealPeriod: MealPeriod; orders: number }[] {
  const kept = new Set(repo.samplesBetween(db, canteenId, from, to).map((s) => `${s.serviceDate}|${s.mealPeriod}`));
  return orders
    .servedSlots(db, canteenId, from, to)
    .filter((s) => !kept.has(`${s.serviceDate}|${s.mealPeriod}`))
    .sort((a, b) => b.serviceDate.localeCompare(a.serviceDate) || a.mealPeriod.localeCompare(b.mealPeriod));
}

/** How many samples were kept on a day. */
export function samplesOn(db: Reader | Tx, canteenId: string, serviceDate: string): number {
  return repo.samplesBetween(db, canteenId, serviceDate, serviceDate).length;
}

export function list(ctx: Ctx, actor: Actor, canteenId: string, q: { from: string; to: string }): FoodSampleList {
  const db = ctx.db.read;
  const c = sites.requireVisibleCanteen(db, actor, canteenId);
  if (daysBetween(q.from, q.to) > 92) throw new AppError('bad_request', 'at most three months at a time', 400, { field: 'from' });
  const today = localParts(ctx.clock.now(), c.timeZone).date;
  const to = q.to < today ? q.to : today;
  return {
    items: repo.samplesBetween(db, canteenId, q.from, q.to).map(toSample),
    missing: q.from <= to ? missingSamples(db, canteenId, q.from, to) : [],
  };
}

export async function record(
  ctx: Ctx,
  actor: Actor,
  canteenId: string,
  body: z.infer<typeof CreateFoodSampleRequest>,
): Promise<{ sample: FoodSample; created: boolean }> {
  const c = sites.requireVisibleCanteen(ctx.db.read, actor, canteenId);
  assertOperates(actor, c);
  // The schema says so too; the service holds the rule whoever calls it.
  if (body.weightGrams < FOOD_SAMPLE_MIN_GRAMS)
    throw new AppError('bad_request', `每个品种留样不少于 ${FOOD_SAMPLE_MIN_GRAMS} 克`, 400, { field: 'weightGrams' });
  if (body.keepHours < FOOD_SAMPLE_MIN_HOURS) throw new AppError('bad_request', `留样保存不少于 ${FOOD_SAMPLE_MIN_HOURS} 小时`, 400, { field: 'keepHours' });
  const now = ctx.clock.now();
  const today = localParts(now, c.timeZone).date;
  if (body.serviceDate > today) throw new AppError('bad_request', '不能为未来的日期登记留样', 400, { field: 'serviceDate' });
  // A paper log may be typed in a few days late; older than a week is not a record of this week's samples.
  if (body.serviceDate < addDays(today, -7)) throw new AppError('bad_request', '只能补登最近 7 天的留样记录', 400, { field: 'serviceDate' });
  const storedAt = now.toISOString();
  const discardAfter = new Date(now.getTime() + body.keepHours * 3_600_000).toISOString();
  const result = await ctx.db.write((tx) => {
    const existing = repo.sampleById(tx, body.id);
    if (existing) {
      if (existing.canteenId !== canteenId || existing.dishName !== body.dishName || existing.weightGrams !== body.weightGrams) {
        throw new AppError('idempotency_mismatch', 'that sample id was already used for another sample');
      }
      return { row: existing, created: false };
    }
    const row: repo.FoodSampleRow = {
      id: body.id,
      canteenId,
      serviceDate: body.serviceDate,
      mealPeriod: body.mealPeriod,
      dishName: body.dishName,
      weightGrams: body.weightGrams,
      storedAt,
      discardAfter,
      storedBy: body.storedBy,
      note: body.note,
      dishId: body.dishId,
      recordedBy: actorId(actor),
    };
    repo.insertSample(tx, row);
    audit.record(tx, actor, now, {
      action: 'food_sample.recorded',
      entityType: 'canteen',
      entityId: canteenId,
      details: { sampleId: body.id, serviceDate: body.serviceDate, mealPeriod: body.mealPeriod, dishName: body.dishName, weightGrams: body.weightGrams },
    });
    return { row, created: true };
  });
  return { sample: toSample(result.row), created: result.created };
}

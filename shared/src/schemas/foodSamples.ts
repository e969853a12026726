import { CONTROL_MESSAGE, CONTROL_MESSAGE_MULTI, MULTI_LINE, SINGLE_LINE } from './text';
import { z } from 'zod';
import { Id, LocalDate, MealPeriod } from './common';

/** Food safety: a sample of every dish served is kept, at least 125 g, for at least 48 hours (domain.md). */
export const FOOD_SAMPLE_MIN_GRAMS = 125;
export const FOOD_SAMPLE_MIN_HOURS = 48;

export const FoodSample = z.object({
  id: z.string(),
  canteenId: z.string(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  dishId: z.string().nullable(),
  dishName: z.string(),
  weightGrams: z.number().int(),
  storedAt: z.string(),
  /** storedAt + the hours kept: not to be thrown away before this. */
  discardAfter: z.string(),
  /** Who put the sample away (a name: often a cook without a console account). */
  storedBy: z.string(),
  /** The console user who recorded it. */
  recordedBy: z.string().nullable(),
  note: z.string().nullable(),
});
export type FoodSample = z.infer<typeof FoodSample>;

export const CreateFoodSampleRequest = z.strictObject({
  /** Client-made uuid: a retried save records the sample once. */
  id: z.uuid(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  dishId: Id.nullable().default(null),
  dishName: z.string().trim().min(1, '请填写菜品名称').max(60, '菜品名称不超过 60 个字').regex(SINGLE_LINE, CONTROL_MESSAGE),
  weightGrams: z
    .number({ error: '请填写留样重量（克）' })
    .int('留样重量请填整数克')
    .min(FOOD_SAMPLE_MIN_GRAMS, `每个品种留样不少于 ${FOOD_SAMPLE_MIN_GRAMS} 克`)
    .max(2000, '留样重量不超过 2000 克'),
  /** How long it is kept: at least 48 hours. */
  keepHours: z
    .number()
    .int('留样时间请填整数小时')
    .min(FOOD_SAMPLE_MIN_HOURS, `留样保存不少于 ${FOOD_SAMPLE_MIN_HOURS} 小时`)
    .max(24 * 14, '留样保存不超过 14 天')
    .default(FOOD_SAMPLE_MIN_HOURS),
  storedBy: z.string().trim().min(1, '请填写留样人').max(40, '留样人姓名不超过 40 个字').regex(SINGLE_LINE, CONTROL_MESSAGE),
  note: z.string().trim().max(200, '备注不超过 200 个字').regex(MULTI_LINE, CONTROL_MESSAGE_MULTI).nullable().default(null),
});
export type CreateFoodSampleRequest = z.infer<typeof CreateFoodSampleRequest>;

export const FoodSampleQuery = z
  .strictObject({ from: LocalDate, to: LocalDate })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });
export const FoodSampleList = z.object({
  items: z.array(FoodSample),
  /** Served meal periods (a day with orders) in the range with no sample: the reminder. */
  missing: z.array(z.object({ serviceDate: LocalDate, mealPeriod: MealPeriod, orders: z.number().int() })),
});
export type FoodSampleList = z.infer<typeof FoodSampleList>;

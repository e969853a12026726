import { z } from 'zod';
import { AREA_LEVELS, CANTEEN_STATUSES, SUPPLY_MODES } from '../domain/enums';
import { LocalDate, LocalTime, MealPeriod, multiLine } from './common';

export const Area = z.object({ code: z.string(), name: z.string(), level: z.enum(AREA_LEVELS), parentCode: z.string().nullable() });

export const MealPeriodHoursSchema = z.object({
  period: MealPeriod,
  opens: LocalTime,
  closes: LocalTime,
  days: z.array(z.number().int().min(1).max(7)),
});

/**
 * Today's figures at a canteen. Money is the elders' part, by where it stands: received (paid, ready or
 * completed orders; per method), still awaited at the counter, refunded. An unpaid counter order is not revenue.
 */
export const TodayFigures = z.object({
  orders: z.number().int(),
  subsidisedMeals: z.number().int(),
  /** Received: the same as paidFen (kept for older clients). */
  revenueFen: z.number().int(),
  paidFen: z.number().int(),
  awaitingFen: z.number().int(),
  awaitingCount: z.number().int(),
  refundedFen: z.number().int(),
  byMethod: z.object({ cash: z.number().int(), wallet: z.number().int(), external: z.number().int() }),
});
export type TodayFigures = z.infer<typeof TodayFigures>;

export const CanteenSummary = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  districtCode: z.string(),
  districtName: z.string(),
  streetCode: z.string(),
  streetName: z.string(),
  supplyMode: z.enum(SUPPLY_MODES),
  address: z.string(),
  seats: z.number().int(),
  dineIn: z.boolean(),
  delivery: z.boolean(),
  status: z.enum(CANTEEN_STATUSES),
  statusReason: z.string().nullable(),
  operatorName: z.string(),
  timeZone: z.string(),
  mealPeriods: z.array(MealPeriodHoursSchema),
  today: TodayFigures,
});
export type CanteenSummary = z.infer<typeof CanteenSummary>;

export const CanteenStatusRequest = z.strictObject({
  status: z.enum(CANTEEN_STATUSES),
  reason: multiLine(200),
  from: LocalDate,
  until: LocalDate.nullable().default(null),
});

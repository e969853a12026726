import { z } from 'zod';
import { AREA_LEVELS, CANTEEN_STATUSES } from '../domain/enums';
import { MAX_REPORT_DAYS, MEAL_RATINGS, REPORT_GROUPINGS } from '../domain/indicators';
import { LayerKindSchema } from '../policy/schema';
import { AreaCode, Id, LocalDate, Month, Uuid } from './common';

/**
 * Reports over a date range, canteen indicators with their roll-up, and the kiosk's one-tap meal rating
 * (GET /reports, /reports/indicators, their exports; POST /ratings). Definitions: docs/indicators.md.
 */

/** A period is a month (`month=2026-11`) or a date range (`from` … `to`, both inclusive); one of the two. */
const PeriodFields = { month: Month.optional(), from: LocalDate.optional(), to: LocalDate.optional() };
/** What the figures cover: one canteen, or an area (street, district, city); neither = the caller's own scope. */
const ScopeFields = { canteenId: Id.optional(), areaCode: AreaCode.optional() };

interface PeriodAndScope {
  month?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  canteenId?: string | undefined;
  areaCode?: string | undefined;
}

function checkPeriodAndScope(q: PeriodAndScope, ctx: z.RefinementCtx) {
  if (q.month !== undefined) {
    if (q.from !== undefined || q.to !== undefined) ctx.addIssue({ code: 'custom', path: ['month'], message: 'give a month or from/to, not both' });
  } else if (q.from === undefined || q.to === undefined) {
    ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'give a month, or both from and to' });
  } else if (q.to < q.from) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
  } else if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 > MAX_REPORT_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `a period covers at most ${MAX_REPORT_DAYS} days` });
  }
  if (q.canteenId !== undefined && q.areaCode !== undefined)
    ctx.addIssue({ code: 'custom', path: ['areaCode'], message: 'give a canteen or an area, not both' });
}

export const REPORT_EXPORT_FORMATS = ['xlsx', 'pdf'] as const;
const ExportFormat = z.enum(REPORT_EXPORT_FORMATS);

export const ReportQuery = z
  .strictObject({ ...PeriodFields, ...ScopeFields, groupBy: z.enum(REPORT_GROUPINGS).default('day') })
  .superRefine(checkPeriodAndScope);
export type ReportQuery = z.infer<typeof ReportQuery>;
export const ReportExportQuery = z
  .strictObject({ ...PeriodFields, ...ScopeFields, groupBy: z.enum(REPORT_GROUPINGS).default('day'), format: ExportFormat })
  .superRefine(checkPeriodAndScope);

export const IndicatorsQuery = z.strictObject({ ...PeriodFields, ...ScopeFields }).superRefine(checkPeriodAndScope);
export type IndicatorsQuery = z.infer<typeof IndicatorsQuery>;
export const IndicatorsExportQuery = z.strictObject({ ...PeriodFields, ...ScopeFields, format: ExportFormat }).superRefine(checkPeriodAndScope);

/** A count (never negative). */
const Count = z.number().int().min(0);
/** A sum of integer fen over many orders (may exceed one order's MAX_FEN; always a safe integer). */
const FenSum = z.number().int().min(0);

/** What a report or an indicator set covers. `canteens` = an operator's own canteens together. */
export const ScopeRef = z.object({
  kind: z.enum(['area', 'canteen', 'canteens']),
  /** The area code or the canteen id; null for an operator's canteens together. */
  code: z.string().nullable(),
  name: z.string(),
  level: z.enum(AREA_LEVELS).nullable(),
});
export type ScopeRef = z.infer<typeof ScopeRef>;

/** Figures of a set of orders (by service date): counted = neither cancelled nor refunded. */
export const ReportFigures = z.object({
  /** Counted orders (one order is one meal). */
  meals: Count,
  /** Counted orders with a meal subsidy for the elder. */
  subsidisedMeals: Count,
  /** Counted orders delivered to the elder's home. */
  deliveries: Count,
  /** Counted orders without a resident (guests). */
  guestMeals: Count,
  /** What the meals cost before any subsidy. */
  mealValueFen: FenSum,
  /** Subsidy deducted for elders at payment (meal layers). */
  elderSubsidyFen: FenSum,
  /** Subsidy owed to operators (delivery and operating layers). */
  operatorSubsidyFen: FenSum,
  /** What elders were charged (paid, or still to pay at the counter). */
  elderPaysFen: FenSum,
  /** Orders still awaiting payment at the counter, and their amount (part of elderPaysFen). */
  awaitingPaymentOrders: Count,
  awaitingPaymentFen: FenSum,
  /** Orders refunded after payment, and what was given back (not counted as meals). */
  refundedOrders: Count,
  refundedFen: FenSum,
  /** Orders cancelled before payment (not counted as meals). */
  cancelledOrders: Count,
});
export type ReportFigures = z.infer<typeof ReportFigures>;

/** Subsidy of counted orders by who pays it and what kind it is. */
export const SubsidyByPayer = z.object({ payer: z.string(), kind: LayerKindSchema, amountFen: FenSum, orders: Count });
export type SubsidyByPayer = z.infer<typeof SubsidyByPayer>;

export const ReportRow = z.object({
  /** The group: a date, a month, a category code ('guest' for guests), a meal period, a canteen id, an area code … */
  key: z.string(),
  /** The group's name where the server knows it (canteens and areas); codes are translated by the client. */
  label: z.string().nullable(),
  figures: ReportFigures,
  subsidies: z.array(SubsidyByPayer),
});
export type ReportRow = z.infer<typeof ReportRow>;

export const Report = z.object({
  from: LocalDate,
  to: LocalDate,
  groupBy: z.enum(REPORT_GROUPINGS),
  scope: ScopeRef,
  rows: z.array(ReportRow),
  totals: z.object({ figures: ReportFigures, subsidies: z.array(SubsidyByPayer) }),
});
export type Report = z.infer<typeof Report>;

/** Ratios of the indicators (0 … 1), null when there is nothing to divide by. Definitions: docs/indicators.md. */
const Rate = z.number().min(0).max(1).nullable();

export const IndicatorFigures = z.object({
  /** Canteens counted in this figure. */
  canteens: Count,
  meals: Count,
  subsidisedMeals: Count,
  deliveries: Count,
  /** Counted meals with no meal subsidy: the elder (or guest) paid the full price. */
  selfPayingMeals: Count,
  guestMeals: Count,
  /** Meals and subsidised meals by the category the order counts under ('guest' for guests). */
  byCategory: z.array(z.object({ category: z.string(), meals: Count, subsidisedMeals: Count })),
  /** Most needy residents (特困, 低保, 低保边缘) on the register in the period, and how many of them ate a subsidised meal. */
  needy: z.object({ registered: Count, served: Count }),
  satisfaction: z.object({ satisfied: Count, neutral: Count, unsatisfied: Count }),
  /** Days with meals served, and of them days with a food sample logged (canteen-days in an area). */
  foodSamples: z.object({ servedDays: Count, sampledDays: Count }),
  /** Weeks with a menu, and of them weeks whose menu changed from the week before (canteen-weeks in an area). */
  menus: z.object({ weeks: Count, updatedWeeks: Count }),
  /**
   * Official working days up to the last completed day (from the canteen's opening date): on how many its own hours
   * open lunch, on how many lunch was served, and on how many it stood suspended or closed (canteen-days in an area).
   */
  serving: z.object({ workingDays: Count, scheduledDays: Count, servedDays: Count, suspendedDays: Count }),
  rates: z.object({
    subsidised: Rate,
    coverage: Rate,
    selfPaying: Rate,
    satisfaction: Rate,
    foodSamples: Rate,
    menuUpdates: Rate,
    compliance: Rate,
  }),
});
export type IndicatorFigures = z.infer<typeof IndicatorFigures>;

export const IndicatorNode = z.object({
  kind: z.enum(['area', 'canteen']),
  /** The area code, or the canteen id. */
  code: z.string(),
  name: z.string(),
  level: z.enum([...AREA_LEVELS, 'canteen']),
  /** A canteen's status now (open, suspended, closed); null for an area. */
  status: z.enum(CANTEEN_STATUSES).nullable(),
  streetName: z.string().nullable(),
  districtName: z.string().nullable(),
  figures: IndicatorFigures,
});
export type IndicatorNode = z.infer<typeof IndicatorNode>;

export const Indicators = z.object({
  from: LocalDate,
  to: LocalDate,
  /** Serving days are counted up to this day (the last completed day, or `to`). */
  servedUpTo: LocalDate,
  scope: ScopeRef,
  /** The areas above the scope, from the top the caller may see (for a breadcrumb). */
  path: z.array(z.object({ code: z.string(), name: z.string(), level: z.enum(AREA_LEVELS) })),
  figures: IndicatorFigures,
  /** One level down: a city's districts, a district's streets, a street's (or an operator's) canteens. */
  children: z.array(IndicatorNode),
  /** Every canteen in the scope, for comparison. */
  canteens: z.array(IndicatorNode),
  daily: z.array(z.object({ date: LocalDate, meals: Count, subsidisedMeals: Count })),
});
export type Indicators = z.infer<typeof Indicators>;

/** POST /ratings: the kiosk that placed an order sends the elder's one tap. */
export const RatingRequest = z.strictObject({ orderId: Uuid, rating: z.enum(MEAL_RATINGS) });
export type RatingRequest = z.infer<typeof RatingRequest>;
export const RatingResponse = z.object({ orderId: z.string(), rating: z.enum(MEAL_RATINGS), ratedAt: z.string() });
export type RatingResponse = z.infer<typeof RatingResponse>;

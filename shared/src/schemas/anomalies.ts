import { z } from 'zod';
import { ANOMALY_KINDS, ANOMALY_STATUSES, IDENTIFY_METHODS, ORDER_STATES } from '../domain/enums';
import { ORDER_CATEGORIES } from '../domain/categories';
import { AreaCode, Fen, Id, LocalDate, MealPeriod, Month } from './common';
import { multiLine } from './text';

export const AnomalyKind = z.enum(ANOMALY_KINDS);
export const AnomalyStatus = z.enum(ANOMALY_STATUSES);

/** Something the scan found for a reviewer to explain or confirm before the claim is approved. */
export const Anomaly = z.object({
  id: z.string(),
  kind: AnomalyKind,
  status: AnomalyStatus,
  canteenId: z.string(),
  canteenName: z.string(),
  streetCode: z.string(),
  districtCode: z.string(),
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  /** The month scanned. */
  periodFrom: LocalDate,
  periodTo: LocalDate,
  /** The service dates the finding spans. */
  firstDate: LocalDate,
  lastDate: LocalDate,
  /**
   * Plain Chinese, with the figures, as the scan wrote it: what zh-CN exports carry, and what the console shows when
   * `figures` do not parse as AnomalyFigures[kind] (an anomaly scanned before the figures carried every part of it).
   */
  explanation: z.string(),
  /**
   * The figures behind the explanation (kind-specific: counts, shares, thresholds). Since the scan stores them as
   * AnomalyFigures[kind] (codes, dates, counts and fen, no words), the console says the explanation from them (with
   * the row's canteen, elder and dates) in the reader's language.
   */
  figures: z.record(z.string(), z.unknown()),
  orderCount: z.number().int(),
  /** Subsidy (every payer) on the orders behind it. */
  amountFen: Fen,
  detectedAt: z.string(),
  updatedAt: z.string(),
  /** The reviewer's note when explained or confirmed. */
  note: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedByName: z.string().nullable(),
});
export type Anomaly = z.infer<typeof Anomaly>;

export const AnomalyListQuery = z.strictObject({
  month: Month.optional(),
  kind: AnomalyKind.optional(),
  status: AnomalyStatus.optional(),
  canteenId: Id.optional(),
  /** A district or street and everything in it. */
  areaCode: AreaCode.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type AnomalyListQuery = z.infer<typeof AnomalyListQuery>;
/** GET /anomalies/export: the list as filtered, for checking (Excel) or signing (PDF). */
export const AnomalyExportQuery = AnomalyListQuery.omit({ limit: true, offset: true }).extend({ format: z.enum(['xlsx', 'pdf']) });

export const AnomalyPage = z.object({
  items: z.array(Anomaly),
  total: z.number().int(),
  /** How many of the filtered anomalies are in each status. */
  byStatus: z.record(AnomalyStatus, z.number().int()),
});
export type AnomalyPage = z.infer<typeof AnomalyPage>;

/** An order behind an anomaly. */
export const AnomalyOrder = z.object({
  orderId: z.string(),
  canteenId: z.string(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  category: z.enum(ORDER_CATEGORIES).nullable(),
  createdAt: z.string(),
  identifyMethod: z.enum(IDENTIFY_METHODS),
  state: z.enum(ORDER_STATES),
  mealPriceFen: Fen,
  subsidyFen: Fen,
});
export type AnomalyOrder = z.infer<typeof AnomalyOrder>;
export const AnomalyOrderPage = z.object({ items: z.array(AnomalyOrder), total: z.number().int() });
export const AnomalyOrderQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** POST /anomalies/scan: scan a month (of one canteen, or of everything in the caller's area). */
export const AnomalyScanRequest = z.strictObject({ month: Month, canteenId: Id.optional() });
export const AnomalyScanResult = z.object({
  month: Month,
  canteens: z.number().int(),
  /** Findings of this scan, by kind. */
  byKind: z.record(AnomalyKind, z.number().int()),
  found: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  reopened: z.number().int(),
  withdrawn: z.number().int(),
  ms: z.number().int(),
});
export type AnomalyScanResult = z.infer<typeof AnomalyScanResult>;

/** Explain (not irregular) or confirm (irregular: its orders are disallowed): the reviewer says why. */
export const AnomalyResolveRequest = z.strictObject({ note: multiLine(500, 2) });

// ───────────── the figures of each kind, as the console puts them into words ─────────────

const Count = z.number().int().min(0);
const Share = z.number().min(0);

const AfterStatusFigures = z.object({ status: z.string(), since: LocalDate, orders: Count, subsidyFen: Fen });

/**
 * What the explanation of each kind is said from (besides the anomaly's canteen, elder, first and last date, month).
 * Lists hold at most the few examples the sentence names; counts hold the whole.
 */
export const AnomalyFigures = {
  after_death: AfterStatusFigures,
  after_move_out: AfterStatusFigures,
  under_age: z.object({ birthDate: LocalDate, ageOnFirst: Count, minAge: Count, orders: Count, subsidyFen: Fen }),
  category_expired: z.object({
    category: z.string(),
    layer: z.string(),
    layerEn: z.string().nullish(),
    /** The category records the register holds (to: null = still held). */
    held: z.array(z.object({ category: z.string(), from: LocalDate, to: LocalDate.nullable() })),
    orders: Count,
    layerFen: Fen,
  }),
  delivery_level: z.object({
    careLevel: z.union([z.number(), z.string()]),
    disabilityGrade: z.union([z.number(), z.string()]).nullable(),
    paidFen: Fen,
    expectedFen: Fen,
    orders: Count,
    overFen: z.number().int(),
  }),
  outside_hours: z.object({
    orders: Count,
    subsidyFen: Fen,
    /** Up to three orders: their service date and meal, and the local date and time they were placed. */
    examples: z.array(z.object({ date: LocalDate, period: MealPeriod, localDate: LocalDate, time: z.string() })),
    hours: z.array(z.object({ period: MealPeriod, opens: z.string(), closes: z.string() })),
    graceMinutes: Count,
  }),
  volume_spike: z.object({
    mealPeriod: MealPeriod,
    orders: Count,
    subsidised: Count,
    median: z.number(),
    z: z.number(),
    ratio: z.number(),
    baselineDays: Count,
  }),
  closed_day: z.object({
    /** Each meal period served while closed, and why it was closed. */
    slots: z.array(z.object({ date: LocalDate, period: MealPeriod, why: z.enum(['closed', 'suspended', 'not_served']) })),
    orders: Count,
    subsidyFen: Fen,
  }),
  staff_keyed: z.object({ staffKeyed: Count, residentOrders: Count, share: Share, cityShare: Share }),
  price_clustering: z.object({ atCap: Count, subsidised: Count, share: Share, cityShare: Share, capPrices: z.array(Fen) }),
  no_elderly_diners: z.object({ months: z.array(Month).min(1) }),
  double_subsidy: z.object({
    mealPeriods: Count,
    orders: Count,
    subsidyFen: Fen,
    /** Up to three of the meal periods: how many subsidised orders, at which canteens (their short names). */
    examples: z.array(z.object({ date: LocalDate, period: MealPeriod, orders: Count, canteens: z.array(z.string()) })),
  }),
  refund_after_claim: z.object({
    orders: Count,
    subsidyFen: Fen,
    claims: z.array(z.object({ period: z.string(), payer: z.string(), payerEn: z.string().nullish() })),
    /** One of the orders: its service date and the (Guangzhou) date it was refunded. */
    example: z.object({ serviceDate: LocalDate, refundedOn: LocalDate }),
  }),
} satisfies Record<(typeof ANOMALY_KINDS)[number], z.ZodType>;
export type AnomalyFigures = { [K in keyof typeof AnomalyFigures]: z.infer<(typeof AnomalyFigures)[K]> };

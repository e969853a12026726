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
  /** Plain Chinese, with the figures. */
  explanation: z.string(),
  /** The figures behind the explanation (kind-specific: counts, shares, thresholds). */
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

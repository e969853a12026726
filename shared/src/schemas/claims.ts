import { z } from 'zod';
import { CLAIM_ADJUSTMENT_REASONS, CLAIM_CADENCES, CLAIM_STATES, IDENTIFY_METHODS, ORDER_STATES, SUBSIDY_KINDS } from '../domain/enums';
import { ORDER_CATEGORIES } from '../domain/categories';
import { AnomalyKind } from './anomalies';
import { AreaCode, Fen, Id, LocalDate, MealPeriod, Month, SignedFen } from './common';
import { multiLine, singleLine } from './text';

export const ClaimState = z.enum(CLAIM_STATES);
export const ClaimCadence = z.enum(CLAIM_CADENCES);
export const SubsidyKind = z.enum(SUBSIDY_KINDS);
/** '2026-11' (a month) or '2026-Q4' (a quarter). */
export const ClaimPeriod = z.string().regex(/^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$/, 'YYYY-MM or YYYY-Qn');

export const ClaimSummary = z.object({
  id: z.string(),
  canteenId: z.string(),
  canteenName: z.string(),
  streetCode: z.string(),
  districtCode: z.string(),
  payer: z.string(),
  period: ClaimPeriod,
  cadence: ClaimCadence,
  periodFrom: LocalDate,
  periodTo: LocalDate,
  state: ClaimState,
  revision: z.number().int(),
  orderCount: z.number().int(),
  claimedFen: Fen,
  disallowedCount: z.number().int(),
  disallowedFen: Fen,
  adjustmentFen: SignedFen,
  totalFen: SignedFen,
  generatedAt: z.string(),
  submittedAt: z.string().nullable(),
  checkedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  paidOn: LocalDate.nullable(),
  paidFen: Fen.nullable(),
});
export type ClaimSummary = z.infer<typeof ClaimSummary>;

/** A summary line: order category × meal period × subsidy kind. */
export const ClaimLine = z.object({
  id: z.number().int(),
  category: z.enum(ORDER_CATEGORIES).nullable(),
  mealPeriod: MealPeriod,
  kind: SubsidyKind,
  orderCount: z.number().int(),
  amountFen: Fen,
  /** Orders of this line disallowed, and their amount on this line. */
  disallowedCount: z.number().int(),
  disallowedFen: Fen,
});
export type ClaimLine = z.infer<typeof ClaimLine>;

export const ClaimAdjustment = z.object({
  id: z.string(),
  sourceClaimId: z.string(),
  sourcePeriod: z.string(),
  orderId: z.string(),
  reason: z.enum(CLAIM_ADJUSTMENT_REASONS),
  amountFen: SignedFen,
  note: z.string(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});
export type ClaimAdjustment = z.infer<typeof ClaimAdjustment>;

/**
 * A correction of this (approved or paid) claim made after approval, as the claim itself shows it: an adjustment
 * already carried by a later claim (claimId, period), or one still waiting for the next claim of the canteen and
 * payer (claimId null: no claim the operator can still change exists yet, or a refund not yet booked).
 */
export const ClaimLaterAdjustment = z.object({
  orderId: z.string(),
  reason: z.enum(CLAIM_ADJUSTMENT_REASONS),
  amountFen: SignedFen,
  note: z.string(),
  /** The later claim that carries it; null while it waits for the next claim. */
  claimId: z.string().nullable(),
  period: ClaimPeriod.nullable(),
});
export type ClaimLaterAdjustment = z.infer<typeof ClaimLaterAdjustment>;

export const ClaimDisallowance = z.object({
  id: z.string(),
  orderId: z.string(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  residentName: z.string().nullable(),
  amountFen: Fen,
  reason: z.string(),
  source: z.enum(['review', 'anomaly']),
  anomalyId: z.string().nullable(),
  at: z.string(),
  byName: z.string().nullable(),
});
export type ClaimDisallowance = z.infer<typeof ClaimDisallowance>;

/** What happened to the claim, with every reason given (the operator reads these). */
export const ClaimEvent = z.object({
  action: z.string(),
  at: z.string(),
  byName: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type ClaimEvent = z.infer<typeof ClaimEvent>;

/** An anomaly of the claim's canteen and period, as the claim shows it. */
export const ClaimAnomaly = z.object({
  id: z.string(),
  kind: AnomalyKind,
  status: z.enum(['open', 'explained', 'confirmed']),
  /** Chinese, as the scan wrote it (see Anomaly.explanation); the console says it from the fields below when `figures` parse. */
  explanation: z.string(),
  canteenName: z.string(),
  residentName: z.string().nullable(),
  periodFrom: LocalDate,
  firstDate: LocalDate,
  lastDate: LocalDate,
  figures: z.record(z.string(), z.unknown()),
  orderCount: z.number().int(),
  note: z.string().nullable(),
});

export const ClaimDetail = ClaimSummary.extend({
  canteenCode: z.string(),
  streetName: z.string().nullable(),
  districtName: z.string().nullable(),
  operatorName: z.string().nullable(),
  lines: z.array(ClaimLine),
  adjustments: z.array(ClaimAdjustment),
  /** Corrections of this claim after approval (frozen claims only; empty otherwise), and the sum still waiting for the next claim. */
  laterAdjustments: z.array(ClaimLaterAdjustment),
  pendingAdjustmentFen: SignedFen,
  disallowances: z.array(ClaimDisallowance),
  events: z.array(ClaimEvent),
  anomalies: z.array(ClaimAnomaly),
  submittedByName: z.string().nullable(),
  checkedByName: z.string().nullable(),
  decidedByName: z.string().nullable(),
  paidByName: z.string().nullable(),
  paymentReference: z.string().nullable(),
  /** Whether the orders are snapshotted (from submission on). */
  snapshot: z.boolean(),
  /** What the caller may do now (the server still decides each request). */
  can: z.object({
    regenerate: z.boolean(),
    submit: z.boolean(),
    check: z.boolean(),
    sendBack: z.boolean(),
    approve: z.boolean(),
    reject: z.boolean(),
    disallow: z.boolean(),
    pay: z.boolean(),
  }),
});
export type ClaimDetail = z.infer<typeof ClaimDetail>;

export const ClaimListQuery = z.strictObject({
  /** Claims whose period starts in this month's quarter or month: '2026-11' finds the November claims and the Q4 ones. */
  month: Month.optional(),
  /** Claims whose period starts in this year (annual clearing). */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  state: ClaimState.optional(),
  canteenId: Id.optional(),
  payer: singleLine(100).optional(),
  areaCode: AreaCode.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ClaimListQuery = z.infer<typeof ClaimListQuery>;

export const ClaimPage = z.object({
  items: z.array(ClaimSummary),
  total: z.number().int(),
  /** Σ over every claim the filters match (not only this page). */
  sums: z.object({ claimedFen: z.number().int(), disallowedFen: z.number().int(), adjustmentFen: z.number().int(), totalFen: z.number().int() }),
});
export type ClaimPage = z.infer<typeof ClaimPage>;

/** POST /claims/generate: draft (or regenerate) the claims of a month, for one canteen or every canteen the caller runs. */
export const GenerateClaimsRequest = z.strictObject({ month: Month, canteenId: Id.optional() });
export const GenerateClaimsResult = z.object({
  month: Month,
  canteens: z.number().int(),
  /** Claims drafted or regenerated (claims already submitted are left as they are). */
  generated: z.number().int(),
  /** Claims left alone because they are submitted, under review or approved. */
  skipped: z.number().int(),
  lines: z.number().int(),
  claimedFen: z.number().int(),
  anomalies: z.number().int(),
  items: z.array(ClaimSummary),
  ms: z.number().int(),
});
export type GenerateClaimsResult = z.infer<typeof GenerateClaimsResult>;

/** Why a claim is sent back or rejected, or an order disallowed: said to the operator. */
export const ClaimReasonRequest = z.strictObject({ reason: multiLine(500, 2) });
/** A note with a pass or an approval (optional). */
export const ClaimNoteRequest = z.strictObject({ note: multiLine(500, 0).optional() });
export const DisallowOrderRequest = z.strictObject({ orderId: Id, reason: multiLine(500, 2) });
export const ClaimPaymentRequest = z.strictObject({
  amountFen: Fen,
  paidOn: LocalDate,
  reference: singleLine(64, 2),
});

/** An order of a claim, with this payer's amounts. */
export const ClaimOrder = z.object({
  orderId: z.string(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  category: z.enum(ORDER_CATEGORIES).nullable(),
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  createdAt: z.string(),
  identifyMethod: z.enum(IDENTIFY_METHODS),
  state: z.enum(ORDER_STATES),
  mealPriceFen: Fen,
  mealFen: Fen,
  deliveryFen: Fen,
  operatingFen: Fen,
  amountFen: Fen,
  disallowed: z.object({ reason: z.string(), source: z.enum(['review', 'anomaly']), byName: z.string().nullable() }).nullable(),
  /** Kinds of the anomalies this order is behind (any status). */
  anomalies: z.array(AnomalyKind),
});
export type ClaimOrder = z.infer<typeof ClaimOrder>;
export const ClaimOrderPage = z.object({ items: z.array(ClaimOrder), total: z.number().int() });
export const ClaimOrderQuery = z.strictObject({
  /** A line's orders: its category ('none' for orders without one), meal period and kind. */
  category: z.enum([...ORDER_CATEGORIES, 'none']).optional(),
  mealPeriod: MealPeriod.optional(),
  kind: SubsidyKind.optional(),
  /** Only the orders behind this anomaly. */
  anomalyId: Id.optional(),
  /** Only disallowed (true) or only counted (false) orders. */
  disallowed: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ClaimOrderQuery = z.infer<typeof ClaimOrderQuery>;

/** GET /claims/:id/export: the claim for signing (summary, disallowances, anomalies, adjustments, per-order annex). */
export const ClaimExportQuery = z.strictObject({ format: z.enum(['xlsx', 'pdf']) });
/** GET /claims/export: the claim list as filtered. */
export const ClaimListExportQuery = ClaimListQuery.omit({ limit: true, offset: true }).extend({ format: z.enum(['xlsx', 'csv']) });

/** A payer that policies name, with how it is claimed. */
export const PayerSetting = z.object({
  payer: z.string(),
  /** The levels and areas of the policies that name it. */
  levels: z.array(z.string()),
  areaCodes: z.array(z.string()),
  /** The cadence for the month asked about (default: monthly). */
  cadence: ClaimCadence,
  history: z.array(z.object({ fromMonth: Month, cadence: ClaimCadence, setAt: z.string(), setByName: z.string().nullable() })),
  canEdit: z.boolean(),
});
export type PayerSetting = z.infer<typeof PayerSetting>;
export const PayerSettingsQuery = z.strictObject({ month: Month.optional() });
/** Quarterly from the first month of a quarter; a change never reaches back over claims already submitted. */
export const SetPayerCadenceRequest = z.strictObject({ payer: singleLine(100), cadence: ClaimCadence, fromMonth: Month });

// ───────────── annual clearing (年度清算) ─────────────

/** GET /claims/clearing: a year's approved claims summed per district (city staff see every district). */
export const ClearingQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export type ClearingQuery = z.infer<typeof ClearingQuery>;
export const ClearingExportQuery = ClearingQuery.extend({ format: z.enum(['xlsx', 'pdf']) });

/** Σ over approved and paid claims whose period starts in the year. */
export const ClearingFigures = z.object({
  claims: z.number().int(),
  orders: z.number().int(),
  claimedFen: Fen,
  disallowedFen: Fen,
  adjustmentFen: SignedFen,
  /** claimed − disallowed + adjustments: what the payers owe. */
  totalFen: SignedFen,
  paidFen: Fen,
  /** total − paid. */
  outstandingFen: SignedFen,
});
export type ClearingFigures = z.infer<typeof ClearingFigures>;

export const ClearingDistrict = ClearingFigures.extend({
  code: AreaCode,
  name: z.string(),
  /** Claims of the year not yet approved (draft, submitted, checked, rejected): they hold the clearing up. */
  openClaims: z.number().int(),
  byPayer: z.array(ClearingFigures.extend({ payer: z.string() })),
});
export type ClearingDistrict = z.infer<typeof ClearingDistrict>;

export const Clearing = z.object({
  year: z.number().int(),
  /** Districts report the year by this day, the city clears it by the next (穗民规字〔2024〕3号). */
  districtReportBy: LocalDate,
  cityClearingBy: LocalDate,
  today: LocalDate,
  districts: z.array(ClearingDistrict),
  total: ClearingFigures.extend({ openClaims: z.number().int() }),
});
export type Clearing = z.infer<typeof Clearing>;

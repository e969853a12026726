import { z } from 'zod';
import {
  COUNTER_PAYMENT_METHODS,
  FULFILMENTS,
  IDENTIFY_METHODS,
  OFFLINE_IDENTIFY_METHODS,
  ORDER_STATES,
  PAYMENT_METHODS,
  REVIEW_REASONS,
  REVIEW_RESOLUTIONS,
  STAFF_REASONS,
} from '../domain/enums';
import { ORDER_CATEGORIES } from '../domain/categories';
import { LayerKindSchema } from '../policy/schema';
import { Fen, Id, LocalDate, MealPeriod, SignedFen, Uuid, multiLine, singleLine } from './common';

export const OrderLineRequest = z.strictObject({
  dishId: Id,
  quantity: z.number().int().min(1).max(20),
});

const Lines = z
  .array(OrderLineRequest)
  .min(1, 'choose at least one dish')
  .max(20)
  .refine((ls) => new Set(ls.map((l) => l.dishId)).size === ls.length, 'each dish once; use quantity');

/** A prospective order. Amounts are never sent: the server prices it. */
export const QuoteRequest = z.strictObject({
  canteenId: Id.optional(),
  /** Console staff pricing for a resident; kiosks send `residentTicket` instead. */
  residentId: Id.nullable().optional(),
  residentTicket: z.string().max(400).nullable().optional(),
  lines: Lines,
  fulfilment: z.enum(FULFILMENTS).default('dine_in'),
});

export const SubsidyLine = z.object({
  layerKey: z.string(),
  layerId: z.string(),
  layerName: z.string(),
  policyVersionId: z.string(),
  level: z.string(),
  payer: z.string(),
  /** The layer's and payer's English names where the policy version gives them (nameEn, payerEn); absent or null: show the Chinese. */
  layerNameEn: z.string().nullish(),
  payerEn: z.string().nullish(),
  kind: LayerKindSchema,
  amountFen: Fen,
  reason: z.string(),
});
export type SubsidyLine = z.infer<typeof SubsidyLine>;

export const PricedLine = z.object({
  dishId: z.string(),
  name: z.string(),
  unitPriceFen: Fen,
  quantity: z.number().int(),
  lineTotalFen: Fen,
  elderSubsidyFen: Fen,
});

export const Quote = z.object({
  canteenId: z.string(),
  residentId: z.string().nullable(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  fulfilment: z.enum(FULFILMENTS),
  mealPriceFen: Fen,
  elderSubsidyFen: Fen,
  elderPaysFen: Fen,
  operatorSubsidyFen: Fen,
  lines: z.array(PricedLine),
  subsidies: z.array(SubsidyLine),
  balanceFen: SignedFen.nullable(),
  balanceAfterFen: SignedFen.nullable(),
  policyVersionIds: z.array(z.string()),
  /**
   * Names exactly this price for this resident, canteen, meal and caller, for a few minutes. Send it with the
   * order: the server charges this price or refuses (quote_changed, quote_expired) with a fresh quote to confirm.
   */
  quoteId: z.string(),
});
export type Quote = z.infer<typeof Quote>;

/** Server time minus a kiosk's clock as the kiosk last knew it, ms (null: it never heard the server). */
const ClockOffsetMs = z
  .number()
  .int()
  .min(-10 * 365 * 24 * 3600_000)
  .max(10 * 365 * 24 * 3600_000)
  .nullable();

/**
 * An order the kiosk priced itself with the network down, from its offline cache and the shared engine: what it
 * showed, the meal it served it under, and how it identified the resident (a keyed hash of the card or QR code
 * under the key this server gave that kiosk; never the card number or token). The server prices it again at that
 * meal and keeps it as served; where its figure differs, the order is flagged for review with both.
 */
export const OfflineOrder = z.strictObject({
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  quotedElderPaysFen: Fen,
  quotedElderSubsidyFen: Fen,
  policyVersionIds: z.array(z.string().min(1).max(64)).max(20),
  /** Server time minus the kiosk's clock as the kiosk last knew it (null: never heard the server). */
  clockOffsetMs: ClockOffsetMs,
  /** Null for a guest. */
  identifiedBy: z
    .strictObject({
      method: z.enum(OFFLINE_IDENTIFY_METHODS),
      credentialHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url HMAC-SHA-256'),
      keyId: z.string().min(1).max(64),
    })
    .nullable(),
});
export type OfflineOrder = z.infer<typeof OfflineOrder>;

/** An external payment's reference (WeChat / Alipay / bank slip number), as staff read it off the payer's screen. */
export const PaymentReference = singleLine(64, 4);

/**
 * Why staff keyed a subsidised order for a resident instead of a card tap or phone + PIN: one of STAFF_REASONS,
 * with a note (required for 'other'). Stored on the order, shown in the console and exports, audited.
 */
export const StaffReasonInput = z
  .strictObject({
    code: z.enum(STAFF_REASONS),
    note: multiLine(200, 0).default(''),
  })
  .refine((r) => r.code !== 'other' || r.note.length >= 2, { message: 'say why (其他: a note is needed)', path: ['note'] });
export const StaffReason = z.object({ code: z.enum(STAFF_REASONS), note: z.string() });
export type StaffReason = z.infer<typeof StaffReason>;

export const CreateOrderRequest = z.strictObject({
  /** Client-made uuid (v7): the same id twice returns the first order. */
  id: Uuid,
  residentId: Id.nullable().optional(),
  residentTicket: z.string().max(400).nullable().optional(),
  identifyMethod: z.enum(IDENTIFY_METHODS),
  lines: Lines,
  fulfilment: z.enum(FULFILMENTS).default('dine_in'),
  paymentMethod: z.enum(PAYMENT_METHODS),
  /**
   * The reference of an external payment (其他支付). From a kiosk it is only a claim: the order waits
   * (awaiting_payment) until staff confirm the payment in the console.
   */
  externalReference: PaymentReference.nullable().optional(),
  deliveryAddress: singleLine(200, 4).nullable().optional(),
  canteenId: Id.optional(),
  /** The quote the elder confirmed (Quote.quoteId): the order is charged exactly that, or refused with a fresh quote. */
  quoteId: z.string().min(1).max(1000).nullable().optional(),
  /** When the person confirmed, by the kiosk's own clock (an order sent later from its outbox is placed then). */
  clientCreatedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /**
   * Server time minus the kiosk's clock when the person confirmed: an outbox order sent after its quote ran out is
   * judged "made while the quote held" on the server's clock, not on a kiosk clock that runs minutes or days off.
   */
  clockOffsetMs: ClockOffsetMs.optional(),
  /** Present when the kiosk priced the order itself, offline (then `residentId` names the cached resident). */
  offline: OfflineOrder.nullable().optional(),
  /** Console staff keying a subsidised order for a resident: why no card or PIN was used (required then). */
  staffReason: StaffReasonInput.nullable().optional(),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

/** Figures of one side of a review: what the kiosk showed, or what the server priced. */
export const ReviewFigure = z.object({ elderPaysFen: Fen, elderSubsidyFen: Fen, policyVersionIds: z.array(z.string()) });

/**
 * An order that arrived late (made offline, or sent from the outbox after its quote ran out) is re-priced at its
 * meal and kept as served; `flagged` when the server's figure or what it could do differs from what the kiosk
 * showed, with every reason found (the first is the main one).
 */
export const OrderReview = z.object({
  flagged: z.boolean(),
  reason: z.enum(REVIEW_REASONS).nullable(),
  reasons: z.array(z.enum(REVIEW_REASONS)),
  kioskFigure: ReviewFigure,
  serverFigure: ReviewFigure,
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});
export type OrderReview = z.infer<typeof OrderReview>;

/**
 * GET /order-reviews: flagged late orders (made offline, or sent after their quote ran out) of the canteens the
 * caller sees, with a service date in [from, to] (at most 92 days); open ones (not yet settled) by default.
 */
/** A page of a review list over service dates [from, to] (at most 92 days), of one canteen or all the caller sees. */
function reviewListQuery<S extends readonly [string, ...string[]]>(statuses: S) {
  return z
    .strictObject({
      from: LocalDate,
      to: LocalDate,
      canteenId: Id.optional(),
      status: z.enum(statuses).default(statuses[0]),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).max(100_000).default(0),
    })
    .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 92 * 86_400_000, { message: 'at most 92 days at a time', path: ['to'] });
}

export const LateReviewQuery = reviewListQuery(['open', 'resolved', 'all'] as const);

/** One flagged late order for the console's 离线订单复核 page: both figures, every reason, and how it was settled. */
export const LateReview = z.object({
  orderId: z.string(),
  canteenId: z.string(),
  canteenName: z.string(),
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  pickupNumber: z.number().int(),
  orderState: z.enum(ORDER_STATES),
  offline: z.boolean(),
  reason: z.enum(REVIEW_REASONS).nullable(),
  reasons: z.array(z.enum(REVIEW_REASONS)),
  kioskFigure: ReviewFigure,
  serverFigure: ReviewFigure,
  createdAt: z.string(),
  resolution: z.enum(REVIEW_RESOLUTIONS).nullable(),
  resolutionNote: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedByName: z.string().nullable(),
});
export type LateReview = z.infer<typeof LateReview>;
export const LateReviewPage = z.object({ items: z.array(LateReview), total: z.number().int() });
export type LateReviewPage = z.infer<typeof LateReviewPage>;

/** Accept a flagged late order as served: its figures stand (a note is optional). */
export const AcceptLateReviewRequest = z.strictObject({ note: multiLine(500, 0).default('') });
/** Disallow a flagged late order's subsidy from every claim that counts it, with the reason the operator will read. */
export const DisallowLateReviewRequest = z.strictObject({ reason: multiLine(500, 2) });
/** What a disallowance did: the claims it reached and the subsidy taken out of them (or carried as adjustments). */
export const LateReviewResolved = z.object({ review: LateReview, claims: z.number().int(), amountFen: Fen });

/**
 * GET /order-reviews/refused: orders a kiosk priced offline that the server refused when they arrived (nothing was
 * stored as an order; the elder was served on what the kiosk showed), of the canteens the caller sees, with a
 * service date in [from, to]; open ones (not yet handled) by default.
 */
export const RefusedOrderQuery = reviewListQuery(['open', 'handled', 'all'] as const);

export const RefusedOrder = z.object({
  orderId: z.string(),
  /** What the kiosk told the person to quote at the counter (订单尾号): the order id's last 6 characters. */
  ref: z.string(),
  canteenId: z.string(),
  canteenName: z.string(),
  deviceName: z.string().nullable(),
  /** The resident the kiosk named (not proven), by name as the caller may see it. */
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  lines: z.array(z.object({ dishId: z.string(), name: z.string(), quantity: z.number().int() })),
  paymentMethod: z.enum(PAYMENT_METHODS),
  /** What the kiosk showed the person: to pay, and the subsidy it took off. */
  quotedElderPaysFen: Fen,
  quotedElderSubsidyFen: Fen,
  madeAt: z.string().nullable(),
  receivedAt: z.string(),
  /** The error code the kiosk was answered with, and its message. */
  code: z.string(),
  message: z.string(),
  handledAt: z.string().nullable(),
  handledByName: z.string().nullable(),
  handledNote: z.string().nullable(),
});
export type RefusedOrder = z.infer<typeof RefusedOrder>;
export const RefusedOrderPage = z.object({ items: z.array(RefusedOrder), total: z.number().int() });
export type RefusedOrderPage = z.infer<typeof RefusedOrderPage>;
/** Mark a refused offline order handled (the money settled at the counter, the elder spoken to), with a note. */
export const HandleRefusedOrderRequest = z.strictObject({ note: multiLine(500, 0).default('') });

export const Order = z.object({
  id: z.string(),
  canteenId: z.string(),
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  fulfilment: z.enum(FULFILMENTS),
  state: z.enum(ORDER_STATES),
  identifyMethod: z.enum(IDENTIFY_METHODS),
  pickupNumber: z.number().int(),
  mealPriceFen: Fen,
  elderSubsidyFen: Fen,
  elderPaysFen: Fen,
  operatorSubsidyFen: Fen,
  paymentMethod: z.enum(PAYMENT_METHODS),
  lines: z.array(PricedLine),
  subsidies: z.array(SubsidyLine),
  policyVersionIds: z.array(z.string()),
  /** The category the order counts under in claims and reports (the resident's most needy that day); null for a guest. */
  residentCategory: z.enum(ORDER_CATEGORIES).nullable(),
  balanceAfterFen: SignedFen.nullable(),
  deliveryAddress: z.string().nullable(),
  /** A delivery's expected arrival (the meal period's end + the canteen's delivery time); null for dine-in. */
  deliveryExpectedBy: z.string().nullable(),
  /** The external payment reference given with the order (from a kiosk: unconfirmed until staff confirm the payment). */
  paymentReference: z.string().nullable(),
  /** Why staff keyed this order instead of a card or PIN (staff-keyed subsidised orders); null otherwise. */
  staffReason: StaffReason.nullable(),
  createdAt: z.string(),
  /** When the kiosk says the person confirmed (its own clock), if it said. */
  clientCreatedAt: z.string().nullable(),
  /** Priced by the kiosk offline and synced later. */
  offline: z.boolean(),
  /** Set for an order that arrived late (offline, or from the outbox after its quote ran out). */
  review: OrderReview.nullable(),
  paidAt: z.string().nullable(),
  readyAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});
export type Order = z.infer<typeof Order>;

/**
 * An order as the kiosk that placed it gets it back: the receipt of the person standing there (lines, split,
 * what they paid, their balance after), with nothing that names anyone (no resident id or name, no address,
 * no category, no staff note). A kiosk shows the address it got when the person identified.
 */
export const KioskOrder = Order.omit({
  residentId: true,
  residentName: true,
  deliveryAddress: true,
  residentCategory: true,
  paymentReference: true,
  staffReason: true,
});
export type KioskOrder = z.infer<typeof KioskOrder>;

/**
 * What every device may know of any order at its canteen (`GET /orders/:id` from a kiosk, live order events to
 * kiosks): its pickup number, its state and when it moved. No person, no money, no dishes.
 */
export const PickupStatus = Order.pick({
  id: true,
  canteenId: true,
  serviceDate: true,
  mealPeriod: true,
  fulfilment: true,
  state: true,
  pickupNumber: true,
  createdAt: true,
  paidAt: true,
  readyAt: true,
  completedAt: true,
});
export type PickupStatus = z.infer<typeof PickupStatus>;

/** Sort keys of the orders list (each served by an index with the canteen filter). */
export const ORDER_SORTS = ['createdAt', 'pickupNumber', 'elderPaysFen'] as const;

/** Several states, comma-separated on the wire: `state=awaiting_payment,paid,ready`. */
const StateList = z
  .string()
  .max(120)
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.enum(ORDER_STATES)).min(1).max(ORDER_STATES.length));

/** What staff type to find an order by its 订单尾号 (shared/src/domain/orderRef.ts): its end, 4–12 characters 0–9 A–F. */
export const OrderRefText = z
  .string()
  .trim()
  .regex(/^[0-9A-Fa-f]{4,12}$/, '4–12 characters 0–9 and A–F: the end of the order number a kiosk gave');

export const OrderListQuery = z
  .strictObject({
    canteenId: Id.optional(),
    /** One service date, or a range with from / to. */
    date: LocalDate.optional(),
    from: LocalDate.optional(),
    to: LocalDate.optional(),
    mealPeriod: MealPeriod.optional(),
    state: StateList.optional(),
    fulfilment: z.enum(FULFILMENTS).optional(),
    paymentMethod: z.enum(PAYMENT_METHODS).optional(),
    pickupNumber: z.coerce.number().int().min(1).max(100_000).optional(),
    /** 订单尾号: the end of the order id, as a kiosk saving an order offline tells the elder (orderRef). */
    ref: OrderRefText.optional(),
    residentId: Id.optional(),
    sort: z.enum(ORDER_SORTS).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

export const ConfirmPaymentRequest = z.strictObject({
  method: z.enum(COUNTER_PAYMENT_METHODS),
  reference: PaymentReference.nullable().default(null),
});

export const OrderStateRequest = z.strictObject({ state: z.enum(['ready', 'completed']) });
export const CancelOrderRequest = z.strictObject({ reason: multiLine(200) });

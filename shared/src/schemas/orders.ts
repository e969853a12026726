import { z } from 'zod';
import { COUNTER_PAYMENT_METHODS, FULFILMENTS, IDENTIFY_METHODS, ORDER_STATES, PAYMENT_METHODS } from '../domain/enums';
import { ORDER_CATEGORIES } from '../domain/categories';
import { LayerKindSchema } from '../policy/schema';
import { Fen, Id, LocalDate, MealPeriod, SignedFen, Uuid } from './common';

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

export const CreateOrderRequest = z.strictObject({
  /** Client-made uuid (v7): the same id twice returns the first order. */
  id: Uuid,
  residentId: Id.nullable().optional(),
  residentTicket: z.string().max(400).nullable().optional(),
  identifyMethod: z.enum(IDENTIFY_METHODS),
  lines: Lines,
  fulfilment: z.enum(FULFILMENTS).default('dine_in'),
  paymentMethod: z.enum(PAYMENT_METHODS),
  externalReference: z.string().trim().min(4).max(64).nullable().optional(),
  deliveryAddress: z.string().trim().min(4).max(200).nullable().optional(),
  canteenId: Id.optional(),
  /** The quote the elder confirmed (Quote.quoteId): the order is charged exactly that, or refused with a fresh quote. */
  quoteId: z.string().min(1).max(600).nullable().optional(),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

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
  createdAt: z.string(),
  paidAt: z.string().nullable(),
  readyAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});
export type Order = z.infer<typeof Order>;

/** Sort keys of the orders list (each served by an index with the canteen filter). */
export const ORDER_SORTS = ['createdAt', 'pickupNumber', 'elderPaysFen'] as const;

/** Several states, comma-separated on the wire: `state=awaiting_payment,paid,ready`. */
const StateList = z
  .string()
  .max(120)
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.enum(ORDER_STATES)).min(1).max(ORDER_STATES.length));

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
    residentId: Id.optional(),
    sort: z.enum(ORDER_SORTS).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

export const ConfirmPaymentRequest = z.strictObject({
  method: z.enum(COUNTER_PAYMENT_METHODS),
  reference: z.string().trim().min(4).max(64).nullable().default(null),
});

export const OrderStateRequest = z.strictObject({ state: z.enum(['ready', 'completed']) });
export const CancelOrderRequest = z.strictObject({ reason: z.string().trim().min(1).max(200) });

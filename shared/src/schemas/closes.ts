import { CONTROL_MESSAGE_MULTI, MULTI_LINE } from './text';
import { z } from 'zod';
import { MEAL_PERIODS, ORDER_STATES, PAYMENT_METHODS } from '../domain/enums';
import { ORDER_CATEGORIES } from '../domain/categories';
import { LayerKindSchema } from '../policy/schema';
import { Fen, LocalDate, MealPeriod, SignedFen } from './common';

/**
 * The daily close (日结) of a canteen's service date. A close freezes the day's figures as they stood; a later
 * change to that day (a refund, a late payment, a cancellation) is carried by the next close as an adjustment.
 */

/** The category an order counts under, or 'guest' for a guest. */
export const CloseCategory = z.enum([...ORDER_CATEGORIES, 'guest']);

export const CloseMethodFigures = z.object({
  method: z.enum(PAYMENT_METHODS),
  inFen: SignedFen,
  inCount: z.number().int(),
  refundFen: SignedFen,
  refundCount: z.number().int(),
  /** in − refund. */
  netFen: SignedFen,
});

/** A day's figures (or, in an adjustment, what changed in them). Every amount is integer fen. */
export const CloseFigures = z.object({
  /** Orders per state (every order of the day, whatever its state). */
  byState: z.record(z.enum(ORDER_STATES), z.number().int()),
  /** Orders that count (not cancelled, not refunded). */
  ordersCounted: z.number().int(),
  deliveries: z.number().int(),
  /** Counted orders by category and meal period. */
  meals: z.array(z.object({ category: CloseCategory, mealPeriod: MealPeriod, count: z.number().int() })),
  /** Of the counted orders: the meals' value, the elders' subsidy, the operator's subsidy. */
  mealValueFen: SignedFen,
  elderSubsidyFen: SignedFen,
  operatorSubsidyFen: SignedFen,
  /** The elders' part by where it stands. */
  paidFen: SignedFen,
  awaitingFen: SignedFen,
  refundedFen: SignedFen,
  cancelledFen: SignedFen,
  /** Money per payment method, from the payments recorded. */
  methods: z.array(CloseMethodFigures),
  /** Subsidy of the counted orders, per payer and kind. */
  subsidies: z.array(z.object({ payer: z.string(), kind: LayerKindSchema, count: z.number().int(), amountFen: SignedFen })),
  refundsFen: SignedFen,
  refundsCount: z.number().int(),
  /** Received less refunded, all methods: equals paidFen. */
  receivedNetFen: SignedFen,
});
export type CloseFigures = z.infer<typeof CloseFigures>;

export const CloseOrderRef = z.object({
  orderId: z.string(),
  pickupNumber: z.number().int(),
  mealPeriod: MealPeriod,
  state: z.enum(ORDER_STATES),
  elderPaysFen: Fen,
  residentName: z.string().nullable(),
  createdAt: z.string(),
});

/** What changed in an earlier closed day since it was closed, carried by a later close. */
export const CloseAdjustment = z.object({
  serviceDate: LocalDate,
  /** When the earlier day was closed. */
  closedAt: z.string(),
  delta: CloseFigures,
  /** The orders of that day placed or changed since. */
  orders: z.array(CloseOrderRef),
});
export type CloseAdjustment = z.infer<typeof CloseAdjustment>;

export const DailyClose = z.object({
  canteenId: z.string(),
  canteenName: z.string(),
  serviceDate: LocalDate,
  status: z.enum(['open', 'closed']),
  /** The day as it stands now (open), or as it was frozen (closed). */
  figures: CloseFigures,
  /** Earlier closed days changed since their close: carried here (open: would be carried if closed now). */
  adjustments: z.array(CloseAdjustment),
  cash: z.object({
    /** The day's cash net plus the adjustments' cash net. */
    expectedFen: SignedFen,
    countedFen: SignedFen.nullable(),
    differenceFen: SignedFen.nullable(),
    note: z.string().nullable(),
  }),
  /** The day's net per method with the adjustments added: what the drawer, the wallets and the external account took. */
  totalWithAdjustments: z.object({ cashFen: SignedFen, walletFen: SignedFen, externalFen: SignedFen, refundsFen: SignedFen }),
  /** Counter orders still awaiting payment: the day cannot be closed until each is confirmed or cancelled. */
  unconfirmed: z.array(CloseOrderRef),
  /** Meal periods served that day with no food sample kept. */
  samplesMissing: z.array(MealPeriod),
  samplesKept: z.number().int(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  /** Who closed it, by the name they had then (for the report and whoever checks the count later). */
  closedByName: z.string().nullable(),
  /** Whether the day as it stands now differs from what was frozen (closed days only): the next close carries it. */
  changedSinceClose: z.boolean(),
});
export type DailyClose = z.infer<typeof DailyClose>;

export const CloseDayRequest = z.strictObject({
  /** What is in the cash drawer, counted by the operator. */
  cashCountedFen: SignedFen,
  /** Needed when the count differs from what was expected. */
  cashNote: z.string().trim().max(500).regex(MULTI_LINE, CONTROL_MESSAGE_MULTI).nullable().default(null),
});
export type CloseDayRequest = z.infer<typeof CloseDayRequest>;

export const CloseListQuery = z
  .strictObject({ from: LocalDate, to: LocalDate })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

export const CloseListItem = z.object({
  serviceDate: LocalDate,
  orders: z.number().int(),
  closed: z.boolean(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  /** The elders' part received: as frozen (closed), or as it stands now (open). */
  paidFen: SignedFen,
  cashDifferenceFen: SignedFen.nullable(),
  adjustments: z.number().int(),
});
export const CloseList = z.object({ items: z.array(CloseListItem) });
export type CloseList = z.infer<typeof CloseList>;

export const CLOSE_MEAL_PERIODS = MEAL_PERIODS;

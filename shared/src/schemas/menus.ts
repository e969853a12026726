import { z } from 'zod';
import { ALLERGENS, PRICE_CHANGE_STATES } from '../domain/enums';
import { DishTagCodeSchema } from '../policy/schema';
import { Fen, Id, LocalDate, MealPeriod, multiLine, nameText, singleLine } from './common';

export const Dish = z.object({
  id: z.string(),
  canteenId: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  description: z.string().nullable(),
  category: z.string(),
  photoUrl: z.string().nullable(),
  priceFen: Fen,
  isSetMeal: z.boolean(),
  /** What a set meal holds; nameEn is the part's English name, for the kiosk in English (absent in caches made before it). */
  setMealItems: z.array(z.object({ dishId: z.string(), name: z.string(), nameEn: z.string().nullable().optional(), quantity: z.number().int() })),
  kcal: z.number().int().nullable(),
  proteinG: z.number().int().nullable(),
  fatG: z.number().int().nullable(),
  carbG: z.number().int().nullable(),
  sodiumMg: z.number().int().nullable(),
  sugarG: z.number().int().nullable(),
  tags: z.array(z.string()),
  allergens: z.array(z.string()),
  /** The elder always pays this line in full (a delivery fee, a packaging charge): no subsidy falls on it. */
  fullPay: z.boolean(),
  active: z.boolean(),
  /** `priceFen` is the approved price in force on the day shown; false for a new dish whose price awaits approval. */
  priceApproved: z.boolean().default(true),
  /** The next approved price and from when (announced on the kiosk until it takes effect, and some days after). */
  upcomingPrice: z.object({ priceFen: Fen, effectiveOn: LocalDate }).nullable().default(null),
  /** A proposal waiting for street or district approval. */
  pendingPrice: z.object({ id: z.string(), priceFen: Fen, effectiveOn: LocalDate }).nullable().default(null),
});
export type Dish = z.infer<typeof Dish>;

export const DishInput = z.strictObject({
  name: nameText(40),
  nameEn: nameText(80, 0).nullable().default(null),
  description: multiLine(200, 0).nullable().default(null),
  category: nameText(20),
  photoUrl: singleLine(300, 0).nullable().default(null),
  priceFen: z.number().int().min(0).max(100_000),
  isSetMeal: z.boolean().default(false),
  setMealItems: z
    .array(z.strictObject({ dishId: Id, quantity: z.number().int().min(1).max(10) }))
    .max(10)
    .default([]),
  kcal: z.number().int().min(0).max(5000).nullable().default(null),
  proteinG: z.number().int().min(0).max(500).nullable().default(null),
  fatG: z.number().int().min(0).max(500).nullable().default(null),
  carbG: z.number().int().min(0).max(1000).nullable().default(null),
  sodiumMg: z.number().int().min(0).max(20000).nullable().default(null),
  sugarG: z.number().int().min(0).max(500).nullable().default(null),
  /** Base dish tags and those declared by the policies in force at the canteen (GET /canteens/:id/dish-tags). */
  tags: z
    .array(DishTagCodeSchema)
    .max(10)
    .refine((xs) => new Set(xs).size === xs.length, 'list each tag once')
    .default([]),
  allergens: z.array(z.enum(ALLERGENS)).max(10).default([]),
  fullPay: z.boolean().default(false),
});

/**
 * A new dish: its price is a proposal (the dish cannot go on a menu until street or district staff approve it);
 * `priceReason` says how it was arrived at (default 新菜品定价).
 */
export const CreateDishRequest = DishInput.extend({ priceReason: multiLine(200, 2).optional() });

/**
 * Everything but the price. A `priceFen` other than the dish's price now is refused (409 price_approval_required):
 * prices change through POST /dishes/:id/price-changes, approved by the street or district (价格变更需审批并公示).
 */
/** A tag an operator may put on a dish at a canteen: a base tag, or one a policy in force there declares. */
export const DishTagOption = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  /** The policy that declares it (its name), null for a base tag. */
  declaredBy: z.string().nullable(),
});
export type DishTagOption = z.infer<typeof DishTagOption>;

export const DishUpdate = DishInput.partial().extend({
  active: z.boolean().optional(),
});

/** POST /dishes/:id/price-changes: an operator proposes a new price from a date. */
export const ProposePriceRequest = z.strictObject({
  newPriceFen: z.number().int().min(0).max(100_000),
  reason: multiLine(200, 2),
  /** The canteen's local date the new price applies from (at least PRICE_NOTICE_MIN_DAYS ahead for a change). */
  effectiveOn: LocalDate,
});

/** POST /price-changes/:id/approve. */
export const ApprovePriceRequest = z.strictObject({
  note: multiLine(200, 0).nullable().default(null),
  /** The approving office's reference (批复文号). */
  approvalRef: singleLine(64, 0).nullable().default(null),
  /** Move the date it takes effect (e.g. to give the notice enough days). */
  effectiveOn: LocalDate.optional(),
});

/** POST /price-changes/:id/reject: why. */
export const RejectPriceRequest = z.strictObject({ note: multiLine(200, 2) });

export const PriceChange = z.object({
  id: z.string(),
  dishId: z.string(),
  dishName: z.string(),
  canteenId: z.string(),
  canteenName: z.string(),
  /** null for a new dish's first price. */
  oldPriceFen: Fen.nullable(),
  newPriceFen: Fen,
  reason: z.string(),
  effectiveOn: LocalDate,
  state: z.enum(PRICE_CHANGE_STATES),
  proposedBy: z.string().nullable(),
  proposedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  approvalRef: z.string().nullable(),
});
export type PriceChange = z.infer<typeof PriceChange>;

export const PriceChangeListQuery = z.strictObject({
  canteenId: Id.optional(),
  dishId: Id.optional(),
  state: z.enum(PRICE_CHANGE_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const PriceChangePage = z.object({ items: z.array(PriceChange), total: z.number().int() });

/** A public notice of a price change on the kiosk: from its approval until some days after it took effect. */
export const PriceNotice = z.object({ dishId: z.string(), dishName: z.string(), oldPriceFen: Fen, newPriceFen: Fen, effectiveOn: LocalDate });
export type PriceNotice = z.infer<typeof PriceNotice>;

export const MenuItem = z.object({
  dish: Dish,
  portions: z.number().int().nullable(),
  sold: z.number().int(),
  remaining: z.number().int().nullable(),
  soldOut: z.boolean(),
  sortOrder: z.number().int(),
});
export type MenuItem = z.infer<typeof MenuItem>;

export const Menu = z.object({
  id: z.string(),
  canteenId: z.string(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  note: z.string().nullable(),
  items: z.array(MenuItem),
  updatedAt: z.string(),
});
export type Menu = z.infer<typeof Menu>;

export const PutMenuRequest = z.strictObject({
  note: multiLine(200, 0).nullable().default(null),
  items: z.array(z.strictObject({ dishId: Id, portions: z.number().int().min(0).max(10_000).nullable().default(null) })).max(100),
});

export const SoldOutRequest = z.strictObject({ soldOut: z.boolean() });
export const PortionsRequest = z.strictObject({ portions: z.number().int().min(0).max(10_000).nullable() });

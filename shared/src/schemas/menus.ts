import { z } from 'zod';
import { ALLERGENS } from '../domain/enums';
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
  setMealItems: z.array(z.object({ dishId: z.string(), name: z.string(), quantity: z.number().int() })),
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
  /** Required when the price changes: why, and the approval reference (价格变更需审批并公示). */
  priceChangeReason: multiLine(200, 2).optional(),
  priceApprovalRef: singleLine(64, 0).optional(),
  active: z.boolean().optional(),
});

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

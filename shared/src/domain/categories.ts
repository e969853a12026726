import { RESIDENT_CATEGORIES, type ResidentCategory } from './enums';

/**
 * The one category an order is counted under in claims, reports and indicators: the most needy category the
 * resident held on the service date, in this order (the order civil-affairs tables list them), or 'ordinary'
 * for an elder with none. Guests have no category (null). Stored on each order when it is placed, so a claim
 * or report reads what was true that day, whatever the record says later.
 */
export const CATEGORY_PRIORITY: readonly ResidentCategory[] = [
  'tekun',
  'dibao',
  'dibao_edge',
  'low_income',
  'youfu',
  'jisheng_special',
  'disabled',
  'centenarian',
  'lives_alone',
  'all_elderly_household',
];

/**
 * Categories a subsidy policy can read (a layer's or a tier's `who.categoriesAny` / `categoriesNone`; the policy
 * schema takes its list from here): recording one can change what a resident is paid and what the canteen
 * claims, so a new one is `pending` (pricing ignores it) until street or district staff approve it with its
 * evidence. Policies may name any category today, so every category is one of them.
 */
export const SUBSIDY_CATEGORIES = RESIDENT_CATEGORIES;

/** Whether recording this category needs street or district approval before it counts. */
export function categoryNeedsApproval(code: ResidentCategory): boolean {
  return (SUBSIDY_CATEGORIES as readonly ResidentCategory[]).includes(code);
}

export const ORDER_CATEGORIES = [...RESIDENT_CATEGORIES, 'ordinary'] as const;
export type OrderCategory = (typeof ORDER_CATEGORIES)[number];

export function orderCategoryOn(categories: readonly { code: string; validFrom: string; validTo: string | null }[], date: string): OrderCategory {
  const held = new Set(categories.filter((c) => c.validFrom <= date && (c.validTo === null || c.validTo >= date)).map((c) => c.code));
  return CATEGORY_PRIORITY.find((c) => held.has(c)) ?? 'ordinary';
}

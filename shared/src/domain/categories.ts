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

/**
 * The names people read for the categories an order counts under (and for a guest): in exports, the daily close,
 * the what-if, the console and the policy descriptions. Defined once here.
 */
export const CATEGORY_LABELS: Readonly<Record<'zh' | 'en', Readonly<Record<OrderCategory | 'guest', string>>>> = {
  zh: {
    tekun: '特困',
    dibao: '低保',
    dibao_edge: '低保边缘',
    low_income: '低收入',
    youfu: '优抚对象',
    jisheng_special: '计生特殊家庭',
    lives_alone: '独居',
    all_elderly_household: '纯老家庭',
    centenarian: '百岁老人',
    disabled: '残疾',
    ordinary: '普通长者',
    guest: '散客',
  },
  en: {
    tekun: 'Extreme poverty',
    dibao: 'Minimum allowance',
    dibao_edge: 'Near-minimum',
    low_income: 'Low income',
    youfu: 'Veteran',
    jisheng_special: 'Bereaved only-child family',
    lives_alone: 'Lives alone',
    all_elderly_household: 'All-elderly household',
    centenarian: 'Centenarian',
    disabled: 'Disabled',
    ordinary: 'Ordinary elder',
    guest: 'Guest',
  },
};

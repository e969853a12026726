import type { ResidentCategory } from './enums';

/** The one-tap rating an elder may give a meal at the kiosk (满意 / 一般 / 不满意). */
export const MEAL_RATINGS = ['satisfied', 'neutral', 'unsatisfied'] as const;
export type MealRating = (typeof MEAL_RATINGS)[number];

/**
 * The most needy categories (第一类 / 重点保障对象): the residents whose coverage the canteen indicators measure
 * (of those registered, the share who ate a subsidised meal in the period). See docs/indicators.md.
 */
export const MOST_NEEDY_CATEGORIES = ['tekun', 'dibao', 'dibao_edge'] as const satisfies readonly ResidentCategory[];

/**
 * How a report over a date range can be broken down: by time (day, month), by who ate (the order's category;
 * 'guest' for a guest), by the order's own attributes, or by place (canteen, street, district).
 */
export const REPORT_GROUPINGS = ['day', 'month', 'category', 'mealPeriod', 'fulfilment', 'paymentMethod', 'canteen', 'street', 'district'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** A report's category key for a guest (an order with no resident has no category). */
export const GUEST_CATEGORY = 'guest';

/** The longest period one report or indicator set covers, in days (two years and a day, for a leap year). */
export const MAX_REPORT_DAYS = 732;

/** Annual clearing deadlines (穗民规字〔2024〕3号): districts report the year by 30 April, the city clears by 31 May, of the next year. */
export const CLEARING_DEADLINES = { districtReport: '04-30', cityClearing: '05-31' } as const;

/**
 * The anomaly scan's thresholds, named and explained. They were tuned on the demo city's 60 days (twelve canteens
 * of 10–40 lunches a day, Sundays and the National Day holiday included) so that every planted irregularity is
 * found and no clean canteen raises anything; `anomalies.test.ts` holds both. Change one only with its reason.
 */

/** An order counts as placed in opening hours up to this many minutes before it opens or after it closes (clock drift). */
export const OUTSIDE_HOURS_GRACE_MINUTES = 10;

/** Volume spike: a canteen-day-meal is compared with the same canteen's same meal on the same weekday … */
/** … over this many days before the scanned month (and the rest of the month itself). */
export const VOLUME_BASELINE_DAYS = 56;
/** … given at least this many such days (holidays are neither compared nor used as a baseline). */
export const VOLUME_MIN_BASELINE_DAYS = 3;
/** A spike has at least this many orders (a small canteen's 2 → 6 is not one). */
export const VOLUME_MIN_ORDERS = 15;
/** … at least this many times the baseline median … */
export const VOLUME_SPIKE_RATIO = 2;
/** … and a robust z-score (n − median) / (1.4826 × MAD) of at least this. */
export const VOLUME_SPIKE_Z = 5;
/** The MAD used is at least this share of the median (and at least one order), so a steady canteen's zero MAD is no hair trigger. */
export const VOLUME_MAD_FLOOR_SHARE = 0.1;

/** Staff keying: a canteen with at least this many resident orders in the month … */
export const STAFF_KEYED_MIN_ORDERS = 30;
/** … keys in at least this share of them by staff … */
export const STAFF_KEYED_MIN_SHARE = 0.25;
/** … and at least this many times the city's share. (Demo: 洪德 ≈ 64 % against ≈ 6 % elsewhere.) */
export const STAFF_KEYED_CITY_RATIO = 3;

/** Price clustering: a canteen with at least this many subsidised orders in the month … */
export const PRICE_CLUSTER_MIN_ORDERS = 50;
/** … prices at least this share of them exactly where the meal subsidy reaches its cap (¥12 in Guangzhou) … */
export const PRICE_CLUSTER_MIN_SHARE = 0.6;
/** … and at least this many times the city's share. (Demo: city ≈ 29 %, the highest clean canteen ≈ 47 %.) */
export const PRICE_CLUSTER_CITY_RATIO = 2;

/** No elderly diners: this many consecutive months (the scanned one and those before it) without a registered elder's meal. */
export const NO_ELDERLY_MONTHS = 3;

import type { MealPeriod } from '../domain/enums';
import type { LocalDate } from '../domain/time';
import { layerKeyOf, type HistoryEntry, type PolicyVersion } from './evaluate';

/**
 * One subsidised meal per resident per meal period, across every layer (Guangzhou: 每人每餐次计一次).
 * Per-layer limits alone would let a district layer pay for a second lunch at another canteen when the
 * city layer already paid for the first one elsewhere. When the resident already had a subsidised meal in
 * this slot, these history rows count it against every layer of every policy given (meal, delivery and
 * operating: a meal that is not subsidised earns the operator nothing either), so each answers
 * `limit_meal_period` (a layer with perMealPeriod n gets n rows). The rows carry amountFen 0: they count for
 * the limits and spend no allowance.
 *
 * The server adds them when the resident has an order in this slot with elder_subsidy_fen > 0 that is not
 * cancelled or refunded (the same condition as the partial unique index orders_one_subsidised_meal, which
 * backs the rule up in the database). See docs/policy.md, "One subsidised meal per meal period".
 */
export function slotAlreadySubsidised(policies: readonly PolicyVersion[], serviceDate: LocalDate, mealPeriod: MealPeriod): HistoryEntry[] {
  return policies.flatMap((p) =>
    p.document.layers.flatMap((l) =>
      // as many rows as the layer's perMealPeriod, so even a layer that allows more answers limit_meal_period
      Array.from({ length: l.limits.perMealPeriod }, () => ({ serviceDate, mealPeriod, canteenId: '', layerKey: layerKeyOf(p.versionId, l.id), amountFen: 0 })),
    ),
  );
}

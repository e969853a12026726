import type { MealPeriod } from '../domain/enums';
import type { LocalDate } from '../domain/time';
import { layerKeyOf, type HistoryEntry, type PolicyVersion } from './evaluate';

/**
 * One subsidised meal per resident per meal period, across every layer (Guangzhou: 每人每餐次计一次).
 * Per-layer limits alone would let a district layer pay for a second lunch at another canteen when the
 * city layer already paid for the first one elsewhere. When the resident already had a subsidised meal in
 * this slot, these history rows count it against every meal layer, so each answers `limit_meal_period`.
 */
export function slotAlreadySubsidised(policies: readonly PolicyVersion[], serviceDate: LocalDate, mealPeriod: MealPeriod): HistoryEntry[] {
  return policies.flatMap((p) =>
    p.document.layers
      .filter((l) => l.kind === 'meal')
      .map((l) => ({ serviceDate, mealPeriod, canteenId: '', layerKey: layerKeyOf(p.versionId, l.id), amountFen: 1 })),
  );
}

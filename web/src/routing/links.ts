import type { Fulfilment, MealPeriod } from '@yishi/shared/domain';

/** The filters the orders list (pages/canteen/OrdersPage) opens with from its address; with none, today's meal. */
export const ORDERS_LINK_FILTERS = ['date', 'from', 'to', 'mealPeriod', 'fulfilment'] as const;

/**
 * A canteen's orders list opened on a period (a claim's line: `?from=2026-11-01&to=2026-11-30&mealPeriod=lunch`),
 * and, where given, a meal period and a fulfilment. The list has no filter for payer, resident category or subsidy.
 */
export function ordersLink(canteenId: string, f: { from: string; to: string; mealPeriod?: MealPeriod; fulfilment?: Fulfilment }): string {
  const q = new URLSearchParams({ from: f.from, to: f.to });
  if (f.mealPeriod) q.set('mealPeriod', f.mealPeriod);
  if (f.fulfilment) q.set('fulfilment', f.fulfilment);
  return `/canteens/${encodeURIComponent(canteenId)}/orders?${q.toString()}`;
}

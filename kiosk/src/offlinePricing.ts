/**
 * Pricing with the network down: the same shared engine and the same pricing-context builder the server uses
 * (shared/src/policy/context.ts), fed from the offline cache instead of the database. The figure is what the
 * server computes later from the same facts; where the facts moved on meanwhile (a subsidy used at another
 * canteen, a policy published) the server keeps the order as served and flags it for review.
 */
import type { Fulfilment, MealPeriod } from '@yishi/shared/domain';
import { evaluateLines, pricingContext, policyVersionIds, type PricedLine, type PricingSource, type ResidentFacts } from '@yishi/shared/policy';
import type { Menu, Quote } from '@yishi/shared/schemas';
import type { OfflinePricingData } from './offlineCache';

export interface OfflineQuote extends Quote {
  /** Priced here from the cache: no server quote id; the order carries these figures instead. */
  offline: true;
}

/** The basket on the cached menu (null when a dish is not on it). */
export function menuLines(menu: Menu, cart: readonly { dishId: string; quantity: number }[]): (PricedLine & { name: string })[] | null {
  const lines: (PricedLine & { name: string })[] = [];
  for (const l of cart) {
    const item = menu.items.find((i) => i.dish.id === l.dishId);
    if (!item) return null;
    lines.push({ dishId: item.dish.id, name: item.dish.name, unitPriceFen: item.dish.priceFen, quantity: l.quantity, tags: item.dish.tags });
  }
  return lines;
}

export function offlineQuote(
  data: OfflinePricingData,
  args: {
    slot: { serviceDate: string; mealPeriod: MealPeriod };
    resident: ResidentFacts | null;
    balanceFen: number | null;
    menu: Menu;
    cart: readonly { dishId: string; quantity: number }[];
    fulfilment: Fulfilment;
  },
): OfflineQuote | null {
  const lines = menuLines(args.menu, args.cart);
  if (!lines || lines.length === 0) return null;
  const source: PricingSource = {
    policiesOn: () => data.policies,
    calendar: () => data.calendar,
    historyOf: (_id, from, to) => data.history.filter((h) => h.serviceDate >= from && h.serviceDate <= to),
    hadSubsidisedMeal: () => data.subsidisedThisSlot,
    layerSpent: (keys) => Object.fromEntries(keys.map((k) => [k, data.layerSpentFen[k] ?? 0])),
  };
  const pc = pricingContext(source, { canteen: data.canteen, slot: args.slot, resident: args.resident });
  const ev = evaluateLines(pc, lines, args.fulfilment);
  return {
    offline: true,
    canteenId: data.canteen.id,
    residentId: args.resident?.id ?? null,
    serviceDate: args.slot.serviceDate,
    mealPeriod: args.slot.mealPeriod,
    fulfilment: args.fulfilment,
    mealPriceFen: ev.mealPriceFen,
    elderSubsidyFen: ev.elderSubsidyFen,
    elderPaysFen: ev.elderPaysFen,
    operatorSubsidyFen: ev.operatorSubsidyFen,
    lines: lines.map((l, i) => ({
      dishId: l.dishId,
      name: l.name,
      unitPriceFen: l.unitPriceFen,
      quantity: l.quantity,
      lineTotalFen: l.unitPriceFen * l.quantity,
      elderSubsidyFen: ev.lineShares[i]!.elderSubsidyFen,
    })),
    subsidies: ev.layers.map((l) => ({
      layerKey: l.layerKey,
      layerId: l.layerId,
      layerName: l.layerName,
      policyVersionId: l.versionId,
      level: l.level,
      payer: l.payer,
      kind: l.kind,
      amountFen: l.amountFen,
      reason: l.reason,
    })),
    balanceFen: args.balanceFen,
    balanceAfterFen: args.balanceFen === null ? null : args.balanceFen - ev.elderPaysFen,
    policyVersionIds: policyVersionIds(pc),
    quoteId: '',
  };
}

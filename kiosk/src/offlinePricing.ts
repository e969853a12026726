/**
 * Pricing with the network down: the same shared engine and the same pricing-context builder the server uses
 * (shared/src/policy/context.ts), fed from the offline cache instead of the database. The figure is what the
 * server computes later from the same facts; where the facts moved on meanwhile (a subsidy used at another
 * canteen, a policy published) the server keeps the order as served and flags it for review.
 */
import type { Fulfilment, MealPeriod } from '@yishi/shared/domain';
import { evaluateLines, pricingContext, policyVersionIds, type PricedLine, type PricingSource, type ResidentFacts } from '@yishi/shared/policy';
import type { Menu, Quote, ResidentPricing } from '@yishi/shared/schemas';
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

/** What the engine reads about the meal and the person: the offline cache's, or online /kiosk/pricing with the identification's. */
export type EnginePricingData = Pick<OfflinePricingData, 'canteen' | 'calendar' | 'policies' | 'history' | 'subsidisedThisSlot' | 'layerSpentFen'>;

/**
 * The meal's facts with this person's own part from their identification (the server's answer at the tap is
 * fresher than an offline cache: a meal eaten elsewhere since it was filled).
 */
export function withResidentPart(meal: Omit<EnginePricingData, 'history' | 'subsidisedThisSlot'>, mine: ResidentPricing): EnginePricingData {
  return {
    canteen: meal.canteen,
    calendar: meal.calendar,
    policies: meal.policies,
    layerSpentFen: meal.layerSpentFen,
    history: mine.history,
    subsidisedThisSlot: mine.subsidisedThisSlot,
  };
}

function sourceOf(data: EnginePricingData): PricingSource {
  return {
    policiesOn: () => data.policies,
    calendar: () => data.calendar,
    historyOf: (_id, from, to) => data.history.filter((h) => h.serviceDate >= from && h.serviceDate <= to),
    hadSubsidisedMeal: () => data.subsidisedThisSlot,
    layerSpent: (keys) => Object.fromEntries(keys.map((k) => [k, data.layerSpentFen[k] ?? 0])),
  };
}

/** The layer of a cached policy version (for its English names). */
function englishOf(data: EnginePricingData, versionId: string, layerId: string) {
  return data.policies.find((p) => p.versionId === versionId)?.document.layers.find((l) => l.id === layerId);
}

export function offlineQuote(
  data: EnginePricingData,
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
  const pc = pricingContext(sourceOf(data), { canteen: data.canteen, slot: args.slot, resident: args.resident });
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
      layerNameEn: englishOf(data, l.versionId, l.layerId)?.nameEn ?? null,
      policyVersionId: l.versionId,
      level: l.level,
      payer: l.payer,
      payerEn: englishOf(data, l.versionId, l.layerId)?.payerEn ?? null,
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

/**
 * What one more of each dish would add to what this person pays, given the basket as it is: the figure a dish
 * card shows an identified elder ("您付 ¥2.25", the list price struck through). With an empty basket it is the
 * dish's price for them on its own; once the meal's subsidy is used by a dish in the basket, another dish costs
 * its list price, and the card says so. One more can also lower the total (a side dish alone is under a policy's
 * minimum meal price; with a set it makes a subsidised meal): then the card says what the whole comes to. The same engine and facts the server prices with (the basket's own
 * figures still come from the server's quote online). Dishes not on the menu are left out.
 */
/** One dish card's figure: what one more adds to what this person pays, and what they would pay in all then. */
export interface DishPrice {
  addsFen: number;
  totalFen: number;
}

export function dishPrices(
  data: EnginePricingData,
  args: {
    slot: { serviceDate: string; mealPeriod: MealPeriod };
    resident: ResidentFacts;
    menu: Menu;
    cart: readonly { dishId: string; quantity: number }[];
    fulfilment: Fulfilment;
  },
): Map<string, DishPrice> {
  const out = new Map<string, DishPrice>();
  const base = menuLines(args.menu, args.cart);
  if (!base) return out;
  const pc = pricingContext(sourceOf(data), { canteen: data.canteen, slot: args.slot, resident: args.resident });
  const before = base.length === 0 ? 0 : evaluateLines(pc, base, args.fulfilment).elderPaysFen;
  for (const item of args.menu.items) {
    const id = item.dish.id;
    const cart = args.cart.some((l) => l.dishId === id)
      ? args.cart.map((l) => (l.dishId === id ? { dishId: id, quantity: l.quantity + 1 } : l))
      : [...args.cart, { dishId: id, quantity: 1 }];
    const lines = menuLines(args.menu, cart);
    if (!lines) continue;
    const total = evaluateLines(pc, lines, args.fulfilment).elderPaysFen;
    out.set(id, { addsFen: total - before, totalFen: total });
  }
  return out;
}

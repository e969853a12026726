/**
 * The engine's input, built one way wherever a meal is priced: on the server (a quote, an order, the what-if, the
 * demo seed) and on the kiosk (the menu's marginal prices, and pricing with the network down from its offline
 * cache). Callers differ only in the `PricingSource` they read from: the database (server), a replay of a month
 * in order (what-if, seed), or what the kiosk was given (its identification answer or its offline snapshot).
 * That is why the kiosk's figure offline is the figure the server computes later from the same facts.
 */
import type { Fulfilment, MealPeriod } from '../domain/enums';
import type { LocalDate, OfficialCalendar } from '../domain/time';
import {
  evaluate,
  type CanteenFacts,
  type EvaluateInput,
  type Evaluation,
  historyWindow,
  type HistoryEntry,
  type PolicyVersion,
  type PricedLine,
  type ResidentFacts,
} from './evaluate';
import { slotAlreadySubsidised } from './slot';

/**
 * A span of days that holds every history window (longer than the longest limit window, a month): what a replay
 * loads before the period it re-prices. Pricing one meal reads only `historyWindow(serviceDate)`.
 */
export const HISTORY_DAYS = 40;

/** One meal slot at a canteen: a service date and its meal period. */
export interface Slot {
  serviceDate: LocalDate;
  mealPeriod: MealPeriod;
}

/** Where pricing reads what it needs besides the resident and the canteen. */
export interface PricingSource {
  /** The published policy versions in force on a date, in application order. */
  policiesOn(date: LocalDate): PolicyVersion[];
  calendar(): OfficialCalendar;
  /** Subsidy rows of the resident's meals with a service date in [from, to] (cancelled and refunded do not count). */
  historyOf(residentId: string, from: LocalDate, to: LocalDate): readonly HistoryEntry[];
  /** The resident already had a subsidised meal in this slot, at any canteen. */
  hadSubsidisedMeal(residentId: string, slot: Slot): boolean;
  /** Paid so far per layer key (for layers with a budget). */
  layerSpent(layerKeys: string[]): Record<string, number>;
}

/** Everything the engine needs about one resident (or a guest) at one canteen's meal slot. */
export interface PricingContext {
  canteen: CanteenFacts;
  slot: Slot;
  resident: ResidentFacts | null;
  policies: PolicyVersion[];
  history: HistoryEntry[];
  layerSpentFen: Record<string, number>;
  calendar: OfficialCalendar;
}

/** The keys of the layers that have a budget (what `layerSpent` is asked for). */
export function budgetLayerKeys(policies: readonly PolicyVersion[]): string[] {
  return policies.flatMap((v) => v.document.layers.filter((l) => l.limits?.budgetFen !== undefined).map((l) => `${v.versionId}:${l.id}`));
}

/** THE builder of the pricing context. */
export function pricingContext(source: PricingSource, args: { canteen: CanteenFacts; slot: Slot; resident: ResidentFacts | null }): PricingContext {
  const { slot, resident } = args;
  const policies = source.policiesOn(slot.serviceDate);
  // Only the rows evaluate() can look at (its week and month), not more: every tap, quote and order reads them.
  const history = resident ? [...source.historyOf(resident.id, historyWindow(slot.serviceDate).from, slot.serviceDate)] : [];
  // One subsidised meal per resident per meal period, across every layer and canteen.
  if (resident && source.hadSubsidisedMeal(resident.id, slot)) history.push(...slotAlreadySubsidised(policies, slot.serviceDate, slot.mealPeriod));
  return {
    canteen: args.canteen,
    slot,
    resident,
    policies,
    history,
    layerSpentFen: source.layerSpent(budgetLayerKeys(policies)),
    calendar: source.calendar(),
  };
}

/** THE builder of the engine's input: a context, the lines and how the meal is taken. */
export function engineInput(pc: PricingContext, lines: readonly PricedLine[], fulfilment: Fulfilment): EvaluateInput {
  return {
    policies: pc.policies,
    resident: pc.resident,
    canteen: pc.canteen,
    serviceDate: pc.slot.serviceDate,
    mealPeriod: pc.slot.mealPeriod,
    fulfilment,
    lines,
    history: pc.history,
    layerSpentFen: pc.layerSpentFen,
    calendar: pc.calendar,
  };
}

export function evaluateLines(pc: PricingContext, lines: readonly PricedLine[], fulfilment: Fulfilment): Evaluation {
  return evaluate(engineInput(pc, lines, fulfilment));
}

/** The ids of the policy versions a context prices under (stored with the order). */
export function policyVersionIds(pc: PricingContext): string[] {
  return pc.policies.map((v) => v.versionId);
}

/**
 * What adding one portion of each candidate dish to the basket would change in what the elder pays:
 * pays(basket + dish) − pays(basket). Shown on the menu's dish cards, so the figures a person sees while
 * choosing add up, step by step, to the charge (a sum of such steps telescopes to pays(final basket)). It can
 * be 0 (a capped "pays at most" subsidy) or negative (the dish lifts the meal over a layer's minimum price).
 */
export function marginalPrices(
  pc: PricingContext,
  basket: readonly PricedLine[],
  candidates: readonly PricedLine[],
  fulfilment: Fulfilment,
): { dishId: string; addsFen: number; paysAfterFen: number }[] {
  const before = basket.length === 0 ? 0 : evaluateLines(pc, basket, fulfilment).elderPaysFen;
  return candidates.map((c) => {
    const i = basket.findIndex((l) => l.dishId === c.dishId);
    const next = i < 0 ? [...basket, { ...c, quantity: 1 }] : basket.map((l, j) => (j === i ? { ...l, quantity: l.quantity + 1 } : l));
    const after = evaluateLines(pc, next, fulfilment).elderPaysFen;
    return { dishId: c.dishId, addsFen: after - before, paysAfterFen: after };
  });
}

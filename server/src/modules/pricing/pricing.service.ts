/**
 * Pricing: the one place the server turns "who, where, when, which dishes" into the subsidy engine's input.
 *
 * `pricingContext` (the shared builder, shared/src/policy/context.ts, which the kiosk uses too) builds everything the engine needs about one resident at one canteen's meal slot (the
 * policies in force, the resident's earlier subsidised meals, what budgets have paid, the calendar), and
 * `evaluateLines` adds the lines and runs the engine. Orders (quote, order, a card tap's personal prices), the
 * what-if and the demo seed all go through these two functions; they differ only in the `PricingSource` they
 * read history from: the stored orders (`liveSource`) or a month being replayed in order (`Replay`). That is
 * why a what-if on an unchanged policy reproduces the stored orders to the fen.
 */
import {
  historyEntriesFor,
  pricingContext as sharedPricingContext,
  type CanteenFacts,
  type DishTag,
  type Evaluation,
  type HistoryEntry,
  type OfficialCalendar,
  type PolicyVersion,
  type PricedLine,
  type PricingContext,
  type PricingSource,
  type ResidentFacts,
} from '@yishi/shared';
import { AppError } from '@yishi/shared/schemas';
import type { Reader, Tx } from '../../db/client';
import type { MenuSnapshot } from '../menus/menus.service';
import * as policy from '../policy/policy.service';
import * as sites from '../sites/sites.service';
import type { CanteenRow, Slot } from '../sites/sites.service';

// The context builder itself is shared with the kiosk (it prices offline from its cache the same way).
export { HISTORY_DAYS, engineInput, evaluateLines, policyVersionIds, type PricingContext, type PricingSource } from '@yishi/shared';

/** A resident's earlier subsidised meals and the layers' spending, as stored by orders. */
export type SubsidyLedger = Omit<PricingSource, 'policiesOn' | 'calendar'>;

/** A line as it is priced: the dish's price and tags with the quantity, and its name for receipts. */
export interface MenuLine extends PricedLine {
  name: string;
}

export interface LineInput {
  dishId: string;
  quantity: number;
}

/** The canteen as the engine sees it: where it is (its street) and how it supplies meals. */
export function canteenFacts(c: CanteenRow): CanteenFacts {
  return { id: c.id, areaCode: c.streetCode, supplyMode: c.supplyMode };
}

/** THE builder of the pricing context (shared/src/policy/context.ts), for a canteen row. */
export function pricingContext(source: PricingSource, args: { canteen: CanteenRow; slot: Slot; resident: ResidentFacts | null }): PricingContext {
  return sharedPricingContext(source, { canteen: canteenFacts(args.canteen), slot: args.slot, resident: args.resident });
}

/**
 * The chosen dishes as lines to price, from the slot's menu: each must be on it and (unless `allowSoldOut`, for
 * showing prices) not sold out. Stock itself is taken later, in the order's own transaction.
 */
export function linesOnMenu(menu: MenuSnapshot, lines: readonly LineInput[], opts: { allowSoldOut?: boolean } = {}): MenuLine[] {
  return lines.map((l) => {
    const item = menu.items.get(l.dishId);
    const dish = menu.dishes.get(l.dishId);
    if (!item || !dish || dish.canteenId !== menu.menu.canteenId)
      throw new AppError('dish_unavailable', `dish ${l.dishId} is not on this menu`, 409, { dishId: l.dishId });
    const remaining = item.portions === null ? null : item.portions - item.sold;
    if (!opts.allowSoldOut && (item.soldOut || (remaining !== null && remaining < l.quantity))) {
      throw new AppError('sold_out', `${dish.name} is sold out`, 409, { dishId: l.dishId, remaining: Math.max(0, remaining ?? 0) });
    }
    return { dishId: l.dishId, name: dish.name, unitPriceFen: dish.priceFen, quantity: l.quantity, tags: dish.tags as DishTag[] };
  });
}

/** Pricing over the database as it stands: the published policies, the calendar, and the stored orders' subsidies. */
export function liveSource(db: Reader | Tx, ledger: SubsidyLedger): PricingSource {
  return {
    policiesOn: (date) => policy.versionsInForce(db, date),
    calendar: () => sites.calendar(db),
    historyOf: (residentId, from, to) => ledger.historyOf(residentId, from, to),
    hadSubsidisedMeal: (residentId, slot) => ledger.hadSubsidisedMeal(residentId, slot),
    layerSpent: (keys) => ledger.layerSpent(keys),
  };
}

/**
 * Pricing a sequence of meals in the order they happened, keeping the history in memory: the what-if re-pricing
 * a month, and the demo seed writing its history. After each meal is priced, `record` it so the next meals see
 * it, exactly as stored orders are seen by live pricing.
 */
export class Replay implements PricingSource {
  private readonly entries = new Map<string, HistoryEntry[]>();
  private readonly subsidisedSlots = new Set<string>();
  private readonly spent: Record<string, number> = {};
  private readonly known = new Set<string>();
  private readonly policiesByDate = new Map<string, PolicyVersion[]>();

  constructor(
    private readonly opts: {
      policiesOn: (date: string) => PolicyVersion[];
      calendar: OfficialCalendar;
      /** Stored history from before the replayed period (what live pricing would read from the orders). */
      earlier?: readonly (HistoryEntry & { residentId: string })[];
      /** What layers with a budget had paid before the replayed period (asked once per layer). */
      spentBefore?: (layerKeys: string[]) => Record<string, number>;
    },
  ) {
    for (const e of opts.earlier ?? []) this.entries.set(e.residentId, [...(this.entries.get(e.residentId) ?? []), e]);
  }

  policiesOn(date: string): PolicyVersion[] {
    let p = this.policiesByDate.get(date);
    if (!p) this.policiesByDate.set(date, (p = this.opts.policiesOn(date)));
    return p;
  }

  calendar(): OfficialCalendar {
    return this.opts.calendar;
  }

  historyOf(residentId: string, from: string, to: string): HistoryEntry[] {
    return (this.entries.get(residentId) ?? []).filter((e) => e.serviceDate >= from && e.serviceDate <= to);
  }

  hadSubsidisedMeal(residentId: string, slot: Slot): boolean {
    return this.subsidisedSlots.has(`${residentId}|${slot.serviceDate}|${slot.mealPeriod}`);
  }

  layerSpent(keys: string[]): Record<string, number> {
    const unknown = keys.filter((k) => !this.known.has(k));
    if (unknown.length) {
      const before = this.opts.spentBefore?.(unknown) ?? {};
      for (const k of unknown) {
        this.spent[k] = (this.spent[k] ?? 0) + (before[k] ?? 0);
        this.known.add(k);
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.spent[k] ?? 0]));
  }

  /** A meal priced in `pc` was taken: its subsidies now count for the meals after it. */
  record(pc: PricingContext, evaluation: Evaluation): void {
    for (const l of evaluation.layers) this.spent[l.layerKey] = (this.spent[l.layerKey] ?? 0) + l.amountFen;
    if (!pc.resident) return;
    const applied = historyEntriesFor(evaluation, pc.slot.serviceDate, pc.slot.mealPeriod, pc.canteen.id);
    if (applied.length) this.entries.set(pc.resident.id, [...(this.entries.get(pc.resident.id) ?? []), ...applied]);
    if (evaluation.elderSubsidyFen > 0) this.subsidisedSlots.add(`${pc.resident.id}|${pc.slot.serviceDate}|${pc.slot.mealPeriod}`);
  }
}

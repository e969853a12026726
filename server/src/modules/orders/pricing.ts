/**
 * Prices an order: the one place the server turns "who, where, when, which dishes" into amounts,
 * through the shared policy engine. Used by quotes, orders, the kiosk's personal prices and what-if.
 */
import {
  addDays,
  currentMealPeriod,
  evaluate,
  slotAlreadySubsidised,
  localParts,
  type Evaluation,
  type MealPeriod,
  type PolicyDocument,
  type ResidentFacts,
  type Fulfilment,
  type DishTag,
  type PolicyVersion,
  type HistoryEntry,
  type OfficialCalendar,
} from '@yishi/shared';
import { AppError } from '@yishi/shared/schemas';
import type { Reader, Tx } from '../../db/client';
import type { CanteenRow } from '../sites/sites.repo';
import { calendar, mealPeriodsOf } from '../sites/sites.repo';
import * as menusRepo from '../menus/menus.repo';
import * as residents from '../residents/residents.service';
import { allVersions, publishedInForce } from '../policy/policy.repo';
import * as repo from './orders.repo';

export interface Slot {
  serviceDate: string;
  mealPeriod: MealPeriod;
}

/** The canteen's open meal period now, in its own time zone; null when none is open. */
export function openSlot(db: Reader | Tx, canteen: CanteenRow, now: Date): Slot | null {
  const { date, time } = localParts(now, canteen.timeZone);
  const hours = mealPeriodsOf(db, [canteen.id]);
  const period = currentMealPeriod(hours, date, time);
  return period ? { serviceDate: date, mealPeriod: period } : null;
}

export function requireOpenSlot(db: Reader | Tx, canteen: CanteenRow, now: Date): Slot {
  if (canteen.status !== 'open')
    throw new AppError('canteen_closed', `this canteen is ${canteen.status}${canteen.statusReason ? `: ${canteen.statusReason}` : ''}`);
  const slot = openSlot(db, canteen, now);
  if (!slot) throw new AppError('canteen_closed', 'no meal period is open now');
  return slot;
}

export function residentFacts(db: Reader | Tx, residentId: string) {
  return residents.factsOf(db, residentId);
}

export interface LineInput {
  dishId: string;
  quantity: number;
}

export interface Priced {
  slot: Slot;
  menu: menusRepo.MenuRow;
  dishes: Map<string, menusRepo.DishRow>;
  evaluation: Evaluation;
  policyVersionIds: string[];
}

/**
 * Everything pricing needs about one resident at one canteen's meal slot, read once. The kiosk prices every
 * dish of the menu for the person who just tapped a card: that is one context and many `priceWith` calls.
 */
export interface PricingContext {
  canteen: CanteenRow;
  slot: Slot;
  resident: ResidentFacts | null;
  menu: menusRepo.MenuRow;
  items: Map<string, menusRepo.MenuItemRow>;
  dishes: Map<string, menusRepo.DishRow>;
  versions: PolicyVersion[];
  history: HistoryEntry[];
  layerSpentFen: Record<string, number>;
  calendar: OfficialCalendar;
}

export function pricingContext(
  db: Reader | Tx,
  args: { canteen: CanteenRow; slot: Slot; resident: ResidentFacts | null; policiesOverride?: PolicyVersion[] },
): PricingContext {
  const { canteen, slot, resident } = args;
  const menu = menusRepo.menuBySlot(db, canteen.id, slot.serviceDate, slot.mealPeriod);
  if (!menu) throw new AppError('menu_not_found', `no ${slot.mealPeriod} menu today`);
  const items = new Map(menusRepo.itemsOf(db, [menu.id]).map((i) => [i.dishId, i]));
  const dishes = new Map(menusRepo.dishesByIds(db, [...items.keys()]).map((d) => [d.id, d]));
  const versions = args.policiesOverride ?? policiesFor(db, slot.serviceDate);
  const history = resident ? repo.subsidyHistory(db, resident.id, addDays(slot.serviceDate, -40), slot.serviceDate) : [];
  if (resident && repo.hasSubsidisedMeal(db, resident.id, slot.serviceDate, slot.mealPeriod)) {
    history.push(...slotAlreadySubsidised(versions, slot.serviceDate, slot.mealPeriod));
  }
  const budgetKeys = versions.flatMap((v) => v.document.layers.filter((l) => l.limits?.budgetFen !== undefined).map((l) => `${v.versionId}:${l.id}`));
  return { canteen, slot, resident, menu, items, dishes, versions, history, layerSpentFen: repo.layerSpent(db, budgetKeys), calendar: calendar(db) };
}

/**
 * Price lines in a context. Checks every dish is on the menu and not sold out (stock is taken later, in the
 * order's own transaction).
 */
export function priceWith(pc: PricingContext, lines: LineInput[], fulfilment: Fulfilment, opts: { allowSoldOut?: boolean } = {}): Priced {
  for (const l of lines) {
    const item = pc.items.get(l.dishId);
    const dish = pc.dishes.get(l.dishId);
    if (!item || !dish || dish.canteenId !== pc.canteen.id)
      throw new AppError('dish_unavailable', `dish ${l.dishId} is not on this menu`, 409, { dishId: l.dishId });
    const remaining = item.portions === null ? null : item.portions - item.sold;
    if (!opts.allowSoldOut && (item.soldOut || (remaining !== null && remaining < l.quantity))) {
      throw new AppError('sold_out', `${dish.name} is sold out`, 409, { dishId: l.dishId, remaining: Math.max(0, remaining ?? 0) });
    }
  }
  const evaluation = evaluate({
    policies: pc.versions,
    resident: pc.resident,
    canteen: { id: pc.canteen.id, areaCode: pc.canteen.streetCode, supplyMode: pc.canteen.supplyMode },
    serviceDate: pc.slot.serviceDate,
    mealPeriod: pc.slot.mealPeriod,
    fulfilment,
    lines: lines.map((l) => {
      const d = pc.dishes.get(l.dishId)!;
      return { dishId: l.dishId, unitPriceFen: d.priceFen, quantity: l.quantity, tags: d.tags as DishTag[] };
    }),
    history: pc.history,
    layerSpentFen: pc.layerSpentFen,
    calendar: pc.calendar,
  });
  return { slot: pc.slot, menu: pc.menu, dishes: pc.dishes, evaluation, policyVersionIds: pc.versions.map((v) => v.versionId) };
}

/** Price lines against the menu of a slot (a context for one use). */
export function price(
  db: Reader | Tx,
  args: { canteen: CanteenRow; slot: Slot; resident: ResidentFacts | null; lines: LineInput[]; fulfilment: Fulfilment; policiesOverride?: PolicyVersion[] },
): Priced {
  return priceWith(pricingContext(db, args), args.lines, args.fulfilment);
}

/** Published versions in force on a date; each carries its earlier versions so limits count across them. */
export function policiesFor(db: Reader | Tx, date: string): PolicyVersion[] {
  const all = allVersions(db);
  return publishedInForce(db, date).map((v) => ({
    versionId: v.id,
    document: v.document as PolicyDocument,
    previousVersionIds: all.filter((o) => o.policyKey === v.policyKey && o.version < v.version).map((o) => o.id),
  }));
}

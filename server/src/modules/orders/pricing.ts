/**
 * Prices an order: the one place the server turns "who, where, when, which dishes" into amounts,
 * through the shared policy engine. Used by quotes, orders, the kiosk's personal prices and what-if.
 */
import { addDays, currentMealPeriod, evaluate, slotAlreadySubsidised, localParts, type Evaluation, type MealPeriod, type PolicyDocument, type ResidentFacts, type Fulfilment, type DishTag, type PolicyVersion } from '@yishi/shared';
import { AppError } from '@yishi/shared/schemas';
import type { Reader, Tx } from '../../db/client';
import type { CanteenRow } from '../sites/sites.repo';
import { calendar, mealPeriodsOf } from '../sites/sites.repo';
import * as menusRepo from '../menus/menus.repo';
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
  if (canteen.status !== 'open') throw new AppError('canteen_closed', `this canteen is ${canteen.status}${canteen.statusReason ? `: ${canteen.statusReason}` : ''}`);
  const slot = openSlot(db, canteen, now);
  if (!slot) throw new AppError('canteen_closed', 'no meal period is open now');
  return slot;
}

export function residentFacts(db: Reader | Tx, residentId: string): { facts: ResidentFacts; row: NonNullable<ReturnType<typeof repo.residentById>> } {
  const row = repo.residentById(db, residentId);
  if (!row) throw new AppError('resident_not_found', 'no such resident');
  const cats = repo.categoriesOf(db, residentId);
  return {
    row,
    facts: {
      id: row.id,
      birthDate: row.birthDate,
      hukouAreaCode: row.hukouAreaCode,
      residenceAreaCode: row.residenceAreaCode,
      categories: cats.map((c) => ({ code: c.code as ResidentFacts['categories'][number]['code'], validFrom: c.validFrom, validTo: c.validTo })),
      careLevel: row.careLevel,
      disabilityGrade: row.disabilityGrade,
      disabilityLevel: row.disabilityLevel,
      status: row.status,
      statusSince: row.statusSince,
    },
  };
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
 * Price lines against the menu of a slot. Checks every dish is on that menu and not sold out
 * (stock is taken later, in the order's own transaction).
 */
export function price(
  db: Reader | Tx,
  args: {
    canteen: CanteenRow;
    slot: Slot;
    resident: ResidentFacts | null;
    lines: LineInput[];
    fulfilment: Fulfilment;
    policiesOverride?: PolicyVersion[];
    /** Price a sold-out dish anyway (the kiosk's price list shows it greyed, with its price). */
    allowSoldOut?: boolean;
  },
): Priced {
  const { canteen, slot, resident, lines, fulfilment } = args;
  const menu = menusRepo.menuBySlot(db, canteen.id, slot.serviceDate, slot.mealPeriod);
  if (!menu) throw new AppError('menu_not_found', `no ${slot.mealPeriod} menu today`);
  const items = new Map(menusRepo.itemsOf(db, [menu.id]).map((i) => [i.dishId, i]));
  const dishRows = new Map(menusRepo.dishesByIds(db, lines.map((l) => l.dishId)).map((d) => [d.id, d]));
  for (const l of lines) {
    const item = items.get(l.dishId);
    const dish = dishRows.get(l.dishId);
    if (!item || !dish || dish.canteenId !== canteen.id) throw new AppError('dish_unavailable', `dish ${l.dishId} is not on this menu`, 409, { dishId: l.dishId });
    const remaining = item.portions === null ? null : item.portions - item.sold;
    if (!args.allowSoldOut && (item.soldOut || (remaining !== null && remaining < l.quantity))) {
      throw new AppError('sold_out', `${dish.name} is sold out`, 409, { dishId: l.dishId, remaining: Math.max(0, remaining ?? 0) });
    }
  }
  const versions = args.policiesOverride ?? policiesFor(db, slot.serviceDate);
  const history = resident ? repo.subsidyHistory(db, resident.id, addDays(slot.serviceDate, -40), slot.serviceDate) : [];
  if (resident && repo.hasSubsidisedMeal(db, resident.id, slot.serviceDate, slot.mealPeriod)) {
    history.push(...slotAlreadySubsidised(versions, slot.serviceDate, slot.mealPeriod));
  }
  const budgetKeys = versions.flatMap((v) => v.document.layers.filter((l) => l.limits?.budgetFen !== undefined).map((l) => `${v.versionId}:${l.id}`));
  const evaluation = evaluate({
    policies: versions,
    resident,
    canteen: { id: canteen.id, areaCode: canteen.streetCode, supplyMode: canteen.supplyMode },
    serviceDate: slot.serviceDate,
    mealPeriod: slot.mealPeriod,
    fulfilment,
    lines: lines.map((l) => {
      const d = dishRows.get(l.dishId)!;
      return { dishId: l.dishId, unitPriceFen: d.priceFen, quantity: l.quantity, tags: d.tags as DishTag[] };
    }),
    history,
    layerSpentFen: repo.layerSpent(db, budgetKeys),
    calendar: calendar(db),
  });
  return { slot, menu, dishes: dishRows, evaluation, policyVersionIds: versions.map((v) => v.versionId) };
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

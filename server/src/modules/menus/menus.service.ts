import { AppError, type Dish, type Menu } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { DishInput, DishUpdate, PutMenuRequest } from '@yishi/shared/schemas';
import { addDays, localParts, type MealPeriod } from '@yishi/shared';
import type { DishTagOption } from '@yishi/shared/schemas';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { actorId, assertCanteen, assertOperates, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import * as policy from '../policy/policy.service';
import type { Reader, Tx } from '../../db/client';
import * as sites from '../sites/sites.service';
import type { Slot } from '../sites/sites.service';
import * as repo from './menus.repo';
import { storePhoto } from './photos';
import path from 'node:path';

export function toDish(row: repo.DishRow, setItems: { setMealId: string; dishId: string; quantity: number }[], names: Map<string, string>): Dish {
  return {
    id: row.id,
    canteenId: row.canteenId,
    name: row.name,
    nameEn: row.nameEn,
    description: row.description,
    category: row.category,
    photoUrl: row.photoUrl,
    priceFen: row.priceFen,
    isSetMeal: row.isSetMeal,
    setMealItems: setItems.filter((s) => s.setMealId === row.id).map((s) => ({ dishId: s.dishId, name: names.get(s.dishId) ?? '', quantity: s.quantity })),
    kcal: row.kcal,
    proteinG: row.proteinG,
    fatG: row.fatG,
    carbG: row.carbG,
    sodiumMg: row.sodiumMg,
    sugarG: row.sugarG,
    tags: row.tags,
    allergens: row.allergens,
    fullPay: row.fullPay,
    active: row.active,
  };
}

/** The tags an operator may put on a dish of this canteen: the base ones and those the policies in force there declare. */
function tagOptions(ctx: Ctx, db: Reader | Tx, canteen: sites.CanteenRow): DishTagOption[] {
  return policy.dishTagsAt(db, canteen.streetCode, localParts(ctx.clock.now(), 'Asia/Shanghai').date);
}

export function dishTagOptions(ctx: Ctx, actor: Actor, canteenId: string): DishTagOption[] {
  const canteen = sites.canteenById(ctx.db.read, canteenId);
  assertCanteen(actor, canteen);
  return tagOptions(ctx, ctx.db.read, canteen);
}

/** Every tag must be on the list (a dish keeps the tags it already has, e.g. of a policy that has since ended). */
function checkTags(ctx: Ctx, db: Reader | Tx, canteen: sites.CanteenRow, tags: readonly string[], kept: readonly string[] = []) {
  const allowed = new Set(tagOptions(ctx, db, canteen).map((t) => t.code));
  const bad = tags.find((t) => !allowed.has(t) && !kept.includes(t));
  if (bad !== undefined) {
    throw new AppError('bad_request', `dish tag "${bad}" is neither a base tag nor declared by a subsidy policy in force at this canteen`, 400, {
      field: 'tags',
      tag: bad,
    });
  }
}

function dishesView(db: Reader | Tx, canteenId: string): Map<string, Dish> {
  const rows = repo.dishesOfCanteen(db, canteenId);
  const names = new Map(rows.map((d) => [d.id, d.name]));
  const sets = repo.setMealItemsOf(
    db,
    rows.filter((r) => r.isSetMeal).map((r) => r.id),
  );
  return new Map(rows.map((r) => [r.id, toDish(r, sets, names)]));
}

export function listDishes(ctx: Ctx, actor: Actor, canteenId: string): Dish[] {
  assertCanteen(actor, sites.canteenById(ctx.db.read, canteenId));
  return [...dishesView(ctx.db.read, canteenId).values()];
}

function checkSetItems(tx: Tx, canteenId: string, items: { dishId: string }[], selfId?: string) {
  for (const i of items) {
    const d = repo.dishById(tx, i.dishId);
    if (!d || d.canteenId !== canteenId || d.isSetMeal || i.dishId === selfId) {
      throw new AppError('bad_request', `set meal item ${i.dishId} is not a single dish of this canteen`, 400, { field: 'setMealItems' });
    }
  }
}

export async function createDish(ctx: Ctx, actor: Actor, canteenId: string, input: z.infer<typeof DishInput>): Promise<Dish> {
  const canteen = sites.canteenById(ctx.db.read, canteenId);
  assertOperates(actor, canteen);
  checkTags(ctx, ctx.db.read, canteen, input.tags);
  const id = uuidv7();
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    checkSetItems(tx, canteenId, input.setMealItems);
    const { setMealItems, ...fields } = input;
    repo.insertDish(tx, { ...fields, id, canteenId, createdAt: now.toISOString() });
    if (input.isSetMeal) repo.replaceSetMealItems(tx, id, setMealItems);
    repo.insertPriceChange(tx, {
      id: uuidv7(),
      dishId: id,
      oldPriceFen: null,
      newPriceFen: input.priceFen,
      reason: '新菜品定价',
      changedBy: actorId(actor),
      changedAt: now.toISOString(),
    });
    audit.record(tx, actor, now, { action: 'dish.created', entityType: 'dish', entityId: id, details: { name: input.name, priceFen: input.priceFen } });
  });
  return dishesView(ctx.db.read, canteenId).get(id)!;
}

export async function updateDish(ctx: Ctx, actor: Actor, dishId: string, input: z.infer<typeof DishUpdate>): Promise<Dish> {
  const dish = repo.dishById(ctx.db.read, dishId);
  if (!dish) throw new AppError('not_found', 'no such dish');
  const canteen = sites.canteenById(ctx.db.read, dish.canteenId);
  assertOperates(actor, canteen);
  if (input.tags !== undefined) checkTags(ctx, ctx.db.read, canteen, input.tags, dish.tags);
  const priceChanges = input.priceFen !== undefined && input.priceFen !== dish.priceFen;
  if (priceChanges && !input.priceChangeReason) {
    throw new AppError('bad_request', 'a price change needs a reason (and the approval reference)', 400, { field: 'priceChangeReason' });
  }
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const { setMealItems, priceChangeReason, priceApprovalRef, ...fields } = input;
    if (setMealItems) {
      checkSetItems(tx, dish.canteenId, setMealItems, dishId);
      repo.replaceSetMealItems(tx, dishId, setMealItems);
    }
    if (Object.keys(fields).length > 0) repo.updateDish(tx, dishId, fields);
    if (priceChanges) {
      repo.insertPriceChange(tx, {
        id: uuidv7(),
        dishId,
        oldPriceFen: dish.priceFen,
        newPriceFen: input.priceFen!,
        reason: priceChangeReason!,
        approvalRef: priceApprovalRef ?? null,
        changedBy: actorId(actor),
        changedAt: now.toISOString(),
      });
    }
    audit.record(tx, actor, now, {
      action: 'dish.updated',
      entityType: 'dish',
      entityId: dishId,
      details: { fields: Object.keys(input), ...(priceChanges ? { from: dish.priceFen, to: input.priceFen } : {}) },
    });
  });
  publishMenusContaining(ctx, dish.canteenId, now);
  return dishesView(ctx.db.read, dish.canteenId).get(dishId)!;
}

/** A dish edit changes what kiosks show today: tell them. */
function publishMenusContaining(ctx: Ctx, canteenId: string, now: Date) {
  const today = now.toISOString().slice(0, 10);
  for (const m of repo.menusBetween(ctx.db.read, canteenId, addDays(today, -1), addDays(today, 1))) {
    ctx.bus.publish({ type: 'menu.changed', canteenId, serviceDate: m.serviceDate, mealPeriod: m.mealPeriod });
  }
}

export function menuView(db: Reader | Tx, menu: repo.MenuRow, dishes?: Map<string, Dish>): Menu {
  const ds = dishes ?? dishesView(db, menu.canteenId);
  const items = repo.itemsOf(db, [menu.id]);
  return {
    id: menu.id,
    canteenId: menu.canteenId,
    serviceDate: menu.serviceDate,
    mealPeriod: menu.mealPeriod,
    note: menu.note,
    updatedAt: menu.updatedAt,
    items: items
      .filter((i) => ds.has(i.dishId))
      .map((i) => {
        const remaining = i.portions === null ? null : Math.max(0, i.portions - i.sold);
        return { dish: ds.get(i.dishId)!, portions: i.portions, sold: i.sold, remaining, soldOut: i.soldOut || remaining === 0, sortOrder: i.sortOrder };
      }),
  };
}

export function getMenu(ctx: Ctx, actor: Actor, canteenId: string, date: string, period: MealPeriod): Menu {
  assertCanteen(actor, sites.canteenById(ctx.db.read, canteenId));
  const m = repo.menuBySlot(ctx.db.read, canteenId, date, period);
  if (!m) throw new AppError('menu_not_found', `no ${period} menu on ${date}`);
  return menuView(ctx.db.read, m);
}

export function listMenus(ctx: Ctx, actor: Actor, canteenId: string, from: string, to: string): Menu[] {
  assertCanteen(actor, sites.canteenById(ctx.db.read, canteenId));
  if (to < from) throw new AppError('bad_request', '`to` is before `from`');
  if (addDays(from, 62) < to) throw new AppError('bad_request', 'at most 62 days at a time');
  const dishes = dishesView(ctx.db.read, canteenId);
  return repo.menusBetween(ctx.db.read, canteenId, from, to).map((m) => menuView(ctx.db.read, m, dishes));
}

export async function putMenu(
  ctx: Ctx,
  actor: Actor,
  canteenId: string,
  date: string,
  period: MealPeriod,
  body: z.infer<typeof PutMenuRequest>,
): Promise<Menu> {
  assertOperates(actor, sites.canteenById(ctx.db.read, canteenId));
  const ids = body.items.map((i) => i.dishId);
  if (new Set(ids).size !== ids.length) throw new AppError('bad_request', 'each dish once on a menu', 400, { field: 'items' });
  const now = ctx.clock.now();
  const menu = await ctx.db.write((tx) => {
    for (const i of body.items) {
      const d = repo.dishById(tx, i.dishId);
      if (!d || d.canteenId !== canteenId) throw new AppError('bad_request', `dish ${i.dishId} is not a dish of this canteen`, 400, { field: 'items' });
      if (!d.active) throw new AppError('bad_request', `dish ${d.name} is retired`, 400, { field: 'items' });
    }
    let m = repo.menuBySlot(tx, canteenId, date, period);
    if (!m) {
      const id = uuidv7();
      repo.insertMenu(tx, {
        id,
        canteenId,
        serviceDate: date,
        mealPeriod: period,
        note: body.note,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
      m = repo.menuBySlot(tx, canteenId, date, period)!;
    } else {
      repo.touchMenu(tx, m.id, { note: body.note, updatedAt: now.toISOString() });
    }
    for (const gone of repo.deleteItemsNotIn(tx, m.id, ids)) {
      if (gone.sold > 0)
        throw new AppError('conflict', 'a dish that has already been ordered cannot be taken off this menu; mark it sold out instead', 409, {
          dishId: gone.dishId,
        });
      repo.removeItem(tx, m.id, gone.dishId);
    }
    body.items.forEach((i, n) => {
      const existing = repo.itemOf(tx, m.id, i.dishId);
      if (existing && i.portions !== null && i.portions < existing.sold) {
        throw new AppError('conflict', `portions cannot be below what is already sold (${existing.sold})`, 409, { dishId: i.dishId });
      }
      repo.upsertItem(tx, m.id, i.dishId, i.portions, n);
    });
    audit.record(tx, actor, now, { action: 'menu.saved', entityType: 'menu', entityId: m.id, details: { date, period, dishes: ids.length } });
    return repo.menuBySlot(tx, canteenId, date, period)!;
  });
  ctx.bus.publish({ type: 'menu.changed', canteenId, serviceDate: date, mealPeriod: period });
  return menuView(ctx.db.read, menu);
}

export async function setItemStock(
  ctx: Ctx,
  actor: Actor,
  canteenId: string,
  date: string,
  period: MealPeriod,
  dishId: string,
  change: { soldOut: boolean } | { portions: number | null },
): Promise<Menu> {
  assertOperates(actor, sites.canteenById(ctx.db.read, canteenId));
  const now = ctx.clock.now();
  const item = await ctx.db.write((tx) => {
    const m = repo.menuBySlot(tx, canteenId, date, period);
    if (!m) throw new AppError('menu_not_found', `no ${period} menu on ${date}`);
    const it = repo.itemOf(tx, m.id, dishId);
    if (!it) throw new AppError('dish_unavailable', 'that dish is not on this menu');
    if ('portions' in change && change.portions !== null && change.portions < it.sold) {
      throw new AppError('conflict', `portions cannot be below what is already sold (${it.sold})`, 409, { sold: it.sold });
    }
    repo.setItem(tx, m.id, dishId, change);
    repo.touchMenu(tx, m.id, { updatedAt: now.toISOString() });
    audit.record(tx, actor, now, {
      action: 'soldOut' in change ? 'menu.sold_out' : 'menu.portions',
      entityType: 'menu',
      entityId: m.id,
      details: { dishId, ...change },
    });
    return repo.itemOf(tx, m.id, dishId)!;
  });
  ctx.bus.publish({ type: 'stock.changed', canteenId, serviceDate: date, mealPeriod: period, ...stockOfItem(dishId, item) });
  return getMenu(ctx, actor, canteenId, date, period);
}

/** Upload a dish photo (raw JPEG, PNG or WebP body); the file is stored first, then the dish points at it. */
export async function setDishPhoto(ctx: Ctx, actor: Actor, dishId: string, contentType: string | undefined, body: unknown): Promise<Dish> {
  const dish = repo.dishById(ctx.db.read, dishId);
  if (!dish) throw new AppError('not_found', 'no such dish');
  assertOperates(actor, sites.canteenById(ctx.db.read, dish.canteenId));
  const photoUrl = storePhoto(mediaDirOf(ctx), dishId, contentType, body);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    repo.updateDish(tx, dishId, { photoUrl });
    audit.record(tx, actor, now, { action: 'dish.photo', entityType: 'dish', entityId: dishId, details: { photoUrl } });
  });
  publishMenusContaining(ctx, dish.canteenId, now);
  return dishesView(ctx.db.read, dish.canteenId).get(dishId)!;
}

export function mediaDirOf(ctx: Ctx): string {
  return ctx.config.mediaDir ?? path.join(path.dirname(ctx.config.dbPath), 'media');
}

// ───────────── for pricing and ordering ─────────────

export type { DishRow, MenuItemRow, MenuRow } from './menus.repo';

/** One meal slot's menu as pricing and ordering read it: the menu, its items and their dishes, by dish id. */
export interface MenuSnapshot {
  menu: repo.MenuRow;
  /** In menu order, with the stock as it stands. */
  items: Map<string, repo.MenuItemRow>;
  /** The canteen's dishes (shared and frozen: copy to change). */
  dishes: ReadonlyMap<string, repo.DishRow>;
}

export function menuBySlot(db: Reader | Tx, canteenId: string, slot: Slot): repo.MenuRow | undefined {
  return repo.menuBySlot(db, canteenId, slot.serviceDate, slot.mealPeriod);
}

/**
 * The slot's menu with its items and dishes; menu_not_found when there is none. The menu and the dishes are
 * kept in memory until they are written; the items (stock) are read as they stand.
 */
export function menuForSlot(db: Reader | Tx, canteenId: string, slot: Slot): MenuSnapshot {
  const menu = repo.menuBySlot(db, canteenId, slot.serviceDate, slot.mealPeriod);
  if (!menu) throw new AppError('menu_not_found', `no ${slot.mealPeriod} menu on ${slot.serviceDate}`);
  const items = new Map(repo.itemsOfMenu(db, menu.id).map((i) => [i.dishId, i]));
  return { menu, items, dishes: dishMap(repo.dishesOfCanteen(db, menu.canteenId)) };
}

/** The dishes by id, built once per kept read of a canteen's dishes. */
const dishMaps = new WeakMap<object, ReadonlyMap<string, repo.DishRow>>();
function dishMap(rows: repo.DishRow[]): ReadonlyMap<string, repo.DishRow> {
  let m = dishMaps.get(rows);
  if (!m) dishMaps.set(rows, (m = new Map(rows.map((d) => [d.id, d]))));
  return m;
}

/** Tags and the full-pay flag of many dishes (what-if re-prices a month of lines). */
export function pricingFactsOf(db: Reader | Tx, ids: string[]): Map<string, { tags: string[]; fullPay: boolean }> {
  return new Map(repo.pricingFactsOf(db, ids).map((d) => [d.id, { tags: d.tags, fullPay: d.fullPay }]));
}

export function dishesByIds(db: Reader | Tx, ids: string[]): repo.DishRow[] {
  return repo.dishesByIds(db, ids);
}

/** What is left of a dish on a menu (null = no limit), as the live stock event tells it. */
export interface Stock {
  dishId: string;
  remaining: number | null;
  soldOut: boolean;
}

function stockOfItem(dishId: string, it: Pick<repo.MenuItemRow, 'portions' | 'sold' | 'soldOut'>): Stock {
  const remaining = it.portions === null ? null : Math.max(0, it.portions - it.sold);
  return { dishId, remaining, soldOut: it.soldOut || remaining === 0 };
}

/**
 * Take `quantity` portions of a dish on a menu if they are there (one conditional UPDATE: the last portion
 * cannot be sold twice). Returns what is left after the take, or null when there are not enough or the dish is
 * marked sold out.
 */
export function takePortions(tx: Tx, menuId: string, dishId: string, quantity: number): Stock | null {
  const after = repo.takePortions(tx, menuId, dishId, quantity);
  return after ? stockOfItem(dishId, after) : null;
}

/** Put an order's portions back on its slot's menu (a cancelled or refunded order that was not served). */
export function returnPortions(tx: Tx, canteenId: string, slot: Slot, lines: { dishId: string; quantity: number }[]): void {
  const menu = repo.menuBySlot(tx, canteenId, slot.serviceDate, slot.mealPeriod);
  if (!menu) return;
  for (const l of lines) repo.returnPortions(tx, menu.id, l.dishId, l.quantity);
}

/** What is left of these dishes on a slot's menu (null = no limit), as the live stock event tells it. */
export function stockOf(db: Reader | Tx, canteenId: string, slot: Slot, dishIds: string[]): Stock[] {
  const menu = repo.menuBySlot(db, canteenId, slot.serviceDate, slot.mealPeriod);
  if (!menu) return [];
  return dishIds.flatMap((dishId) => {
    const it = repo.itemOf(db, menu.id, dishId);
    return it ? [stockOfItem(dishId, it)] : [];
  });
}

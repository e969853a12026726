import { AppError, type Dish, type Menu, type PriceChange, type PriceNotice } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type {
  ApprovePriceRequest,
  CreateDishRequest,
  DishUpdate,
  PriceChangeListQuery,
  ProposePriceRequest,
  PutMenuRequest,
  RejectPriceRequest,
} from '@yishi/shared/schemas';
import type { DishTagOption } from '@yishi/shared/schemas';
import { addDays, daysBetween, localParts, PRICE_NOTICE_DAYS_AFTER, PRICE_NOTICE_MIN_DAYS, ROLE_GROUPS, type MealPeriod } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { actorId, assertCanteen, assertOperates, requireUser, roleIn, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import * as policy from '../policy/policy.service';
import type { Reader, Tx } from '../../db/client';
import { assertWithinHorizon } from '../../lib/horizon';
import * as sites from '../sites/sites.service';
import type { Slot } from '../sites/sites.service';
import * as repo from './menus.repo';
import { storePhoto } from './photos';
import path from 'node:path';

/** How a dish's price stands on the day shown (see `pricesOn`). */
export interface DishPricing {
  priceFen: number;
  priceApproved: boolean;
  upcomingPrice: Dish['upcomingPrice'];
  pendingPrice: Dish['pendingPrice'];
}

export function toDish(
  row: repo.DishRow,
  setItems: { setMealId: string; dishId: string; quantity: number }[],
  names: Map<string, { name: string; nameEn: string | null }>,
  pricing?: DishPricing,
): Dish {
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
    setMealItems: setItems
      .filter((s) => s.setMealId === row.id)
      .map((s) => ({ dishId: s.dishId, name: names.get(s.dishId)?.name ?? '', nameEn: names.get(s.dishId)?.nameEn ?? null, quantity: s.quantity })),
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
    priceApproved: pricing?.priceApproved ?? true,
    upcomingPrice: pricing?.upcomingPrice ?? null,
    pendingPrice: pricing?.pendingPrice ?? null,
    ...(pricing ? { priceFen: pricing.priceFen } : {}),
  };
}

// ───────────── prices: a dish's price on a date comes from its approved price history ─────────────

/** The price of each dish on a date (the canteen's local date); see menus.repo `pricesOn`. */
export function pricesOn(db: Reader | Tx, dishes: readonly repo.DishRow[], date: string): Map<string, number | null> {
  return repo.pricesOn(db, dishes, date);
}

/** The canteen's local date today. */
function canteenToday(ctx: Ctx, canteen: { timeZone: string }): string {
  return localParts(ctx.clock.now(), canteen.timeZone).date;
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

function dishesView(db: Reader | Tx, canteenId: string, date: string): Map<string, Dish> {
  const rows = repo.dishesOfCanteen(db, canteenId);
  const names = new Map(rows.map((d) => [d.id, { name: d.name, nameEn: d.nameEn }]));
  const sets = repo.setMealItemsOf(
    db,
    rows.filter((r) => r.isSetMeal).map((r) => r.id),
  );
  const prices = repo.canteenPricesOn(db, canteenId, date);
  const upcoming = new Map<string, { priceFen: number; effectiveOn: string }>();
  for (const c of repo.approvedChangesFrom(db, canteenId, addDays(date, 1))) {
    if (!upcoming.has(c.dishId)) upcoming.set(c.dishId, { priceFen: c.newPriceFen, effectiveOn: c.effectiveOn });
  }
  const pending = new Map(
    repo
      .priceChangesOf(db, { canteenIds: [canteenId], state: 'proposed', limit: 1000, offset: 0 })
      .items.map((c) => [c.dishId, { id: c.id, priceFen: c.newPriceFen, effectiveOn: c.effectiveOn }]),
  );
  return new Map(
    rows.map((r) => {
      const price = prices.get(r.id) ?? null;
      return [
        r.id,
        toDish(r, sets, names, {
          priceFen: price ?? pending.get(r.id)?.priceFen ?? r.priceFen,
          priceApproved: price !== null,
          upcomingPrice: upcoming.get(r.id) ?? null,
          pendingPrice: pending.get(r.id) ?? null,
        }),
      ];
    }),
  );
}

export function listDishes(ctx: Ctx, actor: Actor, canteenId: string): Dish[] {
  const canteen = sites.canteenById(ctx.db.read, canteenId);
  assertCanteen(actor, canteen);
  return [...dishesView(ctx.db.read, canteenId, canteenToday(ctx, canteen)).values()];
}

function checkSetItems(tx: Tx, canteenId: string, items: { dishId: string }[], selfId?: string) {
  for (const i of items) {
    const d = repo.dishById(tx, i.dishId);
    if (!d || d.canteenId !== canteenId || d.isSetMeal || i.dishId === selfId) {
      throw new AppError('bad_request', `set meal item ${i.dishId} is not a single dish of this canteen`, 400, { field: 'setMealItems' });
    }
  }
}

/** The name a console user goes by in records that show who did it (price history, receipts). */
function nameOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.user.displayName : null;
}

/** One active dish of a name per canteen: a double tap on 新增菜品 (or a rename onto another dish) is refused. */
function assertNameFree(tx: Tx, canteenId: string, name: string, exceptId?: string): void {
  const taken = repo.activeDishNamed(tx, canteenId, name, exceptId);
  if (taken) throw new AppError('conflict', `this canteen already has a dish named ${name}`, 409, { field: 'name', dishId: taken.id });
}

/**
 * A new dish. Its price is a proposal like any other: the dish cannot go on a menu until street or district staff
 * approve that price (a canteen's prices are agreed with its street or district).
 */
export async function createDish(ctx: Ctx, actor: Actor, canteenId: string, input: z.infer<typeof CreateDishRequest>): Promise<Dish> {
  const canteen = sites.canteenById(ctx.db.read, canteenId);
  assertOperates(actor, canteen);
  checkTags(ctx, ctx.db.read, canteen, input.tags);
  const id = uuidv7();
  const now = ctx.clock.now();
  const today = canteenToday(ctx, canteen);
  await ctx.db.write((tx) => {
    assertNameFree(tx, canteenId, input.name);
    checkSetItems(tx, canteenId, input.setMealItems);
    const { setMealItems, priceReason, ...fields } = input;
    repo.insertDish(tx, { ...fields, id, canteenId, createdAt: now.toISOString() });
    if (input.isSetMeal) repo.replaceSetMealItems(tx, id, setMealItems);
    const changeId = uuidv7();
    repo.insertPriceChange(tx, {
      id: changeId,
      dishId: id,
      canteenId,
      oldPriceFen: null,
      newPriceFen: input.priceFen,
      reason: priceReason ?? '新菜品定价',
      changedBy: actorId(actor),
      changedAt: now.toISOString(),
      proposedByName: nameOf(actor),
      state: 'proposed',
      effectiveOn: today,
    });
    audit.record(tx, actor, now, { action: 'dish.created', entityType: 'dish', entityId: id, details: { name: input.name, priceFen: input.priceFen } });
    audit.record(tx, actor, now, {
      action: 'price.proposed',
      entityType: 'dish',
      entityId: id,
      details: { priceChangeId: changeId, from: null, to: input.priceFen, effectiveOn: today },
    });
  });
  return dishesView(ctx.db.read, canteenId, today).get(id)!;
}

export async function updateDish(ctx: Ctx, actor: Actor, dishId: string, input: z.infer<typeof DishUpdate>): Promise<Dish> {
  const dish = repo.dishById(ctx.db.read, dishId);
  if (!dish) throw new AppError('not_found', 'no such dish');
  const canteen = sites.canteenById(ctx.db.read, dish.canteenId);
  assertOperates(actor, canteen);
  if (input.tags !== undefined) checkTags(ctx, ctx.db.read, canteen, input.tags, dish.tags);
  const today = canteenToday(ctx, canteen);
  const { priceFen, ...fields } = input;
  if (priceFen !== undefined) {
    const current = pricesOn(ctx.db.read, [dish], today).get(dishId) ?? dish.priceFen;
    if (priceFen !== current) {
      throw new AppError(
        'price_approval_required',
        'a price changes through a proposal approved by the street or district: POST /dishes/:id/price-changes',
        409,
        { field: 'priceFen', priceFen: current },
      );
    }
  }
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const { setMealItems, ...rest } = fields;
    // A rename, or a dish put back on the list, may not take a name another active dish of the canteen has.
    if ((rest.name !== undefined && rest.name !== dish.name) || (rest.active === true && !dish.active))
      assertNameFree(tx, dish.canteenId, rest.name ?? dish.name, dishId);
    if (setMealItems) {
      checkSetItems(tx, dish.canteenId, setMealItems, dishId);
      repo.replaceSetMealItems(tx, dishId, setMealItems);
    }
    if (Object.keys(rest).length > 0) repo.updateDish(tx, dishId, rest);
    audit.record(tx, actor, now, { action: 'dish.updated', entityType: 'dish', entityId: dishId, details: { fields: Object.keys(input) } });
  });
  publishMenusContaining(ctx, dish.canteenId, now);
  return dishesView(ctx.db.read, dish.canteenId, today).get(dishId)!;
}

// ───────────── price changes: proposed by the operator, approved by the street or district ─────────────

function toPriceChange(c: repo.PriceChangeRow, dishNames: Map<string, string>, canteenNames: Map<string, string>): PriceChange {
  return {
    id: c.id,
    dishId: c.dishId,
    dishName: dishNames.get(c.dishId) ?? '',
    canteenId: c.canteenId,
    canteenName: canteenNames.get(c.canteenId) ?? '',
    oldPriceFen: c.oldPriceFen,
    newPriceFen: c.newPriceFen,
    reason: c.reason,
    effectiveOn: c.effectiveOn,
    state: c.state,
    proposedBy: c.proposedByName,
    proposedAt: c.changedAt,
    decidedBy: c.decidedByName,
    decidedAt: c.decidedAt,
    decisionNote: c.decisionNote,
    approvalRef: c.approvalRef,
  };
}

function priceChangeViews(db: Reader | Tx, rows: repo.PriceChangeRow[]): PriceChange[] {
  const dishNames = new Map(repo.dishesByIds(db, [...new Set(rows.map((r) => r.dishId))]).map((d) => [d.id, d.name]));
  const canteenNames = new Map(sites.allCanteens(db).map((c) => [c.id, c.name]));
  return rows.map((r) => toPriceChange(r, dishNames, canteenNames));
}

/** The earliest date a proposal may take effect: a change is announced first; a new dish's first price may start today. */
function earliestEffective(today: string, isNewDish: boolean): string {
  return isNewDish ? today : addDays(today, PRICE_NOTICE_MIN_DAYS);
}

/** An operator proposes a new price for a dish of their canteen, with why and from when. One open proposal per dish. */
export async function proposePrice(ctx: Ctx, actor: Actor, dishId: string, input: z.infer<typeof ProposePriceRequest>): Promise<PriceChange> {
  const dish = repo.dishById(ctx.db.read, dishId);
  if (!dish) throw new AppError('not_found', 'no such dish');
  const canteen = sites.canteenById(ctx.db.read, dish.canteenId);
  assertOperates(actor, canteen);
  const today = canteenToday(ctx, canteen);
  const now = ctx.clock.now();
  const id = uuidv7();
  await ctx.db.write((tx) => {
    const open = repo.openProposalsOf(tx, dishId)[0];
    if (open) throw new AppError('conflict', 'this dish already has a price proposal waiting for approval', 409, { priceChangeId: open.id });
    const before = pricesOn(tx, [dish], addDays(input.effectiveOn, -1)).get(dishId) ?? null;
    const isNew = pricesOn(tx, [dish], '9999-12-31').get(dishId) === null;
    if (input.effectiveOn < earliestEffective(today, isNew)) {
      throw new AppError('bad_request', `a price change is announced first: it can take effect from ${earliestEffective(today, isNew)}`, 400, {
        field: 'effectiveOn',
        earliest: earliestEffective(today, isNew),
      });
    }
    assertWithinHorizon(input.effectiveOn, today, 'priceChange', 'effectiveOn');
    const onThatDay = pricesOn(tx, [dish], input.effectiveOn).get(dishId) ?? null;
    if (onThatDay === input.newPriceFen) throw new AppError('bad_request', 'that is already the price on that day', 400, { field: 'newPriceFen' });
    repo.insertPriceChange(tx, {
      id,
      dishId,
      canteenId: dish.canteenId,
      oldPriceFen: before,
      newPriceFen: input.newPriceFen,
      reason: input.reason,
      changedBy: actorId(actor),
      changedAt: now.toISOString(),
      proposedByName: nameOf(actor),
      state: 'proposed',
      effectiveOn: input.effectiveOn,
    });
    audit.record(tx, actor, now, {
      action: 'price.proposed',
      entityType: 'dish',
      entityId: dishId,
      details: { priceChangeId: id, from: before, to: input.newPriceFen, effectiveOn: input.effectiveOn, reason: input.reason },
    });
  });
  return priceChangeViews(ctx.db.read, [repo.priceChangeById(ctx.db.read, id)!])[0]!;
}

/** A proposal the caller may see (404 otherwise: ids of other canteens are not confirmed). */
function visibleChange(ctx: Ctx, actor: Actor, id: string) {
  const change = repo.priceChangeById(ctx.db.read, id);
  const canteen = change ? sites.canteenById(ctx.db.read, change.canteenId) : undefined;
  assertCanteen(actor, canteen);
  return { change: change!, canteen };
}

/** Street, district (and city) staff of the canteen's area decide; operators never decide their own prices. */
function assertReviewer(actor: Actor) {
  const u = requireUser(actor);
  if (!roleIn(u.user.role, ROLE_GROUPS.reviewers)) throw new AppError('forbidden', 'prices are approved by the street or district');
}

async function decide(
  ctx: Ctx,
  actor: Actor,
  id: string,
  decision: { state: 'approved' | 'rejected' | 'withdrawn'; note: string | null; approvalRef?: string | null; effectiveOn?: string },
): Promise<PriceChange> {
  const { change, canteen } = visibleChange(ctx, actor, id);
  if (decision.state === 'withdrawn') assertOperates(actor, canteen);
  else assertReviewer(actor);
  const today = canteenToday(ctx, canteen);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const current = repo.priceChangeById(tx, id)!;
    if (current.state !== 'proposed') throw new AppError('invalid_state', `this price change is already ${current.state}`, 409, { state: current.state });
    const dish = repo.dishById(tx, change.dishId)!;
    const effectiveOn = decision.effectiveOn ?? current.effectiveOn;
    let oldPriceFen = current.oldPriceFen;
    if (decision.state === 'approved') {
      const isNew = pricesOn(tx, [dish], '9999-12-31').get(dish.id) === null;
      const earliest = earliestEffective(today, isNew);
      if (effectiveOn < earliest) {
        throw new AppError('bad_request', `it must be announced before it takes effect: choose a date from ${earliest}`, 400, {
          field: 'effectiveOn',
          earliest,
        });
      }
      assertWithinHorizon(effectiveOn, today, 'priceChange', 'effectiveOn');
      oldPriceFen = pricesOn(tx, [dish], addDays(effectiveOn, -1)).get(dish.id) ?? null;
    }
    const decided = repo.decidePriceChange(tx, id, {
      state: decision.state,
      decidedBy: actorId(actor),
      decidedByName: nameOf(actor),
      decidedAt: now.toISOString(),
      decisionNote: decision.note,
      ...(decision.state === 'approved' ? { approvalRef: decision.approvalRef ?? null, noticeFrom: now.toISOString(), effectiveOn, oldPriceFen } : {}),
    });
    if (!decided) throw new AppError('invalid_state', 'this price change was decided meanwhile', 409);
    audit.record(tx, actor, now, {
      action: `price.${decision.state}`,
      entityType: 'dish',
      entityId: change.dishId,
      details: { priceChangeId: id, from: oldPriceFen, to: change.newPriceFen, effectiveOn, note: decision.note, approvalRef: decision.approvalRef ?? null },
    });
  });
  // Kiosks refresh what they show (the notice, a new dish now on sale).
  if (decision.state === 'approved') publishMenusContaining(ctx, change.canteenId, now);
  return priceChangeViews(ctx.db.read, [repo.priceChangeById(ctx.db.read, id)!])[0]!;
}

export function approvePrice(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof ApprovePriceRequest>): Promise<PriceChange> {
  return decide(ctx, actor, id, {
    state: 'approved',
    note: input.note,
    approvalRef: input.approvalRef,
    ...(input.effectiveOn ? { effectiveOn: input.effectiveOn } : {}),
  });
}

export function rejectPrice(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof RejectPriceRequest>): Promise<PriceChange> {
  return decide(ctx, actor, id, { state: 'rejected', note: input.note });
}

/** The operator takes back a proposal that is still waiting. */
export function withdrawPrice(ctx: Ctx, actor: Actor, id: string): Promise<PriceChange> {
  return decide(ctx, actor, id, { state: 'withdrawn', note: null });
}

/** The price history (and the review queue with state=proposed) of the canteens the caller may see. */
export function listPriceChanges(ctx: Ctx, actor: Actor, q: z.infer<typeof PriceChangeListQuery>): { items: PriceChange[]; total: number } {
  let canteenIds: string[] | null;
  if (q.canteenId) {
    assertCanteen(actor, sites.canteenById(ctx.db.read, q.canteenId));
    canteenIds = [q.canteenId];
  } else if (actor.kind === 'user' && actor.user.role === 'admin') canteenIds = null;
  else canteenIds = sites.visibleCanteens(ctx.db.read, actor).map((c) => c.id);
  if (q.dishId) {
    const d = repo.dishById(ctx.db.read, q.dishId);
    if (!d || (canteenIds && !canteenIds.includes(d.canteenId))) throw new AppError('not_found', 'no such dish');
  }
  const { items, total } = repo.priceChangesOf(ctx.db.read, { canteenIds, state: q.state, dishId: q.dishId, limit: q.limit, offset: q.offset });
  return { items: priceChangeViews(ctx.db.read, items), total };
}

/** The notices a canteen's kiosks show: approved changes from approval until PRICE_NOTICE_DAYS_AFTER days after they took effect. */
export function priceNotices(db: Reader | Tx, canteenId: string, today: string): PriceNotice[] {
  const rows = repo.approvedChangesFrom(db, canteenId, addDays(today, -PRICE_NOTICE_DAYS_AFTER)).filter((c) => c.oldPriceFen !== null);
  const names = new Map(repo.dishesByIds(db, [...new Set(rows.map((r) => r.dishId))]).map((d) => [d.id, d.name]));
  return rows.map((c) => ({
    dishId: c.dishId,
    dishName: names.get(c.dishId) ?? '',
    oldPriceFen: c.oldPriceFen!,
    newPriceFen: c.newPriceFen,
    effectiveOn: c.effectiveOn,
  }));
}

/** A dish edit changes what kiosks show today: tell them. */
function publishMenusContaining(ctx: Ctx, canteenId: string, now: Date) {
  const today = now.toISOString().slice(0, 10);
  for (const m of repo.menusBetween(ctx.db.read, canteenId, addDays(today, -1), addDays(today, 1))) {
    ctx.bus.publish({ type: 'menu.changed', canteenId, serviceDate: m.serviceDate, mealPeriod: m.mealPeriod });
  }
}

/** A menu as the console and the kiosk show it, each dish at its price on the menu's date (a dish with none is left out). */
export function menuView(db: Reader | Tx, menu: repo.MenuRow, dishes?: Map<string, Dish>): Menu {
  const ds = new Map([...(dishes ?? dishesView(db, menu.canteenId, menu.serviceDate))].filter(([, d]) => d.priceApproved));
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
  if (daysBetween(from, to) > 62) throw new AppError('bad_request', 'at most 62 days at a time', 400, { field: 'to' });
  return repo.menusBetween(ctx.db.read, canteenId, from, to).map((m) => menuView(ctx.db.read, m));
}

/**
 * A canteen's menus between two service dates, as kiosks show them (a kiosk's offline cache): each with the
 * prices in force on its own day (an approved change may take effect tomorrow).
 */
export function menusOf(db: Reader | Tx, canteenId: string, from: string, to: string): Menu[] {
  return repo.menusBetween(db, canteenId, from, to).map((m) => menuView(db, m));
}

export async function putMenu(
  ctx: Ctx,
  actor: Actor,
  canteenId: string,
  date: string,
  period: MealPeriod,
  body: z.infer<typeof PutMenuRequest>,
): Promise<Menu> {
  const canteen = sites.canteenById(ctx.db.read, canteenId);
  assertOperates(actor, canteen);
  assertWithinHorizon(date, canteenToday(ctx, canteen), 'menu', 'date');
  const ids = body.items.map((i) => i.dishId);
  if (new Set(ids).size !== ids.length) throw new AppError('bad_request', 'each dish once on a menu', 400, { field: 'items' });
  const now = ctx.clock.now();
  const menu = await ctx.db.write((tx) => {
    const rows = repo.dishesByIds(tx, ids);
    for (const i of body.items) {
      const d = rows.find((r) => r.id === i.dishId);
      if (!d || d.canteenId !== canteenId) throw new AppError('bad_request', `dish ${i.dishId} is not a dish of this canteen`, 400, { field: 'items' });
      if (!d.active) throw new AppError('bad_request', `dish ${d.name} is retired`, 400, { field: 'items' });
    }
    const prices = pricesOn(tx, rows, date);
    const unpriced = rows.find((d) => prices.get(d.id) === null);
    if (unpriced) {
      throw new AppError('price_not_approved', `${unpriced.name} has no approved price on ${date} yet`, 409, { field: 'items', dishId: unpriced.id });
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
  return dishesView(ctx.db.read, dish.canteenId, canteenToday(ctx, sites.canteenById(ctx.db.read, dish.canteenId)!)).get(dishId)!;
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
 * kept in memory until they are written; the items (stock) are kept per menu and amended by each take of portions
 * (`itemsOfMenu`), so they are what a fresh read would find.
 */
export function menuForSlot(db: Reader | Tx, canteenId: string, slot: Slot): MenuSnapshot {
  const menu = repo.menuBySlot(db, canteenId, slot.serviceDate, slot.mealPeriod);
  if (!menu) throw new AppError('menu_not_found', `no ${slot.mealPeriod} menu on ${slot.serviceDate}`);
  const items = new Map(repo.itemsOfMenu(db, menu.id).map((i) => [i.dishId, i]));
  // Each dish at its price that day (kept, frozen); one without an approved price is not on sale.
  return { menu, items, dishes: repo.dishesOnSale(db, menu.canteenId, slot.serviceDate) };
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

/**
 * Count portions sold that were already served (an order made offline that reaches the server late), whether or not
 * the menu had them left: the stock then says none are left, and a later cancel or refund gives back exactly what was
 * counted.
 */
export function countServed(tx: Tx, menuId: string, dishId: string, quantity: number): void {
  repo.countServed(tx, menuId, dishId, quantity);
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

// ───────────── exports ─────────────

/** One dish of one menu, as the menus export lists it (each at its price on that day). */
export interface MenuExportRow {
  serviceDate: string;
  mealPeriod: MealPeriod;
  dishName: string;
  category: string;
  isSetMeal: boolean;
  priceFen: number;
  portions: number | null;
  sold: number;
  soldOut: boolean;
}

/** `GET /canteens/:id/menus/export`: the menus of the days on screen (62 days at most, a few thousand lines). */
export function exportMenus(ctx: Ctx, actor: Actor, canteenId: string, from: string, to: string): { canteen: sites.CanteenRow; rows: MenuExportRow[] } {
  const canteen = sites.canteenById(ctx.db.read, canteenId);
  assertCanteen(actor, canteen);
  const rows = listMenus(ctx, actor, canteenId, from, to).flatMap((m) =>
    m.items.map((i) => ({
      serviceDate: m.serviceDate,
      mealPeriod: m.mealPeriod,
      dishName: i.dish.name,
      category: i.dish.category,
      isSetMeal: i.dish.isSetMeal,
      priceFen: i.dish.priceFen,
      portions: i.portions,
      sold: i.sold,
      soldOut: i.soldOut,
    })),
  );
  return { canteen, rows };
}

/** `GET /price-changes/export`: a canteen's whole price history (a list of hundreds, read at once). */
export function exportPriceChanges(ctx: Ctx, actor: Actor, canteenId: string): { canteen: sites.CanteenRow; rows: PriceChange[] } {
  const canteen = sites.canteenById(ctx.db.read, canteenId);
  assertCanteen(actor, canteen);
  const rows: PriceChange[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = listPriceChanges(ctx, actor, { canteenId, limit: 500, offset }).items;
    rows.push(...page);
    if (page.length < 500) break;
  }
  return { canteen, rows };
}

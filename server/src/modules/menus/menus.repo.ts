import { and, asc, between, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { cachedRead, insertMany, keyedRead, prepared } from '../../db/client';
import { dishes, menuItems, menus, priceChanges, setMealItems } from '../../db/schema';
import type { MealPeriod } from '@yishi/shared';

export type DishRow = typeof dishes.$inferSelect;
export type MenuRow = typeof menus.$inferSelect;
export type MenuItemRow = typeof menuItems.$inferSelect;
export type PriceChangeRow = typeof priceChanges.$inferSelect;

/** A canteen's dishes by category and name; kept in memory until dishes are written. Frozen. */
const dishesOfCanteenQ = prepared((db) =>
  db
    .select()
    .from(dishes)
    .where(eq(dishes.canteenId, sql.placeholder('canteenId')))
    .orderBy(asc(dishes.category), asc(dishes.name))
    .prepare(),
);
export const dishesOfCanteen = cachedRead([dishes], (db, canteenId: string): DishRow[] => dishesOfCanteenQ(db).all({ canteenId }));

export function dishById(db: Reader | Tx, id: string): DishRow | undefined {
  return db.select().from(dishes).where(eq(dishes.id, id)).get();
}

export function dishesByIds(db: Reader | Tx, ids: string[]): DishRow[] {
  if (ids.length === 0) return [];
  return db.select().from(dishes).where(inArray(dishes.id, ids)).all();
}

export function setMealItemsOf(db: Reader | Tx, setMealIds: string[]) {
  if (setMealIds.length === 0) return [];
  return db.select().from(setMealItems).where(inArray(setMealItems.setMealId, setMealIds)).all();
}

/** An active dish of the canteen with this name (another than `exceptId`), if any. */
export function activeDishNamed(db: Reader | Tx, canteenId: string, name: string, exceptId?: string): DishRow | undefined {
  return db
    .select()
    .from(dishes)
    .where(and(eq(dishes.canteenId, canteenId), eq(dishes.name, name), eq(dishes.active, true), exceptId ? sql`${dishes.id} <> ${exceptId}` : undefined))
    .get();
}

export function insertDish(tx: Tx, row: typeof dishes.$inferInsert) {
  tx.insert(dishes).values(row).run();
}

export function updateDish(tx: Tx, id: string, values: Partial<typeof dishes.$inferInsert>) {
  tx.update(dishes).set(values).where(eq(dishes.id, id)).run();
}

export function replaceSetMealItems(tx: Tx, setMealId: string, items: { dishId: string; quantity: number }[]) {
  tx.delete(setMealItems).where(eq(setMealItems.setMealId, setMealId)).run();
  for (const i of items) tx.insert(setMealItems).values({ setMealId, dishId: i.dishId, quantity: i.quantity }).run();
}

export function insertPriceChange(tx: Tx, row: typeof priceChanges.$inferInsert) {
  tx.insert(priceChanges).values(row).run();
}

export function priceChangeById(db: Reader | Tx, id: string): PriceChangeRow | undefined {
  return db.select().from(priceChanges).where(eq(priceChanges.id, id)).get();
}

/** Write a proposal's decision once: only while it is still proposed (false when someone decided first). */
export function decidePriceChange(
  tx: Tx,
  id: string,
  values: Pick<PriceChangeRow, 'state' | 'decidedBy' | 'decidedByName' | 'decidedAt' | 'decisionNote'> &
    Partial<Pick<PriceChangeRow, 'approvalRef' | 'noticeFrom' | 'effectiveOn' | 'oldPriceFen'>>,
): boolean {
  return (
    tx
      .update(priceChanges)
      .set(values)
      .where(and(eq(priceChanges.id, id), eq(priceChanges.state, 'proposed')))
      .run().changes === 1
  );
}

/** Every approved price of these dishes in force on or before `date`, oldest first (the last per dish is the price that day). */
export function approvedPricesUpTo(db: Reader | Tx, dishIds: string[], date: string): Pick<PriceChangeRow, 'dishId' | 'newPriceFen'>[] {
  if (dishIds.length === 0) return [];
  return db
    .select({ dishId: priceChanges.dishId, newPriceFen: priceChanges.newPriceFen })
    .from(priceChanges)
    .where(and(inArray(priceChanges.dishId, dishIds), eq(priceChanges.state, 'approved'), lte(priceChanges.effectiveOn, date)))
    .orderBy(asc(priceChanges.effectiveOn), asc(priceChanges.decidedAt), asc(priceChanges.changedAt))
    .all();
}

/** The dishes among these that have any price history at all (a dish without is priced from its own column). */
export function dishesWithPriceHistory(db: Reader | Tx, dishIds: string[]): Set<string> {
  if (dishIds.length === 0) return new Set();
  return new Set(
    db
      .selectDistinct({ dishId: priceChanges.dishId })
      .from(priceChanges)
      .where(inArray(priceChanges.dishId, dishIds))
      .all()
      .map((r) => r.dishId),
  );
}

/**
 * The price of each dish on a date: the newest approved change in force that day; a dish with no price history
 * keeps its own column; a dish whose history has no approved price in force yet is null (not on sale).
 */
export function pricesOn(db: Reader | Tx, rows: readonly DishRow[], date: string): Map<string, number | null> {
  const ids = rows.map((d) => d.id);
  const withHistory = dishesWithPriceHistory(db, ids);
  const out = new Map<string, number | null>(rows.map((d) => [d.id, withHistory.has(d.id) ? null : d.priceFen]));
  for (const p of approvedPricesUpTo(db, ids, date)) out.set(p.dishId, p.newPriceFen); // oldest first: the last wins
  return out;
}

/**
 * Every dish of a canteen at its price on a date, kept until dishes or price changes are written: every card
 * tap, quote and order reads it, and a day's prices only change through a write. Shared: do not change it.
 */
export const canteenPricesOn = cachedRead([dishes, priceChanges], (db, canteenId: string, date: string): ReadonlyMap<string, number | null> =>
  pricesOn(db, dishesOfCanteen(db, canteenId), date),
);

/** The canteen's dishes on sale on a date (an approved price in force), each at that price; kept like the prices. Frozen. */
export const dishesOnSale = cachedRead([dishes, priceChanges], (db, canteenId: string, date: string): ReadonlyMap<string, DishRow> => {
  const prices = canteenPricesOn(db, canteenId, date);
  return new Map(dishesOfCanteen(db, canteenId).flatMap((d) => (prices.get(d.id) == null ? [] : [[d.id, { ...d, priceFen: prices.get(d.id)! }] as const])));
});

/** A canteen's price changes (the history), newest first, narrowed by state and dish. */
export function priceChangesOf(
  db: Reader,
  f: { canteenIds: string[] | null; state?: PriceChangeRow['state']; dishId?: string; limit: number; offset: number },
) {
  const conds: SQL[] = [];
  if (f.canteenIds) conds.push(f.canteenIds.length ? inArray(priceChanges.canteenId, f.canteenIds) : sql`0`);
  if (f.state) conds.push(eq(priceChanges.state, f.state));
  if (f.dishId) conds.push(eq(priceChanges.dishId, f.dishId));
  const where = conds.length ? and(...conds) : undefined;
  const items = db
    .select()
    .from(priceChanges)
    .where(where)
    .orderBy(desc(priceChanges.effectiveOn), desc(priceChanges.changedAt), desc(sql`rowid`))
    .limit(f.limit)
    .offset(f.offset)
    .all();
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(priceChanges)
    .where(where)
    .get()!.n;
  return { items, total };
}

/** Proposed (not yet decided) changes of one dish. */
export function openProposalsOf(db: Reader | Tx, dishId: string): PriceChangeRow[] {
  return db
    .select()
    .from(priceChanges)
    .where(and(eq(priceChanges.dishId, dishId), eq(priceChanges.state, 'proposed')))
    .all();
}

/** Approved changes of a canteen taking effect on or after `from` (what is coming, and what the notice shows). */
export function approvedChangesFrom(db: Reader | Tx, canteenId: string, from: string): PriceChangeRow[] {
  return db
    .select()
    .from(priceChanges)
    .where(and(eq(priceChanges.canteenId, canteenId), eq(priceChanges.state, 'approved'), gte(priceChanges.effectiveOn, from)))
    .orderBy(asc(priceChanges.effectiveOn))
    .all();
}

const menuBySlotQ = prepared((db) =>
  db
    .select()
    .from(menus)
    .where(
      and(
        eq(menus.canteenId, sql.placeholder('canteenId')),
        eq(menus.serviceDate, sql.placeholder('serviceDate')),
        eq(menus.mealPeriod, sql.placeholder('mealPeriod')),
      ),
    )
    .prepare(),
);

/** The menu of a canteen's meal slot; kept in memory until menus are written (its items are kept apart: `itemsOfMenu`). Frozen. */
export const menuBySlot = cachedRead([menus], (db, canteenId: string, serviceDate: string, mealPeriod: MealPeriod): MenuRow | undefined =>
  menuBySlotQ(db).get({ canteenId, serviceDate, mealPeriod }),
);

export function menusBetween(db: Reader, canteenId: string, from: string, to: string): MenuRow[] {
  return db
    .select()
    .from(menus)
    .where(and(eq(menus.canteenId, canteenId), between(menus.serviceDate, from, to)))
    .orderBy(asc(menus.serviceDate), asc(menus.mealPeriod))
    .all();
}

const itemsOfMenuQ = prepared((db) =>
  db
    .select()
    .from(menuItems)
    .where(eq(menuItems.menuId, sql.placeholder('menuId')))
    .orderBy(asc(menuItems.sortOrder))
    .prepare(),
);

/**
 * One menu's items with their stock as it stands, in menu order: kept per menu (a card tap, its quote and its order
 * read the same menu within a second). An order's take of portions amends the kept items after the COMMIT with what the
 * UPDATE returned; a return of portions drops the menu's; any other write of menu_items drops every menu's (see
 * `keyedRead`). Frozen: copy before changing.
 */
const items = keyedRead([menuItems], (db, menuId: string): MenuItemRow[] => itemsOfMenuQ(db).all({ menuId }));

export function itemsOfMenu(db: Reader | Tx, menuId: string): readonly MenuItemRow[] {
  return items.read(db, menuId);
}

export function itemsOf(db: Reader | Tx, menuIds: string[]): MenuItemRow[] {
  if (menuIds.length === 0) return [];
  return db.select().from(menuItems).where(inArray(menuItems.menuId, menuIds)).orderBy(asc(menuItems.sortOrder)).all();
}

export function insertMenu(tx: Tx, row: typeof menus.$inferInsert) {
  tx.insert(menus).values(row).run();
}

export function touchMenu(tx: Tx, id: string, values: Partial<typeof menus.$inferInsert>) {
  tx.update(menus).set(values).where(eq(menus.id, id)).run();
}

export function deleteItemsNotIn(tx: Tx, menuId: string, keep: string[]) {
  const current = tx.select({ dishId: menuItems.dishId, sold: menuItems.sold }).from(menuItems).where(eq(menuItems.menuId, menuId)).all();
  return current.filter((c) => !keep.includes(c.dishId));
}

export function removeItem(tx: Tx, menuId: string, dishId: string) {
  tx.delete(menuItems)
    .where(and(eq(menuItems.menuId, menuId), eq(menuItems.dishId, dishId)))
    .run();
}

export function upsertItem(tx: Tx, menuId: string, dishId: string, portions: number | null, sortOrder: number) {
  tx.insert(menuItems)
    .values({ menuId, dishId, portions, sortOrder })
    .onConflictDoUpdate({ target: [menuItems.menuId, menuItems.dishId], set: { portions, sortOrder } })
    .run();
}

const itemOfQ = prepared((db) =>
  db
    .select()
    .from(menuItems)
    .where(and(eq(menuItems.menuId, sql.placeholder('menuId')), eq(menuItems.dishId, sql.placeholder('dishId'))))
    .prepare(),
);

export function itemOf(db: Reader | Tx, menuId: string, dishId: string): MenuItemRow | undefined {
  return itemOfQ(db).get({ menuId, dishId });
}

export function setItem(tx: Tx, menuId: string, dishId: string, values: Partial<MenuItemRow>) {
  tx.update(menuItems)
    .set(values)
    .where(and(eq(menuItems.menuId, menuId), eq(menuItems.dishId, dishId)))
    .run();
}

/**
 * Take `quantity` portions if they are there. One UPDATE with the condition in it: the last portion
 * cannot be sold twice. Returns the item as it is after the take, or undefined when there were not enough.
 */
const takeQ = prepared((db) =>
  db
    .update(menuItems)
    .set({ sold: sql`${menuItems.sold} + ${sql.placeholder('quantity')}` })
    .where(
      and(
        eq(menuItems.menuId, sql.placeholder('menuId')),
        eq(menuItems.dishId, sql.placeholder('dishId')),
        eq(menuItems.soldOut, false),
        sql`(${menuItems.portions} IS NULL OR ${menuItems.sold} + ${sql.placeholder('quantity')} <= ${menuItems.portions})`,
      ),
    )
    .returning({ portions: menuItems.portions, sold: menuItems.sold, soldOut: menuItems.soldOut })
    .prepare(),
);

type ItemStock = Pick<MenuItemRow, 'portions' | 'sold' | 'soldOut'>;

/** Run an UPDATE … RETURNING of one item's stock, and amend the menu's kept items with the row it returned (if any). */
function changeStock(tx: Tx, menuId: string, dishId: string, update: () => ItemStock | undefined): ItemStock | undefined {
  let after: ItemStock | undefined;
  return items.touching(
    tx,
    menuId,
    () => (after = update()),
    // The item as the UPDATE left it (nothing changed when it matched no row).
    (kept) => (after ? kept.map((i) => (i.dishId === dishId ? { ...i, ...after } : i)) : kept),
  );
}

export function takePortions(tx: Tx, menuId: string, dishId: string, quantity: number): ItemStock | undefined {
  return changeStock(tx, menuId, dishId, () => takeQ(tx).get({ menuId, dishId, quantity }));
}

const servedQ = prepared((db) =>
  db
    .update(menuItems)
    .set({ sold: sql`${menuItems.sold} + ${sql.placeholder('quantity')}` })
    .where(and(eq(menuItems.menuId, sql.placeholder('menuId')), eq(menuItems.dishId, sql.placeholder('dishId'))))
    .returning({ portions: menuItems.portions, sold: menuItems.sold, soldOut: menuItems.soldOut })
    .prepare(),
);

/** Count `quantity` portions sold whatever is left (a meal already served offline): `sold` may pass `portions`. */
export function countServed(tx: Tx, menuId: string, dishId: string, quantity: number): void {
  changeStock(tx, menuId, dishId, () => servedQ(tx).get({ menuId, dishId, quantity }));
}

export function returnPortions(tx: Tx, menuId: string, dishId: string, quantity: number) {
  items.touching(tx, menuId, () =>
    tx
      .update(menuItems)
      .set({ sold: sql`max(0, ${menuItems.sold} - ${quantity})` })
      .where(and(eq(menuItems.menuId, menuId), eq(menuItems.dishId, dishId)))
      .run(),
  );
}

// ───────────── loading reference data (the demo seed) ─────────────

export function insertDishes(tx: Tx, rows: (typeof dishes.$inferInsert)[]) {
  insertMany(tx, dishes, rows);
}
export function insertSetMealItems(tx: Tx, rows: (typeof setMealItems.$inferInsert)[]) {
  insertMany(tx, setMealItems, rows);
}
export function insertPriceChanges(tx: Tx, rows: (typeof priceChanges.$inferInsert)[]) {
  insertMany(tx, priceChanges, rows);
}
export function insertMenus(tx: Tx, rows: (typeof menus.$inferInsert)[]) {
  insertMany(tx, menus, rows);
}
export function insertMenuItems(tx: Tx, rows: (typeof menuItems.$inferInsert)[]) {
  insertMany(tx, menuItems, rows);
}

/** Price-relevant facts of many dishes at once (a replayed month names thousands): tags and the full-pay flag. */
export function pricingFactsOf(db: Reader | Tx, ids: string[]): { id: string; tags: string[]; fullPay: boolean }[] {
  if (ids.length === 0) return [];
  return db
    .all<{ id: string; tags: string; fullPay: number }>(
      sql`SELECT id, tags, full_pay AS fullPay FROM dishes WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
    )
    .map((d) => ({ id: d.id, tags: JSON.parse(d.tags) as string[], fullPay: d.fullPay === 1 }));
}

import { and, asc, between, eq, inArray, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { cachedRead, insertMany, prepared } from '../../db/client';
import { dishes, menuItems, menus, priceChanges, setMealItems } from '../../db/schema';
import type { MealPeriod } from '@yishi/shared';

export type DishRow = typeof dishes.$inferSelect;
export type MenuRow = typeof menus.$inferSelect;
export type MenuItemRow = typeof menuItems.$inferSelect;

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

/** The menu of a canteen's meal slot; kept in memory until menus are written (not menu items: stock is read fresh). Frozen. */
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

/** One menu's items with their stock as it stands, in menu order. */
export function itemsOfMenu(db: Reader | Tx, menuId: string): MenuItemRow[] {
  return itemsOfMenuQ(db).all({ menuId });
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

export function takePortions(tx: Tx, menuId: string, dishId: string, quantity: number): Pick<MenuItemRow, 'portions' | 'sold' | 'soldOut'> | undefined {
  return takeQ(tx).get({ menuId, dishId, quantity });
}

export function returnPortions(tx: Tx, menuId: string, dishId: string, quantity: number) {
  tx.update(menuItems)
    .set({ sold: sql`max(0, ${menuItems.sold} - ${quantity})` })
    .where(and(eq(menuItems.menuId, menuId), eq(menuItems.dishId, dishId)))
    .run();
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

import { and, asc, between, eq, inArray, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { insertMany, prepared } from '../../db/client';
import { dishes, menuItems, menus, priceChanges, setMealItems } from '../../db/schema';
import type { MealPeriod } from '@yishi/shared';

export type DishRow = typeof dishes.$inferSelect;
export type MenuRow = typeof menus.$inferSelect;
export type MenuItemRow = typeof menuItems.$inferSelect;

export function dishesOfCanteen(db: Reader | Tx, canteenId: string): DishRow[] {
  return db.select().from(dishes).where(eq(dishes.canteenId, canteenId)).orderBy(asc(dishes.category), asc(dishes.name)).all();
}

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

export function menuBySlot(db: Reader | Tx, canteenId: string, serviceDate: string, mealPeriod: MealPeriod): MenuRow | undefined {
  return db
    .select()
    .from(menus)
    .where(and(eq(menus.canteenId, canteenId), eq(menus.serviceDate, serviceDate), eq(menus.mealPeriod, mealPeriod)))
    .get();
}

export function menusBetween(db: Reader, canteenId: string, from: string, to: string): MenuRow[] {
  return db
    .select()
    .from(menus)
    .where(and(eq(menus.canteenId, canteenId), between(menus.serviceDate, from, to)))
    .orderBy(asc(menus.serviceDate), asc(menus.mealPeriod))
    .all();
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

export function itemOf(db: Reader | Tx, menuId: string, dishId: string): MenuItemRow | undefined {
  return db
    .select()
    .from(menuItems)
    .where(and(eq(menuItems.menuId, menuId), eq(menuItems.dishId, dishId)))
    .get();
}

export function setItem(tx: Tx, menuId: string, dishId: string, values: Partial<MenuItemRow>) {
  tx.update(menuItems)
    .set(values)
    .where(and(eq(menuItems.menuId, menuId), eq(menuItems.dishId, dishId)))
    .run();
}

/**
 * Take `quantity` portions if they are there. One UPDATE with the condition in it: the last portion
 * cannot be sold twice. Returns false when there are not enough.
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
    .prepare(),
);

export function takePortions(tx: Tx, menuId: string, dishId: string, quantity: number): boolean {
  return takeQ(tx).run({ menuId, dishId, quantity }).changes === 1;
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

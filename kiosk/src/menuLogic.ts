import type { DietNeed } from '@yishi/shared/domain';
import type { KioskResident, MenuItem } from '@yishi/shared/schemas';
import type { Lang } from './i18n';

/** Dish tags that suit each diet need (shown first for that person). */
export const DIET_TAGS: Record<DietNeed, string[]> = {
  diabetes: ['low_sugar'],
  hypertension: ['low_salt'],
  soft_food: ['soft'],
  vegetarian: ['vegetarian'],
  low_fat: ['low_fat'],
};

/** The notices that say the basket lost or cut a dish (shown above the menu; seen once the person chooses again). */
export const BASKET_NOTICES: readonly string[] = ['menu.justSoldOut', 'menu.withdrawn', 'menu.onlyLeft'];

export function isSoldOut(item: Pick<MenuItem, 'soldOut' | 'remaining'>): boolean {
  return item.soldOut || (item.remaining !== null && item.remaining <= 0);
}

/** How well a dish suits this person: the number of their diet needs its tags meet. */
export function suitScore(item: MenuItem, resident: KioskResident | null): number {
  if (!resident) return 0;
  let n = 0;
  for (const need of resident.dietNeeds) if (DIET_TAGS[need].some((t) => item.dish.tags.includes(t))) n++;
  return n;
}

export function allergyHits(item: MenuItem, resident: KioskResident | null): string[] {
  if (!resident || resident.allergies.length === 0) return [];
  const mine = new Set(resident.allergies.map((a) => a.toLowerCase()));
  return item.dish.allergens.filter((a) => mine.has(a.toLowerCase()));
}

/**
 * Order for the screen: available before sold out; set meals first; dishes suiting the person's diet first;
 * dishes they are allergic to last among the available; then the canteen's own order.
 */
export function sortMenu(items: readonly MenuItem[], resident: KioskResident | null): MenuItem[] {
  return [...items].sort((a, b) => {
    const so = Number(isSoldOut(a)) - Number(isSoldOut(b));
    if (so) return so;
    const al = Number(allergyHits(a, resident).length > 0) - Number(allergyHits(b, resident).length > 0);
    if (al) return al;
    const suit = suitScore(b, resident) - suitScore(a, resident);
    if (suit) return suit;
    const set = Number(b.dish.isSetMeal) - Number(a.dish.isSetMeal);
    if (set) return set;
    return a.sortOrder - b.sortOrder;
  });
}

/** "Same as last time": last order's lines that are on today's menu and not sold out. */
export function sameAsLast(resident: KioskResident | null, items: readonly MenuItem[]): { dishId: string; quantity: number }[] {
  if (!resident?.lastOrder) return [];
  const available = new Map(items.filter((i) => !isSoldOut(i)).map((i) => [i.dish.id, i]));
  return resident.lastOrder.lines
    .filter((l) => available.has(l.dishId))
    .map((l) => {
      const it = available.get(l.dishId)!;
      const cap = it.remaining === null ? 20 : Math.min(20, it.remaining);
      return { dishId: l.dishId, quantity: Math.max(1, Math.min(l.quantity, cap)) };
    });
}

/**
 * What 和上次一样 repeats, in the language on screen: the order carries the Chinese name, so a dish on today's menu
 * is named as the menu names it (its English name in English).
 */
export function lastOrderSummary(resident: KioskResident | null, items: readonly MenuItem[], lang: Lang): string {
  if (!resident?.lastOrder) return '';
  const byId = new Map(items.map((i) => [i.dish.id, i.dish]));
  return resident.lastOrder.lines
    .map((l) => {
      const dish = byId.get(l.dishId);
      const name = lang === 'en' && dish?.nameEn ? dish.nameEn : l.name;
      return `${name}×${l.quantity}`;
    })
    .join(lang === 'en' ? ', ' : '、');
}

/**
 * The dishes of the last order that 和上次一样 cannot add today (sold out, or not on today's menu), named as the
 * menu names them: the button says so before the tap, instead of quietly leaving them out of the basket.
 */
export function lastOrderMissing(resident: KioskResident | null, items: readonly MenuItem[], lang: Lang): string {
  if (!resident?.lastOrder) return '';
  const byId = new Map(items.map((i) => [i.dish.id, i]));
  return resident.lastOrder.lines
    .filter((l) => {
      const it = byId.get(l.dishId);
      return !it || isSoldOut(it);
    })
    .map((l) => {
      const dish = byId.get(l.dishId)?.dish;
      return lang === 'en' && dish?.nameEn ? dish.nameEn : l.name;
    })
    .join(lang === 'en' ? ', ' : '、');
}

/** A stable dark background colour for a dish without a photo (white text on it is ≥ 7:1). */
const SWATCHES = ['#1b5e20', '#0d47a1', '#4a148c', '#8e0000', '#004d40', '#3e2723', '#263238', '#6a1b4d'];
export function swatchFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return SWATCHES[h % SWATCHES.length]!;
}

import type { QueryClient } from '@tanstack/react-query';
import { qk } from './queries';
import type { Menu } from './types';

/** Replace (or add) one menu in every cached menu list of its canteen that covers its date. */
export function putMenuInCache(qc: QueryClient, menu: Menu): void {
  const lists = qc.getQueriesData<Menu[]>({ queryKey: qk.menusAll(menu.canteenId) });
  for (const [key, list] of lists) {
    if (!list) continue;
    const from = key[2];
    const to = key[3];
    if (typeof from !== 'string' || typeof to !== 'string' || menu.serviceDate < from || menu.serviceDate > to) continue;
    const i = list.findIndex((m) => m.serviceDate === menu.serviceDate && m.mealPeriod === menu.mealPeriod);
    const next = list.slice();
    if (i === -1) next.push(menu);
    else next[i] = menu;
    qc.setQueryData(key, next);
  }
}

/** Change one item of a cached menu (for an optimistic update). */
export function patchMenuItem(qc: QueryClient, menu: Menu, dishId: string, patch: { soldOut?: boolean; portions?: number | null }): void {
  putMenuInCache(qc, {
    ...menu,
    items: menu.items.map((it) => {
      if (it.dish.id !== dishId) return it;
      const portions = patch.portions !== undefined ? patch.portions : it.portions;
      return {
        ...it,
        ...patch,
        portions,
        remaining: portions === null ? null : Math.max(0, portions - it.sold),
      };
    }),
  });
}

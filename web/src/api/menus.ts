import { useQuery, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { Dish, DishInput, DishTagOption, DishUpdate, Menu, MenuRangeQuery, PortionsRequest, PutMenuRequest, SoldOutRequest } from '@yishi/shared/schemas';
import type { MealPeriod } from '@yishi/shared/domain';
import { http, seg } from './client';
import { qk } from './keys';

export type { Dish, DishTagOption, Menu, MenuItem } from '@yishi/shared/schemas';
export type DishInput = z.input<typeof DishInput>;
export type DishUpdate = z.input<typeof DishUpdate>;
export type PutMenu = z.input<typeof PutMenuRequest>;

const slot = (canteenId: string, date: string, period: MealPeriod) => `/canteens/${seg(canteenId)}/menus/${seg(date)}/${period}`;
const item = (m: Pick<Menu, 'canteenId' | 'serviceDate' | 'mealPeriod'>, dishId: string) =>
  `${slot(m.canteenId, m.serviceDate, m.mealPeriod)}/items/${seg(dishId)}`;

export const menusApi = {
  dishes: (canteenId: string, signal?: AbortSignal) => http.get(`/canteens/${seg(canteenId)}/dishes`, z.array(Dish), { signal }),
  /** The tags an operator may put on a dish here: the base ones and those the subsidy policies in force declare. */
  dishTags: (canteenId: string, signal?: AbortSignal) => http.get(`/canteens/${seg(canteenId)}/dish-tags`, z.array(DishTagOption), { signal }),
  createDish: (canteenId: string, body: DishInput) => http.post(`/canteens/${seg(canteenId)}/dishes`, DishInput, body, Dish),
  updateDish: (id: string, body: DishUpdate) => http.patch(`/dishes/${seg(id)}`, DishUpdate, body, Dish),
  setDishPhoto: (id: string, file: Blob) => http.putFile(`/dishes/${seg(id)}/photo`, file, Dish),
  menus: (canteenId: string, from: string, to: string, signal?: AbortSignal) =>
    http.get(`/canteens/${seg(canteenId)}/menus`, z.array(Menu), { query: { from, to }, request: MenuRangeQuery, signal }),
  putMenu: (canteenId: string, date: string, period: MealPeriod, body: PutMenu) => http.put(slot(canteenId, date, period), PutMenuRequest, body, Menu),
  setSoldOut: (menu: Menu, dishId: string, soldOut: boolean) => http.post(`${item(menu, dishId)}/sold-out`, SoldOutRequest, { soldOut }, Menu),
  setPortions: (menu: Menu, dishId: string, portions: number | null) => http.post(`${item(menu, dishId)}/portions`, PortionsRequest, { portions }, Menu),
};

export const useDishTags = (canteenId: string) =>
  useQuery({ queryKey: qk.dishTags(canteenId), queryFn: ({ signal }) => menusApi.dishTags(canteenId, signal), staleTime: 60_000 });

export const useDishes = (canteenId: string) => useQuery({ queryKey: qk.dishes(canteenId), queryFn: ({ signal }) => menusApi.dishes(canteenId, signal) });

export const useMenus = (canteenId: string, from: string, to: string) =>
  useQuery({ queryKey: qk.menus(canteenId, from, to), queryFn: ({ signal }) => menusApi.menus(canteenId, from, to, signal) });

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
      return { ...it, ...patch, portions, remaining: portions === null ? null : Math.max(0, portions - it.sold) };
    }),
  });
}

/** After a dish changed: its list and every menu that shows it. */
export function dishChanged(qc: QueryClient, canteenId: string): void {
  void qc.invalidateQueries({ queryKey: qk.dishes(canteenId) });
  void qc.invalidateQueries({ queryKey: qk.menusAll(canteenId) });
}

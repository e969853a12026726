import { beforeEach, describe, expect, it } from 'vitest';
import type { KioskResident, KioskState, MenuItem } from '@yishi/shared/schemas';
import { sameAsLast, sortMenu, isSoldOut, personalPrice } from './menuLogic';
import { cartCount, useKiosk } from './store';

const dish = (id: string, tags: string[] = [], extra: Partial<MenuItem['dish']> = {}): MenuItem['dish'] => ({
  id,
  canteenId: 'c1',
  name: id,
  nameEn: null,
  description: null,
  category: '主菜',
  photoUrl: null,
  priceFen: 1000,
  isSetMeal: false,
  setMealItems: [],
  kcal: null,
  proteinG: null,
  fatG: null,
  carbG: null,
  sodiumMg: null,
  sugarG: null,
  tags,
  allergens: [],
  active: true,
  ...extra,
});
const item = (id: string, sortOrder: number, extra: Partial<MenuItem> = {}, tags: string[] = [], d: Partial<MenuItem['dish']> = {}): MenuItem => ({
  dish: dish(id, tags, d),
  portions: null,
  sold: 0,
  remaining: null,
  soldOut: false,
  sortOrder,
  ...extra,
});
const resident: KioskResident = {
  id: 'r1',
  name: '王秀英',
  gender: 'female',
  age: 82,
  balanceFen: 5000,
  dietNeeds: ['diabetes'],
  allergies: ['peanut'],
  canDeliver: false,
  deliveryAddress: null,
  subsidy: { available: true, reason: null },
  personalPrices: [{ dishId: 'a', elderPaysFen: 750, elderSubsidyFen: 250 }],
  lastOrder: {
    serviceDate: '2025-01-01',
    lines: [
      { dishId: 'a', name: 'a', quantity: 2 },
      { dishId: 'gone', name: 'x', quantity: 1 },
      { dishId: 'out', name: 'o', quantity: 1 },
    ],
  },
};
const items = [
  item('a', 1),
  item('sugar', 2, {}, ['low_sugar']),
  item('out', 0, { soldOut: true }),
  item('nuts', 0, {}, ['low_sugar'], { allergens: ['peanut'] }),
  item('left0', 3, { remaining: 0 }),
  item('set', 4, {}, [], { isSetMeal: true }),
];

const state: KioskState = {
  canteen: { id: 'c1', name: 'n', shortName: 's', phone: null, dineIn: true, delivery: false, status: 'open' },
  deviceId: 'd',
  serviceDate: '2025-01-02',
  mealPeriod: 'lunch',
  next: null,
  menu: { id: 'm', canteenId: 'c1', serviceDate: '2025-01-02', mealPeriod: 'lunch', note: null, items, updatedAt: '' },
  serverTime: '',
};

describe('menu logic', () => {
  it('puts suitable dishes first, allergens after, sold out last', () => {
    expect(sortMenu(items, resident).map((i) => i.dish.id)).toEqual(['sugar', 'set', 'a', 'nuts', 'out', 'left0']);
    expect(sortMenu(items, null).map((i) => i.dish.id)).toEqual(['set', 'nuts', 'a', 'sugar', 'out', 'left0']);
    expect(isSoldOut(items[4]!)).toBe(true);
  });
  it('uses the personal price when the server gave one', () => {
    expect(personalPrice('a', 1000, resident)).toEqual({ paysFen: 750, subsidyFen: 250 });
    expect(personalPrice('a', 1000, null)).toEqual({ paysFen: 1000, subsidyFen: 0 });
  });
  it('same as last time keeps only what can be ordered now', () => {
    expect(sameAsLast(resident, items)).toEqual([{ dishId: 'a', quantity: 2 }]);
  });
});

describe('kiosk store', () => {
  beforeEach(() => {
    useKiosk.setState({ kiosk: state, cart: [] });
  });
  it('adds and removes with a stepper', () => {
    const s = useKiosk.getState();
    s.addDish('a');
    s.addDish('a');
    s.addDish('b');
    s.removeDish('b');
    expect(useKiosk.getState().cart).toEqual([{ dishId: 'a', quantity: 2 }]);
    expect(cartCount(useKiosk.getState())).toBe(2);
  });
  it('patches stock in place from a live event', () => {
    const ok = useKiosk.getState().applyStock({
      type: 'stock.changed',
      canteenId: 'c1',
      serviceDate: '2025-01-02',
      mealPeriod: 'lunch',
      dishId: 'a',
      remaining: 0,
      soldOut: true,
    });
    expect(ok).toBe(true);
    expect(useKiosk.getState().kiosk?.menu?.items.find((i) => i.dish.id === 'a')?.soldOut).toBe(true);
    const other = useKiosk.getState().applyStock({
      type: 'stock.changed',
      canteenId: 'c1',
      serviceDate: '2025-01-03',
      mealPeriod: 'lunch',
      dishId: 'a',
      remaining: 0,
      soldOut: true,
    });
    expect(other).toBe(false);
  });
});

import { QueryClient } from '@tanstack/react-query';
import type { Menu, Order, OrderPage } from '@yishi/shared/schemas';
import { describe, expect, it } from 'vitest';
import { qk } from './keys';
import { patchMenuItem, putMenuInCache } from './menus';
import { upsertOrder } from './orders';

const order = (id: string, state: Order['state'] = 'paid') => ({ id, canteenId: 'c1', serviceDate: '2026-11-23', state }) as Order;

describe('the cache the live socket and the actions keep current', () => {
  it("an order goes into its day's list: new ones first, known ones replaced", () => {
    const qc = new QueryClient();
    qc.setQueryData<OrderPage>(qk.orders('c1', '2026-11-23'), { items: [order('a')], total: 1 });
    upsertOrder(qc, order('b'));
    upsertOrder(qc, order('a', 'ready'));
    const page = qc.getQueryData<OrderPage>(qk.orders('c1', '2026-11-23'))!;
    expect(page.items.map((o) => [o.id, o.state])).toEqual([
      ['b', 'paid'],
      ['a', 'ready'],
    ]);
    expect(page.total).toBe(2);
    // A day nobody looks at is not invented.
    upsertOrder(qc, { ...order('c'), serviceDate: '2026-11-24' });
    expect(qc.getQueryData(qk.orders('c1', '2026-11-24'))).toBeUndefined();
  });

  it('a menu replaces its slot in every cached range that covers its date; sold out and portions patch one item', () => {
    const qc = new QueryClient();
    const item = { dish: { id: 'd1' }, portions: 10, sold: 4, remaining: 6, soldOut: false, sortOrder: 0 } as Menu['items'][number];
    const menu = { id: 'm1', canteenId: 'c1', serviceDate: '2026-11-23', mealPeriod: 'lunch', note: null, items: [item], updatedAt: '' } as Menu;
    qc.setQueryData(qk.menus('c1', '2026-11-23', '2026-11-29'), []);
    qc.setQueryData(qk.menus('c1', '2026-11-30', '2026-12-06'), []);
    putMenuInCache(qc, menu);
    expect(qc.getQueryData<Menu[]>(qk.menus('c1', '2026-11-23', '2026-11-29'))).toEqual([menu]);
    expect(qc.getQueryData<Menu[]>(qk.menus('c1', '2026-11-30', '2026-12-06'))).toEqual([]);
    patchMenuItem(qc, menu, 'd1', { portions: 3 });
    patchMenuItem(qc, qc.getQueryData<Menu[]>(qk.menus('c1', '2026-11-23', '2026-11-29'))![0]!, 'd1', { soldOut: true });
    const now = qc.getQueryData<Menu[]>(qk.menus('c1', '2026-11-23', '2026-11-29'))![0]!.items[0]!;
    expect([now.portions, now.remaining, now.soldOut]).toEqual([3, 0, true]);
  });
});

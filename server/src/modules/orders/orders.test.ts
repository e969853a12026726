import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { historyWindow } from '@yishi/shared';
import { as, login, makeApp, pairKiosk, withQuote, type TestApp } from '../../../test/helpers';
import { hasSubsidisedMeal, subsidyHistory } from './orders.repo';
import { balanceOf } from '../wallet/wallet.repo';
import { itemsOfMenu, menuBySlot } from '../menus/menus.repo';

const SET_DIABETIC = 'ct-shipai-huashi__set-diabetic'; // ¥12 at 华师 (own kitchen)
const TODAY = '2026-11-23';

let t: TestApp;
let kiosk: ReturnType<typeof as>;

async function identify(card = '4401100001') {
  const res = await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: card });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { ticket: string; resident: { id: string; balanceFen: number; subsidy: { available: boolean; reason: string | null } } };
}

/** An order as the kiosk sends it: bound to the quote the confirm screen showed. */
async function orderBody(ticket: string | null, over: Record<string, unknown> = {}) {
  return withQuote(kiosk, {
    id: uuidv7(),
    residentTicket: ticket,
    identifyMethod: ticket ? 'card' : 'guest',
    lines: [{ dishId: SET_DIABETIC, quantity: 1 }],
    paymentMethod: 'wallet',
    ...over,
  });
}

beforeEach(async () => {
  t = await makeApp();
  kiosk = as(t.app, await pairKiosk(t.app));
});
afterEach(async () => t.close());

describe('kiosk ordering', () => {
  it('prices a ¥12 lunch for a Guangzhou 户籍 78-year-old at ¥3 subsidy and stores every split', async () => {
    const { ticket, resident } = await identify();
    expect(resident.subsidy.available).toBe(true);
    const quote = (await kiosk.post('/api/v1/quotes', { residentTicket: ticket, lines: [{ dishId: SET_DIABETIC, quantity: 1 }] })).json();
    expect(quote).toMatchObject({ mealPriceFen: 1200, elderSubsidyFen: 300, elderPaysFen: 900, serviceDate: TODAY, mealPeriod: 'lunch' });
    expect(quote.balanceAfterFen).toBe(resident.balanceFen - 900);

    const res = await kiosk.post('/api/v1/orders', await orderBody(ticket));
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      state: 'paid',
      mealPriceFen: 1200,
      elderSubsidyFen: 300,
      elderPaysFen: 900,
      operatorSubsidyFen: 300,
      identifyMethod: 'card',
    });
    expect(order.policyVersionIds).toContain('pv-guangzhou-2024-v1');
    // An elder with no category counts as ordinary; a guest has none; 黄伯坚 (低保) counts as dibao. (Staff see the
    // category; the kiosk's answer names no category.)
    const staffView = as(t.app, await login(t.app, 'yikang'));
    const categoryOf = async (id: string) => (await staffView.get(`/api/v1/orders/${id}`)).json().residentCategory as string | null;
    expect(order.residentCategory).toBeUndefined();
    expect(await categoryOf(order.id)).toBe('ordinary');
    const guest = await kiosk.post('/api/v1/orders', await orderBody(null, { paymentMethod: 'cash' }));
    expect(await categoryOf(guest.json().id)).toBeNull();
    const huang = await identify('4401100002');
    const dibao = await kiosk.post('/api/v1/orders', await orderBody(huang.ticket, { paymentMethod: 'cash' }));
    expect(dibao.statusCode, dibao.body).toBe(201);
    expect(await categoryOf(dibao.json().id)).toBe('dibao');
    const meal = order.subsidies.find((s: { layerKey: string }) => s.layerKey === 'pv-guangzhou-2024-v1:meal');
    expect(meal).toMatchObject({ amountFen: 300, reason: 'applied', kind: 'meal' });
    expect(order.balanceAfterFen).toBe(resident.balanceFen - 900);
    // The stored wallet went down by exactly what the elder pays.
    const wallet = (await as(t.app, await login(t.app, 'yikang')).get(`/api/v1/residents/${resident.id}/wallet`)).json();
    expect(wallet.balanceFen).toBe(resident.balanceFen - 900);
    expect(wallet.entries[0]).toMatchObject({ kind: 'payment', amountFen: -900, orderId: order.id });
    // Later top-ups do not rewrite what the balance was after this order.
    const staff0 = as(t.app, await login(t.app, 'yikang'));
    await staff0.post('/api/v1/wallet/topups', { id: uuidv7(), residentId: resident.id, canteenId: 'ct-shipai-huashi', amountFen: 10000, method: 'cash' });
    expect((await staff0.get(`/api/v1/orders/${order.id}`)).json().balanceAfterFen).toBe(resident.balanceFen - 900);
  });

  it('a retried order id returns the first order; a reused id with another body is refused', async () => {
    const { ticket } = await identify();
    const body = await orderBody(ticket);
    const first = await kiosk.post('/api/v1/orders', body);
    const again = await kiosk.post('/api/v1/orders', body);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().pickupNumber).toBe(first.json().pickupNumber);
    const other = await kiosk.post('/api/v1/orders', { ...body, lines: [{ dishId: SET_DIABETIC, quantity: 2 }] });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('idempotency_mismatch');
  });

  it('a double tap (two identical requests at once) makes one order and one wallet payment', async () => {
    const { ticket, resident } = await identify();
    const body = await orderBody(ticket);
    const [a, b] = await Promise.all([kiosk.post('/api/v1/orders', body), kiosk.post('/api/v1/orders', body)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    const staff = as(t.app, await login(t.app, 'yikang'));
    const list = (await staff.get(`/api/v1/orders?residentId=${resident.id}&date=${TODAY}&canteenId=ct-shipai-huashi`)).json();
    expect(list.items.filter((o: { id: string }) => o.id === body.id)).toHaveLength(1);
    const wallet = (await staff.get(`/api/v1/residents/${resident.id}/wallet`)).json();
    expect(wallet.entries.filter((e: { orderId: string | null }) => e.orderId === body.id)).toHaveLength(1);
  });

  it('a second subsidised lunch the same day gets ¥0 subsidy (full price)', async () => {
    const { ticket } = await identify();
    expect((await kiosk.post('/api/v1/orders', await orderBody(ticket))).statusCode).toBe(201);
    const { ticket: t2, resident } = await identify();
    expect(resident.subsidy).toEqual({ available: false, reason: 'limit_meal_period' });
    const second = (await kiosk.post('/api/v1/orders', await orderBody(t2))).json();
    expect(second).toMatchObject({ elderSubsidyFen: 0, elderPaysFen: 1200 });
  });

  it('the database refuses two subsidised orders for one resident in one meal period', async () => {
    const { ticket, resident } = await identify();
    await kiosk.post('/api/v1/orders', await orderBody(ticket));
    expect(() =>
      t.ctx.db.writer
        .prepare(
          `INSERT INTO orders (id, canteen_id, resident_id, service_date, meal_period, fulfilment, state, identify_method, pickup_number, meal_price_fen, elder_subsidy_fen, elder_pays_fen, operator_subsidy_fen, payment_method, policy_version_ids, created_at, request_hash)
           VALUES ('x1', 'ct-beijing', ?, ?, 'lunch', 'dine_in', 'paid', 'staff', 999, 1200, 300, 900, 0, 'cash', '[]', '2026-11-23T04:00:00Z', 'h')`,
        )
        .run(resident.id, TODAY),
    ).toThrow(/UNIQUE/);
  });

  it('a guest pays full price at the counter; staff confirm the cash', async () => {
    const res = await kiosk.post('/api/v1/orders', await orderBody(null, { paymentMethod: 'cash' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ identifyMethod: 'guest', elderSubsidyFen: 0, elderPaysFen: 1200, state: 'awaiting_payment' });
    const staff = as(t.app, await login(t.app, 'yikang'));
    const paid = await staff.post(`/api/v1/orders/${res.json().id}/confirm-payment`, { method: 'cash' });
    expect(paid.json().state).toBe('paid');
    const again = await staff.post(`/api/v1/orders/${res.json().id}/confirm-payment`, { method: 'cash' });
    expect(again.json().error.code).toBe('invalid_state');
  });

  it('a guest cannot pay from a wallet, and a kiosk cannot name a resident by id', async () => {
    expect((await kiosk.post('/api/v1/orders', await orderBody(null))).json().error.code).toBe('bad_request');
    const byId = await kiosk.post('/api/v1/orders', { ...(await orderBody(null)), residentId: 'rs-0001', identifyMethod: 'card' });
    expect(byId.statusCode).toBe(403);
  });

  it('the last portion cannot be sold twice', async () => {
    const staff = as(t.app, await login(t.app, 'yikang'));
    await staff.post(`/api/v1/canteens/ct-shipai-huashi/menus/${TODAY}/lunch/items/${SET_DIABETIC}/portions`, { portions: 1 });
    const one = await orderBody(null, { paymentMethod: 'cash' });
    const two = await orderBody(null, { paymentMethod: 'cash' });
    const [a, b] = await Promise.all([kiosk.post('/api/v1/orders', one), kiosk.post('/api/v1/orders', two)]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([201, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.json().error.code).toBe('sold_out');
    const menu = (await staff.get(`/api/v1/canteens/ct-shipai-huashi/menus/${TODAY}/lunch`)).json();
    const item = menu.items.find((i: { dish: { id: string } }) => i.dish.id === SET_DIABETIC);
    expect(item).toMatchObject({ portions: 1, sold: 1, remaining: 0, soldOut: true });
  });

  it('insufficient balance is refused and leaves no order, stock or subsidy behind', async () => {
    const { ticket, resident } = await identify();
    // Enough portions for the quote: what refuses this order is the wallet.
    await as(t.app, await login(t.app, 'yikang')).post(`/api/v1/canteens/ct-shipai-huashi/menus/${TODAY}/lunch/items/${SET_DIABETIC}/portions`, {
      portions: null,
    });
    const before = (await as(t.app, await login(t.app, 'yikang')).get(`/api/v1/canteens/ct-shipai-huashi/menus/${TODAY}/lunch`)).json();
    const sold = before.items.find((i: { dish: { id: string } }) => i.dish.id === SET_DIABETIC).sold;
    const body = await orderBody(ticket, { lines: [{ dishId: SET_DIABETIC, quantity: 20 }] });
    const res = await kiosk.post('/api/v1/orders', body);
    if (resident.balanceFen >= 900 + 1200 * 19) throw new Error('test needs a smaller balance');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('insufficient_balance');
    const staff = as(t.app, await login(t.app, 'yikang'));
    expect((await staff.get(`/api/v1/orders/${body.id}`)).statusCode).toBe(404);
    const after = (await staff.get(`/api/v1/canteens/ct-shipai-huashi/menus/${TODAY}/lunch`)).json();
    expect(after.items.find((i: { dish: { id: string } }) => i.dish.id === SET_DIABETIC).sold).toBe(sold);
    // The subsidy is still there for a normal order.
    expect((await kiosk.post('/api/v1/orders', await orderBody(ticket))).json().elderSubsidyFen).toBe(300);
  });

  it('no meal period open: ordering is refused with canteen_closed', async () => {
    t.clock.set('2026-11-23T13:25:00+08:00');
    const body = await orderBody(null, { paymentMethod: 'cash' });
    t.clock.set('2026-11-23T13:31:00+08:00');
    const res = await kiosk.post('/api/v1/orders', body);
    expect(res.json().error.code).toBe('canteen_closed');
    t.clock.set('2026-11-23T15:00:00+08:00');
    expect((await kiosk.post('/api/v1/quotes', { lines: [{ dishId: SET_DIABETIC, quantity: 1 }] })).json().error.code).toBe('canteen_closed');
    const state = (await kiosk.get('/api/v1/kiosk/state')).json();
    expect(state).toMatchObject({ mealPeriod: null, next: { mealPeriod: 'dinner', opens: '17:00' }, menu: null });
  });

  it('an expired resident ticket is refused', async () => {
    const { ticket } = await identify();
    t.clock.advance(14 * 60_000);
    const body = await orderBody(ticket); // the quote is made while the ticket holds
    t.clock.advance(2 * 60_000);
    const res = await kiosk.post('/api/v1/orders', body);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.details).toEqual({ expired: true });
  });

  it('refund puts the money back in the wallet and frees the subsidy', async () => {
    const { ticket, resident } = await identify();
    const order = (await kiosk.post('/api/v1/orders', await orderBody(ticket))).json();
    const staff = as(t.app, await login(t.app, 'yikang'));
    const refunded = await staff.post(`/api/v1/orders/${order.id}/refund`, { reason: '菜品问题' });
    expect(refunded.json().state).toBe('refunded');
    expect((await staff.get(`/api/v1/residents/${resident.id}/wallet`)).json().balanceFen).toBe(resident.balanceFen);
    const { resident: again } = await identify();
    expect(again.subsidy.available).toBe(true);
  });

  it('the history kept for a resident after their orders (amended, not read again) is what a fresh read finds', async () => {
    const { from } = historyWindow(TODAY);
    const sorted = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).sort();
    const kept = (residentId: string) => subsidyHistory(t.ctx.db.read, from, TODAY, residentId);
    const fresh = (residentId: string) => {
      t.ctx.db.forgetAll();
      return subsidyHistory(t.ctx.db.read, from, TODAY, residentId);
    };
    const { ticket, resident } = await identify(); // the tap reads and keeps the history
    const before = kept(resident.id).length;
    const first = (await kiosk.post('/api/v1/orders', await orderBody(ticket))).json();
    expect(first.elderSubsidyFen).toBeGreaterThan(0);
    const afterOrder = kept(resident.id);
    expect(afterOrder.length).toBeGreaterThan(before); // the new order's paid layers are in it
    const second = (await kiosk.post('/api/v1/orders', await orderBody((await identify()).ticket))).json();
    expect(second.elderSubsidyFen).toBe(0);
    const afterTwo = kept(resident.id);
    expect(sorted(afterTwo)).toEqual(sorted(fresh(resident.id)));
    expect(afterTwo.length).toBe(afterOrder.length); // a meal without subsidy adds nothing

    kept(resident.id);
    const staff = as(t.app, await login(t.app, 'yikang'));
    expect((await staff.post(`/api/v1/orders/${first.id}/refund`, { reason: '菜品问题' })).statusCode).toBe(200);
    const afterRefund = kept(resident.id);
    expect(afterRefund.length).toBe(before);
    expect(sorted(afterRefund)).toEqual(sorted(fresh(resident.id)));
  });

  it("a resident's balance and subsidised meal, kept after top-ups, an order and its refund (amended or dropped), are what a fresh read finds", async () => {
    const read = () => ({ balance: balanceOf(t.ctx.db.read, rid), subsidised: hasSubsidisedMeal(t.ctx.db.read, rid, TODAY, 'lunch') });
    let rid = '';
    const fresh = () => {
      t.ctx.db.forgetAll();
      return read();
    };
    const raw = (sql: string, ...args: unknown[]) => t.ctx.db.writer.prepare(sql).run(...args);
    const { ticket, resident } = await identify(); // the tap reads and keeps both
    rid = resident.id;
    const start = read();
    expect(start).toEqual({ balance: resident.balanceFen, subsidised: false });
    // One of their earlier subsidised meals, its slot kept too.
    const earlier = t.ctx.db.writer
      .prepare('SELECT id, state, service_date AS d, meal_period AS m FROM orders WHERE resident_id = ? AND elder_subsidy_fen > 0 AND service_date < ? LIMIT 1')
      .get(rid, TODAY) as { id: string; state: string; d: string; m: 'lunch' };
    expect(hasSubsidisedMeal(t.ctx.db.read, rid, earlier.d, earlier.m)).toBe(true);
    const body = await orderBody(ticket);
    // Behind the server's back (raw SQL, which it does not see): a cent more in the wallet, the earlier meal cancelled.
    // The order then amends what was kept, and does not read it again: neither change shows until the server forgets.
    raw("INSERT INTO wallet_entries (id, resident_id, kind, amount_fen, created_at) VALUES ('probe', ?, 'adjustment', 1, ?)", rid, new Date().toISOString());
    raw("UPDATE orders SET state = 'cancelled' WHERE id = ?", earlier.id);
    const order = await kiosk.post('/api/v1/orders', body);
    expect(order.statusCode, order.body).toBe(201);
    expect(read()).toEqual({ balance: start.balance - 900, subsidised: true });
    expect(hasSubsidisedMeal(t.ctx.db.read, rid, earlier.d, earlier.m)).toBe(true);
    raw("DELETE FROM wallet_entries WHERE id = 'probe'");
    raw('UPDATE orders SET state = ? WHERE id = ?', earlier.state, earlier.id);
    expect(read()).toEqual(fresh());
    // Two top-ups at once, each amending the kept balance.
    const staff = as(t.app, await login(t.app, 'yikang'));
    read();
    const topups = await Promise.all(
      [5000, 2000].map((amountFen) =>
        staff.post('/api/v1/wallet/topups', { id: uuidv7(), residentId: rid, canteenId: 'ct-shipai-huashi', amountFen, method: 'cash' }),
      ),
    );
    expect(topups.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(read().balance).toBe(start.balance - 900 + 7000);
    expect(read()).toEqual(fresh());
    read();
    expect((await staff.post(`/api/v1/orders/${order.json().id}/refund`, { reason: '菜品问题' })).statusCode).toBe(200);
    expect(read()).toEqual({ balance: start.balance + 7000, subsidised: false });
    expect(read()).toEqual(fresh());
  });

  it("a menu's items kept after orders take portions (amended, not read again), a cancel and a console change are what a fresh read finds", async () => {
    const menu = menuBySlot(t.ctx.db.read, 'ct-shipai-huashi', TODAY, 'lunch')!;
    const kept = () => itemsOfMenu(t.ctx.db.read, menu.id);
    const fresh = () => {
      t.ctx.db.forgetAll();
      return itemsOfMenu(t.ctx.db.read, menu.id);
    };
    const soldOf = (rows: readonly { dishId: string; sold: number }[]) => rows.find((i) => i.dishId === SET_DIABETIC)!.sold;
    const staff = as(t.app, await login(t.app, 'yikang'));
    const slot = `/api/v1/canteens/ct-shipai-huashi/menus/${TODAY}/lunch/items/${SET_DIABETIC}`;
    expect((await staff.post(`${slot}/portions`, { portions: 40 })).statusCode).toBe(200);
    const before = soldOf(kept()); // the tap and the quote read it and keep it
    // Behind the server's back (raw SQL, which it does not see), another dish of the menu gets more portions: the orders
    // amend what was kept and do not read it again, so this does not show until the server forgets.
    const other = kept().find((i) => i.dishId !== SET_DIABETIC)!;
    const portionsOfOther = (n: number | null) =>
      t.ctx.db.writer.prepare('UPDATE menu_items SET portions = ? WHERE menu_id = ? AND dish_id = ?').run(n, menu.id, other.dishId);
    portionsOfOther(77);
    for (const card of ['4401100001', '4401100002']) {
      const res = await kiosk.post('/api/v1/orders', await orderBody((await identify(card)).ticket, { lines: [{ dishId: SET_DIABETIC, quantity: 2 }] }));
      expect(res.statusCode, res.body).toBe(201);
    }
    const afterOrders = kept();
    expect(soldOf(afterOrders)).toBe(before + 4);
    expect(afterOrders.find((i) => i.dishId === other.dishId)!.portions).toBe(other.portions);
    portionsOfOther(other.portions);
    expect(afterOrders).toEqual(fresh());
    // Two orders at once: both takes land on the kept items.
    const both = await Promise.all(
      ['4401100003', '4401100004'].map(async (card) =>
        kiosk.post('/api/v1/orders', await orderBody((await identify(card)).ticket, { lines: [{ dishId: SET_DIABETIC, quantity: 1 }], paymentMethod: 'cash' })),
      ),
    );
    expect(both.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(soldOf(kept())).toBe(before + 6);
    expect(kept()).toEqual(fresh());

    kept();
    const heard: { type: string; dishId?: string; remaining?: number | null }[] = [];
    const unsubscribe = t.ctx.bus.subscribe((e) => heard.push(e as (typeof heard)[number]));
    const cancel = await staff.post(`/api/v1/orders/${both[0]!.json().id}/cancel`, { reason: '长者临时有事' });
    unsubscribe();
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(soldOf(kept())).toBe(before + 5); // its portion went back
    // and kiosks hear it at once (a dish shown sold out comes back without waiting for their next refresh)
    expect(heard.filter((e) => e.type === 'stock.changed')).toEqual([expect.objectContaining({ dishId: SET_DIABETIC, remaining: 40 - (before + 5) })]);
    expect(kept()).toEqual(fresh());
    kept();
    expect((await staff.post(`${slot}/sold-out`, { soldOut: true })).statusCode).toBe(200);
    expect(kept().find((i) => i.dishId === SET_DIABETIC)!.soldOut).toBe(true);
    expect(kept()).toEqual(fresh());
    // Sold out at the counter: the next order of it is refused from what is kept.
    const refused = await kiosk.post('/api/v1/quotes', { residentTicket: null, lines: [{ dishId: SET_DIABETIC, quantity: 1 }] });
    expect(refused.json().error?.code, refused.body).toBe('sold_out');
  });
});

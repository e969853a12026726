/**
 * Money is received only by staff (or a verified callback, which is not built): nothing a kiosk says marks an
 * order paid. A kiosk's 其他支付 with a typed reference waits, visible to the kitchen as awaiting payment, until
 * staff confirm it in the console. Real HTTP and WebSocket over the real database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { as, login, makeApp, ORIGIN, pairKiosk, type TestApp } from '../helpers';

/** A kiosk orders what the person confirmed: the quote first, then the order naming it (kiosks must send quoteId). */
async function kioskOrder(k: ReturnType<typeof as>, body: { lines: unknown; residentTicket?: string | null; fulfilment?: string } & Record<string, unknown>) {
  const q = await k.post('/api/v1/quotes', {
    residentTicket: body.residentTicket ?? null,
    lines: body.lines,
    ...(body.fulfilment ? { fulfilment: body.fulfilment } : {}),
  });
  if (q.statusCode !== 200) return q;
  return k.post('/api/v1/orders', { ...body, quoteId: (q.json() as { quoteId: string }).quoteId });
}

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

const SET_A = 'ct-shipai-huashi__set-a';
const rows = (sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).all(...args) as Record<string, unknown>[];

describe('a kiosk cannot mark its own order paid', () => {
  it('a guest’s 其他支付 with a typed reference is awaiting payment until staff confirm it; the kitchen sees it waiting', async () => {
    const kiosk = as(t.app, await pairKiosk(t.app));
    const staff = as(t.app, await login(t.app, 'yikang'));
    // The hostile case of the review: a guest chooses 其他支付 and types "abcd".
    const res = await kioskOrder(kiosk, {
      id: uuidv7(),
      identifyMethod: 'guest',
      lines: [{ dishId: SET_A, quantity: 1 }],
      paymentMethod: 'external',
      externalReference: 'abcd',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ state: 'awaiting_payment', paidAt: null, paymentMethod: 'external', elderPaysFen: 1200 });
    const id = res.json().id as string;
    // Nothing was received: no payment row; the claimed reference is kept for staff to check.
    expect(rows('SELECT * FROM payments WHERE order_id = ?', id)).toEqual([]);
    const seen = (await staff.get(`/api/v1/orders/${id}`)).json();
    expect(seen).toMatchObject({ state: 'awaiting_payment', paymentReference: 'abcd' });
    // The kitchen's list (the day's orders) has it as awaiting payment, not in the paid queue.
    const day = (await staff.get('/api/v1/orders?canteenId=ct-shipai-huashi&date=2026-11-23&state=awaiting_payment')).json();
    expect(day.items.map((o: { id: string }) => o.id)).toContain(id);
    // Marking it ready is refused while it waits; the kiosk itself cannot confirm it.
    expect((await staff.post(`/api/v1/orders/${id}/state`, { state: 'ready' })).json().error.code).toBe('invalid_state');
    const byKiosk = await kiosk.post(`/api/v1/orders/${id}/confirm-payment`, { method: 'external', reference: 'abcd' });
    expect(byKiosk.statusCode).toBe(401);
    // Staff check the payment and confirm it, with the reference they saw: now it is paid, by them.
    const confirmed = await staff.post(`/api/v1/orders/${id}/confirm-payment`, { method: 'external', reference: 'WX4200001234' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().state).toBe('paid');
    expect(rows('SELECT method, amount_fen AS amount, reference, confirmed_by AS by FROM payments WHERE order_id = ?', id)).toEqual([
      { method: 'external', amount: 1200, reference: 'WX4200001234', by: 'user-yikang' },
    ]);
    expect(rows(`SELECT actor_id AS actor FROM audit_log WHERE entity_id = ? AND action = 'order.paid'`, id)).toEqual([{ actor: 'user-yikang' }]);
  });

  it('a resident’s 其他支付 and cash at a kiosk wait too; only the wallet (money already held) pays at once', async () => {
    const kiosk = as(t.app, await pairKiosk(t.app));
    const tap = async () => (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100003' })).json().ticket as string;
    const external = await kioskOrder(kiosk, {
      id: uuidv7(),
      residentTicket: await tap(),
      identifyMethod: 'card',
      lines: [{ dishId: SET_A, quantity: 1 }],
      paymentMethod: 'external',
      externalReference: 'ZFB20261123000001',
    });
    expect(external.statusCode, external.body).toBe(201);
    expect(external.json().state).toBe('awaiting_payment');
    const cash = await kioskOrder(kiosk, { id: uuidv7(), identifyMethod: 'guest', lines: [{ dishId: SET_A, quantity: 1 }], paymentMethod: 'cash' });
    expect(cash.json().state).toBe('awaiting_payment');
    const wallet = await kioskOrder(kiosk, {
      id: uuidv7(),
      residentTicket: await tap(),
      identifyMethod: 'card',
      lines: [{ dishId: 'ct-shipai-huashi__set-diabetic', quantity: 1 }],
      paymentMethod: 'wallet',
    });
    expect(wallet.statusCode, wallet.body).toBe(201);
    expect(wallet.json().state).toBe('paid');
  });

  it('two staff confirming the same payment at once record it once', async () => {
    const kiosk = as(t.app, await pairKiosk(t.app));
    const id = (
      await kioskOrder(kiosk, {
        id: uuidv7(),
        identifyMethod: 'guest',
        lines: [{ dishId: SET_A, quantity: 1 }],
        paymentMethod: 'external',
        externalReference: 'WX-PARALLEL-01',
      })
    ).json().id as string;
    const a = as(t.app, await login(t.app, 'yikang'));
    const b = as(t.app, await login(t.app, 'admin'));
    const both = await Promise.all([
      a.post(`/api/v1/orders/${id}/confirm-payment`, { method: 'external', reference: 'WX-PARALLEL-01' }),
      b.post(`/api/v1/orders/${id}/confirm-payment`, { method: 'external', reference: 'WX-PARALLEL-01' }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(rows('SELECT id FROM payments WHERE order_id = ?', id)).toHaveLength(1);
  });

  it('console staff who take an external payment at the counter record it paid at once: staff received it', async () => {
    const staff = as(t.app, await login(t.app, 'yikang'));
    const res = await staff.post('/api/v1/orders', {
      id: uuidv7(),
      canteenId: 'ct-shipai-huashi',
      identifyMethod: 'guest',
      lines: [{ dishId: SET_A, quantity: 1 }],
      paymentMethod: 'external',
      externalReference: 'POS-7781',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ state: 'paid', paymentReference: 'POS-7781' });
    expect(rows('SELECT confirmed_by AS by FROM payments WHERE order_id = ?', res.json().id)).toEqual([{ by: 'user-yikang' }]);
    // A reference without an external payment is a mistake, said as such.
    const stray = await staff.post('/api/v1/orders', {
      id: uuidv7(),
      canteenId: 'ct-shipai-huashi',
      identifyMethod: 'guest',
      lines: [{ dishId: SET_A, quantity: 1 }],
      paymentMethod: 'cash',
      externalReference: 'POS-7782',
    });
    expect(stray.statusCode).toBe(400);
    expect(stray.json().error.details).toMatchObject({ field: 'externalReference' });
  });

  it('the console’s live socket shows the kiosk order as awaiting payment, then paid once staff confirm', async () => {
    const operator = await login(t.app, 'yikang');
    const messages: { type: string; order?: { id: string; state: string } }[] = [];
    const ws = await t.app.injectWS(
      '/api/v1/live?canteenId=ct-shipai-huashi',
      { headers: { host: 'localhost:80', cookie: operator, origin: ORIGIN } },
      {
        onInit: (w) => w.on('message', (m) => messages.push(JSON.parse(String(m)))),
      },
    );
    const kiosk = as(t.app, await pairKiosk(t.app));
    const id = (
      await kioskOrder(kiosk, {
        id: uuidv7(),
        identifyMethod: 'guest',
        lines: [{ dishId: SET_A, quantity: 1 }],
        paymentMethod: 'external',
        externalReference: 'WX-LIVE-0001',
      })
    ).json().id as string;
    await as(t.app, operator).post(`/api/v1/orders/${id}/confirm-payment`, { method: 'external', reference: 'WX-LIVE-0001' });
    for (let i = 0; i < 100 && messages.filter((m) => m.order?.id === id).length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(messages.filter((m) => m.order?.id === id).map((m) => [m.type, m.order!.state])).toEqual([
      ['order.created', 'awaiting_payment'],
      ['order.updated', 'paid'],
    ]);
    ws.terminate();
  });
});

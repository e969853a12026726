import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { withQuote, as, login, makeApp, pairKiosk, type TestApp } from '../../../test/helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

const SET_DIABETIC = 'ct-shipai-huashi__set-diabetic'; // ¥12; ¥9 for 陈秀英 (rs-0001) after the city's ¥3

describe('wallet', () => {
  it('a top-up is recorded once however often it is sent; the same id with anything else is refused', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const before = (await op.get('/api/v1/residents/rs-0001/wallet')).json().balanceFen;
    const body = { id: uuidv7(), residentId: 'rs-0001', canteenId: 'ct-shipai-huashi', amountFen: 5050, method: 'cash' };
    const [a, b] = await Promise.all([op.post('/api/v1/wallet/topups', body), op.post('/api/v1/wallet/topups', body)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect((await op.post('/api/v1/wallet/topups', body)).statusCode).toBe(200);
    const after = (await op.get('/api/v1/residents/rs-0001/wallet')).json();
    expect(after.balanceFen).toBe(before + 5050);
    expect(after.entries[0]).toMatchObject({ id: body.id, kind: 'topup', amountFen: 5050, method: 'cash', canteenId: 'ct-shipai-huashi' });
    for (const changed of [
      { ...body, amountFen: 6000 },
      { ...body, method: 'external', reference: 'WX2026112300001' },
      { ...body, canteenId: 'ct-beijing' },
    ]) {
      const res = await op.post('/api/v1/wallet/topups', changed);
      expect(res.json().error.code, JSON.stringify(changed)).toBe('idempotency_mismatch');
    }
    expect((await op.get('/api/v1/residents/rs-0001/wallet')).json().balanceFen).toBe(before + 5050);
  });

  it('an order pays from the wallet and a refund is a new entry; a short wallet refuses the order and keeps nothing', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const kiosk = as(t.app, await pairKiosk(t.app));
    const start = (await op.get('/api/v1/residents/rs-0001/wallet')).json().balanceFen as number;
    const ticket = (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' })).json().ticket;
    const order = (
      await kiosk.post(
        '/api/v1/orders',
        await withQuote(kiosk, {
          id: uuidv7(),
          residentTicket: ticket,
          identifyMethod: 'card',
          lines: [{ dishId: SET_DIABETIC, quantity: 1 }],
          paymentMethod: 'wallet',
        }),
      )
    ).json();
    expect(order.elderPaysFen).toBe(900);
    expect((await op.get('/api/v1/residents/rs-0001/wallet')).json().balanceFen).toBe(start - 900);
    expect((await op.post(`/api/v1/orders/${order.id}/refund`, { reason: '菜品有问题' })).statusCode).toBe(200);
    const refunded = (await op.get('/api/v1/residents/rs-0001/wallet')).json();
    expect(refunded.balanceFen).toBe(start);
    expect(refunded.entries.slice(0, 2).map((e: { kind: string; amountFen: number }) => [e.kind, e.amountFen])).toEqual(
      expect.arrayContaining([
        ['payment', -900],
        ['refund', 900],
      ]),
    );

    // Bring the balance down to ¥1 (an adjustment entry), then order a ¥9 meal from it.
    t.ctx.db.writer
      .prepare("INSERT INTO wallet_entries (id, resident_id, kind, amount_fen, created_at) VALUES ('adj-1', 'rs-0001', 'adjustment', ?, ?)")
      .run(100 - start, '2026-11-23T03:00:00.000Z');
    t.ctx.db.forgetAll(); // written behind the server's back (not through drizzle): what it kept of the wallet goes
    const shortId = uuidv7();
    const short = await kiosk.post(
      '/api/v1/orders',
      await withQuote(kiosk, {
        id: shortId,
        residentTicket: ticket,
        identifyMethod: 'card',
        lines: [{ dishId: SET_DIABETIC, quantity: 1 }],
        paymentMethod: 'wallet',
      }),
    );
    expect(short.statusCode).toBe(409);
    expect(short.json().error).toMatchObject({ code: 'insufficient_balance', details: { balanceFen: 100, neededFen: 900 } });
    expect((await op.get('/api/v1/residents/rs-0001/wallet')).json().balanceFen).toBe(100);
    expect((await op.get(`/api/v1/orders/${shortId}`)).statusCode).toBe(404);
  });

  it('another canteen’s operator sees neither the wallet nor can top it up', async () => {
    const jiajia = as(t.app, await login(t.app, 'jiajia'));
    expect((await jiajia.get('/api/v1/residents/rs-0001/wallet')).statusCode).toBe(404);
    const res = await jiajia.post('/api/v1/wallet/topups', {
      id: uuidv7(),
      residentId: 'rs-0001',
      canteenId: 'ct-shipai-longkou',
      amountFen: 1000,
      method: 'cash',
    });
    expect(res.statusCode).toBe(404);
  });
});

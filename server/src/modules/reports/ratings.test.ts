/**
 * The kiosk's one-tap meal rating: once per order (a retry or a double tap is the first answer, another answer
 * is refused), only from the kiosk that placed the order, and counted in the canteen's satisfaction.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { as, login, makeApp, pairKiosk, withQuote, type TestApp } from '../../../test/helpers';

let t: TestApp;
let kiosk: ReturnType<typeof as>;

beforeEach(async () => {
  t = await makeApp();
  kiosk = as(t.app, await pairKiosk(t.app));
});
afterEach(async () => t.close());

/** An order placed at `k` (华师 by default) by the demo elder 陈秀英 with her card. */
async function kioskOrder(k = kiosk, paymentMethod = 'wallet', card = '4401100001'): Promise<string> {
  const who = await k.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: card });
  expect(who.statusCode, who.body).toBe(200);
  const body = await withQuote(k, {
    id: uuidv7(),
    residentTicket: who.json().ticket as string,
    identifyMethod: 'card',
    lines: [{ dishId: 'ct-shipai-huashi__set-diabetic', quantity: 1 }],
    paymentMethod,
  });
  const res = await k.post('/api/v1/orders', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const rows = (orderId: string) =>
  t.ctx.db.readerConn.prepare('SELECT * FROM meal_ratings WHERE order_id = ?').all(orderId) as { rating: string; device_id: string }[];

describe('a meal rating', () => {
  it('is stored once: the same tap again is the first answer, another answer is refused', async () => {
    const orderId = await kioskOrder();
    const first = await kiosk.post('/api/v1/ratings', { orderId, rating: 'satisfied' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ orderId, rating: 'satisfied' });
    const again = await kiosk.post('/api/v1/ratings', { orderId, rating: 'satisfied' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const other = await kiosk.post('/api/v1/ratings', { orderId, rating: 'unsatisfied' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatchObject({ code: 'already_rated', details: { rating: 'satisfied' } });
    expect(rows(orderId)).toHaveLength(1);
    expect(rows(orderId)[0]!.rating).toBe('satisfied');
  });

  it('sent many times at once is stored once', async () => {
    const orderId = await kioskOrder();
    const answers = await Promise.all(Array.from({ length: 12 }, () => kiosk.post('/api/v1/ratings', { orderId, rating: 'neutral' })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(rows(orderId)).toEqual([expect.objectContaining({ rating: 'neutral' })]);
    // Different answers at once: exactly one is kept, every other is told so.
    const second = await kioskOrder(kiosk, 'wallet', '4401100002');
    const mixed = await Promise.all(
      ['satisfied', 'neutral', 'unsatisfied', 'satisfied', 'neutral', 'unsatisfied'].map((rating) =>
        kiosk.post('/api/v1/ratings', { orderId: second, rating }),
      ),
    );
    expect(mixed.filter((a) => a.statusCode === 201)).toHaveLength(1);
    const kept = mixed.find((a) => a.statusCode === 201)!.json().rating as string;
    for (const a of mixed.filter((x) => x.statusCode !== 201)) {
      const body = JSON.parse(a.payload) as { rating?: string; error?: { code: string } };
      if (a.statusCode === 200) expect(body.rating).toBe(kept);
      else expect([a.statusCode, body.error?.code]).toEqual([409, 'already_rated']);
    }
    expect(rows(second)).toHaveLength(1);
  });

  it('comes only from the kiosk that placed the order', async () => {
    const orderId = await kioskOrder();
    // Another canteen's kiosk, and a second kiosk of the same canteen: no such order for them.
    const beijing = as(t.app, await pairKiosk(t.app, 'ct-beijing', 'yikang'));
    const sameCanteen = as(t.app, await pairKiosk(t.app, 'ct-shipai-huashi', 'yikang'));
    for (const k of [beijing, sameCanteen]) {
      const res = await k.post('/api/v1/ratings', { orderId, rating: 'unsatisfied' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    // An order of the demo history (keyed at the counter, no kiosk), and no order at all.
    const seeded = (
      t.ctx.db.readerConn.prepare("SELECT id FROM orders WHERE canteen_id = 'ct-shipai-huashi' AND device_id IS NULL LIMIT 1").get() as { id: string }
    ).id;
    expect((await kiosk.post('/api/v1/ratings', { orderId: seeded, rating: 'satisfied' })).statusCode).toBe(404);
    expect((await kiosk.post('/api/v1/ratings', { orderId: uuidv7(), rating: 'satisfied' })).statusCode).toBe(404);
    // People cannot rate for an elder: not a console user, not anyone without a kiosk.
    const operator = as(t.app, await login(t.app, 'yikang'));
    expect((await operator.post('/api/v1/ratings', { orderId, rating: 'satisfied' })).statusCode).toBe(403);
    expect((await as(t.app, null).post('/api/v1/ratings', { orderId, rating: 'satisfied' })).statusCode).toBe(401);
    expect(rows(orderId)).toHaveLength(0);
    // A bad answer is a clear 400.
    const bad = await kiosk.post('/api/v1/ratings', { orderId, rating: 'great' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details.issues)).toContain('rating');
  });

  it('is refused for a cancelled order, which was never a meal', async () => {
    const orderId = await kioskOrder(kiosk, 'cash');
    const operator = as(t.app, await login(t.app, 'yikang'));
    expect((await operator.post(`/api/v1/orders/${orderId}/cancel`, { reason: '长者改变主意' })).statusCode).toBe(200);
    const res = await kiosk.post('/api/v1/ratings', { orderId, rating: 'satisfied' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('invalid_state');
  });

  it('counts in the canteen’s satisfaction', async () => {
    const district = as(t.app, await login(t.app, 'tianhe'));
    const sat = async () =>
      (await district.get('/api/v1/reports/indicators?from=2026-11-23&to=2026-11-23&canteenId=ct-shipai-huashi')).json().figures.satisfaction;
    expect(await sat()).toEqual({ satisfied: 0, neutral: 0, unsatisfied: 0 });
    await kiosk.post('/api/v1/ratings', { orderId: await kioskOrder(), rating: 'unsatisfied' });
    await kiosk.post('/api/v1/ratings', { orderId: await kioskOrder(kiosk, 'wallet', '4401100002'), rating: 'satisfied' });
    expect(await sat()).toEqual({ satisfied: 1, neutral: 0, unsatisfied: 1 });
  });
});

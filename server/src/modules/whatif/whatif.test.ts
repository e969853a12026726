import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { withQuote, as, login, makeApp, pairKiosk, type TestApp } from '../../../test/helpers';
import * as sites from '../sites/sites.service';
import { repriceStoredOrders } from './whatif.service';

const SET_DIABETIC = 'ct-shipai-huashi__set-diabetic';
const SOFT = 'ct-shipai-huashi__set-soft';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
  // The demo plants a death recorded late; undo it so the stored history is what the rules said then.
  t.ctx.db.writer.prepare("UPDATE residents SET status = 'active', status_since = NULL WHERE status = 'deceased'").run();
});
afterEach(async () => t.close());

/** Orders placed today through the API: the ones a replay must reproduce besides the seeded history. */
async function orderToday(): Promise<void> {
  const kiosk = as(t.app, await pairKiosk(t.app));
  const staff = as(t.app, await login(t.app, 'yikang'));
  const tap = async (card: string) => (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: card })).json().ticket as string;
  const place = async (api: typeof kiosk, body: Record<string, unknown>) => {
    const order = { id: uuidv7(), lines: [{ dishId: SET_DIABETIC, quantity: 1 }], paymentMethod: 'wallet', ...body };
    const res = await api.post('/api/v1/orders', api === kiosk ? await withQuote(kiosk, order) : order);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  // 陈秀英: a subsidised lunch, then a second one in the same meal period at full price.
  expect((await place(kiosk, { residentTicket: await tap('4401100001'), identifyMethod: 'card' })).elderSubsidyFen).toBe(300);
  expect((await place(kiosk, { residentTicket: await tap('4401100001'), identifyMethod: 'card' })).elderSubsidyFen).toBe(0);
  // 张国强 (越秀户籍) at a 天河 canteen: the city pays, the 天河 top-up does not.
  await place(kiosk, { residentTicket: await tap('4401100004'), identifyMethod: 'card', lines: [{ dishId: SOFT, quantity: 2 }] });
  // 黄伯坚 (低保, care level 3): staff key a delivery; the district top-up and the delivery subsidy apply.
  const delivered = await place(staff, {
    canteenId: 'ct-shipai-huashi',
    residentId: 'rs-0002',
    identifyMethod: 'staff',
    fulfilment: 'delivery',
    staffReason: { code: 'on_behalf', note: '女儿电话订餐' },
  });
  expect(delivered.operatorSubsidyFen).toBeGreaterThan(300);
  // A guest, and an order that is refunded (it no longer counts).
  await place(kiosk, { identifyMethod: 'guest', paymentMethod: 'cash' });
  const refunded = await place(kiosk, { residentTicket: await tap('4401100003'), identifyMethod: 'card' });
  expect((await staff.post(`/api/v1/orders/${refunded.id}/refund`, { reason: '点错了' })).statusCode).toBe(200);
}

describe('one pricing context for live orders, the seed and the what-if', () => {
  it('re-pricing the month with the published policies reproduces every stored order to the fen, seeded and live alike', async () => {
    await orderToday();
    const repriced = repriceStoredOrders(t.ctx.db.read, { from: '2026-11-01', to: '2026-11-30', canteens: sites.allCanteens(t.ctx.db.read) });
    expect(repriced.length).toBeGreaterThan(1000);
    expect(repriced.filter((r) => r.stored.row.serviceDate === '2026-11-23')).toHaveLength(5);
    for (const { stored, evaluation: ev } of repriced) {
      const o = stored.row;
      expect({ id: o.id, price: ev.mealPriceFen, subsidy: ev.elderSubsidyFen, pays: ev.elderPaysFen, operator: ev.operatorSubsidyFen }).toEqual({
        id: o.id,
        price: o.mealPriceFen,
        subsidy: o.elderSubsidyFen,
        pays: o.elderPaysFen,
        operator: o.operatorSubsidyFen,
      });
      expect(ev.layers.map((l) => [l.layerKey, l.amountFen, l.reason])).toEqual(stored.subsidies.map((s) => [s.layerKey, s.amountFen, s.reason]));
    }
  });

  it('what-if with an unchanged copy of the city policy shows no difference, including today’s orders', async () => {
    await orderToday();
    const city = as(t.app, await login(t.app, 'city'));
    const copy = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
    const res = await city.post(`/api/v1/policies/${copy.id}/simulate`, { month: '2026-11' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.byDay.find((d: { date: string }) => d.date === '2026-11-23')).toBeDefined();
    expect(s.simulated).toEqual(s.baseline);
    for (const p of s.byPayer) expect(p.simulatedFen).toBe(p.baselineFen);
    for (const c of s.byCategory) expect(c.simulatedSubsidyFen).toBe(c.baselineSubsidyFen);
    for (const d of s.byDay) expect(d.simulatedSubsidyFen).toBe(d.baselineSubsidyFen);
    expect(s.eldersPayingMore + s.eldersPayingLess).toBe(0);
  });

  it('a street office sees the figures of its own street only, priced with the whole city’s history', async () => {
    const shipai = as(t.app, await login(t.app, 'shipai'));
    const city = as(t.app, await login(t.app, 'city'));
    const copy = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
    const street = (await shipai.post(`/api/v1/policies/${copy.id}/simulate`, { month: '2026-11' })).json();
    const all = (await city.post(`/api/v1/policies/${copy.id}/simulate`, { month: '2026-11' })).json();
    expect(street.orders).toBeGreaterThan(0);
    expect(street.orders).toBeLessThan(all.orders);
    expect(street.simulated).toEqual(street.baseline);
  });
});

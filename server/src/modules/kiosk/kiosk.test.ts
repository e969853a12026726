import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import { evaluateLines, pricingContext } from '@yishi/shared';
import { as, login, makeApp, ORIGIN, pairKiosk, withQuote, type TestApp } from '../../../test/helpers';
import { DEMO_KIOSK } from '../../seed';
import { createStartupPairing } from './kiosk.service';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

async function code(canteenId = 'ct-shipai-huashi') {
  const op = as(t.app, await login(t.app, 'yikang'));
  const res = await op.post('/api/v1/devices/pairing', { canteenId, name: '1号自助机' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { deviceId: string; code: string; expiresAt: string };
}

describe('kiosk pairing', () => {
  it('a code pairs one kiosk once, then it is used up', async () => {
    const { code: c } = await code();
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: c } });
    expect(first.statusCode).toBe(200);
    const cookie = first.cookies.find((k) => k.name === 'yishi_device')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: c } });
    expect(again.json().error.code).toBe('pairing_code_invalid');
  });

  it('the start-up code is made by the system for the first demo canteen, and pairs a kiosk there', async () => {
    const made = await createStartupPairing(t.ctx, DEMO_KIOSK.canteenId, DEMO_KIOSK.name);
    expect(made).not.toBeNull();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: made!.code } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().canteen).toMatchObject({ id: 'ct-shipai-huashi', shortName: DEMO_KIOSK.canteenName });
    const row = t.ctx.db.readerConn
      .prepare("SELECT actor_type AS actorType, actor_id AS actorId FROM audit_log WHERE action = 'device.pairing_created' AND entity_id = ?")
      .get(made!.deviceId);
    expect(row).toEqual({ actorType: 'system', actorId: null });
    const device = t.ctx.db.readerConn.prepare('SELECT created_by AS createdBy, name FROM devices WHERE id = ?').get(made!.deviceId);
    expect(device).toEqual({ createdBy: null, name: DEMO_KIOSK.name });
  });

  it('no start-up code on a database without that canteen', async () => {
    const empty = await makeApp({ empty: true });
    try {
      expect(await createStartupPairing(empty.ctx, DEMO_KIOSK.canteenId, DEMO_KIOSK.name)).toBeNull();
    } finally {
      await empty.close();
    }
  });

  it('a code expires after 15 minutes', async () => {
    const { code: c } = await code();
    t.clock.advance(16 * 60_000);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: c } });
    expect(res.json().error.code).toBe('pairing_code_invalid');
  });

  it('an operator cannot make codes for another operator’s canteen', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    expect((await op.post('/api/v1/devices/pairing', { canteenId: 'ct-yuancun', name: 'x' })).statusCode).toBe(404);
  });

  it('call staff reaches the canteen’s console over the WebSocket', async () => {
    const { code: c } = await code();
    const paired = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: c } });
    const device = `yishi_device=${paired.cookies.find((k) => k.name === 'yishi_device')!.value}`;
    const staff = await login(t.app, 'yikang');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/v1/live?canteenId=ct-shipai-huashi`, { headers: { cookie: staff } });
    const events: { type: string; deviceName?: string }[] = [];
    await new Promise<void>((resolve) => ws.on('message', (m) => (events.push(JSON.parse(String(m))), events.length === 1 && resolve())));
    const got = new Promise<(typeof events)[number]>((resolve) => ws.on('message', (m) => resolve(JSON.parse(String(m)))));
    const requestId = uuidv7();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/help', payload: { requestId }, headers: { cookie: device, origin: ORIGIN } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await got).toMatchObject({ type: 'help.requested', deviceName: '1号自助机', requestId });
    ws.close();
  });
});

describe('a kiosk at work', () => {
  async function paired(canteenId = 'ct-shipai-huashi', operator = 'yikang') {
    return as(t.app, await pairKiosk(t.app, canteenId, operator));
  }

  it('identify says what the resident already ordered this meal, and with which meal period the last order was', async () => {
    const kiosk = await paired();
    const tap = async () => (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' })).json();
    const before = await tap();
    expect(before.resident.alreadyOrdered).toBeNull();
    expect(before.resident).not.toHaveProperty('personalPrices');
    expect(before.resident.pricing).toMatchObject({ facts: { id: 'rs-0001' }, subsidisedThisSlot: false });
    const body = await withQuote(kiosk, {
      id: uuidv7(),
      residentTicket: before.ticket,
      identifyMethod: 'card',
      lines: [{ dishId: 'ct-shipai-huashi__set-diabetic', quantity: 1 }],
      paymentMethod: 'cash',
    });
    const order = (await kiosk.post('/api/v1/orders', body)).json();
    const after = await tap();
    expect(after.resident.alreadyOrdered).toEqual({
      mealPeriod: 'lunch',
      pickupNumber: order.pickupNumber,
      fulfilment: 'dine_in',
      subsidised: true,
      here: true,
      canteenName: order.canteenId === 'ct-shipai-huashi' ? after.resident.alreadyOrdered.canteenName : '',
    });
    expect(after.resident.lastOrder).toMatchObject({ serviceDate: '2026-11-23', mealPeriod: 'lunch' });
    expect(after.resident.pricing.subsidisedThisSlot).toBe(true);
    // At another canteen the pickup number is not theirs to call out.
    const elsewhere = await paired('ct-shipai-longkou', 'jiajia');
    const there = (await elsewhere.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' })).json();
    expect(there.resident.alreadyOrdered).toMatchObject({ here: false, subsidised: true });
  });

  it('和上次一样 never offers a meal that was refunded: the last one that counts', async () => {
    const kiosk = await paired();
    const tap = async () => (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' })).json();
    const first = await tap();
    const body = await withQuote(kiosk, {
      id: uuidv7(),
      residentTicket: first.ticket,
      identifyMethod: 'card',
      lines: [{ dishId: 'ct-shipai-huashi__set-diabetic', quantity: 1 }],
      paymentMethod: 'wallet',
    });
    const order = (await kiosk.post('/api/v1/orders', body)).json();
    expect((await tap()).resident.lastOrder).toMatchObject({ serviceDate: '2026-11-23', mealPeriod: 'lunch' });
    const staff = as(t.app, await login(t.app, 'yikang'));
    expect((await staff.post(`/api/v1/orders/${order.id}/refund`, { reason: '菜品问题' })).statusCode).toBe(200);
    const after = (await tap()).resident.lastOrder;
    expect(after?.serviceDate ?? '').not.toBe('2026-11-23');
    expect(after).toEqual(first.resident.lastOrder);
  });

  it('a set meal names its parts in English as well (the English kiosk listed "With: 白切鸡, 蒜蓉炒菜心, …")', async () => {
    const kiosk = await paired();
    const menu = (await kiosk.get('/api/v1/kiosk/state')).json().menu as {
      items: { dish: { id: string; setMealItems: { name: string; nameEn: string | null }[] } }[];
    };
    const setA = menu.items.find((i) => i.dish.id === 'ct-shipai-huashi__set-a')!.dish;
    expect(setA.setMealItems).toContainEqual(expect.objectContaining({ name: '白切鸡', nameEn: 'White-cut chicken' }));
    expect(setA.setMealItems).toContainEqual(expect.objectContaining({ name: '白米饭', nameEn: 'Steamed rice' }));
  });

  it('the shared engine fed what a kiosk is given prices every basket exactly as the server’s quote', async () => {
    const kiosk = await paired();
    const pricingRes = await kiosk.get('/api/v1/kiosk/pricing');
    expect(pricingRes.statusCode, pricingRes.body).toBe(200);
    const slotFacts = pricingRes.json();
    const menu = (await kiosk.get('/api/v1/kiosk/state')).json().menu as { items: { dish: { id: string; priceFen: number; tags: string[] } }[] };
    const dishes = menu.items.map((i) => i.dish);
    for (const card of ['4401100001', '4401100002', '4401100003', '4401100004', null]) {
      const id = card ? (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: card })).json() : null;
      const rp = id?.resident.pricing ?? null;
      const source = {
        policiesOn: () => slotFacts.policies,
        calendar: () => slotFacts.calendar,
        historyOf: (_r: string, from: string, to: string) =>
          (rp?.history ?? []).filter((h: { serviceDate: string }) => h.serviceDate >= from && h.serviceDate <= to),
        hadSubsidisedMeal: () => rp?.subsidisedThisSlot ?? false,
        layerSpent: () => slotFacts.layerSpentFen,
      };
      const pc = pricingContext(source, {
        canteen: slotFacts.canteen,
        slot: { serviceDate: slotFacts.serviceDate, mealPeriod: slotFacts.mealPeriod },
        resident: rp?.facts ?? null,
      });
      for (let n = 0; n < 6; n++) {
        const basket = [dishes[n % dishes.length]!, dishes[(n * 3 + 1) % dishes.length]!].filter((d, i, a) => a.findIndex((x) => x.id === d.id) === i);
        const lines = basket.map((d, i) => ({ dishId: d.id, quantity: 1 + ((n + i) % 2) }));
        const q = (await kiosk.post('/api/v1/quotes', { residentTicket: id?.ticket ?? null, lines })).json();
        const local = evaluateLines(
          pc,
          lines.map((l) => ({ ...l, unitPriceFen: basket.find((d) => d.id === l.dishId)!.priceFen, tags: basket.find((d) => d.id === l.dishId)!.tags })),
          'dine_in',
        );
        expect({ pays: local.elderPaysFen, subsidy: local.elderSubsidyFen }, `${card} ${JSON.stringify(lines)}`).toEqual({
          pays: q.elderPaysFen,
          subsidy: q.elderSubsidyFen,
        });
      }
    }
  });

  it('a call for staff is stored once per id, listed for the canteen’s staff, and 已处理 reaches only the kiosk that called', async () => {
    const kiosk = await paired();
    const other = await paired();
    const staff = as(t.app, await login(t.app, 'yikang'));
    const requestId = uuidv7();
    const first = await kiosk.post('/api/v1/kiosk/help', { requestId });
    const again = await kiosk.post('/api/v1/kiosk/help', { requestId });
    expect(first.statusCode, first.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await other.post('/api/v1/kiosk/help', { requestId })).json().error.code).toBe('idempotency_mismatch');
    const open = (await staff.get('/api/v1/help-calls')).json().items;
    expect(open).toEqual([expect.objectContaining({ id: requestId, canteenId: 'ct-shipai-huashi', deviceName: '测试自助机', acknowledgedAt: null })]);
    // Another operator's staff do not see it, and cannot acknowledge it.
    const jiajia = as(t.app, await login(t.app, 'jiajia'));
    expect((await jiajia.get('/api/v1/help-calls')).json().items).toEqual([]);
    expect((await jiajia.post(`/api/v1/help-calls/${requestId}/acknowledge`)).statusCode).toBe(404);

    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const listen = (cookie: string) => {
      const ws = new WebSocket(`${address.replace('http', 'ws')}/api/v1/live?canteenId=ct-shipai-huashi`, { headers: { cookie } });
      const got: { type: string; requestId?: string }[] = [];
      const ready = new Promise<void>((resolve) => ws.on('message', (m) => (got.push(JSON.parse(String(m))), got.length === 1 && resolve())));
      return { ws, got, ready };
    };
    const caller = listen(kiosk.cookie);
    const bystander = listen(other.cookie);
    await Promise.all([caller.ready, bystander.ready]);
    const ack = await staff.post(`/api/v1/help-calls/${requestId}/acknowledge`);
    expect(ack.json()).toMatchObject({ id: requestId, acknowledgedBy: expect.any(String) });
    await expect.poll(() => caller.got.map((e) => e.type)).toContain('help.acknowledged');
    expect(caller.got.find((e) => e.type === 'help.acknowledged')).toMatchObject({ requestId });
    await new Promise((r) => setTimeout(r, 200));
    expect(bystander.got.map((e) => e.type)).toEqual(['hello']);
    expect((await staff.get('/api/v1/help-calls')).json().items).toEqual([]);
    // Acknowledging again changes nothing and tells nobody again.
    expect((await staff.post(`/api/v1/help-calls/${requestId}/acknowledge`)).json().acknowledgedAt).toBe(ack.json().acknowledgedAt);
    caller.ws.close();
    bystander.ws.close();
  });

  it('the devices page shows each kiosk’s heartbeat: online, orders waiting, clock drift, cache age', async () => {
    const kiosk = await paired();
    const staff = as(t.app, await login(t.app, 'yikang'));
    const hb = await kiosk.post('/api/v1/kiosk/heartbeat', { pendingOrders: 3, clockOffsetMs: -42_000, cacheFetchedAt: '2026-11-23T03:50:00.000Z' });
    expect(hb.json()).toEqual({ serverTime: t.clock.now().toISOString() });
    const row = () =>
      staff
        .get('/api/v1/canteens/ct-shipai-huashi/devices')
        .then((r) => r.json().find((d: { name: string; revokedAt: string | null }) => d.name === '测试自助机' && !d.revokedAt));
    expect(await row()).toMatchObject({ online: true, pendingOrders: 3, clockOffsetMs: -42_000, cacheFetchedAt: '2026-11-23T03:50:00.000Z' });
    t.clock.advance(5 * 60_000);
    expect((await row()).online).toBe(false);
    // A live socket counts as online.
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/v1/live?canteenId=ct-shipai-huashi`, { headers: { cookie: kiosk.cookie } });
    await new Promise((r) => ws.on('message', r));
    expect((await row()).online).toBe(true);
    ws.close();
    await expect.poll(async () => (await row()).online).toBe(false);
    expect((await kiosk.post('/api/v1/kiosk/heartbeat', { pendingOrders: -1, clockOffsetMs: 0, cacheFetchedAt: null })).statusCode).toBe(400);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { LiveEvent } from '@yishi/shared/schemas';
import { as, login, makeApp, type TestApp } from '../../../test/helpers';

const C = 'ct-shipai-huashi';
const SET = 'ct-shipai-huashi__set-diabetic'; // ¥12
const TODAY = '2026-11-23';

let t: TestApp;
let op: ReturnType<typeof as>;

beforeEach(async () => {
  t = await makeApp();
  op = as(t.app, await login(t.app, 'yikang'));
});
afterEach(async () => t.close());

/** Residents of 华师 with an address, who have not eaten lunch today. */
function residents(n: number): { id: string; address: string }[] {
  return t.ctx.db.readerConn
    .prepare(
      `SELECT id, address FROM residents r WHERE home_canteen_id = ? AND status = 'active' AND address IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.resident_id = r.id AND o.service_date = ?) ORDER BY id LIMIT ?`,
    )
    .all(C, TODAY, n) as { id: string; address: string }[];
}

async function deliveryOrder(residentId: string, extra: Record<string, unknown> = {}) {
  const res = await op.post('/api/v1/orders', {
    id: uuidv7(),
    canteenId: C,
    residentId,
    identifyMethod: 'staff',
    staffReason: { code: 'on_behalf', note: '家属电话订送餐' },
    lines: [{ dishId: SET, quantity: 1 }],
    fulfilment: 'delivery',
    paymentMethod: 'cash',
    externalReference: null,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; state: string; subsidies: { kind: string; amountFen: number; reason: string }[]; operatorSubsidyFen: number };
}

describe("couriers' rounds", () => {
  it('only a resident whose care level qualifies brings the delivery subsidy (care level 0 vs 3)', async () => {
    const [a, b] = residents(2);
    for (const [r, level] of [
      [a!, 0],
      [b!, 3],
    ] as const) {
      const p = await op.patch(`/api/v1/residents/${r.id}`, { careLevel: level, disabilityGrade: null });
      expect(p.statusCode, p.body).toBe(200);
    }
    const o0 = await deliveryOrder(a!.id);
    const o3 = await deliveryOrder(b!.id);
    const del = (o: typeof o0) => o.subsidies.filter((s) => s.kind === 'delivery').reduce((s, x) => s + x.amountFen, 0);
    expect(del(o0)).toBe(0);
    expect(del(o3)).toBe(400);
    expect(o3.operatorSubsidyFen - o0.operatorSubsidyFen).toBe(400);
    const stored = t.ctx.db.readerConn
      .prepare(`SELECT care_level_at_order AS c, service_date AS d, pickup_number AS p, items FROM deliveries WHERE order_id = ?`)
      .get(o3.id);
    expect(stored).toMatchObject({ c: 3, d: TODAY, items: expect.stringContaining('×1') });
  });

  it('assigns a courier, orders the stops, sends out and delivers (order completed); a lives-alone resident not reached raises an alert until acknowledged', async () => {
    const rs = residents(4);
    const alone = rs[3]!;
    expect((await op.patch(`/api/v1/residents/${alone.id}`, { livesAlone: true })).statusCode).toBe(200);
    expect((await op.patch(`/api/v1/residents/${rs[1]!.id}`, { livesAlone: false })).statusCode).toBe(200);
    const orders: Awaited<ReturnType<typeof deliveryOrder>>[] = [];
    for (const r of rs) orders.push(await deliveryOrder(r.id, { paymentMethod: 'cash' }));
    // Paid at the counter before it goes out.
    for (const o of orders) expect((await op.post(`/api/v1/orders/${o.id}/confirm-payment`, { method: 'cash' })).statusCode).toBe(200);

    const page = (await op.get(`/api/v1/canteens/${C}/deliveries?date=${TODAY}&limit=2`)).json();
    expect(page.total).toBeGreaterThanOrEqual(4);
    expect(page.items).toHaveLength(2);
    const mine = (await op.get(`/api/v1/canteens/${C}/delivery-routes?date=${TODAY}`)).json();
    const pending = mine.routes.find((r: { courier: string | null }) => r.courier === null).stops as { id: string; orderId: string }[];
    const ids = orders.map((o) => pending.find((s) => s.orderId === o.id)!.id);

    const events: LiveEvent[] = [];
    const off = t.ctx.bus.subscribe((e) => events.push(e));
    const assigned = await op.post(`/api/v1/canteens/${C}/deliveries/assign`, { deliveryIds: ids, courier: '李师傅' });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const routes = (await op.get(`/api/v1/canteens/${C}/delivery-routes?date=${TODAY}`)).json();
    const li = routes.routes.find((r: { courier: string | null }) => r.courier === '李师傅');
    expect(li.stops.map((s: { stopOrder: number }) => s.stopOrder)).toEqual([1, 2, 3, 4]);
    // Stops come street by street, community by community, then by address.
    const keys = li.stops.map((s: { streetName: string; communityName: string; address: string }) => [s.streetName ?? '', s.communityName ?? '', s.address]);
    const sorted = [...keys].sort(
      (x, y) =>
        x[0].localeCompare(y[0], 'zh-CN', { numeric: true }) ||
        x[1].localeCompare(y[1], 'zh-CN', { numeric: true }) ||
        x[2].localeCompare(y[2], 'zh-CN', { numeric: true }),
    );
    expect(keys).toEqual(sorted);
    expect(routes.couriers).toContain('李师傅');

    // Out and delivered, with who and when; the order moves on with it.
    const first = ids[0]!;
    const out = await op.post(`/api/v1/deliveries/${first}/out`, {});
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ state: 'out', orderState: 'ready', dispatchedAt: expect.any(String), dispatchedBy: expect.any(String) });
    expect((await op.post(`/api/v1/deliveries/${first}/out`, {})).statusCode).toBe(409);
    t.clock.advance(20 * 60_000);
    const done = await op.post(`/api/v1/deliveries/${first}/done`, { outcome: 'delivered' });
    expect(done.json()).toMatchObject({ state: 'delivered', orderState: 'completed', deliveredAt: expect.any(String), deliveredBy: expect.any(String) });
    expect(events.some((e) => e.type === 'order.updated' && e.order.id === orders[0]!.id && e.order.state === 'completed')).toBe(true);

    // Not reached: a failure needs a reason; a resident who lives alone raises an alert on every console page.
    const aloneDelivery = ids[3]!;
    await op.post(`/api/v1/deliveries/${aloneDelivery}/out`, {});
    const noReason = await op.post(`/api/v1/deliveries/${aloneDelivery}/done`, { outcome: 'failed' });
    expect(noReason.statusCode).toBe(400);
    const failed = await op.post(`/api/v1/deliveries/${aloneDelivery}/done`, { outcome: 'failed', reason: '敲门无人应答，电话未接' });
    expect(failed.json()).toMatchObject({ state: 'failed', failReason: '敲门无人应答，电话未接', livesAlone: true, alertAt: expect.any(String) });
    expect(events.find((e) => e.type === 'delivery.alert')).toMatchObject({ canteenId: C, alert: { deliveryId: aloneDelivery } });
    // Not reached is not collected: the counter's "complete" cannot close a delivery order (nor one still in the kitchen).
    for (const o of [orders[3]!, orders[2]!]) {
      const completed = await op.post(`/api/v1/orders/${o.id}/state`, { state: 'completed' });
      expect(completed.statusCode, completed.body).toBe(409);
      expect(completed.json().error.code).toBe('invalid_state');
    }
    expect((await op.get(`/api/v1/orders/${orders[3]!.id}`)).json().state).toBe('ready');
    expect((await op.get(`/api/v1/orders/${orders[2]!.id}`)).json().state).toBe('paid');
    // A failed delivery of someone not living alone raises none.
    await op.post(`/api/v1/deliveries/${ids[1]}/out`, {});
    expect((await op.post(`/api/v1/deliveries/${ids[1]}/done`, { outcome: 'failed', reason: '地址有误' })).json().alertAt).toBeNull();

    const alerts = (await op.get('/api/v1/delivery-alerts')).json().items;
    expect(alerts.map((a: { deliveryId: string }) => a.deliveryId)).toEqual([aloneDelivery]);
    // Street staff of the area see it too; another operator does not.
    expect((await as(t.app, await login(t.app, 'shipai')).get('/api/v1/delivery-alerts')).json().items).toHaveLength(1);
    expect((await as(t.app, await login(t.app, 'jiajia')).get('/api/v1/delivery-alerts')).json().items).toHaveLength(0);
    const ack = await op.post(`/api/v1/deliveries/${aloneDelivery}/acknowledge`, { note: '已联系女儿，长者在医院复诊，平安' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect((await op.get('/api/v1/delivery-alerts')).json().items).toHaveLength(0);
    off();
    const audits = t.ctx.db.readerConn.prepare(`SELECT action FROM audit_log WHERE action LIKE 'delivery.%' ORDER BY seq`).all() as { action: string }[];
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['delivery.assigned', 'delivery.out', 'delivery.delivered', 'delivery.failed', 'delivery.alert_acknowledged']),
    );
  });

  it('a cancelled delivery order leaves the round; out-of-scope deliveries are not found', async () => {
    const [r] = residents(1);
    const o = await deliveryOrder(r!.id);
    expect((await op.post(`/api/v1/orders/${o.id}/cancel`, { reason: '长者住院' })).statusCode).toBe(200);
    const routes = (await op.get(`/api/v1/canteens/${C}/delivery-routes?date=${TODAY}`)).json();
    expect(routes.routes.flatMap((x: { stops: { orderId: string }[] }) => x.stops).some((s: { orderId: string }) => s.orderId === o.id)).toBe(false);
    const id = (t.ctx.db.readerConn.prepare('SELECT id FROM deliveries WHERE order_id = ?').get(o.id) as { id: string }).id;
    const jiajia = as(t.app, await login(t.app, 'jiajia'));
    expect((await jiajia.post(`/api/v1/deliveries/${id}/out`, {})).statusCode).toBe(404);
    expect((await jiajia.get(`/api/v1/canteens/${C}/delivery-routes?date=${TODAY}`)).statusCode).toBe(404);
    expect((await op.post(`/api/v1/canteens/${C}/deliveries/assign`, { deliveryIds: [id], courier: '王阿姨' })).statusCode).toBe(409);
  });
});

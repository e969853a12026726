/**
 * What a kiosk may learn: pickup numbers, states and stock, never a resident's name, address or phone — on every
 * route a device may call and in every live event type (filtered per recipient; console staff still get names).
 * And a resident ticket stops at once when its card is revoked or the resident's status ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { WebSocket } from 'ws';
import { DeviceLiveEvent, LiveEvent, PickupStatus } from '@yishi/shared/schemas';
import { DEVICE_EVENT_TYPES } from '../../src/modules/live/live.service';
import { makeApp, ORIGIN, type TestApp } from '../helpers';
import { ACCESS_TABLE, type CallCtx } from './access-table';
import { findSides, loginAs, pairAt, send } from './kit';

let t: TestApp;
let c: CallCtx;
let kiosk: string;
let operator: string;
/** Every resident's name and address, and the demo phone: none may reach a kiosk unless that person just identified. */
let personal: { id: string; texts: string[] }[];

const CANTEEN = 'ct-shipai-huashi';
const HUANG = { card: '4401100002', id: 'rs-0002', name: '黄伯坚' }; // 低保, care level 3, delivers

beforeAll(async () => {
  t = await makeApp({ config: { rateLimitPerMinute: 0 } });
  const admin = await loginAs(t.app, 'admin');
  let n = 0;
  const sides = await findSides(t, admin);
  kiosk = await pairAt(t.app, admin, CANTEEN);
  c = { t, app: t.app, admin, kiosk, sides, seq: () => ++n };
  operator = await loginAs(t.app, 'yikang');
  const people = t.ctx.db.readerConn.prepare('SELECT id, name, address FROM residents').all() as { id: string; name: string; address: string | null }[];
  personal = people.map((p) => ({ id: p.id, texts: [p.name, ...(p.address ? [p.address] : [])] }));
  personal.find((p) => p.id === 'rs-0001')!.texts.push('13800138001');
  // The order the table reads as side A's is a resident's delivery: a name and an address stand behind it.
  c.sides.A.order = await kioskDeliveryOrder();
});
afterAll(async () => t.close());

async function kioskDeliveryOrder(): Promise<string> {
  const id = await send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/identify', payload: { method: 'card', cardNumber: HUANG.card } });
  expect(id.statusCode, id.body).toBe(200);
  // A kiosk order names the quote the person confirmed.
  const lines = [{ dishId: c.sides.A.dish, quantity: 1 }];
  const quote = await send(t.app, kiosk, {
    method: 'POST',
    url: '/api/v1/quotes',
    payload: { residentTicket: id.json().ticket, lines, fulfilment: 'delivery' },
  });
  expect(quote.statusCode, quote.body).toBe(200);
  const res = await send(t.app, kiosk, {
    method: 'POST',
    url: '/api/v1/orders',
    payload: {
      id: uuidv7(),
      residentTicket: id.json().ticket,
      identifyMethod: 'card',
      lines,
      fulfilment: 'delivery',
      paymentMethod: 'cash',
      quoteId: quote.json().quoteId,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** The personal data of anyone but `allowed` that appears in a text sent to a kiosk. */
function leaks(text: string, allowed: string | null = null): string[] {
  return personal.filter((p) => p.id !== allowed).flatMap((p) => p.texts.filter((x) => x.length >= 2 && text.includes(x)));
}

describe('every answer to a device carries no one’s name, address or phone', () => {
  it('each route a kiosk may call, as the access table calls it', async () => {
    const deviceRoutes = t.app.routeTable.filter((r) => r.url.startsWith('/api/v1') && r.method !== 'HEAD' && (r.access as { device?: boolean })?.device);
    expect(deviceRoutes.length).toBeGreaterThanOrEqual(6);
    const checked: string[] = [];
    for (const r of deviceRoutes) {
      const key = `${r.method} ${r.url}`;
      const row = ACCESS_TABLE[key];
      expect(row, `${key} has no access-table row`).toBeDefined();
      if (row!.websocket) continue; // the live socket: below
      const res = await send(t.app, kiosk, await row!.call(c, 'A', 'kiosk'));
      expect(res.statusCode, `${key}: ${res.body.slice(0, 200)}`).toBeLessThan(300);
      // identify answers about the person who just identified (greeting, delivery address): them, and nobody else.
      const allowed = key === 'POST /api/v1/kiosk/identify' ? (res.json().resident.id as string) : null;
      expect(leaks(res.body, allowed), key).toEqual([]);
      checked.push(key);
    }
    expect(checked).toEqual(expect.arrayContaining(['GET /api/v1/orders/:id', 'POST /api/v1/orders', 'POST /api/v1/quotes', 'GET /api/v1/kiosk/state']));
  });

  it('GET /orders/:id from a kiosk is the pickup status only; console staff get the whole order', async () => {
    const asKiosk = await send(t.app, kiosk, { method: 'GET', url: `/api/v1/orders/${c.sides.A.order}` });
    expect(Object.keys(asKiosk.json()).sort()).toEqual(Object.keys(PickupStatus.shape).sort());
    const asStaff = await send(t.app, operator, { method: 'GET', url: `/api/v1/orders/${c.sides.A.order}` });
    expect(asStaff.json()).toMatchObject({ residentName: HUANG.name, fulfilment: 'delivery' });
    expect(asStaff.json().deliveryAddress).toBeTruthy();
  });

  it('the kiosk’s own order answer is the receipt of the person there, naming nobody', async () => {
    const placed = await send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/identify', payload: { method: 'card', cardNumber: '4401100001' } });
    const lines = [{ dishId: c.sides.A.dish, quantity: 1 }];
    const quote = await send(t.app, kiosk, { method: 'POST', url: '/api/v1/quotes', payload: { residentTicket: placed.json().ticket, lines } });
    const res = await send(t.app, kiosk, {
      method: 'POST',
      url: '/api/v1/orders',
      payload: {
        id: uuidv7(),
        residentTicket: placed.json().ticket,
        identifyMethod: 'card',
        lines,
        paymentMethod: 'wallet',
        quoteId: quote.json().quoteId,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    for (const field of ['residentId', 'residentName', 'deliveryAddress', 'residentCategory', 'staffReason', 'paymentReference'])
      expect(res.json()).not.toHaveProperty(field);
    expect(res.json().balanceAfterFen).toEqual(expect.any(Number));
  });
});

describe('live events are filtered per recipient', () => {
  type Opened = { ws: WebSocket; messages: Record<string, unknown>[]; raw: string[] };
  async function open(cookie: string): Promise<Opened> {
    const messages: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const ws = await t.app.injectWS(
      `/api/v1/live?canteenId=${CANTEEN}`,
      { headers: { host: 'localhost:80', cookie, origin: ORIGIN } },
      {
        onInit: (w) =>
          w.on('message', (m) => {
            raw.push(String(m));
            messages.push(JSON.parse(String(m)));
          }),
      },
    );
    return { ws, messages, raw };
  }
  const settle = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  };

  it('every event type: the console hears names, a kiosk hears numbers, states and stock', async () => {
    const console_ = await open(operator);
    const device = await open(kiosk);
    const otherKiosk = await pairAt(t.app, c.admin, CANTEEN);
    // One of every event type, each carrying what a console may see.
    await send(t.app, c.admin, {
      method: 'PUT',
      url: `/api/v1/canteens/${CANTEEN}/menus/2026-12-08/lunch`,
      payload: { items: [{ dishId: c.sides.A.dish, portions: 20 }] },
    }); // menu.changed
    await send(t.app, c.admin, {
      method: 'POST',
      url: `/api/v1/canteens/${CANTEEN}/menus/2026-11-23/lunch/items/${c.sides.A.dish}/sold-out`,
      payload: { soldOut: false },
    }); // stock.changed
    const orderId = await kioskDeliveryOrder(); // order.created (a resident, an address) and stock.changed
    await send(t.app, operator, { method: 'POST', url: `/api/v1/orders/${orderId}/confirm-payment`, payload: { method: 'cash' } }); // order.updated
    const staffOrder = await send(t.app, operator, {
      method: 'POST',
      url: '/api/v1/orders',
      payload: {
        id: uuidv7(),
        canteenId: CANTEEN,
        residentId: 'rs-0001',
        identifyMethod: 'staff',
        lines: [{ dishId: c.sides.A.dish, quantity: 1 }],
        paymentMethod: 'cash',
        staffReason: { code: 'on_behalf', note: '女儿陈丽代为点餐' },
      },
    });
    expect(staffOrder.statusCode, staffOrder.body).toBe(201);
    // The courier's round of that delivery: assigned and out (delivery.updated), not reached (delivery.alert, the
    // resident lives alone), followed up (delivery.alert_acknowledged); and a past day closed (day.closed).
    const routes = (await send(t.app, operator, { method: 'GET', url: `/api/v1/canteens/${CANTEEN}/deliveries?date=2026-11-23` })).json();
    const deliveryId = (routes.items as { id: string; orderId: string }[]).find((d) => d.orderId === orderId)!.id;
    await send(t.app, operator, { method: 'PATCH', url: `/api/v1/residents/${HUANG.id}`, payload: { livesAlone: true } });
    expect(
      (
        await send(t.app, operator, {
          method: 'POST',
          url: `/api/v1/canteens/${CANTEEN}/deliveries/assign`,
          payload: { deliveryIds: [deliveryId], courier: '李师傅' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await send(t.app, operator, { method: 'POST', url: `/api/v1/deliveries/${deliveryId}/out`, payload: {} })).statusCode).toBe(200);
    const failed = await send(t.app, operator, {
      method: 'POST',
      url: `/api/v1/deliveries/${deliveryId}/done`,
      payload: { outcome: 'failed', reason: '敲门无人应答' },
    });
    expect(failed.json().alertAt, failed.body).toEqual(expect.any(String));
    expect(
      (await send(t.app, operator, { method: 'POST', url: `/api/v1/deliveries/${deliveryId}/acknowledge`, payload: { note: '已联系女儿陈丽' } })).statusCode,
    ).toBe(200);
    const past = (await send(t.app, operator, { method: 'GET', url: `/api/v1/canteens/${CANTEEN}/closes/2026-11-20` })).json();
    const closed = await send(t.app, operator, {
      method: 'POST',
      url: `/api/v1/canteens/${CANTEEN}/closes/2026-11-20`,
      payload: { cashCountedFen: past.cash.expectedFen },
    });
    expect(closed.statusCode, closed.body).toBe(201);
    const myCall = uuidv7();
    await send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/help', payload: { requestId: myCall } }); // help.requested (this kiosk)
    await send(t.app, otherKiosk, { method: 'POST', url: '/api/v1/kiosk/help', payload: { requestId: uuidv7() } }); // help.requested (another kiosk)
    // 已处理: help.acknowledged (to the consoles, and to the kiosk that called, without who).
    await send(t.app, operator, { method: 'POST', url: `/api/v1/help-calls/${myCall}/acknowledge` });
    // An offline guest order for a meal weeks back, refused on arrival (order.refused), then handled (order.refusal_handled).
    const refusedId = uuidv7();
    const refused = await send(t.app, kiosk, {
      method: 'POST',
      url: '/api/v1/orders',
      payload: {
        id: refusedId,
        residentId: null,
        identifyMethod: 'guest',
        lines: [{ dishId: c.sides.A.dish, quantity: 1 }],
        paymentMethod: 'cash',
        clientCreatedAt: '2026-11-01T04:00:00.000Z',
        offline: {
          serviceDate: '2026-11-01',
          mealPeriod: 'lunch',
          quotedElderPaysFen: 500,
          quotedElderSubsidyFen: 0,
          policyVersionIds: [],
          clockOffsetMs: 0,
          identifiedBy: null,
        },
      },
    });
    expect(refused.statusCode, refused.body).toBe(400);
    const handled = await send(t.app, operator, { method: 'POST', url: `/api/v1/order-reviews/refused/${refusedId}/handle`, payload: { note: '' } });
    expect(handled.statusCode, handled.body).toBe(200);

    const types = LiveEvent.options.map((o) => o.shape.type.value);
    await settle(
      () => types.every((ty) => console_.messages.some((m) => m.type === ty)) && device.messages.filter((m) => m.type === 'help.requested').length >= 1,
    );
    await new Promise((r) => setTimeout(r, 50));

    // The console heard every type, with the resident's name on the order events.
    for (const ty of types)
      expect(
        console_.messages.some((m) => m.type === ty),
        `console heard ${ty}`,
      ).toBe(true);
    const created = console_.messages.find((m) => m.type === 'order.created' && (m.order as { id: string }).id === orderId)!;
    expect(created.order).toMatchObject({ residentName: HUANG.name, fulfilment: 'delivery' });

    // The kiosk heard every type that has a device form (all of them), each in exactly its device shape.
    const staffOnly = ['delivery.updated', 'delivery.alert', 'delivery.alert_acknowledged', 'day.closed', 'order.refused', 'order.refusal_handled'];
    expect([...DEVICE_EVENT_TYPES].sort()).toEqual(types.filter((ty) => !staffOnly.includes(ty)).sort());
    for (const ty of staffOnly)
      expect(
        device.messages.some((m) => m.type === ty),
        `kiosk heard ${ty}`,
      ).toBe(false);
    for (const ty of DEVICE_EVENT_TYPES)
      expect(
        device.messages.some((m) => m.type === ty),
        `kiosk heard ${ty}`,
      ).toBe(true);
    for (const m of device.messages) {
      expect(DeviceLiveEvent.safeParse(m).success, JSON.stringify(m)).toBe(true);
      if (m.type === 'order.created' || m.type === 'order.updated')
        expect(Object.keys(m.order as object).sort()).toEqual(Object.keys(PickupStatus.shape).sort());
    }
    // Its own call for help, not the other kiosk's.
    expect(device.messages.filter((m) => m.type === 'help.requested').map((m) => m.deviceName)).toEqual(['安全测试机']);
    // Nobody's name, address or phone in anything a kiosk received; nor the staff note.
    const everything = device.raw.join('\n');
    expect(leaks(everything)).toEqual([]);
    expect(everything).not.toContain('陈丽');
    console_.ws.terminate();
    device.ws.terminate();
  });
});

describe('a resident ticket stops at once', () => {
  const order = (ticket: string) =>
    send(t.app, kiosk, {
      method: 'POST',
      url: '/api/v1/orders',
      payload: { id: uuidv7(), residentTicket: ticket, identifyMethod: 'card', lines: [{ dishId: c.sides.A.dish, quantity: 1 }], paymentMethod: 'cash' },
    });
  const quote = (ticket: string) =>
    send(t.app, kiosk, { method: 'POST', url: '/api/v1/quotes', payload: { residentTicket: ticket, lines: [{ dishId: c.sides.A.dish, quantity: 1 }] } });

  it('when the card it was issued on is revoked', async () => {
    const card = await send(t.app, c.admin, { method: 'POST', url: '/api/v1/residents/rs-0003/cards', payload: { kind: 'ss_card', number: 'LOST2026001' } });
    expect(card.statusCode, card.body).toBe(201);
    const ticket = (await send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/identify', payload: { method: 'card', cardNumber: 'LOST2026001' } })).json()
      .ticket as string;
    expect((await quote(ticket)).statusCode).toBe(200);
    // Reported lost: revoked in the console. The ticket (valid for 15 minutes) no longer works, at once.
    await send(t.app, operator, { method: 'DELETE', url: `/api/v1/residents/rs-0003/cards/${card.json().card.id}` });
    for (const res of [await quote(ticket), await order(ticket)]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'unauthenticated', details: { revoked: true } });
    }
    // The resident's other card still identifies them.
    expect(
      (await send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/identify', payload: { method: 'card', cardNumber: '4401100003' } })).statusCode,
    ).toBe(200);
  });

  it('when the resident’s status ends (recorded as deceased from today)', async () => {
    const ticket = (await send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/identify', payload: { method: 'card', cardNumber: '4401100004' } })).json()
      .ticket as string;
    expect((await quote(ticket)).statusCode).toBe(200);
    const r = t.ctx.db.readerConn.prepare(`SELECT id FROM resident_tokens WHERE last4 = '0004' AND resident_id = 'rs-0004'`).get();
    expect(r).toBeDefined();
    const keeper = await loginAs(t.app, 'admin');
    const upd = await send(t.app, keeper, { method: 'PATCH', url: '/api/v1/residents/rs-0004', payload: { status: 'deceased', statusSince: '2026-11-23' } });
    expect(upd.statusCode, upd.body).toBe(200);
    for (const res of [await quote(ticket), await order(ticket)]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('resident_inactive');
    }
  });
});

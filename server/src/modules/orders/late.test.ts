/**
 * Orders that reach the server late: priced by a kiosk offline from its cache, or sent from its outbox after the
 * quote ran out. Each is stored once however often it is sent, re-priced at its own meal, kept as served, and
 * flagged for review with both figures where the server's differs; no meal period pays a subsidy twice.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import { as, login, makeApp, pairKiosk, withQuote, type TestApp } from '../../../test/helpers';
import { guangzhou2024 } from '@yishi/shared';
import { DEMO_PIN } from '../../seed';

const HUASHI = 'ct-shipai-huashi';
const LONGKOU = 'ct-shipai-longkou';
const SET = (c: string) => `${c}__set-diabetic`; // ¥12 at both
const CHEN_CARD = '4401100001'; // 陈秀英: Guangzhou 户籍, 78: ¥3 city meal subsidy on a ¥12 lunch
const TODAY = '2026-11-23';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

type Api = ReturnType<typeof as>;

async function kioskAt(canteenId: string, operator: string): Promise<{ api: Api; cookie: string; key: Buffer; keyId: string }> {
  const cookie = await pairKiosk(t.app, canteenId, operator);
  const api = as(t.app, cookie);
  const snap = await api.get('/api/v1/kiosk/offline-cache');
  expect(snap.statusCode, snap.body).toBe(200);
  const { key } = snap.json() as { key: { id: string; raw: string } };
  return { api, cookie, key: Buffer.from(key.raw, 'base64url'), keyId: key.id };
}

/** What the kiosk computes offline: base64url(HMAC-SHA-256(its key, 'card:' + the card number)). */
function cardHash(key: Buffer, card: string): string {
  return createHmac('sha256', key).update(`card:${card.trim().toUpperCase()}`).digest('base64url');
}

/** Phone + PIN as the kiosk hashes it offline: base64url(HMAC-SHA-256(its key, 'phone_pin:' + phone + ':' + PIN)). */
function phonePinHash(key: Buffer, phone: string, pin: string): string {
  return createHmac('sha256', key).update(`phone_pin:${phone}:${pin}`).digest('base64url');
}

function offlineOrder(
  k: { key: Buffer; keyId: string },
  canteenId: string,
  over: { pays?: number; subsidy?: number; payment?: 'wallet' | 'cash'; at?: string; card?: string | null; residentId?: string } = {},
) {
  const card = over.card === undefined ? CHEN_CARD : over.card;
  return {
    id: uuidv7(),
    residentId: card ? (over.residentId ?? 'rs-0001') : null,
    identifyMethod: card ? 'card' : 'guest',
    lines: [{ dishId: SET(canteenId), quantity: 1 }],
    paymentMethod: over.payment ?? 'cash',
    clientCreatedAt: over.at ?? '2026-11-23T03:55:00.000Z',
    offline: {
      serviceDate: TODAY,
      mealPeriod: 'lunch',
      quotedElderPaysFen: over.pays ?? (card ? 900 : 1200),
      quotedElderSubsidyFen: over.subsidy ?? (card ? 300 : 0),
      policyVersionIds: ['pv-guangzhou-2024-v1', 'pv-tianhe-top-up-v1'],
      clockOffsetMs: 0,
      identifiedBy: card ? { method: 'card', credentialHash: cardHash(k.key, card), keyId: k.keyId } : null,
    },
  };
}

describe('the offline cache a kiosk is given', () => {
  it('holds keyed hashes under its own key, masked names, and nothing a thief could use elsewhere', async () => {
    const a = await kioskAt(HUASHI, 'yikang');
    const res = await a.api.get('/api/v1/kiosk/offline-cache');
    expect(res.headers['cache-control']).toContain('no-store');
    const snap = res.json();
    const body = res.body;
    // The card number, the phone, the PIN, the full name never appear; phone + PIN only as a keyed hash.
    for (const secret of [CHEN_CARD, DEMO_PIN.phone, DEMO_PIN.pin, '陈秀英', '黄伯坚']) expect(body).not.toContain(secret);
    expect(snap.credentials.every((c: { kind: string }) => ['card', 'qr', 'phone_pin'].includes(c.kind))).toBe(true);
    expect(snap.credentials).toContainEqual({ hash: phonePinHash(a.key, DEMO_PIN.phone, DEMO_PIN.pin), kind: 'phone_pin', residentKey: 'rs-0001' });
    expect(snap.key.id).toBe('d20261123'); // the key of the day
    const chen = snap.residents.find((r: { residentKey: string }) => r.residentKey === 'rs-0001');
    expect(chen).toMatchObject({ maskedName: '陈*英', gender: 'female' });
    expect(chen.facts).toMatchObject({ id: 'rs-0001', status: 'active' });
    expect(snap.credentials).toContainEqual({ hash: cardHash(a.key, CHEN_CARD), kind: 'card', residentKey: 'rs-0001' });
    // Good for 48 hours at most; today's and tomorrow's menus; the policies of the days it may be used.
    expect(Date.parse(snap.expiresAt) - Date.parse(snap.issuedAt)).toBe(48 * 3600_000);
    expect(new Set(snap.menus.map((m: { serviceDate: string }) => m.serviceDate))).toEqual(new Set([TODAY, '2026-11-24']));
    expect(snap.policiesByDate.map((d: { date: string }) => d.date)).toEqual([TODAY, '2026-11-24', '2026-11-25']);
    expect(snap.walletOfflineLimitFen).toBe(2000);

    // Another kiosk's key gives other hashes: one stolen kiosk's cache says nothing about another's.
    const b = await kioskAt(HUASHI, 'yikang');
    expect(b.key.equals(a.key)).toBe(false);
    expect(cardHash(b.key, CHEN_CARD)).not.toBe(cardHash(a.key, CHEN_CARD));
  });

  it('a revoked card leaves the cache; a card from before values were kept joins it once tapped online', async () => {
    const staff = as(t.app, await login(t.app, 'yikang'));
    const added = (await staff.post('/api/v1/residents/rs-0001/cards', { kind: 'senior_card', number: 'SC440001' })).json();
    const a = await kioskAt(HUASHI, 'yikang');
    const hashes = async () => (await a.api.get('/api/v1/kiosk/offline-cache')).json().credentials.map((c: { hash: string }) => c.hash);
    expect(await hashes()).toContain(cardHash(a.key, 'SC440001'));
    await staff.delete(`/api/v1/residents/rs-0001/cards/${added.card.id}`);
    expect(await hashes()).not.toContain(cardHash(a.key, 'SC440001'));

    // An old card (no kept value): not in the cache until it is tapped online.
    t.ctx.db.writer.prepare("UPDATE resident_tokens SET token_enc = NULL WHERE resident_id = 'rs-0002'").run();
    t.ctx.db.forgetAll(); // raw SQL behind drizzle: what the server kept of it is dropped
    expect(await hashes()).not.toContain(cardHash(a.key, '4401100002'));
    expect((await a.api.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100002' })).statusCode).toBe(200);
    expect(await hashes()).toContain(cardHash(a.key, '4401100002'));
  });
});

describe('phone + PIN in the offline cache', () => {
  // (GET /kiosk/offline-cache is limited to 6 a minute: each test below stays within that.)
  const hashesOf = async (k: { api: Api }) =>
    ((await k.api.get('/api/v1/kiosk/offline-cache')).json() as { credentials: { hash: string; kind: string; residentKey: string }[] }).credentials;
  const pinHashesOf = async (k: { api: Api }, residentKey: string) =>
    (await hashesOf(k)).filter((c) => c.kind === 'phone_pin' && c.residentKey === residentKey).map((c) => c.hash);

  it('a new PIN replaces the old hash', async () => {
    const staff = as(t.app, await login(t.app, 'yikang'));
    const k = await kioskAt(HUASHI, 'yikang');
    expect(await pinHashesOf(k, 'rs-0001')).toEqual([phonePinHash(k.key, DEMO_PIN.phone, DEMO_PIN.pin)]);
    expect((await staff.post('/api/v1/residents/rs-0001/pin', { pin: '357913' })).statusCode).toBe(200);
    expect(await pinHashesOf(k, 'rs-0001')).toEqual([phonePinHash(k.key, DEMO_PIN.phone, '357913')]);
  });

  it('a PIN locked online after wrong tries is left out of the cache until the lock ends', async () => {
    const k = await kioskAt(HUASHI, 'yikang');
    for (let i = 0; i < 5; i++) await k.api.post('/api/v1/kiosk/identify', { method: 'phone_pin', phone: DEMO_PIN.phone, pin: '975310' });
    expect(await pinHashesOf(k, 'rs-0001')).toEqual([]);
    t.clock.advance(31 * 60_000);
    expect(await pinHashesOf(k, 'rs-0001')).toEqual([phonePinHash(k.key, DEMO_PIN.phone, DEMO_PIN.pin)]);
  });

  it('a PIN set before PINs were kept (only its scrypt hash) joins the cache once used online, kept encrypted', async () => {
    t.ctx.db.writer.prepare("UPDATE residents SET pin_enc = NULL WHERE id = 'rs-0001'").run();
    t.ctx.db.forgetAll(); // raw SQL behind drizzle: what the server kept of it is dropped
    const k = await kioskAt(HUASHI, 'yikang');
    expect(await pinHashesOf(k, 'rs-0001')).toEqual([]);
    expect((await k.api.post('/api/v1/kiosk/identify', { method: 'phone_pin', phone: DEMO_PIN.phone, pin: DEMO_PIN.pin })).statusCode).toBe(200);
    expect(await pinHashesOf(k, 'rs-0001')).toEqual([phonePinHash(k.key, DEMO_PIN.phone, DEMO_PIN.pin)]);
    const row = t.ctx.db.readerConn.prepare("SELECT pin_enc AS e FROM residents WHERE id = 'rs-0001'").get() as { e: string };
    expect(row.e).not.toContain(DEMO_PIN.pin);
    expect(t.ctx.crypto.decrypt(row.e)).toBe(DEMO_PIN.pin);
  });

  it('an order identified offline by phone + PIN is stored once at the server’s price; a wrong or stale PIN hash is refused', async () => {
    const k = await kioskAt(HUASHI, 'yikang');
    const byPin = (pin: string) => {
      const o = offlineOrder(k, HUASHI);
      return {
        ...o,
        identifyMethod: 'phone_pin',
        offline: { ...o.offline, identifiedBy: { method: 'phone_pin', credentialHash: phonePinHash(k.key, DEMO_PIN.phone, pin), keyId: k.keyId } },
      };
    };
    const wrong = await k.api.post('/api/v1/orders', byPin('975310'));
    expect(wrong.statusCode, wrong.body).toBe(403);
    expect(wrong.json().error.code).toBe('offline_identity_invalid');
    const body = byPin(DEMO_PIN.pin);
    const res = await k.api.post('/api/v1/orders', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ identifyMethod: 'phone_pin', elderSubsidyFen: 300, elderPaysFen: 900, review: { flagged: false } });
    expect((await k.api.post('/api/v1/orders', body)).statusCode).toBe(200);
    // Staff change the PIN before the kiosk syncs: the hash made with the old one no longer proves who it was.
    const staff = as(t.app, await login(t.app, 'yikang'));
    await staff.post('/api/v1/residents/rs-0001/pin', { pin: '357913' });
    expect((await k.api.post('/api/v1/orders', byPin(DEMO_PIN.pin))).json().error.code).toBe('offline_identity_invalid');
  });
});

describe('offline orders refused on arrival (被拒收)', () => {
  it('reach the canteen’s consoles over the live socket as they are kept and handled, once each; kiosks hear none of it', async () => {
    const k = await kioskAt(HUASHI, 'yikang');
    const staff = await login(t.app, 'yikang');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const listen = async (cookie: string) => {
      const ws = new WebSocket(`${address.replace('http', 'ws')}/api/v1/live?canteenId=${HUASHI}`, { headers: { cookie } });
      const events: { type: string; orderId?: string; serviceDate?: string }[] = [];
      let wake = () => {};
      ws.on('message', (m) => {
        events.push(JSON.parse(String(m)));
        wake();
      });
      const until = (type: string) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ${type} in ${JSON.stringify(events)}`)), 5000);
          wake = () => events.some((e) => e.type === type) && (clearTimeout(timer), resolve());
          wake();
        });
      await until('hello');
      return { ws, events, until };
    };
    const consoleSocket = await listen(staff);
    const kioskSocket = await listen(k.cookie);

    const forged = offlineOrder(k, HUASHI, { card: '4401100004' });
    for (let i = 0; i < 2; i++) expect((await k.api.post('/api/v1/orders', forged)).statusCode).toBe(403);
    const handled = await as(t.app, staff).post(`/api/v1/order-reviews/refused/${forged.id}/handle`, { note: '已在柜台收现金' });
    expect(handled.statusCode, handled.body).toBe(200);
    await consoleSocket.until('order.refusal_handled');
    const refusalEvents = (e: { type: string }) => e.type.startsWith('order.refus');
    expect(consoleSocket.events.filter(refusalEvents)).toEqual([
      { type: 'order.refused', canteenId: HUASHI, orderId: forged.id, serviceDate: TODAY },
      { type: 'order.refusal_handled', canteenId: HUASHI, orderId: forged.id, serviceDate: TODAY },
    ]);
    // The kiosk's socket hears its own call for help, sent after both: nothing about the refusal came before it.
    expect((await k.api.post('/api/v1/kiosk/help', { requestId: uuidv7() })).statusCode).toBe(200);
    await kioskSocket.until('help.requested');
    expect(kioskSocket.events.filter(refusalEvents)).toEqual([]);
    consoleSocket.ws.close();
    kioskSocket.ws.close();
  });

  it('are kept once for the canteen’s staff with what the kiosk showed, seen only in their scope, and handled once', async () => {
    const k = await kioskAt(HUASHI, 'yikang');
    // A card that is not 陈秀英's: the hash proves nobody, and the order is refused as before, storing no order.
    const forged = offlineOrder(k, HUASHI, { card: '4401100004' });
    for (let i = 0; i < 2; i++) {
      const res = await k.api.post('/api/v1/orders', forged);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe('offline_identity_invalid');
    }
    expect((t.ctx.db.readerConn.prepare('SELECT count(*) AS n FROM orders WHERE id = ?').get(forged.id) as { n: number }).n).toBe(0);

    const staff = as(t.app, await login(t.app, 'yikang'));
    const q = '/api/v1/order-reviews/refused?from=2026-11-23&to=2026-11-23';
    const page = (await staff.get(q)).json();
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      orderId: forged.id,
      ref: forged.id.slice(-6).toUpperCase(),
      canteenId: HUASHI,
      residentId: 'rs-0001',
      residentName: '陈秀英',
      serviceDate: TODAY,
      mealPeriod: 'lunch',
      lines: [{ dishId: SET(HUASHI), name: '控糖套餐', quantity: 1 }],
      paymentMethod: 'cash',
      quotedElderPaysFen: 900,
      quotedElderSubsidyFen: 300,
      madeAt: '2026-11-23T03:55:00.000Z',
      code: 'offline_identity_invalid',
      handledAt: null,
    });
    expect(page.items[0].deviceName).toEqual(expect.any(String));

    // Another canteen's staff neither see nor handle it.
    const other = as(t.app, await login(t.app, 'jiajia'));
    expect((await other.get(q)).json().total).toBe(0);
    expect((await other.post(`/api/v1/order-reviews/refused/${forged.id}/handle`, { note: '' })).statusCode).toBe(404);

    // Handled once: four at the same moment (a double tap, two colleagues) — one is done, the others told so.
    const tries = await Promise.all([1, 2, 3, 4].map(() => staff.post(`/api/v1/order-reviews/refused/${forged.id}/handle`, { note: '已在柜台收现金 ¥12' })));
    expect(tries.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const done = tries.find((r) => r.statusCode === 200)!;
    expect(done.json()).toMatchObject({ handledNote: '已在柜台收现金 ¥12', handledByName: expect.any(String), handledAt: expect.any(String) });
    const again = await staff.post(`/api/v1/order-reviews/refused/${forged.id}/handle`, { note: '' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
    expect((await staff.get(q)).json().total).toBe(0);
    expect((await staff.get(`${q}&status=handled`)).json().total).toBe(1);
    const actions = t.ctx.db.readerConn.prepare('SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq').all(forged.id) as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual(['order.refused', 'order.refusal_handled']);

    // Console staff keying an offline order are answered 400 and nothing is kept (only a kiosk's refusals are).
    expect((await staff.post('/api/v1/orders', { ...offlineOrder(k, HUASHI), canteenId: HUASHI })).statusCode).toBe(400);
    expect((await staff.get(`${q}&status=all`)).json().total).toBe(1);
  });
});

describe('the offline key of the day', () => {
  it('rotates on the first refresh of a new day; an order hashed with an old key is accepted while its cache could be in use, never later', async () => {
    const k = await kioskAt(HUASHI, 'yikang');
    expect(k.keyId).toBe('d20261123');
    const made = offlineOrder(k, HUASHI, { at: '2026-11-23T03:55:00.000Z' });
    t.clock.advance(24 * 3600_000);
    const next = await kioskAt(HUASHI, 'yikang');
    const snap = (await k.api.get('/api/v1/kiosk/offline-cache')).json() as { key: { id: string; raw: string } };
    expect(snap.key.id).toBe('d20261124');
    expect(Buffer.from(snap.key.raw, 'base64url').equals(k.key)).toBe(false);
    expect(next.keyId).toBe('d20261124');
    // Yesterday's key, an order made yesterday and sent today: fine.
    const res = await k.api.post('/api/v1/orders', made);
    expect(res.statusCode, res.body).toBe(201);
    // Made (by a trusted clock) more than 48 hours after its key's day ended: that cache had expired.
    t.clock.advance(2 * 24 * 3600_000);
    const late = offlineOrder(k, HUASHI, { at: new Date(t.clock.now().getTime() - 60_000).toISOString() });
    expect((await k.api.post('/api/v1/orders', late)).json().error.code).toBe('offline_identity_invalid');
    // A key of a day still to come is never one this server gave.
    const future = { ...made, id: uuidv7(), offline: { ...made.offline, identifiedBy: { ...made.offline.identifiedBy!, keyId: 'd20261231' } } };
    expect((await k.api.post('/api/v1/orders', future)).json().error.code).toBe('offline_identity_invalid');
  });
});

describe('orders priced offline', () => {
  it('each is stored once however often it is sent, at the server’s price, kept as the kiosk served it', async () => {
    const k = await kioskAt(HUASHI, 'yikang');
    const body = offlineOrder(k, HUASHI);
    const sends = await Promise.all([1, 2, 3, 4].map(() => k.api.post('/api/v1/orders', body)));
    expect(sends.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 201]);
    const again = await k.api.post('/api/v1/orders', body);
    expect(again.statusCode).toBe(200);
    const o = again.json();
    // The kiosk gets its receipt, naming nobody; the order is the resident's.
    expect(o.residentId).toBeUndefined();
    expect(t.ctx.db.readerConn.prepare('SELECT resident_id AS r FROM orders WHERE id = ?').get(body.id)).toEqual({ r: 'rs-0001' });
    expect(o).toMatchObject({
      id: body.id,
      offline: true,
      clientCreatedAt: body.clientCreatedAt,
      createdAt: '2026-11-23T03:55:00.000Z', // when the elder was served, not when it arrived
      mealPriceFen: 1200,
      elderSubsidyFen: 300,
      elderPaysFen: 900,
      state: 'awaiting_payment',
      identifyMethod: 'card',
      review: {
        flagged: false,
        reason: null,
        kioskFigure: { elderPaysFen: 900, elderSubsidyFen: 300 },
        serverFigure: { elderPaysFen: 900, elderSubsidyFen: 300 },
      },
    });
    const n = t.ctx.db.readerConn.prepare('SELECT count(*) AS n FROM orders WHERE id = ?').get(body.id) as { n: number };
    expect(n.n).toBe(1);

    // At the counter the elder quotes the 尾号 the kiosk gave (the id's last 6 characters): staff find it by that.
    const staff = as(t.app, await login(t.app, 'yikang'));
    const ref = body.id.slice(-6).toUpperCase();
    const found = (await staff.get(`/api/v1/orders?canteenId=${HUASHI}&date=${TODAY}&ref=${ref}`)).json();
    expect(found.items.map((x: { id: string; offline: boolean }) => [x.id, x.offline])).toEqual([[body.id, true]]);
    const other = ref === '000000' ? '111111' : '000000';
    expect((await staff.get(`/api/v1/orders?canteenId=${HUASHI}&date=${TODAY}&ref=${other}`)).json().items).toHaveLength(0);
    const bad = await staff.get(`/api/v1/orders?canteenId=${HUASHI}&ref=${encodeURIComponent('%25')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0]).toMatchObject({ path: 'ref' });
  });

  it('served offline when the menu said none were left: counted sold, flagged, and a cancel gives back only what was counted', async () => {
    const k = await kioskAt(HUASHI, 'yikang');
    const staff = as(t.app, await login(t.app, 'yikang'));
    const slot = `/api/v1/canteens/${HUASHI}/menus/${TODAY}/lunch`;
    const stock = async () => {
      const item = ((await staff.get(slot)).json().items as { dish: { id: string }; portions: number | null; sold: number; remaining: number | null }[]).find(
        (i) => i.dish.id === SET(HUASHI),
      )!;
      return { sold: item.sold, remaining: item.remaining };
    };
    const { sold } = await stock();
    // The counter sold the last portion while the kiosk was offline and served one more from the pot.
    expect((await staff.post(`${slot}/items/${SET(HUASHI)}/portions`, { portions: sold })).statusCode).toBe(200);
    expect(await stock()).toEqual({ sold, remaining: 0 });
    const body = offlineOrder(k, HUASHI);
    const res = await k.api.post('/api/v1/orders', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().review).toMatchObject({ flagged: true, reason: 'sold_out' });
    expect(await stock()).toEqual({ sold: sold + 1, remaining: 0 });
    // Cancelled at the counter: it gives back the portion it counted, and not one the menu never had.
    expect((await staff.post(`/api/v1/orders/${body.id}/cancel`, { reason: '长者没有取餐' })).statusCode).toBe(200);
    expect(await stock()).toEqual({ sold, remaining: 0 });
    const guest = await k.api.post('/api/v1/quotes', { residentTicket: null, lines: [{ dishId: SET(HUASHI), quantity: 1 }] });
    expect(guest.json().error?.code, guest.body).toBe('sold_out');
  });

  it('the same resident offline at two canteens in one lunch: one subsidy paid, the other flagged with both figures', async () => {
    const huashi = await kioskAt(HUASHI, 'yikang');
    const longkou = await kioskAt(LONGKOU, 'jiajia');
    const first = await huashi.api.post('/api/v1/orders', offlineOrder(huashi, HUASHI, { at: '2026-11-23T03:40:00.000Z' }));
    const second = await longkou.api.post('/api/v1/orders', offlineOrder(longkou, LONGKOU, { at: '2026-11-23T03:50:00.000Z' }));
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode, second.body).toBe(201);
    expect(first.json()).toMatchObject({ elderSubsidyFen: 300, review: { flagged: false } });
    expect(second.json()).toMatchObject({
      canteenId: LONGKOU,
      elderSubsidyFen: 0,
      elderPaysFen: 1200,
      review: {
        flagged: true,
        reason: 'subsidy_used_elsewhere',
        kioskFigure: { elderPaysFen: 900, elderSubsidyFen: 300 },
        serverFigure: { elderPaysFen: 1200, elderSubsidyFen: 0 },
      },
    });
    // No layer paid twice for this lunch, and the settlement's scan finds the second one.
    const paid = t.ctx.db.readerConn
      .prepare(
        "SELECT count(*) AS n FROM orders WHERE resident_id = 'rs-0001' AND service_date = ? AND meal_period = 'lunch' AND elder_subsidy_fen > 0 AND state NOT IN ('cancelled','refunded')",
      )
      .get(TODAY) as { n: number };
    expect(paid.n).toBe(1);
    const flagged = t.ctx.db.readerConn.prepare("SELECT order_id AS id FROM order_reviews WHERE flagged = 1 AND reason = 'subsidy_used_elsewhere'").all();
    expect(flagged).toEqual([{ id: second.json().id }]);
  });

  it('a credential hash the server did not issue to that kiosk is refused and stores nothing', async () => {
    const huashi = await kioskAt(HUASHI, 'yikang');
    const other = await kioskAt(HUASHI, 'yikang');
    // Hashed under another kiosk's key, for another resident, or of a card that is not theirs.
    const forged = [
      offlineOrder({ key: other.key, keyId: other.keyId }, HUASHI),
      offlineOrder(huashi, HUASHI, { residentId: 'rs-0002' }),
      offlineOrder(huashi, HUASHI, { card: '4401100004' }),
      {
        ...offlineOrder(huashi, HUASHI),
        offline: { ...offlineOrder(huashi, HUASHI).offline, identifiedBy: { method: 'card', credentialHash: cardHash(huashi.key, CHEN_CARD), keyId: 'k9' } },
      },
    ];
    for (const body of forged) {
      const res = await huashi.api.post('/api/v1/orders', body);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe('offline_identity_invalid');
    }
    // A resident named without how they were identified, or an offline order from console staff.
    const bare = offlineOrder(huashi, HUASHI);
    expect((await huashi.api.post('/api/v1/orders', { ...bare, offline: { ...bare.offline, identifiedBy: null } })).statusCode).toBe(400);
    const staff = as(t.app, await login(t.app, 'yikang'));
    expect((await staff.post('/api/v1/orders', { ...bare, canteenId: HUASHI })).statusCode).toBe(400);
    expect((t.ctx.db.readerConn.prepare('SELECT count(*) AS n FROM orders WHERE offline = 1').get() as { n: number }).n).toBe(0);
  });

  it('offline wallet payment: taken up to the canteen’s limit a day; beyond it the order waits at the counter, flagged', async () => {
    const k = await kioskAt(HUASHI, 'yikang');
    t.ctx.db.writer.prepare(`UPDATE canteens SET wallet_offline_limit_fen = 1000 WHERE id = ?`).run(HUASHI);
    t.ctx.db.forgetAll(); // raw SQL behind drizzle: what the server kept of it is dropped
    const first = (await k.api.post('/api/v1/orders', offlineOrder(k, HUASHI, { payment: 'wallet', at: '2026-11-23T03:30:00.000Z' }))).json();
    expect(first).toMatchObject({ paymentMethod: 'wallet', state: 'paid', elderPaysFen: 900, review: { flagged: false } });
    // A second lunch (no subsidy, ¥12) would go past ¥10 a day: the kiosk could not have charged it.
    const second = (
      await k.api.post('/api/v1/orders', offlineOrder(k, HUASHI, { payment: 'wallet', pays: 1200, subsidy: 0, at: '2026-11-23T03:45:00.000Z' }))
    ).json();
    expect(second).toMatchObject({ paymentMethod: 'cash', state: 'awaiting_payment', elderPaysFen: 1200, review: { flagged: true, reason: 'wallet_limit' } });
    // Never more from the wallet than the elder confirmed.
    t.ctx.db.writer.prepare(`UPDATE canteens SET wallet_offline_limit_fen = 10000 WHERE id = ?`).run(HUASHI);
    t.ctx.db.forgetAll(); // raw SQL behind drizzle: what the server kept of it is dropped
    const third = (
      await k.api.post('/api/v1/orders', offlineOrder(k, HUASHI, { payment: 'wallet', pays: 900, subsidy: 300, at: '2026-11-23T03:50:00.000Z' }))
    ).json();
    expect(third).toMatchObject({ paymentMethod: 'cash', state: 'awaiting_payment', elderPaysFen: 1200 });
    expect(third.review.reasons).toEqual(['subsidy_used_elsewhere', 'not_confirmed']);
  });

  it('a kiosk clock that cannot be right is not believed; a meal far from today is refused', async () => {
    const k = await kioskAt(HUASHI, 'yikang');
    const future = (await k.api.post('/api/v1/orders', offlineOrder(k, HUASHI, { card: null, at: '2027-03-01T04:00:00.000Z' }))).json();
    expect(future).toMatchObject({ createdAt: t.clock.now().toISOString(), review: { flagged: true, reason: 'clock_untrusted' } });
    const old = offlineOrder(k, HUASHI, { card: null });
    const res = await k.api.post('/api/v1/orders', { ...old, offline: { ...old.offline, serviceDate: '2026-11-01' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual({ field: 'offline.serviceDate' });
  });
});

describe('an order sent from the outbox after its quote ran out', () => {
  async function quoted(api: Api, ticket: string) {
    return withQuote(api, {
      id: uuidv7(),
      residentTicket: ticket,
      identifyMethod: 'card',
      lines: [{ dishId: SET(HUASHI), quantity: 1 }],
      paymentMethod: 'wallet',
      clientCreatedAt: t.clock.now().toISOString(),
    });
  }

  it('is placed at the meal it was confirmed in, charged the quote, however late it arrives', async () => {
    const api = as(t.app, await pairKiosk(t.app));
    const ticket = (await api.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: CHEN_CARD })).json().ticket;
    const body = await quoted(api, ticket);
    expect(body.quoteId).toBeDefined();
    t.clock.set('2026-11-23T17:30:00+08:00'); // dinner: ticket and quote long gone, the elder long gone
    const res = await api.post('/api/v1/orders', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      mealPeriod: 'lunch',
      elderPaysFen: 900,
      state: 'paid',
      paymentMethod: 'wallet',
      offline: false,
      review: { flagged: false, kioskFigure: { elderPaysFen: 900 }, serverFigure: { elderPaysFen: 900 } },
    });
    expect((await api.post('/api/v1/orders', body)).statusCode).toBe(200);
  });

  it('a policy published meanwhile: kept at the meal it was served, with the server’s figure, flagged for review', async () => {
    const api = as(t.app, await pairKiosk(t.app));
    const ticket = (await api.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: CHEN_CARD })).json().ticket;
    const body = await quoted(api, ticket);
    const city = as(t.app, await login(t.app, 'city'));
    const doc = structuredClone(guangzhou2024) as typeof guangzhou2024;
    doc.effectiveFrom = TODAY;
    doc.layers[0] = { ...doc.layers[0]!, pays: { type: 'fraction', numerator: 1, denominator: 3, capFen: 400 } };
    const draft = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1', document: doc })).json();
    expect((await city.post(`/api/v1/policies/${draft.id}/publish`)).statusCode).toBe(200);
    // Within the quote's ten minutes the elder may still be at the screen: refused with the fresh figure.
    const early = await api.post('/api/v1/orders', body);
    expect(early.json().error.code).toBe('quote_changed');
    t.clock.advance(11 * 60_000);
    const res = await api.post('/api/v1/orders', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      elderSubsidyFen: 400,
      elderPaysFen: 800,
      review: { flagged: true, reason: 'policy_changed', kioskFigure: { elderPaysFen: 900 }, serverFigure: { elderPaysFen: 800 } },
    });
  });

  it('a kiosk whose clock runs ahead: judged on the server’s clock by the offset it sent, not refused', async () => {
    const api = as(t.app, await pairKiosk(t.app));
    const body = await withQuote(api, { id: uuidv7(), identifyMethod: 'guest', lines: [{ dishId: SET(HUASHI), quantity: 1 }], paymentMethod: 'cash' });
    // Confirmed at once, by a device clock 66 hours ahead of the server's; it knew the offset from the server's answers.
    const ahead = 66 * 3600_000;
    const sent = { ...body, clientCreatedAt: new Date(t.clock.now().getTime() + ahead).toISOString() };
    t.clock.advance(12 * 60_000); // the network came back after the quote ran out
    expect((await api.post('/api/v1/orders', { ...sent, clockOffsetMs: null })).json().error.code).toBe('quote_expired');
    const res = await api.post('/api/v1/orders', { ...sent, clockOffsetMs: -ahead });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ mealPeriod: 'lunch', state: 'awaiting_payment', review: { flagged: false } });
    // An offset that puts the confirmation after the quote ran out is the usual refusal.
    const late = await withQuote(api, { id: uuidv7(), identifyMethod: 'guest', lines: [{ dishId: SET(HUASHI), quantity: 1 }], paymentMethod: 'cash' });
    t.clock.advance(12 * 60_000);
    const lie = await api.post('/api/v1/orders', { ...late, clientCreatedAt: new Date(t.clock.now().getTime() + ahead).toISOString(), clockOffsetMs: -ahead });
    expect(lie.json().error.code).toBe('quote_expired');
  });

  it('confirmed after the quote ran out (by the kiosk’s own clock): the usual quote_expired with a fresh quote', async () => {
    const api = as(t.app, await pairKiosk(t.app));
    const body = await withQuote(api, { id: uuidv7(), identifyMethod: 'guest', lines: [{ dishId: SET(HUASHI), quantity: 1 }], paymentMethod: 'cash' });
    t.clock.advance(20 * 60_000);
    const res = await api.post('/api/v1/orders', { ...body, clientCreatedAt: t.clock.now().toISOString() });
    expect(res.json().error.code).toBe('quote_expired');
    expect(res.json().error.details.quote.quoteId).toBeDefined();
  });
});

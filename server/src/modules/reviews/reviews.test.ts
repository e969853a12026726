/**
 * 离线订单复核: flagged late orders in the console. Each caller sees those of their scope with both figures and
 * every reason; canteen staff and reviewers accept one as served; a reviewer disallows its subsidy from the claims
 * that count it (through the claims service). Each is settled once, audited, and a refusal changes nothing.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { as, login, makeApp, pairKiosk, type TestApp } from '../../../test/helpers';

const HUASHI = 'ct-shipai-huashi';
const LONGKOU = 'ct-shipai-longkou';
const SET = (c: string) => `${c}__set-diabetic`; // ¥12 at both
const CHEN_CARD = '4401100001'; // 陈秀英 (rs-0001): ¥3 city meal subsidy on a ¥12 lunch
const RANGE = 'from=2026-11-01&to=2026-11-30';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

type Api = ReturnType<typeof as>;

async function kioskAt(canteenId: string, operator: string): Promise<{ api: Api; key: Buffer; keyId: string }> {
  const api = as(t.app, await pairKiosk(t.app, canteenId, operator));
  const { key } = (await api.get('/api/v1/kiosk/offline-cache')).json() as { key: { id: string; raw: string } };
  return { api, key: Buffer.from(key.raw, 'base64url'), keyId: key.id };
}

/** An order 陈秀英 made offline at a canteen's kiosk, showing `subsidy` off the ¥12 set lunch. */
async function offlineOrder(k: { api: Api; key: Buffer; keyId: string }, canteenId: string, at: string, subsidy = 300) {
  const res = await k.api.post('/api/v1/orders', {
    id: uuidv7(),
    residentId: 'rs-0001',
    identifyMethod: 'card',
    lines: [{ dishId: SET(canteenId), quantity: 1 }],
    paymentMethod: 'cash',
    clientCreatedAt: at,
    offline: {
      serviceDate: '2026-11-23',
      mealPeriod: 'lunch',
      quotedElderPaysFen: 1200 - subsidy,
      quotedElderSubsidyFen: subsidy,
      policyVersionIds: ['pv-guangzhou-2024-v1', 'pv-tianhe-top-up-v1'],
      clockOffsetMs: 0,
      identifiedBy: { method: 'card', credentialHash: createHmac('sha256', k.key).update(`card:${CHEN_CARD}`).digest('base64url'), keyId: k.keyId },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; review: { flagged: boolean; reason: string } };
}

/** The same resident offline at two canteens in one lunch: the second (at 龙口) is flagged subsidy_used_elsewhere. */
async function doubleLunch() {
  const huashi = await kioskAt(HUASHI, 'yikang');
  const longkou = await kioskAt(LONGKOU, 'jiajia');
  const first = await offlineOrder(huashi, HUASHI, '2026-11-23T03:40:00.000Z');
  const second = await offlineOrder(longkou, LONGKOU, '2026-11-23T03:50:00.000Z');
  expect(second.review).toMatchObject({ flagged: true, reason: 'subsidy_used_elsewhere' });
  return { first, second, huashi };
}

const auditRows = (action: string) =>
  t.ctx.db.readerConn.prepare('SELECT entity_id AS id, details FROM audit_log WHERE action = ?').all(action) as { id: string; details: string }[];

describe('flagged late orders in the console', () => {
  it('each caller sees the flagged orders of their scope, with both figures and the reason', async () => {
    const { first, second } = await doubleLunch();
    const list = async (who: string, q = '') => (await as(t.app, await login(t.app, who)).get(`/api/v1/order-reviews?${RANGE}${q}`)).json();
    const jiajia = await list('jiajia');
    expect(jiajia.total).toBe(1);
    expect(jiajia.items[0]).toMatchObject({
      orderId: second.id,
      canteenId: LONGKOU,
      canteenName: expect.any(String),
      residentId: 'rs-0001',
      serviceDate: '2026-11-23',
      mealPeriod: 'lunch',
      offline: true,
      reason: 'subsidy_used_elsewhere',
      kioskFigure: { elderPaysFen: 900, elderSubsidyFen: 300 },
      serverFigure: { elderPaysFen: 1200, elderSubsidyFen: 0 },
      resolution: null,
      resolvedAt: null,
    });
    // The unflagged first order is not listed; 华师's operator does not see 龙口's; the street and city do.
    expect(jiajia.items.map((i: { orderId: string }) => i.orderId)).not.toContain(first.id);
    expect((await list('yikang')).total).toBe(0);
    expect((await list('shipai')).items.map((i: { orderId: string }) => i.orderId)).toEqual([second.id]);
    expect((await list('city')).total).toBe(1);
    // Another canteen's id is not confirmed to exist; bad ranges are refused with what was wrong.
    const yikang = as(t.app, await login(t.app, 'yikang'));
    expect((await yikang.get(`/api/v1/order-reviews?${RANGE}&canteenId=${LONGKOU}`)).json().error.code).toBe('not_found');
    const bad = await yikang.get('/api/v1/order-reviews?from=2026-11-30&to=2026-11-01');
    expect(bad.statusCode).toBe(400);
    expect((await yikang.get('/api/v1/order-reviews?from=2026-01-01&to=2026-11-30')).statusCode).toBe(400);
  });

  it('accepted as served once (a double tap answers conflict), audited, and then listed as settled', async () => {
    const { second } = await doubleLunch();
    const jiajia = as(t.app, await login(t.app, 'jiajia'));
    const [a, b] = await Promise.all([
      jiajia.post(`/api/v1/order-reviews/${second.id}/accept`, { note: '长者已在华师用过餐，按原价收费' }),
      jiajia.post(`/api/v1/order-reviews/${second.id}/accept`, { note: '长者已在华师用过餐，按原价收费' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const ok = (a.statusCode === 200 ? a : b).json();
    expect(ok.review).toMatchObject({
      orderId: second.id,
      resolution: 'accepted',
      resolutionNote: '长者已在华师用过餐，按原价收费',
      resolvedByName: expect.any(String),
    });
    expect((a.statusCode === 409 ? a : b).json().error.code).toBe('conflict');
    expect(auditRows('order.review_accepted').map((r) => r.id)).toEqual([second.id]);
    expect((await jiajia.get(`/api/v1/order-reviews?${RANGE}`)).json().total).toBe(0);
    expect((await jiajia.get(`/api/v1/order-reviews?${RANGE}&status=resolved`)).json().items).toEqual([
      expect.objectContaining({ orderId: second.id, resolution: 'accepted' }),
    ]);
    // Out of scope, or not a flagged order: not found.
    const yikang = as(t.app, await login(t.app, 'yikang'));
    expect((await yikang.post(`/api/v1/order-reviews/${second.id}/accept`, {})).statusCode).toBe(404);
  });

  it('a reviewer disallows its subsidy from the claims that count it; an operator may not; with no claim counting it, nothing changes', async () => {
    // 华师's kiosk showed no subsidy, the server gives ¥3: flagged, with a subsidy a claim will count.
    const k = await kioskAt(HUASHI, 'yikang');
    const order = await offlineOrder(k, HUASHI, '2026-11-23T03:40:00.000Z', 0);
    expect(order.review.flagged).toBe(true);
    const shipai = as(t.app, await login(t.app, 'shipai'));
    const yikang = as(t.app, await login(t.app, 'yikang'));
    expect((await yikang.post(`/api/v1/order-reviews/${order.id}/disallow`, { reason: '补贴不应申报' })).statusCode).toBe(403);
    const early = await shipai.post(`/api/v1/order-reviews/${order.id}/disallow`, { reason: '补贴不应申报' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('invalid_state');
    expect(auditRows('order.review_disallowed')).toEqual([]);
    expect((await shipai.get(`/api/v1/order-reviews?${RANGE}`)).json().items[0]).toMatchObject({ orderId: order.id, resolution: null });

    // Paid at the counter (a claim counts paid meals), then the month's claims are drafted.
    expect((await yikang.post(`/api/v1/orders/${order.id}/confirm-payment`, { method: 'cash' })).statusCode).toBe(200);
    const generated = await yikang.post('/api/v1/claims/generate', { month: '2026-11', canteenId: HUASHI });
    expect(generated.statusCode, generated.body).toBe(200);
    const claimsBefore = t.ctx.db.readerConn.prepare('SELECT id, disallowed_fen AS fen FROM claims WHERE canteen_id = ?').all(HUASHI) as {
      id: string;
      fen: number;
    }[];
    expect(claimsBefore.every((c) => c.fen === 0)).toBe(true);
    const res = await shipai.post(`/api/v1/order-reviews/${order.id}/disallow`, { reason: '离线价格与服务器不符，补贴不予申报' });
    expect(res.statusCode, res.body).toBe(200);
    const subsidy = t.ctx.db.readerConn.prepare('SELECT sum(amount_fen) AS fen FROM order_subsidies WHERE order_id = ? AND amount_fen > 0').get(order.id) as {
      fen: number;
    };
    expect(res.json()).toMatchObject({ review: { resolution: 'disallowed', resolutionNote: '离线价格与服务器不符，补贴不予申报' }, amountFen: subsidy.fen });
    expect(res.json().claims).toBeGreaterThan(0);
    const dis = t.ctx.db.readerConn.prepare('SELECT claim_id AS claimId, reason, source FROM claim_disallowances WHERE order_id = ?').all(order.id);
    expect(dis).toHaveLength(res.json().claims);
    expect(dis.every((d) => (d as { source: string }).source === 'review')).toBe(true);
    const after = t.ctx.db.readerConn.prepare('SELECT sum(disallowed_fen) AS fen FROM claims WHERE canteen_id = ?').get(HUASHI) as { fen: number };
    expect(after.fen).toBe(subsidy.fen);
    expect(auditRows('order.review_disallowed')).toEqual([expect.objectContaining({ id: order.id })]);
    expect(auditRows('claim.disallowed').length).toBe(res.json().claims);
    // Settled: neither a second disallowance nor an acceptance.
    expect((await shipai.post(`/api/v1/order-reviews/${order.id}/disallow`, { reason: '再次核减' })).statusCode).toBe(409);
    expect((await yikang.post(`/api/v1/order-reviews/${order.id}/accept`, {})).statusCode).toBe(409);
  });
});

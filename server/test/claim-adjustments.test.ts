/**
 * A refund of an order in a claim already paid: the paid claim shows at once what is waiting for the next claim, and
 * the next month's generation carries it even when that month has no orders (the canteen served nothing, or no
 * claim of it exists yet). Through the API end to end, on a real database file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readPdf } from '../src/lib/exports/testing';
import { as, login, makeApp, type TestApp } from './helpers';

const HUASHI = 'ct-shipai-huashi';
const CITY = '广州市民政局';
let t: TestApp;
afterEach(async () => t?.close());

const q = <T>(sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).all(...args) as T[];

interface Later {
  orderId: string;
  reason: string;
  amountFen: number;
  note: string;
  claimId: string | null;
  period: string | null;
}

describe('a refund after the claim was paid', () => {
  it('shows on the paid claim as waiting for the next claim, and the next month carries it though it has no orders', async () => {
    t = await makeApp({ at: '2026-12-01T10:00:00+08:00' });
    const api = async (who: string) => as(t.app, await login(t.app, who));
    let op = await api('yikang');
    const street = await api('shipai');
    const district = await api('tianhe');
    const city = await api('city');
    for (const o of q<{ id: string }>(`SELECT id FROM orders WHERE canteen_id = ? AND service_date LIKE '2026-11-%' AND state = 'awaiting_payment'`, HUASHI)) {
      expect((await op.post(`/api/v1/orders/${o.id}/cancel`, { reason: '测试前清理' })).statusCode).toBe(200);
    }

    // November, to the city: submitted, checked, approved (its anomalies explained first), paid.
    const gen = await op.post('/api/v1/claims/generate', { month: '2026-11', canteenId: HUASHI });
    expect(gen.statusCode, gen.body).toBe(200);
    const id = (gen.json().items as { id: string; payer: string }[]).find((c) => c.payer === CITY)!.id;
    expect((await op.post(`/api/v1/claims/${id}/submit`, {})).statusCode).toBe(200);
    expect((await street.post(`/api/v1/claims/${id}/check`, {})).statusCode).toBe(200);
    for (const a of (await district.get(`/api/v1/claims/${id}`)).json().anomalies as { id: string; status: string }[]) {
      if (a.status === 'open') expect((await district.post(`/api/v1/anomalies/${a.id}/explain`, { note: '已核实' })).statusCode).toBe(200);
    }
    const approved = await district.post(`/api/v1/claims/${id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const total = approved.json().totalFen as number;
    const paid = await city.post(`/api/v1/claims/${id}/payment`, { amountFen: total, paidOn: '2026-12-01', reference: 'GK2026120100001' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ state: 'paid', laterAdjustments: [], pendingAdjustmentFen: 0 });

    // 2 December: one of its orders is refunded. The canteen serves nothing else in December.
    t.clock.set(new Date('2026-12-02T12:00:00+08:00'));
    op = await api('yikang');
    const order = q<{ orderId: string; fen: number }>(
      `SELECT order_id AS orderId, amount_fen AS fen FROM claim_orders WHERE claim_id = ? ORDER BY order_id LIMIT 1`,
      id,
    )[0]!;
    expect((await op.post(`/api/v1/orders/${order.orderId}/refund`, { reason: '长者反映饭菜变质，退款' })).statusCode).toBe(200);

    // The paid claim says so at once, to everyone who reads it: the amount waits for the next claim.
    for (const who of ['yikang', 'tianhe', 'city']) {
      const seen = (await (await api(who)).get(`/api/v1/claims/${id}`)).json();
      expect(seen.totalFen).toBe(total); // paid and frozen: it does not move
      expect(seen.pendingAdjustmentFen).toBe(-order.fen);
      expect(seen.laterAdjustments as Later[]).toEqual([
        { orderId: order.orderId, reason: 'refund', amountFen: -order.fen, note: expect.stringContaining('退款'), claimId: null, period: null },
      ]);
    }

    // The document for signing says it too.
    const pdf = readPdf((await (await api('city')).get(`/api/v1/claims/${id}/export?format=pdf`)).rawPayload).pages.join('\n');
    expect(pdf).toContain(`待记入下一期申报 -¥${(order.fen / 100).toFixed(2)}`);

    // January: December is generated once; with no order in December, its city claim is the adjustment alone.
    t.clock.set(new Date('2027-01-04T10:00:00+08:00'));
    op = await api('yikang');
    expect(q<{ n: number }>(`SELECT count(*) AS n FROM orders WHERE canteen_id = ? AND service_date LIKE '2026-12-%'`, HUASHI)[0]!.n).toBe(0);
    const dec = await op.post('/api/v1/claims/generate', { month: '2026-12', canteenId: HUASHI });
    expect(dec.statusCode, dec.body).toBe(200);
    const decCity = (dec.json().items as { id: string; payer: string }[]).find((c) => c.payer === CITY);
    expect(decCity, 'a December claim to the city carries the adjustment').toBeDefined();
    const decDetail = (await op.get(`/api/v1/claims/${decCity!.id}`)).json();
    expect(decDetail).toMatchObject({ period: '2026-12', orderCount: 0, claimedFen: 0, adjustmentFen: -order.fen, totalFen: -order.fen });
    expect(decDetail.adjustments).toEqual([
      expect.objectContaining({ orderId: order.orderId, reason: 'refund', amountFen: -order.fen, sourcePeriod: '2026-11' }),
    ]);

    // The paid claim now names the claim that carries it; nothing waits any more. Generating again adds nothing.
    const after = (await op.get(`/api/v1/claims/${id}`)).json();
    expect(after.pendingAdjustmentFen).toBe(0);
    expect(after.laterAdjustments).toEqual([
      expect.objectContaining({ orderId: order.orderId, amountFen: -order.fen, claimId: decCity!.id, period: '2026-12' }),
    ]);
    const again = await op.post('/api/v1/claims/generate', { month: '2026-12', canteenId: HUASHI });
    expect((again.json().items as { payer: string; adjustmentFen: number }[]).find((c) => c.payer === CITY)!.adjustmentFen).toBe(-order.fen);
    // Generating November again (frozen) makes no claim for the adjustment in its own period.
    const nov = await op.post('/api/v1/claims/generate', { month: '2026-11', canteenId: HUASHI });
    expect(nov.json().skipped).toBeGreaterThanOrEqual(1);
    expect(q<{ n: number }>(`SELECT count(*) AS n FROM claims WHERE canteen_id = ? AND payer = ? AND period = '2026-11'`, HUASHI, CITY)[0]!.n).toBe(1);
  }, 60_000);
});

/**
 * Settlement under parallel requests, over real HTTP (the app listening on a port, requests sent at once): what is
 * checked is the invariant, read back from the audit chain's order (its seq is the order in which the writes
 * committed), never the timing.
 *
 * - A claim is submitted only if, when its snapshot is written, no order of its period awaits payment: an order a
 *   kiosk sends late (offline, cash at the counter) is either committed before the submission, and holds it, or
 *   after it.
 * - Each generation of a claim writes totals equal to the orders as they were when it committed: payments
 *   confirmed while two generations run at once never leave a claim with totals read from an older state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { login, makeApp, pairKiosk, type TestApp } from './helpers';

const HUASHI = 'ct-shipai-huashi';
const SET = `${HUASHI}__set-a`;
let t: TestApp;
afterEach(async () => t?.close());

const q = <T>(sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).all(...args) as T[];

/** A caller over real HTTP. */
function http(base: string, cookie: string) {
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, origin: base, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text, json: () => JSON.parse(text) };
  };
  return { get: (url: string) => call('GET', url), post: (url: string, body: unknown = {}) => call('POST', url, body) };
}

/** The audit seq of each entity's row of an action (the order in which their writes committed). */
function seqs(action: string): Map<string, number> {
  return new Map(
    q<{ entityId: string; seq: number }>(`SELECT entity_id AS entityId, seq FROM audit_log WHERE action = ?`, action).map((r) => [r.entityId, r.seq]),
  );
}

describe('submitting a claim while orders of its period arrive late', () => {
  it('a submission and a late cash order never both go through with the order outside the snapshot', async () => {
    t = await makeApp({ at: '2026-12-01T12:00:00+08:00' });
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const op = http(base, await login(t.app, 'yikang'));
    const street = http(base, await login(t.app, 'shipai'));
    const kiosk = http(base, await pairKiosk(t.app));
    // Orders of November still waiting for payment (the seed's) are cancelled: the claim may be submitted.
    for (const o of q<{ id: string }>(`SELECT id FROM orders WHERE canteen_id = ? AND service_date LIKE '2026-11-%' AND state = 'awaiting_payment'`, HUASHI)) {
      expect((await op.post(`/api/v1/orders/${o.id}/cancel`, { reason: '测试前清理' })).status).toBe(200);
    }
    const gen = await op.post('/api/v1/claims/generate', { month: '2026-11', canteenId: HUASHI });
    expect(gen.status, gen.body).toBe(200);
    const id = (gen.json().items as { id: string; payer: string }[])[0]!.id;

    // A guest's lunch of 30 November, priced offline by the kiosk and paid in cash at the counter: awaiting payment.
    const late = () => ({
      id: uuidv7(),
      residentId: null,
      identifyMethod: 'guest',
      lines: [{ dishId: SET, quantity: 1 }],
      paymentMethod: 'cash',
      clientCreatedAt: '2026-11-30T04:00:00.000Z',
      offline: {
        serviceDate: '2026-11-30',
        mealPeriod: 'lunch',
        quotedElderPaysFen: 1200,
        quotedElderSubsidyFen: 0,
        policyVersionIds: [],
        clockOffsetMs: 0,
        identifiedBy: null,
      },
    });

    let submitted = 0;
    let held = 0;
    for (let round = 0; round < 8; round += 1) {
      // The claim is open again: sent back by the street office if the last round submitted it; the late orders of
      // the last round cancelled.
      const state = (await op.get(`/api/v1/claims/${id}`)).json().state as string;
      if (state === 'submitted') expect((await street.post(`/api/v1/claims/${id}/return`, { reason: '再核对一次' })).status).toBe(200);
      for (const o of q<{ id: string }>(`SELECT id FROM orders WHERE canteen_id = ? AND service_date = '2026-11-30' AND state = 'awaiting_payment'`, HUASHI)) {
        expect((await op.post(`/api/v1/orders/${o.id}/cancel`, { reason: '客人未付款离开' })).status).toBe(200);
      }
      const orders = Array.from({ length: 4 }, late);
      const before = Math.max(0, ...seqs('claim.submitted').values(), ...seqs('claim.resubmitted').values());
      // The submission goes out among the orders (two sent before it, two after), all at once.
      const sent = await Promise.all([
        ...orders.slice(0, 2).map((o) => kiosk.post('/api/v1/orders', o)),
        op.post(`/api/v1/claims/${id}/submit`),
        ...orders.slice(2).map((o) => kiosk.post('/api/v1/orders', o)),
      ]);
      const submit = sent[2]!;
      const placed = [...sent.slice(0, 2), ...sent.slice(3)];
      for (const p of placed) expect(p.status, p.body).toBe(201);
      const created = seqs('order.created');
      if (submit.status === 200) {
        submitted += 1;
        // Submitted: every late order of this round was committed after the submission (none was waiting in it).
        const at = q<{ seq: number }>(
          `SELECT max(seq) AS seq FROM audit_log WHERE entity_id = ? AND action IN ('claim.submitted', 'claim.resubmitted') AND seq > ?`,
          id,
          before,
        )[0]!.seq;
        for (const o of orders) expect(created.get(o.id)!, `order ${o.id} committed before the submission at ${at}`).toBeGreaterThan(at);
      } else {
        held += 1;
        expect(submit.json().error.code, submit.body).toBe('claim_orders_unpaid');
      }
    }
    expect(submitted + held).toBe(8);
  }, 60_000);
});

describe('two generations of a month at once, while payments are confirmed', () => {
  it('every generation writes totals equal to the orders as they stood when it committed; one claim per payer', async () => {
    t = await makeApp();
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const op = http(base, await login(t.app, 'yikang'));
    // Lunches kept by staff for residents who had none today, paid in cash at the counter: awaiting payment.
    const residents = q<{ id: string }>(
      `SELECT r.id FROM residents r WHERE r.home_canteen_id = ? AND r.status = 'active' AND r.hukou_area_code LIKE '4401%'
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.resident_id = r.id AND o.service_date = '2026-11-23' AND o.meal_period = 'lunch')
       ORDER BY r.id LIMIT 12`,
      HUASHI,
    );
    expect(residents.length).toBe(12);
    const waiting: string[] = [];
    for (const r of residents) {
      const res = await op.post('/api/v1/orders', {
        id: uuidv7(),
        canteenId: HUASHI,
        residentId: r.id,
        identifyMethod: 'staff',
        staffReason: { code: 'forgot_card', note: '' },
        lines: [{ dishId: SET, quantity: 1 }],
        paymentMethod: 'cash',
      });
      expect(res.status, res.body).toBe(201);
      expect(res.json().state).toBe('awaiting_payment');
      waiting.push(res.json().id);
    }
    // Each payer's amount on each of these orders, and the month's counted orders without them (which do not move).
    const split = new Map<string, Map<string, number>>();
    for (const r of q<{ orderId: string; payer: string; fen: number }>(
      `SELECT order_id AS orderId, payer, sum(amount_fen) AS fen FROM order_subsidies WHERE order_id IN (SELECT value FROM json_each(?)) AND amount_fen > 0 GROUP BY 1, 2`,
      JSON.stringify(waiting),
    )) {
      if (!split.has(r.payer)) split.set(r.payer, new Map());
      split.get(r.payer)!.set(r.orderId, r.fen);
    }
    expect([...split.values()].some((m) => m.size === waiting.length)).toBe(true);
    const baseline = new Map(
      q<{ payer: string; fen: number }>(
        `SELECT s.payer AS payer, sum(s.amount_fen) AS fen FROM orders o JOIN order_subsidies s ON s.order_id = o.id
         WHERE o.canteen_id = ? AND o.service_date BETWEEN '2026-11-01' AND '2026-11-30' AND o.state IN ('paid', 'ready', 'completed')
           AND s.amount_fen > 0 GROUP BY 1`,
        HUASHI,
      ).map((r) => [r.payer, r.fen]),
    );

    // Rounds of two generations at once with three payments confirmed among them.
    for (let round = 0; round < 4; round += 1) {
      const pay = waiting.slice(round * 3, round * 3 + 3);
      const results = await Promise.all([
        op.post('/api/v1/claims/generate', { month: '2026-11', canteenId: HUASHI }),
        ...pay.map((id) => op.post(`/api/v1/orders/${id}/confirm-payment`, { method: 'cash' })),
        op.post('/api/v1/claims/generate', { month: '2026-11', canteenId: HUASHI }),
      ]);
      for (const r of results) expect(r.status, r.body).toBe(200);
    }

    // One claim per payer; each generation's totals are the baseline plus the orders paid before it committed.
    const claims = q<{ id: string; payer: string; claimedFen: number }>(
      `SELECT id, payer, claimed_fen AS claimedFen FROM claims WHERE canteen_id = ? AND period = '2026-11'`,
      HUASHI,
    );
    expect(claims.map((c) => c.payer).sort()).toEqual([...new Set(claims.map((c) => c.payer))].sort());
    const paidAt = seqs('order.paid');
    let generations = 0;
    for (const c of claims) {
      const rows = q<{ seq: number; details: string }>(
        `SELECT seq, details FROM audit_log WHERE entity_id = ? AND action IN ('claim.generated', 'claim.regenerated') ORDER BY seq`,
        c.id,
      );
      expect(rows.length).toBe(8);
      for (const row of rows) {
        const paidBefore = waiting.filter((o) => (paidAt.get(o) ?? Infinity) < row.seq);
        const want = (baseline.get(c.payer) ?? 0) + paidBefore.reduce((a, o) => a + (split.get(c.payer)?.get(o) ?? 0), 0);
        expect((JSON.parse(row.details) as { after: { claimedFen: number } }).after.claimedFen, `${c.payer} generation at seq ${row.seq}`).toBe(want);
        generations += 1;
      }
      expect(c.claimedFen).toBe((baseline.get(c.payer) ?? 0) + waiting.reduce((a, o) => a + (split.get(c.payer)?.get(o) ?? 0), 0));
    }
    expect(generations).toBe(claims.length * 8);
  }, 60_000);
});

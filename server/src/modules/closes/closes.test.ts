import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { as, login, makeApp, pairKiosk, withQuote, type TestApp } from '../../../test/helpers';
import { readPdf } from '../../lib/exports/testing';

const C = 'ct-shipai-huashi';
const SET = 'ct-shipai-huashi__set-diabetic'; // ¥12
const TODAY = '2026-11-23';
const PAST = '2026-11-20'; // a Friday of the seeded history

let t: TestApp;
let op: ReturnType<typeof as>;
let kiosk: ReturnType<typeof as>;

beforeEach(async () => {
  t = await makeApp();
  op = as(t.app, await login(t.app, 'yikang'));
  kiosk = as(t.app, await pairKiosk(t.app));
});
afterEach(async () => t.close());

/** The truth, straight from the SQLite file: what the orders and payments of a day add up to now. */
function truth(date: string) {
  const db = t.ctx.db.readerConn;
  const one = (q: string, ...a: unknown[]) => Number(Object.values(db.prepare(q).get(...a) as object)[0] ?? 0);
  const net = (method: string) =>
    one(
      `SELECT coalesce(sum(CASE p.direction WHEN 'in' THEN p.amount_fen ELSE -p.amount_fen END), 0) FROM payments p JOIN orders o ON o.id = p.order_id
       WHERE o.canteen_id = ? AND o.service_date = ? AND p.method = ?`,
      C,
      date,
      method,
    );
  return {
    counted: one(`SELECT count(*) FROM orders WHERE canteen_id = ? AND service_date = ? AND state NOT IN ('cancelled','refunded')`, C, date),
    paidFen: one(
      `SELECT coalesce(sum(elder_pays_fen),0) FROM orders WHERE canteen_id = ? AND service_date = ? AND state IN ('paid','ready','completed')`,
      C,
      date,
    ),
    awaitingFen: one(`SELECT coalesce(sum(elder_pays_fen),0) FROM orders WHERE canteen_id = ? AND service_date = ? AND state = 'awaiting_payment'`, C, date),
    refundedFen: one(`SELECT coalesce(sum(elder_pays_fen),0) FROM orders WHERE canteen_id = ? AND service_date = ? AND state = 'refunded'`, C, date),
    subsidyFen: one(
      `SELECT coalesce(sum(s.amount_fen),0) FROM order_subsidies s JOIN orders o ON o.id = s.order_id
       WHERE o.canteen_id = ? AND o.service_date = ? AND o.state NOT IN ('cancelled','refunded')`,
      C,
      date,
    ),
    cash: net('cash'),
    wallet: net('wallet'),
    external: net('external'),
  };
}

interface Figures {
  ordersCounted: number;
  paidFen: number;
  awaitingFen: number;
  refundedFen: number;
  receivedNetFen: number;
  methods: { method: string; netFen: number }[];
  subsidies: { amountFen: number }[];
  meals: { count: number }[];
}
function asTruth(f: Figures) {
  const m = (k: string) => f.methods.find((x) => x.method === k)!.netFen;
  return {
    counted: f.ordersCounted,
    paidFen: f.paidFen,
    awaitingFen: f.awaitingFen,
    refundedFen: f.refundedFen,
    subsidyFen: f.subsidies.reduce((s, x) => s + x.amountFen, 0),
    cash: m('cash'),
    wallet: m('wallet'),
    external: m('external'),
  };
}
const add = (a: ReturnType<typeof asTruth>, b: ReturnType<typeof asTruth>) =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof typeof a] + b[k as keyof typeof b]])) as ReturnType<typeof asTruth>;

function dayOrders(date: string, method: string) {
  return t.ctx.db.readerConn
    .prepare(
      `SELECT id, elder_pays_fen AS pays FROM orders WHERE canteen_id = ? AND service_date = ? AND payment_method = ? AND state = 'completed' AND elder_pays_fen > 0 ORDER BY created_at`,
    )
    .all(C, date, method) as { id: string; pays: number }[];
}

async function counterOrder(): Promise<{ id: string; elderPaysFen: number; pickupNumber: number }> {
  const res = await kiosk.post(
    '/api/v1/orders',
    await withQuote(kiosk, { id: uuidv7(), identifyMethod: 'guest', lines: [{ dishId: SET, quantity: 1 }], paymentMethod: 'cash' }),
  );
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json().state).toBe('awaiting_payment');
  return res.json();
}

/** Confirm or cancel whatever today still awaits, so the day can be closed. */
async function settleToday() {
  const awaiting = (await op.get(`/api/v1/orders?canteenId=${C}&date=${TODAY}&state=awaiting_payment&limit=500`)).json().items as { id: string }[];
  for (const o of awaiting) expect((await op.post(`/api/v1/orders/${o.id}/confirm-payment`, { method: 'cash' })).statusCode).toBe(200);
}

describe('daily close (日结)', () => {
  it('adds up a day to the fen, freezes it on close, is idempotent, and carries later refunds to the next close as adjustments', async () => {
    const before = (await op.get(`/api/v1/canteens/${C}/closes/${PAST}`)).json();
    expect(before.status).toBe('open');
    expect(before.figures.ordersCounted).toBeGreaterThan(5);
    expect(asTruth(before.figures)).toEqual(truth(PAST));
    expect(before.figures.receivedNetFen).toBe(before.figures.paidFen);
    expect(before.figures.meals.reduce((s: number, m: { count: number }) => s + m.count, 0)).toBe(before.figures.ordersCounted);
    expect(before.cash.expectedFen).toBe(truth(PAST).cash);

    // A difference needs a note; then the close is stored and audit-logged.
    const short = await op.post(`/api/v1/canteens/${C}/closes/${PAST}`, { cashCountedFen: before.cash.expectedFen - 50 });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details.field).toBe('cashNote');
    const closed = await op.post(`/api/v1/canteens/${C}/closes/${PAST}`, { cashCountedFen: before.cash.expectedFen - 50, cashNote: '找零少收五角' });
    expect(closed.statusCode, closed.body).toBe(201);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      cash: { expectedFen: before.cash.expectedFen, countedFen: before.cash.expectedFen - 50, differenceFen: -50, note: '找零少收五角' },
    });
    // Who counted and closed it is named, on the page and on the report, as well as when.
    expect((await op.get(`/api/v1/canteens/${C}/closes/${PAST}`)).json().closedByName).toBe('颐康中心 梁店长');
    // Twice is the same close; another count is refused.
    const again = await op.post(`/api/v1/canteens/${C}/closes/${PAST}`, { cashCountedFen: before.cash.expectedFen - 50, cashNote: '找零少收五角' });
    expect(again.statusCode).toBe(200);
    expect(again.json().closedAt).toBe(closed.json().closedAt);
    const other = await op.post(`/api/v1/canteens/${C}/closes/${PAST}`, { cashCountedFen: before.cash.expectedFen });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('day_closed');
    const audit = t.ctx.db.readerConn.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'day.closed' AND entity_id = ?`).get(C) as { n: number };
    expect(audit.n).toBe(1);

    // After the close: a cash refund and a wallet refund of that day.
    t.clock.advance(60_000);
    const cashOrder = dayOrders(PAST, 'cash')[0]!;
    const walletOrder = dayOrders(PAST, 'wallet')[0]!;
    for (const o of [cashOrder, walletOrder]) expect((await op.post(`/api/v1/orders/${o.id}/refund`, { reason: '饭菜凉了，退款' })).statusCode).toBe(200);

    // The frozen day does not move; it says it changed.
    const frozen = (await op.get(`/api/v1/canteens/${C}/closes/${PAST}`)).json();
    expect(frozen.figures).toEqual(closed.json().figures);
    expect(frozen.changedSinceClose).toBe(true);
    expect(asTruth(frozen.figures)).not.toEqual(truth(PAST));

    // Today's close carries the difference: frozen + adjustment = the day as stored now, to the fen.
    await settleToday();
    const today = (await op.get(`/api/v1/canteens/${C}/closes/${TODAY}`)).json();
    expect(today.adjustments).toHaveLength(1);
    const adj = today.adjustments[0];
    expect(adj.serviceDate).toBe(PAST);
    expect(adj.delta.paidFen).toBe(-(cashOrder.pays + walletOrder.pays));
    expect(adj.delta.refundsFen).toBe(cashOrder.pays + walletOrder.pays);
    expect(adj.orders.map((o: { orderId: string }) => o.orderId).sort()).toEqual([cashOrder.id, walletOrder.id].sort());
    expect(add(asTruth(frozen.figures), asTruth(adj.delta))).toEqual(truth(PAST));
    // Cash expected today = today's cash less the cash refunded for the earlier day.
    expect(today.cash.expectedFen).toBe(truth(TODAY).cash - cashOrder.pays);
    expect(asTruth(today.figures)).toEqual(truth(TODAY));

    const todayClosed = await op.post(`/api/v1/canteens/${C}/closes/${TODAY}`, { cashCountedFen: today.cash.expectedFen });
    expect(todayClosed.statusCode, todayClosed.body).toBe(201);
    expect(todayClosed.json().adjustments).toEqual(today.adjustments);

    // Tomorrow carries nothing more for that day (already carried), but does carry a later change.
    t.clock.set('2026-11-24T12:00:00+08:00');
    op = as(t.app, await login(t.app, 'yikang')); // a session lasts hours, not a day
    const tomorrow0 = (await op.get(`/api/v1/canteens/${C}/closes/2026-11-24`)).json();
    expect(tomorrow0.adjustments).toEqual([]);
    const second = dayOrders(PAST, 'external')[0]!;
    expect((await op.post(`/api/v1/orders/${second.id}/refund`, { reason: '重复扣款，退回' })).statusCode).toBe(200);
    const tomorrow = (await op.get(`/api/v1/canteens/${C}/closes/2026-11-24`)).json();
    expect(tomorrow.adjustments).toHaveLength(1);
    expect(tomorrow.adjustments[0].delta.paidFen).toBe(-second.pays);
    const all = add(add(asTruth(frozen.figures), asTruth(adj.delta)), asTruth(tomorrow.adjustments[0].delta));
    expect(all).toEqual(truth(PAST));
  });

  it('refuses to close while counter orders await payment, naming them; a late payment after the close goes to the next day', async () => {
    await settleToday();
    const a = await counterOrder();
    const b = await counterOrder();
    const refused = await op.post(`/api/v1/canteens/${C}/closes/${TODAY}`, { cashCountedFen: 0 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('unconfirmed_orders');
    expect(
      refused
        .json()
        .error.details.orders.map((o: { pickupNumber: number }) => o.pickupNumber)
        .sort(),
    ).toEqual([a.pickupNumber, b.pickupNumber].sort());
    expect(refused.json().error.message).toContain(`#${a.pickupNumber}`);
    const view = (await op.get(`/api/v1/canteens/${C}/closes/${TODAY}`)).json();
    expect(view.unconfirmed).toHaveLength(2);
    expect(view.figures.awaitingFen).toBe(a.elderPaysFen + b.elderPaysFen);

    expect((await op.post(`/api/v1/orders/${a.id}/confirm-payment`, { method: 'cash' })).statusCode).toBe(200);
    expect((await op.post(`/api/v1/orders/${b.id}/cancel`, { reason: '长者离开' })).statusCode).toBe(200);
    const open = (await op.get(`/api/v1/canteens/${C}/closes/${TODAY}`)).json();
    expect(open.figures.cancelledFen).toBe(b.elderPaysFen);
    const closed = await op.post(`/api/v1/canteens/${C}/closes/${TODAY}`, { cashCountedFen: open.cash.expectedFen });
    expect(closed.statusCode, closed.body).toBe(201);
    expect(asTruth(closed.json().figures)).toEqual(truth(TODAY));

    // Lunch goes on after the close: a counter order placed and paid later is tomorrow's adjustment.
    t.clock.advance(5 * 60_000);
    const late = await counterOrder();
    t.clock.advance(60_000);
    expect((await op.post(`/api/v1/orders/${late.id}/confirm-payment`, { method: 'cash' })).statusCode).toBe(200);
    t.clock.set('2026-11-24T12:00:00+08:00');
    op = as(t.app, await login(t.app, 'yikang')); // a session lasts hours, not a day
    const nextRes = await op.get(`/api/v1/canteens/${C}/closes/2026-11-24`);
    expect(nextRes.statusCode, nextRes.body).toBe(200);
    const next = nextRes.json();
    expect(next.adjustments).toHaveLength(1);
    expect(next.adjustments[0].delta.paidFen).toBe(late.elderPaysFen);
    expect(next.adjustments[0].delta.methods.find((m: { method: string }) => m.method === 'cash').netFen).toBe(late.elderPaysFen);
    expect(next.cash.expectedFen).toBe(truth('2026-11-24').cash + late.elderPaysFen);
    expect(add(asTruth(closed.json().figures), asTruth(next.adjustments[0].delta))).toEqual(truth(TODAY));
  });

  it("today's figures on the console count an unpaid counter order as awaited, not received", async () => {
    const before = (await op.get(`/api/v1/canteens/${C}`)).json().today;
    const o = await counterOrder();
    const mid = (await op.get(`/api/v1/canteens/${C}`)).json().today;
    expect(mid.paidFen).toBe(before.paidFen);
    expect(mid.revenueFen).toBe(before.paidFen);
    expect(mid.awaitingFen).toBe(before.awaitingFen + o.elderPaysFen);
    expect(mid.awaitingCount).toBe(before.awaitingCount + 1);
    await op.post(`/api/v1/orders/${o.id}/confirm-payment`, { method: 'cash' });
    const after = (await op.get(`/api/v1/canteens/${C}`)).json().today;
    expect(after.paidFen).toBe(before.paidFen + o.elderPaysFen);
    expect(after.byMethod.cash).toBe(before.byMethod.cash + o.elderPaysFen);
    expect(after.awaitingFen).toBe(before.awaitingFen);
  });

  it('prints the close as a PDF with signature lines, and refuses a future day and other canteens', async () => {
    const c = (await op.get(`/api/v1/canteens/${C}/closes/${PAST}`)).json();
    await op.post(`/api/v1/canteens/${C}/closes/${PAST}`, { cashCountedFen: c.cash.expectedFen });
    const pdf = await op.get(`/api/v1/canteens/${C}/closes/${PAST}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const text = readPdf(pdf.rawPayload).pages.join('\n');
    for (const s of ['日结报表', '收银员', '负责人', '收款方式', c.canteenName.slice(0, 4)]) expect(text).toContain(s);
    expect(text).toContain((c.figures.receivedNetFen / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ','));

    expect((await op.get(`/api/v1/canteens/${C}/closes/2026-11-25`)).statusCode).toBe(400);
    const jiajia = as(t.app, await login(t.app, 'jiajia'));
    expect((await jiajia.get(`/api/v1/canteens/${C}/closes/${PAST}`)).statusCode).toBe(404);
    expect((await jiajia.post(`/api/v1/canteens/${C}/closes/${PAST}`, { cashCountedFen: 0 })).statusCode).toBe(404);
    const list = (await op.get(`/api/v1/canteens/${C}/closes?from=2026-11-16&to=${TODAY}`)).json();
    expect(list.items.find((d: { serviceDate: string }) => d.serviceDate === PAST)).toMatchObject({ closed: true, cashDifferenceFen: 0 });
    // An open day's row says what has been received so far, from the orders as they stand.
    const open = list.items.find((d: { serviceDate: string; closed: boolean }) => !d.closed && d.serviceDate < TODAY);
    expect(open.paidFen).toBe(truth(open.serviceDate).paidFen);
    expect(open.paidFen).toBeGreaterThan(0);
  });
});

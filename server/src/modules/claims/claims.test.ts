/**
 * Claims on the demo city's 60 days, at month end: totals equal the stored splits to the fen (per payer, per line),
 * the whole review (submit → street check → district reject → resubmit → approve → paid) with every reason the
 * operator reads and every step in the audit log, an adjustment in the following month after a late refund, the
 * rules that guard each step, quarterly claiming, scope, and the documents for signing.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { readPdf } from '../../lib/exports/testing';
import { as, login, makeApp, seededTemplate, type TestApp } from '../../../test/helpers';

const MONTH_END = '2026-12-01T10:00:00+08:00';
const CITY = '广州市民政局';
const TIANHE = '天河区民政局';
let t: TestApp;

beforeAll(async () => {
  await seededTemplate(60);
}, 180_000);
afterEach(async () => t?.close());

let sessions = new Map<string, string>();
async function fresh(at = MONTH_END) {
  t = await makeApp({ historyDays: 60, at });
  sessions = new Map();
  return t;
}

const q = <T = Record<string, unknown>>(sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).all(...args) as T[];
const one = <T = Record<string, unknown>>(sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).get(...args) as T;
const exec = (sql: string, ...args: unknown[]) => t.ctx.db.writer.prepare(sql).run(...args);
/** Move business time (sessions last hours of business time: everyone signs in again). */
function travel(at: string) {
  t.clock.set(new Date(at));
  sessions = new Map();
}

/** A signed-in caller; each role logs in once per app (login is rate limited). */
async function api(who: string) {
  let cookie = sessions.get(who);
  if (!cookie) sessions.set(who, (cookie = await login(t.app, who)));
  return as(t.app, cookie);
}

interface Line {
  category: string | null;
  mealPeriod: string;
  kind: string;
  orderCount: number;
  amountFen: number;
  disallowedFen: number;
}
interface Claim {
  id: string;
  canteenId: string;
  payer: string;
  period: string;
  state: string;
  orderCount: number;
  claimedFen: number;
  disallowedFen: number;
  disallowedCount: number;
  adjustmentFen: number;
  totalFen: number;
  lines: Line[];
  events: { action: string; reason: string | null; byName: string | null }[];
  adjustments: { reason: string; amountFen: number; orderId: string; sourcePeriod: string }[];
  disallowances: { orderId: string; reason: string; source: string; amountFen: number }[];
  anomalies: { id: string; kind: string; status: string; explanation: string }[];
  can: Record<string, boolean>;
}

const COUNTED = `o.state IN ('paid','ready','completed')`;

/** The stored splits, summed independently of the claims module. */
function splits(canteenId: string, payer: string, from: string, to: string) {
  return q<{ category: string | null; mealPeriod: string; kind: string; orders: number; fen: number }>(
    `SELECT o.resident_category AS category, o.meal_period AS mealPeriod, s.kind AS kind, count(DISTINCT o.id) AS orders, sum(s.amount_fen) AS fen
     FROM orders o JOIN order_subsidies s ON s.order_id = o.id
     WHERE o.canteen_id = ? AND s.payer = ? AND o.service_date BETWEEN ? AND ? AND ${COUNTED} AND s.amount_fen > 0
     GROUP BY 1, 2, 3`,
    canteenId,
    payer,
    from,
    to,
  );
}

const lineKey = (l: { category: string | null; mealPeriod: string; kind: string }) => `${l.category ?? '-'}|${l.mealPeriod}|${l.kind}`;

async function detail(id: string, who = 'admin'): Promise<Claim> {
  const res = await (await api(who)).get(`/api/v1/claims/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function generate(who: string, month: string, canteenId?: string): Promise<Claim[]> {
  const res = await (await api(who)).post('/api/v1/claims/generate', { month, ...(canteenId ? { canteenId } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

describe('claims from the stored splits', () => {
  it('every canteen’s claim to every payer equals the stored splits to the fen, per line and per payer, and each line lists exactly its orders', async () => {
    await fresh();
    for (const month of ['2026-10', '2026-11']) {
      const from = `${month}-01`;
      const to = month === '2026-10' ? '2026-10-31' : '2026-11-30';
      const res = await (await api('admin')).post('/api/v1/claims/generate', { month });
      expect(res.statusCode, res.body).toBe(200);
      const list = await (await api('admin')).get(`/api/v1/claims?month=${month}&limit=200`);
      const claims = list.json().items as Claim[];

      // Per payer: the claims add up to everything the payer's layers paid for the month's counted orders.
      const perPayer = q<{ payer: string; fen: number }>(
        `SELECT s.payer AS payer, sum(s.amount_fen) AS fen FROM orders o JOIN order_subsidies s ON s.order_id = o.id
         WHERE o.service_date BETWEEN ? AND ? AND ${COUNTED} AND s.amount_fen > 0 GROUP BY 1`,
        from,
        to,
      );
      expect(perPayer.map((p) => p.payer).sort()).toEqual([CITY, TIANHE].sort());
      for (const p of perPayer) {
        expect(
          claims.filter((c) => c.payer === p.payer).reduce((a, c) => a + c.claimedFen, 0),
          `${month} ${p.payer}`,
        ).toBe(p.fen);
      }
      expect(list.json().sums.claimedFen).toBe(perPayer.reduce((a, p) => a + p.fen, 0));

      // Per claim and line.
      for (const c of claims) {
        const d = await detail(c.id);
        const want = splits(c.canteenId, c.payer, from, to);
        expect(d.lines.map((l) => [lineKey(l), l.orderCount, l.amountFen]).sort(), `${c.canteenId} ${c.payer} ${month}`).toEqual(
          want.map((l) => [lineKey(l), l.orders, l.fen]).sort(),
        );
        expect(d.totalFen).toBe(d.claimedFen);
      }
    }

    // The orders behind one line, page by page, are exactly its orders and add up to its amount.
    const c = (await (await api('admin')).get('/api/v1/claims?month=2026-11&canteenId=ct-shipai-huashi&payer=' + encodeURIComponent(CITY))).json()
      .items[0] as Claim;
    const d = await detail(c.id);
    const line = d.lines.find((l) => l.kind === 'meal' && l.mealPeriod === 'lunch')!;
    const seen: { orderId: string; mealFen: number }[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await (
        await api('admin')
      ).get(`/api/v1/claims/${c.id}/orders?category=${line.category ?? 'none'}&mealPeriod=lunch&kind=meal&limit=100&offset=${offset}`);
      expect(page.statusCode, page.body).toBe(200);
      seen.push(...page.json().items);
      if (page.json().items.length < 100) {
        expect(page.json().total).toBe(line.orderCount);
        break;
      }
    }
    expect(new Set(seen.map((o) => o.orderId)).size).toBe(line.orderCount);
    expect(seen.reduce((a, o) => a + o.mealFen, 0)).toBe(line.amountFen);
  });

  it('claims a payer quarterly once the district says so: the quarter’s claim covers its three months', async () => {
    await fresh();
    const tianhe = await api('tianhe');
    const settings = await tianhe.get('/api/v1/claims/settings');
    expect(settings.json().find((p: { payer: string }) => p.payer === TIANHE)).toMatchObject({ cadence: 'month', canEdit: true });
    expect(settings.json().find((p: { payer: string }) => p.payer === CITY)).toMatchObject({ canEdit: false });
    expect((await tianhe.put('/api/v1/claims/settings', { payer: CITY, cadence: 'quarter', fromMonth: '2026-10' })).statusCode).toBe(403);
    expect((await tianhe.put('/api/v1/claims/settings', { payer: TIANHE, cadence: 'quarter', fromMonth: '2026-11' })).json().error.code).toBe('bad_request');
    const set = await tianhe.put('/api/v1/claims/settings', { payer: TIANHE, cadence: 'quarter', fromMonth: '2026-10' });
    expect(set.statusCode, set.body).toBe(200);

    const items = await generate('jiajia', '2026-11', 'ct-shipai-longkou');
    const q4 = items.find((c) => c.payer === TIANHE)!;
    const nov = items.find((c) => c.payer === CITY)!;
    expect(q4).toMatchObject({ period: '2026-Q4', cadence: 'quarter', periodFrom: '2026-10-01', periodTo: '2026-12-31' });
    expect(nov).toMatchObject({ period: '2026-11', cadence: 'month' });
    const want = splits('ct-shipai-longkou', TIANHE, '2026-10-01', '2026-12-31').reduce((a, l) => a + l.fen, 0);
    expect(q4.claimedFen).toBe(want);
    expect(want).toBeGreaterThan(splits('ct-shipai-longkou', TIANHE, '2026-11-01', '2026-11-30').reduce((a, l) => a + l.fen, 0));
    // The quarter has not ended: it can be previewed, not submitted.
    expect((await (await api('jiajia')).post(`/api/v1/claims/${q4.id}/submit`, {})).json().error.code).toBe('claim_period_open');
    // Once a claim of the payer is submitted, the cadence cannot be changed back over it.
    expect((await (await api('jiajia')).post(`/api/v1/claims/${nov.id}/submit`, {})).statusCode).toBe(200);
    const cityApi = await api('city');
    expect((await cityApi.put('/api/v1/claims/settings', { payer: CITY, cadence: 'quarter', fromMonth: '2026-10' })).json().error.code).toBe('conflict');
  });
});

describe('the review', () => {
  it('walks submit → street check → reject → resubmit → approve → paid, every reason to the operator and every step in the audit log; a late refund is an adjustment next month', async () => {
    await fresh();
    let op = await api('jiajia');
    const street = await api('shipai');
    let district = await api('tianhe');

    // The operator drafts November for 龙口西: one claim per payer.
    const items = await generate('jiajia', '2026-11', 'ct-shipai-longkou');
    expect(items.map((c) => c.payer).sort()).toEqual([CITY, TIANHE].sort());
    const id = items.find((c) => c.payer === CITY)!.id;

    // Nothing is reviewed before it is submitted; an order still waiting for payment holds the submission.
    expect((await street.post(`/api/v1/claims/${id}/check`, {})).json().error.code).toBe('invalid_state');
    const waiting = one<{ id: string }>(`SELECT id FROM orders WHERE canteen_id = 'ct-shipai-longkou' AND service_date = '2026-11-20' LIMIT 1`);
    exec(`UPDATE orders SET state = 'awaiting_payment' WHERE id = ?`, waiting.id);
    const unpaid = await op.post(`/api/v1/claims/${id}/submit`, {});
    expect(unpaid.json().error).toMatchObject({ code: 'claim_orders_unpaid', details: { orders: 1 } });
    exec(`UPDATE orders SET state = 'completed' WHERE id = ?`, waiting.id);

    // Submitted: the orders are snapshotted, and the scan finds the planted spike (and the late-recorded death).
    const sub = await op.post(`/api/v1/claims/${id}/submit`, {});
    expect(sub.statusCode, sub.body).toBe(200);
    const submitted = sub.json() as Claim;
    expect(submitted.state).toBe('submitted');
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM claim_orders WHERE claim_id = ?`, id).n).toBe(submitted.orderCount);
    expect(submitted.anomalies.map((a) => a.kind)).toContain('volume_spike');
    expect((await op.post(`/api/v1/claims/${id}/submit`, {})).json().error.code).toBe('invalid_state');

    // The street office passes it to the district; the district may not approve with anomalies open, and rejects it.
    expect((await district.post(`/api/v1/claims/${id}/check`, {})).statusCode).toBe(403);
    expect((await street.post(`/api/v1/claims/${id}/check`, { note: '台账与系统一致' })).json().state).toBe('checked');
    const blocked = await district.post(`/api/v1/claims/${id}/approve`, {});
    expect(blocked.json().error.code).toBe('claim_open_anomalies');
    const rejected = await district.post(`/api/v1/claims/${id}/reject`, { reason: '11月13日午餐订单量异常，请补充重阳节活动签到表后重新提交' });
    expect(rejected.json().state).toBe('rejected');

    // The operator reads why and resubmits; the street passes it again.
    const seen = await detail(id, 'jiajia');
    expect(seen.events.map((e) => [e.action, e.reason])).toContainEqual(['rejected', '11月13日午餐订单量异常，请补充重阳节活动签到表后重新提交']);
    expect(seen.can).toMatchObject({ submit: true, approve: false, check: false });
    expect((await op.post(`/api/v1/claims/${id}/submit`, {})).json().state).toBe('submitted');
    expect((await street.post(`/api/v1/claims/${id}/check`, {})).json().state).toBe('checked');

    // The district explains the spike, confirms the death (its orders leave the claim), disallows one more order.
    const before = await detail(id);
    for (const a of before.anomalies) {
      const res =
        a.kind === 'after_death'
          ? await district.post(`/api/v1/anomalies/${a.id}/confirm`, { note: '民政系统死亡登记为11月3日，之后的就餐为冒用' })
          : await district.post(`/api/v1/anomalies/${a.id}/explain`, { note: '重阳节社区活动，已核对签到表' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const afterAnomalies = await detail(id);
    const byAnomaly = afterAnomalies.disallowances.filter((d) => d.source === 'anomaly');
    const deadOrders = q<{ id: string; fen: number }>(
      `SELECT o.id, sum(s.amount_fen) AS fen FROM orders o JOIN order_subsidies s ON s.order_id = o.id
       WHERE o.canteen_id = 'ct-shipai-longkou' AND o.resident_id = (SELECT id FROM residents WHERE status = 'deceased')
         AND o.service_date BETWEEN (SELECT status_since FROM residents WHERE status = 'deceased') AND '2026-11-30' AND s.payer = ? AND s.amount_fen > 0
       GROUP BY o.id`,
      CITY,
    );
    expect(byAnomaly.map((d) => d.orderId).sort()).toEqual(deadOrders.map((o) => o.id).sort());
    const deadFen = deadOrders.reduce((a, o) => a + o.fen, 0);
    expect(afterAnomalies.totalFen).toBe(before.totalFen - deadFen);

    const victim = one<{ order_id: string; amount_fen: number }>(
      `SELECT order_id, amount_fen FROM claim_orders WHERE claim_id = ? AND order_id NOT IN (SELECT order_id FROM claim_disallowances WHERE claim_id = ?) ORDER BY order_id LIMIT 1`,
      id,
      id,
    );
    expect((await street.post(`/api/v1/claims/${id}/disallowances`, { orderId: victim.order_id, reason: '重复' })).json().error.code).toBe('invalid_state');
    const dis = await district.post(`/api/v1/claims/${id}/disallowances`, { orderId: victim.order_id, reason: '该长者当日在医院住院，无法到店就餐' });
    expect(dis.statusCode, dis.body).toBe(200);
    expect(dis.json().totalFen).toBe(afterAnomalies.totalFen - victim.amount_fen);
    expect(dis.json().disallowedFen).toBe(deadFen + victim.amount_fen);
    expect((await district.post(`/api/v1/claims/${id}/disallowances`, { orderId: victim.order_id, reason: '再来一次' })).json().error.code).toBe('conflict');
    expect((await district.post(`/api/v1/claims/${id}/disallowances`, { orderId: uuidv7(), reason: '不存在' })).statusCode).toBe(404);

    // Approve: frozen.
    const approved = await district.post(`/api/v1/claims/${id}/approve`, { note: '同意' });
    expect(approved.statusCode, approved.body).toBe(200);
    const frozen = approved.json() as Claim;
    expect(frozen.state).toBe('approved');
    expect((await op.post('/api/v1/claims/generate', { month: '2026-11', canteenId: 'ct-shipai-longkou' })).json().skipped).toBeGreaterThanOrEqual(1);
    expect((await detail(id)).totalFen).toBe(frozen.totalFen);
    expect((await district.post(`/api/v1/claims/${id}/reject`, { reason: '改主意' })).json().error.code).toBe('claim_frozen');

    // Paid: the whole approved total, with the transfer's reference.
    const cityApi = await api('city');
    expect(
      (await cityApi.post(`/api/v1/claims/${id}/payment`, { amountFen: frozen.totalFen - 1, paidOn: '2026-12-01', reference: 'GK2026120100123' })).statusCode,
    ).toBe(400);
    const paid = await cityApi.post(`/api/v1/claims/${id}/payment`, { amountFen: frozen.totalFen, paidOn: '2026-12-01', reference: 'GK2026120100123' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ state: 'paid', paidFen: frozen.totalFen, paidOn: '2026-12-01', paymentReference: 'GK2026120100123' });

    // December: a real lunch on 12-02; then an order of the paid November claim is refunded, and another is
    // disallowed late. Both become adjustment lines of the December claim; November does not move.
    travel('2026-12-02T12:00:00+08:00');
    op = await api('jiajia');
    district = await api('tianhe');
    const menu = await op.get('/api/v1/canteens/ct-shipai-longkou/menus/2026-12-02/lunch');
    expect(menu.statusCode, menu.body).toBe(200);
    const resident = one<{ id: string }>(
      `SELECT id FROM residents WHERE home_canteen_id = 'ct-shipai-longkou' AND status = 'active' AND hukou_area_code LIKE '4401%' ORDER BY id LIMIT 1`,
    );
    const dish = (menu.json().items as { dish: { id: string; isSetMeal: boolean } }[]).find((i) => i.dish.isSetMeal)!.dish.id;
    const order = await op.post('/api/v1/orders', {
      id: uuidv7(),
      canteenId: 'ct-shipai-longkou',
      residentId: resident.id,
      identifyMethod: 'staff',
      staffReason: { code: 'forgot_card', note: '' },
      lines: [{ dishId: dish, quantity: 1 }],
      paymentMethod: 'cash',
    });
    expect(order.statusCode, order.body).toBe(201);
    await op.post(`/api/v1/orders/${order.json().id}/confirm-payment`, { method: 'cash' });
    const refunded = one<{ order_id: string; amount_fen: number }>(
      `SELECT order_id, amount_fen FROM claim_orders WHERE claim_id = ? AND order_id NOT IN (SELECT order_id FROM claim_disallowances WHERE claim_id = ?) ORDER BY order_id DESC LIMIT 1`,
      id,
      id,
    );
    const refund = await op.post(`/api/v1/orders/${refunded.order_id}/refund`, { reason: '长者反映饭菜有异物，退款' });
    expect(refund.statusCode, refund.body).toBe(200);
    const late = one<{ order_id: string; amount_fen: number }>(
      `SELECT order_id, amount_fen FROM claim_orders WHERE claim_id = ? AND order_id NOT IN (SELECT order_id FROM claim_disallowances WHERE claim_id = ?) AND order_id <> ? ORDER BY order_id LIMIT 1`,
      id,
      id,
      refunded.order_id,
    );
    const lateDis = await district.post(`/api/v1/claims/${id}/disallowances`, { orderId: late.order_id, reason: '回访发现该长者当日未到店' });
    expect(lateDis.statusCode, lateDis.body).toBe(200);
    expect(lateDis.json().totalFen).toBe(frozen.totalFen);
    expect(lateDis.json().events.map((e: { action: string }) => e.action)).toContain('adjusted_later');

    travel('2027-01-04T10:00:00+08:00');
    const dec = (await generate('jiajia', '2026-12', 'ct-shipai-longkou')).find((c) => c.payer === CITY)!;
    const decDetail = await detail(dec.id, 'jiajia');
    expect(decDetail.adjustments.map((a) => [a.reason, a.orderId, a.amountFen, a.sourcePeriod]).sort()).toEqual(
      [
        ['disallowed', late.order_id, -late.amount_fen, '2026-11'],
        ['refund', refunded.order_id, -refunded.amount_fen, '2026-11'],
      ].sort(),
    );
    expect(decDetail.claimedFen).toBe(splits('ct-shipai-longkou', CITY, '2026-12-01', '2026-12-31').reduce((a, l) => a + l.fen, 0));
    expect(decDetail.claimedFen).toBeGreaterThan(0);
    expect(decDetail.totalFen).toBe(decDetail.claimedFen - late.amount_fen - refunded.amount_fen);
    expect((await detail(id)).totalFen).toBe(frozen.totalFen);
    // The refund happened once: generating again makes no second adjustment.
    const again = (await generate('jiajia', '2026-12', 'ct-shipai-longkou')).find((c) => c.payer === CITY)!;
    expect(again.adjustmentFen).toBe(decDetail.adjustmentFen);

    // Every step, with who and before/after, in the audit log.
    const log = await (await api('city')).get(`/api/v1/audit?entityType=claim&entityId=${id}&limit=100`);
    expect(log.statusCode, log.body).toBe(200);
    const actions = (log.json().items as { action: string; actorName: string | null; details: Record<string, unknown> }[]).reverse();
    expect(actions.map((a) => a.action)).toEqual([
      'claim.generated',
      'claim.submitted',
      'claim.checked',
      'claim.rejected',
      'claim.resubmitted',
      'claim.checked',
      // The late-recorded death is confirmed: a step only where the claim held the dead resident's meals.
      ...(deadOrders.length ? ['claim.disallowed_by_anomaly'] : []),
      'claim.disallowed',
      'claim.approved',
      'claim.paid',
      'claim.adjustment',
      'claim.adjustment',
    ]);
    const approvedRow = actions.find((a) => a.action === 'claim.approved')!;
    expect(approvedRow.actorName).toBe('天河区民政局 林主任');
    expect(approvedRow.details).toMatchObject({ before: { state: 'checked' }, after: { state: 'approved', totalFen: frozen.totalFen } });
    expect((await (await api('city')).get('/api/v1/audit/verify')).json().ok).toBe(true);
  });

  it('guards each step: the period must be over, no one checks or approves their own claim, the street may send back, scope hides other areas', async () => {
    await fresh('2026-11-23T12:00:00+08:00');
    let op = await api('yikang');
    const [c] = (await generate('yikang', '2026-11', 'ct-shipai-huashi')).filter((x) => x.payer === CITY);
    // Not offered while the period runs (the draft can be read), and refused if sent anyway.
    expect((await detail(c!.id, 'yikang')).can).toMatchObject({ submit: false, regenerate: true });
    expect((await op.post(`/api/v1/claims/${c!.id}/submit`, {})).json().error).toMatchObject({
      code: 'claim_period_open',
      details: { periodTo: '2026-11-30' },
    });
    travel(MONTH_END);
    op = await api('yikang');
    expect((await detail(c!.id, 'yikang')).can.submit).toBe(true);

    // The administrator runs canteens and reviews claims, but never both for the same claim.
    const admin = await api('admin');
    expect((await admin.post(`/api/v1/claims/${c!.id}/submit`, {})).statusCode).toBe(200);
    expect((await admin.post(`/api/v1/claims/${c!.id}/check`, {})).json().error.code).toBe('four_eyes');
    const back = await (await api('shipai')).post(`/api/v1/claims/${c!.id}/return`, { reason: '缺少11月份留样记录，请补充' });
    expect(back.json().state).toBe('returned');
    expect((await detail(c!.id, 'yikang')).events.at(-1)).toMatchObject({
      action: 'returned',
      reason: '缺少11月份留样记录，请补充',
      byName: '石牌街道 何干事',
    });
    // The signing form says the street sent it back: the officer is not named as having passed it (街道审核).
    const backPdf = readPdf((await op.get(`/api/v1/claims/${c!.id}/export?format=pdf`)).rawPayload).pages.join('\n');
    expect(backPdf).toMatch(/街道退回\s*石牌街道 何干事/);
    expect(backPdf).not.toMatch(/街道审核\s*石牌街道 何干事/);
    // A returned claim is regenerated from the live orders (its snapshot dropped) and keeps its reasons until resubmitted.
    const regen = (await generate('yikang', '2026-11', 'ct-shipai-huashi')).find((x) => x.id === c!.id)!;
    expect(regen.state).toBe('returned');
    const returned = await detail(c!.id, 'yikang');
    expect(returned).toMatchObject({ snapshot: false, can: { submit: true, check: false } });
    expect(returned.events.map((e) => e.action)).toEqual(['generated', 'submitted', 'returned', 'regenerated']);

    // Scope: other operators, other streets and other districts get 404; operators cannot review.
    expect((await (await api('jiajia')).get(`/api/v1/claims/${c!.id}`)).statusCode).toBe(404);
    const hongde = (await generate('admin', '2026-11', 'ct-hongde'))[0]!;
    expect((await (await api('tianhe')).get(`/api/v1/claims/${hongde.id}`)).statusCode).toBe(404);
    expect((await (await api('shipai')).get(`/api/v1/claims/${hongde.id}/orders`)).statusCode).toBe(404);
    expect((await op.post(`/api/v1/claims/${c!.id}/check`, {})).statusCode).toBe(403);
    const streetList = (await (await api('shipai')).get('/api/v1/claims?month=2026-11')).json().items as Claim[];
    expect(streetList.length).toBeGreaterThan(0);
    expect(streetList.every((x) => ['ct-shipai-huashi', 'ct-shipai-longkou'].includes(x.canteenId))).toBe(true);
    expect((await (await api('jiajia')).post('/api/v1/claims/generate', { month: '2026-11', canteenId: 'ct-shipai-huashi' })).statusCode).toBe(404);
  });
});

describe('documents for signing', () => {
  it('the claim as a signed PDF and as a workbook, the anomalies as a list', async () => {
    await fresh();
    const op = await api('jiajia');
    const c = (await generate('jiajia', '2026-11', 'ct-shipai-longkou')).find((x) => x.payer === CITY)!;
    await op.post(`/api/v1/claims/${c.id}/submit`, {});
    await (await api('shipai')).post(`/api/v1/claims/${c.id}/check`, {});
    const victim = one<{ order_id: string }>(`SELECT order_id FROM claim_orders WHERE claim_id = ? ORDER BY order_id LIMIT 1`, c.id);
    await (await api('tianhe')).post(`/api/v1/claims/${c.id}/disallowances`, { orderId: victim.order_id, reason: '签到表上没有该长者' });
    const d = await detail(c.id);

    const pdf = await (await api('tianhe')).get(`/api/v1/claims/${c.id}/export?format=pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(decodeURIComponent(String(pdf.headers['content-disposition']))).toContain('补贴申报_天河区石牌街龙口西社区长者饭堂_广州市民政局_2026-11.pdf');
    const doc = readPdf(pdf.rawPayload);
    const text = doc.pages.join('\n');
    expect(text).toContain('长者助餐补贴申报表');
    expect(text).toContain('签到表上没有该长者');
    expect(text).toContain('附件：订单明细');
    expect(text).toContain('区民政审批');
    // Who did each step and when, written as every other time in the document ('2026-12-1 10:00:' before).
    expect(text).toMatch(/提交\s*家家乐 陈经理 2026-12-01 10:\d\d(?![:\d])/);
    expect(text).toMatch(/街道审核\s*石牌街道 何干事 2026-12-01 10:\d\d(?![:\d])/);
    expect(text).toContain((d.totalFen / 100).toFixed(2));
    expect(text).toMatch(/第 1 页/);

    const xlsx = await (await api('jiajia')).get(`/api/v1/claims/${c.id}/export?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '核减', '调整', '异常', '订单明细']);
    // The summary's totals row sums money, not the lines' order counts: one order is on up to three lines.
    const totals: unknown[][] = [];
    wb.getWorksheet('汇总')!.eachRow((row) => {
      if (row.getCell(1).value === '合计') totals.push([row.getCell(4).value, row.getCell(5).value]);
    });
    expect(totals).toHaveLength(1);
    expect(totals[0]![0] ?? null).toBeNull();
    expect(Math.round(Number(totals[0]![1]) * 100)).toBe(d.lines.reduce((s, l) => s + l.amountFen, 0));
    const annex = wb.getWorksheet('订单明细')!;
    let rows = 0;
    annex.eachRow((row) => {
      if (/^\d{4}-\d{2}-\d{2}$/.test(String(row.getCell(1).value))) rows += 1;
    });
    expect(rows).toBe(d.orderCount);

    const list = await (await api('tianhe')).get('/api/v1/anomalies/export?format=xlsx&month=2026-11');
    expect(list.statusCode).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(list.rawPayload as unknown as ArrayBuffer);
    const sheet = wb2.worksheets[0]!;
    const kinds: string[] = [];
    sheet.eachRow((row) => kinds.push(String(row.getCell(1).value)));
    expect(kinds).toContain('订单量异常激增');
    expect((await (await api('yikang')).get(`/api/v1/claims/${c.id}/export?format=pdf`)).statusCode).toBe(404);

    // The documents travel: an explanation that names an elder names them masked, as the 长者 column does.
    const deadClaim = (await generate('admin', '2026-11', 'ct-shipai-huashi')).find((x) => x.payer === CITY)!;
    const dead = one<{ name: string }>(
      `SELECT r.name FROM anomalies a JOIN residents r ON r.id = a.resident_id WHERE a.kind = 'after_death' AND a.canteen_id = 'ct-shipai-huashi' AND a.period_from = '2026-11-01'`,
    );
    const masked = `${[...dead.name][0]}${'*'.repeat([...dead.name].length - 2)}${[...dead.name].at(-1)}`;
    const sheetText = (ws: ExcelJS.Worksheet) => {
      const cells: string[] = [];
      ws.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
      return cells.join('\n');
    };
    const list2 = await (await api('tianhe')).get('/api/v1/anomalies/export?format=xlsx&month=2026-11');
    const wbList = new ExcelJS.Workbook();
    await wbList.xlsx.load(list2.rawPayload as unknown as ArrayBuffer);
    const listText = sheetText(wbList.worksheets[0]!);
    expect(listText).toContain(`${masked}登记于`);
    expect(listText).not.toContain(dead.name);
    expect((await detail(deadClaim.id)).anomalies.some((a) => a.explanation.includes(dead.name))).toBe(true); // the screen, for its reviewers
    const deadBook = await (await api('tianhe')).get(`/api/v1/claims/${deadClaim.id}/export?format=xlsx`);
    const wb3 = new ExcelJS.Workbook();
    await wb3.xlsx.load(deadBook.rawPayload as unknown as ArrayBuffer);
    const anomalySheet = sheetText(wb3.getWorksheet('异常')!);
    expect(anomalySheet).toContain(`${masked}登记于`);
    expect(wb3.worksheets.map(sheetText).join('\n')).not.toContain(dead.name);
    const deadPdf = readPdf((await (await api('tianhe')).get(`/api/v1/claims/${deadClaim.id}/export?format=pdf`)).rawPayload).pages.join('\n');
    expect(deadPdf).toContain(`${masked}登记于`);
    expect(deadPdf).not.toContain(dead.name);
  });
});

describe('annual clearing', () => {
  it('sums each district’s approved claims of the year from their frozen totals, paid and owed, with the claims still open; scoped, and exported for signing', async () => {
    await fresh();
    await generate('admin', '2026-10');
    await generate('admin', '2026-11');

    // One claim the whole way to paid, as the people involved do it.
    const op = await api('jiajia');
    const c = (await generate('jiajia', '2026-11', 'ct-shipai-longkou')).find((x) => x.payer === CITY)!;
    expect((await op.post(`/api/v1/claims/${c.id}/submit`, {})).statusCode).toBe(200);
    expect((await (await api('shipai')).post(`/api/v1/claims/${c.id}/check`, {})).json().state).toBe('checked');
    const district = await api('tianhe');
    for (const a of (await detail(c.id)).anomalies) {
      expect((await district.post(`/api/v1/anomalies/${a.id}/explain`, { note: '已核对签到表' })).statusCode).toBe(200);
    }
    const approved = (await district.post(`/api/v1/claims/${c.id}/approve`, {})).json() as Claim;
    expect(approved.state).toBe('approved');
    const paid = await (
      await api('city')
    ).post(`/api/v1/claims/${c.id}/payment`, { amountFen: approved.totalFen, paidOn: '2026-12-01', reference: 'GK2026120100456' });
    expect(paid.statusCode, paid.body).toBe(200);
    // A claim of another district approved but not paid yet (its review is another test's subject).
    const other = one<{ id: string; district_code: string }>(
      `SELECT id, district_code FROM claims WHERE district_code <> (SELECT district_code FROM claims WHERE id = ?) AND period = '2026-10' ORDER BY id LIMIT 1`,
      c.id,
    );
    exec(`UPDATE claims SET state = 'approved' WHERE id = ?`, other.id);

    const expected = q<{ district: string; claims: number; open: number; total: number; paid: number; claimed: number }>(
      `SELECT district_code AS district,
              sum(state IN ('approved','paid')) AS claims, sum(state NOT IN ('approved','paid')) AS open,
              sum(CASE WHEN state IN ('approved','paid') THEN total_fen ELSE 0 END) AS total,
              sum(CASE WHEN state IN ('approved','paid') THEN coalesce(paid_fen, 0) ELSE 0 END) AS paid,
              sum(CASE WHEN state IN ('approved','paid') THEN claimed_fen ELSE 0 END) AS claimed
       FROM claims WHERE period_from BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY district_code ORDER BY district_code`,
    );
    expect(expected.filter((e) => e.claims > 0)).toHaveLength(2);

    const res = await (await api('city')).get('/api/v1/claims/clearing?year=2026');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      districtReportBy: string;
      cityClearingBy: string;
      districts: {
        code: string;
        name: string;
        claims: number;
        openClaims: number;
        totalFen: number;
        paidFen: number;
        outstandingFen: number;
        claimedFen: number;
        byPayer: { payer: string; totalFen: number }[];
      }[];
      total: { claims: number; openClaims: number; totalFen: number; paidFen: number; outstandingFen: number };
    };
    expect(body).toMatchObject({ districtReportBy: '2027-04-30', cityClearingBy: '2027-05-31' });
    expect(body.districts.map((d) => [d.code, d.claims, d.openClaims, d.totalFen, d.paidFen, d.claimedFen])).toEqual(
      expected.map((e) => [e.district, e.claims, e.open, e.total, e.paid, e.claimed]),
    );
    for (const d of body.districts) {
      expect(d.outstandingFen).toBe(d.totalFen - d.paidFen);
      expect(d.byPayer.reduce((a, p) => a + p.totalFen, 0)).toBe(d.totalFen);
      expect(d.name).not.toBe(d.code);
    }
    const tianhe = body.districts.find((d) => d.byPayer.some((p) => p.payer === CITY && p.totalFen === approved.totalFen))!;
    expect(tianhe.paidFen).toBe(approved.totalFen);
    expect(body.total).toMatchObject({
      claims: 2,
      totalFen: expected.reduce((a, e) => a + e.total, 0),
      paidFen: approved.totalFen,
      openClaims: expected.reduce((a, e) => a + e.open, 0),
    });

    // District staff see their district; street staff their street's share; operators have no clearing.
    const mine = (await district.get('/api/v1/claims/clearing?year=2026')).json() as typeof body;
    expect(mine.districts.map((d) => d.code)).toEqual([tianhe.code]);
    const street = (await (await api('shipai')).get('/api/v1/claims/clearing?year=2026')).json() as typeof body;
    expect(street.total.claims).toBe(1);
    expect(street.total.openClaims).toBe(
      one<{ n: number }>(`SELECT count(*) AS n FROM claims WHERE canteen_id IN ('ct-shipai-huashi','ct-shipai-longkou') AND state NOT IN ('approved','paid')`)
        .n,
    );
    expect((await op.get('/api/v1/claims/clearing?year=2026')).statusCode).toBe(403);
    const empty = (await (await api('city')).get('/api/v1/claims/clearing?year=2025')).json() as typeof body;
    expect(empty.districts).toEqual([]);
    expect(empty.total.totalFen).toBe(0);
    expect((await (await api('city')).get('/api/v1/claims/clearing?year=20266')).json().error.code).toBe('bad_request');

    // The workbook carries the same figures as numbers; the PDF has the signature lines.
    const xlsx = await (await api('city')).get('/api/v1/claims/clearing/export?year=2026&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['按区', '按付款方']);
    const sheet = wb.getWorksheet('按区')!;
    const cells: Record<string, number> = {};
    sheet.eachRow((row) => {
      const v = row.getCell(7).value;
      if (typeof v === 'number') cells[String(row.getCell(1).value)] = v;
    });
    for (const d of body.districts) expect(cells[d.name]).toBeCloseTo(d.totalFen / 100, 2);
    const pdf = await (await api('city')).get('/api/v1/claims/clearing/export?year=2026&format=pdf');
    expect(pdf.statusCode).toBe(200);
    const text = readPdf(pdf.rawPayload).pages.join('\n');
    expect(text).toContain('2026年度 长者助餐补贴清算表');
    expect(text).toContain('市民政局审核');
    expect(text).toContain(tianhe.name);
  });
});

/**
 * The anomaly scan on the demo city's 60 days (as `pnpm start` and the browser tests have it), at month end
 * (2026-12-01): every irregularity the seed plants is found by its kind, the clean canteens raise nothing, and each
 * other kind is planted here (the way it happens: a record corrected late, a canteen suspended, a claimed order
 * refunded …) and found. Thresholds: ./thresholds.ts.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { AnomalyFigures } from '@yishi/shared/schemas';
import { as, login, makeApp, seededTemplate, type TestApp } from '../../../test/helpers';

const MONTH_END = '2026-12-01T10:00:00+08:00';
let t: TestApp;

beforeAll(async () => {
  await seededTemplate(60);
}, 180_000);
afterEach(async () => t?.close());

async function fresh(at = MONTH_END) {
  t = await makeApp({ historyDays: 60, at });
  return t;
}

const q = <T = Record<string, unknown>>(sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).all(...args) as T[];
const one = <T = Record<string, unknown>>(sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).get(...args) as T;
const exec = (sql: string, ...args: unknown[]) => t.ctx.db.writer.prepare(sql).run(...args);

interface A {
  id: string;
  kind: string;
  canteenId: string;
  residentId: string | null;
  status: string;
  periodFrom: string;
  firstDate: string;
  lastDate: string;
  orderCount: number;
  amountFen: number;
  explanation: string;
  figures: Record<string, unknown>;
}

async function scan(month: string, who = 'city', body: Record<string, unknown> = {}) {
  const api = as(t.app, await login(t.app, who));
  const res = await api.post('/api/v1/anomalies/scan', { month, ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function anomaliesOf(month: string, who = 'city'): Promise<A[]> {
  const api = as(t.app, await login(t.app, who));
  const res = await api.get(`/api/v1/anomalies?month=${month}&limit=200`);
  expect(res.statusCode, res.body).toBe(200);
  const items: A[] = res.json().items;
  // Every finding carries the figures the console says its explanation from, in either language (codes, dates, fen; no words).
  for (const a of items) {
    const parsed = AnomalyFigures[a.kind as keyof typeof AnomalyFigures].safeParse(a.figures);
    expect(parsed.success, `${a.kind} ${JSON.stringify(a.figures)} ${parsed.error?.message ?? ''}`).toBe(true);
  }
  return items;
}

async function ordersOf(id: string, who = 'city'): Promise<string[]> {
  const api = as(t.app, await login(t.app, who));
  const res = await api.get(`/api/v1/anomalies/${id}/orders?limit=500`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { orderId: string }[]).map((o) => o.orderId).sort();
}

const COUNTED = `state IN ('paid','ready','completed')`;
const SUBSIDISED = `elder_subsidy_fen + operator_subsidy_fen > 0`;

/** What the demo seed plants, as (kind, canteen): everything the scan may find in the clean demo city. */
function planted(a: A): boolean {
  if (a.kind === 'after_death') return a.residentId === one<{ id: string }>(`SELECT id FROM residents WHERE status = 'deceased'`).id;
  if (a.kind === 'outside_hours') return a.canteenId === 'ct-yuancun';
  if (a.kind === 'staff_keyed') return a.canteenId === 'ct-hongde';
  if (a.kind === 'volume_spike') return a.canteenId === 'ct-shipai-longkou';
  return false;
}

describe('the demo city', () => {
  it('finds every planted irregularity by its kind, and nothing at the clean canteens (September to November)', async () => {
    await fresh();
    for (const m of ['2026-09', '2026-10', '2026-11']) await scan(m);
    const all = [...(await anomaliesOf('2026-09')), ...(await anomaliesOf('2026-10')), ...(await anomaliesOf('2026-11'))];
    expect(
      all.filter((a) => !planted(a)).map((a) => `${a.kind} ${a.canteenId} ${a.explanation}`),
      'no false alarms',
    ).toEqual([]);
    const nov = all.filter((a) => a.periodFrom === '2026-11-01');
    expect(new Set(nov.map((a) => a.kind))).toEqual(new Set(['after_death', 'outside_hours', 'staff_keyed', 'volume_spike']));

    // 王银好: recorded deceased late; every subsidised meal from that date on is behind the anomaly.
    const dead = one<{ id: string; name: string; since: string }>(`SELECT id, name, status_since AS since FROM residents WHERE status = 'deceased'`);
    const after = q<{ id: string }>(
      `SELECT id FROM orders WHERE resident_id = ? AND service_date >= ? AND service_date < '2026-12-01' AND ${COUNTED} AND ${SUBSIDISED}`,
      dead.id,
      dead.since,
    ).map((r) => r.id);
    expect(after.length).toBeGreaterThan(10);
    const deaths = nov.filter((a) => a.kind === 'after_death');
    const behind = (await Promise.all(deaths.map((a) => ordersOf(a.id)))).flat().sort();
    expect(behind).toEqual([...after].sort());
    expect(deaths[0]!.explanation).toContain(dead.name);
    expect(deaths[0]!.explanation).toContain(dead.since);

    // 员村: the meals keyed at 21:40 and after.
    const late = nov.find((a) => a.kind === 'outside_hours')!;
    const expected = q<{ id: string }>(
      `SELECT id FROM orders WHERE canteen_id = 'ct-yuancun' AND service_date BETWEEN '2026-11-01' AND '2026-11-30' AND ${COUNTED} AND ${SUBSIDISED}
        AND strftime('%H:%M', created_at, '+480 minutes') >= '21:00'`,
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await ordersOf(late.id)).toEqual(expected.sort());

    // 洪德: the staff-keyed share, against the city's.
    const staff = nov.find((a) => a.kind === 'staff_keyed')!;
    expect(staff.figures.share as number).toBeGreaterThan(0.5);
    expect(staff.figures.cityShare as number).toBeLessThan(0.15);
    expect(staff.explanation).toMatch(/洪德长者饭堂.*\d+\.\d%.*全市为\d+\.\d%/);

    // 龙口西: one lunch far above its own Fridays.
    const spike = nov.find((a) => a.kind === 'volume_spike')!;
    expect(spike.firstDate).toBe(spike.lastDate);
    const n = one<{ n: number }>(
      `SELECT count(*) AS n FROM orders WHERE canteen_id = 'ct-shipai-longkou' AND service_date = ? AND meal_period = 'lunch' AND ${COUNTED}`,
      spike.firstDate,
    ).n;
    expect(spike.orderCount).toBe(n);
    expect(spike.figures.ratio as number).toBeGreaterThanOrEqual(2);
    expect(spike.explanation).toContain(spike.firstDate);
  });

  it('a second scan changes nothing; a street office sees only its street, operators none, and other areas’ ids are not found', async () => {
    await fresh();
    const first = await scan('2026-11');
    expect(first.created).toBeGreaterThan(0);
    const again = await scan('2026-11');
    expect(again).toMatchObject({ created: 0, reopened: 0, withdrawn: 0, updated: first.found });

    const street = await anomaliesOf('2026-11', 'shipai');
    expect(street.length).toBeGreaterThan(0);
    expect(street.every((a) => ['ct-shipai-huashi', 'ct-shipai-longkou'].includes(a.canteenId))).toBe(true);
    const all = await anomaliesOf('2026-11');
    const hongde = all.find((a) => a.canteenId === 'ct-hongde')!;
    const shipai = as(t.app, await login(t.app, 'shipai'));
    expect((await shipai.get(`/api/v1/anomalies/${hongde.id}`)).statusCode).toBe(404);
    expect((await shipai.post(`/api/v1/anomalies/${hongde.id}/explain`, { note: '不是我们街道的' })).statusCode).toBe(404);
    const tianhe = as(t.app, await login(t.app, 'tianhe'));
    expect((await tianhe.get(`/api/v1/anomalies/${hongde.id}/orders`)).statusCode).toBe(404);
    const op = as(t.app, await login(t.app, 'yikang'));
    expect((await op.get('/api/v1/anomalies')).statusCode).toBe(403);
    expect((await op.post('/api/v1/anomalies/scan', { month: '2026-11' })).statusCode).toBe(403);
  });
});

describe('each kind, planted and found', () => {
  /** Scan a month and return what is new at a canteen against the clean demo's findings. */
  async function newFindings(month: string, mutate: () => Promise<void> | void): Promise<A[]> {
    await scan(month);
    const before = new Set((await anomaliesOf(month)).map((a) => a.id));
    await mutate();
    await scan(month);
    return (await anomaliesOf(month)).filter((a) => !before.has(a.id));
  }

  it('double_subsidy: the same elder subsidised again in the same meal period at another canteen', async () => {
    await fresh();
    const o = one<{ id: string; resident_id: string; service_date: string; created_at: string }>(
      `SELECT id, resident_id, service_date, created_at FROM orders WHERE canteen_id = 'ct-shipai-huashi' AND meal_period = 'lunch'
        AND service_date = '2026-11-18' AND elder_subsidy_fen > 0 AND ${COUNTED}
        AND resident_id IN (SELECT id FROM residents WHERE status = 'active') ORDER BY id LIMIT 1`,
    );
    const second = uuidv7();
    const found = await newFindings('2026-11', () => {
      // An operator keys a second lunch for the same elder at another canteen, claiming the operating subsidy again.
      exec(
        `INSERT INTO orders (id, canteen_id, resident_id, service_date, meal_period, fulfilment, state, identify_method, pickup_number, meal_price_fen,
          elder_subsidy_fen, elder_pays_fen, operator_subsidy_fen, payment_method, policy_version_ids, created_at, paid_at, request_hash, resident_category)
         VALUES (?, 'ct-yuancun', ?, '2026-11-18', 'lunch', 'dine_in', 'completed', 'staff', 999, 1200, 0, 1200, 150, 'cash', '["pv-guangzhou-2024-v1"]', ?, ?, 'x', 'ordinary')`,
        second,
        o.resident_id,
        new Date(Date.parse(o.created_at) + 3600_000).toISOString(),
        new Date(Date.parse(o.created_at) + 3600_000).toISOString(),
      );
      exec(
        `INSERT INTO order_subsidies (order_id, layer_key, policy_version_id, layer_id, layer_name, level, payer, kind, amount_fen, reason)
         VALUES (?, 'pv-guangzhou-2024-v1:operating', 'pv-guangzhou-2024-v1', 'operating', '运营补贴', 'city', '广州市民政局', 'operating', 150, 'applied')`,
        second,
      );
    });
    expect(found.map((a) => a.kind)).toEqual(['double_subsidy']);
    expect(found[0]).toMatchObject({ residentId: o.resident_id, canteenId: 'ct-yuancun', firstDate: '2026-11-18' });
    expect(await ordersOf(found[0]!.id)).toEqual([o.id, second].sort());
  });

  it('after_move_out: a move recorded late leaves subsidised meals after it; withdrawn when the record is put right', async () => {
    await fresh();
    const r = one<{ resident_id: string }>(
      `SELECT resident_id FROM orders WHERE canteen_id = 'ct-shipai-huashi' AND service_date >= '2026-11-10' AND ${SUBSIDISED} AND ${COUNTED}
        AND resident_id IN (SELECT id FROM residents WHERE status = 'active' AND residence_area_code LIKE '440106004%')
        GROUP BY resident_id HAVING count(*) >= 3 ORDER BY resident_id LIMIT 1`,
    );
    const shipai = as(t.app, await login(t.app, 'shipai'));
    const found = await newFindings('2026-11', async () => {
      const res = await shipai.patch(`/api/v1/residents/${r.resident_id}`, { status: 'moved', statusSince: '2026-11-10' });
      expect(res.statusCode, res.body).toBe(200);
    });
    // One finding per canteen the elder ate at after the move (the demo's elders also eat away from home).
    expect(new Set(found.map((a) => a.kind))).toEqual(new Set(['after_move_out']));
    expect(found.every((a) => a.residentId === r.resident_id)).toBe(true);
    expect(new Set(found.map((a) => a.canteenId)).size).toBe(found.length);
    const expected = q<{ id: string }>(
      `SELECT id FROM orders WHERE resident_id = ? AND service_date BETWEEN '2026-11-10' AND '2026-11-30' AND ${SUBSIDISED} AND ${COUNTED}`,
      r.resident_id,
    ).map((x) => x.id);
    const behind = (await Promise.all(found.map((a) => ordersOf(a.id)))).flat();
    expect(behind.sort()).toEqual(expected.sort());
    expect(found[0]!.explanation).toContain('迁出');

    // Explained; then the date is corrected to earlier: more meals fall after it, and the anomaly opens again.
    const tianhe = as(t.app, await login(t.app, 'tianhe'));
    const ex = await tianhe.post(`/api/v1/anomalies/${found[0]!.id}/explain`, { note: '已核实，搬家前在本社区就餐' });
    expect(ex.statusCode, ex.body).toBe(200);
    expect(ex.json()).toMatchObject({ status: 'explained', note: '已核实，搬家前在本社区就餐', resolvedByName: '天河区民政局 林主任' });
    expect((await tianhe.post(`/api/v1/anomalies/${found[0]!.id}/confirm`, { note: '改主意' })).json().error.code).toBe('invalid_state');
    await shipai.patch(`/api/v1/residents/${r.resident_id}`, { status: 'moved', statusSince: '2026-11-02' });
    const reopened = await scan('2026-11');
    expect(reopened.reopened).toBe(1);
    expect((await anomaliesOf('2026-11')).find((a) => a.id === found[0]!.id)!.status).toBe('open');

    // Back to active (the move was keyed by mistake): the open anomaly is withdrawn.
    await shipai.patch(`/api/v1/residents/${r.resident_id}`, { status: 'active' });
    expect((await scan('2026-11')).withdrawn).toBe(found.length);
    expect((await anomaliesOf('2026-11')).some((a) => a.id === found[0]!.id)).toBe(false);
  });

  it('under_age: a birth date corrected to under 60', async () => {
    await fresh();
    const r = one<{ resident_id: string }>(
      `SELECT resident_id FROM orders WHERE service_date >= '2026-11-01' AND ${SUBSIDISED} AND ${COUNTED} AND resident_id IS NOT NULL
        AND resident_id IN (SELECT id FROM residents WHERE status = 'active') GROUP BY resident_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const found = await newFindings('2026-11', () => {
      exec(`UPDATE residents SET birth_date = '1968-06-01' WHERE id = ?`, r.resident_id);
    });
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((a) => a.kind))).toEqual(new Set(['under_age']));
    const n = one<{ n: number }>(
      `SELECT count(*) AS n FROM orders WHERE resident_id = ? AND service_date BETWEEN '2026-11-01' AND '2026-11-30' AND ${SUBSIDISED} AND ${COUNTED}`,
      r.resident_id,
    ).n;
    expect(found.reduce((a, x) => a + x.orderCount, 0)).toBe(n);
    expect(found[0]!.explanation).toContain('1968-06-01');
  });

  it('category_expired: 低保 ended back-dated, after the district top-up paid for it', async () => {
    await fresh();
    const r = one<{ resident_id: string }>(
      `SELECT o.resident_id FROM orders o JOIN order_subsidies s ON s.order_id = o.id
        WHERE s.layer_key LIKE 'pv-tianhe-top-up-v1:%' AND s.amount_fen > 0 AND o.resident_category = 'dibao' AND o.service_date >= '2026-11-06'
          AND o.${COUNTED} GROUP BY o.resident_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const cat = one<{ id: string }>(`SELECT id FROM resident_categories WHERE resident_id = ? AND code = 'dibao'`, r.resident_id);
    const admin = as(t.app, await login(t.app, 'admin'));
    const found = await newFindings('2026-11', async () => {
      const res = await admin.post(`/api/v1/residents/${r.resident_id}/categories/${cat.id}/end`, {
        validTo: '2026-11-05',
        reason: '复核：家庭收入超标，自11月5日起不再享受低保',
      });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(found.map((a) => a.kind)).toEqual(['category_expired']);
    expect(found[0]!.firstDate >= '2026-11-06').toBe(true);
    expect(found[0]!.explanation).toContain('低保');
  });

  it('delivery_level: a care level corrected down, after delivery subsidies paid at the higher level', async () => {
    await fresh();
    const r = one<{ resident_id: string }>(
      `SELECT o.resident_id FROM orders o JOIN order_subsidies s ON s.order_id = o.id
        WHERE s.kind = 'delivery' AND s.amount_fen > 0 AND o.service_date >= '2026-11-01' AND o.${COUNTED}
        GROUP BY o.resident_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const admin = as(t.app, await login(t.app, 'admin'));
    const found = await newFindings('2026-11', async () => {
      const res = await admin.patch(`/api/v1/residents/${r.resident_id}`, { careLevel: 0, disabilityGrade: null });
      expect(res.statusCode, res.body).toBe(200);
    });
    // One finding per canteen that delivered to the elder at the higher level.
    expect(new Set(found.map((a) => a.kind))).toEqual(new Set(['delivery_level']));
    expect(new Set(found.map((a) => a.canteenId)).size).toBe(found.length);
    const n = one<{ n: number }>(
      `SELECT count(*) AS n FROM orders o JOIN order_subsidies s ON s.order_id = o.id
        WHERE o.resident_id = ? AND s.kind = 'delivery' AND s.amount_fen > 0 AND o.service_date BETWEEN '2026-11-01' AND '2026-11-30' AND o.${COUNTED}`,
      r.resident_id,
    ).n;
    expect(found.reduce((a, x) => a + x.orderCount, 0)).toBe(n);
  });

  it('closed_day: a canteen suspended for days it still recorded subsidised meals', async () => {
    await fresh();
    const admin = as(t.app, await login(t.app, 'admin'));
    const found = await newFindings('2026-11', async () => {
      const res = await admin.post('/api/v1/canteens/ct-nanhuaxi/status', { status: 'suspended', reason: '厨房整改', from: '2026-11-16', until: '2026-11-20' });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(found.map((a) => `${a.kind} ${a.canteenId}`)).toEqual(['closed_day ct-nanhuaxi']);
    const expected = q<{ id: string }>(
      `SELECT id FROM orders WHERE canteen_id = 'ct-nanhuaxi' AND service_date BETWEEN '2026-11-16' AND '2026-11-20' AND ${SUBSIDISED} AND ${COUNTED}`,
    ).map((x) => x.id);
    expect(await ordersOf(found[0]!.id)).toEqual(expected.sort());
    expect(found[0]!.explanation).toContain('暂停服务');
  });

  it('price_clustering: a canteen whose meals all cost exactly the ¥12 where the meal subsidy is largest', async () => {
    await fresh();
    const found = await newFindings('2026-11', () => {
      exec(`UPDATE orders SET meal_price_fen = 1200 WHERE canteen_id = 'ct-binjiang' AND service_date BETWEEN '2026-11-01' AND '2026-11-30' AND ${SUBSIDISED}`);
    });
    expect(found.map((a) => `${a.kind} ${a.canteenId}`)).toEqual(['price_clustering ct-binjiang']);
    expect(found[0]!.figures).toMatchObject({ share: 1, capPrices: [1200] });
    expect(found[0]!.explanation).toContain('¥12.00');
  });

  it('no_elderly_diners: a canteen open for three months without one registered elder eating there', async () => {
    await fresh();
    const found = await newFindings('2026-11', () => {
      exec(
        `INSERT INTO canteens (id, code, name, short_name, area_code, street_code, district_code, supply_mode, address, seats, operator_org_id, opened_on, status)
         VALUES ('ct-quiet', 'TH-2025-099', '天河区石牌街华师社区长者饭堂（二）', '华师二号长者饭堂', '440106004001', '440106004', '440106', 'catered', '天河区石牌东路1号', 20, 'org-jiajia', '2025-06-01', 'open')`,
      );
    });
    expect(found.map((a) => `${a.kind} ${a.canteenId}`)).toEqual(['no_elderly_diners ct-quiet']);
    expect(found[0]!.explanation).toContain('9月、10月、11月');
  });

  it('refund_after_claim: an order refunded after its claim was submitted', async () => {
    await fresh();
    const op = as(t.app, await login(t.app, 'yikang'));
    const gen = await op.post('/api/v1/claims/generate', { month: '2026-11', canteenId: 'ct-shipai-huashi' });
    expect(gen.statusCode, gen.body).toBe(200);
    const claim = (gen.json().items as { id: string; payer: string }[]).find((c) => c.payer === '广州市民政局')!;
    expect((await op.post(`/api/v1/claims/${claim.id}/submit`, {})).statusCode).toBe(200);
    const order = one<{ order_id: string }>(`SELECT order_id FROM claim_orders WHERE claim_id = ? ORDER BY order_id LIMIT 1`, claim.id);
    const found = await newFindings('2026-11', async () => {
      const res = await op.post(`/api/v1/orders/${order.order_id}/refund`, { reason: '长者投诉饭菜变质，全额退款' });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(found.map((a) => `${a.kind} ${a.canteenId}`)).toEqual(['refund_after_claim ct-shipai-huashi']);
    expect(await ordersOf(found[0]!.id)).toEqual([order.order_id]);
    expect(found[0]!.explanation).toContain('广州市民政局');
  });
});

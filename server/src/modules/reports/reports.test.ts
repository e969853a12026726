/**
 * Reports over a date range and the canteen indicators, checked against the stored orders with SQL written
 * independently of the module's (joins on canteens instead of its filters), to the fen; the roll-up adds up;
 * scope answers 404 outside the caller's canteens or area.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import ExcelJS from 'exceljs';
import { MEAL_PERIODS, MOST_NEEDY_CATEGORIES, REPORT_GROUPINGS } from '@yishi/shared';
import type { IndicatorFigures, IndicatorNode, Indicators, Report } from '@yishi/shared/schemas';
import { as, login, makeApp, type TestApp } from '../../../test/helpers';
import { readPdf } from '../../lib/exports/testing';

let t: TestApp;
let tianhe: ReturnType<typeof as>;
const MONTH = { from: '2026-11-01', to: '2026-11-30' };
const TIANHE_SQL = `SELECT id FROM canteens WHERE district_code = '440106'`;

beforeAll(async () => {
  t = await makeApp();
  tianhe = as(t.app, await login(t.app, 'tianhe'));
});
afterAll(async () => t?.close());

const q1 = <T = Record<string, number>>(sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).get(...args) as T;
const qAll = <T = Record<string, unknown>>(sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).all(...args) as T[];

async function report(who: ReturnType<typeof as>, query: string): Promise<Report> {
  const res = await who.get(`/api/v1/reports?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function indicators(who: ReturnType<typeof as>, query: string): Promise<Indicators> {
  const res = await who.get(`/api/v1/reports/indicators?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('reports over a date range', () => {
  it('add up to the stored orders of the district, to the fen, in every grouping', async () => {
    const expected = q1(
      `SELECT count(*) AS meals, sum(elder_subsidy_fen > 0) AS subsidised, sum(fulfilment = 'delivery') AS deliveries,
         sum(resident_id IS NULL) AS guests, sum(meal_price_fen) AS value, sum(elder_subsidy_fen) AS elder,
         sum(operator_subsidy_fen) AS operator, sum(elder_pays_fen) AS pays
       FROM orders WHERE canteen_id IN (${TIANHE_SQL}) AND service_date >= ? AND service_date <= ? AND state NOT IN ('cancelled', 'refunded')`,
      MONTH.from,
      MONTH.to,
    );
    expect(expected.meals).toBeGreaterThan(500);
    for (const g of REPORT_GROUPINGS) {
      const r = await report(tianhe, `month=2026-11&groupBy=${g}`);
      expect(r.scope, g).toEqual({ kind: 'area', code: '440106', name: '天河区', level: 'district' });
      expect(r.totals.figures, g).toMatchObject({
        meals: expected.meals,
        subsidisedMeals: expected.subsidised,
        deliveries: expected.deliveries,
        guestMeals: expected.guests,
        mealValueFen: expected.value,
        elderSubsidyFen: expected.elder,
        operatorSubsidyFen: expected.operator,
        elderPaysFen: expected.pays,
      });
      // The rows add up to the totals.
      const sum = (k: keyof Report['totals']['figures']) => r.rows.reduce((a, x) => a + x.figures[k], 0);
      for (const k of Object.keys(r.totals.figures) as (keyof Report['totals']['figures'])[]) expect(sum(k), `${g} ${k}`).toBe(r.totals.figures[k]);
    }
  });

  it('split the subsidy by payer and kind exactly as the stored layers, and the layers agree with the orders', async () => {
    const r = await report(tianhe, 'from=2026-11-16&to=2026-11-22&groupBy=mealPeriod');
    const stored = qAll<{ payer: string; kind: string; amount: number }>(
      `SELECT s.payer, s.kind, sum(s.amount_fen) AS amount FROM order_subsidies s JOIN orders o ON o.id = s.order_id
       WHERE o.canteen_id IN (${TIANHE_SQL}) AND o.service_date BETWEEN '2026-11-16' AND '2026-11-22' AND o.state NOT IN ('cancelled', 'refunded') AND s.amount_fen > 0
       GROUP BY s.payer, s.kind ORDER BY s.payer, s.kind`,
    );
    expect(
      r.totals.subsidies.map((s) => ({ payer: s.payer, kind: s.kind, amount: s.amountFen })).sort((a, b) => (a.payer + a.kind).localeCompare(b.payer + b.kind)),
    ).toEqual(stored.sort((a, b) => (a.payer + a.kind).localeCompare(b.payer + b.kind)));
    const kind = (k: string) => r.totals.subsidies.filter((s) => s.kind === k).reduce((a, s) => a + s.amountFen, 0);
    expect(kind('meal')).toBe(r.totals.figures.elderSubsidyFen);
    expect(kind('delivery') + kind('operating')).toBe(r.totals.figures.operatorSubsidyFen);
    expect(r.totals.figures.mealValueFen).toBe(r.totals.figures.elderSubsidyFen + r.totals.figures.elderPaysFen);
    expect(r.rows.map((x) => x.key)).toEqual([...MEAL_PERIODS]); // 华师 serves all three
  });

  it('by day show every day of the range, by category count the category each order was stored under', async () => {
    const r = await report(tianhe, 'from=2026-11-10&to=2026-11-23&groupBy=day');
    expect(r.rows.map((x) => x.key)).toHaveLength(14);
    expect(r.rows[0]!.figures.meals).toBe(0); // before the 7 days of history
    const day = q1(
      `SELECT count(*) AS n FROM orders WHERE canteen_id IN (${TIANHE_SQL}) AND service_date = '2026-11-20' AND state NOT IN ('cancelled', 'refunded')`,
    );
    expect(r.rows.find((x) => x.key === '2026-11-20')!.figures.meals).toBe(day.n);
    const c = await report(tianhe, 'from=2026-11-10&to=2026-11-23&groupBy=category');
    const dibao = q1(
      `SELECT count(*) AS n, sum(elder_subsidy_fen) AS fen FROM orders WHERE canteen_id IN (${TIANHE_SQL}) AND resident_category = 'dibao' AND service_date BETWEEN '2026-11-10' AND '2026-11-23' AND state NOT IN ('cancelled', 'refunded')`,
    );
    expect(c.rows.find((x) => x.key === 'dibao')!.figures).toMatchObject({ meals: dibao.n, elderSubsidyFen: dibao.fen });
    expect(c.rows.find((x) => x.key === 'guest')!.figures.meals).toBe(c.totals.figures.guestMeals);
  });

  it('by street add up their canteens; by month name each month of the range', async () => {
    const byCanteen = await report(tianhe, 'month=2026-11&groupBy=canteen');
    const byStreet = await report(tianhe, 'month=2026-11&groupBy=street');
    expect(byStreet.rows.map((x) => [x.key, x.label])).toEqual([
      ['440106004', '石牌街'],
      ['440106008', '员村街'],
      ['440106012', '车陂街'],
    ]);
    const shipai = byCanteen.rows.filter((x) => ['ct-shipai-huashi', 'ct-shipai-longkou'].includes(x.key));
    expect(byStreet.rows[0]!.figures.meals).toBe(shipai[0]!.figures.meals + shipai[1]!.figures.meals);
    expect(byStreet.rows[0]!.figures.elderSubsidyFen).toBe(shipai[0]!.figures.elderSubsidyFen + shipai[1]!.figures.elderSubsidyFen);
    const months = await report(tianhe, 'from=2026-10-15&to=2027-01-10&groupBy=month');
    expect(months.rows.map((x) => x.key)).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
  });

  it('count a refund and a cancellation apart from the meals', async () => {
    const t2 = await makeApp();
    try {
      const op = as(t2.app, await login(t2.app, 'yikang'));
      const th = as(t2.app, await login(t2.app, 'tianhe'));
      const before = await report(th, 'from=2026-11-23&to=2026-11-23&groupBy=fulfilment');
      const dish = 'ct-shipai-huashi__set-diabetic';
      const place = async (paymentMethod: string) => {
        const res = await op.post('/api/v1/orders', {
          id: uuidv7(),
          canteenId: 'ct-shipai-huashi',
          identifyMethod: 'guest',
          lines: [{ dishId: dish, quantity: 1 }],
          paymentMethod,
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json() as { id: string; elderPaysFen: number; state: string };
      };
      const paid = await place('cash');
      await op.post(`/api/v1/orders/${paid.id}/confirm-payment`, { method: 'cash' });
      const refund = await op.post(`/api/v1/orders/${paid.id}/refund`, { reason: '菜品问题退款' });
      expect(refund.statusCode, refund.body).toBe(200);
      const waiting = await place('cash');
      const cancelled = await place('cash');
      expect((await op.post(`/api/v1/orders/${cancelled.id}/cancel`, { reason: '长者改变主意' })).statusCode).toBe(200);
      const after = await report(th, 'from=2026-11-23&to=2026-11-23&groupBy=fulfilment');
      const d = (k: keyof Report['totals']['figures']) => after.totals.figures[k] - before.totals.figures[k];
      expect(d('meals')).toBe(1); // only the order still waiting at the counter is a meal
      expect(d('refundedOrders')).toBe(1);
      expect(d('refundedFen')).toBe(paid.elderPaysFen);
      expect(d('cancelledOrders')).toBe(1);
      expect(d('awaitingPaymentOrders')).toBe(1);
      expect(d('awaitingPaymentFen')).toBe(waiting.elderPaysFen);
      expect(d('elderPaysFen')).toBe(waiting.elderPaysFen);
    } finally {
      await t2.close();
    }
  });

  it('refuse a malformed period or scope with what was wrong', async () => {
    const cases: [string, string][] = [
      ['month=2026-11&from=2026-11-01&to=2026-11-30', 'month'],
      ['from=2026-11-01', 'to'],
      ['from=2026-11-30&to=2026-11-01', 'to'],
      ['from=2024-01-01&to=2026-11-30', 'to'],
      ['month=2026-11&canteenId=ct-yuancun&areaCode=440106', 'areaCode'],
      ['month=2026-13', 'month'],
      ['month=2026-11&groupBy=week', 'groupBy'],
    ];
    for (const [query, field] of cases) {
      const res = await tianhe.get(`/api/v1/reports?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
      expect(JSON.stringify(res.json().error.details.issues), query).toContain(field);
    }
  });
});

describe('scope', () => {
  it('an operator sees their canteens, and nothing of another operator or of an area', async () => {
    const yikang = as(t.app, await login(t.app, 'yikang'));
    const mine = await report(yikang, 'month=2026-11&groupBy=canteen');
    expect(mine.scope.kind).toBe('canteens');
    expect(new Set(mine.rows.map((x) => x.key))).toEqual(new Set(['ct-shipai-huashi', 'ct-beijing', 'ct-nanhuaxi']));
    expect((await report(yikang, 'month=2026-11&canteenId=ct-beijing')).scope).toMatchObject({ kind: 'canteen', code: 'ct-beijing' });
    for (const query of ['canteenId=ct-xiaogang', 'areaCode=440106', 'areaCode=440106004', 'canteenId=no-such']) {
      expect((await yikang.get(`/api/v1/reports?month=2026-11&${query}`)).statusCode, query).toBe(404);
      expect((await yikang.get(`/api/v1/reports/indicators?month=2026-11&${query}`)).statusCode, query).toBe(404);
      expect((await yikang.get(`/api/v1/reports/export?format=xlsx&month=2026-11&${query}`)).statusCode, query).toBe(404);
    }
  });

  it('street and district staff see their area and what is in it, never above or beside it', async () => {
    const shipai = as(t.app, await login(t.app, 'shipai'));
    expect((await indicators(shipai, 'month=2026-11')).scope).toEqual({ kind: 'area', code: '440106004', name: '石牌街', level: 'street' });
    expect((await report(shipai, 'month=2026-11&canteenId=ct-shipai-longkou')).scope.code).toBe('ct-shipai-longkou');
    for (const query of ['areaCode=440106', 'areaCode=4401', 'canteenId=ct-yuancun', 'areaCode=440106008']) {
      expect((await shipai.get(`/api/v1/reports?month=2026-11&${query}`)).statusCode, query).toBe(404);
    }
    for (const query of ['areaCode=440105', 'areaCode=440199', 'canteenId=ct-xiaogang']) {
      expect((await tianhe.get(`/api/v1/reports/indicators?month=2026-11&${query}`)).statusCode, query).toBe(404);
    }
    const city = as(t.app, await login(t.app, 'city'));
    expect((await indicators(city, 'month=2026-11&areaCode=440105')).scope.name).toBe('海珠区');
    expect((await indicators(city, 'month=2026-11')).children.map((c) => c.name)).toEqual(['越秀区', '海珠区', '天河区']);
  });
});

describe('indicators', () => {
  let x: Indicators;
  beforeAll(async () => {
    x = await indicators(tianhe, 'month=2026-11');
  });

  const ADDITIVE = ['canteens', 'meals', 'subsidisedMeals', 'deliveries', 'selfPayingMeals', 'guestMeals'] as const;
  function sumOf(nodes: IndicatorNode[], get: (f: IndicatorFigures) => number) {
    return nodes.reduce((a, n) => a + get(n.figures), 0);
  }

  it('roll up: the district is its streets, a street is its canteens', async () => {
    expect(x.children.map((c) => c.name)).toEqual(['石牌街', '员村街', '车陂街']);
    for (const k of ADDITIVE)
      expect(
        sumOf(x.children, (f) => f[k]),
        k,
      ).toBe(x.figures[k]);
    for (const k of ['satisfied', 'neutral', 'unsatisfied'] as const) expect(sumOf(x.children, (f) => f.satisfaction[k])).toBe(x.figures.satisfaction[k]);
    for (const k of ['workingDays', 'servedDays', 'scheduledDays', 'suspendedDays'] as const)
      expect(sumOf(x.children, (f) => f.serving[k])).toBe(x.figures.serving[k]);
    expect(sumOf(x.children, (f) => f.needy.registered)).toBe(x.figures.needy.registered);
    expect(sumOf(x.children, (f) => f.needy.served)).toBe(x.figures.needy.served);
    const street = await indicators(tianhe, 'month=2026-11&areaCode=440106004');
    expect(street.path.map((p) => p.name)).toEqual(['天河区', '石牌街']);
    expect(street.children.map((c) => c.code)).toEqual(['ct-shipai-huashi', 'ct-shipai-longkou']);
    for (const k of ADDITIVE)
      expect(
        sumOf(street.children, (f) => f[k]),
        k,
      ).toBe(street.figures[k]);
    expect(street.figures).toEqual(x.children[0]!.figures);
    // The comparison lists every canteen of the district, each as it is on its own.
    const one = await indicators(tianhe, 'month=2026-11&canteenId=ct-yuancun');
    expect(x.canteens.find((c) => c.code === 'ct-yuancun')!.figures).toEqual(one.figures);
    expect(one.path.map((p) => p.name)).toEqual(['天河区', '员村街']);
  });

  it('meals, subsidised meals by category, self-paying diners and deliveries are the stored orders', () => {
    const e = q1(
      `SELECT count(*) AS meals, sum(elder_subsidy_fen > 0) AS subsidised, sum(elder_subsidy_fen = 0) AS self, sum(resident_id IS NULL) AS guests, sum(fulfilment = 'delivery') AS delivered
       FROM orders WHERE canteen_id IN (${TIANHE_SQL}) AND service_date BETWEEN '2026-11-01' AND '2026-11-30' AND state NOT IN ('cancelled', 'refunded')`,
    );
    expect(x.figures).toMatchObject({ meals: e.meals, subsidisedMeals: e.subsidised, selfPayingMeals: e.self, guestMeals: e.guests, deliveries: e.delivered });
    expect(x.figures.rates.subsidised).toBeCloseTo(e.subsidised! / e.meals!, 12);
    const cats = qAll<{ category: string; meals: number; subsidised: number }>(
      `SELECT coalesce(resident_category, 'guest') AS category, count(*) AS meals, sum(elder_subsidy_fen > 0) AS subsidised FROM orders
       WHERE canteen_id IN (${TIANHE_SQL}) AND service_date BETWEEN '2026-11-01' AND '2026-11-30' AND state NOT IN ('cancelled', 'refunded') GROUP BY 1`,
    );
    expect(new Map(x.figures.byCategory.map((c) => [c.category, [c.meals, c.subsidisedMeals]]))).toEqual(
      new Map(cats.map((c) => [c.category, [c.meals, c.subsidised]])),
    );
    expect(x.daily).toHaveLength(30);
    expect(x.daily.reduce((a, d) => a + d.meals, 0)).toBe(x.figures.meals);
    expect(x.daily.reduce((a, d) => a + d.subsidisedMeals, 0)).toBe(x.figures.subsidisedMeals);
  });

  it('coverage is the most needy residents of the area who ate a subsidised meal, of those on the register', () => {
    const needy = MOST_NEEDY_CATEGORIES.map((c) => `'${c}'`).join(',');
    const registered = qAll<{ id: string }>(
      `SELECT DISTINCT r.id FROM residents r JOIN resident_categories c ON c.resident_id = r.id
       WHERE r.residence_area_code LIKE '440106%' AND c.state = 'approved' AND c.code IN (${needy}) AND c.valid_from <= '2026-11-30' AND coalesce(c.valid_to, '9999') >= '2026-11-01'
         AND (r.status = 'active' OR r.status_since > '2026-11-01')`,
    ).map((r) => r.id);
    const served = new Set(
      qAll<{ id: string }>(
        `SELECT DISTINCT resident_id AS id FROM orders WHERE service_date BETWEEN '2026-11-01' AND '2026-11-30' AND elder_subsidy_fen > 0 AND state NOT IN ('cancelled', 'refunded')`,
      ).map((r) => r.id),
    );
    expect(registered.length).toBeGreaterThan(10);
    expect(x.figures.needy).toEqual({ registered: registered.length, served: registered.filter((id) => served.has(id)).length });
    expect(x.figures.needy.served).toBeLessThan(x.figures.needy.registered); // not everyone came: a real figure, not 100 %
  });

  it('satisfaction counts the kiosk ratings of the period', () => {
    const r = qAll<{ rating: string; n: number }>(
      `SELECT rating, count(*) AS n FROM meal_ratings WHERE canteen_id IN (${TIANHE_SQL}) AND service_date BETWEEN '2026-11-01' AND '2026-11-30' GROUP BY rating`,
    );
    const n = (k: string) => r.find((x) => x.rating === k)?.n ?? 0;
    expect(n('satisfied')).toBeGreaterThan(0);
    expect(x.figures.satisfaction).toEqual({ satisfied: n('satisfied'), neutral: n('neutral'), unsatisfied: n('unsatisfied') });
  });

  it('serving-day compliance counts official working days up to yesterday, from the canteen’s opening', () => {
    // November 2026 up to Sunday the 22nd: 15 working days (2–6, 9–13, 16–20). The 7-day history served the last 5.
    expect(x.servedUpTo).toBe('2026-11-22');
    const huashi = x.canteens.find((c) => c.code === 'ct-shipai-huashi')!;
    expect(huashi.figures.serving).toEqual({ workingDays: 15, scheduledDays: 15, servedDays: 5, suspendedDays: 0 });
    expect(huashi.figures.rates.compliance).toBeCloseTo(5 / 15, 12);
    expect(huashi.figures.foodSamples.servedDays).toBe(7); // it serves every day of the week
    // Menus from the first day of history (16 Nov) to next week: the weeks of 16, 23 and 30 November, each unlike a week earlier.
    expect(huashi.figures.menus).toEqual({ weeks: 3, updatedWeeks: 3 });
  });
});

describe('indicators follow what the canteen does', () => {
  let t2: TestApp;
  let th: ReturnType<typeof as>;
  beforeAll(async () => {
    t2 = await makeApp();
    th = as(t2.app, await login(t2.app, 'tianhe'));
  });
  afterAll(async () => t2?.close());
  const chebei = async () => (await indicators(th, 'month=2026-11&canteenId=ct-chebei')).figures;

  it('food-sample days: served days with a sample logged', async () => {
    expect((await chebei()).foodSamples).toEqual({ servedDays: 5, sampledDays: 0 });
    const put = t2.ctx.db.writer.prepare(
      `INSERT INTO food_samples (id, canteen_id, service_date, meal_period, dish_name, weight_grams, stored_at, discard_after, stored_by)
       VALUES (?, 'ct-chebei', ?, 'lunch', '白切鸡', 150, ?, ?, 'user-jiajia')`,
    );
    put.run('fs-1', '2026-11-17', '2026-11-17T04:00:00Z', '2026-11-19T04:00:00Z');
    put.run('fs-2', '2026-11-17', '2026-11-17T04:05:00Z', '2026-11-19T04:05:00Z'); // a second dish the same day
    put.run('fs-3', '2026-11-19', '2026-11-19T04:00:00Z', '2026-11-21T04:00:00Z');
    put.run('fs-4', '2026-11-21', '2026-11-21T04:00:00Z', '2026-11-23T04:00:00Z'); // a Saturday it did not serve
    expect((await chebei()).foodSamples).toEqual({ servedDays: 5, sampledDays: 2 });
    expect((await chebei()).rates.foodSamples).toBeCloseTo(0.4, 12);
  });

  it('menu updates: a week whose menus repeat the week before is not an update', async () => {
    const before = (await chebei()).menus;
    expect(before.updatedWeeks).toBe(before.weeks);
    // Make the week of 23 November serve exactly what each weekday served a week earlier.
    const w = t2.ctx.db.writer;
    for (const d of ['23', '24', '25', '26', '27']) {
      const prev = `2026-11-${String(Number(d) - 7).padStart(2, '0')}`;
      w.prepare(`DELETE FROM menu_items WHERE menu_id = ?`).run(`mn-ct-chebei-2026-11-${d}-lunch`);
      w.prepare(
        `INSERT INTO menu_items (menu_id, dish_id, portions, sold, sold_out, sort_order) SELECT ?, dish_id, portions, 0, 0, sort_order FROM menu_items WHERE menu_id = ?`,
      ).run(`mn-ct-chebei-2026-11-${d}-lunch`, `mn-ct-chebei-${prev}-lunch`);
    }
    const after = (await chebei()).menus;
    expect(after).toEqual({ weeks: before.weeks, updatedWeeks: before.updatedWeeks - 1 });
  });

  it('a suspended canteen keeps its working days and shows the days it stood closed', async () => {
    const res = await th.post('/api/v1/canteens/ct-chebei/status', { status: 'suspended', reason: '厨房整改', from: '2026-11-18' });
    expect(res.statusCode, res.body).toBe(200);
    const x = await indicators(th, 'month=2026-11');
    const node = x.canteens.find((c) => c.code === 'ct-chebei')!;
    expect(node.status).toBe('suspended');
    expect(node.figures.serving).toMatchObject({ workingDays: 15, suspendedDays: 3 });
    expect(x.figures.serving.suspendedDays).toBe(3);
  });
});

describe('exports', () => {
  it('a report to Excel: Chinese headers, counts and money as numbers, totals that match', async () => {
    const r = await report(tianhe, 'month=2026-11&groupBy=street');
    const res = await tianhe.get('/api/v1/reports/export?format=xlsx&month=2026-11&groupBy=street');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('报表')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const header = rows.findIndex((row) => row[0] === '街道');
    expect(rows[header]).toEqual(expect.arrayContaining(['用餐人次', '补贴餐', '长者补贴（元）']));
    const col = (name: string) => (rows[header] as string[]).indexOf(name);
    const shipai = rows.find((row) => row[0] === '石牌街')!;
    expect(shipai[col('用餐人次')]).toBe(r.rows[0]!.figures.meals);
    expect(shipai[col('长者补贴（元）')]).toBe(r.rows[0]!.figures.elderSubsidyFen / 100);
    const total = rows.find((row) => row[0] === '合计')!;
    expect(total[col('用餐人次')]).toBe(r.totals.figures.meals);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['报表', '补贴明细', '补贴合计']);
  });

  it('indicators to Excel and to a PDF for signing', async () => {
    const x = await indicators(tianhe, 'month=2026-11');
    const res = await tianhe.get('/api/v1/reports/indicators/export?format=xlsx&month=2026-11');
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['指标汇总', '饭堂对比', '按类别', '每日用餐']);
    const rows: unknown[][] = [];
    wb.getWorksheet('饭堂对比')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const header = rows.findIndex((row) => row[0] === '饭堂');
    const cov = (rows[header] as string[]).indexOf('困难长者覆盖率');
    const yuancun = rows.find((row) => row[0] === '员村长者饭堂')!;
    expect(yuancun[cov]).toBeCloseTo(x.canteens.find((c) => c.code === 'ct-yuancun')!.figures.rates.coverage!, 9);

    const pdf = await tianhe.get('/api/v1/reports/indicators/export?format=pdf&month=2026-11');
    expect(pdf.statusCode).toBe(200);
    const doc = readPdf(pdf.rawPayload);
    const text = doc.pages.join('\n');
    expect(text).toContain('天河区 长者饭堂评价指标');
    expect(text).toContain('石牌街');
    expect(doc.embeddedFonts).toBeGreaterThan(0);
  });
});

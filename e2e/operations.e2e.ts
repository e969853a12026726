/**
 * A canteen's day in Chromium, as the operator yikang: a pay-at-counter order from a paired kiosk goes through the
 * kitchen queue (its wait counted from when it was placed) and the hall's ready board to collected, with the cash
 * confirmed; a delivery order is given to a courier, sent out and delivered; a food sample is logged (a too-light
 * one is refused in Chinese); the day is closed, and the close report's totals equal what the SQLite file holds.
 * Then a resident who lives alone is not reached: the counter's screen is flagged live until the follow-up is
 * recorded, and the day's route lists export to CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan } from '../shared/src/money';
import type { BrowserContext, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Papa } from '../server/test/files';
import { shot, startE2E, type E2E, consoleLogin } from './harness';
import { CANTEEN, TODAY, basketPriced, pairKiosk } from './kioskDriver';
import { ORDER_STATES, PAYMENT_METHODS } from '../shared/src/domain';
import type { DailyClose, Order } from '../shared/src/schemas';

const ORIGIN = 'http://localhost:80';
const SET = `${CANTEEN}__set-diabetic`;
let e: E2E;
let ctx: BrowserContext;

beforeAll(async () => {
  e = await startE2E();
  ctx = await e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

async function login(page: Page) {
  await consoleLogin(page, e, 'yikang');
}

async function api(method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) {
  const res = await e.app.inject({ method, url, headers: { cookie, origin: ORIGIN }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return res;
}

type ApiOrder = Order;

/** Every order of the canteen's day, read through the orders API page by page, as any client would. */
async function ordersOfDay(cookie: string, date: string): Promise<ApiOrder[]> {
  const all: ApiOrder[] = [];
  for (let offset = 0; ; offset += 50) {
    const res = await api('GET', `/api/v1/orders?canteenId=${CANTEEN}&date=${date}&limit=50&offset=${offset}&sort=createdAt&order=asc`, cookie);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<{ items: ApiOrder[]; total: number }>();
    all.push(...page.items);
    if (page.items.length < 50) {
      expect(all.length).toBe(page.total);
      return all;
    }
  }
}

/** What the close must say, computed here from the orders the API returns (integer fen, no rounding anywhere). */
function expectedFigures(orders: ApiOrder[]) {
  const sum = (xs: ApiOrder[], f: (o: ApiOrder) => number) => xs.reduce((s, o) => s + f(o), 0);
  const paid = orders.filter((o) => ['paid', 'ready', 'completed'].includes(o.state));
  const counted = orders.filter((o) => !['cancelled', 'refunded'].includes(o.state));
  const of = (state: string) => orders.filter((o) => o.state === state);
  const byState = Object.fromEntries(ORDER_STATES.map((st) => [st, of(st).length]));
  const meals = new Map<string, number>();
  for (const o of counted) {
    const k = `${o.residentCategory ?? 'guest'}|${o.mealPeriod}`;
    meals.set(k, (meals.get(k) ?? 0) + 1);
  }
  return {
    ordersCounted: counted.length,
    byState,
    deliveries: counted.filter((o) => o.fulfilment === 'delivery').length,
    meals: [...meals].map(([k, count]) => ({ category: k.split('|')[0]!, mealPeriod: k.split('|')[1]!, count })).sort(byKey),
    mealValueFen: sum(counted, (o) => o.mealPriceFen),
    elderSubsidyFen: sum(counted, (o) => o.elderSubsidyFen),
    operatorSubsidyFen: sum(counted, (o) => o.operatorSubsidyFen),
    paidFen: sum(paid, (o) => o.elderPaysFen),
    awaitingFen: sum(of('awaiting_payment'), (o) => o.elderPaysFen),
    refundedFen: sum(of('refunded'), (o) => o.elderPaysFen),
    cancelledFen: sum(of('cancelled'), (o) => o.elderPaysFen),
    /** Net per method: a paid order's money stays in; a refunded order's went in and out again. */
    net: Object.fromEntries(
      PAYMENT_METHODS.map((m) => [
        m,
        sum(
          paid.filter((o) => o.paymentMethod === m),
          (o) => o.elderPaysFen,
        ),
      ]),
    ),
  };
}
const byKey = (a: { category: string; mealPeriod: string }, b: { category: string; mealPeriod: string }) =>
  `${a.category}|${a.mealPeriod}`.localeCompare(`${b.category}|${b.mealPeriod}`);

/** The payments as stored (no API lists them): the net per method of the day's orders, for a second witness. */
function storedPaymentsNet(date: string): Record<string, number> {
  const rows = e.ctx.db.readerConn
    .prepare(
      `SELECT p.method AS m, coalesce(sum(CASE p.direction WHEN 'in' THEN p.amount_fen ELSE -p.amount_fen END),0) AS net
       FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.canteen_id = ? AND o.service_date = ? GROUP BY p.method`,
    )
    .all(CANTEEN, date) as { m: string; net: number }[];
  return Object.fromEntries(PAYMENT_METHODS.map((m) => [m, rows.find((r) => r.m === m)?.net ?? 0]));
}

describe("a canteen's day", () => {
  it('counter order → kitchen → ready board → collected; a delivery; a food sample; the daily close equals the file', async () => {
    // A guest at the paired kiosk orders the diabetic set and chooses to pay at the counter.
    const kctx = await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5 });
    const kiosk = await kctx.newPage();
    await pairKiosk(kiosk, e, '前台自助机（日结测试）');
    await kiosk.getByTestId('guest-button').click();
    await kiosk.getByTestId('menu-screen').waitFor();
    await kiosk.getByTestId(`add-${SET}`).click();
    await basketPriced(kiosk);
    await kiosk.getByTestId('to-confirm').click();
    await kiosk.getByTestId('confirm-screen').waitFor();
    await kiosk.getByTestId('pay-counter').click();
    await kiosk.getByTestId('ticket-screen').waitFor();
    const pickup = Number((await kiosk.getByTestId('ticket-number').textContent())?.replace(/\D/g, ''));
    await shot(kiosk, 'ops-00-kiosk-ticket');
    await kctx.close();

    const page = await ctx.newPage();
    await login(page);
    const cookie = `yishi_session=${(await ctx.cookies()).find((c) => c.name === 'yishi_session')!.value}`;
    const found = await api('GET', `/api/v1/orders?canteenId=${CANTEEN}&date=${TODAY}&pickupNumber=${pickup}`, cookie);
    const order = found.json<{ items: ApiOrder[] }>().items[0]!;
    // Nothing the kiosk says makes money received: the order waits for the cashier.
    expect(order).toMatchObject({ identifyMethod: 'guest', paymentMethod: 'cash', state: 'awaiting_payment', paidAt: null });
    // Nine minutes pass before anyone looks: the kitchen's clock counts from when it was placed.
    e.clock.advance(9 * 60_000);
    await page.goto(`${e.base}/canteens/${CANTEEN}/orders`);
    await page.getByTestId(`order-pay-${order.id}`).click();
    await page.getByTestId('payment-confirm').click();
    await page.locator(`[data-testid="order-state-${order.id}"][data-state="paid"]`).waitFor();
    await shot(page, 'ops-01-paid');

    await page.goto(`${e.base}/canteens/${CANTEEN}/kitchen`);
    const card = page.getByTestId(`kitchen-card-${order.id}`);
    await card.waitFor();
    await expect.poll(async () => card.textContent()).toContain('已等 9 分钟');
    await shot(page, 'ops-02-kitchen');

    // The hall's ready board on its own screen, live.
    const board = await ctx.newPage();
    await board.goto(`${e.base}/board/${CANTEEN}`);
    await board.getByTestId('ready-board').waitFor();
    await board
      .locator('.live-badge, [data-testid="live-badge"]')
      .first()
      .waitFor({ state: 'attached' })
      .catch(() => undefined);
    await board.waitForTimeout(500);
    const t0 = Date.now();
    await page.getByTestId(`kitchen-serve-${order.id}`).click();
    await board.getByTestId(`ready-number-${order.pickupNumber}`).waitFor({ timeout: 5000 });
    process.stdout.write(`ready board: number ${order.pickupNumber} shown ${Date.now() - t0} ms after 出餐 was clicked\n`);
    await shot(board, 'ops-03-ready-board');

    // Collected at the counter.
    await page.goto(`${e.base}/canteens/${CANTEEN}/orders`);
    await page.getByTestId(`order-complete-${order.id}`).click();
    await page.locator('.ant-popconfirm-buttons .ant-btn-primary').click();
    await page.locator(`[data-testid="order-state-${order.id}"][data-state="completed"]`).waitFor();
    await board.getByTestId(`ready-number-${order.pickupNumber}`).waitFor({ state: 'detached' });
    await board.close();

    // A delivery: a resident's meal, paid by an external payment at the counter, for 李师傅 to take out.
    const resident = e.ctx.db.readerConn
      .prepare(
        `SELECT id FROM residents r WHERE home_canteen_id = ? AND status = 'active' AND address IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.resident_id = r.id AND o.service_date = ?) LIMIT 1`,
      )
      .get(CANTEEN, TODAY) as { id: string };
    const delivered = await api('POST', '/api/v1/orders', cookie, {
      id: randomUUID(),
      canteenId: CANTEEN,
      residentId: resident.id,
      identifyMethod: 'staff',
      staffReason: { code: 'on_behalf', note: '家属电话订送餐' },
      lines: [{ dishId: SET, quantity: 1 }],
      fulfilment: 'delivery',
      paymentMethod: 'external',
      externalReference: 'WX2026112300017',
    });
    expect(delivered.statusCode, delivered.body).toBe(201);
    const dOrder = delivered.json<{ id: string }>().id;
    await page.goto(`${e.base}/canteens/${CANTEEN}/deliveries`);
    const row = page.getByTestId(`delivery-row-${dOrder}`);
    await row.waitFor();
    await row.locator('input[type="checkbox"]').check();
    await page.getByTestId('courier-input').locator('input').fill('李师傅');
    await page.getByTestId('courier-assign').click();
    await page.getByTestId('route-李师傅').waitFor();
    const deliveryId = (e.ctx.db.readerConn.prepare('SELECT id FROM deliveries WHERE order_id = ?').get(dOrder) as { id: string }).id;
    await page.getByTestId(`delivery-out-${deliveryId}`).click();
    await page.getByTestId(`delivery-delivered-${deliveryId}`).click();
    await page.locator(`[data-testid="delivery-state-${deliveryId}"][data-state="delivered"]`).waitFor();
    await shot(page, 'ops-04-deliveries');
    const stored = e.ctx.db.readerConn
      .prepare('SELECT d.state, d.courier, d.delivered_by AS by, o.state AS os FROM deliveries d JOIN orders o ON o.id = d.order_id WHERE d.id = ?')
      .get(deliveryId);
    expect(stored).toMatchObject({ state: 'delivered', courier: '李师傅', by: expect.any(String), os: 'completed' });

    // Food samples: too light is refused in Chinese, 150 g is logged.
    await page.goto(`${e.base}/canteens/${CANTEEN}/samples`);
    await page.getByTestId('sample-dish').fill('白切鸡');
    await page.getByTestId('sample-weight').fill('100');
    await page.getByTestId('sample-submit').click();
    await page.locator('.ant-form-item-explain-error', { hasText: '每个品种留样不少于 125 克' }).waitFor();
    await page.getByTestId('sample-weight').fill('150');
    await page.getByTestId('sample-submit').click();
    await page.getByTestId('samples-table').getByText('白切鸡').waitFor();
    await shot(page, 'ops-05-samples');
    expect(e.ctx.db.readerConn.prepare(`SELECT weight_grams AS w FROM food_samples WHERE canteen_id = ? AND dish_name = '白切鸡'`).all(CANTEEN)).toEqual([
      { w: 150 },
    ]);

    // Close the day: count the drawer, close, and compare with the file.
    await page.goto(`${e.base}/canteens/${CANTEEN}/close`);
    await page.getByTestId('close-report').waitFor();
    const expected = Number(await page.getByTestId('close-expected').getAttribute('data-fen'));
    // A count over or under the expected cash says which, not only in red.
    await page.getByTestId('close-counted-input').fill(formatYuan(expected + 500, { symbol: false, grouping: false }));
    await page.waitForFunction(() => document.querySelector('[data-testid="close-difference"]')?.textContent === '多出 ¥5.00');
    await page.getByTestId('close-counted-input').fill(formatYuan(expected, { symbol: false, grouping: false }));
    await page.getByTestId('close-submit').click();
    await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await page.locator('[data-testid="close-status"][data-status="closed"]').waitFor();
    await shot(page, 'ops-06-close');

    // The report on screen, the close the API returns and the orders the API lists agree to the fen.
    const want = expectedFigures(await ordersOfDay(cookie, TODAY));
    expect(want.ordersCounted).toBeGreaterThanOrEqual(2);
    expect(want.byState.awaiting_payment).toBe(0);
    const closeRes = await api('GET', `/api/v1/canteens/${CANTEEN}/closes/${TODAY}`, cookie);
    const closed = closeRes.json<DailyClose>();
    expect(closed).toMatchObject({
      status: 'closed',
      adjustments: [],
      unconfirmed: [],
      cash: { expectedFen: want.net.cash, countedFen: want.net.cash, differenceFen: 0 },
    });
    const f = closed.figures;
    expect({
      ordersCounted: f.ordersCounted,
      byState: f.byState,
      deliveries: f.deliveries,
      meals: [...f.meals].sort(byKey),
      mealValueFen: f.mealValueFen,
      elderSubsidyFen: f.elderSubsidyFen,
      operatorSubsidyFen: f.operatorSubsidyFen,
      paidFen: f.paidFen,
      awaitingFen: f.awaitingFen,
      refundedFen: f.refundedFen,
      cancelledFen: f.cancelledFen,
      net: Object.fromEntries(PAYMENT_METHODS.map((m) => [m, f.methods.find((x) => x.method === m)?.netFen ?? 0])),
    }).toEqual(want);
    expect(f.receivedNetFen).toBe(want.paidFen);
    // The payments table (no API lists it) says the same per method.
    expect(storedPaymentsNet(TODAY)).toEqual(want.net);
    // The subsidy by payer adds up to the orders' subsidies.
    expect(f.subsidies.reduce((s, x) => s + x.amountFen, 0)).toBe(want.elderSubsidyFen + want.operatorSubsidyFen);
    expect(closed.totalWithAdjustments).toMatchObject({ cashFen: want.net.cash, walletFen: want.net.wallet, externalFen: want.net.external });
    // What the manager sees and prints.
    expect(Number(await page.getByTestId('close-counted').textContent())).toBe(want.ordersCounted);
    expect(Number(await page.getByTestId('close-paid').getAttribute('data-fen'))).toBe(want.paidFen);
    expect(Number(await page.getByTestId('close-net').getAttribute('data-fen'))).toBe(want.paidFen);
    for (const m of PAYMENT_METHODS) {
      const row = page.getByTestId(`close-method-${m}`);
      if (want.net[m] !== 0) expect(Number(await row.getAttribute('data-net')), m).toBe(want.net[m]);
    }
    expect(expected).toBe(want.net.cash);
    // The printable PDF carries the same total and the signature lines.
    const pdf = await api('GET', `/api/v1/canteens/${CANTEEN}/closes/${TODAY}/report.pdf`, cookie);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    await page.close();
  });

  it('a resident who lives alone is not reached: staff at the counter are flagged at once, until someone follows up; the route list exports', async () => {
    const page = await ctx.newPage();
    await login(page);
    const cookie = `yishi_session=${(await ctx.cookies()).find((c) => c.name === 'yishi_session')!.value}`;
    const resident = e.ctx.db.readerConn
      .prepare(
        `SELECT id, name FROM residents r WHERE home_canteen_id = ? AND status = 'active' AND address IS NOT NULL AND lives_alone = 0 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.resident_id = r.id AND o.service_date = ?) LIMIT 1`,
      )
      .get(CANTEEN, TODAY) as { id: string; name: string };
    const alone = await e.app.inject({
      method: 'PATCH',
      url: `/api/v1/residents/${resident.id}`,
      payload: { livesAlone: true },
      headers: { cookie, origin: ORIGIN },
    });
    expect(alone.statusCode, alone.body).toBe(200);
    const ordered = await api('POST', '/api/v1/orders', cookie, {
      id: randomUUID(),
      canteenId: CANTEEN,
      residentId: resident.id,
      identifyMethod: 'staff',
      staffReason: { code: 'on_behalf', note: '社工电话订送餐' },
      lines: [{ dishId: SET, quantity: 1 }],
      fulfilment: 'delivery',
      paymentMethod: 'external',
      externalReference: 'WX2026112300031',
    });
    expect(ordered.statusCode, ordered.body).toBe(201);
    const orderId = ordered.json<{ id: string }>().id;
    const deliveryId = (e.ctx.db.readerConn.prepare('SELECT id FROM deliveries WHERE order_id = ?').get(orderId) as { id: string }).id;

    // A colleague at the counter has the orders page open.
    const counter = await ctx.newPage();
    await counter.goto(`${e.base}/canteens/${CANTEEN}/orders`);
    await counter.getByTestId('orders-table').waitFor();

    await page.goto(`${e.base}/canteens/${CANTEEN}/deliveries`);
    const row = page.getByTestId(`delivery-row-${orderId}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('独居');
    await row.locator('input[type="checkbox"]').check();
    await page.getByTestId('courier-input').locator('input').fill('王阿姨');
    await page.getByTestId('courier-assign').click();
    await page.getByTestId(`delivery-out-${deliveryId}`).click();
    await page.getByTestId(`delivery-failed-${deliveryId}`).click();
    // Not reached needs a reason.
    await page.locator('.ant-modal:visible .ant-btn-primary').click();
    await page.locator('.ant-modal:visible .ant-form-item-explain-error').waitFor();
    await page.locator('.ant-modal:visible textarea').fill('敲门无人应答，电话未接');
    const asked: number[] = [];
    counter.on('request', (r) => {
      if (r.url().endsWith('/api/v1/delivery-alerts')) asked.push(Date.now());
    });
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/deliveries/${deliveryId}/done`)),
      page.locator('.ant-modal:visible .ant-btn-primary').click(),
    ]);
    const t0 = Date.now();
    expect(saved.status()).toBe(200);
    await page.locator(`[data-testid="delivery-state-${deliveryId}"][data-state="failed"]`).waitFor();

    // The counter's page shows it without a reload (live), naming who, where and why.
    const flag = counter.getByTestId(`delivery-alert-${deliveryId}`);
    await flag.waitFor({ timeout: 10_000 });
    process.stdout.write(
      `lives-alone alert: on the counter's screen ${Date.now() - t0} ms after 未送达 was saved; the counter asked for alerts at ${asked.map((a) => a - t0).join(', ')} ms\n`,
    );
    const said = (await flag.textContent()) ?? '';
    for (const want of [resident.name, '敲门无人应答，电话未接']) expect(said).toContain(want);
    await shot(counter, 'ops-07-lives-alone-alert');
    const stored = e.ctx.db.readerConn
      .prepare('SELECT state, fail_reason AS reason, failed_by AS by, alert_at AS at, alert_ack_at AS ack FROM deliveries WHERE id = ?')
      .get(deliveryId) as { state: string; reason: string; by: string; at: string | null; ack: string | null };
    expect(stored).toMatchObject({ state: 'failed', reason: '敲门无人应答，电话未接', by: expect.any(String), ack: null });
    // The same day: flagged when the courier came back, not at the month's end.
    expect(new Date(stored.at!).getTime()).toBe(e.clock.now().getTime());
    // It stays on every page (here the kitchen) until someone records the follow-up.
    await counter.goto(`${e.base}/canteens/${CANTEEN}/kitchen`);
    await flag.waitFor();
    await counter.getByTestId(`delivery-alert-ack-${deliveryId}`).click();
    await counter.locator('.ant-modal:visible textarea').fill('已电话联系女儿，老人在医院复诊，平安');
    await counter.locator('.ant-modal:visible .ant-btn-primary').click();
    await flag.waitFor({ state: 'detached' });
    await page.getByTestId(`delivery-alert-${deliveryId}`).waitFor({ state: 'detached', timeout: 10_000 });
    expect(e.ctx.db.readerConn.prepare('SELECT alert_ack_note AS note FROM deliveries WHERE id = ?').get(deliveryId)).toEqual({
      note: '已电话联系女儿，老人在医院复诊，平安',
    });

    // The day's route lists leave as a file, the failed stop with its reason.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-deliveries-csv').click()]);
    expect(dl.suggestedFilename()).toMatch(/^送餐路线_.*\.csv$/);
    const body = fs.readFileSync(await dl.path(), 'utf8');
    const rows = Papa.parse<string[]>(body.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    const h = rows.findIndex((r) => r.includes('送餐员'));
    const failed = rows.slice(h + 1).find((r) => r[rows[h]!.indexOf('长者')] === resident.name)!;
    expect(failed[rows[h]!.indexOf('送餐员')]).toBe('王阿姨');
    expect(failed[rows[h]!.indexOf('独居')]).toBe('是');
    expect(failed[rows[h]!.indexOf('状态')]).toBe('未送达');
    expect(failed[rows[h]!.indexOf('未送达原因')]).toBe('敲门无人应答，电话未接');
    expect(rows.slice(h + 1)).toHaveLength(
      (
        e.ctx.db.readerConn
          .prepare("SELECT count(*) AS n FROM deliveries WHERE canteen_id = ? AND service_date = ? AND state <> 'cancelled'")
          .get(CANTEEN, TODAY) as { n: number }
      ).n,
    );
    await counter.close();
    await page.close();
  });
});

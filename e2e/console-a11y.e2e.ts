/**
 * Every console page, as an operator and as district staff (and the account page as city staff), checked with axe:
 * no critical or serious violation (labels, contrast of the 12 px tags, ARIA), with its drawers and dialogs open.
 * And an operator lands on the canteen they last used on this browser, without another canteen showing first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan } from '../shared/src/money';
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/seed';
import { consoleAxe, shot, startE2E, type E2E, consoleLogin } from './harness';

let e: E2E;
const CANTEEN = 'ct-shipai-huashi';
const POLICY = 'pv-guangzhou-2024-v1';
const TOP_UP = 'pv-tianhe-top-up-v1';

beforeAll(async () => {
  e = await startE2E();
}, 300_000);
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

async function newPage(): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  return { ctx, page: await ctx.newPage() };
}

async function login(page: Page, username: string) {
  await consoleLogin(page, e, username);
}

const axe = consoleAxe;

/** Visit a page, wait for something of it, and check it. */
async function visit(page: Page, path: string, ready: string, name: string): Promise<string[]> {
  await page.goto(`${e.base}${path}`);
  await page.getByTestId(ready).first().waitFor();
  await shot(page, `a11y-${name}`);
  return axe(page, name);
}

/** Open a drawer or dialog with a click, check the page with it open, close it with Escape. */
async function opened(page: Page, open: string, ready: string, name: string): Promise<string[]> {
  await page.getByTestId(open).first().click();
  await page.getByTestId(ready).first().waitFor();
  await page.waitForTimeout(400); // the opening animation: axe must see the final colours
  const found = await axe(page, name);
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  return found;
}

// A walk visits many pages, each with a full axe run: the timeout guards against a hang on a loaded machine, not speed.
describe('staff pages pass axe (no critical or serious violation)', () => {
  it('the login page and the password page', async () => {
    const { ctx, page } = await newPage();
    await page.goto(`${e.base}/login`);
    await page.getByTestId('login-username').waitFor();
    const found = await axe(page, 'login');
    await login(page, 'yikang');
    found.push(...(await visit(page, '/change-password', 'pw-new', 'change-password')));
    expect(found).toEqual([]);
    await ctx.close();
  });

  it('as an operator: every page of a canteen, with its drawers and dialogs, and the pages above it', async () => {
    const { ctx, page } = await newPage();
    await login(page, 'yikang');
    const c = `/canteens/${CANTEEN}`;
    const found: string[] = [];
    found.push(...(await visit(page, `${c}/orders`, 'orders-table', 'operator-orders')));
    found.push(...(await visit(page, `${c}/kitchen`, 'kitchen-count', 'operator-kitchen')));
    found.push(...(await visit(page, `/wall/${CANTEEN}/kitchen`, 'kitchen-count', 'operator-kitchen-wall')));
    found.push(...(await visit(page, `${c}/menus`, 'today-menu', 'operator-menus')));
    found.push(...(await opened(page, `menu-cell-2026-11-24-lunch`, 'menu-edit-dishes', 'operator-menu-edit')));
    found.push(...(await visit(page, `${c}/dishes`, 'dishes-table', 'operator-dishes')));
    found.push(...(await opened(page, `dish-edit-${CANTEEN}__set-a`, 'dish-name', 'operator-dish-edit')));
    found.push(...(await visit(page, `${c}/prices`, 'price-changes-table', 'operator-prices')));
    found.push(...(await visit(page, `${c}/roster-import`, 'roster-pick', 'operator-roster-import')));
    found.push(...(await visit(page, `${c}/residents`, 'residents-table', 'operator-residents')));
    found.push(...(await opened(page, 'resident-create', 'resident-form', 'operator-resident-create')));
    await page.locator('[data-testid^="resident-row-"]').first().click();
    await page.getByTestId('resident-detail').waitFor();
    await page.getByTestId('wallet-entries').waitFor();
    await page.waitForTimeout(400);
    found.push(...(await axe(page, 'operator-resident-drawer')));
    await shot(page, 'a11y-operator-resident-drawer');
    found.push(...(await visit(page, `${c}/devices`, 'devices-table', 'operator-devices')));
    found.push(...(await opened(page, 'pair-kiosk', 'pair-name', 'operator-pair-kiosk')));
    found.push(...(await visit(page, '/overview', 'canteen-table', 'operator-overview')));
    found.push(...(await visit(page, '/reports', 'report-table', 'operator-reports')));
    found.push(...(await visit(page, '/indicators', 'kpis', 'operator-indicators')));
    found.push(...(await visit(page, '/policy', 'side-nav', 'operator-policy')));
    found.push(...(await visit(page, `/policy/${POLICY}`, 'side-nav', 'operator-policy-version')));
    found.push(...(await visit(page, '/claims?month=2026-10', 'claims-page', 'operator-claims')));
    found.push(...(await visit(page, '/late-orders?month=2026-11', 'late-reviews-page', 'operator-late-orders')));
    expect(found).toEqual([]);
    await ctx.close();
  }, 300_000); // the longest walk (twelve pages, five drawers, an axe run each): a guard against a hang, not a speed test

  it("as an operator: the canteen's day (route lists with a courier's round, the close, food samples, the hall board)", async () => {
    // Something on the route list: two residents' delivery orders, one given to a courier and sent out, one not yet.
    const login1 = await e.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'yikang', password: DEMO_PASSWORD } });
    const cookie = `yishi_session=${login1.cookies.find((x) => x.name === 'yishi_session')!.value}`;
    const post = (url: string, payload: object) => e.app.inject({ method: 'POST', url, payload, headers: { cookie, origin: 'http://localhost:80' } });
    const rs = e.ctx.db.readerConn
      .prepare(`SELECT id FROM residents WHERE home_canteen_id = ? AND status = 'active' AND address IS NOT NULL ORDER BY id LIMIT 2`)
      .all(CANTEEN) as { id: string }[];
    for (const r of rs) {
      const o = await post('/api/v1/orders', {
        id: randomUUID(),
        canteenId: CANTEEN,
        residentId: r.id,
        identifyMethod: 'staff',
        staffReason: { code: 'on_behalf', note: '家属电话订送餐' },
        lines: [{ dishId: `${CANTEEN}__set-a`, quantity: 1 }],
        fulfilment: 'delivery',
        paymentMethod: 'external',
        externalReference: `WX2026112399${r.id.slice(-2)}`,
      });
      expect(o.statusCode, o.body).toBe(201);
    }
    const first = e.ctx.db.readerConn.prepare(`SELECT id FROM deliveries WHERE service_date = '2026-11-23' ORDER BY id LIMIT 1`).get() as { id: string };
    expect((await post(`/api/v1/canteens/${CANTEEN}/deliveries/assign`, { deliveryIds: [first.id], courier: '李师傅' })).statusCode).toBe(200);
    expect((await post(`/api/v1/deliveries/${first.id}/out`, {})).statusCode).toBe(200);

    const { ctx, page } = await newPage();
    await login(page, 'yikang');
    const c = `/canteens/${CANTEEN}`;
    const found: string[] = [];
    found.push(...(await visit(page, `${c}/deliveries`, 'route-李师傅', 'operator-deliveries')));
    found.push(...(await visit(page, `${c}/close`, 'close-report', 'operator-close')));
    found.push(...(await visit(page, `${c}/samples`, 'samples-table', 'operator-samples')));
    found.push(...(await visit(page, `/board/${CANTEEN}`, 'ready-board', 'operator-ready-board')));
    expect(found).toEqual([]);
    await ctx.close();
  });

  it("as district staff: the canteen's day, read-only", async () => {
    const { ctx, page } = await newPage();
    await login(page, 'tianhe');
    const c = `/canteens/${CANTEEN}`;
    const found: string[] = [];
    found.push(...(await visit(page, `${c}/close`, 'close-report', 'district-close')));
    found.push(...(await visit(page, `${c}/deliveries`, 'side-nav', 'district-deliveries')));
    found.push(...(await visit(page, `${c}/samples`, 'samples-table', 'district-samples')));
    expect(found).toEqual([]);
    await ctx.close();
  });

  it('as district staff: the overview, policy, category approvals, and a canteen read-only', async () => {
    const { ctx, page } = await newPage();
    await login(page, 'tianhe');
    const c = `/canteens/${CANTEEN}`;
    const found: string[] = [];
    found.push(...(await visit(page, '/overview', 'canteen-table', 'district-overview')));
    found.push(...(await visit(page, '/reports?groupBy=street', 'report-table', 'district-reports')));
    found.push(...(await visit(page, '/indicators', 'kpis', 'district-indicators')));
    // The charts' text alternative: every chart shown as its table.
    for (const chart of ['daily', 'category', 'coverage', 'satisfaction', 'compliance']) await page.getByTestId(`chart-${chart}-as-table`).click();
    await page.getByTestId('chart-compliance-table').waitFor();
    found.push(...(await axe(page, 'district-indicators-tables')));
    await shot(page, 'a11y-district-indicators-tables');
    found.push(...(await visit(page, '/policy', 'side-nav', 'district-policy')));
    found.push(...(await opened(page, 'policy-create', 'policy-create-dialog', 'district-policy-create')));
    found.push(...(await visit(page, `/policy/${POLICY}`, 'side-nav', 'district-policy-version')));
    // The structured editor on a draft (a new version of 天河区's top-up, with its tiers), and a simulation's result.
    await page.goto(`${e.base}/policy/${TOP_UP}`);
    await page.getByTestId(`policy-new-version-${TOP_UP}`).click();
    await page.getByTestId('policy-edit-layer-0').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="policy-validation"]')?.getAttribute('data-ok') === 'true');
    await shot(page, 'a11y-district-policy-draft');
    found.push(...(await axe(page, 'district-policy-draft')));
    await page.getByTestId('policy-simulate').click();
    await page.getByTestId('policy-simulation').waitFor({ timeout: 60_000 });
    await page.mouse.move(0, 0); // the button's hover colour is not what a reader sees
    found.push(...(await axe(page, 'district-policy-simulation')));
    found.push(...(await visit(page, '/approvals', 'approvals-table', 'district-approvals')));
    found.push(...(await visit(page, `${c}/orders`, 'orders-table', 'district-orders')));
    found.push(...(await visit(page, `${c}/menus`, 'today-menu', 'district-menus')));
    found.push(...(await visit(page, `${c}/dishes`, 'dishes-table', 'district-dishes')));
    found.push(...(await visit(page, '/price-reviews', 'price-changes-table', 'district-price-reviews')));
    found.push(...(await visit(page, `${c}/residents`, 'residents-table', 'district-residents')));
    await page.locator('[data-testid^="resident-row-"]').first().click();
    await page.getByTestId('resident-detail').waitFor();
    await page.waitForTimeout(400);
    found.push(...(await axe(page, 'district-resident-drawer')));
    // A page outside the role: the 403 page must be readable too.
    found.push(...(await visit(page, `${c}/devices`, 'side-nav', 'district-forbidden')));
    expect(found).toEqual([]);
    await ctx.close();
  }, 300_000);

  it('as district staff: claims, anomalies, flagged offline orders and the audit log', async () => {
    // The claim and anomaly pages with their dialogs are checked in settlement.e2e.ts, at month end.
    // A flagged late order to review, made directly (the offline lunch itself is e2e/offline-lunch.e2e.ts).
    const o = e.ctx.db.writer
      .prepare(
        `SELECT id FROM orders WHERE canteen_id = ? AND service_date LIKE '2026-11-%' AND elder_subsidy_fen > 0 AND resident_id IS NOT NULL ORDER BY id LIMIT 1`,
      )
      .get(CANTEEN) as { id: string };
    e.ctx.db.writer
      .prepare(
        `INSERT OR IGNORE INTO order_reviews (order_id, canteen_id, resident_id, service_date, meal_period, flagged, reason, reasons,
           kiosk_elder_pays_fen, kiosk_elder_subsidy_fen, kiosk_policy_version_ids, server_elder_pays_fen, server_elder_subsidy_fen,
           server_policy_version_ids, created_at)
         SELECT id, canteen_id, resident_id, service_date, meal_period, 1, 'clock_untrusted', '["clock_untrusted","outside_hours"]',
           elder_pays_fen, elder_subsidy_fen, '[]', elder_pays_fen, elder_subsidy_fen, '[]', created_at FROM orders WHERE id = ?`,
      )
      .run(o.id);
    const { ctx, page } = await newPage();
    await login(page, 'tianhe');
    const found: string[] = [];
    found.push(...(await visit(page, '/late-orders?month=2026-11', `late-review-row-${o.id}`, 'district-late-orders')));
    found.push(...(await opened(page, `late-review-disallow-${o.id}`, 'late-review-text', 'district-late-order-disallow')));
    found.push(...(await visit(page, '/claims?month=2026-10', 'claims-page', 'district-claims')));
    found.push(...(await opened(page, 'claims-payers', 'payer-settings', 'district-claims-payers')));
    found.push(...(await visit(page, '/anomalies?month=2026-11', 'anomalies-page', 'district-anomalies')));
    found.push(...(await visit(page, '/audit', 'audit-page', 'district-audit')));
    expect(found).toEqual([]);
    await ctx.close();
  }, 300_000);

  it('as city staff: accounts, the new-account drawer, and the annual clearing', async () => {
    // October's claims of one canteen, drafted by its operator; the city's one approved and paid (its review is
    // settlement.e2e's subject), the district's left open.
    const opLogin = await e.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'yikang', password: DEMO_PASSWORD } });
    const cookie = `yishi_session=${opLogin.cookies.find((x) => x.name === 'yishi_session')!.value}`;
    const gen = await e.app.inject({
      method: 'POST',
      url: '/api/v1/claims/generate',
      payload: { month: '2026-10', canteenId: CANTEEN },
      headers: { cookie, origin: 'http://localhost:80' },
    });
    expect(gen.statusCode, gen.body).toBe(200);
    const claims = gen.json().items as { id: string; payer: string; totalFen: number }[];
    const city = claims.find((c) => c.payer === '广州市民政局')!;
    e.ctx.db.writer.prepare(`UPDATE claims SET state = 'paid', paid_fen = total_fen, paid_on = '2026-11-20' WHERE id = ?`).run(city.id);

    const { ctx, page } = await newPage();
    await login(page, 'city');
    const found: string[] = [];
    found.push(...(await visit(page, '/users', 'users-table', 'city-users')));
    found.push(...(await opened(page, 'user-create', 'user-username', 'city-user-create')));
    found.push(...(await visit(page, '/clearing?year=2026', 'clearing-row-440106', 'city-clearing')));
    expect(await page.getByTestId('clearing-total-claims').textContent()).toContain('1');
    expect(await page.getByTestId('clearing-total-paid').textContent()).toContain(formatYuan(city.totalFen));
    expect(await page.getByTestId('clearing-open').textContent()).toContain(String(claims.length - 1));
    await page.getByTestId('clearing-row-440106').locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('clearing-payer-440106-广州市民政局').waitFor();
    await shot(page, 'a11y-city-clearing-payers');
    found.push(...(await axe(page, 'city-clearing-payers')));
    expect(found).toEqual([]);
    await ctx.close();
  });
});

describe('a refusal from the server', () => {
  it('lands on the field it concerns, in Chinese', async () => {
    const { ctx, page } = await newPage();
    await login(page, 'city');
    await page.goto(`${e.base}/users`);
    await page.getByTestId('user-create').click();
    // The client checks the form against the shared schema first …
    await page.getByTestId('user-username').fill('Bad Name');
    await page.getByTestId('user-save').click();
    await page.locator('.ant-form-item-explain-error', { hasText: '小写字母' }).waitFor();
    // … and what only the server knows (a username already taken) comes back onto the same field.
    await page.getByTestId('user-username').fill('tianhe');
    await page.getByTestId('user-displayname').fill('天河区民政局 新同事');
    // A canteen for the operator: picked again if the first pick did not take (the options can still be loading
    // and re-render under the pointer on a busy machine).
    const canteens = page.locator('.ant-drawer .ant-select-multiple');
    const picked = canteens.locator('.ant-select-selection-item');
    for (let i = 0; i < 3 && (await picked.count()) === 0; i++) {
      await canteens.click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
      await picked
        .first()
        .waitFor({ timeout: 5000 })
        .catch(() => undefined);
    }
    await picked.first().waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
    await page.getByTestId('user-save').click();
    expect((await answer).status()).toBe(409);
    await page.locator('.ant-form-item-explain-error', { hasText: '这个用户名已被使用' }).waitFor();
    await shot(page, 'console-11-refusal-on-field');
    expect(e.ctx.db.writer.prepare("SELECT count(*) AS n FROM users WHERE username = 'tianhe'").get()).toEqual({ n: 1 });
    await ctx.close();
  });
});

describe('the canteen an operator lands on', () => {
  it('is the one they last used on this browser, and no other canteen shows first', async () => {
    const { ctx, page } = await newPage();
    // Every canteen name the page ever shows, from the first paint.
    await ctx.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __canteensSeen: string[] }).__canteensSeen = seen;
      new MutationObserver(() => {
        const name = document.querySelector('[data-testid="canteen-name"]')?.textContent;
        if (name && seen[seen.length - 1] !== name) seen.push(name);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await login(page, 'yikang');
    await page.waitForURL(/\/canteens\/ct-beijing\/orders/);
    await page.goto(`${e.base}/canteens/ct-nanhuaxi/menus`);
    await page.getByTestId('today-menu').waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();

    await login(page, 'yikang');
    await page.waitForURL(/\/canteens\/ct-nanhuaxi\/orders/);
    await page.getByTestId('orders-table').waitFor();
    const seen = await page.evaluate(() => (window as unknown as { __canteensSeen: string[] }).__canteensSeen);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain('南华西');
    await shot(page, 'console-10-lands-on-last-canteen');

    // Another operator on the same browser is not sent to it: it is remembered per user.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await login(page, 'jiajia');
    await page.waitForURL(/\/canteens\/ct-[a-z-]+\/orders/);
    expect(page.url()).not.toContain('ct-nanhuaxi');
    await ctx.close();
  });
});

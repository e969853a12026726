/**
 * The console in Chromium against the real server: city staff log in and see the demo canteens; an operator
 * logs in, sees a kiosk order arrive live in today's orders and the kitchen queue, and marks a dish sold out
 * from the menu page, which greys it out on a kiosk without a reload; 呼叫工作人员 on the kiosk reaches the console.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { randomUUID as uuidv7 } from 'node:crypto';
import { createPairing } from '../server/src/modules/kiosk/kiosk.service';
import { DEMO_PASSWORD } from '../server/src/seed';
import { shot, startE2E, type E2E } from './harness';

let e: E2E;
let consoleCtx: BrowserContext;
const CANTEEN = 'ct-shipai-huashi';
const SOUP = `${CANTEEN}__zicai-tang`;

async function loginAs(page: Page, username: string) {
  await page.goto(`${e.base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
}

beforeAll(async () => {
  e = await startE2E();
  consoleCtx = await e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

describe('console', () => {
  it('city staff log in and see every demo canteen', async () => {
    const page = await consoleCtx.newPage();
    await page.goto(e.base);
    await page.getByTestId('login-username').waitFor();
    await shot(page, 'console-01-login');
    await loginAs(page, 'city');
    await page.getByTestId('canteen-table').waitFor();
    for (const id of ['ct-shipai-huashi', 'ct-beijing', 'ct-binjiang', 'ct-dongpu-help']) await page.getByTestId(`canteen-row-${id}`).waitFor();
    expect(await page.locator('[data-testid^="canteen-row-"]').count()).toBe(12);
    expect(await page.getByTestId('canteen-table').textContent()).toContain('华师社区长者饭堂');
    await shot(page, 'console-02-overview-city');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    await page.close();
  });

  it('an operator sees a kiosk order arrive live, and the kitchen queue with it', async () => {
    const page = await consoleCtx.newPage();
    await loginAs(page, 'yikang');
    await page.waitForURL(/\/canteens\/.+\/orders/);
    await page.goto(`${e.base}/canteens/${CANTEEN}/orders`);
    await page.getByTestId('orders-table').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-status') === 'open');
    // A kiosk order, placed through the real API while the page is open.
    const device = { authorization: `Device ${await kioskCredential()}` };
    const lines = [{ dishId: `${CANTEEN}__set-a`, quantity: 1 }];
    const quote = await e.app.inject({ method: 'POST', url: '/api/v1/quotes', headers: device, payload: { residentTicket: null, lines } });
    expect(quote.statusCode, quote.body).toBe(200);
    const res = await e.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: device,
      payload: {
        id: uuidv7(),
        identifyMethod: 'guest',
        lines,
        paymentMethod: 'external',
        externalReference: 'WX20261123001',
        quoteId: quote.json().quoteId,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const orderId = res.json().id as string;
    // What the kiosk said is not money: the order waits for staff, and the kitchen does not cook it yet.
    expect(res.json().state).toBe('awaiting_payment');
    await page.getByTestId(`order-row-${orderId}`).waitFor({ timeout: 5000 });
    expect(await page.getByTestId(`order-reference-${orderId}`).textContent()).toContain('WX20261123001');
    await shot(page, 'console-03-orders-live');

    await page.goto(`${e.base}/canteens/${CANTEEN}/kitchen`);
    await page.getByTestId(`kitchen-awaiting-${orderId}`).waitFor();
    expect(await page.getByTestId(`kitchen-card-${orderId}`).count()).toBe(0);
    await shot(page, 'console-03b-kitchen-awaiting');

    // The operator checks the reference against the payments received and confirms at the counter.
    await page.goto(`${e.base}/canteens/${CANTEEN}/orders`);
    await page.getByTestId(`order-pay-${orderId}`).click();
    expect(await page.getByTestId('payment-claimed').textContent()).toContain('WX20261123001');
    expect(await page.getByTestId('payment-reference').inputValue()).toBe('WX20261123001');
    await shot(page, 'console-03c-confirm-payment');
    await page.getByTestId('payment-confirm').click();
    await page.getByTestId(`order-ready-${orderId}`).waitFor();
    const payment = e.ctx.db.writer.prepare("SELECT method, reference, confirmed_by FROM payments WHERE order_id = ? AND direction = 'in'").all(orderId);
    expect(payment).toEqual([{ method: 'external', reference: 'WX20261123001', confirmed_by: 'user-yikang' }]);

    await page.goto(`${e.base}/canteens/${CANTEEN}/kitchen`);
    await page.getByTestId(`kitchen-card-${orderId}`).waitFor();
    expect(await page.getByTestId(`kitchen-awaiting-${orderId}`).count()).toBe(0);
    await shot(page, 'console-04-kitchen');
    await page.getByTestId(`kitchen-serve-${orderId}`).click();
    await page.getByTestId(`kitchen-card-${orderId}`).waitFor({ state: 'detached' });
    const stored = e.ctx.db.writer.prepare('SELECT state FROM orders WHERE id = ?').get(orderId) as { state: string };
    expect(stored.state).toBe('ready');

    // A photo for a dish, from the dish drawer.
    await page.goto(`${e.base}/canteens/${CANTEEN}/dishes`);
    await page.getByTestId(`dish-edit-${CANTEEN}__set-b`).click();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.getByTestId('dish-photo-input').setInputFiles({ name: 'set-b.png', mimeType: 'image/png', buffer: png });
    await page.locator('.ant-drawer img[src^="/media/"]').waitFor();
    const photo = e.ctx.db.writer.prepare('SELECT photo_url FROM dishes WHERE id = ?').get(`${CANTEEN}__set-b`) as { photo_url: string };
    expect(photo.photo_url).toMatch(/^\/media\/dish-/);
    await shot(page, 'console-05-dish-photo');
    await page.close();
  });

  it('a dish marked sold out in the console greys out on the kiosk without a reload', async () => {
    const kioskCtx = await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5 });
    const kiosk = await kioskCtx.newPage();
    const { code } = await createPairing(e.ctx, operatorActor(), CANTEEN, '2号自助机');
    await kiosk.goto(`${e.base}/kiosk/`);
    await kiosk.getByTestId('pairing-screen').waitFor();
    for (const d of code) await kiosk.getByTestId(`keypad-digit-${d}`).click();
    await kiosk.getByTestId('pair-submit').click();
    await kiosk.getByTestId('guest-button').click();
    await kiosk.getByTestId('menu-screen').waitFor();
    expect(await kiosk.getByTestId(`dish-card-${SOUP}`).getAttribute('data-soldout')).toBe('false');
    let reloads = 0;
    kiosk.on('framenavigated', () => reloads++);

    const page = await consoleCtx.newPage();
    await loginAs(page, 'yikang');
    await page.waitForURL(/\/canteens\//);
    await page.goto(`${e.base}/canteens/${CANTEEN}/menus`);
    const toggle = page.getByTestId(`menu-soldout-${SOUP}`);
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="menu-soldout-${id}"]`)?.getAttribute('aria-checked') === 'true', SOUP);
    await shot(page, 'console-06-menu-sold-out');

    await kiosk.waitForFunction((id) => document.querySelector(`[data-testid="dish-card-${id}"]`)?.getAttribute('data-soldout') === 'true', SOUP, {
      timeout: 5000,
    });
    expect(await kiosk.getByTestId(`dish-card-${SOUP}`).textContent()).toContain('售罄');
    expect(reloads).toBe(0);
    await shot(kiosk, 'kiosk-10-sold-out-from-console');

    // 呼叫工作人员 on the kiosk: the operator's console says so, and names the kiosk.
    await kiosk.getByTestId('call-staff').click();
    await kiosk.getByTestId('staff-overlay').waitFor();
    const notice = page.locator('.ant-notification-notice').filter({ hasText: '有长者需要帮助' });
    await notice.waitFor({ timeout: 5000 });
    expect(await notice.textContent()).toContain('2号自助机');
    await shot(page, 'console-07-help-requested');
    await kioskCtx.close();
    await page.close();
  });
});

function operatorActor() {
  return {
    kind: 'user' as const,
    sessionId: 'e2e',
    user: {
      id: 'user-yikang',
      username: 'yikang',
      displayName: 'e2e',
      role: 'operator' as const,
      scopeAreaCode: null,
      canteenIds: [CANTEEN],
      canSeeIdNumbers: false,
      mustChangePassword: false,
    },
  };
}

let credential: string | null = null;
async function kioskCredential(): Promise<string> {
  if (credential) return credential;
  const { code } = await createPairing(e.ctx, operatorActor(), CANTEEN, '3号自助机');
  const res = await e.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code } });
  credential = res.json().credential as string;
  return credential;
}

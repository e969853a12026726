/**
 * The kiosk when the network fails. An order whose answer is lost is retried with the same id and recorded
 * once. With the network down the kiosk says so calmly, keeps taking orders (a guest at list price, pay at the
 * counter) in its outbox, reloads from its service worker with the outbox intact, and sends everything once,
 * in order, when the network is back — also when the browser never says it is back (a probe notices). A busy
 * server (503 + Retry-After) is waited for, not hammered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './harness';
import { basketPriced, CANTEEN, fen, pairKiosk } from './kioskDriver';

let e: E2E;
let ctx: BrowserContext;
let page: Page;
const SOUP = `${CANTEEN}__zicai-tang`;
const RICE = `${CANTEEN}__mifan`;
const FRUIT = `${CANTEEN}__pingguo`;
const AUBERGINE = `${CANTEEN}__qiezi`;
const BROCCOLI = `${CANTEEN}__suanrong-xilanhua`;

function ordersWith(dishId: string): { id: string; pickup_number: number; created_at: string }[] {
  return e.ctx.db.writer
    .prepare(
      "SELECT o.id, o.pickup_number, o.created_at FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.dish_id = ? AND o.service_date = '2026-11-23'",
    )
    .all(dishId) as { id: string; pickup_number: number; created_at: string }[];
}

async function until(check: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

async function guestToConfirm(p: Page, dishId: string) {
  await p.getByTestId('guest-button').click();
  await p.getByTestId('menu-screen').waitFor();
  await p.getByTestId(`add-${dishId}`).click();
  await basketPriced(p);
  await p.getByTestId('to-confirm').click();
  await p.waitForFunction(() => !!document.querySelector('[data-testid="confirm-pay-amount"]')?.getAttribute('data-fen'));
}

beforeAll(async () => {
  e = await startE2E();
  ctx = await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5 });
  page = await ctx.newPage();
  await pairKiosk(page, e, '离线测试机', '?outboxMs=1000&ticketMs=60000');
  // The service worker has the whole kiosk before the network goes.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

describe('kiosk offline', () => {
  it('an order whose answer is lost is sent again with the same id and recorded once', async () => {
    let dropped = 0;
    await page.route('**/api/v1/orders', async (route) => {
      if (route.request().method() === 'POST' && dropped === 0) {
        dropped += 1;
        await route.fetch(); // the server receives and commits it…
        await route.abort('connectionreset'); // …but the kiosk never hears back
        return;
      }
      await route.continue();
    });
    await guestToConfirm(page, SOUP);
    await page.getByTestId('pay-counter').click();
    await page.getByTestId('ticket-screen').waitFor({ timeout: 20_000 });
    expect(dropped).toBe(1);
    const rows = ordersWith(SOUP);
    expect(rows).toHaveLength(1);
    expect(Number((await page.getByTestId('ticket-number').textContent())?.replace(/\D/g, ''))).toBe(rows[0]!.pickup_number);
    await page.unroute('**/api/v1/orders');
    await page.getByTestId('ticket-done').click();
    await page.getByTestId('start-screen').waitFor();
  });

  it('with the network down: orders wait in the outbox, a reload keeps them, and each arrives once when it is back', async () => {
    await guestToConfirm(page, RICE);
    await ctx.setOffline(true);
    await page.getByTestId('pay-counter').click();
    await page.getByTestId('order-saved-offline').waitFor({ timeout: 30_000 });
    await page.getByTestId('offline-banner').waitFor();
    await shot(page, 'kiosk-20-saved-offline');
    // It says what is owed and where: a guest pays the rice at the counter, with the reference staff look up.
    const saved = (await page.getByTestId('order-saved-offline').textContent()) ?? '';
    expect(saved).toMatch(/请到柜台付 ¥1\.00，报订单尾号 [0-9A-F]{6} 取餐/);
    expect(ordersWith(RICE)).toHaveLength(0);
    await page.getByTestId('saved-done').click();
    await page.getByTestId('start-screen').waitFor();

    // Reload with no network: the kiosk starts from its service worker, with the order still waiting.
    await page.reload();
    await page.getByTestId('start-screen').waitFor({ timeout: 20_000 });
    await page.getByTestId('offline-banner').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="pending-orders"]')?.getAttribute('data-count') === '1', null, { timeout: 10_000 });
    expect(await page.getByTestId('offline-banner').textContent()).toContain('网络暂时断开');
    await shot(page, 'kiosk-21-reloaded-offline');

    // Still offline, a guest orders at list price and pays at the counter.
    await page.getByTestId('guest-button').click();
    await page.getByTestId('menu-screen').waitFor();
    await page.getByTestId(`add-${FRUIT}`).click();
    await page.waitForFunction(() => !!document.querySelector('[data-testid="cart-total"]')?.getAttribute('data-fen'));
    await page.getByTestId('to-confirm').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="confirm-bill"]')?.getAttribute('data-source') === 'list');
    expect(await fen(page, 'confirm-pay-amount')).toBe(200);
    expect(await page.getByTestId('pay-external').count()).toBe(0);
    await shot(page, 'kiosk-22-offline-guest-confirm');
    await page.getByTestId('pay-counter').click();
    await page.getByTestId('order-saved-offline').waitFor({ timeout: 15_000 });
    await page.getByTestId('saved-done').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="pending-orders"]')?.getAttribute('data-count') === '2');
    expect(ordersWith(FRUIT)).toHaveLength(0);

    await ctx.setOffline(false);
    await until(() => ordersWith(RICE).length > 0 && ordersWith(FRUIT).length > 0, 30_000);
    const [rice] = ordersWith(RICE);
    const [fruit] = ordersWith(FRUIT);
    expect(rice && fruit).toBeTruthy();
    // In the order they were made.
    expect(rice!.pickup_number).toBeLessThan(fruit!.pickup_number);
    await page.getByTestId('pending-orders').waitFor({ state: 'detached', timeout: 10_000 });
    // Later flushes do not send them again.
    await new Promise((r) => setTimeout(r, 2500));
    expect(ordersWith(RICE)).toHaveLength(1);
    expect(ordersWith(FRUIT)).toHaveLength(1);
    await shot(page, 'kiosk-23-back-online');
  });

  it('when the network comes back without the browser saying so, a probe notices and the outbox is sent', async () => {
    // An outage the browser does not see (a dead canteen router): every API request fails, no offline/online events.
    const p = await (
      await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5, serviceWorkers: 'block' })
    ).newPage();
    await pairKiosk(p, e, '探测测试机', '?outboxMs=1000&ticketMs=60000');
    await guestToConfirm(p, AUBERGINE);
    await p.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
    await p.getByTestId('pay-counter').click();
    await p.getByTestId('order-saved-offline').waitFor({ timeout: 30_000 });
    await p.getByTestId('saved-done').click();
    await p.getByTestId('offline-banner').waitFor();
    expect(ordersWith(AUBERGINE)).toHaveLength(0);
    await p.unroute('**/api/v1/**');
    await until(() => ordersWith(AUBERGINE).length > 0, 40_000);
    expect(ordersWith(AUBERGINE)).toHaveLength(1);
    await p.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 10_000 });
    await p.getByTestId('pending-orders').waitFor({ state: 'detached', timeout: 10_000 });
    await p.context().close();
  });

  it('a busy server (503 with Retry-After) is waited for as long as it asks, then the order goes through once', async () => {
    const posts: number[] = [];
    await page.route('**/api/v1/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts.push(Date.now());
      if (posts.length === 1) return route.fulfill({ status: 503, headers: { 'retry-after': '3', 'content-type': 'text/plain' }, body: 'busy' });
      return route.continue();
    });
    await guestToConfirm(page, BROCCOLI);
    await page.getByTestId('pay-counter').click();
    await page.getByTestId('busy-countdown').waitFor();
    expect(await page.getByTestId('pending-orders').count()).toBe(0); // the order on screen is not "waiting"
    expect(await page.getByTestId('offline-banner').count()).toBe(0); // busy is not offline
    await shot(page, 'kiosk-24-busy');
    await page.getByTestId('ticket-screen').waitFor({ timeout: 20_000 });
    expect(posts).toHaveLength(2);
    expect(posts[1]! - posts[0]!).toBeGreaterThanOrEqual(2900);
    expect(ordersWith(BROCCOLI)).toHaveLength(1);
    await page.unroute('**/api/v1/orders');
  });
});

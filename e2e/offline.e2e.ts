/**
 * The kiosk when the network fails: an order whose answer is lost is retried with the same id and recorded
 * once; an order made with the network down waits in the outbox and reaches the server once, when it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createPairing } from '../server/src/modules/kiosk/kiosk.service';
import { shot, startE2E, type E2E } from './harness';

let e: E2E;
let ctx: BrowserContext;
let page: Page;
const CANTEEN = 'ct-shipai-huashi';
const SOUP = `${CANTEEN}__zicai-tang`;
const RICE = `${CANTEEN}__mifan`;

function ordersWith(dishId: string): { id: string; n: number }[] {
  return e.ctx.db.writer
    .prepare(
      "SELECT o.id, count(*) AS n FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.dish_id = ? AND o.service_date = '2026-11-23' GROUP BY o.id",
    )
    .all(dishId) as { id: string; n: number }[];
}

async function guestOrder(dishId: string) {
  await page.getByTestId('guest-button').click();
  await page.getByTestId('menu-screen').waitFor();
  await page.getByTestId(`add-${dishId}`).click();
  await page.waitForFunction(() => !!document.querySelector('[data-testid="cart-total"]')?.getAttribute('data-fen'));
  await page.getByTestId('to-confirm').click();
  await page.waitForFunction(() => !!document.querySelector('[data-testid="confirm-pay-amount"]')?.getAttribute('data-fen'));
}

beforeAll(async () => {
  e = await startE2E();
  ctx = await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5 });
  page = await ctx.newPage();
  const operator = {
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
  const { code } = await createPairing(e.ctx, operator, CANTEEN, '离线测试机');
  await page.goto(`${e.base}/kiosk/?outboxMs=1000&ticketMs=60000`);
  await page.getByTestId('pairing-screen').waitFor();
  for (const d of code) await page.getByTestId(`keypad-digit-${d}`).click();
  await page.getByTestId('pair-submit').click();
  await page.getByTestId('start-screen').waitFor();
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
    await guestOrder(SOUP);
    await page.getByTestId('pay-counter').click();
    await page.getByTestId('ticket-screen').waitFor({ timeout: 20_000 });
    expect(dropped).toBe(1);
    const rows = ordersWith(SOUP);
    expect(rows).toHaveLength(1);
    const pickup = Number((await page.getByTestId('ticket-number').textContent())?.replace(/\D/g, ''));
    const stored = e.ctx.db.writer.prepare('SELECT pickup_number FROM orders WHERE id = ?').get(rows[0]!.id) as { pickup_number: number };
    expect(stored.pickup_number).toBe(pickup);
    await page.unroute('**/api/v1/orders');
    await page.getByTestId('ticket-done').click();
    await page.getByTestId('start-screen').waitFor();
  });

  it('with the network down the order waits in the outbox and arrives once when it is back', async () => {
    await guestOrder(RICE);
    await ctx.setOffline(true);
    await page.getByTestId('pay-counter').click();
    await page.getByTestId('order-saved-offline').waitFor({ timeout: 30_000 });
    await shot(page, 'kiosk-13-saved-offline');
    expect(ordersWith(RICE)).toHaveLength(0);
    await page.getByTestId('saved-done').click();
    await page.getByTestId('start-screen').waitFor();
    await page.getByTestId('pending-orders').waitFor();

    await ctx.setOffline(false);
    const deadline = Date.now() + 20_000;
    while (ordersWith(RICE).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(ordersWith(RICE)).toHaveLength(1);
    await page.getByTestId('pending-orders').waitFor({ state: 'detached', timeout: 10_000 });
    // Later flushes do not send it again.
    await new Promise((r) => setTimeout(r, 2500));
    expect(ordersWith(RICE)).toHaveLength(1);
    await shot(page, 'kiosk-14-back-online');
  });
});

/**
 * The whole system must work whatever the calendar says. The server's clock is business time only; the
 * browser runs on the real date. Here the server's clock is a year before and a year after the real date:
 * the operator still logs in (the session cookie is a duration, not an instant from the server's clock) and
 * a kiosk order placed at that server time reaches the console.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD } from '../server/src/seed';
import { shot, startE2E, type E2E } from './harness';
import { as, pairKiosk, withQuote } from '../server/test/helpers';

/** 12:00 in Guangzhou on the Monday nearest to `days` from the real today: lunch is open. */
function mondayLunch(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const dow = d.getUTCDay();
  d.setUTCDate(d.getUTCDate() + ((8 - dow) % 7));
  return `${d.toISOString().slice(0, 10)}T12:00:00+08:00`;
}

let e: E2E | undefined;
afterEach(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  e = undefined;
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

describe.each([
  ['a year before the real date', -365],
  ['a year after the real date', 365],
])('server clock %s', (label, days) => {
  it('an operator logs in and sees a kiosk order arrive', async () => {
    const at = mondayLunch(days);
    e = await startE2E({ at });
    const kiosk = await pairKiosk(e.app);

    const ctx = await e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${e.base}/login`);
    await page.getByTestId('login-username').fill('yikang');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/canteens\/.+\/orders/);
    const cookies = await ctx.cookies();
    const session = cookies.find((c) => c.name === 'yishi_session');
    expect(session, 'the browser kept the session cookie').toBeTruthy();
    // Max-Age from the real time: the browser's expiry lies ahead of the browser's now, whatever the server clock.
    expect(session!.expires * 1000).toBeGreaterThan(Date.now());
    expect(session!.expires * 1000).toBeLessThan(Date.now() + 13 * 3600_000);

    await page.goto(`${e.base}/canteens/ct-shipai-huashi/orders`);
    await page.getByTestId('orders-table').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-status') === 'open');
    const state = await as(e.app, kiosk).get('/api/v1/kiosk/state');
    expect(state.statusCode, state.body).toBe(200);
    const dish = (state.json() as { menu: { items: { dish: { id: string }; soldOut: boolean }[] } | null }).menu!.items.find((i) => !i.soldOut)!;
    const order = await as(e.app, kiosk).post(
      '/api/v1/orders',
      await withQuote(as(e.app, kiosk), {
        id: randomUUID(),
        lines: [{ dishId: dish.dish.id, quantity: 1 }],
        fulfilment: 'dine_in',
        paymentMethod: 'cash',
        identifyMethod: 'guest',
      }),
    );
    expect(order.statusCode, order.body).toBe(201);
    const pickup = (order.json() as { pickupNumber: number }).pickupNumber;
    await page.getByTestId('orders-table').getByText(String(pickup), { exact: true }).first().waitFor();
    await shot(page, `time-${days < 0 ? 'year-before' : 'year-after'}-orders`);
    await ctx.close();
    void label;
  });
});

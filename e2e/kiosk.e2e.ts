/**
 * The kiosk in Chromium against the real server: a subsidised resident (card tap → menu → order → wallet
 * payment → ticket), a guest, a double-tapped confirm and an axe-core scan of every screen. (A dish sold out
 * from the console page greying out live on a kiosk is in console.e2e.ts.) Screenshots of every step go to e2e/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { createPairing } from '../server/src/modules/kiosk/kiosk.service';
import { shot, startE2E, type E2E } from './harness';

let e: E2E;
let page: Page;
const CANTEEN = 'ct-shipai-huashi';
const DIABETIC_SET = `${CANTEEN}__set-diabetic`;
const SOUP = `${CANTEEN}__zicai-tang`;
const violations: Record<string, { id: string; impact: string | null | undefined; nodes: number }[]> = {};

async function axe(name: string) {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  violations[name] = res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
}

function db<T>(sql: string, ...args: unknown[]): T[] {
  return e.ctx.db.writer.prepare(sql).all(...args) as T[];
}

beforeAll(async () => {
  e = await startE2E();
  const ctx = await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5 });
  page = await ctx.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

describe('kiosk', () => {
  it('pairs with a one-time code from the console', async () => {
    const admin = {
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
    const { code } = await createPairing(e.ctx, admin, CANTEEN, '1号自助机');
    await page.goto(`${e.base}/kiosk/?ticketMs=4000`);
    await page.getByTestId('pairing-screen').waitFor();
    await shot(page, 'kiosk-01-pairing');
    await axe('pairing');
    for (const d of code) await page.getByTestId(`keypad-digit-${d}`).click();
    await page.getByTestId('pair-submit').click();
    await page.getByTestId('start-screen').waitFor();
    await expect(page.getByTestId('start-screen')).toBeTruthy();
    await shot(page, 'kiosk-02-start');
    await axe('start');
  });

  it('a subsidised resident: card tap → menu → wallet payment (double-tapped) → ticket', async () => {
    const before = db<{ b: number }>("SELECT coalesce(sum(amount_fen),0) AS b FROM wallet_entries WHERE resident_id = 'rs-0001'")[0]!.b;
    await page.keyboard.type('4401100001');
    await page.keyboard.press('Enter');
    await page.getByTestId('menu-screen').waitFor();
    expect(await page.getByTestId('resident-name').textContent()).toContain('陈秀英');
    expect(await page.getByTestId('subsidy-status').getAttribute('data-available')).toBe('true');
    expect(Number(await page.getByTestId('resident-balance').getAttribute('data-fen'))).toBe(before);
    // The price this person pays comes first: ¥12 set, ¥3 subsidy → ¥9.
    expect(await page.getByTestId(`dish-price-${DIABETIC_SET}`).getAttribute('data-fen')).toBe('900');
    await shot(page, 'kiosk-03-menu-resident');
    await axe('menu');

    await page.getByTestId(`add-${DIABETIC_SET}`).click();
    await page.waitForFunction(() => !!document.querySelector('[data-testid="cart-total"]')?.getAttribute('data-fen'));
    await page.getByTestId('to-confirm').click();
    await page.getByTestId('confirm-screen').waitFor();
    await page.waitForFunction(() => !!document.querySelector('[data-testid="confirm-pay-amount"]')?.getAttribute('data-fen'));
    expect(await page.getByTestId('confirm-total').getAttribute('data-fen')).toBe('1200');
    expect(await page.getByTestId('confirm-subsidy').getAttribute('data-fen')).toBe('300');
    expect(await page.getByTestId('confirm-pay-amount').getAttribute('data-fen')).toBe('900');
    expect(Number(await page.getByTestId('confirm-balance-after').getAttribute('data-fen'))).toBe(before - 900);
    await shot(page, 'kiosk-04-confirm');
    await axe('confirm');

    // Double tap: two clicks as fast as a shaky finger.
    await page.getByTestId('pay-wallet').dblclick();
    await page.getByTestId('ticket-screen').waitFor();
    const pickup = Number(
      await page
        .getByTestId('ticket-number')
        .textContent()
        .then((s) => s?.replace(/\D/g, '')),
    );
    await shot(page, 'kiosk-05-ticket');
    await axe('ticket');

    const stored = db<{ id: string; pickup_number: number; meal_price_fen: number; elder_subsidy_fen: number; elder_pays_fen: number; state: string }>(
      "SELECT * FROM orders WHERE resident_id = 'rs-0001' AND service_date = '2026-11-23'",
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ pickup_number: pickup, meal_price_fen: 1200, elder_subsidy_fen: 300, elder_pays_fen: 900, state: 'paid' });
    expect(Number(await page.getByTestId('ticket-paid').getAttribute('data-fen'))).toBe(stored[0]!.elder_pays_fen);
    const after = db<{ b: number }>("SELECT sum(amount_fen) AS b FROM wallet_entries WHERE resident_id = 'rs-0001'")[0]!.b;
    expect(after).toBe(before - 900);
    expect(db('SELECT * FROM wallet_entries WHERE order_id = ?', stored[0]!.id)).toHaveLength(1);

    await page.getByTestId('ticket-done').click();
    await page.getByTestId('start-screen').waitFor();
  });

  it('a guest orders at full price and pays at the counter', async () => {
    await page.getByTestId('guest-button').click();
    await page.getByTestId('menu-screen').waitFor();
    expect(await page.getByTestId(`dish-price-${DIABETIC_SET}`).getAttribute('data-fen')).toBe('1200');
    await shot(page, 'kiosk-06-menu-guest');
    await page.getByTestId(`add-${SOUP}`).click();
    await page.waitForFunction(() => !!document.querySelector('[data-testid="cart-total"]')?.getAttribute('data-fen'));
    await page.getByTestId('to-confirm').click();
    await page.getByTestId('confirm-screen').waitFor();
    await page.waitForFunction(() => !!document.querySelector('[data-testid="confirm-pay-amount"]')?.getAttribute('data-fen'));
    expect(await page.getByTestId('confirm-pay-amount').getAttribute('data-fen')).toBe('200');
    await shot(page, 'kiosk-07-confirm-guest');
    await page.getByTestId('pay-counter').click();
    await page.getByTestId('ticket-screen').waitFor();
    await shot(page, 'kiosk-08-ticket-guest');
    const pickup = Number((await page.getByTestId('ticket-number').textContent())?.replace(/\D/g, ''));
    const stored = db<{ resident_id: string | null; elder_pays_fen: number; elder_subsidy_fen: number; state: string; identify_method: string }>(
      "SELECT * FROM orders WHERE canteen_id = ? AND service_date = '2026-11-23' AND meal_period = 'lunch' AND pickup_number = ?",
      CANTEEN,
      pickup,
    );
    expect(stored).toEqual([
      expect.objectContaining({ resident_id: null, elder_pays_fen: 200, elder_subsidy_fen: 0, state: 'awaiting_payment', identify_method: 'guest' }),
    ]);
    await page.getByTestId('ticket-done').click();
    await page.getByTestId('start-screen').waitFor();
  });

  it('no serious accessibility violations on any kiosk screen', () => {
    expect(Object.keys(violations).sort()).toEqual(['confirm', 'menu', 'pairing', 'start', 'ticket']);
    expect(violations).toEqual({ pairing: [], start: [], menu: [], confirm: [], ticket: [] });
  });
});

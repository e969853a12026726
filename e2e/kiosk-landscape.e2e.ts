/**
 * A landscape kiosk (1280 × 800) on the menu screen: the side column (greeting, 和上次一样, how to eat, the basket)
 * stays in sight while the dishes scroll, so everything in it must be reachable between the top bar and the cart
 * bar. It was sticky and 1,237 px tall: 送餐到家 and the basket lay under the cart bar at every scroll position.
 * The ticket: the number, the rating and 再听一遍 / 完成 in sight without scrolling. The start screen: its three
 * ways in (扫码, 手机号 + 密码, 不刷卡，直接点餐) in sight, also under a refusal of an unknown card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './harness';
import { CANTEEN, pairKiosk } from './kioskDriver';

let e: E2E;
let ctx: BrowserContext;
let page: Page;
const SET_A = `${CANTEEN}__set-a`;
const RICE = `${CANTEEN}__mifan`;

beforeAll(async () => {
  e = await startE2E();
  ctx = await e.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', hasTouch: true });
  page = await ctx.newPage();
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

/** Where the element is once brought into view, and whether a finger there lands on it (not on the cart bar). */
async function reachable(testId: string): Promise<{ top: number; bottom: number; band: [number, number]; hit: boolean }> {
  await page.getByTestId(testId).scrollIntoViewIfNeeded();
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`)!;
    const r = el.getBoundingClientRect();
    const band: [number, number] = [
      document.querySelector('.topbar')!.getBoundingClientRect().bottom,
      document.querySelector('.cartbar')!.getBoundingClientRect().top,
    ];
    const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { top: r.top, bottom: r.bottom, band, hit: !!at && (at === el || el.contains(at)) };
  }, testId);
}

describe('landscape kiosk menu', () => {
  it('和上次一样, 送餐到家 and the basket can all be reached and tapped on a 1280 × 800 screen', async () => {
    await pairKiosk(page, e, '横屏自助机');
    // 陈秀英 has a last order to repeat; 黄伯坚 may have meals delivered.
    const people: [string, string[]][] = [
      ['4401100001', ['same-as-last', 'basket-total']],
      ['4401100002', ['fulfil-delivery', 'basket-total']],
    ];
    for (const [card, ids] of people) {
      await page.getByTestId('start-screen').waitFor();
      await page.keyboard.type(card);
      await page.keyboard.press('Enter');
      await page.getByTestId('menu-screen').waitFor();
      await page.getByTestId(`add-${SET_A}`).tap();
      await page.getByTestId(`add-${RICE}`).tap();
      await page.waitForFunction(() => !!document.querySelector('[data-testid="basket-total"]'));
      for (const id of ids) {
        const r = await reachable(id);
        expect(r.top, `${card} ${id}`).toBeGreaterThanOrEqual(r.band[0]);
        expect(r.bottom, `${card} ${id}`).toBeLessThanOrEqual(r.band[1]);
        expect(r.hit, `${card} ${id}`).toBe(true);
      }
      if (ids.includes('same-as-last')) {
        // Words stay inside their button: the column scrolls rather than squeezing its children.
        const sub = await page.evaluate(() => {
          const b = document.querySelector('[data-testid="same-as-last"]')!;
          return { box: b.getBoundingClientRect().bottom, text: b.querySelector('.btn-sub')!.getBoundingClientRect().bottom };
        });
        expect(sub.text).toBeLessThanOrEqual(sub.box);
        await page.getByTestId('menu-back').tap();
      }
    }
    await page.getByTestId('fulfil-delivery').tap();
    expect(await page.getByTestId('fulfil-delivery').getAttribute('aria-pressed')).toBe('true');
    await shot(page, 'kiosk-landscape-menu-side');
  });

  it('the ticket: the number, the rating, 再听一遍 and 完成 are in sight on 1280 × 800 without scrolling', async () => {
    await page.getByTestId('menu-back').tap();
    await page.getByTestId('start-screen').waitFor();
    await page.getByTestId('guest-button').tap();
    await page.getByTestId(`add-${SET_A}`).tap();
    await page.waitForFunction(() => !!document.querySelector('[data-testid="cart-total"]')?.getAttribute('data-fen'));
    await page.getByTestId('to-confirm').tap();
    await page.waitForFunction(() => !!document.querySelector('[data-testid="confirm-pay-amount"]'));
    await page.getByTestId('pay-counter').tap();
    await page.getByTestId('ticket-screen').waitFor();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    for (const id of ['ticket-number', 'rate-satisfied', 'ticket-replay', 'ticket-print', 'ticket-done']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.y, id).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, id).toBeLessThanOrEqual(800);
      if (id !== 'ticket-number') expect(Math.min(box.width, box.height), id).toBeGreaterThanOrEqual(60);
    }
    // No word broken over two lines in the action buttons (再听一 / 遍).
    for (const id of ['ticket-replay', 'ticket-print', 'ticket-done']) {
      const lines = await page.getByTestId(id).evaluate((b) => {
        const r = document.createRange();
        r.selectNodeContents(b);
        return new Set(
          Array.from(r.getClientRects())
            .filter((x) => x.width > 0 && x.height > 20)
            .map((x) => Math.round(x.top)),
        ).size;
      });
      expect(lines, id).toBeLessThanOrEqual(2); // the icon's line and the words' line
    }
    await shot(page, 'kiosk-landscape-ticket');
  });

  it('the start screen: 扫码, 手机号 + 密码 and 不刷卡，直接点餐 are in sight, also when an unknown card is refused', async () => {
    await page.getByTestId('ticket-done').tap();
    await page.getByTestId('start-screen').waitFor();
    const inSight = async (when: string) => {
      expect(await page.evaluate(() => document.documentElement.scrollHeight), when).toBeLessThanOrEqual(800);
      for (const id of ['scan-button', 'phone-pin-button', 'guest-button']) {
        const box = (await page.getByTestId(id).boundingBox())!;
        expect(box.y + box.height, `${when} ${id}`).toBeLessThanOrEqual(800);
      }
    };
    await inSight('fresh');
    // "可以直接点餐" — and the button that does it must be on the screen (it was 819 px down, wholly below 800).
    await page.keyboard.type('4401199999');
    await page.keyboard.press('Enter');
    await page.getByTestId('notice-error').waitFor();
    await inSight('unknown card');
    await page.getByTestId('lang-toggle').tap();
    await page.keyboard.type('4401199998');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /card/i.test(document.querySelector('[data-testid="notice-error"]')?.textContent ?? ''));
    await inSight('unknown card, English');
    await shot(page, 'kiosk-landscape-start-refused');
  });
});

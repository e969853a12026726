/**
 * What an elder met in a walk-through of the kiosk, each kept as a check: what the voice says when the camera
 * cannot open on the 扫码 screen; 其他支付 on a small tablet opening its field in sight; the ticket's 再听一遍 and 完成
 * in sight on that tablet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './harness';
import { clearSpoken, pairKiosk, recordSpeech, spoken } from './kioskDriver';

let e: E2E;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
  e = await startE2E();
  ctx = await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5, hasTouch: true });
  await recordSpeech(ctx);
  page = await ctx.newPage();
  await pairKiosk(page, e, '走查自助机');
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

/** A card typed at the start screen (the reader types and presses Enter), the house set meal chosen, on to the bill. */
async function toConfirm(card: string): Promise<void> {
  await page.keyboard.type(card);
  await page.keyboard.press('Enter');
  await page.getByTestId('menu-screen').waitFor();
  await page.getByTestId('add-ct-shipai-huashi__set-a').tap();
  await page.waitForFunction(() => !!document.querySelector('[data-testid="cart-total"]')?.getAttribute('data-fen'));
  await page.getByTestId('to-confirm').tap();
  await page.waitForFunction(() => !!document.querySelector('[data-testid="confirm-pay-amount"]'));
}

describe('kiosk walk-through', () => {
  it('扫码 with a camera that cannot open: the voice says so and what to do, not "point the code at the camera"', async () => {
    // This browser has no camera: getUserMedia fails, as on a kiosk whose camera is unplugged or refused.
    await clearSpoken(page);
    await page.getByTestId('scan-button').tap();
    await page.getByTestId('scan-no-camera').waitFor();
    await page.waitForFunction(() => (window as unknown as { __spoken: { text: string }[] }).__spoken.some((s) => s.text.includes('摄像头打不开')));
    const said = (await spoken(page)).map((s) => s.text);
    expect(said.at(-1)).toBe('摄像头打不开，请刷卡或用手机号。');
    await shot(page, 'kiosk-walk-scan-no-camera');
    await page.getByTestId('scan-cancel').tap();
    await page.getByTestId('start-screen').waitFor();
  });

  it('其他支付 on an 800 × 1280 tablet: the reference field and its button come into sight when it opens', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    try {
      await toConfirm('4401100003'); // 李美华: a resident, so the bill has her balance lines too
      await page.getByTestId('pay-external').tap();
      await page.getByTestId('external-ref-input').waitFor();
      // It was opened 60 px below the bottom of the screen, its button 260 px below: the tap seemed to do nothing.
      await page.waitForFunction(
        () => document.querySelector('[data-testid="pay-external-submit"]')!.getBoundingClientRect().bottom <= window.innerHeight,
        null,
        { timeout: 5000 },
      );
      const input = (await page.getByTestId('external-ref-input').boundingBox())!;
      expect(input.y).toBeGreaterThanOrEqual(0);
      await shot(page, 'kiosk-walk-external-tablet');
      await page.getByTestId('confirm-back').tap();
      await page.getByTestId('menu-back').tap();
      await page.getByTestId('start-screen').waitFor();
    } finally {
      await page.setViewportSize({ width: 1080, height: 1920 });
    }
  });

  it('the ticket on an 800 × 1280 tablet: 再听一遍 and 完成 are in sight under the number', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    try {
      await toConfirm('4401100002'); // 黄伯坚: two subsidy layers and a balance on the ticket
      await page.getByTestId('pay-wallet').tap();
      await page.getByTestId('ticket-screen').waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      for (const id of ['ticket-number', 'ticket-replay', 'ticket-done']) {
        const box = (await page.getByTestId(id).boundingBox())!;
        expect(box.y + box.height, id).toBeLessThanOrEqual(1280); // 完成 ended at 1,383 px below the rating
      }
      await shot(page, 'kiosk-walk-ticket-tablet');
      await page.getByTestId('ticket-done').tap();
      await page.getByTestId('start-screen').waitFor();
    } finally {
      await page.setViewportSize({ width: 1080, height: 1920 });
    }
  });
});

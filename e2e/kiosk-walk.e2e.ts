/**
 * What an elder met in a walk-through of the kiosk, each kept as a check: what the voice says when the camera
 * cannot open on the 扫码 screen.
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
});

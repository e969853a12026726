/**
 * Driving the kiosk in the browser tests through the public HTTP API only (pairing codes, stock), so the tests
 * do not depend on how the server's modules are laid out.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/seed';
import type { E2E } from './harness';

export const CANTEEN = 'ct-shipai-huashi';
export const TODAY = '2026-11-23';
const ORIGIN = 'http://localhost:80';

async function operatorCookie(e: E2E, username = 'yikang'): Promise<string> {
  const login = await e.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
  const c = login.cookies.find((x) => x.name === 'yishi_session');
  if (!c) throw new Error(`operator login failed: ${login.body}`);
  return `yishi_session=${c.value}`;
}

/** A one-time pairing code for a new kiosk at a canteen (the demo canteen), made as its operator would in the console. */
export async function pairingCode(
  e: E2E,
  name: string,
  at: { canteenId: string; operator: string } = { canteenId: CANTEEN, operator: 'yikang' },
): Promise<string> {
  const res = await e.app.inject({
    method: 'POST',
    url: '/api/v1/devices/pairing',
    payload: { canteenId: at.canteenId, name },
    headers: { cookie: await operatorCookie(e, at.operator), origin: ORIGIN },
  });
  if (res.statusCode !== 201) throw new Error(`pairing code: ${res.statusCode} ${res.body}`);
  return res.json<{ code: string }>().code;
}

/** Open the kiosk, type the pairing code on its keypad, and wait for the start screen. */
export async function pairKiosk(page: Page, e: E2E, name: string, query = '', at?: { canteenId: string; operator: string }): Promise<void> {
  const code = await pairingCode(e, name, at);
  await page.goto(`${e.base}/kiosk/${query}`);
  await page.getByTestId('pairing-screen').waitFor();
  for (const d of code) await page.getByTestId(`keypad-digit-${d}`).click();
  await page.getByTestId('pair-submit').click();
  await page.getByTestId('start-screen').waitFor();
}

/** Mark a dish on today's lunch sold out (or back), as the operator does from the console's menu page. */
export async function setSoldOut(e: E2E, dishId: string, soldOut: boolean): Promise<void> {
  const res = await e.app.inject({
    method: 'POST',
    url: `/api/v1/canteens/${CANTEEN}/menus/${TODAY}/lunch/items/${dishId}/sold-out`,
    payload: { soldOut },
    headers: { cookie: await operatorCookie(e), origin: ORIGIN },
  });
  if (res.statusCode !== 200) throw new Error(`sold out: ${res.statusCode} ${res.body}`);
}

/** Record everything the page says aloud (the Web Speech API's utterances), for the tests to read. */
export async function recordSpeech(ctx: BrowserContext): Promise<void> {
  await ctx.addInitScript(() => {
    const w = window as unknown as { __spoken: { text: string; lang: string }[] };
    w.__spoken = [];
    const synth = window.speechSynthesis;
    const speak = synth.speak.bind(synth);
    synth.speak = (u: SpeechSynthesisUtterance) => {
      w.__spoken.push({ text: u.text, lang: u.lang });
      try {
        speak(u);
      } catch {
        /* no speech engine in CI */
      }
    };
  });
}

export async function spoken(page: Page): Promise<{ text: string; lang: string }[]> {
  return page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken ?? []);
}

export async function clearSpoken(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __spoken: unknown[] }).__spoken = [];
  });
}

/** Wait until the server has priced the basket (the cart bar shows a figure). */
export async function basketPriced(page: Page): Promise<void> {
  await page.waitForFunction(() => !!document.querySelector('[data-testid="cart-total"]')?.getAttribute('data-fen'));
}

export async function fen(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('data-fen'));
}

const kioskDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../kiosk/dist');

/** Raw, gzip and brotli bytes of built kiosk files, by their URL path (/kiosk/assets/…). */
export function compressedSizes(urlPaths: readonly string[]): { files: number; raw: number; gzip: number; brotli: number } {
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const p of urlPaths) {
    const body = fs.readFileSync(path.join(kioskDist, p.replace(/^\/kiosk\//, '')));
    raw += body.length;
    gzip += zlib.gzipSync(body, { level: 9 }).length;
    brotli += zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { files: urlPaths.length, raw, gzip, brotli };
}

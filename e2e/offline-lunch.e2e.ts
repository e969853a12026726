/**
 * A whole lunch with the network down (issue 11). A paired kiosk fills its offline cache while online; offline it
 * identifies a resident by card from keyed hashes, prices with the shared engine (the subsidy shown), keeps the
 * order through a reload, and sends it when the network is back; replaying the same outbox twice stores nothing
 * new. The same resident offline at two canteens in one lunch gets one subsidy; the other order is flagged for
 * review with both figures. The kiosk's storage holds no card number, phone, PIN or full name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan } from '../shared/src/money';
import { DEMO_PASSWORD } from '../server/src/seed';
import type { BrowserContext, Page } from 'playwright-core';
import { shot, startE2E, type E2E, consoleLogin } from './harness';
import { basketPriced, CANTEEN, fen, pairKiosk } from './kioskDriver';

const LONGKOU = 'ct-shipai-longkou';
const CHEN = '4401100001'; // 陈秀英, 78, 天河户籍
const HUANG = '4401100002'; // 黄伯坚, 86, 天河户籍, 低保
const QUERY = '?outboxMs=1000&ticketMs=60000&heartbeatMs=2000';
const CHEN_PHONE = '13800138001'; // 陈秀英's phone + PIN (seed DEMO_PIN)
const CHEN_PIN = '246810';
const NOBODY_PHONE = '13912345678'; // a phone nobody has
const WRONG_PIN = '975310';

let e: E2E;
let ctxA: BrowserContext;
let pageA: Page;
let ctxB: BrowserContext;
let pageB: Page;

function db<T>(sql: string, ...args: unknown[]): T[] {
  return e.ctx.db.writer.prepare(sql).all(...args) as T[];
}

async function until(check: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A dish of at least ¥10 on the canteen's lunch today (a meal the city subsidises). */
function mealDish(canteenId: string): string {
  return db<{ id: string }>(
    `SELECT d.id FROM menu_items i JOIN menus m ON m.id = i.menu_id JOIN dishes d ON d.id = i.dish_id
     WHERE m.canteen_id = ? AND m.service_date = '2026-11-23' AND m.meal_period = 'lunch' AND d.price_fen >= 1000
       AND (i.portions IS NULL OR i.portions - i.sold > 5) ORDER BY d.price_fen, d.id LIMIT 1`,
    canteenId,
  )[0]!.id;
}

/** The kiosk's heartbeat says its offline cache is filled (the console's 设备 page shows the same). */
async function cacheFilled(name: string) {
  await until(
    () => db<{ at: string | null }>('SELECT cache_fetched_at AS at FROM devices WHERE name = ?', name)[0]?.at != null,
    30_000,
    `${name}'s offline cache`,
  );
}

async function openKiosk(name: string, at?: { canteenId: string; operator: string }): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5 });
  const page = await ctx.newPage();
  await pairKiosk(page, e, name, QUERY, at);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  await cacheFilled(name);
  return { ctx, page };
}

/** Tap a card, order one dish, see the subsidy, pay at the counter: the order is saved for later. */
async function orderOffline(page: Page, card: string, dishId: string, shotName?: string): Promise<{ pays: number; subsidy: number }> {
  await page.getByTestId('start-screen').waitFor();
  await page.keyboard.type(card);
  await page.keyboard.press('Enter');
  await page.getByTestId('menu-screen').waitFor();
  await page.getByTestId(`add-${dishId}`).click();
  await basketPriced(page);
  await page.getByTestId('to-confirm').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="confirm-bill"]')?.getAttribute('data-source') === 'offline');
  const shown = { pays: await fen(page, 'confirm-pay-amount'), subsidy: await fen(page, 'confirm-subsidy') };
  expect(await page.getByTestId('pay-external').count()).toBe(0);
  if (shotName) await shot(page, shotName);
  await page.getByTestId('pay-counter').click();
  await page.getByTestId('order-saved-offline').waitFor({ timeout: 15_000 });
  await page.getByTestId('saved-done').click();
  await page.getByTestId('start-screen').waitFor();
  return shown;
}

/** Phone + PIN on the kiosk's keypad, from the start screen. */
async function phonePin(page: Page, phone: string, pin: string) {
  await page.getByTestId('start-screen').waitFor();
  await page.getByTestId('phone-pin-button').click();
  await page.getByTestId('phone-screen').waitFor();
  for (const d of phone) await page.getByTestId(`keypad-digit-${d}`).click();
  await page.getByTestId('keypad-ok').click();
  await page.getByTestId('pin-input').waitFor();
  for (const d of pin) await page.getByTestId(`keypad-digit-${d}`).click();
  await page.getByTestId('keypad-ok').click();
}

/** Every row of every IndexedDB store and localStorage, as one string. */
async function storageDump(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const out: unknown[] = [{ localStorage: { ...localStorage } }];
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const idb = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const store of Array.from(idb.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const r = idb.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        out.push({ store, rows });
      }
      idb.close();
    }
    return JSON.stringify(out);
  });
}

beforeAll(async () => {
  e = await startE2E();
  ({ ctx: ctxA, page: pageA } = await openKiosk('华师离线机'));
  ({ ctx: ctxB, page: pageB } = await openKiosk('龙口离线机', { canteenId: LONGKOU, operator: 'jiajia' }));
}, 300_000); // a server and two paired kiosks with their caches: more than one hook's usual time on a loaded machine
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

describe('a lunch with the network down', () => {
  it('identifies by card, prices with the subsidy, survives a reload, and each order is stored once however often it is sent', async () => {
    const dish = mealDish(CANTEEN);
    await ctxA.setOffline(true);
    const shown = await orderOffline(pageA, CHEN, dish, 'kiosk-32-offline-confirm');
    expect(shown.subsidy).toBeGreaterThan(0);
    await shot(pageA, 'kiosk-30-offline-resident-saved');

    // Reload with no network: the order is still waiting.
    await pageA.reload();
    await pageA.getByTestId('start-screen').waitFor({ timeout: 20_000 });
    await pageA.waitForFunction(() => document.querySelector('[data-testid="pending-orders"]')?.getAttribute('data-count') === '1', null, { timeout: 10_000 });
    expect(db('SELECT id FROM orders WHERE offline = 1')).toEqual([]);
    // The outbox as it is now (an answered order keeps no body): sent again below, twice.
    const outbox = await pageA.evaluate(async () => {
      const idb = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('yishi-kiosk');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const rows = await new Promise<{ body: unknown }[]>((resolve, reject) => {
        const r = idb.transaction('outbox').objectStore('outbox').getAll();
        r.onsuccess = () => resolve(r.result as { body: unknown }[]);
        r.onerror = () => reject(r.error);
      });
      idb.close();
      return rows.map((r) => r.body).filter((b) => b !== null);
    });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ residentId: 'rs-0001', offline: { quotedElderSubsidyFen: shown.subsidy, quotedElderPaysFen: shown.pays } });

    await ctxA.setOffline(false);
    const stored = () =>
      db<{ id: string; elder_pays_fen: number; elder_subsidy_fen: number; payment_method: string; state: string }>(
        "SELECT id, elder_pays_fen, elder_subsidy_fen, payment_method, state FROM orders WHERE offline = 1 AND resident_id = 'rs-0001'",
      );
    await until(() => stored().length === 1, 30_000, 'the offline order to arrive');
    await pageA.getByTestId('pending-orders').waitFor({ state: 'detached', timeout: 15_000 });
    const [order] = stored();
    expect(order).toMatchObject({ elder_pays_fen: shown.pays, elder_subsidy_fen: shown.subsidy, payment_method: 'cash', state: 'awaiting_payment' });
    expect(db('SELECT flagged, reasons FROM order_reviews WHERE order_id = ?', order!.id)).toEqual([{ flagged: 0, reasons: '[]' }]);

    // The same outbox replayed twice, as a kiosk that lost every answer would: nothing new is stored.
    const statuses = await pageA.evaluate(async (bodies) => {
      const out: { status: number; body: string }[] = [];
      for (let round = 0; round < 2; round++) {
        for (const body of bodies) {
          const res = await fetch('/api/v1/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          out.push({ status: res.status, body: (await res.text()).slice(0, 300) });
        }
      }
      return out;
    }, outbox);
    expect(statuses).toHaveLength(2);
    expect(
      statuses.filter((s) => s.status !== 200),
      JSON.stringify(statuses),
    ).toEqual([]);
    expect(stored()).toHaveLength(1);
    expect(db("SELECT count(*) AS n FROM order_reviews WHERE resident_id = 'rs-0001'")).toEqual([{ n: 1 }]);
    const meal = db<{ fen: number }>("SELECT coalesce(sum(amount_fen), 0) AS fen FROM order_subsidies WHERE order_id = ? AND kind = 'meal'", order!.id);
    expect(meal).toEqual([{ fen: shown.subsidy }]);
  });

  it('a person identified online when the network drops goes on from the cache, and the order arrives once', async () => {
    const dish = mealDish(CANTEEN);
    const before = db<{ n: number }>("SELECT count(*) AS n FROM orders WHERE offline = 1 AND resident_id = 'rs-0001'")[0]!.n;
    await pageA.getByTestId('start-screen').waitFor();
    await pageA.keyboard.type(CHEN);
    await pageA.keyboard.press('Enter');
    await pageA.getByTestId('menu-screen').waitFor();
    // Identified by the server: the full name (the cache only knows 陈*英).
    expect(await pageA.getByTestId('resident-name').textContent()).toBe('陈秀英');
    await ctxA.setOffline(true);
    await pageA.getByTestId(`add-${dish}`).click();
    // Before, the basket said 网络暂时断开，现在算不了您的补贴 and there was no way to pay.
    await basketPriced(pageA);
    await pageA.getByTestId('to-confirm').click();
    await pageA.waitForFunction(() => document.querySelector('[data-testid="confirm-bill"]')?.getAttribute('data-source') === 'offline');
    const pays = await fen(pageA, 'confirm-pay-amount');
    await shot(pageA, 'kiosk-33-online-then-offline-confirm');
    await pageA.getByTestId('pay-counter').click();
    await pageA.getByTestId('order-saved-offline').waitFor({ timeout: 15_000 });
    const ref = /尾号 ([0-9A-Z]{6})/.exec((await pageA.getByTestId('order-saved-offline').textContent()) ?? '')?.[1];
    // Paid at the counter: the bill no longer shows a wallet balance "after paying" (nothing leaves the wallet).
    expect(await pageA.getByTestId('confirm-balance-after').count()).toBe(0);
    expect(await pageA.getByTestId('confirm-balance').count()).toBe(1);
    await pageA.getByTestId('saved-done').click();

    await ctxA.setOffline(false);
    const stored = () =>
      db<{ elder_pays_fen: number; identify_method: string; payment_method: string }>(
        "SELECT elder_pays_fen, identify_method, payment_method FROM orders WHERE offline = 1 AND resident_id = 'rs-0001' ORDER BY created_at",
      );
    await until(() => stored().length === before + 1, 30_000, 'the order to arrive');
    await pageA.getByTestId('pending-orders').waitFor({ state: 'detached', timeout: 15_000 });
    expect(stored().at(-1)).toEqual({ elder_pays_fen: pays, identify_method: 'card', payment_method: 'cash' });

    // At the counter she quotes the 尾号: the operator's 今日订单 finds the order by it, marked 离线.
    const consoleCtx = await e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const staff = await consoleCtx.newPage();
    await consoleLogin(staff, e, 'yikang');
    await staff.goto(`${e.base}/canteens/${CANTEEN}/orders`);
    await staff.getByTestId('orders-table').waitFor();
    await staff.getByTestId('orders-ref').locator('input').fill(ref!.toLowerCase());
    await staff.getByTestId('orders-ref').locator('input').press('Enter');
    await staff.waitForFunction(() => document.querySelector('[data-testid="orders-total"]')?.textContent?.includes('共 1 条'));
    const id = db<{ id: string }>("SELECT id FROM orders WHERE offline = 1 AND resident_id = 'rs-0001' ORDER BY created_at DESC LIMIT 1")[0]!.id;
    expect(await staff.getByTestId(`order-offline-${id}`).textContent()).toBe(`离线尾号 ${ref}`);
    await shot(staff, 'console-orders-by-ref');
    await consoleCtx.close();
  });

  it('the same resident offline at two canteens in one lunch: one subsidy paid, the other flagged for review with both figures', async () => {
    await ctxA.setOffline(true);
    await ctxB.setOffline(true);
    const atHuashi = await orderOffline(pageA, HUANG, mealDish(CANTEEN));
    const atLongkou = await orderOffline(pageB, HUANG, mealDish(LONGKOU));
    // Each kiosk alone could not know of the other meal: both showed the subsidy.
    expect(atHuashi.subsidy).toBeGreaterThan(0);
    expect(atLongkou.subsidy).toBeGreaterThan(0);
    await shot(pageB, 'kiosk-31-offline-second-canteen');

    const rows = () =>
      db<{
        id: string;
        canteen_id: string;
        elder_subsidy_fen: number;
        elder_pays_fen: number;
        flagged: number;
        reason: string | null;
        kiosk: number;
        server: number;
      }>(
        `SELECT o.id, o.canteen_id, o.elder_subsidy_fen, o.elder_pays_fen, r.flagged, r.reason,
                r.kiosk_elder_subsidy_fen AS kiosk, r.server_elder_subsidy_fen AS server
         FROM orders o JOIN order_reviews r ON r.order_id = o.id
         WHERE o.resident_id = (SELECT resident_id FROM orders WHERE canteen_id = ? AND offline = 1 AND resident_id <> 'rs-0001' LIMIT 1)
           AND o.offline = 1`,
        CANTEEN,
      );
    // Huashi's kiosk is back first, then Longkou's.
    await ctxA.setOffline(false);
    await until(() => rows().length === 1, 30_000, 'the order at Huashi');
    await ctxB.setOffline(false);
    await until(() => rows().length === 2, 30_000, 'the order at Longkou');

    const huashi = rows().find((r) => r.canteen_id === CANTEEN)!;
    const longkou = rows().find((r) => r.canteen_id === LONGKOU)!;
    expect(huashi).toMatchObject({ elder_subsidy_fen: atHuashi.subsidy, elder_pays_fen: atHuashi.pays, flagged: 0 });
    expect(longkou).toMatchObject({
      elder_subsidy_fen: 0,
      elder_pays_fen: atLongkou.pays + atLongkou.subsidy,
      flagged: 1,
      reason: 'subsidy_used_elsewhere',
      kiosk: atLongkou.subsidy,
      server: 0,
    });

    // 龙口's operator opens 离线订单复核 in the console and sees that order with both figures and why.
    const consoleCtx = await e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const staff = await consoleCtx.newPage();
    await consoleLogin(staff, e, 'jiajia');
    await staff.getByRole('menuitem', { name: '离线订单复核' }).click();
    await staff.getByTestId('late-reviews-page').waitFor();
    const row = staff.getByTestId(`late-review-row-${longkou.id}`);
    await row.waitFor();
    expect(await row.getAttribute('data-reason')).toBe('subsidy_used_elsewhere');
    // The 尾号 the kiosk gave him, beside the pickup number: what he quotes at the counter.
    expect(await staff.getByTestId(`late-review-ref-${longkou.id}`).textContent()).toBe(`尾号 ${longkou.id.slice(-6).toUpperCase()}`);
    const kiosk = staff.getByTestId(`late-review-kiosk-${longkou.id}`);
    const server = staff.getByTestId(`late-review-server-${longkou.id}`);
    expect([await kiosk.getAttribute('data-subsidy'), await kiosk.getAttribute('data-pays')]).toEqual([String(atLongkou.subsidy), String(atLongkou.pays)]);
    expect([await server.getAttribute('data-subsidy'), await server.getAttribute('data-pays')]).toEqual(['0', String(atLongkou.pays + atLongkou.subsidy)]);
    expect(await kiosk.textContent()).toContain(formatYuan(atLongkou.subsidy));
    expect(await staff.getByTestId(`late-review-reason-${longkou.id}-subsidy_used_elsewhere`).textContent()).toBe('该餐次已在别处享受补贴');
    // Huashi's order of that lunch was not flagged, so it is not there.
    expect(await staff.getByTestId(`late-review-row-${huashi.id}`).count()).toBe(0);
    await shot(staff, 'console-late-orders');
    // Accepted as served: it leaves the open list.
    await staff.getByTestId(`late-review-accept-${longkou.id}`).click();
    await staff.getByTestId('late-review-text').fill('长者当天已在华师用过补贴餐，本单按原价收费');
    await staff.getByTestId('late-review-ok').click();
    await row.waitFor({ state: 'detached' });
    expect(db('SELECT resolution, resolved_by_name AS by FROM order_reviews WHERE order_id = ?', longkou.id)).toEqual([
      { resolution: 'accepted', by: expect.any(String) },
    ]);
    await consoleCtx.close();
  });

  it('identifies by phone + PIN offline from its keyed hash; a wrong PIN is told so', async () => {
    await ctxA.setOffline(true);
    // A phone nobody has: the same answer as a wrong PIN (and a try counted offline).
    await phonePin(pageA, NOBODY_PHONE, WRONG_PIN);
    await pageA.waitForFunction(() => document.querySelector('[data-testid="notice-error"]')?.getAttribute('data-code') === 'error.pin_wrong');
    await pageA.getByTestId('keypad-back').click();
    await pageA.getByTestId('keypad-back').click();
    await phonePin(pageA, CHEN_PHONE, CHEN_PIN);
    await pageA.getByTestId('menu-screen').waitFor();
    expect(await pageA.getByTestId('resident-name').textContent()).toBe('陈*英');
    await shot(pageA, 'kiosk-33-offline-phone-pin');
    await pageA.getByTestId(`add-${mealDish(CANTEEN)}`).click();
    await basketPriced(pageA);
    await pageA.getByTestId('to-confirm').click();
    await pageA.waitForFunction(() => document.querySelector('[data-testid="confirm-bill"]')?.getAttribute('data-source') === 'offline');
    // Her subsidised lunch was the first test's (this kiosk remembers it): this one is at the full price.
    expect(await fen(pageA, 'confirm-subsidy')).toBe(0);
    const pays = await fen(pageA, 'confirm-pay-amount');
    await pageA.getByTestId('pay-counter').click();
    await pageA.getByTestId('order-saved-offline').waitFor({ timeout: 15_000 });
    await pageA.getByTestId('saved-done').click();

    await ctxA.setOffline(false);
    const byPin = () =>
      db<{ elder_pays_fen: number; elder_subsidy_fen: number; identify_method: string; flagged: number }>(
        `SELECT o.elder_pays_fen, o.elder_subsidy_fen, o.identify_method, r.flagged FROM orders o JOIN order_reviews r ON r.order_id = o.id
         WHERE o.offline = 1 AND o.resident_id = 'rs-0001' AND o.identify_method = 'phone_pin'`,
      );
    await until(() => byPin().length === 1, 30_000, 'the phone + PIN order to arrive');
    expect(byPin()).toEqual([{ elder_pays_fen: pays, elder_subsidy_fen: 0, identify_method: 'phone_pin', flagged: 0 }]);
  });

  it('keeps no card number, phone, PIN or full name in its storage, though it holds the offline cache', async () => {
    const dump = await storageDump(pageA);
    expect(dump).toMatch(/"store":"credentials","rows":\[\{/);
    expect(dump).toContain('"kind":"phone_pin"'); // phone + PIN is there, as keyed hashes only
    expect(dump).toContain('pinTries:'); // and the wrong try above is counted, under a keyed hash of the phone
    expect(dump).toContain('陈*英');
    for (const secret of [CHEN, HUANG, '4401100003', '4401100004', CHEN_PHONE, CHEN_PIN, NOBODY_PHONE, WRONG_PIN, '陈秀英', '黄伯坚', '李美华', '张国强']) {
      expect(dump, secret).not.toContain(secret);
    }
  });
  it('an order refused when it arrives is listed for the canteen’s staff under 被拒收, with the 尾号 the kiosk gave', async () => {
    await ctxA.setOffline(true);
    await phonePin(pageA, CHEN_PHONE, CHEN_PIN);
    await pageA.getByTestId('menu-screen').waitFor();
    await pageA.getByTestId(`add-${mealDish(CANTEEN)}`).click();
    await basketPriced(pageA);
    await pageA.getByTestId('to-confirm').click();
    await pageA.waitForFunction(() => document.querySelector('[data-testid="confirm-bill"]')?.getAttribute('data-source') === 'offline');
    const pays = await fen(pageA, 'confirm-pay-amount');
    await pageA.getByTestId('pay-counter').click();
    await pageA.getByTestId('order-saved-offline').waitFor({ timeout: 15_000 });
    const ref = /尾号 ([0-9A-Z]{6})/.exec((await pageA.getByTestId('order-saved-offline').textContent()) ?? '')?.[1];
    expect(ref).toMatch(/^[0-9A-Z]{6}$/);
    // The 尾号 stands on its own line, large: it is what she says at the counter.
    expect(await pageA.getByTestId('saved-ref').textContent()).toBe(`订单尾号 ${ref}`);
    await shot(pageA, 'kiosk-34-saved-offline-ref');
    await pageA.getByTestId('saved-done').click();

    // Before the network is back, staff give her a new PIN: the hash the kiosk kept no longer proves who ordered.
    const login = await e.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'yikang', password: DEMO_PASSWORD } });
    const cookie = `yishi_session=${login.cookies.find((x) => x.name === 'yishi_session')!.value}`;
    const pin = await e.app.inject({
      method: 'POST',
      url: '/api/v1/residents/rs-0001/pin',
      payload: { pin: '135792' },
      headers: { cookie, origin: 'http://localhost:80' },
    });
    expect(pin.statusCode, pin.body).toBe(200);
    // Huashi's operator is at the counter, on today's orders, before the kiosk's network comes back.
    const consoleCtx = await e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const staff = await consoleCtx.newPage();
    await consoleLogin(staff, e, 'yikang');
    await staff.goto(`${e.base}/canteens/${CANTEEN}/orders`);
    await staff.getByTestId('nav-lateReviews').waitFor();
    await staff.waitForLoadState('networkidle');
    expect(await staff.getByTestId('nav-lateReviews').getAttribute('data-waiting')).toBeNull();
    await ctxA.setOffline(false);
    const refused = () => db<{ order_id: string; code: string }>('SELECT order_id, code FROM refused_orders');
    await until(() => refused().length === 1, 30_000, 'the refusal to be kept');
    await pageA.getByTestId('pending-orders').waitFor({ state: 'detached', timeout: 15_000 });
    const [row] = refused();
    expect(row).toEqual({ order_id: expect.stringMatching(new RegExp(`${ref!.toLowerCase()}$`)), code: 'offline_identity_invalid' });
    expect(db('SELECT id FROM orders WHERE id = ?', row!.order_id)).toEqual([]);

    // 离线订单复核 › 被拒收 (the tab says one waits), the 尾号 the elder quotes, what she was asked to pay. The side menu
    // says one waits on the page she is on, as the refusal is kept (the live socket; the count is otherwise asked
    // once a minute, and this waits far less).
    await staff.waitForFunction(() => document.querySelector('[data-testid="nav-lateReviews"]')?.getAttribute('data-waiting') === '1', undefined, {
      timeout: 10_000,
    });
    await staff.getByTestId('nav-lateReviews').click();
    await staff.getByTestId('late-reviews-page').waitFor();
    const tab = staff.getByTestId('late-reviews-tab-refused');
    await staff.waitForFunction(() => document.querySelector('[data-testid="late-reviews-tab-refused"]')?.getAttribute('data-open') === '1');
    await tab.click();
    await staff.getByTestId(`refused-row-${row!.order_id}`).waitFor();
    expect(await staff.getByTestId(`refused-ref-${row!.order_id}`).textContent()).toBe(ref);
    expect(await staff.getByTestId(`refused-shown-${row!.order_id}`).getAttribute('data-pays')).toBe(String(pays));
    expect(await staff.getByTestId(`refused-why-${row!.order_id}`).textContent()).toContain('无法核对');
    await shot(staff, 'console-refused-orders');
    await staff.getByTestId(`refused-handle-${row!.order_id}`).click();
    await staff.getByTestId('refused-note').fill(`已在柜台收现金 ${formatYuan(pays)}`);
    await staff.getByTestId('refused-ok').dblclick();
    await staff.getByTestId(`refused-row-${row!.order_id}`).waitFor({ state: 'detached' });
    await staff.waitForFunction(() => !document.querySelector('[data-testid="nav-lateReviews"]')?.hasAttribute('data-waiting'));
    expect(db('SELECT handled_note AS note FROM refused_orders WHERE order_id = ?', row!.order_id)).toEqual([{ note: `已在柜台收现金 ${formatYuan(pays)}` }]);
    // Double-clicked: handled once, no error shown.
    expect(await staff.locator('.ant-message-error').count()).toBe(0);
    await consoleCtx.close();
  });
});

/**
 * What the server keeps in memory between requests (db/client `cachedRead`: canteens, opening hours, the
 * calendar, policies in force, dishes, menus; the audit chain's head) is dropped by the writes that change it:
 * each case reads through the kiosk first (so the value is kept), changes it through the console, and reads again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { addDays, guangzhou2024 } from '@yishi/shared';
import { as, login, makeApp, pairKiosk, withQuote, type TestApp } from './helpers';
import * as audit from '../src/modules/audit/audit.service';

const CANTEEN = 'ct-shipai-huashi';
const SET_DIABETIC = `${CANTEEN}__set-diabetic`; // ¥12; ¥3 city subsidy for a Guangzhou 户籍 elder
const TODAY = '2026-11-23';
const CARD = '4401100001';

let t: TestApp;
let kiosk: ReturnType<typeof as>;
let operator: ReturnType<typeof as>;

beforeEach(async () => {
  t = await makeApp();
  kiosk = as(t.app, await pairKiosk(t.app));
  operator = as(t.app, await login(t.app, 'yikang'));
});
afterEach(async () => t.close());

async function tap() {
  const res = await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: CARD });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { ticket: string; resident: { subsidy: { available: boolean } } };
}
type KioskStateView = { menu: { items: { dish: { id: string } }[] } | null; priceNotices: { dishId: string; newPriceFen: number; effectiveOn: string }[] };
const kioskState = async () => (await kiosk.get('/api/v1/kiosk/state')).json() as KioskStateView;
const quote = (ticket: string, dishId = SET_DIABETIC) => kiosk.post('/api/v1/quotes', { residentTicket: ticket, lines: [{ dishId, quantity: 1 }] });

describe('kept reads are dropped by the writes that change them', () => {
  it('an approved price change is announced on the kiosk at once and charged from the day it takes effect', async () => {
    expect((await kioskState()).priceNotices.some((n) => n.dishId === SET_DIABETIC)).toBe(false);
    const before = await tap();
    expect((await quote(before.ticket)).json().mealPriceFen).toBe(1200);
    const tomorrow = addDays(TODAY, 1);
    const proposed = await operator.post(`/api/v1/dishes/${SET_DIABETIC}/price-changes`, { newPriceFen: 1500, reason: '食材涨价', effectiveOn: tomorrow });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const street = as(t.app, await login(t.app, 'shipai'));
    const ok = await street.post(`/api/v1/price-changes/${proposed.json().id}/approve`, { note: '同意', approvalRef: '石牌街〔2026〕12号' });
    expect(ok.statusCode, ok.body).toBe(200);
    // The kiosk's kept menu is dropped by the approval: the notice shows on the next read; today's price stands.
    expect((await kioskState()).priceNotices).toContainEqual(expect.objectContaining({ dishId: SET_DIABETIC, newPriceFen: 1500, effectiveOn: tomorrow }));
    const after = await tap();
    expect((await quote(after.ticket)).json()).toMatchObject({ mealPriceFen: 1200, elderPaysFen: 900 });
  });

  it('a suspended canteen refuses the next quote at once, and takes orders again when reopened', async () => {
    const { ticket } = await tap();
    expect((await quote(ticket)).statusCode).toBe(200);
    const district = as(t.app, await login(t.app, 'tianhe'));
    const suspend = await district.post(`/api/v1/canteens/${CANTEEN}/status`, { status: 'suspended', reason: '食品安全检查', from: TODAY });
    expect(suspend.statusCode, suspend.body).toBe(200);
    const refused = await quote(ticket);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('canteen_closed');
    expect((await kiosk.get('/api/v1/kiosk/state')).json().mealPeriod).toBeNull();
    const reopen = await district.post(`/api/v1/canteens/${CANTEEN}/status`, { status: 'open', reason: '检查合格', from: TODAY });
    expect(reopen.statusCode, reopen.body).toBe(200);
    expect((await quote(ticket)).statusCode).toBe(200);
  });

  it('a policy published today prices the next tap and quote', async () => {
    const { ticket } = await tap();
    expect((await quote(ticket)).json().elderSubsidyFen).toBe(300);
    const city = as(t.app, await login(t.app, 'city'));
    const doc = structuredClone(guangzhou2024) as typeof guangzhou2024;
    doc.effectiveFrom = TODAY;
    doc.layers[0] = { ...doc.layers[0]!, pays: { type: 'fraction', numerator: 1, denominator: 3, capFen: 400 } };
    const draft = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1', document: doc })).json();
    expect((await city.post(`/api/v1/policies/${draft.id}/publish`)).statusCode).toBe(200);
    const pricing = (await kiosk.get('/api/v1/kiosk/pricing')).json() as { policies: { versionId: string }[] };
    expect(pricing.policies.map((p) => p.versionId)).toContain(draft.id);
    const after = await tap();
    const q = (await quote(after.ticket)).json();
    expect(q.elderSubsidyFen).toBe(400);
    expect(q.policyVersionIds).toContain(draft.id);
  });

  it('a menu saved without a dish, or a dish marked sold out, is refused by the next quote', async () => {
    const { ticket } = await tap();
    const menuUrl = `/api/v1/canteens/${CANTEEN}/menus/${TODAY}/lunch`;
    const menu = (await operator.get(menuUrl)).json() as { items: { dish: { id: string }; portions: number | null }[] };
    const other = menu.items.find((i) => i.dish.id !== SET_DIABETIC)!.dish.id;
    expect((await quote(ticket, other)).statusCode).toBe(200);
    const soldOut = await operator.post(`${menuUrl}/items/${encodeURIComponent(other)}/sold-out`, { soldOut: true });
    expect(soldOut.statusCode, soldOut.body).toBe(200);
    expect((await quote(ticket, other)).json().error.code).toBe('sold_out');
    const saved = await operator.put(menuUrl, {
      note: null,
      items: menu.items.filter((i) => i.dish.id !== other).map((i) => ({ dishId: i.dish.id, portions: i.portions })),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await quote(ticket, other)).json().error.code).toBe('dish_unavailable');
    expect((await kioskState()).menu!.items.some((i) => i.dish.id === other)).toBe(false);
  });

  it('stock is never kept: the last portion is sold once, and the next order is told it is sold out', async () => {
    const menuUrl = `/api/v1/canteens/${CANTEEN}/menus/${TODAY}/lunch`;
    const menu = (await operator.get(menuUrl)).json() as { items: { dish: { id: string }; sold: number }[] };
    const sold = menu.items.find((i) => i.dish.id === SET_DIABETIC)!.sold;
    const r = await operator.post(`${menuUrl}/items/${encodeURIComponent(SET_DIABETIC)}/portions`, { portions: sold + 1 });
    expect(r.statusCode, r.body).toBe(200);
    // Two guests are quoted while one portion is left; the first order takes it, the second is told it is sold out.
    const body = () => ({ id: uuidv7(), lines: [{ dishId: SET_DIABETIC, quantity: 1 }], paymentMethod: 'cash', identifyMethod: 'guest' });
    const [a, b] = [await withQuote(kiosk, body()), await withQuote(kiosk, body())];
    expect(a.quoteId && b.quoteId).toBeTruthy();
    expect((await kiosk.post('/api/v1/orders', a)).statusCode).toBe(201);
    const second = await kiosk.post('/api/v1/orders', b);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('sold_out');
  });

  it('the audit chain continues from the committed head after an action that wrote an audit row was rolled back', async () => {
    const now = t.clock.now();
    const failed = t.ctx.db.write((tx) => {
      audit.record(tx, null, now, { action: 'test.rolled_back', entityType: 'test' });
      throw new Error('changed my mind');
    });
    await expect(failed).rejects.toThrow('changed my mind');
    await t.ctx.db.write((tx) => audit.record(tx, null, now, { action: 'test.kept', entityType: 'test' }));
    await tap(); // a card tap writes an audit row too
    expect(audit.verify(t.ctx.db.read)).toMatchObject({ ok: true });
  });
});

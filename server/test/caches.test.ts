/**
 * What the server keeps in memory between requests (db/client `cachedRead`: canteens, opening hours, the
 * calendar, policies in force, dishes, menus; the audit chain's head) is dropped by the writes that change it:
 * each case reads through the kiosk first (so the value is kept), changes it through the console, and reads again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { guangzhou2024 } from '@yishi/shared';
import { as, login, makeApp, pairKiosk, type TestApp } from './helpers';
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
  return res.json() as { ticket: string; resident: { personalPrices: { dishId: string; elderPaysFen: number }[]; subsidy: { available: boolean } } };
}
const priceOf = (r: Awaited<ReturnType<typeof tap>>, dishId: string) => r.resident.personalPrices.find((p) => p.dishId === dishId)?.elderPaysFen;
const quote = (ticket: string, dishId = SET_DIABETIC) => kiosk.post('/api/v1/quotes', { residentTicket: ticket, lines: [{ dishId, quantity: 1 }] });

describe('kept reads are dropped by the writes that change them', () => {
  it('a dish price change reaches the next card tap and quote', async () => {
    const before = await tap();
    expect(priceOf(before, SET_DIABETIC)).toBe(900);
    expect((await quote(before.ticket)).json().mealPriceFen).toBe(1200);
    const res = await operator.patch(`/api/v1/dishes/${SET_DIABETIC}`, {
      priceFen: 1500,
      priceChangeReason: '食材涨价，经街道审批',
      priceApprovalRef: '石牌街〔2026〕12号',
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await tap();
    expect(priceOf(after, SET_DIABETIC)).toBe(1200);
    expect((await quote(after.ticket)).json()).toMatchObject({ mealPriceFen: 1500, elderPaysFen: 1200 });
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
    const after = await tap();
    expect(priceOf(after, SET_DIABETIC)).toBe(800);
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
    expect((await tap()).resident.personalPrices.some((p) => p.dishId === other)).toBe(false);
  });

  it('stock is never kept: the last portion is sold once, and the next order is told it is sold out', async () => {
    const menuUrl = `/api/v1/canteens/${CANTEEN}/menus/${TODAY}/lunch`;
    const menu = (await operator.get(menuUrl)).json() as { items: { dish: { id: string }; sold: number }[] };
    const sold = menu.items.find((i) => i.dish.id === SET_DIABETIC)!.sold;
    const r = await operator.post(`${menuUrl}/items/${encodeURIComponent(SET_DIABETIC)}/portions`, { portions: sold + 1 });
    expect(r.statusCode, r.body).toBe(200);
    const place = async () =>
      kiosk.post('/api/v1/orders', {
        id: uuidv7(),
        lines: [{ dishId: SET_DIABETIC, quantity: 1 }],
        paymentMethod: 'cash',
        identifyMethod: 'guest',
      });
    expect((await place()).statusCode).toBe(201);
    const second = await place();
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

/**
 * Price changes go through approval: the operator proposes (with a reason and a date), street or district staff
 * approve or reject, the approved price applies from its date (not before; orders keep what they were priced at),
 * the kiosk announces it from approval until some days after, and the history keeps who did what.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { addDays, PRICE_NOTICE_DAYS_AFTER } from '@yishi/shared';
import { as, login, makeApp, pairKiosk, type TestApp } from '../../../test/helpers';

const CANTEEN = 'ct-shipai-huashi';
const DISH = `${CANTEEN}__set-diabetic`; // ¥12 at 华师
const TODAY = '2026-11-23';

let t: TestApp;
let op: ReturnType<typeof as>;
beforeEach(async () => {
  t = await makeApp();
  op = as(t.app, await login(t.app, 'yikang'));
});
afterEach(async () => t.close());

const priceOf = async (api: ReturnType<typeof as>, dishId = DISH) =>
  (
    (await api.get(`/api/v1/canteens/${CANTEEN}/dishes`)).json() as {
      id: string;
      priceFen: number;
      priceApproved: boolean;
      upcomingPrice: unknown;
      pendingPrice: unknown;
    }[]
  ).find((d) => d.id === dishId)!;

async function quotePrice(api: ReturnType<typeof as>, dishId = DISH): Promise<number> {
  const res = await api.post('/api/v1/quotes', { canteenId: CANTEEN, lines: [{ dishId, quantity: 1 }] });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().mealPriceFen as number;
}

/** Put the dish on a day's lunch menu (a menu of that day may not carry it). */
async function onMenu(date: string, dishId = DISH) {
  const res = await op.put(`/api/v1/canteens/${CANTEEN}/menus/${date}/lunch`, { items: [{ dishId, portions: null }] });
  expect(res.statusCode, res.body).toBe(200);
}

describe('price changes need approval and a notice', () => {
  it('a direct price edit is refused; a proposal is approved by the street and applies from its date, announced on the kiosk', async () => {
    // Editing the price directly is refused with a clear code; other edits still work.
    const direct = await op.patch(`/api/v1/dishes/${DISH}`, { priceFen: 1300 });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().error).toMatchObject({ code: 'price_approval_required', details: { field: 'priceFen', priceFen: 1200 } });
    expect((await op.patch(`/api/v1/dishes/${DISH}`, { priceFen: 1200, description: '少盐少油' })).statusCode).toBe(200);

    // A change is announced first: not from today.
    const tooSoon = await op.post(`/api/v1/dishes/${DISH}/price-changes`, { newPriceFen: 1300, reason: '食材涨价', effectiveOn: TODAY });
    expect(tooSoon.json().error).toMatchObject({ code: 'bad_request', details: { field: 'effectiveOn', earliest: '2026-11-24' } });
    const proposed = await op.post(`/api/v1/dishes/${DISH}/price-changes`, { newPriceFen: 1300, reason: '鱼肉进价上涨', effectiveOn: '2026-11-25' });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const change = proposed.json();
    expect(change).toMatchObject({ state: 'proposed', oldPriceFen: 1200, newPriceFen: 1300, dishName: expect.any(String), proposedBy: expect.any(String) });
    expect(
      (await op.post(`/api/v1/dishes/${DISH}/price-changes`, { newPriceFen: 1400, reason: '再涨', effectiveOn: '2026-11-26' })).json().error,
    ).toMatchObject({
      code: 'conflict',
      details: { priceChangeId: change.id },
    });
    expect((await priceOf(op)).pendingPrice).toMatchObject({ id: change.id, priceFen: 1300 });

    // Operators never approve prices; the street does.
    expect((await op.post(`/api/v1/price-changes/${change.id}/approve`, {})).statusCode).toBe(403);
    const street = as(t.app, await login(t.app, 'shipai'));
    const queue = (await street.get('/api/v1/price-changes?state=proposed')).json();
    expect(queue.items.map((c: { id: string }) => c.id)).toContain(change.id);
    const approved = await street.post(`/api/v1/price-changes/${change.id}/approve`, { note: '同意，请按时公示', approvalRef: '石牌街〔2026〕31号' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      state: 'approved',
      decisionNote: '同意，请按时公示',
      approvalRef: '石牌街〔2026〕31号',
      decidedBy: expect.any(String),
    });
    expect((await street.post(`/api/v1/price-changes/${change.id}/reject`, { note: '改主意' })).json().error.code).toBe('invalid_state');

    // Today nothing changes: the dish, the menu and a quote are still ¥12; the kiosk announces the change.
    expect(await priceOf(op)).toMatchObject({ priceFen: 1200, upcomingPrice: { priceFen: 1300, effectiveOn: '2026-11-25' }, pendingPrice: null });
    await onMenu('2026-11-25');
    await onMenu(TODAY);
    expect(await quotePrice(op)).toBe(1200);
    const kiosk = as(t.app, await pairKiosk(t.app));
    const notices = (await kiosk.get('/api/v1/kiosk/state')).json().priceNotices;
    expect(notices).toEqual([{ dishId: DISH, dishName: change.dishName, oldPriceFen: 1200, newPriceFen: 1300, effectiveOn: '2026-11-25' }]);
    const before = await op.post('/api/v1/orders', {
      id: uuidv7(),
      canteenId: CANTEEN,
      identifyMethod: 'guest',
      lines: [{ dishId: DISH, quantity: 1 }],
      paymentMethod: 'cash',
    });
    expect(before.statusCode, before.body).toBe(201);

    // From its date the new price is the one pricing uses; the earlier order keeps what it was priced at.
    t.clock.set('2026-11-25T12:00:00+08:00');
    const op2 = as(t.app, await login(t.app, 'yikang'));
    expect(await quotePrice(op2)).toBe(1300);
    expect((await priceOf(op2)).priceFen).toBe(1300);
    expect((await op2.get(`/api/v1/orders/${before.json().id}`)).json()).toMatchObject({ mealPriceFen: 1200 });
    expect((await as(t.app, await pairKiosk(t.app)).get('/api/v1/kiosk/state')).json().priceNotices).toHaveLength(1);

    // The notice stays PRICE_NOTICE_DAYS_AFTER days after it took effect, then goes.
    t.clock.set(`${addDays('2026-11-25', PRICE_NOTICE_DAYS_AFTER)}T09:00:00+08:00`);
    expect((await as(t.app, await pairKiosk(t.app)).get('/api/v1/kiosk/state')).json().priceNotices).toHaveLength(1);
    t.clock.set(`${addDays('2026-11-25', PRICE_NOTICE_DAYS_AFTER + 1)}T09:00:00+08:00`);
    expect((await as(t.app, await pairKiosk(t.app)).get('/api/v1/kiosk/state')).json().priceNotices).toEqual([]);

    // The history keeps every price, who proposed and who approved; the audit log has both steps.
    const history = (await as(t.app, await login(t.app, 'tianhe')).get(`/api/v1/price-changes?canteenId=${CANTEEN}&dishId=${DISH}`)).json();
    expect(history.items.map((c: { state: string; newPriceFen: number }) => [c.state, c.newPriceFen])).toEqual([
      ['approved', 1300],
      ['approved', 1200],
    ]);
    const actions = t.ctx.db.readerConn.prepare("SELECT action FROM audit_log WHERE action LIKE 'price.%' AND entity_id = ? ORDER BY seq").all(DISH);
    expect(actions).toEqual([{ action: 'price.proposed' }, { action: 'price.approved' }]);
  });

  it('a rejected or withdrawn proposal changes nothing; a reviewer may move the date; out-of-area staff see nothing', async () => {
    const p1 = (await op.post(`/api/v1/dishes/${DISH}/price-changes`, { newPriceFen: 1250, reason: '调价', effectiveOn: '2026-11-30' })).json();
    const district = as(t.app, await login(t.app, 'tianhe'));
    const rejectNoNote = await district.post(`/api/v1/price-changes/${p1.id}/reject`, {});
    expect(rejectNoNote.statusCode).toBe(400);
    const rejected = await district.post(`/api/v1/price-changes/${p1.id}/reject`, { note: '涨幅未附成本说明' });
    expect(rejected.json()).toMatchObject({ state: 'rejected', decisionNote: '涨幅未附成本说明' });

    const p2 = (await op.post(`/api/v1/dishes/${DISH}/price-changes`, { newPriceFen: 1150, reason: '促销', effectiveOn: '2026-11-30' })).json();
    expect((await op.post(`/api/v1/price-changes/${p2.id}/withdraw`)).json().state).toBe('withdrawn');
    expect((await priceOf(op)).upcomingPrice).toBeNull();

    const p3 = (await op.post(`/api/v1/dishes/${DISH}/price-changes`, { newPriceFen: 1100, reason: '降价惠民', effectiveOn: '2026-11-24' })).json();
    const other = as(t.app, await login(t.app, 'jiajia'));
    expect((await other.get(`/api/v1/price-changes?canteenId=${CANTEEN}`)).statusCode).toBe(404);
    expect((await other.post(`/api/v1/price-changes/${p3.id}/withdraw`)).statusCode).toBe(404);
    const moved = await district.post(`/api/v1/price-changes/${p3.id}/approve`, { effectiveOn: '2026-12-01' });
    expect(moved.json()).toMatchObject({ state: 'approved', effectiveOn: '2026-12-01' });
    expect((await priceOf(op)).upcomingPrice).toEqual({ priceFen: 1100, effectiveOn: '2026-12-01' });
  });

  it('two reviewers deciding at once: one decision is written, the other is refused', async () => {
    const p = (await op.post(`/api/v1/dishes/${DISH}/price-changes`, { newPriceFen: 1350, reason: '调价', effectiveOn: '2026-11-28' })).json();
    const street = as(t.app, await login(t.app, 'shipai'));
    const district = as(t.app, await login(t.app, 'tianhe'));
    const answers = await Promise.all([
      street.post(`/api/v1/price-changes/${p.id}/approve`, { note: '同意' }),
      district.post(`/api/v1/price-changes/${p.id}/reject`, { note: '不同意' }),
      street.post(`/api/v1/price-changes/${p.id}/approve`, { note: '同意' }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    const decided = t.ctx.db.readerConn.prepare("SELECT count(*) AS n FROM audit_log WHERE action IN ('price.approved', 'price.rejected')").get() as {
      n: number;
    };
    expect(decided.n).toBe(1);
  });

  it('a new dish is sold only once its price is approved', async () => {
    const created = await op.post(`/api/v1/canteens/${CANTEEN}/dishes`, { name: '清蒸石斑鱼', category: '荤菜', priceFen: 1500 });
    expect(created.statusCode, created.body).toBe(201);
    const dish = created.json();
    expect(dish).toMatchObject({ priceFen: 1500, priceApproved: false, pendingPrice: { priceFen: 1500, effectiveOn: TODAY } });
    const menu = await op.put(`/api/v1/canteens/${CANTEEN}/menus/2026-11-24/lunch`, { items: [{ dishId: dish.id, portions: 20 }] });
    expect(menu.statusCode).toBe(409);
    expect(menu.json().error).toMatchObject({ code: 'price_not_approved', details: { dishId: dish.id } });

    const street = as(t.app, await login(t.app, 'shipai'));
    expect((await street.post(`/api/v1/price-changes/${dish.pendingPrice.id}/approve`, { note: '同意上架' })).statusCode).toBe(200);
    expect(await priceOf(op, dish.id)).toMatchObject({ priceFen: 1500, priceApproved: true });
    await onMenu(TODAY, dish.id);
    expect(await quotePrice(op, dish.id)).toBe(1500);
    // A first price is not a price change: nothing to announce.
    expect((await as(t.app, await pairKiosk(t.app)).get('/api/v1/kiosk/state')).json().priceNotices).toEqual([]);
  });

  it('a double tap on 新增菜品 makes one dish: the others are told the name is taken, naming the field', async () => {
    const body = { name: '清蒸石斑鱼', category: '荤菜', priceFen: 1500 };
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => op.post(`/api/v1/canteens/${CANTEEN}/dishes`, body)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const made = answers.find((a) => a.statusCode === 201)!.json();
    const refused = answers.find((a) => a.statusCode === 409)!.json();
    expect(refused.error).toMatchObject({ code: 'conflict', details: { field: 'name', dishId: made.id } });
    expect(refused.error.message).toContain('清蒸石斑鱼');
    const q = (sql: string) => (t.ctx.db.readerConn.prepare(sql).get(CANTEEN) as { n: number }).n;
    expect(q("SELECT count(*) AS n FROM dishes WHERE canteen_id = ? AND name = '清蒸石斑鱼'")).toBe(1);
    expect(q(`SELECT count(*) AS n FROM price_changes WHERE canteen_id = ? AND dish_id IN (SELECT id FROM dishes WHERE name = '清蒸石斑鱼')`)).toBe(1);
    // Renaming another dish to a name in use is the same conflict; a dish taken off the list frees its name.
    const renamed = await op.patch(`/api/v1/dishes/${DISH}`, { name: '清蒸石斑鱼' });
    expect(renamed.statusCode, renamed.body).toBe(409);
    expect(renamed.json().error).toMatchObject({ code: 'conflict', details: { field: 'name' } });
    expect((await op.patch(`/api/v1/dishes/${made.id}`, { active: false })).statusCode).toBe(200);
    expect((await op.post(`/api/v1/canteens/${CANTEEN}/dishes`, body)).statusCode).toBe(201);
  });
});

/**
 * Dates too far ahead are refused as data: a menu or a price change at most DATE_HORIZON_DAYS.menu / .priceChange
 * days after the canteen's today, a resident's status change at most DATE_HORIZON_DAYS.residentStatus days ahead,
 * counted on the server's (injected) clock. 9999-12-31 was stored before. Checked with the clock where the demo city
 * was seeded, a year back and a year ahead of it: the limit moves with the clock, never with the calendar the tests
 * run on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, DATE_HORIZON_DAYS, localParts } from '@yishi/shared';
import { as, LUNCH_MONDAY, login, makeApp, type TestApp } from './helpers';

const HUASHI = 'ct-shipai-huashi';
const DISH = `${HUASHI}__set-a`;
const RESIDENT = 'rs-0001';
let t: TestApp;

beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => t?.close());

/** Move the clock by whole days from the seed's Monday lunch; everyone signs in again (sessions are business time). */
async function at(days: number) {
  t.clock.set(new Date(Date.parse(LUNCH_MONDAY) + days * 86_400_000));
  const today = localParts(t.clock.now(), 'Asia/Shanghai').date;
  return { today, op: as(t.app, await login(t.app, 'yikang')), street: as(t.app, await login(t.app, 'shipai')) };
}

function refused(
  res: { statusCode: number; json(): { error?: { code: string; message: string; details?: Record<string, unknown> } } },
  field: string,
  latest: string,
  days: number,
) {
  expect(res.statusCode).toBe(400);
  const e = res.json().error!;
  expect(e.code).toBe('date_beyond_horizon');
  expect(e.details).toEqual({ field, latest, horizonDays: days });
  expect(e.message).toContain(`at most ${days} days ahead`);
  expect(e.message).toContain(latest);
}

describe.each([
  ['where the demo city was seeded', 0],
  ['a year back', -365],
  ['a year ahead', 365],
])('with the clock %s', (_label, shift) => {
  it('a menu at most 90 days ahead; the day after and 9999-12-31 are refused naming the date', async () => {
    const { today, op } = await at(shift);
    const last = addDays(today, DATE_HORIZON_DAYS.menu);
    const menu = (date: string) => op.put(`/api/v1/canteens/${HUASHI}/menus/${date}/lunch`, { items: [] });
    expect((await menu(last)).statusCode).toBe(200);
    refused(await menu(addDays(last, 1)), 'date', last, 90);
    refused(await menu('9999-12-31'), 'date', last, 90);
    expect((await op.get(`/api/v1/canteens/${HUASHI}/menus/${addDays(last, 1)}/lunch`)).statusCode).toBe(404); // nothing stored
  });

  it('a price change at most 90 days ahead, proposed or moved at approval', async () => {
    const { today, op, street } = await at(shift);
    const last = addDays(today, DATE_HORIZON_DAYS.priceChange);
    const propose = (effectiveOn: string) =>
      op.post(`/api/v1/dishes/${DISH}/price-changes`, { newPriceFen: 1234 + Math.abs(shift), reason: '食材涨价', effectiveOn });
    refused(await propose(addDays(last, 1)), 'effectiveOn', last, 90);
    refused(await propose('9999-12-31'), 'effectiveOn', last, 90);
    const ok = await propose(last);
    expect(ok.statusCode, ok.body).toBe(201);
    const id = ok.json().id as string;
    refused(await street.post(`/api/v1/price-changes/${id}/approve`, { effectiveOn: addDays(last, 1) }), 'effectiveOn', last, 90);
    expect((await op.get(`/api/v1/price-changes?canteenId=${HUASHI}&limit=200`)).json().items.find((c: { id: string }) => c.id === id)).toMatchObject({
      state: 'proposed',
      effectiveOn: last,
    });
    expect((await op.post(`/api/v1/price-changes/${id}/withdraw`, {})).statusCode).toBe(200);
  });

  it("a resident's status change at most a year ahead", async () => {
    const { today, op } = await at(shift);
    const last = addDays(today, DATE_HORIZON_DAYS.residentStatus);
    const patch = (statusSince: string) => op.patch(`/api/v1/residents/${RESIDENT}`, { status: 'institutionalised', statusSince });
    refused(await patch(addDays(last, 1)), 'statusSince', last, 365);
    refused(await patch('9999-12-31'), 'statusSince', last, 365);
    expect((await op.get(`/api/v1/residents/${RESIDENT}`)).json()).toMatchObject({ status: 'active', statusSince: null });
    const ok = await patch(last);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'institutionalised', statusSince: last });
    expect((await op.patch(`/api/v1/residents/${RESIDENT}`, { status: 'active' })).statusCode).toBe(200);
  });
});

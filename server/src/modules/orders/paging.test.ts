/**
 * The orders list at scale: 100,000 orders at one canteen, paged, filtered and sorted on the server. Proved by
 * the query plan (every page query walks an index; the default sort needs no sort step), never by timing; the
 * timings are printed for the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, login, makeApp, type TestApp } from '../../../test/helpers';
import { bulkOrders } from '../../../test/bulk';
import { orderPageQuery, type OrderListFilter } from './orders.repo';

const C = 'ct-shipai-huashi';
/** Figures for the report (the test asserts plans, never times). */
const report = (line: string) => process.stdout.write(`${line}\n`);
let t: TestApp;
let op: ReturnType<typeof as>;

beforeAll(async () => {
  t = await makeApp();
  const t0 = performance.now();
  bulkOrders(t, C, 100_000);
  report(`paging: 100,000 orders inserted in ${Math.round(performance.now() - t0)} ms`);
  op = as(t.app, await login(t.app, 'yikang'));
}, 120_000);
afterAll(async () => t.close());

function plan(f: Partial<OrderListFilter>): string {
  const q = orderPageQuery(t.ctx.db.read, { canteenIds: [C], sort: 'createdAt', order: 'desc', limit: 50, offset: 0, ...f }).toSQL();
  const rows = t.ctx.db.readerConn.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.params as unknown[])) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}

describe('orders list over 100,000 orders', () => {
  it('every page query uses an index (EXPLAIN QUERY PLAN)', () => {
    const cases: [string, Partial<OrderListFilter>, RegExp][] = [
      ['newest first', {}, /USING (COVERING )?INDEX orders_canteen_created/],
      ['one state, newest first', { states: ['awaiting_payment'] }, /USING (COVERING )?INDEX orders_canteen_state_created/],
      // The canteen's day is the prefix of orders_pickup (no index of its own).
      ['one day', { date: '2026-10-01' }, /USING INDEX orders_pickup \(canteen_id=\? AND service_date=\?\)/],
      ['a date range', { from: '2026-10-01', to: '2026-10-07' }, /USING INDEX orders_/],
      [
        'one day by pickup number',
        { date: '2026-10-01', sort: 'pickupNumber', order: 'asc' },
        /USING INDEX orders_pickup \(canteen_id=\? AND service_date=\?\)/,
      ],
    ];
    for (const [name, f, index] of cases) {
      const p = plan(f);
      report(`paging plan, ${name}: ${p}`);
      expect(p, name).toMatch(index);
      expect(p, name).not.toMatch(/SCAN orders(?! USING)/);
    }
    // The default sort walks the index in order: no sort step at all.
    expect(plan({})).not.toMatch(/TEMP B-TREE/);
    expect(plan({ states: ['completed'] })).not.toMatch(/TEMP B-TREE/);
  });

  it('answers pages with the total over HTTP, deep pages and filters included', async () => {
    const time = async (url: string) => {
      const t0 = performance.now();
      const res = await op.get(url);
      const ms = performance.now() - t0;
      expect(res.statusCode, res.body).toBe(200);
      return { body: res.json() as { items: { id: string; state: string; serviceDate: string }[]; total: number }, ms };
    };
    const first = await time(`/api/v1/orders?canteenId=${C}&limit=50`);
    expect(first.body.total).toBeGreaterThanOrEqual(100_000);
    expect(first.body.items).toHaveLength(50);
    const deep = await time(`/api/v1/orders?canteenId=${C}&limit=50&offset=90000`);
    expect(deep.body.items).toHaveLength(50);
    expect(deep.body.items[0]!.id).not.toBe(first.body.items[0]!.id);
    const awaiting = await time(`/api/v1/orders?canteenId=${C}&state=awaiting_payment,paid&limit=50`);
    expect(awaiting.body.items.every((o) => o.state === 'awaiting_payment' || o.state === 'paid')).toBe(true);
    const day = await time(`/api/v1/orders?canteenId=${C}&date=2026-10-01&sort=pickupNumber&order=asc&limit=100`);
    expect(day.body.items.every((o) => o.serviceDate === '2026-10-01')).toBe(true);
    const range = await time(`/api/v1/orders?canteenId=${C}&from=2026-10-01&to=2026-10-31&paymentMethod=cash&limit=100`);
    expect(range.body.total).toBeGreaterThan(1000);
    report(
      `paging over HTTP (100k orders): first page ${first.ms.toFixed(0)} ms, offset 90,000 ${deep.ms.toFixed(0)} ms, two states ${awaiting.ms.toFixed(0)} ms, one day by pickup ${day.ms.toFixed(0)} ms, a month of cash ${range.ms.toFixed(0)} ms`,
    );
  });
});

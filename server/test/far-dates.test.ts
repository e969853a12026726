/**
 * Dates at the far end of the calendar. The day after 9999-12-31 is written "+010000-01-01", which sorts before
 * every four-digit year, so a day-by-day walk up to 9999-12-31 compared as strings never ended: one request for
 * December 9999 (indicators, a report by day, an anomaly scan, a what-if) held the event loop until the process
 * ran out of memory. Now such a period is answered like any other (it is empty), and promptly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datesFrom } from '@yishi/shared';
import { as, login, makeApp, type TestApp } from './helpers';

let t: TestApp;
let yikang: ReturnType<typeof as>;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  t = await makeApp();
  yikang = as(t.app, await login(t.app, 'yikang'));
  admin = as(t.app, await login(t.app, 'admin'));
});
afterAll(async () => t?.close());

describe('periods that end on 9999-12-31', () => {
  it('are answered (empty), not walked forever', async () => {
    const C = 'ct-shipai-huashi';
    const calls = [
      () => yikang.get(`/api/v1/reports/indicators?month=9999-12&canteenId=${C}`),
      () => yikang.get(`/api/v1/reports?month=9999-12&groupBy=day&canteenId=${C}`),
      () => yikang.get(`/api/v1/reports?from=9999-12-01&to=9999-12-31&groupBy=month&canteenId=${C}`),
      () => admin.post('/api/v1/anomalies/scan', { month: '9999-12', canteenId: C }),
      () => admin.post('/api/v1/policies/pv-tianhe-top-up-v1/simulate', { month: '9999-12' }),
    ];
    for (const call of calls) {
      const res = await call();
      expect(res.statusCode, res.body).toBe(200);
    }
    const ind = (await yikang.get(`/api/v1/reports/indicators?month=9999-12&canteenId=${C}`)).json();
    expect(ind.daily).toHaveLength(31);
    expect(ind.figures.meals).toBe(0);
  });

  it('a week at the end of 9999 is within the range limits of the lists; a range over them is refused naming the field', async () => {
    const C = 'ct-shipai-huashi';
    for (const url of [
      `/api/v1/canteens/${C}/menus?from=9999-12-25&to=9999-12-31`,
      `/api/v1/canteens/${C}/closes?from=9999-12-25&to=9999-12-31`,
      `/api/v1/canteens/${C}/food-samples?from=9999-12-25&to=9999-12-31`,
    ]) {
      const res = await yikang.get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
    const long = await yikang.get(`/api/v1/canteens/${C}/menus?from=2026-01-01&to=2026-12-31`);
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({ code: 'bad_request', details: { field: 'to' } });
  });

  it('datesFrom counts the days, both ends included', () => {
    expect(datesFrom('9999-12-30', '9999-12-31')).toEqual(['9999-12-30', '9999-12-31']);
    expect(datesFrom('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(datesFrom('2026-11-23', '2026-11-23')).toEqual(['2026-11-23']);
    expect(datesFrom('2026-11-24', '2026-11-23')).toEqual([]);
  });
});

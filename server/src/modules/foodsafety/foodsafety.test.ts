import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { as, login, makeApp, type TestApp } from '../../../test/helpers';

const C = 'ct-shipai-huashi';
const TODAY = '2026-11-23';

let t: TestApp;
let op: ReturnType<typeof as>;

beforeEach(async () => {
  t = await makeApp();
  op = as(t.app, await login(t.app, 'yikang'));
});
afterEach(async () => t.close());

const sample = (over: Record<string, unknown> = {}) => ({
  id: uuidv7(),
  serviceDate: TODAY,
  mealPeriod: 'lunch',
  dishName: '清蒸鲈鱼',
  weightGrams: 150,
  keepHours: 48,
  storedBy: '陈厨师',
  note: null,
  ...over,
});

describe('food-sample log (留样)', () => {
  it('records a sample with the discard-after time, once per id, and refuses too little or too short in Chinese', async () => {
    const body = sample();
    const res = await op.post(`/api/v1/canteens/${C}/food-samples`, body);
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    expect(Date.parse(s.discardAfter) - Date.parse(s.storedAt)).toBe(48 * 3_600_000);
    expect(s).toMatchObject({ dishName: '清蒸鲈鱼', weightGrams: 150, storedBy: '陈厨师', recordedBy: expect.any(String) });
    expect((await op.post(`/api/v1/canteens/${C}/food-samples`, body)).statusCode).toBe(200);

    const light = await op.post(`/api/v1/canteens/${C}/food-samples`, sample({ weightGrams: 100 }));
    expect(light.statusCode).toBe(400);
    expect(light.json().error.details.issues[0]).toMatchObject({ path: 'weightGrams', message: '每个品种留样不少于 125 克' });
    const short = await op.post(`/api/v1/canteens/${C}/food-samples`, sample({ keepHours: 24 }));
    expect(short.json().error.details.issues[0]).toMatchObject({ path: 'keepHours', message: '留样保存不少于 48 小时' });
    const noName = await op.post(`/api/v1/canteens/${C}/food-samples`, sample({ dishName: ' ' }));
    expect(noName.json().error.details.issues[0].message).toBe('请填写菜品名称');
    const future = await op.post(`/api/v1/canteens/${C}/food-samples`, sample({ serviceDate: '2026-11-24' }));
    expect(future.statusCode).toBe(400);
    expect(future.json().error.details.field).toBe('serviceDate');
    const n = t.ctx.db.readerConn.prepare('SELECT count(*) AS n FROM food_samples').get() as { n: number };
    expect(n.n).toBe(1);
    expect((t.ctx.db.readerConn.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'food_sample.recorded'`).get() as { n: number }).n).toBe(1);
  });

  it('reminds of served days with no sample, on the list and in the daily close, until one is logged', async () => {
    const list = (await op.get(`/api/v1/canteens/${C}/food-samples?from=2026-11-16&to=${TODAY}`)).json();
    const served = t.ctx.db.readerConn
      .prepare(
        `SELECT DISTINCT service_date AS d, meal_period AS p FROM orders WHERE canteen_id = ? AND service_date BETWEEN '2026-11-16' AND ? AND state NOT IN ('cancelled','refunded')`,
      )
      .all(C, TODAY) as { d: string; p: string }[];
    expect(served.length).toBeGreaterThan(0);
    expect(list.missing.map((m: { serviceDate: string; mealPeriod: string }) => `${m.serviceDate}|${m.mealPeriod}`).sort()).toEqual(
      served.map((s) => `${s.d}|${s.p}`).sort(),
    );

    const day = served.sort((a, b) => b.d.localeCompare(a.d))[0]!;
    const close = (await op.get(`/api/v1/canteens/${C}/closes/${day.d}`)).json();
    expect(close.samplesMissing).toContain(day.p);
    expect((await op.post(`/api/v1/canteens/${C}/food-samples`, sample({ serviceDate: day.d, mealPeriod: day.p }))).statusCode).toBe(201);
    expect((await op.get(`/api/v1/canteens/${C}/closes/${day.d}`)).json().samplesMissing).not.toContain(day.p);
    const after = (await op.get(`/api/v1/canteens/${C}/food-samples?from=2026-11-16&to=${TODAY}`)).json();
    expect(after.missing).toHaveLength(list.missing.length - 1);
    expect(after.items).toHaveLength(1);
  });

  it('keeps samples to the canteen: others are not found, area staff read but do not write', async () => {
    const jiajia = as(t.app, await login(t.app, 'jiajia'));
    expect((await jiajia.get(`/api/v1/canteens/${C}/food-samples?from=${TODAY}&to=${TODAY}`)).statusCode).toBe(404);
    expect((await jiajia.post(`/api/v1/canteens/${C}/food-samples`, sample())).statusCode).toBe(404);
    const shipai = as(t.app, await login(t.app, 'shipai'));
    expect((await shipai.get(`/api/v1/canteens/${C}/food-samples?from=${TODAY}&to=${TODAY}`)).statusCode).toBe(200);
    expect((await shipai.post(`/api/v1/canteens/${C}/food-samples`, sample())).statusCode).toBe(403);
  });
});

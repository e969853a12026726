import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import ExcelJS from 'exceljs';
import { withQuote, as, login, makeApp, pairKiosk, type TestApp } from '../../../test/helpers';
import * as sites from '../sites/sites.service';
import * as orders from '../orders/orders.service';
import { repriceStoredOrders, type Repriced } from './whatif.service';

const SET_DIABETIC = 'ct-shipai-huashi__set-diabetic';
const SOFT = 'ct-shipai-huashi__set-soft';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
  // The demo plants a death recorded late; undo it so the stored history is what the rules said then.
  t.ctx.db.writer.prepare("UPDATE residents SET status = 'active', status_since = NULL WHERE status = 'deceased'").run();
});
afterEach(async () => t.close());

/** Orders placed today through the API: the ones a replay must reproduce besides the seeded history. */
async function orderToday(): Promise<void> {
  const kiosk = as(t.app, await pairKiosk(t.app));
  const staff = as(t.app, await login(t.app, 'yikang'));
  const tap = async (card: string) => (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: card })).json().ticket as string;
  const place = async (api: typeof kiosk, body: Record<string, unknown>) => {
    const order = { id: uuidv7(), lines: [{ dishId: SET_DIABETIC, quantity: 1 }], paymentMethod: 'wallet', ...body };
    const res = await api.post('/api/v1/orders', api === kiosk ? await withQuote(kiosk, order) : order);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  // 陈秀英: a subsidised lunch, then a second one in the same meal period at full price.
  expect((await place(kiosk, { residentTicket: await tap('4401100001'), identifyMethod: 'card' })).elderSubsidyFen).toBe(300);
  expect((await place(kiosk, { residentTicket: await tap('4401100001'), identifyMethod: 'card' })).elderSubsidyFen).toBe(0);
  // 张国强 (越秀户籍) at a 天河 canteen: the city pays, the 天河 top-up does not.
  await place(kiosk, { residentTicket: await tap('4401100004'), identifyMethod: 'card', lines: [{ dishId: SOFT, quantity: 2 }] });
  // 黄伯坚 (低保, care level 3): staff key a delivery; the district top-up and the delivery subsidy apply.
  const delivered = await place(staff, {
    canteenId: 'ct-shipai-huashi',
    residentId: 'rs-0002',
    identifyMethod: 'staff',
    fulfilment: 'delivery',
    staffReason: { code: 'on_behalf', note: '女儿电话订餐' },
  });
  expect(delivered.operatorSubsidyFen).toBeGreaterThan(300);
  // A guest, and an order that is refunded (it no longer counts).
  await place(kiosk, { identifyMethod: 'guest', paymentMethod: 'cash' });
  const refunded = await place(kiosk, { residentTicket: await tap('4401100003'), identifyMethod: 'card' });
  expect((await staff.post(`/api/v1/orders/${refunded.id}/refund`, { reason: '点错了' })).statusCode).toBe(200);
}

describe('one pricing context for live orders, the seed and the what-if', () => {
  it('re-pricing the month with the published policies reproduces every stored order to the fen, seeded and live alike', async () => {
    await orderToday();
    const db = t.ctx.db.read;
    const seen: Repriced[] = [];
    repriceStoredOrders(db, { from: '2026-11-01', to: '2026-11-30', canteens: sites.allCanteens(db), scenarios: [undefined] }, (r) => seen.push(r));
    expect(seen.length).toBeGreaterThan(1000);
    expect(seen.filter((r) => r.stored.row.serviceDate === '2026-11-23')).toHaveLength(5);
    const splits = orders.splitsOf(
      db,
      seen.map((r) => r.stored.row.id),
    );
    for (const { stored, evaluations } of seen) {
      const o = stored.row;
      const ev = evaluations[0]!;
      expect({ id: o.id, subsidy: ev.elderSubsidyFen, pays: ev.elderPaysFen, operator: ev.operatorSubsidyFen }).toEqual({
        id: o.id,
        subsidy: o.elderSubsidyFen,
        pays: o.elderPaysFen,
        operator: o.operatorSubsidyFen,
      });
      expect(ev.layers.map((l) => [l.layerKey, l.amountFen, l.reason])).toEqual((splits.get(o.id) ?? []).map((s) => [s.layerKey, s.amountFen, s.reason]));
    }
  });

  it('what-if with an unchanged copy of the city policy shows no difference at all, including today’s orders', async () => {
    await orderToday();
    const city = as(t.app, await login(t.app, 'city'));
    const copy = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
    const res = await city.post(`/api/v1/policies/${copy.id}/simulate`, { month: '2026-11' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    const [d] = s.drafts;
    expect(d.byDay.find((x: { date: string }) => x.date === '2026-11-23')).toBeDefined();
    // Nothing changed since the orders were priced (the late death is undone above), and the copy changes nothing.
    expect(s.published).toEqual(s.stored);
    expect(s.factsChanged).toMatchObject({ orders: 0, residents: 0, elderPaysChangeFen: 0, subsidyChangeFen: 0, list: [] });
    expect(d.totals).toEqual(s.published);
    for (const p of d.byPayer) expect([p.simulatedFen, p.publishedFen]).toEqual([p.storedFen, p.storedFen]);
    for (const c of d.byCategory)
      expect([c.simulatedSubsidyFen, c.publishedSubsidyFen, c.elderPaysChangeFen]).toEqual([c.storedSubsidyFen, c.storedSubsidyFen, 0]);
    for (const x of d.byDay) expect([x.simulatedSubsidyFen, x.publishedSubsidyFen]).toEqual([x.storedSubsidyFen, x.storedSubsidyFen]);
    expect([d.eldersPayingMore, d.eldersPayingLess, d.payingMore, d.payingLess]).toEqual([0, 0, [], []]);
  });

  it('a street office sees the figures of its own street only, priced with the whole city’s history', async () => {
    const shipai = as(t.app, await login(t.app, 'shipai'));
    const city = as(t.app, await login(t.app, 'city'));
    const copy = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
    const street = (await shipai.post(`/api/v1/policies/${copy.id}/simulate`, { month: '2026-11' })).json();
    const all = (await city.post(`/api/v1/policies/${copy.id}/simulate`, { month: '2026-11' })).json();
    expect(street.orders).toBeGreaterThan(0);
    expect(street.orders).toBeLessThan(all.orders);
    expect(street.drafts[0].totals).toEqual(street.published);
  });

  it('lists by name who would pay more and why, masked as the caller may see them; a year is twelve such months', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    const shipai = as(t.app, await login(t.app, 'shipai'));
    const draft = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
    const doc = structuredClone(draft.document);
    doc.layers[0].pays.capFen = 200; // a quarter of the price, at most ¥2 instead of ¥3
    doc.layers[0].limits.minMealPriceFen = 1100; // and nothing for meals under ¥11
    expect((await city.put(`/api/v1/policies/${draft.id}`, { document: doc })).statusCode).toBe(200);
    const r = (await city.post(`/api/v1/policies/${draft.id}/simulate`, { month: '2026-11' })).json();
    const d = r.drafts[0];
    expect(d.eldersPayingMore).toBeGreaterThan(10);
    expect(d.eldersPayingLess).toBe(0);
    expect(d.payingMore.length).toBe(Math.min(200, d.eldersPayingMore));
    // Most first; each one's change is the sum of the layers that changed for them.
    const changes = d.payingMore.map((p: { changeFen: number }) => p.changeFen);
    expect(changes).toEqual([...changes].sort((a: number, b: number) => b - a));
    const first = d.payingMore[0];
    expect(first.changeFen).toBe(
      first.layers.reduce((sum: number, l: { publishedFen: number; simulatedFen: number }) => sum + l.publishedFen - l.simulatedFen, 0),
    );
    expect(first.layers[0]).toMatchObject({ layerName: '就餐补贴', payer: '广州市民政局' });
    // A meal under ¥11 now gets nothing from the city layer: said in words, as the elder would read it.
    const reasons = d.payingMore.flatMap((p: { layers: { simulatedReason: string; reasonText: string }[] }) => p.layers);
    expect(reasons.find((l: { simulatedReason: string }) => l.simulatedReason === 'min_price')).toMatchObject({ reasonText: '餐费没有达到补贴的最低金额' });
    // City staff see the register of the whole city: full names and masked ID numbers.
    const names = new Map(
      (t.ctx.db.writer.prepare('SELECT id, name, residence_area_code AS area FROM residents').all() as { id: string; name: string; area: string }[]).map(
        (x) => [x.id, x],
      ),
    );
    expect(first.name).toBe(names.get(first.residentId)!.name);
    expect(first.idMasked).toMatch(/^\*{14}\w{4}$/);
    // Per payer: the month, and a year at this month's rate.
    const gz = d.byPayer.find((p: { payer: string; kind: string }) => p.payer === '广州市民政局' && p.kind === 'meal');
    expect(gz.simulatedFen).toBeLessThan(gz.publishedFen);
    expect([gz.yearSimulatedFen, gz.yearPublishedFen]).toEqual([gz.simulatedFen * 12, gz.publishedFen * 12]);
    // A street office sees the people of its own register by name, anyone else masked (陈*英).
    const street = (await shipai.post(`/api/v1/policies/${draft.id}/simulate`, { month: '2026-11' })).json().drafts[0];
    expect(street.payingMore.length).toBeGreaterThan(0);
    for (const p of street.payingMore) {
      const real = names.get(p.residentId)!;
      if (real.area.startsWith('440106004')) expect([p.name, p.idMasked === null]).toEqual([real.name, false]);
      else expect([p.name, p.idMasked]).toEqual([`${[...real.name][0]}${'*'.repeat([...real.name].length - 2)}${[...real.name].at(-1)}`, null]);
    }
  });

  it('compares two drafts side by side, each against the published policies, and exports it all to Excel', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    const a = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
    const b = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
    const docB = structuredClone(b.document);
    docB.layers[0].pays.capFen = 400;
    expect((await city.put(`/api/v1/policies/${b.id}`, { document: docB })).statusCode).toBe(200);
    const both = (await city.post(`/api/v1/policies/${a.id}/simulate`, { month: '2026-11', compareWith: b.id })).json();
    const alone = (await city.post(`/api/v1/policies/${b.id}/simulate`, { month: '2026-11' })).json();
    expect(both.drafts.map((d: { versionId: string }) => d.versionId)).toEqual([a.id, b.id]);
    expect(both.drafts[0].totals).toEqual(both.published);
    expect(both.drafts[1]).toEqual(alone.drafts[0]);
    expect(both.drafts[1].eldersPayingLess).toBeGreaterThan(0);

    const res = await city.get(`/api/v1/policies/${a.id}/simulation.xlsx?month=2026-11&compareWith=${b.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['cache-control']).toBe('no-store');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '概要',
      'A-出资方',
      'A-类别',
      'A-多付的长者',
      'A-少付的长者',
      'B-出资方',
      'B-类别',
      'B-多付的长者',
      'B-少付的长者',
      '订单之后的变化',
    ]);
    // Every elder who would pay less under B is a row (not only the first 200), named, with the yuan they save.
    const less = wb.getWorksheet('B-少付的长者')!;
    const rows: string[][] = [];
    less.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
    const header = rows.findIndex((r) => r[0] === '长者');
    const body = rows.slice(header + 1).filter((r) => r[0] !== '合计');
    expect(body).toHaveLength(alone.drafts[0].eldersPayingLess);
    const top = alone.drafts[0].payingLess[0];
    expect(body[0]!.slice(0, 1)).toEqual([top.name]);
    expect(Number(body[0]![4])).toBeCloseTo(top.changeFen / 100, 2);
  });

  it('refuses a month in the wrong shape and a version out of reach', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    expect((await city.post('/api/v1/policies/pv-guangzhou-2024-v1/simulate', { month: '2026-13' })).statusCode).toBe(400);
    expect((await city.post('/api/v1/policies/nope/simulate', { month: '2026-11' })).statusCode).toBe(404);
    expect((await city.post('/api/v1/policies/pv-guangzhou-2024-v1/simulate', { month: '2026-11', compareWith: 'nope' })).statusCode).toBe(404);
  });
});

describe('what changed since the orders were priced is shown apart from the policy’s effect', () => {
  it('a death recorded late: the unchanged policy shows no effect, and the deceased’s later meals are listed by name as facts changed', async () => {
    const app = await makeApp();
    try {
      const city = as(app.app, await login(app.app, 'city'));
      const copy = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
      const s = (await city.post(`/api/v1/policies/${copy.id}/simulate`, { month: '2026-11' })).json();
      const dead = app.ctx.db.writer.prepare("SELECT id, name, status_since AS since FROM residents WHERE status = 'deceased'").get() as {
        id: string;
        name: string;
        since: string;
      };
      // The copy's own effect: none.
      expect(s.drafts[0].totals).toEqual(s.published);
      expect(s.drafts[0].eldersPayingMore + s.drafts[0].eldersPayingLess).toBe(0);
      // Stored ≠ re-priced: only the deceased's meals on or after the death, each one listed, by name, with the reason.
      expect(s.factsChanged.orders).toBeGreaterThan(0);
      expect(s.factsChanged.residents).toBe(1);
      expect(s.factsChanged.elderPaysChangeFen).toBeGreaterThan(0);
      expect(s.factsChanged.list).toHaveLength(s.factsChanged.orders);
      for (const row of s.factsChanged.list) {
        expect(row).toMatchObject({ residentId: dead.id, name: dead.name, cause: 'facts', status: 'deceased', statusSince: dead.since });
        expect(row.serviceDate >= dead.since).toBe(true);
        expect(row.layers[0]).toMatchObject({ storedReason: 'applied', reason: 'resident_status' });
      }
      expect(s.published.elderPaysFen - s.stored.elderPaysFen).toBe(s.factsChanged.elderPaysChangeFen);
    } finally {
      await app.close();
    }
  });
});

describe('a what-if runs off the event loop', () => {
  // The demo city with its 60 days of history: the month takes long enough to re-price that, on the event loop, no
  // tap could be answered before it ends.
  let big: TestApp;
  beforeEach(async () => {
    big = await makeApp({ historyDays: 60 });
  });
  afterEach(async () => big.close());

  it('kiosk card taps are answered while a month is re-priced off the event loop', async () => {
    const city = as(big.app, await login(big.app, 'city'));
    const kiosk = as(big.app, await pairKiosk(big.app));
    const copy = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
    const simulate = () => city.post(`/api/v1/policies/${copy.id}/simulate`, { month: '2026-11' });
    const first = (await simulate()).json(); // the thread is up (its code loaded): the next one is the simulation alone
    let done = false;
    const running = simulate().then((r) => ((done = true), r));
    // On the event loop, the simulation would hold every request until it ends: no tap would finish before it. (A few
    // taps are enough; more would meet the kiosk's limit on card taps.)
    let answeredDuring = 0;
    while (!done && answeredDuring < 3) {
      const tap = await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' });
      expect(tap.statusCode, tap.body).toBe(200);
      if (!done) answeredDuring += 1;
    }
    const res = await running;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(first);
    expect(answeredDuring).toBeGreaterThan(0);
  });
});

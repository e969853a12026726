/**
 * Every list exports to Excel and CSV, filtered as the list on screen is, within the caller's scope, residents
 * masked, and text a spreadsheet would run as a formula neutralised (a hostile dish name and resident name).
 * Files are read back: ExcelJS for xlsx, papaparse for csv.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, login, makeApp, type TestApp } from './helpers';

let t: TestApp;
let op: ReturnType<typeof as>;
const CANTEEN = 'ct-shipai-huashi';
const DAY = '2026-11-23';
const HOSTILE_DISH = '=HYPERLINK("http://x.test","点我")';
const HOSTILE_NAME = '@SUM(1+1)张三';

function idFor(birth: string, seq: number): string {
  const body = `440106${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11];
}

beforeAll(async () => {
  t = await makeApp();
  op = as(t.app, await login(t.app, 'yikang'));
  // A hostile dish (approved by the street, on today's menu, ordered) and a hostile resident name.
  // Names are refused at the door when they start like a formula (nameText); rows written before that rule, or by
  // an import, can still hold one, so the hostile names are put into the database directly after the record is made.
  const dish = (await op.post(`/api/v1/canteens/${CANTEEN}/dishes`, { name: '港式叉烧饭', category: '荤菜', priceFen: 1100 })).json();
  t.ctx.db.writer.prepare('UPDATE dishes SET name = ? WHERE id = ?').run(HOSTILE_DISH, dish.id);
  t.ctx.db.forgetAll(); // written behind the server's back: drop what it keeps
  const street = as(t.app, await login(t.app, 'shipai'));
  expect((await street.post(`/api/v1/price-changes/${dish.pendingPrice.id}/approve`, { note: '同意' })).statusCode).toBe(200);
  const menu = (await op.get(`/api/v1/canteens/${CANTEEN}/menus/${DAY}/lunch`)).json();
  const items = [
    ...menu.items.map((i: { dish: { id: string }; portions: number | null }) => ({ dishId: i.dish.id, portions: i.portions })),
    { dishId: dish.id, portions: null },
  ];
  expect((await op.put(`/api/v1/canteens/${CANTEEN}/menus/${DAY}/lunch`, { items })).statusCode).toBe(200);
  const r = await op.post('/api/v1/residents', {
    name: '张三',
    gender: 'male',
    birthDate: '1946-02-03',
    idNumber: idFor('1946-02-03', 331),
    phone: '13900001234',
    hukouAreaCode: '440106004',
    residenceAreaCode: '440106004001',
    homeCanteenId: CANTEEN,
  });
  expect(r.statusCode, r.body).toBe(201);
  t.ctx.db.writer.prepare('UPDATE residents SET name = ? WHERE id = ?').run(HOSTILE_NAME, r.json().id);
  t.ctx.db.forgetAll();
  await op.post('/api/v1/wallet/topups', { id: uuidv7(), residentId: r.json().id, canteenId: CANTEEN, amountFen: 3000, method: 'cash' });
  const order = await op.post('/api/v1/orders', {
    id: uuidv7(),
    canteenId: CANTEEN,
    residentId: r.json().id,
    identifyMethod: 'staff',
    lines: [{ dishId: dish.id, quantity: 1 }],
    paymentMethod: 'wallet',
    staffReason: { code: 'forgot_card', note: '忘带卡' },
  });
  expect(order.statusCode, order.body).toBe(201);
});
afterAll(async () => t?.close());

async function xlsxRows(url: string, api = op): Promise<{ rows: string[][]; res: Awaited<ReturnType<typeof op.get>> }> {
  const res = await api.get(url);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)))),
  );
  return { rows, res };
}

function csvRows(body: string): string[][] {
  return Papa.parse<string[]>(body.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
}

describe('list exports', () => {
  it('orders of the day as on screen, to Excel and CSV, with a hostile dish name neutralised', async () => {
    const { rows, res } = await xlsxRows(`/api/v1/orders/export?canteenId=${CANTEEN}&from=${DAY}&to=${DAY}&format=xlsx`);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const header = rows.find((r) => r.includes('取餐号'))!;
    expect(header).toEqual(expect.arrayContaining(['下单时间', '餐次', '长者', '菜品', '餐价', '长者补贴', '长者实付', '支付方式', '状态']));
    const stored = (
      t.ctx.db.readerConn.prepare('SELECT count(*) AS n FROM orders WHERE canteen_id = ? AND service_date = ?').get(CANTEEN, DAY) as { n: number }
    ).n;
    const dataRows = rows.slice(rows.indexOf(header) + 1).filter((r) => r[0] !== '合计');
    expect(dataRows.length).toBe(stored);
    const hostile = dataRows.find((r) => r.some((c) => c.includes('HYPERLINK')))!;
    expect(hostile.find((c) => c.includes('HYPERLINK'))).toBe(`'${HOSTILE_DISH}×1`);

    const csv = await op.get(`/api/v1/orders/export?canteenId=${CANTEEN}&from=${DAY}&to=${DAY}&mealPeriod=lunch&state=paid&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const c = csvRows(csv.body);
    const h = c.findIndex((r) => r.includes('取餐号'));
    const paid = (
      t.ctx.db.readerConn
        .prepare("SELECT count(*) AS n FROM orders WHERE canteen_id = ? AND service_date = ? AND meal_period = 'lunch' AND state = 'paid'")
        .get(CANTEEN, DAY) as { n: number }
    ).n;
    const body = c.slice(h + 1).filter((r) => r[0] !== '合计');
    expect(body.length).toBe(paid);
    expect(new Set(body.map((r) => r[c[h]!.indexOf('状态')]))).toEqual(new Set(paid ? ['已付款'] : []));
  });

  it('orders narrowed by fulfilment and payment method as the list on screen is', async () => {
    const count = (where: string) =>
      (
        t.ctx.db.readerConn
          .prepare(`SELECT count(*) AS n FROM orders WHERE canteen_id = ? AND service_date BETWEEN '2026-11-01' AND '2026-11-30' AND ${where}`)
          .get(CANTEEN) as { n: number }
      ).n;
    for (const [query, where] of [
      ['fulfilment=delivery', "fulfilment = 'delivery'"],
      ['fulfilment=dine_in', "fulfilment = 'dine_in'"],
      ['paymentMethod=cash', "payment_method = 'cash'"],
      ['paymentMethod=wallet&fulfilment=dine_in', "payment_method = 'wallet' AND fulfilment = 'dine_in'"],
    ] as const) {
      const res = await op.get(`/api/v1/orders/export?canteenId=${CANTEEN}&from=2026-11-01&to=2026-11-30&${query}&format=csv`);
      expect(res.statusCode, res.body).toBe(200);
      const c = csvRows(res.body);
      const h = c.findIndex((r) => r.includes('取餐号'));
      expect(c.slice(h + 1).filter((r) => r[0] !== '合计').length, query).toBe(count(where));
    }
    // The month has orders of both kinds, so each filter above left some out.
    expect(count("fulfilment = 'delivery'")).toBeGreaterThan(0);
    expect(count("fulfilment = 'dine_in'")).toBeGreaterThan(0);
    expect((await op.get(`/api/v1/orders/export?canteenId=${CANTEEN}&from=${DAY}&to=${DAY}&fulfilment=drone&format=csv`)).statusCode).toBe(400);
  });

  it('residents masked (ID number and phone: last 4), a hostile name neutralised, and the export audited', async () => {
    const csv = await op.get(`/api/v1/residents/export?q=${encodeURIComponent('张三')}&format=csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    const c = csvRows(csv.body);
    const h = c.findIndex((r) => r.includes('身份证号'))!;
    const row = c[h + 1]!;
    expect(row[c[h]!.indexOf('姓名')]).toBe(`'${HOSTILE_NAME}`);
    expect(row[c[h]!.indexOf('身份证号')]).toBe(`**************${idFor('1946-02-03', 331).slice(-4)}`);
    expect(row[c[h]!.indexOf('联系电话')]).toBe('*******1234');
    expect(csv.body).not.toContain(idFor('1946-02-03', 331));
    expect(csv.body).not.toContain('13900001234');
    expect((t.ctx.db.readerConn.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'residents.exported'").get() as { n: number }).n).toBe(1);

    // Everyone the operator may see, and no one else.
    const { rows } = await xlsxRows('/api/v1/residents/export?format=xlsx');
    const visible = (await op.get('/api/v1/residents?limit=1')).json().total as number;
    const header = rows.findIndex((r) => r.includes('身份证号'));
    expect(rows.slice(header + 1).filter((r) => r[0] !== '合计').length).toBe(visible);
  });

  it('wallet entries of a resident and of a canteen; menus of the week; the price history', async () => {
    const r = (await op.get(`/api/v1/residents?q=${encodeURIComponent('张三')}`)).json().items[0];
    const wallet = await op.get(`/api/v1/residents/${r.id}/wallet/export?format=csv`);
    const w = csvRows(wallet.body);
    const wh = w.findIndex((x) => x.includes('收据号'));
    expect(w[wh + 1]).toEqual(expect.arrayContaining([`'${HOSTILE_NAME}`, '充值', '30.00', '现金']));
    const canteen = await op.get(`/api/v1/canteens/${CANTEEN}/wallet-entries/export?from=${DAY}&to=${DAY}&format=csv`);
    const cw = csvRows(canteen.body);
    expect(cw.filter((x) => x.includes('充值')).length).toBeGreaterThanOrEqual(1);
    expect(cw.every((x) => !x.includes('2026-11-22'))).toBe(true);

    const { rows } = await xlsxRows(`/api/v1/canteens/${CANTEEN}/menus/export?from=${DAY}&to=2026-11-29&format=xlsx`);
    expect(rows.some((x) => x.includes(`'${HOSTILE_DISH}`))).toBe(true);
    const prices = await op.get(`/api/v1/price-changes/export?canteenId=${CANTEEN}&format=csv`);
    expect(csvRows(prices.body).some((x) => x.includes(`'${HOSTILE_DISH}`) && x.includes('已批准'))).toBe(true);
  });

  it('deliveries of the day as the route lists show them: per courier in stop order, phone masked, hostile name neutralised', async () => {
    const r = (await op.get(`/api/v1/residents?q=${encodeURIComponent('张三')}`)).json().items[0];
    const menu = (await op.get(`/api/v1/canteens/${CANTEEN}/menus/${DAY}/lunch`)).json();
    const order = async () => {
      const res = await op.post('/api/v1/orders', {
        id: uuidv7(),
        canteenId: CANTEEN,
        residentId: r.id,
        identifyMethod: 'staff',
        lines: [{ dishId: menu.items[0].dish.id, quantity: 1 }],
        fulfilment: 'delivery',
        deliveryAddress: '石牌东路 12 号 3 楼',
        paymentMethod: 'external',
        externalReference: 'POS-20261123',
        staffReason: { code: 'on_behalf', note: '女儿代为订送餐' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return (t.ctx.db.readerConn.prepare('SELECT id FROM deliveries WHERE order_id = ?').get(res.json().id) as { id: string }).id;
    };
    const [first, second] = [await order(), await order(), await order()];
    expect((await op.post(`/api/v1/canteens/${CANTEEN}/deliveries/assign`, { deliveryIds: [second, first], courier: '李师傅' })).statusCode).toBe(200);
    expect((await op.post(`/api/v1/deliveries/${first}/out`, {})).statusCode).toBe(200);
    expect((await op.post(`/api/v1/deliveries/${first}/done`, { outcome: 'failed', reason: '敲门无人应答' })).statusCode).toBe(200);

    const { rows } = await xlsxRows(`/api/v1/canteens/${CANTEEN}/deliveries/export?date=${DAY}&format=xlsx`);
    const h = rows.findIndex((x) => x.includes('送餐员'));
    const header = rows[h]!;
    expect(header).toEqual(expect.arrayContaining(['站序', '取餐号', '长者', '联系电话', '地址', '菜品', '状态', '未送达原因']));
    const body = rows.slice(h + 1);
    const live = (
      t.ctx.db.readerConn
        .prepare("SELECT count(*) AS n FROM deliveries WHERE canteen_id = ? AND service_date = ? AND state <> 'cancelled'")
        .get(CANTEEN, DAY) as { n: number }
    ).n;
    expect(body.length).toBe(live);
    const col = (name: string) => header.indexOf(name);
    const mine = body.filter((x) => x[col('长者')] === `'${HOSTILE_NAME}`);
    expect(mine.length).toBe(3);
    // 李师傅's round in stop order; the untaken one after every courier's round.
    const li = body.filter((x) => x[col('送餐员')] === '李师傅');
    expect(li.map((x) => x[col('站序')])).toEqual(['1', '2']);
    const failed = li.find((x) => x[col('状态')] === '未送达')!;
    expect(li.filter((x) => x[col('状态')] === '待出发').length).toBe(1);
    expect(failed[col('未送达原因')]).toBe('敲门无人应答');
    expect(failed[col('未送达时间')]).toMatch(/^2026-11-23 \d\d:\d\d$/);
    expect(body.indexOf(li[1]!)).toBeLessThan(body.findIndex((x) => x[col('送餐员')] === '未分配'));
    expect(mine.every((x) => x[col('联系电话')] === '*******1234')).toBe(true);
    expect(rows.flat().join('\n')).not.toContain('13900001234');

    // The state filter, to CSV; audited like the residents list.
    const csv = await op.get(`/api/v1/canteens/${CANTEEN}/deliveries/export?date=${DAY}&state=failed&format=csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-disposition']).toContain(encodeURIComponent('送餐路线'));
    const c = csvRows(csv.body);
    const ch = c.findIndex((x) => x.includes('送餐员'));
    expect(c.slice(ch + 1).map((x) => x[c[ch]!.indexOf('未送达原因')])).toEqual(['敲门无人应答']);
    expect((t.ctx.db.readerConn.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'deliveries.exported'").get() as { n: number }).n).toBe(2);

    const other = as(t.app, await login(t.app, 'jiajia'));
    expect((await other.get(`/api/v1/canteens/${CANTEEN}/deliveries/export?date=${DAY}&format=csv`)).statusCode).toBe(404);
    expect((await op.get(`/api/v1/canteens/${CANTEEN}/deliveries/export?date=${DAY}&state=cancelled&format=csv`)).statusCode).toBe(400);
  });

  it('out of scope is 404 before any byte; a bad filter is 400', async () => {
    const other = as(t.app, await login(t.app, 'jiajia'));
    const res = await other.get(`/api/v1/orders/export?canteenId=${CANTEEN}&from=${DAY}&to=${DAY}&format=xlsx`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect((await other.get('/api/v1/residents/rs-0001/wallet/export?format=csv')).statusCode).toBe(404);
    expect((await op.get(`/api/v1/orders/export?canteenId=${CANTEEN}&from=${DAY}&to=2026-11-01&format=csv`)).statusCode).toBe(400);
    expect((await op.get(`/api/v1/orders/export?canteenId=${CANTEEN}&from=${DAY}&to=${DAY}&format=pdf`)).statusCode).toBe(400);
  });
});

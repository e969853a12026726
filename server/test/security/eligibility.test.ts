/**
 * Subsidy money that staff could make for themselves: nominal dishes keyed for residents, staff-keyed orders with
 * no card, categories an operator adds on its own say, and accounts with more rights than their creator. Each
 * hostile case of the review, tried over real HTTP on the real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { MIGRATIONS_DIR } from '../../src/db/client';
import { as, login, makeApp, pairKiosk, type TestApp } from '../helpers';
import { idNumber } from './kit';

let t: TestApp;
const sessions = new Map<string, string>();
/** One session per demo login (logins are rate limited per address). */
async function session(username: string): Promise<ReturnType<typeof as>> {
  if (!sessions.has(username)) sessions.set(username, await login(t.app, username));
  return as(t.app, sessions.get(username)!);
}
beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => t.close());

const CANTEEN = 'ct-shipai-huashi';
const TODAY = '2026-11-23';
const rows = (sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).all(...args) as Record<string, unknown>[];
type Split = { amountFen: number; layerKey: string };

describe('subsidy farming with nominal dishes', () => {
  it('a ¥0 or ¥1 dish keyed by staff earns nothing for anyone: no elder subsidy, no operating or delivery subsidy, under any policy layer', async () => {
    const op = await session('yikang');
    // The operator makes a free dish and a ¥1 dish and puts them on today's lunch.
    const freeDish = (await op.post(`/api/v1/canteens/${CANTEEN}/dishes`, { name: '免费白粥', category: '主食', priceFen: 0 })).json();
    const oneYuanDish = (await op.post(`/api/v1/canteens/${CANTEEN}/dishes`, { name: '一元小菜', category: '素菜', priceFen: 100 })).json();
    const free = freeDish.id as string;
    const oneYuan = oneYuanDish.id as string;
    // Even if the street office approves those prices, they earn nothing (a new dish is sold only once its price is approved).
    const street = await session('shipai');
    for (const d of [freeDish, oneYuanDish])
      expect((await street.post(`/api/v1/price-changes/${d.pendingPrice.id}/approve`, { note: '同意上架' })).statusCode).toBe(200);
    const menu = (await op.get(`/api/v1/canteens/${CANTEEN}/menus/${TODAY}/lunch`)).json();
    const items = [
      ...(menu.items as { dish: { id: string }; portions: number | null }[]).map((i) => ({ dishId: i.dish.id, portions: i.portions })),
      { dishId: free, portions: null },
      { dishId: oneYuan, portions: null },
    ];
    const put = await op.put(`/api/v1/canteens/${CANTEEN}/menus/${TODAY}/lunch`, { items });
    expect(put.statusCode, put.body).toBe(200);

    // Every resident the operator can key an order for, at the Tianhe canteen (city layers and the Tianhe top-up).
    const residents = (await op.get('/api/v1/residents?limit=200&status=active')).json().items as { id: string; careLevel: number }[];
    expect(residents.length).toBeGreaterThan(50);
    let priced = 0;
    for (const r of residents) {
      for (const dishId of [free, oneYuan]) {
        for (const fulfilment of r.careLevel > 0 ? (['dine_in', 'delivery'] as const) : (['dine_in'] as const)) {
          const q = await op.post('/api/v1/quotes', { canteenId: CANTEEN, residentId: r.id, lines: [{ dishId, quantity: 1 }], fulfilment });
          if (q.statusCode === 400 && q.json().error.details?.field === 'deliveryAddress') continue;
          expect(q.statusCode, q.body).toBe(200);
          const paid = (q.json().subsidies as Split[]).filter((s) => s.amountFen > 0);
          expect(paid, `${r.id} ${dishId} ${fulfilment}`).toEqual([]);
          expect(q.json()).toMatchObject({ elderSubsidyFen: 0, operatorSubsidyFen: 0 });
          priced++;
        }
      }
    }
    expect(priced).toBeGreaterThan(100);
    // And such an order, keyed by staff, stores no subsidy at all (it needs no reason: it earns nothing).
    const order = await op.post('/api/v1/orders', {
      id: uuidv7(),
      canteenId: CANTEEN,
      residentId: 'rs-0002', // 黄伯坚: 低保, care level 3 — the most any layer would pay for
      identifyMethod: 'staff',
      lines: [{ dishId: oneYuan, quantity: 1 }],
      paymentMethod: 'cash',
    });
    expect(order.statusCode, order.body).toBe(201);
    expect(rows('SELECT amount_fen AS a FROM order_subsidies WHERE order_id = ? AND amount_fen > 0', order.json().id)).toEqual([]);
  });

  it('a subsidised staff-keyed order says why no card or PIN was used; the reason is stored, shown and audited', async () => {
    const op = await session('yikang');
    // An ordinary Guangzhou elder aged 60–79 of this canteen other than 陈秀英 (rs-0001), whose lunch the category
    // tests below price: one subsidised meal per period would otherwise be spent here.
    const [elder] = rows(
      `SELECT id FROM residents r WHERE home_canteen_id = ? AND status = 'active' AND id NOT IN ('rs-0001', 'rs-0002', 'rs-0003')
         AND hukou_area_code LIKE '4401%' AND birth_date BETWEEN '1946-11-24' AND '1966-11-23'
         AND NOT EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = r.id) ORDER BY id LIMIT 1`,
      CANTEEN,
    );
    const residentId = elder!.id as string;
    const body = {
      canteenId: CANTEEN,
      residentId,
      identifyMethod: 'staff',
      lines: [{ dishId: `${CANTEEN}__set-a`, quantity: 1 }],
      paymentMethod: 'cash',
    };
    const bare = await op.post('/api/v1/orders', { id: uuidv7(), ...body });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error).toMatchObject({ code: 'bad_request', details: { field: 'staffReason' } });
    // 其他 needs a note; an unknown reason is refused.
    expect((await op.post('/api/v1/orders', { id: uuidv7(), ...body, staffReason: { code: 'other' } })).statusCode).toBe(400);
    expect((await op.post('/api/v1/orders', { id: uuidv7(), ...body, staffReason: { code: 'because', note: 'x' } })).statusCode).toBe(400);
    // A console cannot claim the card was tapped.
    const claimed = await op.post('/api/v1/orders', { id: uuidv7(), ...body, identifyMethod: 'card', staffReason: { code: 'forgot_card', note: '' } });
    expect(claimed.statusCode).toBe(400);
    expect(claimed.json().error.details).toMatchObject({ field: 'identifyMethod' });
    // Nothing of those refusals was stored.
    expect(rows(`SELECT id FROM orders WHERE resident_id = ? AND service_date = ?`, residentId, TODAY)).toEqual([]);

    const ok = await op.post('/api/v1/orders', { id: uuidv7(), ...body, staffReason: { code: 'card_damaged', note: '卡片芯片损坏，已登记补办' } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ identifyMethod: 'staff', elderSubsidyFen: 300, staffReason: { code: 'card_damaged', note: '卡片芯片损坏，已登记补办' } });
    const listed = (await op.get(`/api/v1/orders?canteenId=${CANTEEN}&date=${TODAY}&residentId=${residentId}`)).json().items[0];
    expect(listed.staffReason).toEqual({ code: 'card_damaged', note: '卡片芯片损坏，已登记补办' });
    const audit = rows(`SELECT details FROM audit_log WHERE action = 'order.created' AND entity_id = ?`, ok.json().id)[0]!;
    expect(JSON.parse(audit.details as string)).toMatchObject({ method: 'staff', staffReason: { code: 'card_damaged', note: '卡片芯片损坏，已登记补办' } });
    // A kiosk cannot send a staff reason.
    const kiosk = as(t.app, await pairKiosk(t.app));
    const fromKiosk = await kiosk.post('/api/v1/orders', {
      id: uuidv7(),
      identifyMethod: 'guest',
      lines: [{ dishId: `${CANTEEN}__set-a`, quantity: 1 }],
      paymentMethod: 'cash',
      staffReason: { code: 'on_behalf', note: '' },
    });
    expect(fromKiosk.statusCode).toBe(400);
  });
});

describe('categories that change a subsidy take effect only when street or district staff approve them', () => {
  const priceFor = async (residentId: string) => {
    const op = await session('yikang');
    const q = await op.post('/api/v1/quotes', { canteenId: CANTEEN, residentId, lines: [{ dishId: `${CANTEEN}__set-a`, quantity: 1 }] });
    expect(q.statusCode, q.body).toBe(200);
    const { elderPaysFen, elderSubsidyFen, subsidies } = q.json() as { elderPaysFen: number; elderSubsidyFen: number; subsidies: Split[] };
    return { elderPaysFen, elderSubsidyFen, subsidies };
  };

  it('the operator’s 特困 ("op says so") is pending and changes nothing; the district approves it; a rejection never counts', async () => {
    const op = await session('yikang');
    const before = await priceFor('rs-0001');
    const proposed = await op.post('/api/v1/residents/rs-0001/categories', { code: 'tekun', validFrom: '2026-11-01', evidence: 'op says so' });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const entry = (proposed.json().categoryEntries as { id: string; code: string; state: string; proposedBy: string }[]).find((c) => c.code === 'tekun')!;
    expect(entry).toMatchObject({ state: 'pending', proposedBy: '颐康中心 梁店长' });
    expect(proposed.json().categories).not.toContain('tekun');
    // The hostile case: the district's share did not move.
    expect(await priceFor('rs-0001')).toEqual(before);

    // The operator cannot approve it; neither can the city or the admin (it is the street's and district's call).
    for (const who of ['yikang', 'city', 'admin']) {
      const res = await (await session(who)).post(`/api/v1/residents/rs-0001/categories/${entry.id}/approve`, { note: '' });
      expect(res.statusCode, `${who}: ${res.body}`).toBe(403);
    }
    // The street and the district see it in their queue, with the evidence and who proposed it.
    const street = await session('shipai');
    const district = await session('tianhe');
    for (const queue of [await street.get('/api/v1/categories/pending'), await district.get('/api/v1/categories/pending')]) {
      expect(queue.statusCode).toBe(200);
      expect(queue.json()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: entry.id, residentId: 'rs-0001', residentName: '陈秀英', evidence: 'op says so', code: 'tekun' }),
        ]),
      );
    }
    const approved = await district.post(`/api/v1/residents/rs-0001/categories/${entry.id}/approve`, { note: '已核对特困人员供养证原件' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().categories).toContain('tekun');
    expect((approved.json().categoryEntries as { id: string }[]).find((c) => c.id === entry.id)).toMatchObject({
      state: 'approved',
      decidedBy: '天河区民政局 林主任',
      decisionNote: '已核对特困人员供养证原件',
      proposedBy: '颐康中心 梁店长',
    });
    const after = await priceFor('rs-0001');
    expect(after.elderPaysFen).toBe(100); // Tianhe: 特困 pay at most ¥1
    // Decided once: approving again, or rejecting it now, is refused.
    expect((await street.post(`/api/v1/residents/rs-0001/categories/${entry.id}/reject`, { reason: '重复' })).statusCode).toBe(409);
    expect(rows(`SELECT actor_id AS a FROM audit_log WHERE action = 'resident.category_approved' AND entity_id = 'rs-0001'`)).toEqual([{ a: 'user-tianhe' }]);
    expect((await street.get('/api/v1/categories/pending')).json().map((c: { id: string }) => c.id)).not.toContain(entry.id);
  });

  it('nobody approves their own proposal; a rejected category keeps its reason and never counts; out-of-area ids are not found', async () => {
    const street = await session('shipai');
    const district = await session('tianhe');
    const before = await priceFor('rs-0003');
    const own = await street.post('/api/v1/residents/rs-0003/categories', { code: 'dibao', validFrom: '2026-11-01', evidence: '街道自行录入' });
    const entry = (own.json().categoryEntries as { id: string; code: string; state: string }[]).find((c) => c.code === 'dibao')!;
    expect(entry.state).toBe('pending');
    const self = await street.post(`/api/v1/residents/rs-0003/categories/${entry.id}/approve`, { note: '' });
    expect(self.statusCode).toBe(403);
    // Approve and reject at the same moment: one decision wins, the other is refused.
    const both = await Promise.all([
      district.post(`/api/v1/residents/rs-0003/categories/${entry.id}/reject`, { reason: '未提供低保证原件' }),
      district.post(`/api/v1/residents/rs-0003/categories/${entry.id}/approve`, { note: '' }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const state = rows('SELECT state FROM resident_categories WHERE id = ?', entry.id)[0]!.state;
    if (state === 'rejected') {
      const detail = (await district.get('/api/v1/residents/rs-0003')).json();
      expect(detail.categoryEntries.find((c: { id: string }) => c.id === entry.id)).toMatchObject({ state: 'rejected', decisionNote: '未提供低保证原件' });
      expect(await priceFor('rs-0003')).toEqual(before);
    }
    // A resident outside the district: not found (404), whatever the id.
    const outside = rows(`SELECT id FROM residents WHERE residence_area_code NOT LIKE '440106%' LIMIT 1`)[0]!.id as string;
    const foreign = await district.post(`/api/v1/residents/${outside}/categories/${entry.id}/approve`, { note: '' });
    expect(foreign.statusCode).toBe(404);
  });

  it('categories given when registering a resident are pending too', async () => {
    const op = await session('yikang');
    const body = {
      name: '罗桂芬',
      gender: 'female',
      birthDate: '1950-01-01',
      idNumber: idNumber(777),
      phone: null,
      hukouAreaCode: '440106004',
      residenceAreaCode: '440106004001',
      homeCanteenId: CANTEEN,
      categories: [{ code: 'tekun', validFrom: '2026-01-01', evidence: '特困人员供养证' }],
    };
    const res = await op.post('/api/v1/residents', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().categories).toEqual([]);
    expect(res.json().categoryEntries).toEqual([expect.objectContaining({ code: 'tekun', state: 'pending' })]);
  });

  it('the migration counts categories recorded before approval existed as approved', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-mig-'));
    const db = new Database(path.join(dir, 'old.db'));
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const tags = journal.entries.map((e) => e.tag);
    const upgrade = tags.findIndex((tag) => fs.readFileSync(path.join(MIGRATIONS_DIR, `${tag}.sql`), 'utf8').includes('`resident_categories` ADD `state`'));
    const run = (tag: string) => {
      for (const stmt of fs.readFileSync(path.join(MIGRATIONS_DIR, `${tag}.sql`), 'utf8').split('--> statement-breakpoint')) if (stmt.trim()) db.exec(stmt);
    };
    for (const tag of tags.slice(0, upgrade)) run(tag);
    db.prepare(
      `INSERT INTO resident_categories (id, resident_id, code, valid_from, evidence, created_by, created_at) VALUES ('c1', 'r1', 'dibao', '2022-01-01', '低保证', 'u1', '2024-01-01T00:00:00Z')`,
    ).run();
    run(tags[upgrade]!);
    expect(db.prepare('SELECT state, decided_at AS at FROM resident_categories').all()).toEqual([{ state: 'approved', at: '2024-01-01T00:00:00Z' }]);
    // A new row without a state is pending: nothing is approved by default.
    db.prepare(
      `INSERT INTO resident_categories (id, resident_id, code, valid_from, evidence, created_at) VALUES ('c2', 'r1', 'tekun', '2026-01-01', 'x', '2026-11-23T00:00:00Z')`,
    ).run();
    expect(db.prepare(`SELECT state FROM resident_categories WHERE id = 'c2'`).get()).toEqual({ state: 'pending' });
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('nobody creates an account with more rights than their own', () => {
  /** [creator, role, scope, canteens, canSeeIdNumbers, expected status]: the grants matrix. */
  type Row = [creator: 'city' | 'admin', role: string, scope: string | null, canteens: string[], seeIds: boolean, status: number];
  const STREET = '440106004';
  const DISTRICT = '440106';
  const CITY = '4401';
  const COMMUNITY = '440106004001';
  const MATRIX: Row[] = [
    // The review's hostile case: a city-wide street account (it could add categories and set PINs city-wide).
    ['city', 'street', CITY, [], false, 400],
    ['city', 'street', DISTRICT, [], false, 400],
    ['city', 'street', COMMUNITY, [], false, 400],
    ['city', 'street', STREET, [], false, 201],
    ['city', 'street', null, [], false, 400],
    ['city', 'district', STREET, [], false, 400],
    ['city', 'district', CITY, [], false, 400],
    ['city', 'district', DISTRICT, [], false, 201],
    ['city', 'city', DISTRICT, [], false, 400],
    ['city', 'city', CITY, [], false, 201],
    ['city', 'street', '440106999', [], false, 400], // no such area
    ['city', 'operator', null, [CANTEEN], false, 201],
    ['city', 'operator', STREET, [CANTEEN], false, 400],
    ['city', 'operator', null, [], false, 400],
    ['city', 'operator', null, ['ct-nowhere'], false, 400],
    ['city', 'admin', null, [], false, 403],
    // The city cannot see full ID numbers, so it cannot hand that out.
    ['city', 'district', DISTRICT, [], true, 403],
    ['city', 'operator', null, [CANTEEN], true, 403],
    ['city', 'street', STREET, [CANTEEN], false, 400],
    // The administrator may give any role, each with a scope of its own level, and may pass on ID numbers.
    ['admin', 'admin', null, [], true, 201],
    ['admin', 'admin', CITY, [], false, 400],
    ['admin', 'city', CITY, [], true, 201],
    ['admin', 'street', CITY, [], false, 400],
    ['admin', 'street', STREET, [], true, 201],
    ['admin', 'district', '440105', [], false, 201],
    ['admin', 'district', STREET, [], false, 400],
  ];
  let seq = 0;

  it.each(MATRIX)('%s creates %s scoped to %s, canteens %j, ID numbers %s → %i', async (creator, role, scope, canteens, seeIds, status) => {
    const api = await session(creator);
    const res = await api.post('/api/v1/users', {
      username: `grant-${++seq}`,
      displayName: `授权测试${seq}`,
      role,
      scopeAreaCode: scope,
      canteenIds: canteens,
      canSeeIdNumbers: seeIds,
      initialPassword: 'Kitchen2026go',
    });
    expect(res.statusCode, res.body).toBe(status);
    if (status === 201) expect(res.json()).toMatchObject({ role, scopeAreaCode: scope });
    else expect(rows('SELECT id FROM users WHERE username = ?', `grant-${seq}`)).toEqual([]);
  });

  it('a street account the city creates reaches only its street', async () => {
    const city = await session('city');
    const made = await city.post('/api/v1/users', {
      username: 'street-only',
      displayName: '石牌街道 新干事',
      role: 'street',
      scopeAreaCode: STREET,
      initialPassword: 'Kitchen2026go',
    });
    expect(made.statusCode, made.body).toBe(201);
    const cookie = await login(t.app, 'street-only', 'Kitchen2026go');
    const pw = await as(t.app, cookie).post('/api/v1/auth/password', { currentPassword: 'Kitchen2026go', newPassword: 'Street2026ok' });
    expect(pw.statusCode, pw.body).toBe(200);
    const api = as(t.app, await login(t.app, 'street-only', 'Street2026ok'));
    const haizhu = rows(`SELECT id FROM residents WHERE residence_area_code LIKE '440105%' LIMIT 1`)[0]!.id as string;
    expect((await api.get(`/api/v1/residents/${haizhu}`)).statusCode).toBe(404);
    expect((await api.post(`/api/v1/residents/${haizhu}/pin`, { pin: '135792' })).statusCode).toBe(404);
    expect((await api.get('/api/v1/residents/rs-0001')).statusCode).toBe(200);
  });
});

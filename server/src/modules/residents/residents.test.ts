import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, login, makeApp, pairKiosk, type TestApp } from '../../../test/helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

/** A valid 18-character ID number for a birth date in Tianhe (check digit computed). */
function idFor(birth: string, seq = 123): string {
  const body = `440106${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11];
}

const newResident = (over: Record<string, unknown> = {}) => ({
  name: '邓美玲',
  gender: 'female',
  birthDate: '1950-05-06',
  idNumber: idFor('1950-05-06'),
  phone: '13711112222',
  hukouAreaCode: '440106004',
  residenceAreaCode: '440106004001',
  address: '石牌东路21号302房',
  homeCanteenId: 'ct-shipai-huashi',
  ...over,
});

describe('finding residents', () => {
  it('by a whole card number or its last 4 digits, as the search box says, besides name and phone', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const names = async (q: string) => ((await op.get(`/api/v1/residents?q=${encodeURIComponent(q)}`)).json().items as { name: string }[]).map((r) => r.name);
    expect(await names('4401100001')).toEqual(['陈秀英']); // 陈秀英's card
    expect(await names('0001')).toContain('陈秀英');
    expect(await names('陈秀')).toContain('陈秀英');
    expect(await names('8001')).toContain('陈秀英'); // her phone's last 4
    expect(await names('4401109999')).toEqual([]);
  });
});

describe('registering residents', () => {
  it('registers an elder with masked ID and phone, and refuses a bad or duplicate ID number', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const res = await op.post('/api/v1/residents', newResident());
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r.idNumberMasked).toBe(`**************${idFor('1950-05-06').slice(-4)}`);
    expect(r.phoneMasked).toBe('*******2222');
    expect(JSON.stringify(r)).not.toContain(idFor('1950-05-06'));
    const bad = await op.post(
      '/api/v1/residents',
      newResident({ idNumber: idFor('1950-05-06').slice(0, 17) + (idFor('1950-05-06').endsWith('0') ? '1' : '0') }),
    );
    expect(bad.json().error).toMatchObject({ code: 'bad_request', details: { issues: [{ path: 'idNumber' }] } });
    const mismatch = await op.post('/api/v1/residents', newResident({ birthDate: '1950-05-07' }));
    expect(mismatch.json().error).toMatchObject({ code: 'bad_request', details: { field: 'birthDate' } });
    const dup = await op.post('/api/v1/residents', newResident());
    expect(dup.json().error).toMatchObject({ code: 'conflict', details: { field: 'idNumber' } });
  });

  it('a category added with evidence changes the subsidy at the kiosk; ending it changes it back', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const r = (await op.post('/api/v1/residents', newResident())).json();
    await op.post(`/api/v1/residents/${r.id}/cards`, { kind: 'ss_card', number: '4401999001' });
    const kiosk = as(t.app, await pairKiosk(t.app));
    const priceOf = async () => {
      const id = (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401999001' })).json();
      const quote = await kiosk.post('/api/v1/quotes', { residentTicket: id.ticket, lines: [{ dishId: 'ct-shipai-huashi__set-diabetic', quantity: 1 }] });
      return quote.json().elderPaysFen as number;
    };
    expect(await priceOf()).toBe(900); // ¥12 − ¥3 city subsidy
    const proposed = await op.post(`/api/v1/residents/${r.id}/categories`, {
      code: 'dibao',
      validFrom: '2026-11-01',
      evidence: '低保证 穗天民低字第2026-0412号',
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    // Proposed by the operator: pending, and pricing ignores it until the street approves it.
    expect(proposed.json().categories).not.toContain('dibao');
    expect(await priceOf()).toBe(900);
    const pending = proposed.json().categoryEntries.find((c: { code: string }) => c.code === 'dibao');
    expect(pending).toMatchObject({ state: 'pending', proposedBy: '颐康中心 梁店长' });
    const street = as(t.app, await login(t.app, 'shipai'));
    const added = await street.post(`/api/v1/residents/${r.id}/categories/${pending.id}/approve`, { note: '已核对低保证原件' });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().categories).toContain('dibao');
    expect(await priceOf()).toBe(100); // Tianhe: 低保 elders pay at most ¥1
    const overlap = await op.post(`/api/v1/residents/${r.id}/categories`, { code: 'dibao', validFrom: '2026-11-15', evidence: '重复' });
    expect(overlap.json().error.code).toBe('conflict');
    const cat = added.json().categoryEntries.find((c: { code: string }) => c.code === 'dibao');
    const ended = await op.post(`/api/v1/residents/${r.id}/categories/${cat.id}/end`, { validTo: '2026-11-22', reason: '家庭收入复核后退出低保' });
    expect(ended.json().categoryEntries.find((c: { id: string }) => c.id === cat.id).validTo).toBe('2026-11-22');
    expect(await priceOf()).toBe(900);
  });

  it('a resident recorded as deceased gets no subsidy and cannot order at a kiosk', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const res = await op.patch('/api/v1/residents/rs-0004', { status: 'deceased' });
    expect(res.json().error).toMatchObject({ code: 'bad_request', details: { field: 'statusSince' } });
    const other = as(t.app, await login(t.app, 'shipai'));
    const r = (await other.post('/api/v1/residents', newResident({ idNumber: idFor('1950-05-06', 125), phone: null }))).json();
    await other.post(`/api/v1/residents/${r.id}/cards`, { kind: 'senior_card', number: '4401999002' });
    expect((await other.patch(`/api/v1/residents/${r.id}`, { status: 'deceased', statusSince: '2026-11-20' })).json().status).toBe('deceased');
    const kiosk = as(t.app, await pairKiosk(t.app));
    const id = await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401999002' });
    expect(id.json().error.code).toBe('resident_inactive');
  });

  it('a move announced for later does not stop the elder today; back to active clears the date', async () => {
    const op = as(t.app, await login(t.app, 'shipai'));
    const moved = await op.patch('/api/v1/residents/rs-0001', { status: 'moved', statusSince: '2026-12-01' });
    expect(moved.json()).toMatchObject({ status: 'moved', statusSince: '2026-12-01' });
    const kiosk = as(t.app, await pairKiosk(t.app));
    expect((await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' })).statusCode).toBe(200);
    t.clock.set('2026-12-01T12:00:00+08:00');
    expect((await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' })).json().error.code).toBe('resident_inactive');
    const again = as(t.app, await login(t.app, 'shipai')); // a week later: the first session has expired
    const back = await again.patch('/api/v1/residents/rs-0001', { status: 'active' });
    expect(back.json()).toMatchObject({ status: 'active', statusSince: null });
  });

  it('a correction or a move within the street is recorded with the old values; an ended category keeps its reason', async () => {
    const op = as(t.app, await login(t.app, 'shipai'));
    const res = await op.patch('/api/v1/residents/rs-0001', { name: '陈秀瑛', residenceAreaCode: '440106004002' });
    expect(res.json()).toMatchObject({ name: '陈秀瑛', residenceAreaCode: '440106004002' });
    const row = t.ctx.db.writer.prepare("SELECT details FROM audit_log WHERE action = 'resident.updated' ORDER BY seq DESC LIMIT 1").get() as {
      details: string;
    };
    expect(JSON.parse(row.details).before).toMatchObject({ name: '陈秀英', residenceAreaCode: '440106004001' });
    expect((await op.patch('/api/v1/residents/rs-0001', { residenceAreaCode: '440104001001' })).statusCode).toBe(403);
    const added = (await op.post('/api/v1/residents/rs-0001/categories', { code: 'low_income', validFrom: '2026-01-01', evidence: '低收入认定书' })).json();
    const cat = added.categoryEntries.find((c: { code: string }) => c.code === 'low_income');
    const ended = (await op.post(`/api/v1/residents/rs-0001/categories/${cat.id}/end`, { validTo: '2026-10-31', reason: '年度复核不再符合' })).json();
    expect(ended.categoryEntries.find((c: { id: string }) => c.id === cat.id)).toMatchObject({ validTo: '2026-10-31', endReason: '年度复核不再符合' });
  });
});

describe('a home canteen outside the caller’s area', () => {
  it('is named, not only its id: a street’s resident who eats in the next street, in the resident and in the approval queue', async () => {
    // 员村's operator registers an elder who lives in 石牌街 and eats at 员村 (another street).
    const op = as(t.app, await login(t.app, 'jiajia'));
    const res = await op.post('/api/v1/residents', newResident({ homeCanteenId: 'ct-yuancun' }));
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    const admin = as(t.app, await login(t.app, 'admin'));
    const yuancun = (await admin.get('/api/v1/canteens/ct-yuancun')).json().name as string;
    expect(yuancun).toContain('员村');
    expect(r.homeCanteenName).toBe(yuancun);

    // 石牌街 staff see the resident (she lives there), but not the canteen: the console has no name for it of its own.
    const street = as(t.app, await login(t.app, 'shipai'));
    expect(((await street.get('/api/v1/canteens')).json() as { id: string }[]).map((c) => c.id)).not.toContain('ct-yuancun');
    expect((await street.get('/api/v1/canteens/ct-yuancun')).statusCode).toBe(404);
    const seen = await street.get(`/api/v1/residents/${r.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toMatchObject({ homeCanteenId: 'ct-yuancun', homeCanteenName: yuancun });

    // A category proposed for her waits in the street's queue, with the canteen named.
    const proposed = await op.post(`/api/v1/residents/${r.id}/categories`, {
      code: 'dibao',
      validFrom: '2026-11-01',
      evidence: '低保证 穗天民低字第2026-0413号',
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const queue = (await street.get('/api/v1/categories/pending')).json() as { residentId: string; homeCanteenName: string | null }[];
    expect(queue.find((c) => c.residentId === r.id)?.homeCanteenName).toBe(yuancun);
  });
});

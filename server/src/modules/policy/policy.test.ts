import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { guangzhou2024 } from '@yishi/shared';
import { withQuote, as, login, makeApp, pairKiosk, type TestApp } from '../../../test/helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

const GZ = 'pv-guangzhou-2024-v1';

describe('policy versions', () => {
  it('lists shipped policies in plain language', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    const list = (await city.get('/api/v1/policies')).json();
    expect(list.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([GZ, 'pv-tianhe-top-up-v1']));
    const gz = (await city.get(`/api/v1/policies/${GZ}`)).json();
    expect(gz).toMatchObject({ status: 'published', frozen: true, editable: false, level: 'city', areaCode: '4401' });
    expect(gz.layers[0].zh).toContain('3元');
  });

  it('a published version that priced orders is frozen; a new version is a draft', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    const frozen = await city.put(`/api/v1/policies/${GZ}`, { document: guangzhou2024 });
    expect(frozen.json().error.code).toBe('policy_frozen');
    const draft = await city.post('/api/v1/policies', { basedOn: GZ });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json()).toMatchObject({ status: 'draft', version: 2, policyKey: 'guangzhou-city', editable: true });
  });

  it('validation answers with the path and message of each problem', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    const bad = { ...guangzhou2024, layers: [{ ...guangzhou2024.layers[0]!, pays: { type: 'fraction', numerator: 1, denominator: 0 } }] };
    const v = (await city.post('/api/v1/policies/validate', { document: bad })).json();
    expect(v.ok).toBe(false);
    expect(v.issues.some((i: { path: string }) => i.path.startsWith('layers.0.pays'))).toBe(true);
    const draft = (await city.post('/api/v1/policies', { basedOn: GZ })).json();
    const put = await city.put(`/api/v1/policies/${draft.id}`, { document: bad });
    expect(put.statusCode).toBe(400);
    expect(put.json().error.code).toBe('policy_invalid');
    expect(put.json().error.details.issues.length).toBeGreaterThan(0);
  });

  it('district staff cannot author city policy', async () => {
    const tianhe = as(t.app, await login(t.app, 'tianhe'));
    expect((await tianhe.post('/api/v1/policies', { basedOn: GZ })).statusCode).toBe(403);
    const op = as(t.app, await login(t.app, 'yikang'));
    expect((await op.post('/api/v1/policies', { basedOn: GZ })).statusCode).toBe(403);
  });

  it('publishing a new version prices the next kiosk order; the old orders keep theirs', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    const kiosk = as(t.app, await pairKiosk(t.app));
    const doc = structuredClone(guangzhou2024) as typeof guangzhou2024;
    doc.effectiveFrom = '2026-11-23';
    doc.layers[0] = { ...doc.layers[0]!, pays: { type: 'fraction', numerator: 1, denominator: 3, capFen: 400 } };
    const draft = (await city.post('/api/v1/policies', { basedOn: GZ, document: doc })).json();

    const sim = await city.post(`/api/v1/policies/${draft.id}/simulate`, { month: '2026-11' });
    expect(sim.statusCode, sim.body).toBe(200);
    const s = sim.json();
    expect(s.orders).toBeGreaterThan(100);
    const d = s.drafts[0];
    expect(d.totals.elderSubsidyFen).toBeGreaterThan(s.published.elderSubsidyFen);
    expect(d.totals.elderPaysFen - s.published.elderPaysFen).toBe(-(d.totals.elderSubsidyFen - s.published.elderSubsidyFen));
    expect(d.eldersPayingLess).toBeGreaterThan(0);

    const before = (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100004' })).json();
    void before;
    const pub = await city.post(`/api/v1/policies/${draft.id}/publish`);
    expect(pub.statusCode, pub.body).toBe(200);
    const old = (await city.get(`/api/v1/policies/${GZ}`)).json();
    expect(old.effectiveTo).toBe('2026-11-22');

    const id = (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' })).json();
    const order = (
      await kiosk.post(
        '/api/v1/orders',
        await withQuote(kiosk, {
          id: uuidv7(),
          residentTicket: id.ticket,
          identifyMethod: 'card',
          lines: [{ dishId: 'ct-shipai-huashi__set-diabetic', quantity: 1 }],
          paymentMethod: 'wallet',
        }),
      )
    ).json();
    expect(order.elderSubsidyFen).toBe(400); // ¥12 × 1/3 = ¥4 under the new version
    expect(order.policyVersionIds).toContain(draft.id);
    expect(order.policyVersionIds).not.toContain(GZ);
    // Older orders still say what they were priced under.
    const past = (await as(t.app, await login(t.app, 'yikang')).get('/api/v1/orders?canteenId=ct-shipai-huashi&date=2026-11-20')).json();
    expect(past.items[0].policyVersionIds).toContain(GZ);
  });

  it('what-if with the unchanged policy reproduces what was stored, to the fen', async () => {
    // The demo plants a death recorded late; undo it so the stored history is what the rules said then.
    t.ctx.db.writer.prepare("UPDATE residents SET status = 'active', status_since = NULL WHERE status = 'deceased'").run();
    const city = as(t.app, await login(t.app, 'city'));
    const copy = (await city.post('/api/v1/policies', { basedOn: GZ })).json();
    const s = (await city.post(`/api/v1/policies/${copy.id}/simulate`, { month: '2026-11' })).json();
    expect(s.orders).toBeGreaterThan(100);
    expect(s.drafts[0].totals).toEqual(s.stored);
    for (const p of s.drafts[0].byPayer) expect(p.simulatedFen).toBe(p.storedFen);
    expect(s.drafts[0].eldersPayingMore + s.drafts[0].eldersPayingLess).toBe(0);
  });

  it('layers and payers have English names: the demo policies give them, so do staff in a new version; without one, the Chinese', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    // The demo city's policies give them (GET /policies/names: by the Chinese name; any user may ask).
    const op = as(t.app, await login(t.app, 'yikang'));
    const names = await op.get('/api/v1/policies/names');
    expect(names.statusCode, names.body).toBe(200);
    expect(names.json().payers).toMatchObject({ 广州市民政局: 'Guangzhou Civil Affairs Bureau', 天河区民政局: 'Tianhe District Civil Affairs Bureau' });
    expect(names.json().layers).toMatchObject({ 就餐补贴: 'Meal subsidy', 天河区助餐提标补贴: 'Tianhe meal subsidy top-up' });
    const gz = (await city.get(`/api/v1/policies/${GZ}`)).json();
    expect(gz.layers[0]).toMatchObject({ name: '就餐补贴', nameEn: 'Meal subsidy', payerEn: 'Guangzhou Civil Affairs Bureau' });

    // A kiosk's quote carries them beside the Chinese (the kiosk in English shows them).
    const kiosk = as(t.app, await pairKiosk(t.app));
    const id = (await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' })).json();
    const q = await kiosk.post('/api/v1/quotes', { residentTicket: id.ticket, lines: [{ dishId: 'ct-shipai-huashi__set-diabetic', quantity: 1 }] });
    expect(q.statusCode, q.body).toBe(200);
    expect(q.json().subsidies[0]).toMatchObject({
      layerName: '就餐补贴',
      layerNameEn: 'Meal subsidy',
      payer: '广州市民政局',
      payerEn: 'Guangzhou Civil Affairs Bureau',
    });

    // Staff give a new version other English words: once published, the latest wins; a draft's are nobody's yet.
    const doc = structuredClone(guangzhou2024) as typeof guangzhou2024;
    doc.effectiveFrom = '2026-12-01';
    doc.layers = doc.layers.map((l) => ({ ...l, nameEn: undefined, payerEn: undefined }));
    doc.layers[0] = { ...doc.layers[0]!, nameEn: 'City meal subsidy', payerEn: 'Guangzhou Municipal Civil Affairs Bureau' };
    const draft = await city.post('/api/v1/policies', { basedOn: GZ, document: doc });
    expect(draft.statusCode, draft.body).toBe(201);
    expect((await op.get('/api/v1/policies/names')).json().layers.就餐补贴).toBe('Meal subsidy');
    expect((await city.post(`/api/v1/policies/${draft.json().id}/publish`)).statusCode).toBe(200);
    const after = (await op.get('/api/v1/policies/names')).json();
    expect(after.layers.就餐补贴).toBe('City meal subsidy');
    expect(after.payers.广州市民政局).toBe('Guangzhou Municipal Civil Affairs Bureau');
    // A layer without an English name has none (the console shows the Chinese), and the draft shows it so.
    const v2 = (await city.get(`/api/v1/policies/${draft.json().id}`)).json();
    expect(v2.layers[1]).toMatchObject({ name: '送餐补贴', nameEn: null, payerEn: null });
    // An English name is one line of text, as the Chinese one.
    const bad = { ...doc, layers: [{ ...doc.layers[0]!, nameEn: 'two\nlines' }, ...doc.layers.slice(1)] };
    expect((await city.post('/api/v1/policies/validate', { document: bad })).json().ok).toBe(false);
  });

  it('a version cannot be published to start in the past', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    const doc = structuredClone(guangzhou2024) as typeof guangzhou2024;
    doc.effectiveFrom = '2026-11-01';
    const draft = (await city.post('/api/v1/policies', { basedOn: GZ, document: doc })).json();
    const res = await city.post(`/api/v1/policies/${draft.id}/publish`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'policy_invalid', details: { issues: [{ path: 'effectiveFrom' }] } });
    expect((await city.get(`/api/v1/policies/${GZ}`)).json().effectiveTo).toBe('2029-03-31');
  });

  it('sentences name the issuing area, and say who may author', async () => {
    const tianhe = as(t.app, await login(t.app, 'tianhe'));
    const gz = (await tianhe.get(`/api/v1/policies/${GZ}`)).json();
    expect(gz.layers[0].zh).toContain('广州市户籍');
    expect(gz.canAuthor).toBe(false);
    expect((await tianhe.get('/api/v1/policies/pv-tianhe-top-up-v1')).json().canAuthor).toBe(true);
  });
});

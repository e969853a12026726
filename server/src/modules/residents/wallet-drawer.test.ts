/**
 * The resident drawer's money and cards: a card already in use is refused before any record is saved (checked as it
 * is typed and again on save); the wallet's history pages with the balance after each entry; a top-up gets a receipt
 * number and prints; a deceased or moved-out resident's balance is paid out to a named family member, leaving 0
 * and a closed wallet.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { as, login, makeApp, type TestApp } from '../../../test/helpers';

let t: TestApp;
let op: ReturnType<typeof as>;
beforeEach(async () => {
  t = await makeApp();
  op = as(t.app, await login(t.app, 'yikang'));
});
afterEach(async () => t.close());

const CANTEEN = 'ct-shipai-huashi';
const count = (sql: string, ...args: unknown[]) => (t.ctx.db.readerConn.prepare(sql).get(...args) as { n: number }).n;

function idFor(birth: string, seq: number): string {
  const body = `440106${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11];
}

const newResident = (over: Record<string, unknown> = {}) => ({
  name: '黄月娥',
  gender: 'female',
  birthDate: '1947-08-12',
  idNumber: idFor('1947-08-12', 226),
  hukouAreaCode: '440106004',
  residenceAreaCode: '440106004001',
  homeCanteenId: CANTEEN,
  ...over,
});

describe('cards', () => {
  it('a card in use is refused before the record is saved, as it is typed and on save', async () => {
    // 4401100001 is 陈秀英's card in the demo city.
    const check = await op.post('/api/v1/cards/check', { kind: 'ss_card', number: '4401100001' });
    expect(check.json()).toEqual({ available: false, holder: { id: 'rs-0001', name: expect.any(String) } });
    expect((await op.post('/api/v1/cards/check', { kind: 'senior_card', number: '4401999555' })).json()).toEqual({ available: true, holder: null });
    // Another operator learns only that it is taken.
    const other = as(t.app, await login(t.app, 'jiajia'));
    expect((await other.post('/api/v1/cards/check', { kind: 'ss_card', number: '4401100001' })).json()).toEqual({ available: false, holder: null });

    const before = count('SELECT count(*) AS n FROM residents');
    const refused = await op.post('/api/v1/residents', newResident({ cards: [{ kind: 'senior_card', number: '4401100001' }] }));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'card_in_use', details: { field: 'cards.0.number' } });
    expect(count('SELECT count(*) AS n FROM residents')).toBe(before);

    const ok = await op.post('/api/v1/residents', newResident({ cards: [{ kind: 'senior_card', number: 'sc4401999555' }] }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().cards).toMatchObject([{ kind: 'senior_card', last4: '9555' }]);
    // Adding the same card to someone else is refused with the same code.
    const again = await op.post('/api/v1/residents/rs-0001/cards', { kind: 'ss_card', number: 'SC4401999555' });
    expect(again.json().error).toMatchObject({ code: 'card_in_use', details: { field: 'number' } });
  });
});

describe('the wallet in the drawer', () => {
  it('a top-up gets a receipt number per canteen and day; the receipt prints the balance after it and who took it', async () => {
    const r = (await op.post('/api/v1/residents', newResident())).json();
    const topup = (amountFen: number) => op.post('/api/v1/wallet/topups', { id: uuidv7(), residentId: r.id, canteenId: CANTEEN, amountFen, method: 'cash' });
    const w1 = (await topup(5000)).json();
    const w2 = (await topup(2000)).json();
    expect(w2.balanceFen).toBe(7000);
    const [second, first] = w2.entries;
    expect(first.receiptNo).toBe('TH-2019-004-20261123-' + first.receiptNo.slice(-4));
    expect(Number(second.receiptNo.slice(-4))).toBe(Number(first.receiptNo.slice(-4)) + 1);
    expect(w1.entries[0].createdByName).toEqual(expect.any(String));
    const receipt = (await op.get(`/api/v1/wallet/entries/${first.id}/receipt`)).json();
    expect(receipt).toMatchObject({
      kind: 'topup',
      receiptNo: first.receiptNo,
      residentName: '黄月娥',
      amountFen: 5000,
      balanceAfterFen: 5000,
      method: 'cash',
    });
    expect(receipt.canteenName).toContain('长者饭堂');
    expect((await as(t.app, await login(t.app, 'jiajia')).get(`/api/v1/wallet/entries/${first.id}/receipt`)).statusCode).toBe(404);

    const page = (await op.get(`/api/v1/residents/${r.id}/wallet/entries?limit=1&offset=0`)).json();
    expect(page).toMatchObject({ total: 2, items: [{ id: second.id, balanceAfterFen: 7000 }] });
    expect((await op.get(`/api/v1/residents/${r.id}/wallet/entries?limit=1&offset=1`)).json().items[0]).toMatchObject({ id: first.id, balanceAfterFen: 5000 });
  });

  it('a deceased resident’s balance is paid out to a named family member: balance 0, wallet closed, audited, receipt', async () => {
    const r = (await op.post('/api/v1/residents', newResident())).json();
    await op.post('/api/v1/wallet/topups', { id: uuidv7(), residentId: r.id, canteenId: CANTEEN, amountFen: 8650, method: 'cash' });
    const payout = { id: uuidv7(), canteenId: CANTEEN, recipientName: '李建国', recipientRelation: '儿子', recipientIdLast4: '123x', method: 'cash' };
    // Only for someone who is no longer active.
    expect((await op.post(`/api/v1/residents/${r.id}/wallet/payout`, payout)).json().error).toMatchObject({ code: 'invalid_state' });
    await op.patch(`/api/v1/residents/${r.id}`, { status: 'deceased', statusSince: '2026-11-20' });
    // A transfer needs its reference; someone to identify the recipient by.
    expect((await op.post(`/api/v1/residents/${r.id}/wallet/payout`, { ...payout, method: 'transfer' })).json().error.details.issues[0].path).toBe('reference');
    expect((await op.post(`/api/v1/residents/${r.id}/wallet/payout`, { ...payout, recipientIdLast4: null })).statusCode).toBe(400);

    const paid = await op.post(`/api/v1/residents/${r.id}/wallet/payout`, payout);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({
      balanceFen: 0,
      closed: true,
      payout: { amountFen: 8650, recipientName: '李建国', recipientRelation: '儿子', recipientIdLast4: '123X', method: 'cash', residentStatus: 'deceased' },
    });
    // A retry answers the same payout; a second payout or a top-up is refused.
    expect((await op.post(`/api/v1/residents/${r.id}/wallet/payout`, payout)).json().payout.entryId).toBe(payout.id);
    expect((await op.post(`/api/v1/residents/${r.id}/wallet/payout`, { ...payout, id: uuidv7() })).json().error.code).toBe('wallet_closed');
    await op.patch(`/api/v1/residents/${r.id}`, { status: 'active' }); // recorded as deceased by mistake: still closed
    const topup = await op.post('/api/v1/wallet/topups', { id: uuidv7(), residentId: r.id, canteenId: CANTEEN, amountFen: 1000, method: 'cash' });
    expect(topup.json().error.code).toBe('wallet_closed');

    expect(count("SELECT count(*) AS n FROM wallet_entries WHERE resident_id = ? AND kind = 'payout' AND amount_fen = -8650", r.id)).toBe(1);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'wallet.payout' AND entity_id = ?", r.id)).toBe(1);
    const receipt = (await op.get(`/api/v1/wallet/entries/${payout.id}/receipt`)).json();
    expect(receipt).toMatchObject({ kind: 'payout', amountFen: 8650, balanceAfterFen: 0, recipient: { name: '李建国', relation: '儿子', idLast4: '123X' } });
  });

  it('two payouts of one wallet at once: exactly one is recorded', async () => {
    const r = (await op.post('/api/v1/residents', newResident())).json();
    await op.post('/api/v1/wallet/topups', { id: uuidv7(), residentId: r.id, canteenId: CANTEEN, amountFen: 3000, method: 'cash' });
    await op.patch(`/api/v1/residents/${r.id}`, { status: 'moved', statusSince: '2026-11-01' });
    const body = () => ({
      id: uuidv7(),
      canteenId: CANTEEN,
      recipientName: '王芳',
      recipientRelation: '女儿',
      recipientPhone: '13812345678',
      method: 'transfer',
      reference: 'WX20261123001',
    });
    const answers = await Promise.all([1, 2, 3, 4].map(() => op.post(`/api/v1/residents/${r.id}/wallet/payout`, body())));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409]);
    expect(count("SELECT count(*) AS n FROM wallet_entries WHERE resident_id = ? AND kind = 'payout'", r.id)).toBe(1);
    expect(count('SELECT sum(amount_fen) AS n FROM wallet_entries WHERE resident_id = ?', r.id)).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { guangzhou2024 } from '@yishi/shared';
import { as, login, makeApp, pairKiosk, type TestApp } from '../../../test/helpers';
import { QUOTE_MINUTES } from './quote-token';

const SET_DIABETIC = 'ct-shipai-huashi__set-diabetic'; // ¥12 at 华师: ¥3 city subsidy for a Guangzhou 户籍 elder
const LINES = [{ dishId: SET_DIABETIC, quantity: 1 }];

let t: TestApp;
let kiosk: ReturnType<typeof as>;

beforeEach(async () => {
  t = await makeApp();
  kiosk = as(t.app, await pairKiosk(t.app));
});
afterEach(async () => t.close());

async function ticketFor(card: string): Promise<string> {
  const res = await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: card });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().ticket;
}

async function quote(api: ReturnType<typeof as>, body: Record<string, unknown>) {
  const res = await api.post('/api/v1/quotes', { lines: LINES, ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    quoteId: string;
    elderPaysFen: number;
    elderSubsidyFen: number;
    mealPriceFen: number;
    operatorSubsidyFen: number;
    policyVersionIds: string[];
  };
}

function order(api: ReturnType<typeof as>, body: Record<string, unknown>) {
  return api.post('/api/v1/orders', { id: uuidv7(), lines: LINES, paymentMethod: 'wallet', identifyMethod: 'card', ...body });
}

/** City staff publish a version of the city policy that pays a third of the price (max ¥4) from today. */
async function publishRicherCityPolicy(): Promise<string> {
  const city = as(t.app, await login(t.app, 'city'));
  const doc = structuredClone(guangzhou2024) as typeof guangzhou2024;
  doc.effectiveFrom = '2026-11-23';
  doc.layers[0] = { ...doc.layers[0]!, pays: { type: 'fraction', numerator: 1, denominator: 3, capFen: 400 } };
  const draft = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1', document: doc })).json();
  expect((await city.post(`/api/v1/policies/${draft.id}/publish`)).statusCode).toBe(200);
  return draft.id;
}

describe('an order is charged the quote it names', () => {
  it('unchanged: the order costs exactly the quote, and the order keeps which quote it was', async () => {
    const ticket = await ticketFor('4401100001');
    const q = await quote(kiosk, { residentTicket: ticket });
    const body = { id: uuidv7(), lines: LINES, paymentMethod: 'wallet', identifyMethod: 'card', residentTicket: ticket, quoteId: q.quoteId };
    const res = await kiosk.post('/api/v1/orders', body);
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect({ price: o.mealPriceFen, subsidy: o.elderSubsidyFen, pays: o.elderPaysFen, operator: o.operatorSubsidyFen, versions: o.policyVersionIds }).toEqual({
      price: q.mealPriceFen,
      subsidy: q.elderSubsidyFen,
      pays: q.elderPaysFen,
      operator: q.operatorSubsidyFen,
      versions: q.policyVersionIds,
    });
    const stored = t.ctx.db.readerConn.prepare('SELECT quote_id AS quoteId FROM orders WHERE id = ?').get(o.id) as { quoteId: string };
    const tokenId = JSON.parse(Buffer.from(q.quoteId.split('.')[1]!, 'base64url').toString()).id;
    expect(stored.quoteId).toBe(tokenId);
    // Retrying the same order (the same id and body) answers with it, as always.
    const retry = await kiosk.post('/api/v1/orders', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(o.id);
  });

  it('a policy published between quote and tap: refused with the fresh quote, which then places the order at the new price', async () => {
    const ticket = await ticketFor('4401100001');
    const q = await quote(kiosk, { residentTicket: ticket });
    expect(q.elderSubsidyFen).toBe(300);
    const newVersion = await publishRicherCityPolicy();

    const refused = await order(kiosk, { residentTicket: ticket, quoteId: q.quoteId });
    expect(refused.statusCode).toBe(409);
    const err = refused.json().error;
    expect(err.code).toBe('quote_changed');
    expect(err.details.quote).toMatchObject({ elderSubsidyFen: 400, elderPaysFen: 800, mealPriceFen: 1200 });
    expect(err.details.quote.policyVersionIds).toContain(newVersion);
    // Nothing was charged or taken.
    expect((await as(t.app, await login(t.app, 'yikang')).get('/api/v1/orders?canteenId=ct-shipai-huashi&date=2026-11-23')).json().total).toBe(0);

    const placed = await order(kiosk, { residentTicket: ticket, quoteId: err.details.quote.quoteId });
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json()).toMatchObject({ elderSubsidyFen: 400, elderPaysFen: 800 });
  });

  it('a quote places one order only', async () => {
    const q = await quote(kiosk, {});
    const first = await order(kiosk, { identifyMethod: 'guest', paymentMethod: 'cash', quoteId: q.quoteId });
    expect(first.statusCode, first.body).toBe(201);
    const second = await order(kiosk, { identifyMethod: 'guest', paymentMethod: 'cash', quoteId: q.quoteId });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('quote_used');
    // Two orders racing on one quote: the database lets one through.
    const q2 = await quote(kiosk, {});
    const raced = await Promise.all([1, 2].map(() => order(kiosk, { identifyMethod: 'guest', paymentMethod: 'cash', quoteId: q2.quoteId })));
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(raced.find((r) => r.statusCode === 409)!.json().error.code).toBe('quote_used');
  });

  it('an expired quote is refused with a fresh one to confirm', async () => {
    const ticket = await ticketFor('4401100001');
    const q = await quote(kiosk, { residentTicket: ticket });
    t.clock.advance((QUOTE_MINUTES + 1) * 60_000);
    const late = await order(kiosk, { residentTicket: ticket, quoteId: q.quoteId });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('quote_expired');
    expect(late.json().error.details.quote).toMatchObject({ elderPaysFen: q.elderPaysFen, elderSubsidyFen: q.elderSubsidyFen });
    expect(late.json().error.details.quote.quoteId).not.toBe(q.quoteId);
  });

  it('a quote for another resident, another canteen or another caller, or a forged one, is refused', async () => {
    const chen = await ticketFor('4401100001');
    const zhang = await ticketFor('4401100004');
    const forChen = await quote(kiosk, { residentTicket: chen });
    const other = await order(kiosk, { residentTicket: zhang, quoteId: forChen.quoteId });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.code).toBe('quote_invalid');

    const admin = as(t.app, await login(t.app, 'admin'));
    const atHuashi = await quote(admin, { canteenId: 'ct-shipai-huashi' });
    const elsewhere = await admin.post('/api/v1/orders', {
      id: uuidv7(),
      canteenId: 'ct-beijing',
      lines: [{ dishId: 'ct-beijing__set-diabetic', quantity: 1 }],
      identifyMethod: 'guest',
      paymentMethod: 'cash',
      quoteId: atHuashi.quoteId,
    });
    expect(elsewhere.json().error.code).toBe('quote_invalid');

    // The same guest quote from another kiosk of the same canteen.
    const otherKiosk = as(t.app, await pairKiosk(t.app));
    const guestQuote = await quote(kiosk, {});
    expect((await order(otherKiosk, { identifyMethod: 'guest', paymentMethod: 'cash', quoteId: guestQuote.quoteId })).json().error.code).toBe('quote_invalid');

    const [v, payload] = guestQuote.quoteId.split('.');
    const body = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${v}.${Buffer.from(JSON.stringify({ ...body, expires: body.expires + 86_400_000 })).toString('base64url')}.${guestQuote.quoteId.split('.')[2]}`;
    expect((await order(kiosk, { identifyMethod: 'guest', paymentMethod: 'cash', quoteId: forged })).json().error.code).toBe('quote_invalid');
    expect((await order(kiosk, { identifyMethod: 'guest', paymentMethod: 'cash', quoteId: 'not-a-quote' })).json().error.code).toBe('quote_invalid');
  });

  it('a kiosk order must name its quote (offline orders carry what the kiosk priced instead); staff orders need none', async () => {
    const ticket = await ticketFor('4401100001');
    const res = await order(kiosk, { residentTicket: ticket });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'bad_request', details: { field: 'quoteId' } });
    const staff = as(t.app, await login(t.app, 'yikang'));
    const byStaff = await order(staff, {
      canteenId: 'ct-shipai-huashi',
      residentId: 'rs-0001',
      paymentMethod: 'cash',
      identifyMethod: 'staff',
      staffReason: { code: 'forgot_card', note: '' },
    });
    expect(byStaff.statusCode, byStaff.body).toBe(201);
    expect(byStaff.json().elderSubsidyFen).toBe(300);
  });
});

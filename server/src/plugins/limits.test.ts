import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { LightMyRequestResponse } from 'fastify';
import { as, login, makeApp, pairKiosk, withQuote, type TestApp } from '../../test/helpers';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const count = (rs: LightMyRequestResponse[], status: number) => rs.filter((r) => r.statusCode === status).length;

function expectRateLimited(res: LightMyRequestResponse) {
  expect(res.statusCode).toBe(429);
  expect(res.json().error.code).toBe('rate_limited');
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

function guestOrder() {
  return { id: uuidv7(), identifyMethod: 'guest', lines: [{ dishId: 'ct-shipai-huashi__mifan', quantity: 1 }], paymentMethod: 'cash' };
}

describe('rate limit per credential', () => {
  it('one kiosk spending its whole budget at once leaves another kiosk at the same address untouched', async () => {
    t = await makeApp({ config: { rateLimitPerMinute: 30 } });
    const a = as(t.app, await pairKiosk(t.app, 'ct-shipai-huashi'));
    const b = as(t.app, await pairKiosk(t.app, 'ct-shipai-huashi'));
    // 40 requests in parallel: exactly the budget passes, however they interleave.
    const burst = await Promise.all(Array.from({ length: 40 }, () => a.get('/api/v1/kiosk/state')));
    expect(count(burst, 200)).toBe(30);
    expect(count(burst, 429)).toBe(10);
    expectRateLimited(burst.find((r) => r.statusCode === 429)!);
    // Same address (inject's 127.0.0.1), another credential: a budget of its own.
    expect((await b.get('/api/v1/kiosk/state')).statusCode).toBe(200);
    // The card-tap route has a limit of its own (60 a minute), also per kiosk.
    const taps = await Promise.all(Array.from({ length: 62 }, () => b.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' })));
    expect(count(taps, 200)).toBe(60);
    expectRateLimited(taps.find((r) => r.statusCode === 429)!);
    expect((await a.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100002' })).statusCode).toBe(200);
  });

  it('console users have their own budgets, not their address’s', async () => {
    t = await makeApp({ config: { rateLimitPerMinute: 20 } });
    const op = as(t.app, await login(t.app, 'yikang'));
    const street = as(t.app, await login(t.app, 'shipai'));
    const burst = await Promise.all(Array.from({ length: 25 }, () => op.get('/api/v1/auth/me')));
    expect(count(burst, 200)).toBe(20);
    expectRateLimited(burst.find((r) => r.statusCode === 429)!);
    expect((await street.get('/api/v1/auth/me')).statusCode).toBe(200);
    // Anonymous calls from that address were not charged for the users' requests.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
  });

  it('behind a trusted proxy anonymous clients are told apart by X-Forwarded-For', async () => {
    t = await makeApp({ config: { rateLimitPerMinute: 5, trustProxy: true } });
    const from = (ip: string) => t!.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-forwarded-for': ip } });
    const first = await Promise.all(Array.from({ length: 8 }, () => from('203.0.113.7')));
    expect(count(first, 200)).toBe(5);
    expectRateLimited(first.find((r) => r.statusCode === 429)!);
    expect((await from('203.0.113.8')).statusCode).toBe(200);
    // The proxy's own address in the chain does not matter; the client's does.
    expect((await from('203.0.113.8, 10.0.0.1')).statusCode).toBe(200);
  });

  it('without a trusted proxy a forged X-Forwarded-For does not buy a fresh budget', async () => {
    t = await makeApp({ config: { rateLimitPerMinute: 5 } });
    const rs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t!.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-forwarded-for': `198.51.100.${i}` } })),
    );
    expect(count(rs, 200)).toBe(5);
    expect(count(rs, 429)).toBe(3);
  });
});

describe('load shedding', () => {
  it('refuses new writes with 503 and Retry-After while the writer queue is full; reads still answer; writes resume after', async () => {
    t = await makeApp({ config: { overload: { maxEventLoopDelayMs: 0, maxWriteQueue: 3, retryAfterSeconds: 4 } } });
    const kiosk = as(t.app, await pairKiosk(t.app));
    const db = t.ctx.db;
    // The confirm screen's quote, before the writer is held: the order is bound to it.
    const body = await withQuote(kiosk, guestOrder());
    expect(body.quoteId).toBeDefined();
    // Hold the writer inside one action, and queue three more behind it.
    let release!: () => void;
    const held = db.write(() => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setImmediate(r));
    const queued = [1, 2, 3].map(() => db.write(() => undefined));
    expect(db.pending).toBe(3);

    const shed = await kiosk.post('/api/v1/orders', body);
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('4');
    expect(shed.json().error).toMatchObject({ code: 'overloaded', details: { retryAfterSeconds: 4, queued: 3 } });
    // Nothing was written for the shed request.
    expect((await kiosk.get(`/api/v1/orders/${body.id}`)).statusCode).toBe(404);
    // Reads are not writes: the menu still answers.
    expect((await kiosk.get('/api/v1/kiosk/state')).statusCode).toBe(200);

    release();
    await Promise.all([held, ...queued]);
    expect(db.pending).toBe(0);
    // The kiosk sends the same request again, as told: it is taken.
    const again = await kiosk.post('/api/v1/orders', body);
    expect(again.statusCode, again.body).toBe(201);
  });

  it('sheds every request with 503 and Retry-After while the event loop lags, and recovers when it catches up', async () => {
    t = await makeApp({ config: { overload: { maxEventLoopDelayMs: 30, maxWriteQueue: 0, retryAfterSeconds: 2, sampleIntervalMs: 50 } } });
    const app = t.app;
    const busy = (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        /* a stalled event loop, as under a flood of work */
      }
    };
    let shed: LightMyRequestResponse | null = null;
    for (let i = 0; i < 20 && !shed; i++) {
      busy(300);
      await new Promise((r) => setTimeout(r, 5));
      const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
      if (res.statusCode === 503) shed = res;
      else expect(res.statusCode).toBe(200);
    }
    expect(shed, 'a request while the loop lagged was shed').not.toBeNull();
    expect(shed!.headers['retry-after']).toBe('2');
    expect(shed!.json().error.code).toBe('overloaded');
    // Once the loop is idle again the next sample clears the pressure.
    let ok = false;
    for (let i = 0; i < 100 && !ok; i++) {
      await new Promise((r) => setTimeout(r, 50));
      ok = (await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode === 200;
    }
    expect(ok).toBe(true);
  });
});

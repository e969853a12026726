/**
 * The edges of the wire: free text that refuses control characters on every route (newlines only where several
 * lines are expected, no formula-looking names), personal data never cached (`Cache-Control: no-store`), and the
 * errors Node's own HTTP parser raises (431, malformed requests, broken chunked bodies) in the one error shape,
 * over a real socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { ERROR_CODES } from '@yishi/shared/schemas';
import { makeApp, type TestApp } from '../helpers';
import { ACCESS_TABLE, type CallCtx } from './access-table';
import { findSides, idNumber, loginAs, pairAt, send, type Req } from './kit';

let t: TestApp;
let c: CallCtx;
let kiosk: string;
let port: number;

beforeAll(async () => {
  t = await makeApp({ config: { rateLimitPerMinute: 0 } });
  const admin = await loginAs(t.app, 'admin');
  let n = 0;
  const sides = await findSides(t, admin);
  kiosk = await pairAt(t.app, admin, sides.A.canteen);
  c = { t, app: t.app, admin, kiosk, sides, seq: () => ++n };
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => t.close());

const USER_OF = { admin: 'admin', city: 'city', district: 'tianhe', street: 'shipai', operator: 'yikang' } as const;
const sessions = new Map<string, string>();
/** Who calls a row of the access table here: the admin where it may, else another role it allows, else the kiosk. */
async function callerFor(key: string): Promise<string> {
  const who = ACCESS_TABLE[key]!.who;
  if (who === 'public' || who.includes('admin')) return c.admin;
  const role = (Object.keys(USER_OF) as (keyof typeof USER_OF)[]).find((r) => who.includes(r));
  if (!role) return kiosk;
  if (!sessions.has(role)) sessions.set(role, await loginAs(t.app, USER_OF[role]));
  return sessions.get(role)!;
}

/** Every string in a body, by its path. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}
function withValue(body: unknown, path: (string | number)[], f: (s: string) => string): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  at[last] = f(at[last] as string);
  return copy;
}
/** Secrets are hashed, never shown or exported: what they contain is their owner's business. */
const SECRET = /password/i;

describe('free text refuses control characters, on every route', () => {
  it('a NUL (or an ESC, or a bidi override) in any string of any request body is refused with 400, naming the field', async () => {
    const tried: string[] = [];
    for (const [key, row] of Object.entries(ACCESS_TABLE)) {
      if (row.websocket || row.endsSession || !key.includes(' /api/v1/')) continue;
      const tpl: Req = await row.call(c, 'A', 'admin');
      if (!tpl.payload || typeof tpl.payload !== 'object' || Buffer.isBuffer(tpl.payload)) continue;
      for (const path of stringPaths(tpl.payload)) {
        if (path.some((p) => typeof p === 'string' && SECRET.test(p))) continue;
        for (const bad of ['\u0000', '\u001b[2J', '\u202e']) {
          const res = await send(t.app, await callerFor(key), { ...tpl, payload: withValue(tpl.payload, path, (s) => `${s.slice(0, 2)}${bad}${s.slice(2)}`) });
          const where = `${key} ${path.join('.')} with ${JSON.stringify(bad)}: ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (key === 'POST /api/v1/policies/validate') {
            // This route's answer is the list of problems in the document it was given.
            expect(res.json().ok, where).toBe(false);
          } else {
            expect(res.statusCode, where).toBe(400);
            expect(ERROR_CODES as readonly string[]).toContain(res.json().error.code);
          }
        }
        tried.push(`${key} ${path.join('.')}`);
      }
    }
    // The free-text fields this walk must have reached (a route that stopped sending them would show here).
    for (const field of [
      'POST /api/v1/residents name',
      'POST /api/v1/residents/:id/categories evidence',
      'POST /api/v1/orders/:id/cancel reason',
      'POST /api/v1/canteens/:id/dishes name',
      'POST /api/v1/devices/pairing name',
      'POST /api/v1/users displayName',
      'POST /api/v1/residents/:id/categories/:categoryId/reject reason',
    ])
      expect(tried).toContain(field);
  });

  it('one line where one line is expected; several lines (CRLF made LF) in reasons and notes; names cannot start a formula', async () => {
    const admin = c.admin;
    const resident = (name: string, address = '石牌东路1号') =>
      send(t.app, admin, {
        method: 'POST',
        url: '/api/v1/residents',
        payload: {
          name,
          gender: 'female',
          birthDate: '1950-01-01',
          idNumber: idNumber(901),
          hukouAreaCode: '440106',
          residenceAreaCode: '440106004001',
          homeCanteenId: c.sides.A.canteen,
          address,
        },
      });
    for (const [name, address] of [
      ['陈\n秀英', '石牌东路1号'],
      ['=HYPERLINK("http://x","点我")', '石牌东路1号'],
      ['+8613800138000', '石牌东路1号'],
      ['@SUM(A1)', '石牌东路1号'],
      ['-陈秀英', '石牌东路1号'],
      ['陈秀英', '石牌东路\r\n1号'],
    ]) {
      const res = await resident(name!, address);
      expect(res.statusCode, `${name} / ${address}: ${res.body}`).toBe(400);
      expect(res.json().error.details.issues[0].path).toBe(name === '陈秀英' ? 'address' : 'name');
    }
    // A dish name that looks like a formula is refused; a menu note may say "=" (the export neutralises it).
    const dish = await send(t.app, admin, {
      method: 'POST',
      url: `/api/v1/canteens/${c.sides.A.canteen}/dishes`,
      payload: { name: '=1+1', category: '荤菜', priceFen: 800 },
    });
    expect(dish.statusCode).toBe(400);
    // A cancel reason may take several lines; CR LF is stored as LF.
    const order = await send(t.app, admin, {
      method: 'POST',
      url: '/api/v1/orders',
      payload: { id: uuidv7(), canteenId: c.sides.A.canteen, identifyMethod: 'guest', lines: [{ dishId: c.sides.A.dish, quantity: 1 }], paymentMethod: 'cash' },
    });
    const cancelled = await send(t.app, admin, {
      method: 'POST',
      url: `/api/v1/orders/${order.json().id}/cancel`,
      payload: { reason: '长者改变主意\r\n=改点明天' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const stored = t.ctx.db.readerConn.prepare(`SELECT details FROM audit_log WHERE action = 'order.cancel_reason' AND entity_id = ?`).get(order.json().id) as {
      details: string;
    };
    expect(JSON.parse(stored.details).reason).toBe('长者改变主意\n=改点明天');
  });
});

describe('personal data is never cached', () => {
  it('every API answer, personal data first, says Cache-Control: no-store (errors too)', async () => {
    const checked: string[] = [];
    for (const [key, row] of Object.entries(ACCESS_TABLE)) {
      if (!key.startsWith('GET /api/v1/') || row.websocket) continue;
      const res = await send(t.app, await callerFor(key), await row.call(c, 'A', 'admin'));
      expect(res.statusCode, key).toBeLessThan(300);
      expect(res.headers['cache-control'], key).toBe('no-store');
      checked.push(key);
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'GET /api/v1/residents',
        'GET /api/v1/residents/:id',
        'GET /api/v1/residents/:id/wallet',
        'GET /api/v1/orders',
        'GET /api/v1/orders/:id',
        'GET /api/v1/audit/verify',
        'GET /api/v1/users',
        'GET /api/v1/auth/me',
      ]),
    );
    const identify = await send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/identify', payload: { method: 'card', cardNumber: '4401100001' } });
    expect(identify.headers['cache-control']).toBe('no-store');
    const refused = await send(t.app, null, { method: 'GET', url: '/api/v1/residents/rs-0001' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});

describe('Node’s own parser errors answer in the error shape (over a real socket)', () => {
  /** Send raw bytes, read everything until the server closes the connection. */
  function raw(bytes: string): Promise<{ status: number; headers: string; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (d) => chunks.push(d));
      socket.on('error', () => undefined); // the server closes hard after answering
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [head = '', body = ''] = text.split('\r\n\r\n');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
        if (!status) reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
        else resolve({ status, headers: head, body });
      });
      socket.setTimeout(5000, () => socket.destroy());
      socket.write(bytes);
    });
  }
  const shape = (body: string) => JSON.parse(body) as { error: { code: string; message: string } };

  it('431 headers too large', async () => {
    const res = await raw(`GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers).toMatch(/content-type: application\/json/i);
    expect(shape(res.body).error).toEqual({ code: 'headers_too_large', message: 'the request headers are too large' });
  });

  it('400 for a request that is not HTTP, and for a header with a control character', async () => {
    for (const bytes of ['GARBAGE /\r\n\r\n', 'GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n']) {
      const res = await raw(bytes);
      expect(res.status, JSON.stringify(bytes)).toBe(400);
      expect(shape(res.body).error.code).toBe('bad_request');
      expect(res.headers).toMatch(/cache-control: no-store/i);
    }
  });

  it('400 for a body in broken chunked encoding', async () => {
    const res = await raw(
      'POST /api/v1/kiosk/pair HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{"code":"12345678"}\r\n0\r\n\r\n',
    );
    expect(res.status).toBe(400);
    expect(shape(res.body).error).toEqual({ code: 'bad_request', message: 'the request body is not in a valid transfer encoding' });
  });

  it('the server keeps answering afterwards', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(res.status).toBe(200);
  });
});

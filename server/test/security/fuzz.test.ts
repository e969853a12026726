/**
 * Bad and hostile input, generated: for every /api/v1 route that takes a body, a query or path parameters,
 * fast-check sends wrong types, huge and negative numbers, NaN-ish and unicode-odd strings, injection strings,
 * deep nesting, unknown and prototype-polluting keys — as a logged-in operator and as a kiosk. Never a 5xx;
 * every refusal has the error shape with a known code; a refused request changes nothing stored.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ERROR_CODES } from '@yishi/shared/schemas';
import { makeApp, ORIGIN, type TestApp } from '../helpers';
import { ACCESS_TABLE, type CallCtx } from './access-table';
import { findSides, loginAs, nextIp, pairAt, send, type Req } from './kit';

let t: TestApp;
let c: CallCtx;
let operator: string;
let kiosk: string;
let admin: string;
/** Staff of the roles admin does not include (category approvals are the street's and district's call). */
let street: string;

// ───────────── what "nothing changed" means ─────────────

/** Tables that legitimately change on any request: the audit log (appended on login) and sessions / device last-seen. */
const VOLATILE = new Set(['audit_log', 'sessions', '__drizzle_migrations']);
/** Tables whose every row is hashed (the rest are append-only history, for which the row count tells). */
const HASHED: Record<string, string> = {
  orders: '*',
  wallet_entries: '*',
  residents: '*',
  resident_tokens: '*',
  menu_items: '*',
  menus: '*',
  dishes: '*',
  users: '*',
  canteens: '*',
  policy_versions: '*',
  devices: 'id, canteen_id, name, credential_hash, pairing_code_hash, paired_at, revoked_at',
};

/** Row counts of every table and a hash of the rows that hold money, people and menus. */
function fingerprint(): string {
  const conn = t.ctx.db.readerConn;
  const tables = (
    conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]
  ).map((r) => r.name);
  const h = createHash('sha256');
  for (const name of tables) {
    if (VOLATILE.has(name)) continue;
    const cols = HASHED[name];
    if (cols) {
      const rows = conn.prepare(`SELECT ${cols} FROM "${name}" ORDER BY rowid`).raw().all();
      h.update(`${name}:${rows.length}:${JSON.stringify(rows)}\n`);
    } else {
      h.update(`${name}:${(conn.prepare(`SELECT count(*) FROM "${name}"`).raw().get() as number[])[0]}\n`);
    }
  }
  return h.digest('hex');
}
/** Rows written by the writer connection so far: a cheap first check; the fingerprint settles it. */
const writes = () => (t.ctx.db.writer.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

let baseline = { writes: 0, print: '' };
function rebase() {
  baseline = { writes: writes(), print: fingerprint() };
}
/** Nothing stored changed since the baseline (no row written at all, or what was written left no trace). */
function expectUnchanged(what: string) {
  if (writes() === baseline.writes) return;
  expect(fingerprint(), `${what} changed stored data`).toBe(baseline.print);
  baseline.writes = writes();
}

const CODES = ERROR_CODES as readonly string[];

/** The contract every answer to hostile input keeps. */
function judge(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    let body: { error?: { code?: unknown; message?: unknown } } | undefined;
    try {
      body = res.json();
    } catch {
      body = undefined;
    }
    expect(body?.error, `${what}: error shape of ${res.body.slice(0, 200)}`).toBeDefined();
    expect(CODES, `${what}: code`).toContain(body!.error!.code);
    expect(typeof body!.error!.message, `${what}: message`).toBe('string');
    if (writes() !== baseline.writes) {
      // Something was written while refusing: allowed only if it left nothing behind (a rolled-back action).
      expect(fingerprint(), `${what} was refused (${res.statusCode}) but changed stored data`).toBe(baseline.print);
      baseline.writes = writes();
    }
  } else if (writes() !== baseline.writes) {
    rebase(); // a generated input that happened to be valid did its job; measure from here
  }
}

function hit(cookie: string, req: Req & { rawPayload?: string; contentType?: string }) {
  return t.app.inject({
    method: req.method,
    url: req.url,
    ...(req.rawPayload !== undefined ? { payload: req.rawPayload } : req.payload !== undefined ? { payload: req.payload as object } : {}),
    headers: { cookie, origin: ORIGIN, ...(req.rawPayload !== undefined ? { 'content-type': req.contentType ?? 'application/json' } : {}) },
    remoteAddress: nextIp(),
  });
}

// ───────────── generators ─────────────

const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202e\u2066evil\u2069', // RTL override / isolates
  '\u200b\u200c\u200d\ufeff', // zero-width
  '👵🏻🍚👨‍👩‍👧‍👦',
  '\ud800', // lone surrogate
  'ＡＢＣ１２３', // full-width
  'İstanbul ǅ ß ﬁ',
  "' OR '1'='1' --",
  '"; DROP TABLE orders; --',
  '1; UPDATE wallet_entries SET amount_fen = 99999999',
  '%',
  '_',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}',
  '../../../../etc/passwd',
  '%2e%2e%2f',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '1e309',
  '0x1F',
  'null',
  'undefined',
  'true',
  '__proto__',
  'constructor',
  'rs-0001',
  'ct-yuancun',
  '9'.repeat(40),
  'x'.repeat(3000),
];
const nastyString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const nastyNumber = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, -0.5, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 100_000_001, -100_000_001, 1e21),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const nastyKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'amountFen',
    'priceFen',
    'elderPaysFen',
    'elderSubsidyFen',
    'balanceFen',
    'role',
    'canSeeIdNumbers',
    'state',
    'id',
  ),
  fc.string({ maxLength: 12 }),
);
const { value: nastyValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    nastyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyKey, tie('value'), { maxKeys: 4 }),
  ),
}));
/** Bodies that are not even JSON, or JSON built to hurt the parser. */
const rawBody = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    'null',
    '[]',
    '"just a string"',
    '12',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"a":1,"a":2}',
    `${'['.repeat(3000)}${']'.repeat(3000)}`,
    `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`,
    '{"n": 1e999999}',
    '\ufeff{}',
  ),
  fc.string({ maxLength: 60 }),
);

/** A valid request for the route (from the access table) so that mutations test one thing at a time. */
async function template(key: string): Promise<Req | null> {
  // A lucky valid mutation may have sold the test dish out; put it back so the next template can order it.
  for (const side of [c.sides.A, c.sides.B]) {
    await send(t.app, admin, {
      method: 'POST',
      url: `/api/v1/canteens/${side.canteen}/menus/2026-11-23/lunch/items/${side.dish}/portions`,
      payload: { portions: null },
    });
    await send(t.app, admin, {
      method: 'POST',
      url: `/api/v1/canteens/${side.canteen}/menus/2026-11-23/lunch/items/${side.dish}/sold-out`,
      payload: { soldOut: false },
    });
  }
  const row = ACCESS_TABLE[key];
  if (!row || row.websocket) return null;
  return row.call(c, 'A', 'yikang');
}

/** Replace one field (or one field of the first line) of a valid body, or add a stray one. */
function mutations(payload: Record<string, unknown>) {
  const keys = Object.keys(payload);
  type Kind = 'extra' | 'replace' | 'line';
  const arbs: fc.Arbitrary<{ kind: Kind; key: string; value: unknown }>[] = [fc.record({ kind: fc.constant<Kind>('extra'), key: nastyKey, value: nastyValue })];
  if (keys.length) arbs.push(fc.record({ kind: fc.constant<Kind>('replace'), key: fc.constantFrom(...keys), value: nastyValue }));
  if (Array.isArray(payload.lines))
    arbs.push(fc.record({ kind: fc.constant<Kind>('line'), key: fc.constantFrom('dishId', 'quantity', 'priceFen'), value: nastyValue }));
  return fc.oneof(...arbs).map(({ kind, key, value }) => {
    const p: Record<string, unknown> = JSON.parse(JSON.stringify(payload));
    if (kind === 'line') (p.lines as Record<string, unknown>[])[0]![key] = value;
    else Object.defineProperty(p, key, { value, enumerable: true, configurable: true, writable: true });
    return { desc: `${kind} ${key}=${JSON.stringify(value)?.slice(0, 80)}`, payload: p };
  });
}

/** The tests that walk every route grow with the app: they get more than the default 30 s. */
const WALK_TIMEOUT = 180_000;
const RUNS = 10;
const RUNS_SMALL = 6;
const SKIP_MUTATION = new Set(['POST /api/v1/auth/password', 'POST /api/v1/auth/login']); // a lucky valid mutation would change the demo password

// ───────────── setup ─────────────

beforeAll(async () => {
  // Rate limits count per credential (plugins/limits.test.ts); walking every route many times as one user would
  // run into them, so they are off here.
  t = await makeApp({ config: { rateLimitPerMinute: 0 } });
  admin = await loginAs(t.app, 'admin');
  let n = 0;
  const sides = await findSides(t, admin);
  operator = await loginAs(t.app, 'yikang');
  street = await loginAs(t.app, 'shipai');
  kiosk = await pairAt(t.app, admin, sides.A.canteen);
  c = { t, app: t.app, admin, kiosk, sides, seq: () => ++n };
});
afterAll(async () => t.close());

/** Who fuzzes a route: a caller the route lets in (so the input reaches validation) — the operator where it may,
 * else the admin, else street staff — and the kiosk too where kiosks may call it. */
function callersOf(r: { access?: unknown }): string[] {
  const a = r.access as { roles?: readonly string[]; device?: boolean } | undefined;
  const out: string[] = [];
  if (a?.roles?.includes('operator') || !a?.roles) out.push(operator);
  else if (a.roles.includes('admin')) out.push(admin);
  else if (a.roles.includes('street')) out.push(street);
  else if (a.roles.length > 0) throw new Error(`no fuzz caller for roles ${a.roles.join(', ')}: add one`);
  if (a?.device) out.push(kiosk);
  return out;
}
const firstCaller = (r: { access?: unknown }) => callersOf(r)[0] ?? kiosk;

const apiRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api/v1') && r.method !== 'HEAD' && !r.websocket);

describe('generated hostile input to every route', () => {
  it(
    'bodies: junk, broken JSON and mutated valid bodies — as an operator and as a kiosk',
    async () => {
      for (const r of apiRoutes().filter((x) => x.takes.body)) {
        const key = `${r.method} ${r.url}`;
        const tpl = await template(key);
        if (!tpl) continue;
        rebase();
        for (const cookie of callersOf(r)) {
          await fc.assert(
            fc.asyncProperty(nastyValue, async (payload) => {
              judge(await hit(cookie, { ...tpl, payload: payload === null ? undefined : payload }), `${key} body ${JSON.stringify(payload)?.slice(0, 120)}`);
            }),
            { numRuns: RUNS },
          );
          await fc.assert(
            fc.asyncProperty(
              rawBody,
              fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml'),
              async (raw, type) => {
                judge(await hit(cookie, { ...tpl, rawPayload: raw, contentType: type }), `${key} raw ${type} ${raw.slice(0, 60)}`);
              },
            ),
            { numRuns: RUNS },
          );
          if (tpl.payload && typeof tpl.payload === 'object' && !SKIP_MUTATION.has(key)) {
            await fc.assert(
              fc.asyncProperty(mutations(tpl.payload as Record<string, unknown>), async ({ desc, payload }) => {
                judge(await hit(cookie, { ...tpl, payload }), `${key} ${desc}`);
              }),
              { numRuns: RUNS },
            );
          }
        }
        expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
      }
    },
    WALK_TIMEOUT,
  );

  it(
    'path parameters: odd characters, encodings, lengths',
    async () => {
      const param = fc.oneof(
        nastyString.filter((s) => s.length > 0),
        fc.constantFrom('%E0%A4%A', '%', '%00', '..%2F..', 'a'.repeat(300), '%F0%9F%98%80'),
      );
      const enc = (s: string) => {
        try {
          return encodeURIComponent(s);
        } catch {
          return '%ED%A0%80'; // a lone surrogate, as a browser would send it
        }
      };
      for (const r of apiRoutes().filter((x) => x.takes.params)) {
        const key = `${r.method} ${r.url}`;
        const tpl = await template(key);
        rebase();
        await fc.assert(
          fc.asyncProperty(param, fc.boolean(), async (p, encode) => {
            const value = encode ? enc(p) : p.replace(/[/?#\s]/g, '');
            const url = r.url.replace(/:\w+/g, value || 'x');
            const req: Req = { method: r.method as Req['method'], url, ...(tpl?.payload !== undefined ? { payload: tpl.payload } : {}) };
            for (const cookie of callersOf(r)) judge(await hit(cookie, req), `${key} params ${url.slice(0, 120)}`);
          }),
          { numRuns: RUNS_SMALL },
        );
      }
    },
    WALK_TIMEOUT,
  );

  it(
    'query strings: unknown and repeated keys, junk values, huge limits',
    async () => {
      rebase();
      const pair = fc.tuple(
        fc.oneof(
          fc.constantFrom('limit', 'offset', 'canteenId', 'date', 'from', 'to', 'q', 'state', 'residentId', '__proto__', 'constructor', 'a[b]', 'limit[]'),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(nastyString, nastyNumber.map(String)),
      );
      for (const r of apiRoutes().filter((x) => x.takes.querystring || x.method === 'GET')) {
        const key = `${r.method} ${r.url}`;
        const tpl = await template(key);
        if (!tpl) continue;
        const base = tpl.url.split('?')[0]!;
        rebase();
        await fc.assert(
          fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 5 }), async (pairs) => {
            const qs = pairs
              .map(([k, v]) => `${encodeURIComponent(k.replace(/[\ud800-\udfff]/g, ''))}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}`)
              .join('&');
            judge(await hit(firstCaller(r), { method: tpl.method, url: `${base}?${qs}` }), `${key} ?${qs.slice(0, 120)}`);
          }),
          { numRuns: RUNS_SMALL },
        );
      }
    },
    WALK_TIMEOUT,
  );

  it('left nothing behind: the stored data is what it was after the last accepted request', () => {
    expect(fingerprint()).toBe(baseline.print);
  });
});

describe('specific refusals', () => {
  it('an unknown field is refused (400 bad_request) on every route with a body, and nothing changes', async () => {
    for (const r of apiRoutes().filter((x) => x.takes.body)) {
      const key = `${r.method} ${r.url}`;
      const tpl = await template(key);
      if (!tpl || typeof tpl.payload !== 'object' || tpl.payload === null) continue;
      rebase();
      for (const extra of [{ sneaky: 1 }, { isAdmin: true }]) {
        const res = await hit(firstCaller(r), { ...tpl, payload: { ...(tpl.payload as object), ...extra } });
        expect(res.statusCode, `${key} + ${JSON.stringify(extra)}: ${res.body}`).toBe(400);
        expect(res.json().error.code).toBe('bad_request');
      }
      for (const raw of [
        `{"__proto__":{"polluted":1},${JSON.stringify(tpl.payload).slice(1)}`,
        `{"constructor":{"prototype":{"polluted":1}},${JSON.stringify(tpl.payload).slice(1)}`,
      ]) {
        const res = await hit(firstCaller(r), { ...tpl, rawPayload: raw });
        expect(res.statusCode, `${key} ${raw.slice(0, 40)}: ${res.body}`).toBe(400);
        expect(res.json().error.code).toBe('bad_request');
      }
      expectUnchanged(key);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('clients cannot send a price, a subsidy or a balance', async () => {
    const line = { dishId: c.sides.A.dish, quantity: 1 };
    const order = { id: crypto.randomUUID(), canteenId: c.sides.A.canteen, identifyMethod: 'guest', lines: [line], paymentMethod: 'cash' };
    rebase();
    for (const extra of [
      { elderPaysFen: 0 },
      { mealPriceFen: 1 },
      { elderSubsidyFen: 1200 },
      { balanceFen: 1e6 },
      { policyVersionIds: [] },
      { state: 'paid' },
    ]) {
      for (const url of ['/api/v1/quotes', '/api/v1/orders']) {
        const res = await hit(operator, {
          method: 'POST',
          url,
          payload: { ...order, ...(url === '/api/v1/quotes' ? { id: undefined, identifyMethod: undefined, paymentMethod: undefined } : {}), ...extra },
        });
        expect(res.statusCode, `${url} ${JSON.stringify(extra)}`).toBe(400);
      }
    }
    for (const l of [
      { ...line, priceFen: 1 },
      { ...line, unitPriceFen: 1 },
      { ...line, quantity: -1 },
      { ...line, quantity: 0 },
      { ...line, quantity: 1e9 },
      { ...line, quantity: 1.5 },
      { ...line, quantity: '1' },
    ]) {
      const res = await hit(operator, { method: 'POST', url: '/api/v1/orders', payload: { ...order, lines: [l] } });
      expect(res.statusCode, JSON.stringify(l)).toBe(400);
    }
    for (const amountFen of [-100, 0, 99, 200_001, 1e12, 10.5, Number.MAX_SAFE_INTEGER]) {
      const res = await hit(operator, {
        method: 'POST',
        url: '/api/v1/wallet/topups',
        payload: { id: crypto.randomUUID(), residentId: c.sides.A.resident, canteenId: c.sides.A.canteen, amountFen, method: 'cash' },
      });
      expect(res.statusCode, String(amountFen)).toBe(400);
    }
    const res = await hit(operator, {
      method: 'POST',
      url: '/api/v1/wallet/topups',
      payload: { id: crypto.randomUUID(), residentId: c.sides.A.resident, canteenId: c.sides.A.canteen, amountFen: 1000, method: 'cash', balanceFen: 0 },
    });
    expect(res.statusCode).toBe(400);
    expectUnchanged('prices, subsidies and balances');
  });

  it('an oversized body is 413 payload_too_large on every route with a body; a lying Content-Length too', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(300 * 1024) });
    for (const r of apiRoutes().filter((x) => x.takes.body)) {
      const tpl = await template(`${r.method} ${r.url}`);
      if (!tpl) continue;
      const res = await hit(firstCaller(r), { ...tpl, rawPayload: big });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(413);
      expect(res.json().error.code).toBe('payload_too_large');
    }
    const lying = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: '{}',
      headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024 * 1024), origin: ORIGIN },
      remoteAddress: nextIp(),
    });
    expect(lying.statusCode).toBe(413);
    expect(lying.json().error.code).toBe('payload_too_large');
  });

  it('framework-level refusals keep the error shape: bad JSON, wrong media type, bad %-escapes, over-long params, unknown routes', async () => {
    const cases: [Req & { rawPayload?: string; contentType?: string }, number][] = [
      [{ method: 'POST', url: '/api/v1/auth/login', rawPayload: '{bad' }, 400],
      [{ method: 'POST', url: '/api/v1/auth/login', rawPayload: '' }, 400],
      [{ method: 'POST', url: '/api/v1/auth/login', rawPayload: 'a=b', contentType: 'application/x-www-form-urlencoded' }, 415],
      [{ method: 'GET', url: '/api/v1/canteens/%E0%A4%A' }, 400],
      [{ method: 'GET', url: `/api/v1/canteens/${'a'.repeat(500)}` }, 414],
      [{ method: 'GET', url: '/api/v1/residents?limit=1&limit=2' }, 400],
      [{ method: 'GET', url: '/api/v1/orders?canteenId=ct-shipai-huashi&canteenId=ct-yuancun' }, 400],
      [{ method: 'GET', url: '/api/v1/no-such-thing' }, 404],
      [{ method: 'DELETE', url: '/api/v1/health' }, 404],
    ];
    for (const [req, status] of cases) {
      const res = await hit(operator, req);
      expect(res.statusCode, `${req.method} ${req.url.slice(0, 60)}: ${res.body}`).toBe(status);
      const body = res.json();
      expect(CODES).toContain(body.error.code);
      expect(typeof body.error.message).toBe('string');
    }
  });

  it('refused writes from a kiosk change nothing either (orders for a resident id, other canteens, junk tickets)', async () => {
    rebase();
    const line = { dishId: c.sides.A.dish, quantity: 1 };
    const bodies = [
      { id: crypto.randomUUID(), residentId: c.sides.A.resident, identifyMethod: 'card', lines: [line], paymentMethod: 'wallet' },
      {
        id: crypto.randomUUID(),
        canteenId: c.sides.B.canteen,
        identifyMethod: 'guest',
        lines: [{ dishId: c.sides.B.dish, quantity: 1 }],
        paymentMethod: 'cash',
      },
      { id: crypto.randomUUID(), residentTicket: 'forged.ticket.value', identifyMethod: 'card', lines: [line], paymentMethod: 'wallet' },
      { id: crypto.randomUUID(), residentTicket: null, identifyMethod: 'card', lines: [line], paymentMethod: 'wallet' },
    ];
    for (const b of bodies)
      judge(await send(t.app, kiosk, { method: 'POST', url: '/api/v1/orders', payload: b }), `kiosk order ${JSON.stringify(b).slice(0, 80)}`);
    expectUnchanged('kiosk orders');
  });
});

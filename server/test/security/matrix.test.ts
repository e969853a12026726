/**
 * The role matrix: every route the app has, called as every kind of caller, with ids of a canteen (and its
 * resident, order, dish …) inside and outside the caller's scope; the answer must be exactly what the access
 * table (access-table.ts) allows. A route the table does not know fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@yishi/shared';
import type { WebSocket } from 'ws';
import { ERROR_CODES } from '@yishi/shared/schemas';
import { makeApp, ORIGIN, type TestApp } from '../helpers';
import { ACCESS_TABLE, type CallCtx, type Rule } from './access-table';
import { CALLERS, findSides, loginAs, pairAt, send, SIDES_OF, type Caller, type Req, type SideName } from './kit';

const ROLE_OF: Record<Exclude<Caller, 'anon' | 'kiosk'>, Role> = {
  yikang: 'operator',
  jiajia: 'operator',
  shipai: 'street',
  tianhe: 'district',
  city: 'city',
  admin: 'admin',
};

let t: TestApp;
let c: CallCtx;
let kioskCookie: string;
const sessions = new Map<Caller, string>();

async function cookieOf(caller: Caller, fresh: boolean): Promise<string | null> {
  if (caller === 'anon') return null;
  if (caller === 'kiosk') return kioskCookie;
  if (fresh) return loginAs(t.app, caller);
  if (!sessions.has(caller)) sessions.set(caller, await loginAs(t.app, caller));
  return sessions.get(caller)!;
}

interface Expected {
  status: number | 'any<400';
  codes?: readonly string[];
}

function expected(rule: Rule, caller: Caller, side: SideName): Expected {
  const ok: Expected = { status: rule.ok ?? 200 };
  if (rule.who === 'public') return ok;
  const who = rule.who;
  const allowed = caller === 'anon' ? false : caller === 'kiosk' ? who.includes('device') : who.includes(ROLE_OF[caller]);
  if (!allowed) return caller === 'anon' || caller === 'kiosk' ? { status: 401, codes: ['unauthenticated'] } : { status: 403, codes: ['forbidden'] };
  const inScope = rule.scoped === false || (rule.inScope ? rule.inScope(caller, side) : SIDES_OF[caller].includes(side));
  if (inScope) return ok;
  const out = rule.out ?? 404;
  return { status: out, codes: out === 404 ? ['not_found', 'resident_not_found', 'menu_not_found'] : out === 403 ? ['forbidden'] : ['bad_request'] };
}

function matches(e: Expected, status: number): boolean {
  return e.status === 'any<400' ? status < 400 : e.status === status;
}

/** Call one row as one caller on one side; return a line describing a mismatch, or null. */
async function check(key: string, rule: Rule, caller: Caller, side: SideName, method?: 'HEAD'): Promise<string | null> {
  const req: Req = await rule.call(c, side, caller);
  const cookie = await cookieOf(caller, rule.endsSession === true && caller !== 'anon' && caller !== 'kiosk');
  const res = await send(t.app, cookie, method ? { ...req, method, payload: undefined } : req);
  await rule.after?.(c, caller);
  if (rule.endsSession && caller !== 'anon' && caller !== 'kiosk') {
    sessions.delete(caller);
    if (caller === 'admin') c.admin = await loginAs(t.app, 'admin');
  }
  const e = expected(rule, caller, side);
  const where = `${method ?? req.method} ${key.split(' ')[1]} as ${caller} (side ${side})`;
  if (!matches(e, res.statusCode)) return `${where}: expected ${e.status}, got ${res.statusCode} ${res.body.slice(0, 160)}`;
  if (res.statusCode >= 400 && method !== 'HEAD') {
    const body = res.json() as { error?: { code?: string; message?: string } };
    if (!body.error || typeof body.error.message !== 'string' || !(ERROR_CODES as readonly string[]).includes(body.error.code ?? ''))
      return `${where}: bad error shape ${res.body}`;
    if (e.codes && !e.codes.includes(body.error.code!)) return `${where}: expected code ${e.codes.join('|')}, got ${body.error.code}`;
  }
  return null;
}

beforeAll(async () => {
  t = await makeApp();
  const admin = await loginAs(t.app, 'admin');
  let n = 0;
  const sides = await findSides(t, admin);
  kioskCookie = await pairAt(t.app, admin, sides.A.canteen);
  c = { t, app: t.app, admin, kiosk: kioskCookie, sides, seq: () => ++n };
});
afterAll(async () => t.close());

describe('the access table covers every route', () => {
  it('every registered route has a row, and every row a route (a new route without a declared rule fails here)', () => {
    const registered = new Set(t.app.routeTable.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`));
    const missing = [...registered].filter((k) => !(k in ACCESS_TABLE));
    const stale = Object.keys(ACCESS_TABLE).filter((k) => !registered.has(k));
    expect(missing, 'routes with no row in server/test/security/access-table.ts — add who may call them').toEqual([]);
    expect(stale, 'rows for routes the app no longer has').toEqual([]);
    // HEAD routes are the GET routes' twins and must carry the same rule.
    for (const h of t.app.routeTable.filter((r) => r.method === 'HEAD' && r.url.startsWith('/api/v1'))) {
      const twin = t.app.routeTable.find((r) => r.method === 'GET' && r.url === h.url);
      expect(twin, `HEAD ${h.url} has no GET twin`).toBeDefined();
      expect(h.access).toEqual(twin!.access);
    }
  });

  it('every /api/v1 route declares an access rule, and public ones are exactly those the table says', () => {
    for (const r of t.app.routeTable.filter((x) => x.url.startsWith('/api/v1'))) {
      expect(r.access, `${r.method} ${r.url}`).toBeDefined();
      const row = ACCESS_TABLE[`${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`]!;
      expect('public' in r.access!, `${r.method} ${r.url} public?`).toBe(row.who === 'public');
      if (row.who !== 'public' && !('public' in r.access!)) {
        // The declared roles are at least as wide as the table's (services narrow further, e.g. reveal-id).
        for (const w of row.who) {
          if (w === 'device') expect(r.access!.device, `${r.method} ${r.url} device`).toBe(true);
          else expect(r.access!.roles, `${r.method} ${r.url}`).toContain(w);
        }
        if (!row.who.includes('device')) expect(r.access!.device ?? false, `${r.method} ${r.url} device`).toBe(false);
      }
    }
  });
});

describe('every route as every caller, in and out of scope', () => {
  for (const [key, rule] of Object.entries(ACCESS_TABLE)) {
    it(
      key,
      async () => {
        const problems: string[] = [];
        if (rule.websocket) {
          // Over plain HTTP a WebSocket route only has to refuse the anonymous; the upgrade is tested below.
          const p = await check(key, rule, 'anon', 'A');
          if (p) problems.push(p);
        } else {
          const hasHead = key.startsWith('GET ') && t.app.routeTable.some((r) => r.method === 'HEAD' && r.url === key.slice(4));
          for (const caller of CALLERS) {
            for (const side of rule.scoped === false ? (['A'] as const) : (['A', 'B'] as const)) {
              const p = await check(key, rule, caller, side);
              if (p) problems.push(p);
              if (hasHead) {
                const h = await check(key, rule, caller, side, 'HEAD');
                if (h) problems.push(h);
              }
            }
          }
        }
        expect(problems).toEqual([]);
      },
      rule.timeout,
    );
  }
});

describe('lists show only what is in scope', () => {
  it('canteens, residents and orders lists hold nothing of another canteen or area', async () => {
    const yikang = await loginAs(t.app, 'yikang');
    const shipai = await loginAs(t.app, 'shipai');
    const mine = ['ct-shipai-huashi', 'ct-beijing', 'ct-nanhuaxi'];
    const canteens = (await send(t.app, yikang, { method: 'GET', url: '/api/v1/canteens' })).json() as { id: string }[];
    expect(canteens.map((x) => x.id).sort()).toEqual([...mine].sort());
    const residents = (await send(t.app, yikang, { method: 'GET', url: '/api/v1/residents?limit=200' })).json() as {
      items: { homeCanteenId: string }[];
      total: number;
    };
    expect(residents.total).toBeGreaterThan(0);
    expect(residents.items.every((r) => mine.includes(r.homeCanteenId))).toBe(true);
    const orders = (await send(t.app, yikang, { method: 'GET', url: '/api/v1/orders?limit=500' })).json() as { items: { canteenId: string }[] };
    expect(orders.items.length).toBeGreaterThan(0);
    expect(orders.items.every((o) => mine.includes(o.canteenId))).toBe(true);
    const street = (await send(t.app, shipai, { method: 'GET', url: '/api/v1/residents?limit=200' })).json() as { items: { residenceAreaCode: string }[] };
    expect(street.items.every((r) => r.residenceAreaCode.startsWith('440106004'))).toBe(true);
    const streetCanteens = (await send(t.app, shipai, { method: 'GET', url: '/api/v1/canteens' })).json() as { streetCode: string }[];
    expect(streetCanteens.every((x) => x.streetCode === '440106004')).toBe(true);
  });

  it('an operator cannot use another canteen’s resident by editing the id into an order, quote, top-up or order search', async () => {
    const yikang = await loginAs(t.app, 'yikang');
    const other = c.sides.B.resident;
    const base = { canteenId: 'ct-shipai-huashi', lines: [{ dishId: c.sides.A.dish, quantity: 1 }] };
    const quote = await send(t.app, yikang, { method: 'POST', url: '/api/v1/quotes', payload: { ...base, residentId: other } });
    expect(quote.statusCode, quote.body).toBe(404);
    const order = await send(t.app, yikang, {
      method: 'POST',
      url: '/api/v1/orders',
      payload: { ...base, id: crypto.randomUUID(), residentId: other, identifyMethod: 'staff', paymentMethod: 'wallet' },
    });
    expect(order.statusCode, order.body).toBe(404);
    const topup = await send(t.app, yikang, {
      method: 'POST',
      url: '/api/v1/wallet/topups',
      payload: { id: crypto.randomUUID(), residentId: other, canteenId: 'ct-shipai-huashi', amountFen: 1000, method: 'cash' },
    });
    expect(topup.statusCode, topup.body).toBe(404);
    const search = await send(t.app, yikang, { method: 'GET', url: `/api/v1/orders?residentId=${other}` });
    expect(search.statusCode).toBe(404);
    // The kiosk cannot name a resident by id either: it needs a ticket from identify.
    const kiosk = await send(t.app, kioskCookie, { method: 'POST', url: '/api/v1/quotes', payload: { lines: base.lines, residentId: c.sides.A.resident } });
    expect(kiosk.statusCode).toBe(403);
  });

  it('a kiosk ticket from one kiosk is worthless at another', async () => {
    const other = await pairAt(t.app, c.admin, 'ct-shipai-huashi');
    const id = await send(t.app, kioskCookie, { method: 'POST', url: '/api/v1/kiosk/identify', payload: { method: 'card', cardNumber: '4401100001' } });
    expect(id.statusCode).toBe(200);
    const res = await send(t.app, other, {
      method: 'POST',
      url: '/api/v1/quotes',
      payload: { residentTicket: id.json().ticket, lines: [{ dishId: c.sides.A.dish, quantity: 1 }] },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});

describe('WebSocket /api/v1/live', () => {
  type Opened = { ws: WebSocket; messages: unknown[]; closedWith(): Promise<number | null> };
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  };
  async function open(url: string, cookie: string | null, origin = ORIGIN): Promise<Opened> {
    const messages: unknown[] = [];
    let code: number | null = null;
    const ws = await t.app.injectWS(
      url,
      { headers: { host: 'localhost:80', ...(cookie ? { cookie } : {}), origin } },
      {
        onInit: (w) => {
          w.on('message', (m) => messages.push(JSON.parse(String(m))));
          // Over the in-process stream the 'close' event waits for the stream to end; the close frame is what counts.
          w.on('close', (c) => (code = c));
        },
      },
    );
    return {
      ws,
      messages,
      closedWith: async () => {
        await until(() => code !== null || ws.readyState >= ws.CLOSING);
        return code ?? (ws as unknown as { _closeCode?: number })._closeCode ?? null;
      },
    };
  }

  it('refuses an anonymous upgrade, and one with a dead session', async () => {
    await expect(open('/api/v1/live', null)).rejects.toThrow(/401/);
    await expect(open('/api/v1/live', 'yishi_session=not-a-real-session-token-at-all')).rejects.toThrow(/401/);
  });

  it('refuses a cookie-authenticated upgrade from a foreign Origin (cross-site WebSocket hijacking)', async () => {
    const yikang = await loginAs(t.app, 'yikang');
    await expect(open('/api/v1/live', yikang, 'https://evil.example')).rejects.toThrow(/403/);
  });

  it('an operator cannot subscribe to another operator’s canteen; the default subscription is only their own', async () => {
    const yikang = await loginAs(t.app, 'yikang');
    const refused = await open('/api/v1/live?canteenId=ct-xiaogang', yikang);
    expect(await refused.closedWith()).toBe(1008);
    expect(refused.messages).toEqual([]);

    const s = await open('/api/v1/live', yikang);
    await until(() => s.messages.length > 0);
    expect(s.messages[0]).toEqual({ type: 'hello', canteenIds: expect.arrayContaining(['ct-shipai-huashi', 'ct-beijing', 'ct-nanhuaxi']) });
    expect((s.messages[0] as { canteenIds: string[] }).canteenIds).toHaveLength(3);
    t.ctx.bus.publish({ type: 'menu.changed', canteenId: 'ct-xiaogang', serviceDate: '2026-11-23', mealPeriod: 'lunch' });
    t.ctx.bus.publish({ type: 'menu.changed', canteenId: 'ct-shipai-huashi', serviceDate: '2026-11-23', mealPeriod: 'lunch' });
    await until(() => s.messages.length > 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.messages.slice(1)).toEqual([{ type: 'menu.changed', canteenId: 'ct-shipai-huashi', serviceDate: '2026-11-23', mealPeriod: 'lunch' }]);
    s.ws.close();
  });

  it('a kiosk hears only its own canteen, and cannot ask for another', async () => {
    const refused = await open('/api/v1/live?canteenId=ct-xiaogang', kioskCookie);
    expect(await refused.closedWith()).toBe(1008);
    expect(refused.messages).toEqual([]);
    const s = await open('/api/v1/live', kioskCookie);
    await until(() => s.messages.length > 0);
    expect(s.messages[0]).toEqual({ type: 'hello', canteenIds: ['ct-shipai-huashi'] });
    s.ws.close();
  });
});

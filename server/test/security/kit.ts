/**
 * Shared pieces of the security tests: the callers (every role, a kiosk, nobody), the two sides of the
 * demo city every scoped call is made against, and an inject that gives each call its own client address
 * (so per-route rate limits such as login 20/min and pairing 10/min do not trip while we walk the matrix).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { DEMO_PASSWORD } from '../../src/seed';
import { cookieOf, ORIGIN, type TestApp } from '../helpers';

export type Caller = 'anon' | 'kiosk' | 'yikang' | 'jiajia' | 'shipai' | 'tianhe' | 'city' | 'admin';
export const CALLERS: readonly Caller[] = ['anon', 'kiosk', 'yikang', 'jiajia', 'shipai', 'tianhe', 'city', 'admin'];

/**
 * Side A is the 华师 canteen (ct-shipai-huashi: operator yikang, street 石牌 440106004, district 天河 440106) and a
 * resident who lives there and eats there. Side B is 晓港湾 (ct-xiaogang: operator jiajia, 海珠 440105) and one
 * of its residents: outside yikang's canteens, outside 石牌 and outside 天河.
 */
export type SideName = 'A' | 'B';
export const SIDES_OF: Record<Caller, readonly SideName[]> = {
  anon: [],
  kiosk: ['A'], // paired at ct-shipai-huashi
  yikang: ['A'],
  jiajia: ['B'],
  shipai: ['A'],
  tianhe: ['A'],
  city: ['A', 'B'],
  admin: ['A', 'B'],
};

export interface Side {
  canteen: string;
  resident: string;
  residenceAreaCode: string;
  /** A dish on today's lunch menu (made unlimited, so test orders never sell out). */
  dish: string;
  /** An existing order at this canteen. */
  order: string;
}

export const TODAY = '2026-11-23';
let ipCounter = 0;
/** A fresh client address per request: anonymous calls are rate limited per address (signed-in ones per credential). */
export function nextIp(): string {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export interface Req {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

export function send(app: FastifyInstance, cookie: string | null, req: Req): Promise<LightMyRequestResponse> {
  return app.inject({
    method: req.method,
    url: req.url,
    ...(req.payload !== undefined ? { payload: req.payload as object } : {}),
    headers: { ...(cookie ? { cookie } : {}), origin: ORIGIN, ...req.headers },
    remoteAddress: nextIp(),
  });
}

export async function loginAs(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await send(app, null, { method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return cookieOf(res, 'yishi_session');
}

export async function pairAt(app: FastifyInstance, admin: string, canteenId: string): Promise<string> {
  const code = await send(app, admin, { method: 'POST', url: '/api/v1/devices/pairing', payload: { canteenId, name: '安全测试机' } });
  if (code.statusCode !== 201) throw new Error(`pairing: ${code.body}`);
  const res = await send(app, null, { method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: code.json().code } });
  if (res.statusCode !== 200) throw new Error(`pair: ${res.body}`);
  return cookieOf(res, 'yishi_device');
}

/** An ID number (GB 11643) that passes the check digit, unique per `seq`, born 1950-01-01 in 天河. */
export function idNumber(seq: number): string {
  const body = `44010619500101${String(seq % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * w[i]!;
  return body + '10X98765432'[s % 11]!;
}

/** Find the two sides in the seeded city and make their test dishes unlimited. */
export async function findSides(t: TestApp, admin: string): Promise<Record<SideName, Side>> {
  const q = (sql: string, ...args: unknown[]) => t.ctx.db.readerConn.prepare(sql).get(...args) as Record<string, string> | undefined;
  const side = async (canteen: string, residentFilter: string, residentId?: string): Promise<Side> => {
    const r = residentId
      ? q('SELECT id, residence_area_code AS area FROM residents WHERE id = ?', residentId)
      : q(
          `SELECT id, residence_area_code AS area FROM residents WHERE home_canteen_id = ? AND residence_area_code LIKE ? AND status = 'active' ORDER BY id LIMIT 1`,
          canteen,
          residentFilter,
        );
    if (!r) throw new Error(`no resident for ${canteen}`);
    const menu = await send(t.app, admin, { method: 'GET', url: `/api/v1/canteens/${canteen}/menus/${TODAY}/lunch` });
    if (menu.statusCode !== 200) throw new Error(`menu ${canteen}: ${menu.body}`);
    const item = (menu.json().items as { dish: { id: string; isSetMeal: boolean } }[]).find((i) => !i.dish.isSetMeal) ?? menu.json().items[0];
    const dish = item.dish.id as string;
    const unlimited = await send(t.app, admin, {
      method: 'POST',
      url: `/api/v1/canteens/${canteen}/menus/${TODAY}/lunch/items/${dish}/portions`,
      payload: { portions: null },
    });
    if (unlimited.statusCode !== 200) throw new Error(`portions: ${unlimited.body}`);
    const order = q('SELECT id FROM orders WHERE canteen_id = ? ORDER BY created_at DESC LIMIT 1', canteen);
    if (!order) throw new Error(`no order at ${canteen}`);
    return { canteen, resident: r.id!, residenceAreaCode: r.area!, dish, order: order.id! };
  };
  return {
    A: await side('ct-shipai-huashi', '440106004%', 'rs-0001'),
    B: await side('ct-xiaogang', '440105%'),
  };
}

/** A new guest order at the side's canteen, made by the admin: awaiting payment (cash) or paid (external). */
export async function freshOrder(app: FastifyInstance, admin: string, s: Side, paid: boolean): Promise<string> {
  const res = await send(app, admin, {
    method: 'POST',
    url: '/api/v1/orders',
    payload: {
      id: uuidv7(),
      canteenId: s.canteen,
      identifyMethod: 'guest',
      lines: [{ dishId: s.dish, quantity: 1 }],
      paymentMethod: paid ? 'external' : 'cash',
      ...(paid ? { externalReference: 'POS-20261123' } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`fresh order: ${res.body}`);
  return res.json().id;
}

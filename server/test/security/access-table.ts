/**
 * THE ACCESS TABLE: who may call each route of the app, and how the matrix test calls it.
 *
 * Every route the app registers must have a row here (keyed "METHOD /url" exactly as Fastify registers it);
 * matrix.test.ts fails for a route without one, and for a row whose route is gone. HEAD routes follow their
 * GET row. Adding a route? Add its row: who may call it, and a valid request for side A and side B (see kit.ts).
 *
 * How a row is read, for each caller (anon, kiosk at A, yikang, jiajia, shipai, tianhe, city, admin):
 *   - `who: 'public'`           → everyone gets `ok`.
 *   - caller not in `who`       → refused: 401 for anonymous and for the kiosk (its device cookie only counts on
 *                                 kiosk routes), 403 forbidden for a console user.
 *   - caller in `who`, in scope → `ok` (default 200).
 *   - caller in `who`, out      → `out` (default 404: another canteen's ids are never confirmed to exist).
 *   In scope means the side (A or B) is one of SIDES_OF[caller], unless the row says otherwise (`inScope`).
 */
import type { Role } from '@yishi/shared';
import { addDays } from '@yishi/shared';
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { DEMO_PASSWORD } from '../../src/seed';
import { hashSecret } from '../../src/lib/crypto';
import type { TestApp } from '../helpers';
import { freshOrder, idNumber, send, type Caller, type Req, type Side, type SideName, TODAY } from './kit';

export interface CallCtx {
  t: TestApp;
  app: FastifyInstance;
  admin: string;
  sides: Record<SideName, Side>;
  seq(): number;
}

export interface Rule {
  who: 'public' | readonly (Role | 'device')[];
  /** false: the route takes no ids of a canteen or resident; it is called once, as side A. */
  scoped?: boolean;
  call(c: CallCtx, side: SideName, caller: Caller): Promise<Req> | Req;
  ok?: number | 'any<400';
  out?: number;
  inScope?(caller: Caller, side: SideName): boolean;
  /** The call ends the caller's session (logout, password change): use a session of its own. */
  endsSession?: boolean;
  after?(c: CallCtx, caller: Caller): Promise<void> | void;
  /** A WebSocket route: checked by the WebSocket tests; over plain HTTP only the anonymous refusal is checked. */
  websocket?: boolean;
  why?: string;
}

const ALL: readonly Role[] = ['operator', 'street', 'district', 'city', 'admin'];
/** A 1×1 PNG. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const OPERATORS: readonly Role[] = ['operator', 'admin'];
const KEEPERS: readonly Role[] = ['operator', 'street', 'admin'];
const USER_ADMINS: readonly Role[] = ['city', 'admin'];
const APPROVERS: readonly Role[] = ['street', 'district'];

const get = (url: string): Req => ({ method: 'GET', url });
const post = (url: string, payload?: unknown): Req => ({ method: 'POST', url, ...(payload !== undefined ? { payload } : {}) });

const c_ = (c: CallCtx, s: SideName) => c.sides[s].canteen;
const r_ = (c: CallCtx, s: SideName) => c.sides[s].resident;

/** Side A = a new operator of 华师 (no area scope: the city manages it); side B = a new admin (only an admin manages it). */
async function freshUser(c: CallCtx, s: SideName): Promise<string> {
  const res = await send(c.app, c.admin, { method: 'POST', url: '/api/v1/users', payload: userBody(c, s) });
  if (res.statusCode !== 201) throw new Error(`fresh user: ${res.body}`);
  return res.json().id;
}
function userBody(c: CallCtx, s: SideName) {
  return s === 'A'
    ? { username: `op-${c.seq()}`, displayName: '新店长', role: 'operator', canteenIds: ['ct-shipai-huashi'], initialPassword: 'Kitchen2026go' }
    : { username: `ad-${c.seq()}`, displayName: '新管理员', role: 'admin', initialPassword: 'Kitchen2026go' };
}
const usersScope = (caller: Caller, s: SideName) => caller === 'admin' || s === 'A';

async function freshPairing(c: CallCtx, s: SideName): Promise<{ deviceId: string; code: string }> {
  const res = await send(c.app, c.admin, { method: 'POST', url: '/api/v1/devices/pairing', payload: { canteenId: c_(c, s), name: '待配对' } });
  if (res.statusCode !== 201) throw new Error(`fresh pairing: ${res.body}`);
  return res.json();
}

async function freshCard(c: CallCtx, s: SideName): Promise<string> {
  const res = await send(c.app, c.admin, {
    method: 'POST',
    url: `/api/v1/residents/${r_(c, s)}/cards`,
    payload: { kind: 'ss_card', number: `T${c.seq()}X${s}99` },
  });
  if (res.statusCode !== 201) throw new Error(`fresh card: ${res.body}`);
  return res.json().card.id;
}

/** A category proposed by the admin for side s's resident (its own ten days, overlapping nothing): pending. */
async function freshProposal(c: CallCtx, s: SideName): Promise<string> {
  const from = addDays('1990-01-01', c.seq() * 10);
  const res = await send(c.app, c.admin, {
    method: 'POST',
    url: `/api/v1/residents/${r_(c, s)}/categories`,
    payload: { code: 'dibao_edge', validFrom: from, validTo: addDays(from, 9), evidence: '低保边缘认定书 测试' },
  });
  if (res.statusCode !== 200) throw new Error(`proposal: ${res.body}`);
  const entry = (res.json().categoryEntries as { id: string; code: string; validFrom: string; state: string }[]).find(
    (x) => x.code === 'dibao_edge' && x.validFrom === from,
  )!;
  if (entry.state !== 'pending') throw new Error(`proposal is ${entry.state}`);
  return entry.id;
}

const restorePassword = async (c: CallCtx, caller: Caller) => {
  // The password route really changed it; put the demo password back for the callers after us.
  c.t.ctx.db.writer.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(await hashSecret(DEMO_PASSWORD, 1024), caller);
};

const AUTHORS: readonly Role[] = ['street', 'district', 'city', 'admin'];
const POLICY: Record<SideName, string> = { A: 'pv-tianhe-top-up-v1', B: 'pv-guangzhou-2024-v1' };
const policyScope = (caller: Caller, s: SideName) => caller === 'admin' || caller === 'city' || (s === 'A' && caller === 'tianhe');
function policyDoc(c: CallCtx, id: string): unknown {
  const row = c.t.ctx.db.readerConn.prepare('SELECT document FROM policy_versions WHERE id = ?').get(id) as { document: string };
  return JSON.parse(row.document);
}
/** A new draft of side s's policy; publishable ones start today (a version may not start in the past). */
async function freshDraft(c: CallCtx, s: SideName, publishable = false): Promise<string> {
  const document = publishable ? { ...(policyDoc(c, POLICY[s]) as object), effectiveFrom: TODAY } : undefined;
  const res = await send(c.app, c.admin, { method: 'POST', url: '/api/v1/policies', payload: { basedOn: POLICY[s], ...(document ? { document } : {}) } });
  if (res.statusCode !== 201) throw new Error(`fresh draft: ${res.body}`);
  return res.json().id;
}

export const ACCESS_TABLE: Record<string, Rule> = {
  // ───────────── health, docs ─────────────
  'GET /api/v1/health': { who: 'public', scoped: false, call: () => get('/api/v1/health') },
  'GET /api/docs': { who: 'public', scoped: false, ok: 'any<400', call: () => get('/api/docs'), why: 'API description (no data)' },
  'GET /api/docs/static/index.html': { who: 'public', scoped: false, ok: 'any<400', call: () => get('/api/docs/static/index.html') },
  'GET /api/docs/static/swagger-initializer.js': { who: 'public', scoped: false, ok: 'any<400', call: () => get('/api/docs/static/swagger-initializer.js') },
  'GET /api/docs/json': { who: 'public', scoped: false, call: () => get('/api/docs/json') },
  'GET /api/docs/yaml': { who: 'public', scoped: false, call: () => get('/api/docs/yaml') },
  'GET /media/*': { who: 'public', scoped: false, ok: 404, call: () => get('/media/none.png'), why: 'dish photos (content-addressed, no personal data)' },
  'GET /api/docs/static/*': { who: 'public', scoped: false, ok: 'any<400', call: () => get('/api/docs/static/swagger-ui.css') },

  // ───────────── auth ─────────────
  'POST /api/v1/auth/login': { who: 'public', scoped: false, call: () => post('/api/v1/auth/login', { username: 'admin', password: DEMO_PASSWORD }) },
  'POST /api/v1/auth/logout': { who: ALL, scoped: false, endsSession: true, call: () => post('/api/v1/auth/logout') },
  'POST /api/v1/auth/logout-all': { who: ALL, scoped: false, endsSession: true, call: () => post('/api/v1/auth/logout-all') },
  'GET /api/v1/auth/me': { who: ALL, scoped: false, call: () => get('/api/v1/auth/me') },
  'POST /api/v1/auth/password': {
    who: ALL,
    scoped: false,
    endsSession: true,
    call: () => post('/api/v1/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Canteen2026abc' }),
    after: restorePassword,
  },
  'GET /api/v1/users': { who: USER_ADMINS, scoped: false, call: () => get('/api/v1/users') },
  'POST /api/v1/users': {
    who: USER_ADMINS,
    ok: 201,
    out: 403,
    inScope: usersScope,
    call: (c, s) => post('/api/v1/users', userBody(c, s)),
    why: 'the city may not create admins',
  },
  'POST /api/v1/users/:id/disable': { who: USER_ADMINS, inScope: usersScope, call: async (c, s) => post(`/api/v1/users/${await freshUser(c, s)}/disable`) },
  'POST /api/v1/users/:id/enable': { who: USER_ADMINS, inScope: usersScope, call: async (c, s) => post(`/api/v1/users/${await freshUser(c, s)}/enable`) },
  'POST /api/v1/users/:id/unlock': { who: USER_ADMINS, inScope: usersScope, call: async (c, s) => post(`/api/v1/users/${await freshUser(c, s)}/unlock`) },

  // ───────────── sites ─────────────
  'GET /api/v1/areas': { who: ALL, scoped: false, call: () => get('/api/v1/areas') },
  'GET /api/v1/canteens': { who: ALL, scoped: false, call: () => get('/api/v1/canteens') },
  'GET /api/v1/canteens/:id': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}`) },
  'POST /api/v1/canteens/:id/status': {
    who: ['district', 'city', 'admin'],
    call: (c, s) => post(`/api/v1/canteens/${c_(c, s)}/status`, { status: 'open', reason: '正常营业', from: TODAY }),
  },

  // ───────────── menus ─────────────
  'GET /api/v1/canteens/:id/dishes': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/dishes`) },
  'GET /api/v1/canteens/:id/dish-tags': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/dish-tags`) },
  'POST /api/v1/canteens/:id/dishes': {
    who: OPERATORS,
    ok: 201,
    call: (c, s) => post(`/api/v1/canteens/${c_(c, s)}/dishes`, { name: '清蒸鲈鱼', category: '荤菜', priceFen: 1500 }),
  },
  'PUT /api/v1/dishes/:id/photo': {
    who: OPERATORS,
    call: (c, s) => ({ method: 'PUT', url: `/api/v1/dishes/${c.sides[s].dish}/photo`, payload: TINY_PNG, headers: { 'content-type': 'image/png' } }),
  },
  'PATCH /api/v1/dishes/:id': {
    who: OPERATORS,
    call: (c, s) => ({ method: 'PATCH', url: `/api/v1/dishes/${c.sides[s].dish}`, payload: { description: '少盐少油' } }),
  },
  'GET /api/v1/canteens/:id/menus': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/menus?from=${TODAY}&to=2026-11-29`) },
  'GET /api/v1/canteens/:id/menus/:date/:period': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/menus/${TODAY}/lunch`) },
  'PUT /api/v1/canteens/:id/menus/:date/:period': {
    who: OPERATORS,
    call: (c, s) => ({
      method: 'PUT',
      url: `/api/v1/canteens/${c_(c, s)}/menus/2026-12-07/lunch`,
      payload: { items: [{ dishId: c.sides[s].dish, portions: 50 }] },
    }),
  },
  'POST /api/v1/canteens/:id/menus/:date/:period/items/:dishId/sold-out': {
    who: OPERATORS,
    call: (c, s) => post(`/api/v1/canteens/${c_(c, s)}/menus/${TODAY}/lunch/items/${c.sides[s].dish}/sold-out`, { soldOut: false }),
  },
  'POST /api/v1/canteens/:id/menus/:date/:period/items/:dishId/portions': {
    who: OPERATORS,
    call: (c, s) => post(`/api/v1/canteens/${c_(c, s)}/menus/${TODAY}/lunch/items/${c.sides[s].dish}/portions`, { portions: null }),
  },

  // ───────────── orders ─────────────
  'POST /api/v1/quotes': {
    who: [...ALL, 'device'],
    call: (c, s) => post('/api/v1/quotes', { canteenId: c_(c, s), lines: [{ dishId: c.sides[s].dish, quantity: 1 }] }),
  },
  'POST /api/v1/orders': {
    who: [...OPERATORS, 'device'],
    ok: 201,
    call: (c, s) =>
      post('/api/v1/orders', {
        id: uuidv7(),
        canteenId: c_(c, s),
        identifyMethod: 'guest',
        lines: [{ dishId: c.sides[s].dish, quantity: 1 }],
        paymentMethod: 'cash',
      }),
  },
  'GET /api/v1/orders': { who: ALL, call: (c, s) => get(`/api/v1/orders?canteenId=${c_(c, s)}&date=${TODAY}&limit=5`) },
  'GET /api/v1/orders/:id': { who: [...ALL, 'device'], call: (c, s) => get(`/api/v1/orders/${c.sides[s].order}`) },
  'POST /api/v1/orders/:id/confirm-payment': {
    who: OPERATORS,
    call: async (c, s) => post(`/api/v1/orders/${await freshOrder(c.app, c.admin, c.sides[s], false)}/confirm-payment`, { method: 'cash' }),
  },
  'POST /api/v1/orders/:id/state': {
    who: OPERATORS,
    call: async (c, s) => post(`/api/v1/orders/${await freshOrder(c.app, c.admin, c.sides[s], true)}/state`, { state: 'ready' }),
  },
  'POST /api/v1/orders/:id/cancel': {
    who: OPERATORS,
    call: async (c, s) => post(`/api/v1/orders/${await freshOrder(c.app, c.admin, c.sides[s], false)}/cancel`, { reason: '长者改变主意' }),
  },
  'POST /api/v1/orders/:id/refund': {
    who: OPERATORS,
    call: async (c, s) => post(`/api/v1/orders/${await freshOrder(c.app, c.admin, c.sides[s], true)}/refund`, { reason: '菜品问题退款' }),
  },

  // ───────────── residents and wallets ─────────────
  'GET /api/v1/residents': { who: ALL, call: (c, s) => get(`/api/v1/residents?canteenId=${c_(c, s)}&limit=5`) },
  'GET /api/v1/residents/:id': { who: ALL, call: (c, s) => get(`/api/v1/residents/${r_(c, s)}`) },
  'POST /api/v1/residents': {
    who: KEEPERS,
    ok: 201,
    out: 400,
    why: 'a home canteen out of scope is "no such home canteen" (400), the same answer as for one that does not exist',
    call: (c, s) =>
      post('/api/v1/residents', {
        name: '测试长者',
        gender: 'female',
        birthDate: '1950-01-01',
        idNumber: idNumber(c.seq()),
        phone: null,
        hukouAreaCode: '440106',
        residenceAreaCode: c.sides[s].residenceAreaCode,
        homeCanteenId: c_(c, s),
      }),
  },
  'PATCH /api/v1/residents/:id': { who: KEEPERS, call: (c, s) => ({ method: 'PATCH', url: `/api/v1/residents/${r_(c, s)}`, payload: { livesAlone: false } }) },
  'POST /api/v1/residents/:id/reveal-id': {
    who: ['street', 'district', 'admin'],
    why: 'only accounts with canSeeIdNumbers (demo: shipai, tianhe, admin); yikang, jiajia and city get 403',
    call: (c, s) => post(`/api/v1/residents/${r_(c, s)}/reveal-id`),
  },
  'POST /api/v1/residents/:id/cards': { who: KEEPERS, ok: 201, call: (c, s) => post(`/api/v1/residents/${r_(c, s)}/cards`, { kind: 'qr' }) },
  'DELETE /api/v1/residents/:id/cards/:cardId': {
    who: KEEPERS,
    call: async (c, s) => ({ method: 'DELETE', url: `/api/v1/residents/${r_(c, s)}/cards/${await freshCard(c, s)}` }),
  },
  'POST /api/v1/residents/:id/categories': {
    who: KEEPERS,
    call: (c, s) => {
      const day = addDays('2010-01-01', c.seq());
      return post(`/api/v1/residents/${r_(c, s)}/categories`, { code: 'youfu', validFrom: day, validTo: day, evidence: '优抚证 测试' });
    },
  },
  'POST /api/v1/residents/:id/categories/:categoryId/end': {
    who: KEEPERS,
    call: async (c, s) => {
      // A ten-day category of its own (no overlap with any other call), ended after five days.
      const from = addDays('2000-01-01', c.seq() * 10);
      const made = await send(c.app, c.admin, {
        method: 'POST',
        url: `/api/v1/residents/${r_(c, s)}/categories`,
        payload: { code: 'low_income', validFrom: from, validTo: addDays(from, 9), evidence: '低收入认定 测试' },
      });
      if (made.statusCode !== 200) throw new Error(`category: ${made.body}`);
      const cat = (made.json().categoryEntries as { id: string; code: string; validFrom: string }[]).find(
        (x) => x.code === 'low_income' && x.validFrom === from,
      )!;
      return post(`/api/v1/residents/${r_(c, s)}/categories/${cat.id}/end`, { validTo: addDays(from, 4), reason: '收入复核后不再符合' });
    },
  },
  'POST /api/v1/residents/:id/pin': { who: KEEPERS, call: (c, s) => post(`/api/v1/residents/${r_(c, s)}/pin`, { pin: '135792' }) },
  'POST /api/v1/residents/:id/pin/unlock': {
    who: KEEPERS,
    call: (c, s) => post(`/api/v1/residents/${r_(c, s)}/pin/unlock`),
    why: 'staff unlock a PIN locked by wrong tries without setting a new one',
  },
  'GET /api/v1/categories/pending': {
    who: APPROVERS,
    scoped: false,
    call: () => get('/api/v1/categories/pending'),
    why: 'the approval queue of street and district staff (filtered to their area)',
  },
  'POST /api/v1/residents/:id/categories/:categoryId/approve': {
    who: APPROVERS,
    call: async (c, s) => post(`/api/v1/residents/${r_(c, s)}/categories/${await freshProposal(c, s)}/approve`, { note: '已核对证件原件' }),
    why: 'street and district staff approve, with the evidence, what someone else proposed',
  },
  'POST /api/v1/residents/:id/categories/:categoryId/reject': {
    who: APPROVERS,
    call: async (c, s) => post(`/api/v1/residents/${r_(c, s)}/categories/${await freshProposal(c, s)}/reject`, { reason: '证件已过有效期' }),
  },
  'GET /api/v1/residents/:id/wallet': { who: ALL, call: (c, s) => get(`/api/v1/residents/${r_(c, s)}/wallet`) },
  'POST /api/v1/wallet/topups': {
    who: OPERATORS,
    call: (c, s) => post('/api/v1/wallet/topups', { id: uuidv7(), residentId: r_(c, s), canteenId: c_(c, s), amountFen: 1000, method: 'cash' }),
  },

  // ───────────── devices and kiosks ─────────────
  'GET /api/v1/canteens/:id/devices': { who: OPERATORS, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/devices`) },
  'POST /api/v1/devices/pairing': { who: OPERATORS, ok: 201, call: (c, s) => post('/api/v1/devices/pairing', { canteenId: c_(c, s), name: '前台自助机' }) },
  'POST /api/v1/devices/:id/revoke': { who: OPERATORS, call: async (c, s) => post(`/api/v1/devices/${(await freshPairing(c, s)).deviceId}/revoke`) },
  'POST /api/v1/kiosk/pair': {
    who: 'public',
    scoped: false,
    call: async (c) => post('/api/v1/kiosk/pair', { code: (await freshPairing(c, 'A')).code }),
    why: 'the one-time code is the credential',
  },
  'GET /api/v1/kiosk/state': { who: ['device'], scoped: false, call: () => get('/api/v1/kiosk/state') },
  'POST /api/v1/kiosk/identify': {
    who: ['device'],
    scoped: false,
    call: () => post('/api/v1/kiosk/identify', { method: 'card', cardNumber: '4401100001' }),
    why: 'a resident may eat at any canteen: the card (or phone + PIN) identifies them at any kiosk',
  },
  'POST /api/v1/kiosk/help': { who: ['device'], scoped: false, call: () => post('/api/v1/kiosk/help'), why: 'calls staff of the kiosk’s own canteen' },

  // ───────────── policy (published rules are public to every console user; authoring is by level and area) ─────────────
  'GET /api/v1/policies': { who: ALL, scoped: false, call: () => get('/api/v1/policies') },
  'GET /api/v1/policies/:id': { who: ALL, scoped: false, call: () => get(`/api/v1/policies/${POLICY.A}`) },
  'POST /api/v1/policies/validate': { who: ALL, scoped: false, call: (c) => post('/api/v1/policies/validate', { document: policyDoc(c, POLICY.A) }) },
  'POST /api/v1/policies': {
    who: AUTHORS,
    ok: 201,
    out: 403,
    inScope: policyScope,
    why: 'side A = the 天河 district policy (tianhe, city, admin); side B = the city policy (city, admin)',
    call: (c, s) => post('/api/v1/policies', { basedOn: POLICY[s] }),
  },
  'PUT /api/v1/policies/:id': {
    who: AUTHORS,
    out: 403,
    inScope: policyScope,
    call: async (c, s) => ({ method: 'PUT', url: `/api/v1/policies/${await freshDraft(c, s)}`, payload: { document: policyDoc(c, POLICY[s]) } }),
  },
  'POST /api/v1/policies/:id/publish': {
    who: AUTHORS,
    out: 403,
    inScope: policyScope,
    call: async (c, s) => post(`/api/v1/policies/${await freshDraft(c, s, true)}/publish`),
  },
  'POST /api/v1/policies/:id/simulate': {
    who: AUTHORS,
    scoped: false,
    call: () => post(`/api/v1/policies/${POLICY.A}/simulate`, { month: '2026-11' }),
    why: 'any area role may simulate any version; the figures count only canteens the caller may see',
  },
  'GET /api/v1/policies/:id/simulation.xlsx': {
    who: AUTHORS,
    scoped: false,
    call: () => get(`/api/v1/policies/${POLICY.A}/simulation.xlsx?month=2026-11`),
    why: 'the same simulation as a workbook: the figures count only canteens the caller may see, names masked outside their register',
  },

  // ───────────── audit ─────────────
  'GET /api/v1/audit/verify': {
    who: ['city', 'admin'],
    scoped: false,
    call: () => get('/api/v1/audit/verify'),
    why: 'walks the whole hash chain; city and platform staff only',
  },

  // ───────────── reports, indicators, ratings ─────────────
  'GET /api/v1/reports': { who: ALL, call: (c, s) => get(`/api/v1/reports?month=2026-11&groupBy=category&canteenId=${c_(c, s)}`) },
  'GET /api/v1/reports/export': { who: ALL, call: (c, s) => get(`/api/v1/reports/export?format=xlsx&from=2026-11-20&to=2026-11-23&canteenId=${c_(c, s)}`) },
  'GET /api/v1/reports/indicators': { who: ALL, call: (c, s) => get(`/api/v1/reports/indicators?month=2026-11&canteenId=${c_(c, s)}`) },
  'GET /api/v1/reports/indicators/export': {
    who: ALL,
    call: (c, s) => get(`/api/v1/reports/indicators/export?format=xlsx&month=2026-11&canteenId=${c_(c, s)}`),
  },
  'POST /api/v1/ratings': {
    who: ['device'],
    ok: 201,
    why: 'a kiosk rates only the orders it placed itself (side A: an order marked as placed by the matrix kiosk)',
    call: async (c, s) => {
      const orderId = await freshOrder(c.app, c.admin, c.sides[s], true);
      const kiosk = c.t.ctx.db.readerConn
        .prepare('SELECT id FROM devices WHERE canteen_id = ? AND paired_at IS NOT NULL AND revoked_at IS NULL ORDER BY paired_at, id LIMIT 1')
        .get(c.sides.A.canteen) as { id: string };
      if (s === 'A') c.t.ctx.db.writer.prepare('UPDATE orders SET device_id = ? WHERE id = ?').run(kiosk.id, orderId);
      return post('/api/v1/ratings', { orderId, rating: 'satisfied' });
    },
  },

  // ───────────── live ─────────────
  'GET /api/v1/live': { who: [...ALL, 'device'], websocket: true, scoped: false, call: () => get('/api/v1/live') },
};

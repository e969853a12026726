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
import { freshOrder, idNumber, loginAs, send, SIDES_OF, type Caller, type Req, type Side, type SideName, TODAY } from './kit';

export interface CallCtx {
  t: TestApp;
  app: FastifyInstance;
  admin: string;
  /** The kiosk's device cookie (paired at side A). */
  kiosk: string;
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
  /** Milliseconds for the whole row (every caller, both sides, HEAD too) when the route is slow by nature (a PDF). */
  timeout?: number;
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

async function kioskQuote(c: CallCtx, s: SideName): Promise<string> {
  const res = await send(c.app, c.kiosk, { method: 'POST', url: '/api/v1/quotes', payload: { lines: [{ dishId: c.sides[s].dish, quantity: 1 }] } });
  if (res.statusCode !== 200) throw new Error(`kiosk quote: ${res.body}`);
  return res.json().quoteId;
}

/** An open call for staff from the kiosk at side A (side B's canteen has no paired kiosk here: made as a row directly). */
async function freshHelpCall(c: CallCtx, s: SideName): Promise<string> {
  const id = uuidv7();
  if (s === 'A') {
    const res = await send(c.app, c.kiosk, { method: 'POST', url: '/api/v1/kiosk/help', payload: { requestId: id } });
    if (res.statusCode !== 200) throw new Error(`help call: ${res.body}`);
    return id;
  }
  const dev = await freshPairing(c, s);
  c.t.ctx.db.writer
    .prepare('INSERT INTO help_calls (id, canteen_id, device_id, requested_at) VALUES (?, ?, ?, ?)')
    .run(id, c_(c, s), dev.deviceId, new Date().toISOString());
  return id;
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

// ───────────── settlement: claims and anomalies in a given state, made directly (the review itself is tested in claims.test.ts) ─────────────

const REVIEWERS: readonly Role[] = ['street', 'district', 'city', 'admin'];

/** A claim of side s for October (ended) to a payer of its own, in a state, made directly in the database. */
function freshClaim(c: CallCtx, s: SideName, state: string, opts: { order?: boolean; disallowed?: boolean } = {}): string {
  const id = uuidv7();
  const db = c.t.ctx.db.writer;
  const canteen = db.prepare('SELECT street_code AS street, district_code AS district FROM canteens WHERE id = ?').get(c_(c, s)) as {
    street: string;
    district: string;
  };
  const snapshot = state === 'draft' ? null : '2026-11-01T02:00:00.000Z';
  db.prepare(
    `INSERT INTO claims (id, canteen_id, street_code, district_code, payer, period, cadence, period_from, period_to, state, generated_at, snapshot_at,
       submitted_by, submitted_at, checked_by, checked_at, decided_by, decided_at)
     VALUES (?, ?, ?, ?, ?, '2026-10', 'month', '2026-10-01', '2026-10-31', ?, '2026-11-01T02:00:00.000Z', ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    c_(c, s),
    canteen.street,
    canteen.district,
    `测试付款方${c.seq()}`,
    state,
    snapshot,
    state === 'draft' ? null : 'user-yikang',
    snapshot,
    ['checked', 'approved'].includes(state) ? 'user-shipai' : null,
    ['checked', 'approved'].includes(state) ? snapshot : null,
    state === 'approved' ? 'user-tianhe' : null,
    state === 'approved' ? '2026-11-22T02:00:00.000Z' : null,
  );
  if (opts.order) {
    db.prepare(
      `INSERT INTO claim_orders (claim_id, order_id, service_date, meal_period, category, meal_fen, delivery_fen, operating_fen, amount_fen)
       VALUES (?, ?, '2026-10-20', 'lunch', 'ordinary', 0, 0, 0, 0)`,
    ).run(id, c.sides[s].order);
  }
  if (opts.disallowed) {
    db.prepare(
      `INSERT INTO claim_disallowances (id, claim_id, order_id, reason, source, at) VALUES (?, ?, ?, '测试核减', 'review', '2026-11-02T02:00:00.000Z')`,
    ).run(uuidv7(), id, c.sides[s].order);
  }
  return id;
}

/** An open anomaly at side s's canteen, made directly in the database. */
function freshAnomaly(c: CallCtx, s: SideName): string {
  const id = uuidv7();
  const db = c.t.ctx.db.writer;
  const canteen = db.prepare('SELECT street_code AS street, district_code AS district FROM canteens WHERE id = ?').get(c_(c, s)) as {
    street: string;
    district: string;
  };
  db.prepare(
    `INSERT INTO anomalies (id, kind, key, canteen_id, street_code, district_code, period_from, period_to, first_date, last_date, status, explanation,
       figures, order_count, amount_fen, detected_at, updated_at)
     VALUES (?, 'volume_spike', ?, ?, ?, ?, '2026-11-01', '2026-11-30', '2026-11-20', '2026-11-20', 'open', '测试', '{}', 1, 0, '2026-11-23T02:00:00.000Z', '2026-11-23T02:00:00.000Z')`,
  ).run(id, `test:${c.seq()}`, c_(c, s), canteen.street, canteen.district);
  db.prepare('INSERT INTO anomaly_orders (anomaly_id, order_id) VALUES (?, ?)').run(id, c.sides[s].order);
  return id;
}

/** A fresh order of side s with a flagged late-order review (made directly: offline pricing is tested in late.test.ts). */
async function freshReview(c: CallCtx, s: SideName, opts: { claim?: boolean } = {}): Promise<string> {
  const orderId = await freshOrder(c.app, c.admin, c.sides[s], true);
  const db = c.t.ctx.db.writer;
  db.prepare(
    `INSERT INTO order_reviews (order_id, canteen_id, resident_id, service_date, meal_period, flagged, reason, reasons,
       kiosk_elder_pays_fen, kiosk_elder_subsidy_fen, kiosk_policy_version_ids, server_elder_pays_fen, server_elder_subsidy_fen,
       server_policy_version_ids, created_at)
     SELECT id, canteen_id, resident_id, service_date, meal_period, 1, 'price_changed', '["price_changed"]', 900, 300, '[]', 1200, 0, '[]', created_at
     FROM orders WHERE id = ?`,
  ).run(orderId);
  if (opts.claim) {
    // A submitted claim that counts the order, so a disallowance has somewhere to go.
    const claimId = freshClaim(c, s, 'submitted');
    db.prepare(
      `INSERT INTO claim_orders (claim_id, order_id, service_date, meal_period, category, meal_fen, delivery_fen, operating_fen, amount_fen)
       VALUES (?, ?, '2026-10-20', 'lunch', 'ordinary', 300, 0, 0, 300)`,
    ).run(claimId, orderId);
  }
  return orderId;
}

/** An offline order of side s that the server refused on arrival (被拒收), not yet handled: its order id. */
function freshRefusal(c: CallCtx, s: SideName): string {
  const orderId = uuidv7();
  c.t.ctx.db.writer
    .prepare(
      `INSERT INTO refused_orders (order_id, canteen_id, device_id, resident_id, service_date, meal_period, lines, payment_method,
         quoted_elder_pays_fen, quoted_elder_subsidy_fen, made_at, received_at, code, message)
       VALUES (?, ?, NULL, NULL, '2026-11-23', 'lunch', '[]', 'cash', 1200, 0, NULL, '2026-11-23T04:00:00.000Z', 'offline_identity_invalid', 'refused')`,
    )
    .run(orderId, c_(c, s));
  return orderId;
}

const PAYER: Record<SideName, string> = { A: '天河区民政局', B: '广州市民政局' };
const payerScope = (caller: Caller, s: SideName) => caller === 'admin' || caller === 'city' || (s === 'A' && caller === 'tianhe');

// ───────────── helpers for the records routes (prices, wallet drawer, roster imports) ─────────────

/** A new dish of side s (made by the admin): its first price is a fresh proposal waiting for approval. */
async function freshDish(c: CallCtx, s: SideName): Promise<{ id: string; proposal: string }> {
  const res = await send(c.app, c.admin, {
    method: 'POST',
    url: `/api/v1/canteens/${c_(c, s)}/dishes`,
    payload: { name: `新菜${c.seq()}`, category: '素菜', priceFen: 800 },
  });
  if (res.statusCode !== 201) throw new Error(`fresh dish: ${res.body}`);
  return { id: res.json().id, proposal: res.json().pendingPrice.id };
}
/** A dish of side s whose first price is approved (so a change can be proposed). */
async function freshPricedDish(c: CallCtx, s: SideName): Promise<string> {
  const d = await freshDish(c, s);
  const ok = await send(c.app, c.admin, { method: 'POST', url: `/api/v1/price-changes/${d.proposal}/approve`, payload: {} });
  if (ok.statusCode !== 200) throw new Error(`approve: ${ok.body}`);
  return d.id;
}
/** A top-up of side s's resident at its canteen (made by the admin): its wallet entry id. */
async function freshTopup(c: CallCtx, s: SideName): Promise<string> {
  const id = uuidv7();
  const res = await send(c.app, c.admin, {
    method: 'POST',
    url: '/api/v1/wallet/topups',
    payload: { id, residentId: r_(c, s), canteenId: c_(c, s), amountFen: 500, method: 'cash' },
  });
  if (res.statusCode !== 200) throw new Error(`fresh top-up: ${res.body}`);
  return id;
}
/** A resident of side s who has died with money in the wallet (made by the admin). */
async function freshDeceased(c: CallCtx, s: SideName): Promise<string> {
  const made = await send(c.app, c.admin, {
    method: 'POST',
    url: '/api/v1/residents',
    payload: {
      name: '已故长者',
      gender: 'male',
      birthDate: '1950-01-01',
      idNumber: idNumber(c.seq()),
      hukouAreaCode: '440106',
      residenceAreaCode: c.sides[s].residenceAreaCode,
      homeCanteenId: c_(c, s),
    },
  });
  if (made.statusCode !== 201) throw new Error(`fresh resident: ${made.body}`);
  const id = made.json().id as string;
  await send(c.app, c.admin, {
    method: 'POST',
    url: '/api/v1/wallet/topups',
    payload: { id: uuidv7(), residentId: id, canteenId: c_(c, s), amountFen: 1200, method: 'cash' },
  });
  const dead = await send(c.app, c.admin, { method: 'PATCH', url: `/api/v1/residents/${id}`, payload: { status: 'deceased', statusSince: '2026-11-20' } });
  if (dead.statusCode !== 200) throw new Error(`deceased: ${dead.body}`);
  return id;
}
const KEEPER_CALLERS: readonly Caller[] = ['yikang', 'jiajia', 'shipai', 'admin'];
/**
 * A roster import of side s, owned by the caller when they may import there (otherwise by the admin, so the
 * caller meets someone else's import: 404, or 403/401 before that), with `rows` valid rows staged.
 */
async function freshImport(c: CallCtx, s: SideName, caller: Caller, rows = 0): Promise<string> {
  const own = KEEPER_CALLERS.includes(caller) && (caller === 'admin' || SIDES_OF[caller].includes(s));
  const cookie = own && caller !== 'admin' ? await loginAs(c.app, caller) : c.admin;
  const res = await send(c.app, cookie, {
    method: 'POST',
    url: '/api/v1/roster-imports',
    payload: { canteenId: c_(c, s), fileName: '名册.xlsx', mapping: { 姓名: 'name' } },
  });
  if (res.statusCode !== 201) throw new Error(`fresh import: ${res.body}`);
  const id = res.json().id as string;
  if (rows > 0) {
    const staged = await send(c.app, cookie, { method: 'POST', url: `/api/v1/roster-imports/${id}/rows`, payload: { start: 0, rows: [rosterRow(c, s)] } });
    if (staged.statusCode !== 200 || staged.json().import.errorRows) throw new Error(`stage: ${staged.body}`);
  }
  return id;
}
function rosterRow(c: CallCtx, s: SideName) {
  return { rowNumber: 2, name: '名册长者', idNumber: idNumber(c.seq()), hukouArea: '天河区', residenceArea: c.sides[s].residenceAreaCode };
}

/** A new delivery order at the side's canteen (by the admin) for the side's resident; returns the delivery's id. */
async function freshDelivery(c: CallCtx, s: SideName, stage: 'pending' | 'out' | 'alert' = 'pending'): Promise<string> {
  const side = c.sides[s];
  const res = await send(c.app, c.admin, {
    method: 'POST',
    url: '/api/v1/orders',
    payload: {
      id: uuidv7(),
      canteenId: side.canteen,
      residentId: side.resident,
      identifyMethod: 'staff',
      lines: [{ dishId: side.dish, quantity: 1 }],
      fulfilment: 'delivery',
      deliveryAddress: '石牌东路 12 号 3 楼',
      paymentMethod: 'external',
      externalReference: 'POS-20261123',
      staffReason: { code: 'on_behalf', note: '女儿代为订送餐' },
    },
  });
  if (res.statusCode !== 201) throw new Error(`fresh delivery: ${res.body}`);
  const id = (c.t.ctx.db.readerConn.prepare('SELECT id FROM deliveries WHERE order_id = ?').get(res.json().id) as { id: string }).id;
  if (stage === 'pending') return id;
  const step = async (url: string, payload: unknown) => {
    const r = await send(c.app, c.admin, { method: 'POST', url, payload });
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.body}`);
  };
  await step(`/api/v1/canteens/${side.canteen}/deliveries/assign`, { deliveryIds: [id], courier: '李师傅' });
  await step(`/api/v1/deliveries/${id}/out`, {});
  if (stage === 'alert') {
    c.t.ctx.db.writer.prepare('UPDATE residents SET lives_alone = 1 WHERE id = ?').run(side.resident);
    await step(`/api/v1/deliveries/${id}/done`, { outcome: 'failed', reason: '敲门无人应答' });
  }
  return id;
}
const PAST_DAY = '2026-11-20';

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
    call: (c, s) => post(`/api/v1/canteens/${c_(c, s)}/dishes`, { name: `清蒸鲈鱼${c.seq()}`, category: '荤菜', priceFen: 1500 }),
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
    call: async (c, s, caller) =>
      post('/api/v1/orders', {
        id: uuidv7(),
        canteenId: c_(c, s),
        identifyMethod: 'guest',
        lines: [{ dishId: c.sides[s].dish, quantity: 1 }],
        paymentMethod: 'cash',
        // A kiosk names the quote the person confirmed (one of its own canteen; elsewhere the canteen is refused first).
        ...(caller === 'kiosk' && s === 'A' ? { quoteId: await kioskQuote(c, s) } : {}),
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

  // ───────────── prices (proposed by the operator, approved by the street or district) ─────────────
  'GET /api/v1/price-changes': { who: ALL, call: (c, s) => get(`/api/v1/price-changes?canteenId=${c_(c, s)}`) },
  'GET /api/v1/price-changes/export': { who: ALL, call: (c, s) => get(`/api/v1/price-changes/export?canteenId=${c_(c, s)}&format=csv`) },
  'POST /api/v1/dishes/:id/price-changes': {
    who: OPERATORS,
    ok: 201,
    call: async (c, s) =>
      post(`/api/v1/dishes/${await freshPricedDish(c, s)}/price-changes`, { newPriceFen: 900, reason: '食材涨价', effectiveOn: '2026-11-30' }),
  },
  'POST /api/v1/price-changes/:id/approve': {
    who: ['street', 'district', 'city', 'admin'],
    call: async (c, s) => post(`/api/v1/price-changes/${(await freshDish(c, s)).proposal}/approve`, { note: '同意' }),
  },
  'POST /api/v1/price-changes/:id/reject': {
    who: ['street', 'district', 'city', 'admin'],
    call: async (c, s) => post(`/api/v1/price-changes/${(await freshDish(c, s)).proposal}/reject`, { note: '价格偏高' }),
  },
  'POST /api/v1/price-changes/:id/withdraw': {
    who: OPERATORS,
    call: async (c, s) => post(`/api/v1/price-changes/${(await freshDish(c, s)).proposal}/withdraw`),
  },

  // ───────────── list exports (files; scope checked before the first byte) ─────────────
  'GET /api/v1/orders/export': { who: ALL, call: (c, s) => get(`/api/v1/orders/export?canteenId=${c_(c, s)}&from=${TODAY}&to=${TODAY}&format=csv`) },
  'GET /api/v1/residents/export': {
    who: ALL,
    call: (c, s) => get(`/api/v1/residents/export?canteenId=${c_(c, s)}&format=xlsx`),
    why: 'the list narrowed to a canteen the caller may not see is 404, as the list itself',
  },
  'GET /api/v1/canteens/:id/menus/export': {
    who: ALL,
    call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/menus/export?from=${TODAY}&to=2026-11-29&format=xlsx`),
  },
  'GET /api/v1/residents/:id/wallet/export': { who: ALL, call: (c, s) => get(`/api/v1/residents/${r_(c, s)}/wallet/export?format=csv`) },
  'GET /api/v1/canteens/:id/wallet-entries/export': {
    who: ALL,
    call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/wallet-entries/export?from=${TODAY}&to=${TODAY}&format=csv`),
  },

  // ───────────── the resident drawer: wallet history, receipts, payout, card check ─────────────
  'GET /api/v1/residents/:id/wallet/entries': { who: ALL, call: (c, s) => get(`/api/v1/residents/${r_(c, s)}/wallet/entries?limit=5`) },
  'GET /api/v1/wallet/entries/:id/receipt': { who: ALL, call: async (c, s) => get(`/api/v1/wallet/entries/${await freshTopup(c, s)}/receipt`) },
  'POST /api/v1/residents/:id/wallet/payout': {
    who: OPERATORS,
    call: async (c, s) =>
      post(`/api/v1/residents/${await freshDeceased(c, s)}/wallet/payout`, {
        id: uuidv7(),
        canteenId: c_(c, s),
        recipientName: '陈志强',
        recipientRelation: '儿子',
        recipientIdLast4: '1234',
        method: 'cash',
      }),
  },
  'POST /api/v1/cards/check': {
    who: KEEPERS,
    scoped: false,
    call: () => post('/api/v1/cards/check', { kind: 'ss_card', number: '4401100001' }),
    why: 'says whether a card number is taken; the holder is named only to someone who may see them',
  },

  // ───────────── roster imports (owner-only once started) ─────────────
  'POST /api/v1/roster-imports': {
    who: KEEPERS,
    ok: 201,
    call: (c, s) => post('/api/v1/roster-imports', { canteenId: c_(c, s), fileName: '名册.csv', mapping: { 姓名: 'name' } }),
  },
  'GET /api/v1/roster-imports/:id': { who: KEEPERS, call: async (c, s, caller) => get(`/api/v1/roster-imports/${await freshImport(c, s, caller)}`) },
  'POST /api/v1/roster-imports/:id/rows': {
    who: KEEPERS,
    call: async (c, s, caller) => post(`/api/v1/roster-imports/${await freshImport(c, s, caller)}/rows`, { start: 0, rows: [rosterRow(c, s)] }),
  },
  'POST /api/v1/roster-imports/:id/commit': {
    who: KEEPERS,
    call: async (c, s, caller) => post(`/api/v1/roster-imports/${await freshImport(c, s, caller, 1)}/commit`, { totalRows: 1, duplicates: 'skip' }),
  },
  'DELETE /api/v1/roster-imports/:id': {
    who: KEEPERS,
    call: async (c, s, caller) => ({ method: 'DELETE', url: `/api/v1/roster-imports/${await freshImport(c, s, caller)}` }),
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
  'POST /api/v1/kiosk/help': {
    who: ['device'],
    scoped: false,
    call: () => post('/api/v1/kiosk/help', { requestId: uuidv7() }),
    why: 'calls staff of the kiosk’s own canteen',
  },
  'GET /api/v1/kiosk/pricing': { who: ['device'], scoped: false, call: () => get('/api/v1/kiosk/pricing'), why: 'the open meal of the kiosk’s own canteen' },
  'GET /api/v1/kiosk/offline-cache': {
    who: ['device'],
    scoped: false,
    call: () => get('/api/v1/kiosk/offline-cache'),
    why: 'its own canteen’s area only: masked names, keyed hashes under its own key (docs/threat-model.md)',
  },
  'POST /api/v1/kiosk/heartbeat': {
    who: ['device'],
    scoped: false,
    call: () => post('/api/v1/kiosk/heartbeat', { pendingOrders: 0, clockOffsetMs: 0, cacheFetchedAt: null }),
    why: 'writes only its own device row',
  },
  'GET /api/v1/help-calls': { who: OPERATORS, call: (c, s) => get(`/api/v1/help-calls?canteenId=${c_(c, s)}`) },
  'POST /api/v1/help-calls/:id/acknowledge': {
    who: OPERATORS,
    call: async (c, s) => post(`/api/v1/help-calls/${await freshHelpCall(c, s)}/acknowledge`),
  },

  // ───────────── policy (published rules are public to every console user; authoring is by level and area) ─────────────
  'GET /api/v1/policies': { who: ALL, scoped: false, call: () => get('/api/v1/policies') },
  'GET /api/v1/policies/:id': { who: ALL, scoped: false, call: () => get(`/api/v1/policies/${POLICY.A}`) },
  'GET /api/v1/policies/names': { who: ALL, scoped: false, call: () => get('/api/v1/policies/names') },
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

  // ───────────── daily close, deliveries, food safety ─────────────
  'GET /api/v1/canteens/:id/closes': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/closes?from=2026-11-16&to=${TODAY}`) },
  'GET /api/v1/canteens/:id/closes/:date': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/closes/${PAST_DAY}`) },
  'POST /api/v1/canteens/:id/closes/:date': {
    who: OPERATORS,
    ok: 'any<400',
    why: 'the first caller closes the day (201), the next get the same close (200)',
    call: (c, s) => post(`/api/v1/canteens/${c_(c, s)}/closes/${PAST_DAY}`, { cashCountedFen: 0, cashNote: '安全测试：未清点' }),
  },
  'GET /api/v1/canteens/:id/closes/:date/report.pdf': {
    who: ALL,
    timeout: 180_000,
    call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/closes/${PAST_DAY}/report.pdf`),
  },
  'GET /api/v1/canteens/:id/deliveries': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/deliveries?date=${TODAY}&limit=5`) },
  'GET /api/v1/canteens/:id/deliveries/export': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/deliveries/export?date=${TODAY}&format=csv`) },
  'GET /api/v1/canteens/:id/delivery-routes': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/delivery-routes?date=${TODAY}`) },
  'POST /api/v1/canteens/:id/deliveries/assign': {
    who: OPERATORS,
    call: async (c, s) => post(`/api/v1/canteens/${c_(c, s)}/deliveries/assign`, { deliveryIds: [await freshDelivery(c, s)], courier: '王阿姨' }),
  },
  'POST /api/v1/deliveries/:id/out': {
    who: OPERATORS,
    call: async (c, s) => {
      const id = await freshDelivery(c, s);
      await send(c.app, c.admin, { method: 'POST', url: `/api/v1/canteens/${c_(c, s)}/deliveries/assign`, payload: { deliveryIds: [id], courier: '王阿姨' } });
      return post(`/api/v1/deliveries/${id}/out`, {});
    },
  },
  'POST /api/v1/deliveries/:id/done': {
    who: OPERATORS,
    call: async (c, s) => post(`/api/v1/deliveries/${await freshDelivery(c, s, 'out')}/done`, { outcome: 'delivered' }),
  },
  'GET /api/v1/delivery-alerts': { who: ALL, scoped: false, call: () => get('/api/v1/delivery-alerts'), why: 'lists only the caller’s own canteens' },
  'POST /api/v1/deliveries/:id/acknowledge': {
    who: OPERATORS,
    call: async (c, s) => post(`/api/v1/deliveries/${await freshDelivery(c, s, 'alert')}/acknowledge`, { note: '已电话联系家属' }),
  },
  'GET /api/v1/canteens/:id/food-samples': { who: ALL, call: (c, s) => get(`/api/v1/canteens/${c_(c, s)}/food-samples?from=2026-11-16&to=${TODAY}`) },
  'POST /api/v1/canteens/:id/food-samples': {
    who: OPERATORS,
    ok: 201,
    call: (c, s) =>
      post(`/api/v1/canteens/${c_(c, s)}/food-samples`, {
        id: uuidv7(),
        serviceDate: TODAY,
        mealPeriod: 'lunch',
        dishName: '白切鸡',
        weightGrams: 130,
        keepHours: 48,
        storedBy: '陈厨师',
      }),
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

  'GET /api/v1/audit': {
    who: REVIEWERS,
    scoped: false,
    call: () => get('/api/v1/audit?limit=5'),
    why: 'street and district staff see the rows of their area; city staff and the administrator all',
  },

  // ───────────── claims ─────────────
  'GET /api/v1/claims': {
    who: ALL,
    scoped: false,
    call: () => get('/api/v1/claims?month=2026-11'),
    why: 'each caller sees the claims of their canteens or area',
  },
  'GET /api/v1/claims/export': { who: ALL, scoped: false, call: () => get('/api/v1/claims/export?format=csv&month=2026-11') },
  'GET /api/v1/claims/clearing': {
    who: REVIEWERS,
    scoped: false,
    call: () => get('/api/v1/claims/clearing?year=2026'),
    why: 'street, district and city staff see the districts of their area; operators have no clearing',
  },
  'GET /api/v1/claims/clearing/export': {
    who: REVIEWERS,
    scoped: false,
    call: () => get('/api/v1/claims/clearing/export?year=2026&format=xlsx'),
  },
  'POST /api/v1/claims/generate': { who: OPERATORS, call: (c, s) => post('/api/v1/claims/generate', { month: '2026-11', canteenId: c_(c, s) }) },
  'GET /api/v1/claims/settings': { who: ALL, scoped: false, call: () => get('/api/v1/claims/settings') },
  'PUT /api/v1/claims/settings': {
    who: ['district', 'city', 'admin'],
    out: 403,
    inScope: payerScope,
    why: 'side A = the 天河 district payer (tianhe, city, admin); side B = the city payer (city, admin)',
    call: (_c, s) => ({ method: 'PUT', url: '/api/v1/claims/settings', payload: { payer: PAYER[s], cadence: 'month', fromMonth: '2030-01' } }),
  },
  'GET /api/v1/claims/:id': { who: ALL, call: (c, s) => get(`/api/v1/claims/${freshClaim(c, s, 'draft')}`) },
  'GET /api/v1/claims/:id/orders': { who: ALL, call: (c, s) => get(`/api/v1/claims/${freshClaim(c, s, 'submitted', { order: true })}/orders`) },
  'GET /api/v1/claims/:id/export': { who: ALL, call: (c, s) => get(`/api/v1/claims/${freshClaim(c, s, 'draft')}/export?format=xlsx`) },
  'POST /api/v1/claims/:id/submit': { who: OPERATORS, call: (c, s) => post(`/api/v1/claims/${freshClaim(c, s, 'draft')}/submit`, {}) },
  'POST /api/v1/claims/:id/check': { who: ['street', 'admin'], call: (c, s) => post(`/api/v1/claims/${freshClaim(c, s, 'submitted')}/check`, {}) },
  'POST /api/v1/claims/:id/return': {
    who: ['street', 'admin'],
    call: (c, s) => post(`/api/v1/claims/${freshClaim(c, s, 'submitted')}/return`, { reason: '缺少留样记录' }),
  },
  'POST /api/v1/claims/:id/approve': { who: ['district', 'admin'], call: (c, s) => post(`/api/v1/claims/${freshClaim(c, s, 'checked')}/approve`, {}) },
  'POST /api/v1/claims/:id/reject': {
    who: ['district', 'admin'],
    call: (c, s) => post(`/api/v1/claims/${freshClaim(c, s, 'checked')}/reject`, { reason: '金额与台账不符' }),
  },
  'POST /api/v1/claims/:id/disallowances': {
    who: ['street', 'district', 'admin'],
    why: 'the street office on a submitted claim, the district on a checked one (the other way round is 409, tested in claims.test.ts)',
    call: (c, s, caller) =>
      post(`/api/v1/claims/${freshClaim(c, s, caller === 'tianhe' ? 'checked' : 'submitted', { order: true })}/disallowances`, {
        orderId: c.sides[s].order,
        reason: '当日未到店',
      }),
  },
  'POST /api/v1/claims/:id/disallowances/:orderId/reinstate': {
    who: ['street', 'district', 'admin'],
    call: (c, s, caller) =>
      post(
        `/api/v1/claims/${freshClaim(c, s, caller === 'tianhe' ? 'checked' : 'submitted', { order: true, disallowed: true })}/disallowances/${c.sides[s].order}/reinstate`,
        {
          reason: '核减有误',
        },
      ),
  },
  'POST /api/v1/claims/:id/payment': {
    who: ['district', 'city', 'admin'],
    call: (c, s) => post(`/api/v1/claims/${freshClaim(c, s, 'approved')}/payment`, { amountFen: 0, paidOn: TODAY, reference: 'GK20261123' }),
  },

  // ───────────── anomalies ─────────────
  'GET /api/v1/anomalies': { who: REVIEWERS, scoped: false, call: () => get('/api/v1/anomalies?month=2026-11') },
  'GET /api/v1/anomalies/export': { who: REVIEWERS, scoped: false, call: () => get('/api/v1/anomalies/export?format=xlsx&month=2026-11') },
  'POST /api/v1/anomalies/scan': { who: REVIEWERS, call: (c, s) => post('/api/v1/anomalies/scan', { month: '2026-11', canteenId: c_(c, s) }) },
  'GET /api/v1/anomalies/:id': { who: REVIEWERS, call: (c, s) => get(`/api/v1/anomalies/${freshAnomaly(c, s)}`) },
  'GET /api/v1/anomalies/:id/orders': { who: REVIEWERS, call: (c, s) => get(`/api/v1/anomalies/${freshAnomaly(c, s)}/orders`) },
  'POST /api/v1/anomalies/:id/explain': {
    who: REVIEWERS,
    call: (c, s) => post(`/api/v1/anomalies/${freshAnomaly(c, s)}/explain`, { note: '社区活动，已核实' }),
  },
  'POST /api/v1/anomalies/:id/confirm': {
    who: REVIEWERS,
    call: (c, s) => post(`/api/v1/anomalies/${freshAnomaly(c, s)}/confirm`, { note: '确认为虚报' }),
  },

  // ───────────── flagged late orders (离线订单复核) ─────────────
  'GET /api/v1/order-reviews': { who: ALL, call: (c, s) => get(`/api/v1/order-reviews?from=2026-11-01&to=2026-11-30&canteenId=${c_(c, s)}`) },
  'POST /api/v1/order-reviews/:orderId/accept': {
    who: ALL,
    call: async (c, s) => post(`/api/v1/order-reviews/${await freshReview(c, s)}/accept`, { note: '已核实，按实收' }),
  },
  'POST /api/v1/order-reviews/:orderId/disallow': {
    who: REVIEWERS,
    why: 'reviewers only: the operator is the one claiming',
    call: async (c, s) => post(`/api/v1/order-reviews/${await freshReview(c, s, { claim: true })}/disallow`, { reason: '补贴不予申报' }),
  },
  'GET /api/v1/order-reviews/refused': {
    who: ALL,
    call: (c, s) => get(`/api/v1/order-reviews/refused?from=2026-11-01&to=2026-11-30&canteenId=${c_(c, s)}`),
  },
  'POST /api/v1/order-reviews/refused/:orderId/handle': {
    who: ALL,
    call: (c, s) => post(`/api/v1/order-reviews/refused/${freshRefusal(c, s)}/handle`, { note: '已在柜台收款' }),
  },

  // ───────────── live ─────────────
  'GET /api/v1/live': { who: [...ALL, 'device'], websocket: true, scoped: false, call: () => get('/api/v1/live') },
};

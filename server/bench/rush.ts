/**
 * The lunch rush, driven from this (the load) process against the server running as its own process:
 * kiosks paired through the console API, each one tapping a card (`POST /kiosk/identify`), asking for the
 * quote and ordering paid from the wallet, with a live socket per kiosk and one console socket counting the
 * fan-out. Also: the bare health route at the same concurrency, and card taps alone for server CPU per tap.
 */
import WebSocket from 'ws';
import { v7 as uuidv7 } from 'uuid';
import type { ServerProcess } from '../test/process';
import { CANTEENS } from '../src/seed/data';
import { DEMO_PASSWORD } from '../src/seed';
import { Conn, loginConn, Series } from './client';

interface MenuItem {
  dish: { id: string; isSetMeal: boolean };
  portions: number | null;
  soldOut: boolean;
}
interface KioskState {
  canteen: { id: string };
  serviceDate: string;
  mealPeriod: string | null;
  menu: { items: MenuItem[] } | null;
}

export interface Kiosk {
  conn: Conn;
  canteenId: string;
  credential: string;
  sets: string[];
  singles: string[];
  ws?: WebSocket;
  events: number;
}

export interface RushSetup {
  kiosks: Kiosk[];
  cards: string[];
  admin: Conn;
  console: { ws: WebSocket; orderEvents: number; events: number };
}

const RESIDENTS = 400; // the demo city
const card = (i: number) => `4401${100001 + i}`;
const residentId = (i: number) => `rs-${String(i + 1).padStart(4, '0')}`;

/** Pair `count` kiosks across the canteens open for lunch, lift limited portions to the maximum, fill the wallets, open the sockets. */
export async function setupRush(server: ServerProcess, count: number, walletTopups: number): Promise<RushSetup> {
  const base = new URL(server.base);
  const admin = await loginConn(base, 'admin', DEMO_PASSWORD);
  const kiosks: Kiosk[] = [];
  const menus = new Map<string, KioskState>();
  for (let i = 0; kiosks.length < count && i < count * CANTEENS.length; i++) {
    const canteenId = CANTEENS[i % CANTEENS.length]!.id;
    if (menus.has(canteenId) && !menus.get(canteenId)!.menu) continue;
    const code = await admin.post<{ code: string }>('/api/v1/devices/pairing', { canteenId, name: `压测 ${i + 1}` });
    if (code.status !== 201) throw new Error(`pairing code: ${code.status} ${JSON.stringify(code.body)}`);
    const anon = new Conn(base);
    const pair = await anon.post<{ credential: string }>('/api/v1/kiosk/pair', { code: code.body.code });
    anon.close();
    if (pair.status !== 200) throw new Error(`pair: ${pair.status} ${JSON.stringify(pair.body)}`);
    const conn = new Conn(base, { authorization: `Device ${pair.body.credential}` });
    if (!menus.has(canteenId)) {
      const state = await conn.get<KioskState>('/api/v1/kiosk/state');
      menus.set(canteenId, state.body);
      if (!state.body.menu) {
        conn.close();
        continue;
      }
      // Lift limited portions to the most an operator may set, so the rush measures ordering, not selling out.
      for (const it of state.body.menu.items) {
        if (it.portions === null) continue;
        const r = await admin.post(
          `/api/v1/canteens/${canteenId}/menus/${state.body.serviceDate}/${state.body.mealPeriod}/items/${encodeURIComponent(it.dish.id)}/portions`,
          { portions: 10_000 },
        );
        if (r.status !== 200) throw new Error(`portions: ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
    const items = menus.get(canteenId)!.menu!.items;
    kiosks.push({
      conn,
      canteenId,
      credential: pair.body.credential,
      sets: items.filter((x) => x.dish.isSetMeal).map((x) => x.dish.id),
      singles: items.filter((x) => !x.dish.isSetMeal).map((x) => x.dish.id),
      events: 0,
    });
  }
  if (kiosks.length < count) throw new Error(`only ${kiosks.length} kiosks could be paired at canteens with a menu open now`);

  // Wallets: top-ups at the counter, through the API. Residents who cannot be topped up (not active) are left out.
  const cards: string[] = [];
  for (let i = 0; i < RESIDENTS; i++) {
    let ok = true;
    for (let n = 0; n < walletTopups && ok; n++) {
      const r = await admin.post('/api/v1/wallet/topups', {
        id: uuidv7(),
        residentId: residentId(i),
        canteenId: CANTEENS[0]!.id,
        amountFen: 200_000,
        method: 'cash',
        reference: null,
      });
      ok = r.status === 200;
    }
    if (ok) cards.push(card(i));
  }

  // Live sockets: one per kiosk (stock changes), one console watching the whole city.
  const wsBase = server.base.replace('http', 'ws');
  await Promise.all(
    kiosks.map(
      (k) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(`${wsBase}/api/v1/live`, { headers: { authorization: `Device ${k.credential}` } });
          ws.on('message', () => (k.events += 1));
          ws.once('open', () => resolve());
          ws.once('error', reject);
          k.ws = ws;
        }),
    ),
  );
  const consoleSocket = { ws: null as unknown as WebSocket, orderEvents: 0, events: 0 };
  await new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(`${wsBase}/api/v1/live`, { headers: { cookie: admin.headers.cookie!, origin: base.origin } });
    ws.on('message', (m) => {
      consoleSocket.events += 1;
      if ((m as Buffer).toString().startsWith('{"type":"order.created"')) consoleSocket.orderEvents += 1;
    });
    ws.once('open', () => resolve());
    ws.once('error', reject);
    consoleSocket.ws = ws;
  });
  return { kiosks, cards, admin, console: consoleSocket };
}

export interface RushResult {
  seconds: number;
  orders: number;
  ordersPerSecond: number;
  tap: Series;
  quote: Series;
  order: Series;
  cycle: Series;
  errors: Map<string, number>;
  serverCpuMs: number;
  /** CPU this (the load) process used meanwhile: the 64 kiosks' HTTP, JSON and sockets share the machine's cores. */
  loadCpuMs: number;
  subsidised: number;
  consoleOrderEvents: number;
  kioskEvents: number;
  /** When the rush ran, µs on the monotonic clock (to cut a CPU profile to it). */
  window: [number, number];
}

/** User and system CPU of a `process.cpuUsage()` difference, in ms. */
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

function pick<T>(xs: T[]): T {
  return xs[Math.floor(Math.random() * xs.length)]!;
}

/** Each kiosk: tap → quote → order paid by wallet, again and again, for `seconds`. */
export async function runRush(server: ServerProcess, setup: RushSetup, seconds: number): Promise<RushResult> {
  const tap = new Series();
  const quote = new Series();
  const order = new Series();
  const cycle = new Series();
  const errors = new Map<string, number>();
  const fail = (step: string, status: number, body: unknown) => {
    const code = (body as { error?: { code?: string } })?.error?.code ?? String(status);
    const key = `${step} ${status} ${code}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
  };
  let orders = 0;
  let subsidised = 0;
  const events0 = setup.console.orderEvents;
  const kioskEvents0 = setup.kiosks.reduce((s, k) => s + k.events, 0);
  const cpu0 = server.cpuMs();
  const load0 = process.cpuUsage();
  const from = Number(process.hrtime.bigint() / 1000n);
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    setup.kiosks.map(async (k) => {
      while (performance.now() < end) {
        const c0 = performance.now();
        const id = await k.conn.post<{ ticket: string }>('/api/v1/kiosk/identify', { method: 'card', cardNumber: pick(setup.cards) });
        tap.add(id.ms);
        if (id.status !== 200) {
          fail('tap', id.status, id.body);
          continue;
        }
        const lines = k.sets.length && Math.random() < 0.7 ? [pick(k.sets)] : [...new Set([pick(k.singles), pick(k.singles)])];
        const body = { residentTicket: id.body.ticket, lines: lines.map((dishId) => ({ dishId, quantity: 1 })), fulfilment: 'dine_in' };
        const q = await k.conn.post('/api/v1/quotes', body);
        quote.add(q.ms);
        if (q.status !== 200) {
          fail('quote', q.status, q.body);
          continue;
        }
        const quoteId = (q.body as { quoteId: string }).quoteId;
        const o = await k.conn.post<{ elderSubsidyFen: number }>('/api/v1/orders', {
          id: uuidv7(),
          ...body,
          quoteId,
          identifyMethod: 'card',
          paymentMethod: 'wallet',
        });
        order.add(o.ms);
        if (o.status !== 201) {
          fail('order', o.status, o.body);
          continue;
        }
        orders += 1;
        if (o.body.elderSubsidyFen > 0) subsidised += 1;
        cycle.add(performance.now() - c0);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const to = Number(process.hrtime.bigint() / 1000n);
  const serverCpuMs = server.cpuMs() - cpu0;
  const loadCpuMs = cpuMs(process.cpuUsage(load0));
  // Let the last events arrive.
  await new Promise((r) => setTimeout(r, 300));
  return {
    seconds: elapsed,
    orders,
    ordersPerSecond: orders / elapsed,
    tap,
    quote,
    order,
    cycle,
    errors,
    serverCpuMs,
    loadCpuMs,
    subsidised,
    consoleOrderEvents: setup.console.orderEvents - events0,
    kioskEvents: setup.kiosks.reduce((s, k) => s + k.events, 0) - kioskEvents0,
    window: [from, to],
  };
}

/** Card taps alone, every kiosk at once: server CPU per tap. */
export async function runTaps(server: ServerProcess, setup: RushSetup, seconds: number) {
  const tap = new Series();
  let failed = 0;
  const refused = new Map<number, number>();
  const cpu0 = server.cpuMs();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    setup.kiosks.map(async (k) => {
      while (performance.now() < end) {
        const r = await k.conn.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: pick(setup.cards) });
        tap.add(r.ms);
        if (r.status !== 200) {
          failed += 1;
          refused.set(r.status, (refused.get(r.status) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = server.cpuMs() - cpu0;
  // CPU per answered tap: refused ones (shed with 503 when the machine is overloaded) cost next to nothing.
  return { taps: tap.count, perSecond: (tap.count - failed) / elapsed, cpuMsPerTap: cpu / Math.max(1, tap.count - failed), tap, failed, refused };
}

/** The bare route at the same concurrency: what the HTTP stack alone gives on this machine. */
export async function runHealth(server: ServerProcess, concurrency: number, seconds: number) {
  const base = new URL(server.base);
  const conns = Array.from({ length: concurrency }, () => new Conn(base));
  const s = new Series();
  const cpu0 = server.cpuMs();
  const load0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < end) s.add((await c.get('/api/v1/health')).ms);
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = server.cpuMs() - cpu0;
  const load = cpuMs(process.cpuUsage(load0));
  for (const c of conns) c.close();
  const n = Math.max(1, s.count);
  return { perSecond: s.count / elapsed, series: s, cpuMsPerRequest: cpu / n, loadCpuMsPerRequest: load / n };
}

export function closeRush(setup: RushSetup) {
  for (const k of setup.kiosks) {
    k.ws?.close();
    k.conn.close();
  }
  setup.console.ws.close();
  setup.admin.close();
}

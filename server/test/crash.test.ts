/**
 * Crash drill: the server process (`tsx src/main.ts`, as `pnpm start` runs it) is killed with SIGKILL again and
 * again while kiosks order; each kiosk keeps an unanswered order and sends it again, same id and same body,
 * until it gets an answer (what the kiosk's outbox does). After every restart the database must hold every
 * acknowledged order exactly once and nothing that was refused, and money, stock, subsidies and the audit
 * chain must add up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { LUNCH_MONDAY, TEST_SECRET, seededTemplate } from './helpers';
import { startServer, type ServerProcess } from './process';
import { Conn, loginConn } from '../bench/client';
import { DEMO_PASSWORD } from '../src/seed';
import { verify as verifyAuditChain } from '../src/modules/audit/audit.service';
import * as schema from '../src/db/schema';

const CANTEENS = ['ct-shipai-huashi', 'ct-beijing'];
const KIOSKS_PER_CANTEEN = 4;
const CARDS = Array.from({ length: 40 }, (_, i) => `4401${100001 + i}`);
const KILLS = 4;

interface Sent {
  id: string;
  body: { residentTicket: string; lines: { dishId: string; quantity: number }[]; paymentMethod: string; quoteId: string };
}

let dir: string;
let dbPath: string;
let server: ServerProcess;
const env = {
  SEED: 'none',
  YISHI_CLOCK: LUNCH_MONDAY,
  YISHI_SECRET: TEST_SECRET.toString('hex'),
  RATE_LIMIT_PER_MINUTE: '0',
  LOG_LEVEL: 'error',
};

/** What the kiosks were told. */
const acknowledged = new Map<string, { sent: Sent; pickupNumber: number; elderPaysFen: number }>();
const refused = new Map<string, string>();
let retries = 0;
let replays = 0;
/** Times a kiosk was told the limited set meal had sold out: by its confirm screen's quote, or by the order itself (a portion taken in between). */
let soldOutTold = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-crash-'));
  dbPath = path.join(dir, 'yishi.db');
  fs.copyFileSync(await seededTemplate(), dbPath);
  server = await startServer({ dbPath, env });
});
afterAll(async () => {
  await server?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every invariant, in one read snapshot of the file the server is writing. */
function check(ackedIds: string[], label: string) {
  const conn = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    conn.transaction(() => {
      const one = <T>(sql: string, ...args: unknown[]) => conn.prepare(sql).get(...args) as T;
      const all = <T>(sql: string, ...args: unknown[]) => conn.prepare(sql).all(...args) as T[];
      for (const id of ackedIds) {
        const a = acknowledged.get(id)!;
        const row = one<{ n: number; pickup: number; pays: number; method: string; state: string } | undefined>(
          'SELECT count(*) OVER () AS n, pickup_number AS pickup, elder_pays_fen AS pays, payment_method AS method, state FROM orders WHERE id = ?',
          id,
        );
        expect(row, `${label}: acknowledged order ${id} is stored`).toBeDefined();
        expect(row!.n).toBe(1);
        expect({ pickup: row!.pickup, pays: row!.pays }, `${label}: ${id} as acknowledged`).toEqual({ pickup: a.pickupNumber, pays: a.elderPaysFen });
        expect(one<{ n: number }>('SELECT count(*) AS n FROM order_lines WHERE order_id = ?', id).n).toBe(a.sent.body.lines.length);
        expect(one<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'order.created' AND entity_id = ?", id).n).toBe(1);
        if (row!.method === 'wallet' && row!.pays > 0) {
          const w = all<{ amount: number }>("SELECT amount_fen AS amount FROM wallet_entries WHERE order_id = ? AND kind = 'payment'", id);
          expect(w.map((x) => x.amount)).toEqual([-row!.pays]);
        }
      }
      for (const [id, code] of refused)
        expect(one<{ n: number }>('SELECT count(*) AS n FROM orders WHERE id = ?', id).n, `${label}: refused (${code})`).toBe(0);
      // Money: no wallet below zero; every wallet payment belongs to a stored order.
      expect(all('SELECT resident_id FROM wallet_entries GROUP BY resident_id HAVING sum(amount_fen) < 0')).toEqual([]);
      expect(all("SELECT w.id FROM wallet_entries w LEFT JOIN orders o ON o.id = w.order_id WHERE w.kind = 'payment' AND o.id IS NULL")).toEqual([]);
      // Stock: never below zero, and what is counted sold is what the orders took.
      const today = all<{ menu: string; dish: string; portions: number | null; sold: number; taken: number }>(
        `SELECT mi.menu_id AS menu, mi.dish_id AS dish, mi.portions, mi.sold,
                coalesce((SELECT sum(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
                          WHERE o.canteen_id = m.canteen_id AND o.service_date = m.service_date AND o.meal_period = m.meal_period
                            AND l.dish_id = mi.dish_id AND o.state NOT IN ('cancelled', 'refunded')), 0) AS taken
           FROM menu_items mi JOIN menus m ON m.id = mi.menu_id WHERE m.service_date = '2026-11-23'`,
      );
      expect(today.length).toBeGreaterThan(0);
      for (const it of today) {
        expect(it.sold, `${label}: ${it.dish} sold`).toBe(it.taken);
        if (it.portions !== null) expect(it.sold, `${label}: ${it.dish} within its portions`).toBeLessThanOrEqual(it.portions);
      }
      // Subsidy: one subsidised meal per resident per meal period; no layer pays twice for one resident in one meal period.
      expect(
        all(
          `SELECT resident_id, service_date, meal_period FROM orders WHERE resident_id IS NOT NULL AND elder_subsidy_fen > 0
             AND state NOT IN ('cancelled', 'refunded') GROUP BY 1, 2, 3 HAVING count(*) > 1`,
        ),
      ).toEqual([]);
      expect(
        all(
          `SELECT o.resident_id, o.service_date, o.meal_period, s.layer_key FROM order_subsidies s JOIN orders o ON o.id = s.order_id
            WHERE o.resident_id IS NOT NULL AND s.amount_fen > 0 AND o.state NOT IN ('cancelled', 'refunded') GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`,
        ),
      ).toEqual([]);
      expect(all('SELECT order_id, layer_key FROM order_subsidies GROUP BY 1, 2 HAVING count(*) > 1')).toEqual([]);
      const chain = verifyAuditChain(drizzle(conn, { schema }));
      expect(chain, `${label}: audit chain`).toMatchObject({ ok: true, brokenAt: null });
    })();
  } finally {
    conn.close();
  }
}

describe('crash drill', () => {
  it('SIGKILL mid-rush, again and again: every acknowledged order exactly once; money, stock, subsidies and the audit chain hold', async () => {
    const base = () => new URL(server.base);
    const admin = await loginConn(base(), 'admin', DEMO_PASSWORD);
    // Kiosks, menus, and a set meal that will sell out during the drill.
    const kiosks: { canteenId: string; credential: string; dishes: string[]; limited: string | null }[] = [];
    for (const canteenId of CANTEENS) {
      for (let i = 0; i < KIOSKS_PER_CANTEEN; i++) {
        const code = await admin.post<{ code: string }>('/api/v1/devices/pairing', { canteenId, name: `演练 ${i + 1}` });
        const pair = await new Conn(base()).post<{ credential: string }>('/api/v1/kiosk/pair', { code: code.body.code });
        expect(pair.status).toBe(200);
        const state = await new Conn(base(), { authorization: `Device ${pair.body.credential}` }).get<{
          menu: { items: { dish: { id: string }; portions: number | null }[] };
        }>('/api/v1/kiosk/state');
        const dishes = state.body.menu.items.map((x) => x.dish.id);
        kiosks.push({ canteenId, credential: pair.body.credential, dishes, limited: dishes.find((d) => d.includes('__set-'))! });
      }
      const limited = kiosks.find((k) => k.canteenId === canteenId)!.limited!;
      const r = await admin.post(`/api/v1/canteens/${canteenId}/menus/2026-11-23/lunch/items/${limited}/portions`, { portions: 12 });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    admin.close();

    let running = true;
    const loops = kiosks.map(async (k, n) => {
      let pending: Sent | null = null;
      let conn = new Conn(base(), { authorization: `Device ${k.credential}` });
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
      for (let i = 0; running || pending; i++) {
        try {
          if (!pending) {
            const tap = await conn.post<{ ticket: string }>('/api/v1/kiosk/identify', { method: 'card', cardNumber: CARDS[(i * 7 + n) % CARDS.length] });
            if (tap.status !== 200) throw new Error(`tap ${tap.status}`);
            // Half the orders want the set meal that is about to sell out, until the kiosk is told it has.
            const dishes = [k.limited && i % 2 === 0 ? k.limited : k.dishes[(i + n) % k.dishes.length]!, k.dishes[(i * 3 + 1) % k.dishes.length]!];
            const lines = [...new Set(dishes)].map((dishId) => ({ dishId, quantity: 1 }));
            // The confirm screen's quote: the order is bound to it.
            const quote = await conn.post<{ quoteId: string; error?: { code: string } }>('/api/v1/quotes', { residentTicket: tap.body.ticket, lines });
            if (quote.status === 409) {
              if (quote.body.error!.code === 'sold_out') {
                k.limited = null;
                soldOutTold += 1;
              }
              continue;
            }
            if (quote.status === 503) {
              await pause(100);
              continue;
            }
            if (quote.status !== 200) throw new Error(`unexpected quote ${quote.status} ${JSON.stringify(quote.body)}`);
            pending = {
              id: uuidv7(),
              body: { residentTicket: tap.body.ticket, lines, paymentMethod: i % 3 === 0 ? 'cash' : 'wallet', quoteId: quote.body.quoteId },
            };
          }
          const res = await conn.post<{ pickupNumber: number; elderPaysFen: number; error?: { code: string } }>('/api/v1/orders', {
            id: pending.id,
            ...pending.body,
            identifyMethod: 'card',
            fulfilment: 'dine_in',
          });
          if (res.status === 201 || res.status === 200) {
            const before = acknowledged.get(pending.id);
            if (before) expect(res.body.pickupNumber).toBe(before.pickupNumber);
            acknowledged.set(pending.id, { sent: pending, pickupNumber: res.body.pickupNumber, elderPaysFen: res.body.elderPaysFen });
            // Now and then the elder taps "pay" twice: the same order comes back, nothing is charged again.
            if (i % 5 === 0) {
              const twice = await conn.post<{ pickupNumber: number }>('/api/v1/orders', {
                id: pending.id,
                ...pending.body,
                identifyMethod: 'card',
                fulfilment: 'dine_in',
              });
              if (twice.status === 200) {
                expect(twice.body.pickupNumber).toBe(res.body.pickupNumber);
                replays += 1;
              }
            }
            pending = null;
          } else if (res.status === 409) {
            expect(acknowledged.has(pending.id)).toBe(false);
            refused.set(pending.id, res.body.error!.code);
            if (res.body.error!.code === 'sold_out') soldOutTold += 1;
            if (res.body.error!.code === 'sold_out') k.limited = null;
            pending = null;
          } else if (res.status === 503) {
            retries += 1;
            await pause(100);
          } else {
            throw new Error(`unexpected ${res.status} ${JSON.stringify(res.body)}`);
          }
        } catch (err) {
          if (err instanceof Error && err.message.startsWith('unexpected')) throw err;
          // The server is gone (connection refused or reset): keep the order, try again shortly, same id, same body.
          retries += 1;
          conn.close();
          conn = new Conn(base(), { authorization: `Device ${k.credential}` });
          await pause(30);
        }
      }
      conn.close();
    });

    for (let kill = 1; kill <= KILLS; kill++) {
      const floor = acknowledged.size + 10;
      while (acknowledged.size < floor) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100 + ((kill * 137) % 300)));
      const known = [...acknowledged.keys()];
      await server.kill();
      server = await startServer({ dbPath, env, port: server.port });
      check(known, `after kill ${kill}`);
    }
    running = false;
    await Promise.all(loops);
    check([...acknowledged.keys()], 'at the end');

    expect(acknowledged.size).toBeGreaterThan(KILLS * 10);
    expect(retries, 'kiosks had to send orders again').toBeGreaterThan(0);
    expect(replays, 'double taps answered with the first result').toBeGreaterThan(0);
    // The limited set meal ran out and kiosks were told so; nothing refused was stored (check above).
    expect(soldOutTold, 'kiosks told the set meal sold out').toBeGreaterThan(0);

    // Wallet balances the API shows are the sums of the stored entries.
    const conn = new Database(dbPath, { readonly: true });
    const sums = conn.prepare('SELECT resident_id AS id, sum(amount_fen) AS sum FROM wallet_entries GROUP BY resident_id LIMIT 10').all() as {
      id: string;
      sum: number;
    }[];
    conn.close();
    const admin2 = await loginConn(new URL(server.base), 'admin', DEMO_PASSWORD);
    for (const s of sums) expect((await admin2.get<{ balanceFen: number }>(`/api/v1/residents/${s.id}/wallet`)).body.balanceFen).toBe(s.sum);
    admin2.close();
  });
});

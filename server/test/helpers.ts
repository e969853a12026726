/**
 * Server test harness: a real migrated SQLite file per test (copied from a seeded template made once per
 * worker), the real app over `inject`, and helpers to log in as each demo role or pair a kiosk. Like main.ts,
 * it opens the database, migrates it, seeds it when asked, then builds the app (buildApp does neither).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app';
import { openDb } from '../src/db/client';
import { seedIfEmpty, DEMO_PASSWORD } from '../src/seed';
import { TestClock } from '../src/lib/clock';
import { createContext, type AppConfig, type Ctx } from '../src/lib/context';

export const TEST_SECRET = Buffer.from('7f'.repeat(32), 'hex');
/** Monday 2026-11-23, 12:00 in Guangzhou: lunch is open everywhere. */
export const LUNCH_MONDAY = '2026-11-23T12:00:00+08:00';
export const ORIGIN = 'http://localhost:80';

const templates = new Map<number, Promise<string>>();

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-test-'));
}

export function testConfig(dbPath: string, clock: TestClock, over: Partial<AppConfig> = {}): AppConfig {
  return {
    dbPath,
    secret: TEST_SECRET,
    clock,
    logLevel: 'silent',
    sessionHours: 12,
    allowedOrigins: [],
    rateLimitPerMinute: 100_000,
    bodyLimit: 256 * 1024,
    scryptN: 1024,
    liveRecheckMs: 100,
    ...over,
  };
}

/**
 * The steps main.ts takes, for tests, browser tests and benchmarks: open the database file, migrate it, seed the
 * demo city when asked (and the file is empty), build the app.
 */
export async function startApp(
  config: AppConfig,
  opts: { seed?: { historyDays?: number }; logStream?: NodeJS.WritableStream } = {},
): Promise<{ app: FastifyInstance; ctx: Ctx }> {
  const db = openDb(config.dbPath);
  db.migrate();
  const ctx = createContext(db, config);
  if (opts.seed) await seedIfEmpty(ctx, opts.seed);
  return buildApp(ctx, opts.logStream ? { logStream: opts.logStream } : {});
}

async function seedTemplate(file: string, historyDays: number): Promise<void> {
  const db = openDb(file);
  db.migrate();
  const clock = new TestClock(new Date(LUNCH_MONDAY));
  await seedIfEmpty(createContext(db, testConfig(file, clock)), { historyDays });
  db.writer.pragma('wal_checkpoint(TRUNCATE)');
  await db.close();
}

/**
 * A seeded database file (the demo city with `historyDays` of history: 7 by default; settlement tests use the 60
 * days `pnpm start` and the browser tests have), made once per test run: the first worker that needs it seeds it
 * under a lock, the others wait for it (seeding 60 days takes a while; every worker doing it slows them all).
 */
export function seededTemplate(historyDays = 7): Promise<string> {
  let made = templates.get(historyDays);
  if (!made) {
    made = (async () => {
      const shared = path.join(os.tmpdir(), 'yishi-test-templates');
      fs.mkdirSync(shared, { recursive: true });
      // Templates of earlier runs are left behind by design (workers cannot know who is last); clear old ones.
      for (const f of fs.readdirSync(shared)) {
        const full = path.join(shared, f);
        if (Date.now() - fs.statSync(full).mtimeMs > 6 * 3600_000) fs.rmSync(full, { force: true });
      }
      // One run's workers share a parent process; a changed seed or migration makes another file.
      const here = path.dirname(fileURLToPath(import.meta.url));
      const inputs = ['../src/seed/index.ts', '../src/seed/data.ts', '../../migrations/meta/_journal.json'].map((f) => fs.statSync(path.join(here, f)).mtimeMs);
      const file = path.join(shared, `template-${historyDays}-${process.ppid}-${Math.round(inputs.reduce((a, b) => a + b, 0))}.db`);
      const lock = `${file}.lock`;
      let mine = false;
      try {
        fs.closeSync(fs.openSync(lock, 'wx'));
        mine = true;
      } catch {
        /* another worker is seeding it */
      }
      if (mine) {
        const dir = tmpDir();
        const tmp = path.join(dir, 'template.db');
        await seedTemplate(tmp, historyDays);
        fs.renameSync(tmp, file);
        return file;
      }
      for (let waited = 0; !fs.existsSync(file); waited += 200) {
        if (waited > 300_000) throw new Error(`the ${historyDays}-day template was not made within 5 minutes`);
        await new Promise((r) => setTimeout(r, 200));
      }
      return file;
    })();
    templates.set(historyDays, made);
  }
  return made;
}

export interface TestApp {
  app: FastifyInstance;
  ctx: Ctx;
  clock: TestClock;
  dbPath: string;
  close(): Promise<void>;
}

/** A fresh app over a copy of the seeded demo city (or an empty migrated database with `empty: true`). */
export async function makeApp(
  opts: { empty?: boolean; at?: string; historyDays?: number; config?: Partial<AppConfig>; logStream?: NodeJS.WritableStream } = {},
): Promise<TestApp> {
  const dir = tmpDir();
  const dbPath = path.join(dir, 'yishi.db');
  if (!opts.empty) fs.copyFileSync(await seededTemplate(opts.historyDays), dbPath);
  const clock = new TestClock(new Date(opts.at ?? LUNCH_MONDAY));
  const { app, ctx } = await startApp(testConfig(dbPath, clock, opts.config), opts.logStream ? { logStream: opts.logStream } : {});
  await app.ready();
  return {
    app,
    ctx,
    clock,
    dbPath,
    close: async () => {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function cookieOf(res: LightMyRequestResponse, name: string): string {
  const c = res.cookies.find((x) => x.name === name);
  if (!c) throw new Error(`no ${name} cookie in response ${res.statusCode}: ${res.body}`);
  return `${name}=${c.value}`;
}

export async function login(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers: { origin: ORIGIN } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return cookieOf(res, 'yishi_session');
}

/** Pair a kiosk to a canteen (as the operator) and return its device cookie. */
export async function pairKiosk(app: FastifyInstance, canteenId = 'ct-shipai-huashi', operator = 'yikang'): Promise<string> {
  const cookie = await login(app, operator);
  const code = await app.inject({
    method: 'POST',
    url: '/api/v1/devices/pairing',
    payload: { canteenId, name: '测试自助机' },
    headers: { cookie, origin: ORIGIN },
  });
  if (code.statusCode !== 201) throw new Error(`pairing failed: ${code.body}`);
  const res = await app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: code.json().code } });
  if (res.statusCode !== 200) throw new Error(`pair failed: ${res.body}`);
  return cookieOf(res, 'yishi_device');
}

/** inject with a cookie and the same-origin header browsers send. */
export function as(app: FastifyInstance, cookie: string | null) {
  const headers = (extra?: Record<string, string>) => ({ ...(cookie ? { cookie } : {}), origin: ORIGIN, ...extra });
  return {
    cookie: cookie ?? '',
    get: (url: string) => app.inject({ method: 'GET', url, headers: headers() }),
    post: (url: string, payload?: unknown) => app.inject({ method: 'POST', url, payload: payload as object, headers: headers() }),
    put: (url: string, payload?: unknown) => app.inject({ method: 'PUT', url, payload: payload as object, headers: headers() }),
    patch: (url: string, payload?: unknown) => app.inject({ method: 'PATCH', url, payload: payload as object, headers: headers() }),
    delete: (url: string) => app.inject({ method: 'DELETE', url, headers: headers() }),
  };
}

/**
 * An order body as a kiosk sends it: priced first (POST /quotes, as the confirm screen does) and bound to that
 * quote. When the quote is refused the body goes without one (the order is then refused for the same reason, or
 * for want of a quote).
 */
export async function withQuote<T extends { residentTicket?: string | null; lines: unknown; fulfilment?: string }>(
  kiosk: ReturnType<typeof as>,
  body: T,
): Promise<T & { quoteId?: string }> {
  const q = await kiosk.post('/api/v1/quotes', {
    residentTicket: body.residentTicket ?? null,
    lines: body.lines,
    ...(body.fulfilment ? { fulfilment: body.fulfilment } : {}),
  });
  return q.statusCode === 200 ? { ...body, quoteId: q.json<{ quoteId: string }>().quoteId } : body;
}

/**
 * `pnpm bench`: load and scale figures on this machine (not tests; nothing here asserts on time).
 * Loopback only, bounded runs. Prints a table to paste into the README.
 *
 *  1. seed: time to seed the demo city (400 residents, 12 canteens, 60 days of history) and its file size
 *  2. orders: POST /api/v1/orders from 12 paired kiosks at lunch, guest orders, each with a new uuid
 *  3. kiosk state and quotes: GET /kiosk/state and POST /quotes
 *  4. what-if: re-price a month of the city's orders under a draft policy
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { v7 as uuidv7 } from 'uuid';
import { TestClock } from '../src/lib/clock';
import { startApp, testConfig, LUNCH_MONDAY } from '../test/helpers';
import { DEMO_PASSWORD } from '../src/seed';
import { CANTEENS } from '../src/seed/data';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

function mb(bytes: number) {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-bench-'));
  const dbPath = path.join(dir, 'bench.db');
  const clock = new TestClock(new Date(LUNCH_MONDAY));
  const t0 = performance.now();
  const { app, ctx } = await startApp(testConfig(dbPath, clock, { logLevel: 'silent', scryptN: 16384 }), { seed: {} });
  const seedMs = performance.now() - t0;
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = base;
  const rows: [string, string][] = [];
  rows.push([
    'seed demo city (60 days, ' + (ctx.db.writer.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n + ' orders)',
    `${(seedMs / 1000).toFixed(1)} s, file ${mb(fs.statSync(dbPath).size)}`,
  ]);

  // Pair a kiosk at every canteen with lunch today.
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  });
  const adminCookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const kiosks: { auth: string; dish: string }[] = [];
  // Ten kiosks (the pairing endpoint allows ten pairings a minute per address).
  for (const c of CANTEENS.slice(0, 10)) {
    const code = (await (
      await fetch(`${base}/api/v1/devices/pairing`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: adminCookie, origin },
        body: JSON.stringify({ canteenId: c.id, name: 'bench' }),
      })
    ).json()) as { code: string };
    const pair = (await (
      await fetch(`${base}/api/v1/kiosk/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code.code }) })
    ).json()) as { credential: string };
    kiosks.push({ auth: `Device ${pair.credential}`, dish: `${c.id}__mifan` });
  }
  // Rice (unlimited portions) is on every lunch menu; make sure it is.
  for (const c of CANTEENS) {
    ctx.db.writer
      .prepare('INSERT OR IGNORE INTO menu_items (menu_id, dish_id, portions, sold, sold_out, sort_order) VALUES (?, ?, NULL, 0, 0, 99)')
      .run(`mn-${c.id}-2026-11-23-lunch`, `${c.id}__mifan`);
  }

  const commits0 = ctx.db.stats.commits;
  const actions0 = ctx.db.stats.actions;
  let k = 0;
  const orders = await autocannon({
    url: `${base}/api/v1/orders`,
    connections: 24,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        setupRequest: (req: autocannon.Request) => {
          const kiosk = kiosks[k++ % kiosks.length]!;
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: kiosk.auth },
            body: JSON.stringify({ id: uuidv7(), identifyMethod: 'guest', lines: [{ dishId: kiosk.dish, quantity: 1 }], paymentMethod: 'cash' }),
          };
        },
      },
    ],
  });
  const commits = ctx.db.stats.commits - commits0;
  const actions = ctx.db.stats.actions - actions0;
  const non2xx = orders.non2xx;
  rows.push([
    `orders: 24 connections × ${DURATION} s, 10 kiosks`,
    `${orders.requests.average.toFixed(0)} orders/s; latency p50 ${orders.latency.p50} ms, p99 ${orders.latency.p99} ms; non-2xx ${non2xx}`,
  ]);
  rows.push([
    'group commit',
    `${actions} write actions in ${commits} commits (${(actions / Math.max(1, commits)).toFixed(1)} per commit, largest ${ctx.db.stats.maxBatch})`,
  ]);

  const state = await autocannon({
    url: `${base}/api/v1/kiosk/state`,
    connections: 16,
    duration: Math.max(3, DURATION / 2),
    headers: { authorization: kiosks[0]!.auth },
  });
  rows.push(['GET /kiosk/state (menu with 11 dishes)', `${state.requests.average.toFixed(0)} req/s; p99 ${state.latency.p99} ms`]);
  const quotes = await autocannon({
    url: `${base}/api/v1/quotes`,
    method: 'POST',
    connections: 16,
    duration: Math.max(3, DURATION / 2),
    headers: { 'content-type': 'application/json', authorization: kiosks[0]!.auth },
    body: JSON.stringify({ lines: [{ dishId: 'ct-shipai-huashi__set-a', quantity: 1 }] }),
  });
  rows.push(['POST /quotes', `${quotes.requests.average.toFixed(0)} req/s; p99 ${quotes.latency.p99} ms`]);

  const city = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username: 'city', password: DEMO_PASSWORD }),
  });
  const cityCookie = city.headers.get('set-cookie')!.split(';')[0]!;
  const draft = (await (
    await fetch(`${base}/api/v1/policies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cityCookie, origin },
      body: JSON.stringify({ basedOn: 'pv-guangzhou-2024-v1' }),
    })
  ).json()) as { id: string };
  const s0 = performance.now();
  const sim = (await (
    await fetch(`${base}/api/v1/policies/${draft.id}/simulate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cityCookie, origin },
      body: JSON.stringify({ month: '2026-11' }),
    })
  ).json()) as { orders: number };
  rows.push([`what-if: re-price a month (${sim.orders} orders)`, `${((performance.now() - s0) / 1000).toFixed(2)} s`]);
  rows.push(['server memory after the runs (RSS)', mb(process.memoryUsage().rss)]);

  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('\n| measure | figure |\n|---|---|');
  for (const [a, b] of rows) console.log(`| ${a} | ${b} |`);
  console.log(`\n(${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, Node ${process.version})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

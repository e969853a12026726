/**
 * `pnpm bench`: figures measured from outside. The server runs as its own process (`tsx src/main.ts`, what
 * `pnpm start` runs) on a temporary database; this process is the load. Nothing here asserts on time: it
 * prints each figure beside its target.
 *
 *   BENCH_PARTS    which parts, comma-separated (default all): rush, city, footprint, firstload
 *   BENCH_SECONDS  length of the rush (default 10); card taps alone and the bare route get half of it each
 *   BENCH_KIOSKS   concurrent kiosks (default 64)
 *   BENCH_WARMUP   seconds of the same rush before each measured one, not counted (default 2): the server's first
 *                  requests after its start (JIT, cold caches) are reported on a row of their own
 *   BENCH_PROFILE  1 = run the rush a second time with `node --cpu-prof` on the server and print where the time goes
 *   BENCH_STATEMENTS 1 = run the rush once more with every SQLite statement timed inside the server (bench/statements.mjs)
 *                  and print statements and SQLite time per order, the group commits, and the costliest statements
 *   BENCH_CITY     city-month sizes in orders (default 100000,300000,900000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type ServerProcess } from '../test/process';
import { serverEnv } from './server-env';
import { closeRush, runHealth, runRush, runTaps, setupRush } from './rush';
import { summariseProfile, type CpuProfile } from './profile';
import { Report } from './report';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const KIOSKS = Number(process.env.BENCH_KIOSKS ?? 64);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'rush,city,footprint,firstload').split(',').map((s) => s.trim()));
const PROFILE = process.env.BENCH_PROFILE === '1';
const STATEMENTS = process.env.BENCH_STATEMENTS === '1';
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function rushPart(report: Report, dir: string) {
  const dbPath = path.join(dir, 'rush.db');
  const first = await startServer({ dbPath, env: serverEnv(), timeoutMs: 120_000 });
  report.row('start', 'first start: migrate + seed the demo city (60 days of orders)', `${(first.startMs / 1000).toFixed(1)} s`, '');
  await first.stop();
  const server = await startServer({ dbPath, env: serverEnv() });
  report.row('start', 'start on the seeded demo database', `${(server.startMs / 1000).toFixed(2)} s`, '');
  let cpuPerOrder: number | undefined;
  try {
    cpuPerOrder = (await measureRush(report, server, KIOSKS, SECONDS, false)).cpuPerOrderMs;
  } finally {
    await server.stop();
  }
  if (PROFILE) {
    const profDir = path.join(dir, 'profile');
    const profiled = await startServer({ dbPath, env: serverEnv(), nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
    let rush = { orders: 0, window: [0, 0] as [number, number] };
    try {
      rush = await measureRush(report, profiled, KIOSKS, SECONDS, true);
    } finally {
      await profiled.stop();
    }
    const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      const keep = path.resolve(process.env.INIT_CWD ?? process.cwd(), 'bench-rush.cpuprofile');
      fs.copyFileSync(path.join(profDir, file), keep);
      profileText = `profile of the server process during a second rush (${rush.orders} orders, each with its card tap and quote; the profiler slows it); file: ${keep}\n\n${summariseProfile(
        JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8')) as CpuProfile,
        rush.orders,
        rush.window,
        cpuPerOrder,
      )}`;
    }
  }
  if (STATEMENTS) statementsText = await statementsRush(dbPath, dir);
}

let profileText = '';
let statementsText = '';

/** A rush with every statement timed inside the server (bench/statements.mjs): what SQLite does per order. */
async function statementsRush(dbPath: string, dir: string): Promise<string> {
  const probeDir = fs.mkdtempSync(path.join(dir, 'statements-'));
  const server = await startServer({
    dbPath,
    env: serverEnv({ BENCH_STATEMENTS_DIR: probeDir }),
    nodeArgs: ['--import', path.join(import.meta.dirname, 'statements.mjs')],
  });
  const signal = async (name: string) => {
    fs.writeFileSync(path.join(probeDir, name), '');
    for (let i = 0; i < 100 && fs.existsSync(path.join(probeDir, name)); i++) await new Promise((r) => setTimeout(r, 20));
  };
  let orders = 0;
  try {
    const setup = await setupRush(server, KIOSKS, Math.max(1, Math.ceil(SECONDS / 10)));
    if (WARMUP > 0) await runRush(server, setup, WARMUP);
    await signal('reset');
    orders = (await runRush(server, setup, SECONDS)).orders;
    await signal('dump');
    closeRush(setup);
  } finally {
    await server.stop();
  }
  const rows = JSON.parse(fs.readFileSync(path.join(probeDir, 'statements.json'), 'utf8')) as { sql: string; calls: number; us: number }[];
  const per = (n: number) => n / Math.max(1, orders);
  const calls = rows.reduce((a, r) => a + r.calls, 0);
  const us = rows.reduce((a, r) => a + r.us, 0);
  const commit = rows.find((r) => r.sql === 'COMMIT') ?? { calls: 0, us: 0 };
  const top = rows
    .slice(0, 14)
    .map((r) => `| ${per(r.calls).toFixed(2)} | ${per(r.us).toFixed(0)} | ${(r.us / r.calls).toFixed(1)} | \`${r.sql.slice(0, 110).replace(/\|/g, '\\|')}\` |`);
  return [
    `statements during a third rush, each timed inside the server (bench/statements.mjs; ${orders} orders, each with its card tap and quote)`,
    '',
    `${per(calls).toFixed(1)} statements and ${per(us).toFixed(0)} µs of SQLite per order; ${commit.calls} group commits (${(orders / Math.max(1, commit.calls)).toFixed(1)} orders each), ${(commit.us / Math.max(1, commit.calls) / 1000).toFixed(2)} ms each (fsync, synchronous=FULL), ${per(commit.us).toFixed(0)} µs per order`,
    '',
    '| calls per order | µs per order | µs per call | statement |',
    '| --- | --- | --- | --- |',
    ...top,
  ].join('\n');
}

/** Returns the number of orders taken and when the rush ran. */
async function measureRush(
  report: Report,
  server: ServerProcess,
  kiosks: number,
  seconds: number,
  profiling: boolean,
): Promise<{ orders: number; window: [number, number]; cpuPerOrderMs: number }> {
  const setup = await setupRush(server, kiosks, Math.max(1, Math.ceil(seconds / 10)));
  const rest = server.memory();
  // The server has not run a tap, a quote or an order since its start: the first of them run cold (JIT, caches).
  // A lunch rush meets a server that has been up since the morning, so they are a row of their own, not the rush's.
  const warm = WARMUP > 0 ? await runRush(server, setup, WARMUP) : null;
  server.resetPeak();
  const rush = await runRush(server, setup, seconds);
  const peak = server.memory().peak;
  if (profiling) {
    closeRush(setup);
    return { orders: rush.orders, window: rush.window, cpuPerOrderMs: rush.serverCpuMs / Math.max(1, rush.orders) };
  }
  const taps = await runTaps(server, setup, Math.max(3, seconds / 2));
  closeRush(setup);
  const health = await runHealth(server, kiosks, Math.max(3, seconds / 2));
  const errors = [...rush.errors].map(([k, n]) => `${k} ×${n}`).join('; ') || 'none';
  const s = 'rush';
  if (warm) {
    const warmErrors = [...warm.errors].map(([k, n]) => `${k} ×${n}`).join('; ');
    report.row(
      s,
      `warm-up: the first ${WARMUP} s after the server's start, not counted below`,
      `${warm.ordersPerSecond.toFixed(0)} orders/s; card tap ${warm.tap.summary()}; order ${warm.order.summary()}${warmErrors ? `; errors: ${warmErrors}` : ''}`,
      '',
    );
  }
  report.row(
    s,
    `orders/s, ${kiosks} kiosks × ${seconds} s, each: card tap → quote → order paid by wallet`,
    rush.ordersPerSecond.toFixed(0),
    '≥ 3,000',
    rush.ordersPerSecond >= 3000,
  );
  report.row(s, 'order (POST /orders) latency', rush.order.summary(), 'p99 < 50 ms', rush.order.percentile(99) < 50);
  report.row(s, 'card tap (POST /kiosk/identify) latency', rush.tap.summary(), '');
  report.row(s, 'quote (POST /quotes) latency', rush.quote.summary(), '');
  report.row(s, 'whole cycle (tap + quote + order) latency', rush.cycle.summary(), '');
  report.row(s, 'server CPU per order (its tap and quote included)', `${(rush.serverCpuMs / Math.max(1, rush.orders)).toFixed(2)} ms`, '');
  report.row(s, 'orders, subsidised, errors', `${rush.orders} orders (${rush.subsidised} subsidised); errors: ${errors}`, 'no errors', rush.errors.size === 0);
  report.row(
    s,
    'live fan-out received',
    `console socket ${rush.consoleOrderEvents}/${rush.orders} order.created; ${kiosks} kiosk sockets ${rush.kioskEvents} events`,
    'every order',
    rush.consoleOrderEvents === rush.orders,
  );
  const refusedTaps = [...taps.refused].map(([st, n]) => `${st} ×${n}`).join(', ');
  report.row(
    s,
    `card taps alone (${kiosks} kiosks)`,
    `${taps.perSecond.toFixed(0)} answered taps/s, ${taps.tap.summary()}${taps.failed ? `; refused: ${refusedTaps}` : ''}`,
    '',
  );
  report.row(s, 'server CPU per answered card tap', `${taps.cpuMsPerTap.toFixed(2)} ms`, '≤ 1 ms', taps.cpuMsPerTap <= 1 && taps.failed === 0);
  report.row(
    s,
    `bare route GET /api/v1/health, ${kiosks} connections`,
    `${health.perSecond.toFixed(0)} req/s (${health.series.summary()}); orders/s are ${((100 * rush.ordersPerSecond) / health.perSecond).toFixed(1)} % of it`,
    '',
  );
  // What bounds the rush on this machine: the CPU an order costs the server and the load generator together, against
  // the cores they share; and the same for three bare requests (a tap, a quote and an order that did no work at all).
  const cores = os.cpus().length;
  const perOrder = { server: rush.serverCpuMs / Math.max(1, rush.orders), load: rush.loadCpuMs / Math.max(1, rush.orders) };
  const bare = 3 * (health.cpuMsPerRequest + health.loadCpuMsPerRequest);
  report.row(
    s,
    `CPU per order, server + load generator, on ${cores} cores`,
    `${perOrder.server.toFixed(2)} + ${perOrder.load.toFixed(2)} ms (server ${((100 * rush.serverCpuMs) / (rush.seconds * 1000)).toFixed(0)} % of a core, load generator ${((100 * rush.loadCpuMs) / (rush.seconds * 1000)).toFixed(0)} %): at most ${((cores * 1000) / (perOrder.server + perOrder.load)).toFixed(0)} orders/s with every core busy; three bare requests cost ${bare.toFixed(2)} ms (${(3 * health.cpuMsPerRequest).toFixed(2)} + ${(3 * health.loadCpuMsPerRequest).toFixed(2)}): at most ${((cores * 1000) / bare).toFixed(0)} orders/s if a tap, a quote and an order did no work`,
    '',
  );
  report.row('footprint', 'server memory at rest (after start and set-up)', mb(rest.rss), '');
  report.row('footprint', 'server memory, peak during the rush', mb(peak), '');
  return { orders: rush.orders, window: rush.window, cpuPerOrderMs: rush.serverCpuMs / Math.max(1, rush.orders) };
}

async function main() {
  const load0 = os.loadavg()[0]!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-bench-'));
  const report = new Report();
  try {
    if (PARTS.has('rush')) await rushPart(report, dir);
    if (PARTS.has('city') || PARTS.has('footprint')) {
      const { cityPart } = await import('./city');
      await cityPart(report, dir, PARTS);
    }
    if (PARTS.has('firstload')) {
      const { firstLoadPart } = await import('./firstload');
      await firstLoadPart(report, dir);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(report.render());
  if (profileText) console.log(`\n${profileText}`);
  if (statementsText) console.log(`\n${statementsText}`);
  console.log(
    `\nmachine: ${os.cpus().length} cores (nproc), ${os.cpus()[0]?.model ?? '?'}, ${mb(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  // Other work on the machine takes cores from the server and the load alike: say how busy it was.
  console.log(
    `load average (1 min): ${load0.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at the end, on ${os.cpus().length} cores (above that, other processes competed)`,
  );
  console.log(`command: BENCH_SECONDS=${SECONDS} BENCH_KIOSKS=${KIOSKS} BENCH_PARTS=${[...PARTS].join(',')} pnpm bench`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

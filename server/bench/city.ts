/**
 * Month end at city scale: generate a city month (bench/city-gen.ts) at each size, start the server process on
 * it, and time the month-end work through the API with the server's peak memory during each job.
 *
 * MONTH_END_JOBS is the hook for work that is being built: each job names the routes it needs and is timed as
 * soon as the server has them (found in the OpenAPI document); until then it is reported as not built yet.
 * Targets for each: under 10 s and under 1 GiB peak at 900,000 orders.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServer, SERVER_DIR, type ServerProcess } from '../test/process';
import { TEST_SECRET } from '../test/helpers';
import { DEMO_PASSWORD } from '../src/seed';
import { loginConn, type Conn } from './client';
import type { CityResult } from './city-gen';
import type { Report } from './report';

const MONTH = '2026-11';
/** The day after the month: what a street office sees at month end. */
const MONTH_END = '2026-12-01T10:00:00+08:00';
const GiB = 1024 ** 3;
const TEN_S = 10_000;
const JOB_TIMEOUT_MS = Number(process.env.BENCH_JOB_TIMEOUT_MS ?? 120_000);
/** Only the jobs whose name contains one of these (comma-separated), e.g. BENCH_JOBS=indicators; default all. */
const JOB_FILTER = (process.env.BENCH_JOBS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

export interface MonthEndJob {
  name: string;
  /** "METHOD /path" as in the OpenAPI document (path parameters as {id}). */
  needs: string[];
  /** Under target (10 s, 1 GiB) at 900k orders? */
  target: boolean;
  run(api: Conn): Promise<string>;
}

async function ok<T>(p: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}

/** The month-end work, timed through the API. Add a job here when its route exists; adjust `needs` to the real routes. */
export const MONTH_END_JOBS: MonthEndJob[] = [
  {
    name: 'orders list, whole city, first page with total (GET /orders?limit=50)',
    needs: ['GET /api/v1/orders'],
    target: false,
    run: async (api) => `${(await ok(api.get<{ total: number }>('/api/v1/orders?limit=50'), 'orders')).total} orders`,
  },
  {
    name: 'orders list, one day (GET /orders?date=…&limit=500)',
    needs: ['GET /api/v1/orders'],
    target: false,
    run: async (api) => `${(await ok(api.get<{ total: number }>(`/api/v1/orders?date=${MONTH}-17&limit=500`), 'orders')).total} orders that day`,
  },
  {
    name: 'what-if: re-price the month under a draft policy (POST /policies/{id}/simulate)',
    needs: ['POST /api/v1/policies', 'POST /api/v1/policies/{id}/simulate'],
    target: true,
    run: async (api) => {
      const draft = await ok(api.post<{ id: string }>('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' }), 'draft');
      const sim = await ok(api.post<{ orders: number }>(`/api/v1/policies/${draft.id}/simulate`, { month: MONTH }), 'simulate');
      return `${sim.orders} orders re-priced`;
    },
  },
  {
    name: 'claim generation for every canteen',
    needs: ['POST /api/v1/claims/generate'],
    target: true,
    run: async (api) => JSON.stringify(await ok(api.post('/api/v1/claims/generate', { month: MONTH }), 'claims')).slice(0, 120),
  },
  {
    name: 'anomaly scan, whole city',
    needs: ['GET /api/v1/anomalies'],
    target: true,
    run: async (api) => JSON.stringify(await ok(api.get(`/api/v1/anomalies?month=${MONTH}`), 'anomalies')).slice(0, 120),
  },
  {
    name: 'city indicators',
    needs: ['GET /api/v1/reports/indicators'],
    target: true,
    run: async (api) => {
      type F = { canteens: number; meals: number; needy: { registered: number; served: number }; rates: Record<string, number | null> };
      const x = await ok(api.get<{ figures: F; children: unknown[] }>(`/api/v1/reports/indicators?month=${MONTH}`), 'indicators');
      const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)} %`);
      const f = x.figures;
      return `${f.canteens} canteens, ${f.meals} meals, ${x.children.length} districts; coverage ${pct(f.rates.coverage)} of ${f.needy.registered} needy, satisfaction ${pct(f.rates.satisfaction)}, samples ${pct(f.rates.foodSamples)}, compliance ${pct(f.rates.compliance)}`;
    },
  },
  {
    name: 'city report for the month by district, with subsidy by payer (GET /reports?groupBy=district)',
    needs: ['GET /api/v1/reports'],
    target: false,
    run: async (api) => {
      const r = await ok(
        api.get<{ rows: unknown[]; totals: { figures: { meals: number; elderSubsidyFen: number } } }>(`/api/v1/reports?month=${MONTH}&groupBy=district`),
        'report',
      );
      return `${r.rows.length} districts, ${r.totals.figures.meals} meals, elder subsidy ¥${(r.totals.figures.elderSubsidyFen / 100).toFixed(2)}`;
    },
  },
];

/** Generate a city month in a child process (so its memory is its own). */
export function generate(file: string, orders: number): Promise<CityResult & { cpuSeconds: number; peakRssBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/city-gen.ts', file, String(orders)], {
      cwd: SERVER_DIR,
      env: { ...process.env, YISHI_SECRET: TEST_SECRET.toString('hex') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`city-gen exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as CityResult & { cpuSeconds: number; peakRssBytes: number });
    });
  });
}

/** Wait (untimed, at most a minute) until the server answers its health check without shedding load. */
async function settled(base: string): Promise<void> {
  const until = performance.now() + 60_000;
  while (performance.now() < until) {
    const ok = await fetch(`${base}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function timed(server: ServerProcess, fn: () => Promise<string>) {
  server.resetPeak();
  const t0 = performance.now();
  let note: string;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${JOB_TIMEOUT_MS / 1000} s`)), JOB_TIMEOUT_MS).unref());
  try {
    note = await Promise.race([fn(), timeout]);
  } catch (err) {
    note = `FAILED: ${(err as Error).message}`;
  }
  return { ms: performance.now() - t0, peak: server.memory().peak, note };
}

export async function cityPart(report: Report, dir: string, parts: Set<string>) {
  const sizes = (process.env.BENCH_CITY ?? (parts.has('city') ? '100000,300000,900000' : '900000')).split(',').map(Number);
  const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
  // A job that did not finish at a smaller size is not run again at a larger one.
  const gaveUp = new Map<string, number>();
  for (const orders of sizes) {
    const s = `month end, ${orders.toLocaleString('en')} orders`;
    const file = path.join(dir, `city-${orders}.db`);
    const gen = await generate(file, orders);
    report.row(
      s,
      'generate the city month (1,000 canteens, 200,000 residents) in one transaction',
      `${gen.seconds.toFixed(0)} s wall (${Object.entries(gen.phases)
        .map(([k, v]) => `${k} ${v.toFixed(0)} s`)
        .join(', ')}), ${gen.cpuSeconds.toFixed(0)} s CPU, peak ${mb(gen.peakRssBytes)}; file ${mb(gen.bytes)}`,
      'well under a few minutes',
      gen.seconds < 180,
    );
    const server = await startServer({
      dbPath: file,
      env: { SEED: 'none', YISHI_CLOCK: MONTH_END, YISHI_SECRET: TEST_SECRET.toString('hex'), RATE_LIMIT_PER_MINUTE: '0' },
    });
    try {
      report.row(s, 'server start on this database', `${(server.startMs / 1000).toFixed(2)} s`, '');
      report.row(s, 'server memory at rest', mb(server.memory().rss), '');
      const docs = await fetch(`${server.base}/api/docs/json`).then((r) => r.json() as Promise<{ paths: Record<string, Record<string, unknown>> }>);
      const routes = new Set(Object.entries(docs.paths).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m.toUpperCase()} ${p}`)));
      const api = await loginConn(new URL(server.base), 'city', DEMO_PASSWORD);
      for (const job of MONTH_END_JOBS) {
        if (JOB_FILTER.length && !JOB_FILTER.some((f) => job.name.includes(f))) continue;
        const missing = job.needs.filter((n) => !routes.has(n));
        if (missing.length) {
          report.row(
            s,
            job.name,
            `not built yet (needs ${missing.join(', ')}; hook: server/bench/city.ts MONTH_END_JOBS)`,
            job.target ? '< 10 s, < 1 GiB' : '',
            null,
          );
          continue;
        }
        if (gaveUp.has(job.name)) {
          report.row(
            s,
            job.name,
            `not run: no answer within ${JOB_TIMEOUT_MS / 1000} s at ${gaveUp.get(job.name)!.toLocaleString('en')} orders`,
            job.target ? '< 10 s, < 1 GiB' : '',
            job.target ? false : null,
          );
          continue;
        }
        // Each job starts on a server that answers again (a heavy job before it may still hold the event loop).
        await settled(server.base);
        const r = await timed(server, () => job.run(api));
        if (r.note.startsWith('FAILED')) gaveUp.set(job.name, orders);
        const met = job.target ? !r.note.startsWith('FAILED') && r.ms < TEN_S && r.peak < GiB : null;
        report.row(s, job.name, `${(r.ms / 1000).toFixed(2)} s, server peak ${mb(r.peak)}; ${r.note}`, job.target ? '< 10 s, < 1 GiB' : '', met);
      }
      api.close();
    } finally {
      await server.kill();
    }
  }
}

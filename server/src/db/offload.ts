/**
 * Long read-only work off the event loop. better-sqlite3 is synchronous: a city month of reports, a what-if re-pricing
 * a month, or the anomaly scan takes seconds, and on the main thread every other request (a kiosk's order at lunch)
 * would wait that long and the overload guard would then shed load. Both kinds run on worker threads
 * (offload.worker.mjs), each with its own read-only connection (WAL: it reads the last committed state, as the main
 * read connection does):
 *
 * - `all(query)`: the rows of one query (drizzle `sql`): the aggregates of reports, indicators and claims;
 * - `run(module, fn, args)`: `fn(read, ...args)`, a function a server module exports that takes a read connection
 *   first (`import.meta.url` names the module), resolved with what it returns (structured-cloned: plain data). An
 *   AppError thrown there is thrown here as the same AppError.
 *
 * Up to WORKERS threads, started on first use; work goes to the one with the least waiting. Closed with the database.
 */
import { Worker } from 'node:worker_threads';
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { AppError, type ErrorCode } from '@yishi/shared/schemas';

const WORKER = new URL('./offload.worker.mjs', import.meta.url);
const CLIENT = new URL('./client.ts', import.meta.url).href;
/**
 * Two: independent aggregates of one report run side by side, and a report or a scan need not wait for a what-if
 * someone started a moment earlier; more would only share the same 2 cores.
 */
const WORKERS = 2;
const dialect = new SQLiteSyncDialect();

type Reply =
  | { id: number; result: unknown }
  | { id: number; error: { app: boolean; code: string | null; message: string; status: number; details?: Record<string, unknown> } };

interface Slot {
  worker: Worker;
  waiting: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; job: boolean }>;
}

/** How loaded a worker is: a module's job (seconds to tens of seconds) weighs far more than a query. */
const load = (s: Slot) => {
  let n = 0;
  for (const w of s.waiting.values()) n += w.job ? 1000 : 1;
  return n;
};

export class OffThreadReader {
  private readonly slots: Slot[] = [];
  private next = 1;
  private closed = false;

  constructor(private readonly file: string) {}

  /** The rows of a read-only query (drizzle `sql`), computed off the event loop. */
  all<T>(query: SQL): Promise<T[]> {
    const { sql, params } = dialect.sqlToQuery(query);
    return this.send<T[]>({ sql, params }, false);
  }

  /** `fn(read, ...args)` exported by `module` (its import.meta.url), off the event loop. */
  run<T>(module: string, fn: string, args: unknown[]): Promise<T> {
    return this.send<T>({ module, fn, args }, true);
  }

  private send<T>(message: Record<string, unknown>, job: boolean): Promise<T> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    const slot = this.pick();
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      slot.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, job });
      slot.worker.ref(); // work on its way keeps the process alive; an idle worker does not
      slot.worker.postMessage({ id, ...message });
    });
  }

  /** The least loaded worker (a query does not queue behind a what-if); a new one while fewer than WORKERS and all are busy. */
  private pick(): Slot {
    const idle = this.slots.find((s) => s.waiting.size === 0);
    if (idle) return idle;
    if (this.slots.length < WORKERS) return this.start();
    return this.slots.reduce((a, b) => (load(b) < load(a) ? b : a));
  }

  private start(): Slot {
    const worker = new Worker(WORKER, { workerData: { file: this.file, client: CLIENT } });
    const slot: Slot = { worker, waiting: new Map() };
    worker.on('message', (m: Reply) => {
      const job = slot.waiting.get(m.id);
      if (!job) return;
      slot.waiting.delete(m.id);
      if (slot.waiting.size === 0) worker.unref();
      if ('result' in m) job.resolve(m.result);
      else if (m.error.app) job.reject(new AppError(m.error.code as ErrorCode, m.error.message, m.error.status, m.error.details));
      else job.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    });
    const fail = (e: Error) => {
      for (const job of slot.waiting.values()) job.reject(e);
      slot.waiting.clear();
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a read worker stopped (${code})`)));
    this.slots.push(slot);
    return slot;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.slots.splice(0).map((s) => s.worker);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Long read-only jobs off the event loop. better-sqlite3 is synchronous: re-pricing a city month (what-if) or
 * scanning it for anomalies takes seconds of reads and JavaScript, and on the main thread every kiosk's tap and order
 * would wait that long. `OffThreadJobs.run(module, fn, args)` calls `fn(read, ...args)`, a function exported by a
 * server module that takes a read connection first, on a worker thread (jobs.worker.mjs) with its own read-only
 * connection, and resolves with what it returns (structured-cloned: plain data). An AppError thrown there is thrown
 * here as the same AppError. Up to WORKERS threads, started on first use; a job goes to the one with the least
 * waiting. Closed with the database.
 */
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '@yishi/shared/schemas';

const WORKER = new URL('./jobs.worker.mjs', import.meta.url);
const CLIENT = new URL('./client.ts', import.meta.url).href;
/** Two: a scan need not wait for a what-if someone started a moment earlier; more would only share the same 2 cores. */
const WORKERS = 2;

type Reply =
  | { id: number; result: unknown }
  | { id: number; error: { app: boolean; code: ErrorCode; message: string; status: number; details?: Record<string, unknown> } };

interface Slot {
  worker: Worker;
  waiting: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
}

export class OffThreadJobs {
  private readonly slots: Slot[] = [];
  private next = 1;
  private closed = false;

  constructor(private readonly file: string) {}

  /** `fn(read, ...args)` of `module` (its import.meta.url), on a job thread. */
  run<T>(module: string, fn: string, args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    const slot = this.pick();
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      slot.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      slot.worker.ref(); // a job on its way keeps the process alive; an idle thread does not
      slot.worker.postMessage({ id, module, fn, args });
    });
  }

  private pick(): Slot {
    const idle = this.slots.find((s) => s.waiting.size === 0);
    if (idle) return idle;
    if (this.slots.length < WORKERS) return this.start();
    return this.slots.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
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
      else if (m.error.app) job.reject(new AppError(m.error.code, m.error.message, m.error.status, m.error.details));
      else job.reject(new Error(m.error.message));
    });
    const fail = (e: Error) => {
      for (const job of slot.waiting.values()) job.reject(e);
      slot.waiting.clear();
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a job thread stopped (${code})`)));
    this.slots.push(slot);
    return slot;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.slots.splice(0).map((s) => s.worker);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Long read-only aggregates run off the event loop. better-sqlite3 is synchronous: a city month of reports takes
 * seconds, and on the main thread every other request (a kiosk's order at lunch) would wait that long and the
 * overload guard would then shed load. `OffThreadReader.all(query)` sends the compiled SQL to a worker thread with
 * its own read-only connection (WAL: it reads the last committed state, as the main read connection does) and
 * resolves with the rows. Up to WORKERS workers, started on first use; each runs its queries one after another, and
 * a query goes to the one with the least waiting. Closed with the database.
 */
import { Worker } from 'node:worker_threads';
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';

const WORKER = new URL('./read.worker.mjs', import.meta.url);
/** Two: independent aggregates of one report run side by side, and a second report need not wait for the first. */
const WORKERS = 2;
const dialect = new SQLiteSyncDialect();

type Reply = { id: number; rows: unknown[] } | { id: number; error: { message: string; code: string | null } };

interface Slot {
  worker: Worker;
  waiting: Map<number, { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }>;
}

export class OffThreadReader {
  private readonly slots: Slot[] = [];
  private next = 1;
  private closed = false;

  constructor(private readonly file: string) {}

  /** The rows of a read-only query (drizzle `sql`), computed off the event loop. */
  all<T>(query: SQL): Promise<T[]> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    const { sql, params } = dialect.sqlToQuery(query);
    const slot = this.pick();
    const id = this.next++;
    return new Promise<T[]>((resolve, reject) => {
      slot.waiting.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      slot.worker.ref(); // a query on its way keeps the process alive; an idle worker does not
      slot.worker.postMessage({ id, sql, params });
    });
  }

  /** The least busy worker; a new one while there are fewer than WORKERS and all are busy. */
  private pick(): Slot {
    const idle = this.slots.find((s) => s.waiting.size === 0);
    if (idle) return idle;
    if (this.slots.length < WORKERS) return this.start();
    return this.slots.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
  }

  private start(): Slot {
    const worker = new Worker(WORKER, { workerData: { file: this.file } });
    const slot: Slot = { worker, waiting: new Map() };
    worker.on('message', (m: Reply) => {
      const job = slot.waiting.get(m.id);
      if (!job) return;
      slot.waiting.delete(m.id);
      if (slot.waiting.size === 0) worker.unref();
      if ('error' in m) job.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else job.resolve(m.rows);
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

// Runs long read-only aggregates (a city month of reports and indicators) on a connection of its own, off the
// server's event loop: a query that takes seconds would otherwise hold every other request (and trip the overload
// shedding). Started by offload.ts; answers { id, rows } or { id, error } for each { id, sql, params }.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string }} */
const { file } = workerData;
const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();

parentPort.on('message', (/** @type {{ id: number, sql: string, params: unknown[] }} */ job) => {
  try {
    let st = statements.get(job.sql);
    if (!st) {
      st = db.prepare(job.sql);
      if (statements.size > 200) statements.clear();
      statements.set(job.sql, st);
    }
    parentPort.postMessage({ id: job.id, rows: st.all(...job.params) });
  } catch (e) {
    const err = /** @type {{ message?: string, code?: string }} */ (e);
    parentPort.postMessage({ id: job.id, error: { message: String(err?.message ?? e), code: err?.code ?? null } });
  }
});

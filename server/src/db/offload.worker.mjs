// Runs long read-only work off the server's event loop, on a read-only connection of its own (WAL: the last committed
// state, as the main read connection sees it): a query or a job that takes seconds would otherwise hold every other
// request (a kiosk's order at lunch) and trip the overload shedding. Started by offload.ts. Two kinds of message:
// - { id, sql, params }: the rows of one compiled query (reports, indicators, claim aggregates);
// - { id, module, fn, args }: `fn(read, ...args)` exported by that server module (the what-if, the anomaly scan), the
//   module loaded through tsx as `pnpm start` loads the server (only when the first such job comes).
// Answers { id, result } or { id, error }.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string, client: string }} */
const { file, client } = workerData;
const conn = new Database(file, { readonly: true, fileMustExist: true });
conn.pragma('busy_timeout = 5000');
const statements = new Map();

/** @type {Promise<{ load: (url: string) => Promise<Record<string, unknown>>, read: unknown }> | null} */
let modules = null;
/** The drizzle reader over this connection and a module loader, made on the first module job. */
function moduleSide() {
  modules ??= (async () => {
    const { tsImport } = await import('tsx/esm/api');
    const { readerOn } = await tsImport(client, import.meta.url);
    const loaded = new Map();
    const load = (url) => {
      let m = loaded.get(url);
      if (!m) loaded.set(url, (m = tsImport(url, import.meta.url)));
      return m;
    };
    return { load, read: readerOn(conn) };
  })();
  return modules;
}

async function answer(job) {
  if (job.sql !== undefined) {
    let st = statements.get(job.sql);
    if (!st) {
      st = conn.prepare(job.sql);
      if (statements.size > 200) statements.clear();
      statements.set(job.sql, st);
    }
    return st.all(...job.params);
  }
  const side = await moduleSide();
  const fn = (await side.load(job.module))[job.fn];
  if (typeof fn !== 'function') throw new Error(`${job.module} exports no ${job.fn}`);
  return fn(side.read, ...job.args);
}

parentPort.on('message', async (/** @type {{ id: number, sql?: string, params?: unknown[], module?: string, fn?: string, args?: unknown[] }} */ job) => {
  try {
    parentPort.postMessage({ id: job.id, result: await answer(job) });
  } catch (e) {
    const err = /** @type {{ name?: string, code?: string, message?: string, status?: number, details?: unknown }} */ (e);
    parentPort.postMessage({
      id: job.id,
      error: {
        app: err?.name === 'AppError',
        code: err?.code ?? null,
        message: String(err?.message ?? e),
        status: err?.status ?? 500,
        details: err?.details,
      },
    });
  }
});

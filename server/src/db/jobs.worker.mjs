// Runs long read-only jobs (a what-if month, the anomaly scan's detectors) on a thread of their own with a read-only
// connection of their own (WAL: the last committed state, as the main read connection sees it), off the server's
// event loop. Started by jobs.ts; for each { id, module, fn, args } it calls `fn(read, ...args)` exported by that
// server module (TypeScript, loaded through tsx as `pnpm start` loads the server) and answers { id, result } or
// { id, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

/** @type {{ file: string, client: string }} */
const { file, client } = workerData;
const { openReadOnly } = await tsImport(client, import.meta.url);
const db = openReadOnly(file);
/** @type {Map<string, Promise<Record<string, unknown>>>} */
const modules = new Map();

parentPort.on('message', async (/** @type {{ id: number, module: string, fn: string, args: unknown[] }} */ job) => {
  try {
    let mod = modules.get(job.module);
    if (!mod) modules.set(job.module, (mod = tsImport(job.module, import.meta.url)));
    const fn = (await mod)[job.fn];
    if (typeof fn !== 'function') throw new Error(`${job.module} exports no ${job.fn}`);
    parentPort.postMessage({ id: job.id, result: fn(db.read, ...job.args) });
  } catch (e) {
    const err = /** @type {{ name?: string, code?: string, message?: string, status?: number, details?: unknown }} */ (e);
    parentPort.postMessage({
      id: job.id,
      error: {
        app: err?.name === 'AppError',
        code: err?.code ?? 'internal',
        message: String(err?.message ?? e),
        status: err?.status ?? 500,
        details: err?.details,
      },
    });
  }
});

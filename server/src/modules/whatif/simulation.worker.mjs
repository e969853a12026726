// Runs what-if simulations (a city month re-priced under a draft) on a thread of its own with its own read-only
// connection: at city scale a simulation takes seconds to tens of seconds of CPU, and on the event loop every kiosk
// and console request would wait that long. Started by whatif.service.ts (`simulateOffThread`); answers
// { id, result } or { id, error } for each { id, actor, versionId, month, opts }. The service code itself is
// TypeScript, loaded through tsx as `pnpm start` loads the server.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

/** @type {{ file: string }} */
const { file } = workerData;
const { simulate } = await tsImport('./whatif.service.ts', import.meta.url);
const { openReadOnly } = await tsImport('../../db/client.ts', import.meta.url);
const db = openReadOnly(file);

parentPort.on('message', (/** @type {{ id: number, actor: unknown, versionId: string, month: string, opts: unknown }} */ job) => {
  try {
    parentPort.postMessage({ id: job.id, result: simulate(db.read, job.actor, job.versionId, job.month, job.opts) });
  } catch (e) {
    const err = /** @type {{ name?: string, code?: string, message?: string, status?: number, details?: unknown }} */ (e);
    parentPort.postMessage({
      id: job.id,
      error: { app: err?.name === 'AppError', code: err?.code ?? 'internal', message: String(err?.message ?? e), status: err?.status ?? 500, details: err?.details },
    });
  }
});

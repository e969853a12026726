/**
 * OffThreadReader.run: a server module's read-only function runs on a read worker thread with its own read-only connection. It
 * answers what the function returns, sees what was committed, throws an AppError as the same AppError, and leaves
 * the event loop free while the job works.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@yishi/shared/schemas';
import { Db } from './client';
import { sql } from 'drizzle-orm';
import { areas } from './schema';

const FIXTURE = new URL('../../test/fixtures/jobs.ts', import.meta.url).href;

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-jobs-'));
  db = new Db(path.join(dir, 'a.db'));
  db.migrate();
});
afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("OffThreadReader.run: a module's job", () => {
  it('runs an exported function of a module with a read connection, and sees each commit', async () => {
    expect(await db.offThread.run(FIXTURE, 'areaCount', ['city'])).toEqual({ level: 'city', n: 0 });
    await db.write((tx) => tx.insert(areas).values({ code: '4401', name: '广州市', level: 'city' }).run());
    expect(await db.offThread.run(FIXTURE, 'areaCount', ['city'])).toEqual({ level: 'city', n: 1 });
  });

  it('throws what the job threw: an AppError as the same AppError, anything else as an error', async () => {
    const e = await db.offThread.run(FIXTURE, 'refuse', ['x1']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'not_found', status: 404, message: 'no such thing: x1', details: { code: 'x1' } });
    await expect(db.offThread.run(FIXTURE, 'nothing', [])).rejects.toThrow(/exports no nothing/);
  });

  it('leaves the event loop free while a job works', async () => {
    await db.offThread.run(FIXTURE, 'spin', [1]); // the thread is up
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    const spun = await db.offThread.run<number>(FIXTURE, 'spin', [400]);
    clearInterval(timer);
    expect(spun).toBeGreaterThan(0);
    // On the main thread the 400 ms loop would have let no timer fire; here the loop kept turning.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('a query does not queue behind a long job while the other worker can take it', async () => {
    await db.offThread.run(FIXTURE, 'spin', [1]); // the first worker has the module loaded: the job runs at once
    const order: string[] = [];
    const long = db.offThread.run(FIXTURE, 'spin', [1500]).then(() => order.push('job'));
    const first = db.offThread.all(sql`SELECT 1 AS one`).then(() => order.push('first query')); // the second worker
    const second = db.offThread.all(sql`SELECT 2 AS two`).then(() => order.push('second query')); // both busy: the lighter one
    await Promise.all([long, first, second]);
    expect(order).toEqual(['first query', 'second query', 'job']);
  });
});

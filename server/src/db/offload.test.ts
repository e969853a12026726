/**
 * OffThreadReader: the long report reads run on a worker thread's own read-only connection to the same file. It
 * answers exactly what the main read connection answers, sees every committed write, reports SQLite's errors, and
 * leaves the event loop free while SQLite works (the same query on the main thread does not). A server module's
 * read-only function runs there too (`run`): it answers what the function returns, throws an AppError as the same
 * AppError, and a query does not queue behind such a job.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { AppError } from '@yishi/shared/schemas';
import { Db } from './client';
import { areas } from './schema';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-offload-'));
  db = new Db(path.join(dir, 'a.db'));
  db.migrate();
});
afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const addAreas = (from: number, n: number) =>
  db.write((tx) => {
    for (let i = from; i < from + n; i++) {
      tx.insert(areas)
        .values({ code: `44${String(i).padStart(4, '0')}`, name: `区${i}`, level: i % 2 ? 'district' : 'street', parentCode: null })
        .run();
    }
  });

const FIXTURE = new URL('../../test/fixtures/jobs.ts', import.meta.url).href;

/** Keeps SQLite busy for a while (a few hundred ms to seconds, by machine): counts a recursive series. */
const BUSY = sql`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${1_500_000}) SELECT count(*) AS n, sum(i % 7) AS m FROM s`;

describe('OffThreadReader', () => {
  it('answers what the read connection answers, parameters and nulls included', async () => {
    await addAreas(0, 40);
    const q = sql`SELECT level, count(*) AS n, min(code) AS first, max(name) AS last, NULL AS missing, ${2.5} * count(*) AS x
      FROM areas WHERE code >= ${'440005'} AND name LIKE ${'区%'} GROUP BY level ORDER BY level`;
    const off = await db.offThread.all(q);
    expect(off).toEqual(db.read.all(q));
    expect(off).toHaveLength(2);
  });

  it('sees each committed write', async () => {
    const count = async () => (await db.offThread.all<{ n: number }>(sql`SELECT count(*) AS n FROM areas`))[0]!.n;
    expect(await count()).toBe(0); // the worker has started with its connection open
    await addAreas(0, 3);
    expect(await count()).toBe(3);
    await addAreas(3, 2);
    expect(await count()).toBe(5);
  });

  it('passes SQLite’s error on, and the worker keeps serving', async () => {
    await expect(db.offThread.all(sql`SELECT nope FROM areas`)).rejects.toThrow(/no such column: nope/);
    await expect(db.offThread.all(sql`DELETE FROM areas RETURNING code`)).rejects.toThrow(/readonly|read-only|attempt to write/i);
    expect(await db.offThread.all(sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it('leaves the event loop free while SQLite works; the same query on the main thread holds it', async () => {
    const during = async (run: () => Promise<unknown>) => {
      const seen: string[] = [];
      let ticks = 0;
      let done = false;
      const timer = setTimeout(() => seen.push('timer'), 0);
      const query = run().then(() => {
        done = true;
        seen.push('query');
      });
      while (!done) {
        await tick();
        ticks += 1;
      }
      await query;
      clearTimeout(timer);
      return { seen, ticks };
    };
    const off = await during(() => db.offThread.all(BUSY));
    expect(off.seen[0]).toBe('timer'); // a timer due now fired while the worker counted
    expect(off.ticks).toBeGreaterThan(10);
    // Control: on the main thread nothing else runs until the query is over.
    const on = await during(() => Promise.resolve().then(() => db.read.all(BUSY)));
    expect(on.seen[0]).toBe('query');
    expect(on.ticks).toBeLessThanOrEqual(1);
  });

  it('closing the database refuses what is in flight and anything after', async () => {
    const inFlight = db.offThread.all(BUSY);
    await db.close();
    await expect(inFlight).rejects.toThrow(/read worker stopped|closed/);
    await expect(db.offThread.all(sql`SELECT 1`)).rejects.toThrow(/closed/);
    db = new Db(path.join(dir, 'a.db')); // for afterEach
  });
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

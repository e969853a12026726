import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Db, guardUnique } from './client';
import { UniqueViolation } from './errors';
import { areas, orders } from './schema';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-db-'));
  db = new Db(path.join(dir, 'a.db'));
  db.migrate();
});
afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = () => db.read.get<{ n: number }>(sql`SELECT count(*) AS n FROM areas`)!.n;

describe('Db.write', () => {
  it('commits each action and answers only after the commit', async () => {
    await db.write((tx) => tx.insert(areas).values({ code: '4401', name: '广州市', level: 'city' }).run());
    expect(count()).toBe(1); // visible to the read-only connection: committed
  });

  it('groups queued actions into one commit, and a failing action rolls back only itself', async () => {
    const commitsBefore = db.stats.commits;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.write(async (tx) => {
          tx.insert(areas)
            .values({ code: `44${String(i).padStart(2, '0')}`, name: `a${i}`, level: 'city' })
            .run();
          await Promise.resolve();
          if (i % 5 === 0) throw new Error(`boom ${i}`);
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    expect(count()).toBe(16);
    expect(db.stats.commits - commitsBefore).toBeLessThan(20);
    expect(db.stats.maxBatch).toBeGreaterThan(1);
  });

  it('a failed action leaves nothing behind', async () => {
    await expect(
      db.write((tx) => {
        tx.insert(areas).values({ code: '4401', name: '广州市', level: 'city' }).run();
        tx.insert(areas).values({ code: '4401', name: 'duplicate', level: 'city' }).run();
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(count()).toBe(0);
  });

  it('migrating an existing database again changes nothing and makes no backup', () => {
    const again = db.migrate();
    expect(again).toEqual({ applied: 0, backup: null });
  });
});

describe('guardUnique', () => {
  const order = (id: string, residentId: string, pickup: number) => ({
    id,
    canteenId: 'c1',
    residentId,
    serviceDate: '2026-11-23',
    mealPeriod: 'lunch' as const,
    fulfilment: 'dine_in' as const,
    state: 'paid' as const,
    identifyMethod: 'card' as const,
    pickupNumber: pickup,
    mealPriceFen: 1200,
    elderSubsidyFen: 300,
    elderPaysFen: 900,
    operatorSubsidyFen: 0,
    paymentMethod: 'wallet' as const,
    policyVersionIds: [],
    createdAt: '2026-11-23T04:00:00.000Z',
    requestHash: 'h',
  });
  const insert = (row: ReturnType<typeof order>) => db.write((tx) => guardUnique(orders, () => tx.insert(orders).values(row).run()));

  it('names the unique index a write breaks, whatever the database says in its own words', async () => {
    await insert(order('o1', 'r1', 1));
    await expect(insert(order('o2', 'r1', 2))).rejects.toMatchObject({ name: 'UniqueViolation', constraint: 'orders_one_subsidised_meal', table: 'orders' });
    await expect(insert(order('o3', 'r2', 1))).rejects.toMatchObject({ constraint: 'orders_pickup' });
    await expect(insert(order('o1', 'r3', 3))).rejects.toMatchObject({ constraint: 'orders_pkey' });
    await expect(insert(order('o4', 'r2', 2))).resolves.toMatchObject({ changes: 1 });
    // Other failures (here NOT NULL) pass through as they are.
    const notNull = await insert({ ...order('o5', 'r5', 5), canteenId: null as never }).catch((e: unknown) => e);
    expect(notNull).toBeInstanceOf(Error);
    expect(notNull).not.toBeInstanceOf(UniqueViolation);
  });
});
